//! Where output goes: the color decision (made once, in `main`) and the stdout writer.

use crate::cli::ColorWhen;
use std::io::IsTerminal;

/// Decide once whether to color stdout: `--color` wins; `auto` means stdout is a terminal,
/// `NO_COLOR` is unset or empty and `TERM` is not `dumb`.
pub fn init_color(when: ColorWhen) {
    let on = match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
                && std::io::stdout().is_terminal()
        }
    };
    colored::control::set_override(on);
}

/// Buffered, locked stdout. Write errors (a closed pipe) propagate to `main`.
pub fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(64 << 10, std::io::stdout().lock())
}
