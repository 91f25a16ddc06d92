//! Exit codes, as ripgrep and grep use them: 0 found, 1 nothing found, 2 error.

use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Diagnosed / found / every check passed.
    Success,
    /// Ran fine, but nothing matched (or a check found a problem).
    NoMatch,
    /// Usage or operational error.
    Error,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(match e {
            Exit::Success => 0,
            Exit::NoMatch => 1,
            Exit::Error => 2,
        })
    }
}
