//! Reading the small files paydoctor is pointed at (config, company knowledge, CA bundles,
//! credential files): opened without blocking, regular files only, read up to a cap, so a
//! FIFO, a device or a huge file ends in a one-line error instead of a hang.

use anyhow::{Result, bail};
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The most any of these files may hold.
pub const CAP: u64 = 16 << 20;

/// The whole of a regular file of at most `cap` bytes. `what` names the file in errors
/// ("the config file", "CA file"). A missing file keeps its `NotFound` kind in the chain.
pub fn read_capped(path: &Path, what: &str, cap: u64) -> Result<Vec<u8>> {
    let shown = path.display();
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| anyhow::Error::new(e).context(format!("cannot read {what} {shown}")))?;
    let meta = file.metadata().map_err(|e| anyhow::Error::new(e).context(format!("cannot read {what} {shown}")))?;
    if !meta.is_file() {
        bail!("{what} {shown} is not a regular file");
    }
    if meta.len() > cap {
        bail!("{what} {shown} is {} MiB; the most read is {} MiB", meta.len() >> 20, cap >> 20);
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(|e| anyhow::Error::new(e).context(format!("cannot read {what} {shown}")))?;
    if buf.len() as u64 > cap {
        bail!("{what} {shown} grew past {} MiB while being read", cap >> 20);
    }
    Ok(buf)
}

/// [`read_capped`] at [`CAP`], as UTF-8 text.
pub fn read_text(path: &Path, what: &str) -> Result<String> {
    let bytes = read_capped(path, what, CAP)?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{what} {} is not UTF-8 text", path.display()))
}

/// Whether an error from this module (or any I/O) says the file does not exist.
pub fn not_found(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound))
}
