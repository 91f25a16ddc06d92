//! Secrets found by what they look like or where they sit, with no field name in front:
//! credential prefixes the knowledge base knows, shapes common to many services (JWTs,
//! cloud keys, private-key blocks), auth schemes, URL userinfo and `curl -u`, base64 that
//! decodes to `id:secret`, and long random runs in a credential context.

use super::{How, Span};
use regex::Regex;
use std::sync::OnceLock;

/// Characters a credential with a known prefix is made of (Braintree puts `$` in its
/// tokens, Checkout.com `*#$=` in its keys).
fn key_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'$' | b'*' | b'#')
}

/// A known credential prefix and the pattern a whole credential must match, if any.
pub(super) struct Shape {
    pub prefix: String,
    /// Empty when the shape has no pattern; compiled on first use.
    pub pattern: &'static str,
}

impl Shape {
    /// A prefix with an inner separator or a digit (`sk_live_`, `APP_USR-`, `sq0csp-`) is
    /// rare in prose; a word-like one (`live_`, `whsec_`, `production_`) needs its pattern
    /// or a long random tail.
    fn distinctive(&self) -> bool {
        let inner = self.prefix.trim_end_matches(['_', '-', '$']);
        inner.contains(['_', '-', '$']) || inner.bytes().any(|c| c.is_ascii_digit())
    }

    fn accepts(&self, token: &str) -> bool {
        let tail = &token[self.prefix.len()..];
        (!self.pattern.is_empty() && crate::knowledge::regex(self.pattern, false).is_some_and(|re| re.is_match(token)))
            || (self.distinctive() && tail.len() >= 6)
            || (tail.len() >= 16 && random_looking(tail))
    }
}

/// Known prefixes: the longest one at each place where a credential may start.
pub(super) fn find_shapes(s: &str, shapes: &[Shape], ac: &aho_corasick::AhoCorasick, spans: &mut Vec<Span>) {
    let b = s.as_bytes();
    for m in ac.find_overlapping_iter(s) {
        let start = m.start();
        if start > 0 && b[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let shape = &shapes[m.pattern().as_usize()];
        let mut end = m.end();
        while end < b.len() && key_char(b[end]) {
            end += 1;
        }
        if end < b.len() && b[end] == b'=' {
            end += 1;
        }
        if shape.accepts(&s[start..end]) {
            spans.push(Span { start, end, how: How::Secret });
        }
    }
}

/// Shapes not tied to one provider's environments, each a whole credential.
fn generic() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            // a JWT: header.payload.signature, base64url
            r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*",
            // cloud access key ids
            r"|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",
            // Adyen API keys (same shape in test and live)
            r"|\bAQE[A-Za-z0-9+/=_-]{30,}",
            // Square access tokens (same shape in sandbox and production)
            r"|\bEAAA[A-Za-z0-9_-]{30,}",
            // PEM private keys: the header and the body on the same line (`\n` as in JSON)
            r"|-----BEGIN [A-Z ]*PRIVATE KEY-----(?:\\[nr]|[A-Za-z0-9+/= ])*",
        ))
        .expect("generic credential shapes")
    })
}

/// Auth schemes, userinfo, `curl -u`: the credential is the captured group. Each comes
/// with a literal the line must hold first, so most lines cost one substring search.
fn placed() -> &'static [(&'static str, Regex); 3] {
    static RE: OnceLock<[(&str, Regex); 3]> = OnceLock::new();
    RE.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("placed credential patterns");
        [
            (" ", re(r"(?i)\b(?:bearer|basic|digest)\s+([A-Za-z0-9._~+/=-]{8,})")),
            ("://", re(r"://[^/\s:@]+:([^/\s]+)@")),
            ("-u", re(r#"(?:\s-u|--user)[\s=]+['"]?[^\s:'"]*:([^\s'"]+)"#)),
        ]
    })
}

/// Does the line name an auth scheme (any case)?
fn has_scheme(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr3(b'B', b'b', b'D', b).is_some()
        && ["bearer", "basic", "digest"]
            .iter()
            .any(|w| b.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w.as_bytes())))
}

pub(super) fn find_generic(s: &str, spans: &mut Vec<Span>) {
    for m in generic().find_iter(s) {
        spans.push(Span { start: m.start(), end: m.end(), how: How::Secret });
    }
    for (i, (literal, re)) in placed().iter().enumerate() {
        let wanted = match i {
            0 => has_scheme(s),
            1 => s.contains(literal) && s.contains('@'),
            _ => s.contains(literal),
        };
        if !wanted {
            continue;
        }
        for c in re.captures_iter(s) {
            if let Some(g) = c.iter().skip(1).flatten().next() {
                let v = g.as_str();
                // `Bearer` in prose is followed by a word, not a token
                let scheme = c.get(0).is_some_and(|m| m.start() < g.start() && !m.as_str().contains(':'));
                if !scheme || random_looking(v) || v.ends_with('=') {
                    spans.push(Span { start: g.start(), end: g.end(), how: How::Secret });
                }
            }
        }
    }
}

