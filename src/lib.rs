//! paydoctor as a library: the knowledge base, the matching engine and the commands, used by
//! the `paydoctor` binary (`main.rs`) and by the fuzz targets under `fuzz/`.

pub mod answer;
pub mod cli;
pub mod commands;
pub mod config;
pub mod credentials;
pub mod diagnose;
pub mod exit;
pub mod files;
pub mod guided;
pub mod input;
pub mod knowledge;
pub mod output;
pub mod probe;
pub mod redact;
pub mod render;
pub mod retry;
pub mod scan;
pub mod search;
pub mod signals;
pub mod similar;
pub mod webhook;
pub mod weights;
