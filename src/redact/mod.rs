//! Redaction: the one policy for every byte paydoctor prints. Input text is masked when it
//! is read into a report ([`Redactor::line`]), and everything written to stdout and stderr
//! passes through it again as it leaves ([`Redactor::text`], used by `output`).
//!
//! Detection does not depend on knowing a credential's shape: values of secret-named
//! fields in any syntax (`context`), known and common credential shapes, auth schemes,
//! userinfo, base64 `id:secret` and random runs near a credential word (`tokens`), and
//! card numbers and IBANs by their check digits (`cards`). What is kept: the prefix of a
//! known credential shape (it tells the environment), the last 4 of a long secret or a
//! card, and nothing else. Terminal control characters from outside are neutralised.

mod cards;
mod context;
mod tokens;

use crate::knowledge::Knowledge;
use std::borrow::Cow;
use std::sync::OnceLock;
use tokens::Shape;

const MASK: &str = "[REDACTED]";

/// A stretch of text to mask, and what it is.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: usize,
    end: usize,
    how: How,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum How {
    Secret,
    /// A card number: its last 4 digits.
    Card([u8; 4]),
    /// An IBAN: its country and last 4.
    Iban([u8; 2], [u8; 4]),
}

/// Text a mask produced: masking it again must leave it as it is.
fn already_masked(v: &str) -> bool {
    v.contains('…')
        || v.contains(MASK)
        || v.contains("[card ")
        || (!v.is_empty() && v.bytes().all(|c| c == b'*' || c == b'x' || c == b'X'))
}

/// Masks secrets, knowing the credential prefixes of one knowledge base.
pub struct Redactor {
    shapes: Vec<Shape>,
    prefixes: aho_corasick::AhoCorasick,
}

/// Carried from one printed line to the next: a `var_dump` value on the following line,
/// the body of a PEM private key.
#[derive(Default)]
pub struct State {
    pending: bool,
    in_pem: bool,
}

/// The redactor for the embedded knowledge, built once.
pub fn policy() -> &'static Redactor {
    static RED: OnceLock<Redactor> = OnceLock::new();
    RED.get_or_init(|| Redactor::new(&crate::knowledge::EMBEDDED))
}

/// Mask one credential with the embedded knowledge's prefixes: see [`Redactor::mask`].
pub fn mask_secret(token: &str) -> String {
    policy().mask(token)
}

impl Redactor {
    pub fn new(kb: &Knowledge) -> Redactor {
        let mut shapes: Vec<Shape> = Vec::new();
        for p in kb.prefixes {
            if let Some(s) = shapes.iter_mut().find(|s| s.prefix == p.prefix) {
                // Two kinds share a prefix (`TEST-` token and public key): either pattern.
                if s.pattern != p.pattern {
                    s.pattern = "";
                }
            } else {
                shapes.push(Shape { prefix: p.prefix.to_string(), pattern: p.pattern });
            }
        }
        let prefixes = aho_corasick::AhoCorasick::new(shapes.iter().map(|s| s.prefix.as_str()))
            .expect("credential prefixes build an automaton");
        Redactor { shapes, prefixes }
    }

    /// One credential masked: the longest known prefix it starts with stays (`sk_live_`
    /// says the environment), and the last 4 characters when 16 or more follow it.
    pub fn mask(&self, token: &str) -> String {
        if already_masked(token) {
            return token.to_string();
        }
        let keep = self
            .shapes
            .iter()
            .filter(|s| token.starts_with(s.prefix.as_str()) && token.len() >= s.prefix.len() + 6)
            .map(|s| s.prefix.len())
            .max()
            .unwrap_or(0);
        let rest = &token[keep..];
        let tail = rest.char_indices().rev().nth(3).map(|(i, _)| &rest[i..]);
        match tail {
            Some(t) if rest.chars().count() >= 16 && t.bytes().all(|c| c.is_ascii_alphanumeric()) => {
                format!("{}…{t}", &token[..keep])
            }
            _ if keep > 0 => format!("{}…", &token[..keep]),
            _ => MASK.to_string(),
        }
    }

