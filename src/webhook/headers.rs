//! Reading the request's headers from what people have at hand: `Name: value` lines, a curl
//! `-v` or `--trace-ascii` dump, or an HTTP request as a proxy captured it (request line,
//! headers, a blank line, then the body).

use anyhow::{Result, bail};

/// What a headers file held.
#[derive(Debug, Default)]
pub struct Parsed {
    pub headers: Vec<(String, String)>,
    /// The request target of a request line (`POST /hook?x=1 HTTP/1.1`).
    pub target: Option<String>,
    /// What followed the blank line of a captured HTTP request.
    pub body: Option<Vec<u8>>,
}

/// One `Name: value` header; `None` when the line is not one.
pub fn parse_line(line: &str) -> Option<(String, String)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim();
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return None;
    }
    Some((name.to_string(), value.trim().to_string()))
}

/// `--header 'Name: value'`: a malformed one is a usage error.
pub fn parse_flag(s: &str) -> Result<(String, String)> {
    match parse_line(s) {
        Some(h) => Ok(h),
        None => bail!("--header expects `Name: value` (a header name, a colon, its value)"),
    }
}

/// `POST /path HTTP/1.1` → `/path`.
fn request_target(line: &str) -> Option<&str> {
    let mut parts = line.split_whitespace();
    let method = parts.next()?;
    let target = parts.next()?;
    let version = parts.next()?;
    (method.chars().all(|c| c.is_ascii_uppercase()) && version.starts_with("HTTP/") && parts.next().is_none())
        .then_some(target)
}

/// A headers file in any of the accepted shapes.
pub fn parse_file(bytes: &[u8]) -> Parsed {
    let mut out = Parsed::default();
    // A captured HTTP request: the body starts after the first blank line.
    let (head, body) = match find_blank(bytes) {
        Some((end, start)) if is_request(&bytes[..end]) => (&bytes[..end], Some(&bytes[start..])),
        _ => (bytes, None),
    };
    let text = String::from_utf8_lossy(head);
    for raw in text.lines() {
        let line = strip_dump(raw);
        let Some(line) = line else { continue };
        if let Some(t) = request_target(line) {
            out.target.get_or_insert_with(|| t.to_string());
        } else if let Some(h) = parse_line(line) {
            out.headers.push(h);
        }
    }
    out.body = body.filter(|b| !b.is_empty()).map(<[u8]>::to_vec);
    out
}

/// Whether the text before the blank line starts with a request line.
fn is_request(head: &[u8]) -> bool {
    let first = head.split(|&b| b == b'\n').next().unwrap_or_default();
    request_target(String::from_utf8_lossy(first).trim_end()).is_some()
}

/// The end of the headers and the start of the body: the first `\r\n\r\n` or `\n\n`.
fn find_blank(bytes: &[u8]) -> Option<(usize, usize)> {
    let crlf = bytes.windows(4).position(|w| w == b"\r\n\r\n").map(|p| (p, p + 4));
    let lf = bytes.windows(2).position(|w| w == b"\n\n").map(|p| (p, p + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// A line of a curl dump reduced to what was sent: `> Name: value` (`-v`), `0000: Name: value`
/// (`--trace-ascii`); curl's notes (`*`), what came back (`<`) and data blocks are dropped.
fn strip_dump(raw: &str) -> Option<&str> {
    let line = raw.trim_end_matches('\r');
    if let Some(rest) = line.strip_prefix("> ") {
        return Some(rest);
    }
    if line.starts_with('<') || line.starts_with('*') || line.starts_with("=>") || line.starts_with("<=") {
        return None;
    }
    if line.starts_with('{') || line.starts_with('}') || line.starts_with("==") {
        return None;
    }
    // --trace-ascii: a 4-hex-digit offset and a colon.
    let b = line.as_bytes();
    if b.len() > 6 && b[..4].iter().all(u8::is_ascii_hexdigit) && b[4] == b':' && b[5] == b' ' {
        return Some(&line[6..]);
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_verbose_and_trace() {
        let v = parse_file(b"* Trying 1.2.3.4\n> POST /hook?data.id=1 HTTP/1.1\n> Host: shop.example\n> Stripe-Signature: t=1,v1=ab\n>\n< HTTP/1.1 400\n< Server: x\n");
        assert_eq!(v.target.as_deref(), Some("/hook?data.id=1"));
        assert_eq!(v.headers.len(), 2);
        let t = parse_file(b"=> Send header, 60 bytes (0x3c)\n0000: POST /h HTTP/1.1\n001a: Host: a.example\n0030: X-Razorpay-Signature: ff\n");
        assert_eq!(t.headers[1], ("X-Razorpay-Signature".to_string(), "ff".to_string()));
    }

    #[test]
    fn captured_request_has_a_body() {
        let r = parse_file(b"POST /h HTTP/1.1\r\nHost: a\r\nCko-Signature: 00\r\n\r\n{\"a\":1}\n");
        assert_eq!(r.body.as_deref(), Some(&b"{\"a\":1}\n"[..]));
        assert_eq!(r.headers.len(), 2);
    }
}