/// Shannon entropy of a string, in bits per character.
fn entropy(s: &[u8]) -> f64 {
    let mut counts = [0u32; 256];
    for &c in s {
        counts[c as usize] += 1;
    }
    let n = s.len() as f64;
    counts.iter().filter(|&&c| c > 0).map(|&c| -(f64::from(c) / n) * (f64::from(c) / n).log2()).sum()
}

/// Letters and digits mixed the way a generator mixes them: a digit, little repetition,
/// and the character class (lower, upper, digit) changing often. A word, a code
/// (`access_token_expired`), a CamelCase name (`OAuthTokenCredential`) or a path does not.
pub(super) fn random_looking(s: &str) -> bool {
    let b = s.as_bytes();
    let class = |c: u8| match c {
        b'a'..=b'z' => 0,
        b'A'..=b'Z' => 1,
        _ => 2,
    };
    // `_` and `-` separate words; switches are counted between letters and digits only
    let alnum: Vec<u8> = b.iter().copied().filter(u8::is_ascii_alphanumeric).collect();
    let switches = alnum.windows(2).filter(|w| class(w[0]) != class(w[1])).count();
    b.len() >= 8
        && b.iter().any(u8::is_ascii_digit)
        && b.iter().any(u8::is_ascii_alphabetic)
        && switches * 10 >= b.len() * 3
        && entropy(b) >= 3.0
}

/// Words that make a nearby random run a credential.
const CONTEXT_WORDS: &[&str] =
    &["key", "secret", "token", "passw", "pwd", "auth", "credential", "gateway(", "client(", "configure("];

/// Characters of a base64 or base64url run (`=` only as padding at its end).
fn b64_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'_' | b'-')
}

/// Long random runs in a credential context (a credential word in the 48 characters in
/// front or the 24 after, on the same line), and base64 anywhere that decodes to `id:secret`. Object ids
/// with a lower-case prefix (`ch_…`, `req_…`) and UUIDs are identifiers, not secrets.
pub(super) fn find_random(s: &str, spans: &mut Vec<Span>) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b64_char(b[i]) || (i > 0 && b64_char(b[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b64_char(b[i]) {
            i += 1;
        }
        while i < b.len() && b[i] == b'=' && i - start < 4096 {
            i += 1;
        }
        let tok = &s[start..i];
        if tok.len() < 16 || object_id(tok) || uuid(tok) || tok.matches('/').count() > 1 {
            continue;
        }
        if decodes_to_pair(tok) {
            spans.push(Span { start, end: i, how: How::Secret });
            continue;
        }
        if tok.len() < 20 || !random_looking(tok) {
            continue;
        }
        let mut from = start.saturating_sub(48);
        while !s.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (i + 24).min(s.len());
        while !s.is_char_boundary(to) {
            to -= 1;
        }
        let window = format!("{} {}", &s[from..start], &s[i..to]).to_ascii_lowercase();
        if CONTEXT_WORDS.iter().any(|w| window.contains(w)) && !window.contains("idempotency") {
            spans.push(Span { start, end: i, how: How::Secret });
        }
    }
}

/// `ch_3Mtw…`, `req_abc…`, `cs_test_…`: a lower-case word and `_`, then the id.
fn object_id(tok: &str) -> bool {
    let head: Vec<&str> = tok.splitn(3, '_').collect();
    head.len() >= 2 && (2..=12).contains(&head[0].len()) && head[0].bytes().all(|c| c.is_ascii_lowercase())
}

fn uuid(tok: &str) -> bool {
    let parts: Vec<usize> = tok.split('-').map(str::len).collect();
    parts == [8, 4, 4, 4, 12] && tok.bytes().all(|c| c.is_ascii_hexdigit() || c == b'-')
}

/// Base64 (standard or url-safe) of printable `id:secret`, as in a Basic auth header.
fn decodes_to_pair(tok: &str) -> bool {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let bytes = STANDARD.decode(tok).or_else(|_| URL_SAFE_NO_PAD.decode(tok.trim_end_matches('=')));
    let Ok(bytes) = bytes else { return false };
    let Some(colon) = bytes.iter().position(|&c| c == b':') else { return false };
    let (id, secret) = (&bytes[..colon], &bytes[colon + 1..]);
    !id.is_empty()
        && !secret.is_empty()
        && id.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'@' | b'+' | b'$'))
        && secret.iter().all(|&c| c.is_ascii_graphic() && !matches!(c, b'"' | b'{' | b'}'))
}