    /// Every secret in one line of text, merged where they overlap.
    fn spans(&self, s: &str, state: &mut State) -> Vec<Span> {
        let mut spans = Vec::new();
        if s.is_empty() {
            return spans;
        }
        if state.in_pem {
            let end = s.find("-----END").unwrap_or(s.len());
            state.in_pem = end == s.len();
            if end > 0 {
                spans.push(Span { start: 0, end, how: How::Secret });
            }
        }
        if let Some(begin) = s.find("PRIVATE KEY-----") {
            state.in_pem = s.contains("-----BEGIN") && !s[begin..].contains("-----END");
        }
        context::find(s, &mut spans, &mut state.pending);
        tokens::find_shapes(s, &self.shapes, &self.prefixes, &mut spans);
        tokens::find_generic(s, &mut spans);
        tokens::find_random(s, &mut spans);
        cards::find_pans(s, &mut spans);
        cards::find_ibans(s, &mut spans);
        spans.sort_by_key(|sp| (sp.start, std::cmp::Reverse(sp.end)));
        let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
        for sp in spans {
            match merged.last_mut() {
                Some(last) if sp.start < last.end => {
                    if sp.end > last.end {
                        last.end = sp.end;
                        last.how = How::Secret;
                    }
                }
                _ => merged.push(sp),
            }
        }
        merged
    }

    /// The stretches of one line of input that [`Redactor::line`] masks, for measuring
    /// what redaction hides (offsets into the sanitised line).
    pub fn masked(&self, s: &str) -> Vec<std::ops::Range<usize>> {
        self.spans(s, &mut State::default()).into_iter().map(|sp| sp.start..sp.end).collect()
    }

    fn replacement(&self, text: &str, how: How) -> String {
        match how {
            How::Secret => self.mask(text),
            How::Card(l) => format!("[card …{}]", String::from_utf8_lossy(&l)),
            How::Iban(c, l) => format!("{}…{}", String::from_utf8_lossy(&c), String::from_utf8_lossy(&l)),
        }
    }

    /// A printable, secret-free version of text read from outside (one record or line):
    /// control characters neutralised, then masked.
    pub fn line<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let clean = sanitize(s);
        let spans = self.spans(&clean, &mut State::default());
        if spans.is_empty() {
            return clean;
        }
        let mut out = String::with_capacity(clean.len());
        let mut last = 0;
        for sp in spans {
            out.push_str(&clean[last..sp.start]);
            out.push_str(&self.replacement(&clean[sp.start..sp.end], sp.how));
            last = sp.end;
        }
        out.push_str(&clean[last..]);
        Cow::Owned(out)
    }

    /// One line about to be printed (without its newline): masked, with paydoctor's own
    /// color sequences (SGR) kept in place and every other control character dropped.
    pub fn text(&self, line: &str, state: &mut State) -> String {
        let (plain, marks) = split_sgr(line);
        let spans = self.spans(&plain, state);
        let mut out = String::with_capacity(line.len());
        let mut marks = marks.into_iter().peekable();
        let mut emit_marks_before = |out: &mut String, pos: usize, inclusive: bool| {
            while let Some((at, _)) = marks.peek() {
                if *at < pos || (inclusive && *at == pos) {
                    out.push_str(&marks.next().map(|m| m.1).unwrap_or_default());
                } else {
                    break;
                }
            }
        };
        let mut last = 0;
        for sp in spans {
            for (i, c) in plain[last..sp.start].char_indices() {
                emit_marks_before(&mut out, last + i, true);
                out.push(c);
            }
            emit_marks_before(&mut out, sp.start, true);
            out.push_str(&self.replacement(&plain[sp.start..sp.end], sp.how));
            emit_marks_before(&mut out, sp.end, false);
            last = sp.end;
        }
        for (i, c) in plain[last..].char_indices() {
            emit_marks_before(&mut out, last + i, true);
            out.push(c);
        }
        emit_marks_before(&mut out, usize::MAX, true);
        out
    }
}

