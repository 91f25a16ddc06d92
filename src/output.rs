//! Where output goes: the color decision (made once, in `main`), and the stdout and stderr
//! writers, which redact every line on its way out.

use crate::cli::ColorWhen;
use crate::redact;
use std::io::{self, IsTerminal, Write};

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

/// A writer that sends each line through the redaction policy as it leaves the process:
/// whatever a command wrote, no credential or card number reaches the terminal or a pipe.
pub struct Redacted<W: Write> {
    inner: W,
    line: Vec<u8>,
    state: redact::State,
}

impl<W: Write> Redacted<W> {
    pub fn new(inner: W) -> Redacted<W> {
        Redacted { inner, line: Vec::new(), state: redact::State::default() }
    }

    fn emit(&mut self, newline: bool) -> io::Result<()> {
        if !self.line.is_empty() {
            let text = String::from_utf8_lossy(&self.line);
            let clean = redact::policy().text(&text, &mut self.state);
            self.line.clear();
            self.inner.write_all(clean.as_bytes())?;
        }
        if newline {
            self.inner.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl<W: Write> Write for Redacted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(p) = memchr::memchr(b'\n', rest) {
            self.line.extend_from_slice(&rest[..p]);
            self.emit(true)?;
            rest = &rest[p + 1..];
        }
        self.line.extend_from_slice(rest);
        Ok(buf.len())
    }

    /// A partial line is written too (a prompt, a live line), then the inner writer flushed.
    fn flush(&mut self) -> io::Result<()> {
        self.emit(false)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Redacted<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Buffered, locked, redacted stdout. Write errors (a closed pipe) propagate to `main`.
pub fn stdout() -> Redacted<io::BufWriter<io::StdoutLock<'static>>> {
    Redacted::new(io::BufWriter::with_capacity(64 << 10, io::stdout().lock()))
}

/// Redacted stderr, for notes and errors.
pub fn stderr() -> Redacted<io::StderrLock<'static>> {
    Redacted::new(io::stderr().lock())
}

/// A one-line note on stderr: `paydoctor: …`, redacted like everything else printed.
pub fn note(msg: impl std::fmt::Display) {
    let _ = writeln!(stderr(), "paydoctor: {msg}");
}
