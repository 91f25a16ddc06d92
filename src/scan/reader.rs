//! Streaming input in bounded memory: a file, a `.gz` file (decompressed on the fly) or
//! stdin, read in large buffers and handed out as runs of whole lines with a bounded
//! history before them (for look-behind). A line longer than [`MAX_LINE`] is cut there for
//! matching and the rest of it is skipped, so a 64 MiB line costs no more memory than a
//! short one. Bytes are never decoded here: invalid UTF-8, CRLF and NUL are ordinary input.
//!
//! A followed file (`--follow`) is read like `tail -F`: when it is truncated it is read again
//! from its start, and when another file takes its path (rotation by rename, or delete and
//! create) the old one is read to its end and the new one from its start. Either way the
//! stream goes on: a new line starts there, and line numbers continue.

use anyhow::{Context, Result};
use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How much is read at once.
pub const READ: usize = 256 << 10;
/// The longest line matched whole; longer lines are cut here.
pub const MAX_LINE: usize = 64 << 10;
/// Bytes kept before new data, so a record can be read back to its first line.
pub const HISTORY: usize = 16 << 10;
const CAPACITY: usize = HISTORY + 2 * MAX_LINE + READ;
/// How long a followed file is left alone when it has nothing new, and how long a pipe may
/// pause before the lines it sent are handed out.
const POLL: Duration = Duration::from_millis(200);

/// One input: its name for messages and reports, and its bytes.
pub struct Source {
    pub name: String,
    input: Input,
    /// Size on disk, when known (for the progress bar).
    pub len: Option<u64>,
}

enum Input {
    /// Read once to its end.
    Once(Box<dyn Read>),
    /// Standard input, read as it comes: when a pipe pauses, the lines it sent are handed out
    /// (`journalctl -f | paydoctor scan`) instead of waiting for more.
    Stream(File),
    /// Kept reading at its end (`--follow`).
    Followed(Followed),
}

/// A followed file and the path it was opened by, where its successor will be.
struct Followed {
    path: PathBuf,
    file: File,
}

/// What happened to a followed file that has nothing new.
enum Change {
    /// It is shorter than what was read of it.
    Truncated,
    /// Another file, opened here, is at its path, and the old one was read to its end.
    Replaced(File),
}

impl Source {
    pub fn stdin() -> Source {
        use std::os::fd::AsFd;
        let stdin = io::stdin();
        grow_pipe(&stdin);
        // Its own descriptor, unbuffered, so that "nothing to read" really means the pipe is empty.
        let input = match stdin.as_fd().try_clone_to_owned() {
            Ok(fd) => Input::Stream(File::from(fd)),
            Err(_) => Input::Once(Box::new(stdin.lock())),
        };
        Source { name: "<stdin>".to_string(), input, len: None }
    }

    /// Bytes already in memory (a fuzz input, a test).
    pub fn bytes(name: &str, data: Vec<u8>) -> Source {
        let len = Some(data.len() as u64);
        Source { name: name.to_string(), input: Input::Once(Box::new(io::Cursor::new(data))), len }
    }

    /// A file; `follow` keeps reading it at its end (not a `.gz` file, read once).
    pub fn open(path: &Path, follow: bool) -> Result<Source> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let meta = file.metadata().with_context(|| format!("cannot read {}", path.display()))?;
        if meta.is_dir() {
            anyhow::bail!("{} is a directory", path.display());
        }
        let gz = path.extension().is_some_and(|x| x == "gz");
        if !gz && utf16(&file) {
            anyhow::bail!(
                "{0} is UTF-16 text, which scan does not read; convert it first: iconv -f UTF-16 -t UTF-8 {0} | paydoctor scan",
                path.display()
            );
        }
        let input = if gz {
            Input::Once(Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(64 << 10, file))))
        } else if follow {
            Input::Followed(Followed { path: path.to_path_buf(), file })
        } else {
            Input::Once(Box::new(file))
        };
        Ok(Source { name: path.display().to_string(), input, len: Some(meta.len()) })
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.input {
            Input::Once(r) => r.read(buf),
            Input::Stream(f) => f.read(buf),
            Input::Followed(f) => f.file.read(buf),
        }
    }

    /// A stream that has had nothing to read for [`POLL`]: its writer paused.
    fn idle(&self) -> io::Result<bool> {
        match &self.input {
            Input::Stream(f) => paused(f),
            _ => Ok(false),
        }
    }

    fn followed(&self) -> bool {
        matches!(self.input, Input::Followed(_))
    }
}

