//! One module per subcommand: each reads its arguments, does the work through the engine
//! modules and returns an exit status.

pub mod explain;
pub mod kb;
pub mod scan;