/// Split a line into its text without escape sequences, and the SGR (color) sequences
/// with the text offset each stood at. Other escape sequences and control characters
/// (but tab) are dropped, as [`sanitize`] drops them.
fn split_sgr(line: &str) -> (String, Vec<(usize, String)>) {
    if !line.contains(is_unsafe) {
        return (line.to_string(), Vec::new());
    }
    let mut plain = String::with_capacity(line.len());
    let mut marks = Vec::new();
    let mut rest = line;
    while let Some(p) = rest.find(is_unsafe) {
        plain.push_str(&rest[..p]);
        let after = &rest[p..];
        let sgr = after.strip_prefix("\u{1b}[").and_then(|r| {
            let len = r.bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count();
            (r.as_bytes().get(len) == Some(&b'm')).then_some(len + 3)
        });
        match sgr {
            Some(len) => {
                marks.push((plain.len(), after[..len].to_string()));
                rest = &after[len..];
            }
            None => rest = &after[escape_len(after)..],
        }
    }
    plain.push_str(rest);
    (plain, marks)
}

/// Characters that could drive a terminal or hide text: C0 but tab, DEL, C1, bidi
/// overrides and zero-width marks.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}')
}

/// How many bytes an unsafe character and the escape sequence it opens take: CSI
/// (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC \`), any other `ESC x`, or one character.
fn escape_len(s: &str) -> usize {
    let b = s.as_bytes();
    if b[0] != 0x1b {
        return s.chars().next().map_or(1, char::len_utf8);
    }
    match b.get(1) {
        Some(b'[') => b[2..].iter().position(|c| (0x40..=0x7e).contains(c)).map_or(b.len(), |p| p + 3),
        Some(b']') => {
            let mut i = 2;
            while i < b.len() && b[i] != 0x07 && !(b[i] == 0x1b && b.get(i + 1) == Some(&b'\\')) {
                i += 1;
            }
            (i + if b.get(i) == Some(&0x1b) { 2 } else { 1 }).min(b.len())
        }
        Some(_) => 1 + s[1..].chars().next().map_or(0, char::len_utf8),
        None => 1,
    }
}