/// Whether a file starts as UTF-16 text: a byte-order mark, or a NUL in every other byte of
/// its first bytes (ASCII text written as UTF-16 without a mark). Read without moving the
/// file's position.
fn utf16(file: &File) -> bool {
    use std::os::unix::fs::FileExt;
    let mut head = [0u8; 64];
    let n = file.read_at(&mut head, 0).unwrap_or(0);
    let head = &head[..n];
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let pairs = head.len() / 2;
    pairs >= 8
        && (head.chunks(2).take(pairs).all(|p| p[0] != 0 && p[1] == 0)
            || head.chunks(2).take(pairs).all(|p| p[0] == 0 && p[1] != 0))
}

impl Followed {
    /// Whether the file, read to its end, was truncated or replaced. A path that is missing
    /// for now, or a file with more to read, is no change yet.
    fn change(&self) -> io::Result<Option<Change>> {
        let meta = self.file.metadata()?;
        if meta.is_file() {
            match meta.len().cmp(&(&self.file).stream_position()?) {
                std::cmp::Ordering::Less => return Ok(Some(Change::Truncated)),
                std::cmp::Ordering::Greater => return Ok(None),
                std::cmp::Ordering::Equal => {}
            }
        }
        let now = match std::fs::metadata(&self.path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        if (now.dev(), now.ino()) == (meta.dev(), meta.ino()) {
            return Ok(None);
        }
        match File::open(&self.path) {
            Ok(file) => Ok(Some(Change::Replaced(file))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Go on at the start of the truncated file or of its successor.
    fn restart(&mut self, change: Change) -> io::Result<()> {
        match change {
            Change::Truncated => self.file.rewind(),
            Change::Replaced(file) => {
                self.file = file;
                Ok(())
            }
        }
    }
}

/// A pipe holds 64 KiB by default: ask for 1 MiB (what an unprivileged process may), so the
/// writer runs ahead and each read returns more (fewer system calls, larger buffers to cut
/// into parts). Not a pipe, or a lower limit: nothing changes.
#[cfg(target_os = "linux")]
fn grow_pipe(stdin: &io::Stdin) {
    use std::os::fd::AsRawFd;
    // SAFETY: fcntl with an integer argument on our own standard input; it reads no memory,
    // and an error (EBADF, EINVAL, EPERM) is returned, not raised.
    unsafe {
        libc::fcntl(stdin.as_raw_fd(), libc::F_SETPIPE_SZ, 1 << 20);
    }
}

#[cfg(not(target_os = "linux"))]
fn grow_pipe(_: &io::Stdin) {}

/// Nothing becomes readable on `f` within [`POLL`] (end of input and errors are readable: the
/// read that follows reports them).
#[cfg(target_os = "linux")]
fn paused(f: &File) -> io::Result<bool> {
    use std::os::fd::AsRawFd;
    let mut fd = libc::pollfd { fd: f.as_raw_fd(), events: libc::POLLIN, revents: 0 };
    loop {
        // SAFETY: one pollfd that lives on this stack frame for the whole call.
        let n = unsafe { libc::poll(&mut fd, 1, POLL.as_millis() as libc::c_int) };
        match n {
            0 => return Ok(true),
            n if n > 0 => return Ok(false),
            _ => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
}

/// Without poll(2) a stream is read as a file is: a read waits for data.
#[cfg(not(target_os = "linux"))]
fn paused(_: &File) -> io::Result<bool> {
    Ok(false)
}

/// Whole lines, with the history before them.
pub struct Chunk<'a> {
    /// History, then new data: `data[new..]` is handed out for the first time (or again, when
    /// the scanner left it unconsumed) and ends at a line end.
    pub data: &'a [u8],
    pub new: usize,
    /// A line ended just before `data[new]` although no newline may be there: after the
    /// skipped rest of a cut line, or where a followed file was truncated or replaced.
    pub break_before: bool,
    /// No more bytes can be added after `data` before the scanner must decide: the input
    /// ended, is idle (`--follow`), or the buffer is full. A record open at the end is closed.
    pub complete: bool,
    /// Stream offset of `data[0]`.
    pub offset: u64,
}

pub struct LineReader {
    src: Source,
    buf: Vec<u8>,
    start: usize,
    pos: usize,
    end: usize,
    /// Where the lines handed out last time end.
    handed: usize,
    /// The scanner left part of the last chunk for later: read more before handing it out.
    deferred: bool,
    eof: bool,
    skipping: bool,
    break_before: bool,
    /// Stream offset of `buf[0]`.
    offset: u64,
    pub bytes: u64,
}

impl LineReader {
    pub fn new(src: Source) -> LineReader {
        LineReader {
            src,
            buf: vec![0; CAPACITY],
            start: 0,
            pos: 0,
            end: 0,
            handed: 0,
            deferred: false,
            eof: false,
            skipping: false,
            break_before: false,
            offset: 0,
            bytes: 0,
        }
    }

    pub fn source(&self) -> &Source {
        &self.src
    }

    /// Move history and unconsumed bytes to the front.
    fn compact(&mut self) {
        let keep = self.pos.saturating_sub(HISTORY).max(self.start);
        if keep > 0 {
            self.buf.copy_within(keep..self.end, 0);
            self.offset += keep as u64;
            self.pos -= keep;
            self.end -= keep;
        }
        self.start = 0;
    }

    /// Read once; false at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.end == self.buf.len() {
            self.compact();
        }
        loop {
            match self.src.read(&mut self.buf[self.end..]) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    self.end += n;
                    self.bytes += n as u64;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Drop the rest of a cut line, up to and including its newline.
    fn skip_rest(&mut self) -> io::Result<()> {
        while self.skipping {
            match memchr::memchr(b'\n', &self.buf[self.pos..self.end]) {
                Some(i) => {
                    self.pos += i + 1;
                    self.start = self.pos;
                    self.skipping = false;
                    self.break_before = true;
                }
                None => {
                    self.pos = self.end;
                    self.start = self.pos;
                    self.compact();
                    if !self.fill()? {
                        if self.src.followed() {
                            self.poll()?;
                            continue;
                        }
                        self.eof = true;
                        self.skipping = false;
                    }
                }
            }
        }
        Ok(())
    }

    /// The next run of whole lines, or `None` at the end of the input.
    pub fn next_chunk(&mut self) -> io::Result<Option<Chunk<'_>>> {
        self.skip_rest()?;
        // Nothing can be appended to the last line handed out now: the input is idle or the
        // buffer is full.
        let mut complete = false;
        loop {
            let line_end = memchr::memrchr(b'\n', &self.buf[self.pos..self.end]).map(|i| self.pos + i + 1);
            let cut = line_end.is_none() && self.end - self.pos >= MAX_LINE;
            let must_read = self.deferred || line_end.is_none();
            if !self.eof && !cut && !complete && (must_read || self.end - self.pos < READ / 2) {
                if self.end == self.buf.len() {
                    let before = self.pos;
                    self.compact();
                    if self.pos != before {
                        continue; // positions moved: look for line ends again
                    }
                }
                if self.end == self.buf.len() || line_end.is_some() && self.src.idle()? {
                    complete = true;
                } else {
                    let before = self.end;
                    if self.fill()? {
                        self.deferred = false;
                        // Keep filling while the data flows, so chunks stay large.
                        if must_read || self.end - before >= 32 << 10 {
                            continue;
                        }
                    } else if !self.src.followed() {
                        self.eof = true;
                        continue;
                    } else if line_end.is_none() {
                        if !self.poll()? {
                            continue;
                        }
                        complete = true; // the unfinished last line of a truncated or replaced file
                    } else {
                        complete = true;
                    }
                }
            }
            self.deferred = false;
            let stop = match line_end {
                _ if cut => {
                    self.skipping = true;
                    self.pos + MAX_LINE
                }
                Some(e) if !self.eof => e,
                _ if self.pos < self.end => self.end,
                _ => return Ok(None),
            };
            self.handed = stop;
            return Ok(Some(Chunk {
                data: &self.buf[self.start..stop],
                new: self.pos - self.start,
                break_before: std::mem::take(&mut self.break_before),
                complete: complete || cut || self.eof && stop == self.end,
                offset: self.offset + self.start as u64,
            }));
        }
    }

    /// A followed file has nothing new: go on with the new content when it was truncated or
    /// replaced, or wait a moment. True when it was but an unfinished line of it is still to
    /// be handed out: that line goes out as it is first.
    fn poll(&mut self) -> io::Result<bool> {
        let Input::Followed(f) = &mut self.src.input else { return Ok(false) };
        let Some(change) = f.change()? else {
            std::thread::sleep(POLL);
            return Ok(false);
        };
        if self.pos < self.end {
            return Ok(true);
        }
        let note = match change {
            Change::Truncated => "was truncated; reading it again from the start",
            Change::Replaced(_) => "was replaced (rotated); reading the new file from the start",
        };
        f.restart(change)?;
        crate::output::note(format_args!("{} {note}", self.src.name));
        self.skipping = false;
        self.break_before = true;
        Ok(false)
    }

    /// The scanner used `n` bytes of the new data; the rest is handed out again.
    pub fn consume(&mut self, n: usize) {
        self.pos = if self.skipping { self.handed } else { self.pos + n };
        // What was handed out and left is handed out again only with more data after it.
        self.deferred = self.pos < self.handed;
    }
}
