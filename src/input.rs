//! Reading what the user gives: arguments, or stdin only when it is really piped (a file,
//! FIFO or socket — never a terminal, never an empty CI stdin that would block).

use anyhow::{Context, Result};
use std::io::{IsTerminal, Read};

/// The most `explain` reads: one error body is never this big; whole logs are `scan`'s job.
pub const EXPLAIN_LIMIT: usize = 1 << 20;

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

/// Read at most `limit` bytes of stdin as text (invalid UTF-8 replaced); says whether more
/// was there.
fn read_stdin(limit: usize) -> Result<(String, bool)> {
    let mut buf = Vec::new();
    let mut stdin = std::io::stdin().lock();
    (&mut stdin).take(limit as u64).read_to_end(&mut buf).context("cannot read standard input")?;
    let more = stdin.read(&mut [0u8; 1]).context("cannot read standard input")? > 0;
    Ok((String::from_utf8_lossy(&buf).into_owned(), more))
}

/// The text to explain: the arguments joined, or stdin for `-` / no arguments with a pipe.
/// Over [`EXPLAIN_LIMIT`], only the beginning is explained, with a note on stderr.
pub fn explain_text(args: &[String]) -> Result<Option<String>> {
    let (mut text, more) = if args.len() == 1 && args[0] == "-" || args.is_empty() && stdin_is_readable() {
        read_stdin(EXPLAIN_LIMIT)?
    } else if args.is_empty() {
        return Ok(None);
    } else {
        let joined = args.join(" ");
        let more = joined.len() > EXPLAIN_LIMIT;
        (joined, more)
    };
    if more || text.len() > EXPLAIN_LIMIT {
        let mut cut = EXPLAIN_LIMIT.min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        crate::output::note(format_args!(
            "the input is over 1 MiB; explaining its first 1 MiB (`paydoctor scan` reads whole logs)"
        ));
    }
    Ok(Some(text))
}