/// Strip escape sequences and control characters (C0 but tab, DEL, C1, bidi overrides)
/// so echoed input cannot drive the terminal; a line break becomes a space.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.contains(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find(is_unsafe) {
        out.push_str(&rest[..p]);
        let after = &rest[p..];
        if after.starts_with(['\n', '\r']) {
            out.push(' ');
        }
        rest = &after[escape_len(after)..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_keep_environment_prefix_and_last_four() {
        assert_eq!(mask_secret("sk_live_4eC39HqLyjWDarjtT1zdp7dc"), "sk_live_…p7dc");
        assert_eq!(mask_secret("APP_USR-1234567890123456-010203-abcdef"), "APP_USR-…cdef");
        assert_eq!(mask_secret("short"), "[REDACTED]");
        assert_eq!(mask_secret("ELtYxQ-QXovBZ_4eC39HqLyjWDarjtT1"), "…jtT1");
    }

    #[test]
    fn pans_are_masked_only_when_luhn_valid() {
        assert_eq!(policy().line("card 4242 4242 4242 4242 ok"), "card [card …4242] ok");
        assert_eq!(policy().line("order 4242424242424241"), "order 4242424242424241");
    }

    #[test]
    fn colors_stay_and_secrets_go() {
        let line = "\u{1b}[1mkey\u{1b}[0m: sk_live_4eC39HqLyjWDarjtT1zdp7dc \u{1b}]0;title\u{7}done";
        assert_eq!(policy().text(line, &mut State::default()), "\u{1b}[1mkey\u{1b}[0m: sk_live_…p7dc done");
    }

    /// xorshift: deterministic, so a failing case reproduces.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[(self.next() % xs.len() as u64) as usize]
        }
        fn alnum(&mut self, n: usize) -> String {
            const A: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
            (0..n).map(|_| A[(self.next() % A.len() as u64) as usize] as char).collect()
        }
        fn digits(&mut self, n: usize) -> String {
            (0..n).map(|_| (b'0' + (self.next() % 10) as u8) as char).collect()
        }
    }

    /// A Luhn-valid card number of `len` digits.
    fn pan(rng: &mut Rng, len: usize) -> String {
        let mut d: Vec<u8> = rng.digits(len - 1).bytes().map(|b| b - b'0').collect();
        d[0] = 4;
        for check in 0..10 {
            let mut v = d.clone();
            v.push(check);
            if cards::luhn_ok(&v.iter().map(|x| x + b'0').collect::<Vec<_>>()) {
                return v.iter().map(|x| (x + b'0') as char).collect();
            }
        }
        unreachable!()
    }

    #[test]
    fn no_secret_survives_in_thousands_of_generated_lines() {
        let red = Redactor::new(&crate::knowledge::EMBEDDED);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let prefixes = ["sk_live_", "sk_test_", "rk_live_", "rk_test_", "sk_sbox_", "whsec_", "rzp_live_", "rzp_test_"];
        let mut counts = std::collections::BTreeMap::new();
        for i in 0..6000 {
            let len = 24 + (rng.next() % 16) as usize;
            let core = rng.alnum(len);
            let (line, secret): (String, String) = match i % 12 {
                0 => {
                    let key = format!("{}{core}", rng.pick(&prefixes));
                    (format!("stripe.api_key = '{key}' failed with 401"), key)
                }
                1 => (format!("Authorization: Bearer {core}"), core.clone()),
                2 => (format!("curl -H 'Authorization: Basic {core}==' https://api.example.test"), core.clone()),
                3 => (format!(r#"{{"access_token":"{core}","token_type":"Bearer","expires_in":3600}}"#), core.clone()),
                4 => (format!("grant_type=client_credentials&client_secret={core}&scope=x"), core.clone()),
                5 => (format!("[refresh_token] => {core}\n[status] => 401"), core.clone()),
                6 => {
                    let token = format!("APP_USR-{}-{}-{core}-{}", rng.digits(16), rng.digits(6), rng.digits(9));
                    (format!("MercadoPago token={token} rejected"), token)
                }
                7 => {
                    let len = 13 + (rng.next() % 7) as usize;
                    let n = pan(&mut rng, len);
                    let shown = match rng.next() % 3 {
                        0 => n.clone(),
                        1 => n
                            .as_bytes()
                            .chunks(4)
                            .map(|c| std::str::from_utf8(c).unwrap())
                            .collect::<Vec<_>>()
                            .join(" "),
                        _ => n
                            .as_bytes()
                            .chunks(4)
                            .map(|c| std::str::from_utf8(c).unwrap())
                            .collect::<Vec<_>>()
                            .join("-"),
                    };
                    (format!("card[number]={shown} amount=100"), n)
                }
                8 => {
                    let len = 3 + (rng.next() % 2) as usize;
                    let cvc = rng.digits(len);
                    (format!(r#"{{"card":{{"cvc": "{cvc}", "brand":"visa"}}}}"#), format!("\"{cvc}\""))
                }
                9 => {
                    let m = rng.digits(2);
                    (format!("exp_month={m}&exp_year=2031&currency=usd"), format!("exp_month={m}"))
                }
                10 => (format!("X-Api-Key: {core}"), core.clone()),
                _ => (format!(r#"{{"client_secret": "{core}", "client_id": "abc"}}"#), core.clone()),
            };
            let out = red.line(&line);
            // A long secret may keep its last 4 characters, nothing more of it.
            let tell = if secret.len() > 12 { &secret[..secret.len() - 4] } else { &secret[..] };
            let digits_only: String = out.chars().filter(char::is_ascii_digit).collect();
            let leaked = out.contains(tell) || (i % 12 == 7 && digits_only.contains(&secret));
            assert!(!leaked, "case {i}: secret survived\n  in:  {line}\n  out: {out}");
            *counts.entry(i % 12).or_insert(0) += 1;
        }
        assert_eq!(counts.values().sum::<i32>(), 6000);
    }

    #[test]
    fn control_characters_are_neutralised() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{1b}[0m\u{7}b"), "aredb");
    }
}
