//! Reading what the user gives: arguments, or stdin only when it is really piped (a file,
//! FIFO or socket — never a terminal, never an empty CI stdin that would block).

use anyhow::{Context, Result};
use std::io::{IsTerminal, Read};

/// The most of stdin `explain` reads; the rest is ignored (an error body is never this big).
pub const EXPLAIN_LIMIT: u64 = 16 << 20;

/// Is stdin a pipe, file or socket worth reading (ripgrep's rule)?
pub fn stdin_is_readable() -> bool {
    use std::os::unix::fs::FileTypeExt;
    if std::io::stdin().is_terminal() {
        return false;
    }
    match std::fs::metadata("/dev/stdin") {
        Ok(m) => {
            let t = m.file_type();
            t.is_fifo() || t.is_file() || t.is_socket()
        }
        Err(_) => false,
    }
}

/// Read at most `limit` bytes of stdin as text (invalid UTF-8 replaced).
pub fn read_stdin(limit: u64) -> Result<String> {
    let mut buf = Vec::new();
    std::io::stdin().lock().take(limit).read_to_end(&mut buf).context("cannot read standard input")?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// The text to explain: the arguments joined, or stdin for `-` / no arguments with a pipe.
pub fn explain_text(args: &[String]) -> Result<Option<String>> {
    if args.len() == 1 && args[0] == "-" || args.is_empty() && stdin_is_readable() {
        return read_stdin(EXPLAIN_LIMIT).map(Some);
    }
    if args.is_empty() {
        return Ok(None);
    }
    Ok(Some(args.join(" ")))
}
