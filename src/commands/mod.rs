//! One module per subcommand: each reads its arguments, does the work through the engine
//! modules and returns an exit status.

pub mod config;
pub mod explain;
pub mod generate;
pub mod kb;
pub mod list;
pub mod probe;
pub mod scan;
pub mod search;
pub mod show;
pub mod webhook;
