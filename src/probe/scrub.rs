//! What a probe prints of anything that came from the network: terminal controls neutralised,
//! every encoding of every credential it sent (and of every token it received) masked, then
//! the knowledge base's shape-based redaction.
//!
//! A secret is recognised in any of its encoded forms (raw, URL-encoded, JSON-escaped, base64
//! of `id:secret`), in any letter case, and in any fragment of [`FRAGMENT`] characters or more:
//! every window of that length of every form is kept in a set, and each window of the text is
//! looked up in it, so scrubbing costs one pass per window length however many secrets there are.

use crate::credentials::Credentials;
use crate::knowledge::Knowledge;
use crate::redact::{Redactor, mask_secret, sanitize};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};

/// Any run of this many characters of a secret's form is masked.
const FRAGMENT: usize = 8;
/// Secrets shorter than this are too short to mask without masking ordinary words.
const SHORTEST: usize = 4;
const MASK: &str = "[REDACTED]";

pub struct Scrub {
    red: Redactor,
    known: RefCell<Known>,
}

/// The secrets to mask and their windows.
#[derive(Default)]
struct Known {
    /// Each raw secret and the prefix of it that `mask_secret` shows (`sk_test_`).
    secrets: Vec<(String, String)>,
    /// Lower-cased windows of every form, by length: [`FRAGMENT`], or a whole shorter form.
    windows: BTreeMap<usize, HashSet<Vec<u8>>>,
}

impl Known {
    /// Add a form's windows, skipping those inside `shown`, the prefix printed anyway.
    fn add_form(&mut self, form: &str, shown: &str) {
        let b = form.as_bytes();
        if b.len() < SHORTEST {
            return;
        }
        let len = b.len().min(FRAGMENT);
        let skip = if form.starts_with(shown) { shown.len() } else { 0 };
        let set = self.windows.entry(len).or_default();
        for start in 0..=b.len() - len {
            if start + len > skip {
                set.insert(b[start..start + len].to_ascii_lowercase());
            }
        }
    }

    /// Add a secret in every encoding it may come back in.
    fn add_secret(&mut self, secret: &str) {
        if secret.len() < SHORTEST || self.secrets.iter().any(|(s, _)| s == secret) {
            return;
        }
        let shown = shown_prefix(secret);
        for encode in TEXT_ENCODINGS {
            self.add_form(&encode(secret), &encode(&shown));
        }
        self.secrets.push((secret.to_string(), shown));
    }

    /// `id:secret` as HTTP Basic sends it, in every base64 alphabet, padded or not.
    fn add_pair(&mut self, id: &str, secret: &str) {
        for form in base64_forms(format!("{id}:{secret}").as_bytes()) {
            self.add_form(&form, "");
        }
    }

    /// Byte ranges of `text` covered by a window of a known form, widened to whole tokens,
    /// in order and apart.
    fn covered(&self, text: &str) -> Vec<(usize, usize)> {
        let lower = text.as_bytes().to_ascii_lowercase();
        let mut hit = vec![false; lower.len()];
        for (&len, set) in &self.windows {
            for start in 0..lower.len().saturating_sub(len - 1) {
                if set.contains(&lower[start..start + len]) {
                    hit[start..start + len].fill(true);
                }
            }
        }
        let mut spans = Vec::new();
        let mut i = 0;
        while i < hit.len() {
            if !hit[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < hit.len() && hit[i] {
                i += 1;
            }
            let (start, end) = widen(text, start, i);
            match spans.last_mut() {
                Some((_, last)) if start <= *last => *last = end.max(*last),
                _ => spans.push((start, end)),
            }
        }
        spans
    }

    /// What replaces a masked token: the secret's usual mask when the token is a whole copy,
    /// its shown prefix when it starts with one, else [`MASK`].
    fn replacement(&self, token: &str) -> String {
        if let Some((s, _)) = self.secrets.iter().find(|(s, _)| s.eq_ignore_ascii_case(token)) {
            return mask_secret(s);
        }
        let prefixed = self.secrets.iter().find(|(_, p)| {
            !p.is_empty() && token.len() > p.len() && token.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
        });
        match prefixed {
            Some((_, p)) => format!("{}…", &token[..p.len()]),
            None => MASK.to_string(),
        }
    }

    fn mask(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (start, end) in self.covered(text) {
            out.push_str(&text[last..start]);
            out.push_str(&self.replacement(&text[start..end]));
            last = end;
        }
        out.push_str(&text[last..]);
        out
    }
}

/// Widen a byte range to the whole token around it (letters, digits, `_`, `-`), and to
/// character boundaries.
fn widen(text: &str, mut start: usize, mut end: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
    while start > 0 && (word(b[start - 1]) || !text.is_char_boundary(start)) {
        start -= 1;
    }
    while end < b.len() && (word(b[end]) || !text.is_char_boundary(end)) {
        end += 1;
    }
    (start, end)
}

/// The prefix `mask_secret` keeps of a secret (`sk_live_`), empty when it keeps none.
fn shown_prefix(secret: &str) -> String {
    match mask_secret(secret).split_once('…') {
        Some((p, _)) if secret.starts_with(p) => p.to_string(),
        _ => String::new(),
    }
}

/// How a secret may be echoed in text: raw, URL-encoded (`%20` or `+` for a space; hex case
/// does not matter, matching ignores case) and JSON-escaped (plain, with `\/`, every symbol as
/// `\u00xx`). Each encodes character by character, so it maps a prefix to a prefix.
const TEXT_ENCODINGS: [fn(&str) -> String; 6] = [raw, percent_20, percent_plus, json, json_slash, json_unicode];

fn raw(s: &str) -> String {
    s.to_string()
}

fn percent_20(s: &str) -> String {
    percent(s, "%20")
}

fn percent_plus(s: &str) -> String {
    percent(s, "+")
}

/// Percent-encode every byte but the unreserved ones (RFC 3986), a space as `space`.
fn percent(s: &str, space: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b' ' => out.push_str(space),
            b if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => out.push(b as char),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The inside of a JSON string holding `s`.
fn json(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    quoted[1..quoted.len() - 1].to_string()
}

fn json_slash(s: &str) -> String {
    json(s).replace('/', "\\/")
}

fn json_unicode(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_punctuation() { format!("\\u{:04x}", c as u32) } else { c.to_string() }).collect()
}

/// Standard and URL-safe base64, each with and without `=` padding.
fn base64_forms(bytes: &[u8]) -> Vec<String> {
    const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut std = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                std.push(STD[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                std.push('=');
            }
        }
    }
    let url = std.replace('+', "-").replace('/', "_");
    vec![std.trim_end_matches('=').to_string(), url.trim_end_matches('=').to_string(), std, url]
}

impl Scrub {
    /// Knows every credential in `creds`, and each `client_id` paired with each secret as
    /// HTTP Basic sends them.
    pub fn new(kb: &Knowledge, creds: &Credentials) -> Scrub {
        let mut known = Known::default();
        for c in &creds.list {
            known.add_secret(&c.value);
        }
        if let Some(id) = creds.value("client_id") {
            for kind in ["client_secret", "secret_key"] {
                if let Some(secret) = creds.value(kind) {
                    known.add_pair(id, secret);
                }
            }
        }
        Scrub { red: Redactor::new(kb), known: RefCell::new(known) }
    }

    /// Mask `secret` too from now on (a token a server issued).
    pub fn add(&self, secret: &str) {
        self.known.borrow_mut().add_secret(secret);
    }

    /// Text from the network made printable: controls neutralised, known secrets masked in
    /// every form, then credentials of any known shape masked.
    pub fn line(&self, s: &str) -> String {
        self.red.line(&self.known(s)).into_owned()
    }

    /// Controls neutralised and known secrets masked, nothing else changed: safe for any
    /// string a report prints.
    pub fn known(&self, s: &str) -> String {
        self.known.borrow().mask(&sanitize(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credential;
    use crate::knowledge::EMBEDDED;

    const ID: &str = "AclientId0001xyz";
    const SECRET: &str = "EHk3/q+Zt9 Lw8\"vR2nX_dP5";
    const KEY: &str = "sk_test_51Hc0ffeeC0ffeeC0ffee4242";

    fn scrub() -> Scrub {
        let cred = |kind, value: &str| Credential {
            kind,
            value: value.to_string(),
            source: String::new(),
            masked: mask_secret(value),
        };
        let creds = Credentials {
            list: vec![cred("secret_key", KEY), cred("client_id", ID), cred("client_secret", SECRET)],
            warnings: vec![],
        };
        Scrub::new(&EMBEDDED, &creds)
    }

    /// Every run of FRAGMENT characters of `secret` that is not inside its shown prefix.
    fn leaks(out: &str, secret: &str) -> Vec<String> {
        let skip = shown_prefix(secret).len();
        let lower = out.to_ascii_lowercase();
        (0..=secret.len() - FRAGMENT)
            .filter(|&i| i + FRAGMENT > skip)
            .map(|i| secret[i..i + FRAGMENT].to_ascii_lowercase())
            .filter(|w| lower.contains(w.as_str()))
            .collect()
    }

    #[test]
    fn base64_matches_the_standard_alphabets() {
        assert_eq!(base64_forms(b"ap_client_0001:ap_secret_0001")[2], "YXBfY2xpZW50XzAwMDE6YXBfc2VjcmV0XzAwMDE=");
        assert_eq!(base64_forms(&[0xfb, 0xff])[3], "-_8=");
        assert_eq!(base64_forms(&[0xfb, 0xff])[0], "+/8");
    }

    #[test]
    fn every_encoding_and_fragment_is_masked() {
        let s = scrub();
        let pair = format!("{ID}:{SECRET}");
        let mut echoes: Vec<String> = base64_forms(pair.as_bytes());
        for secret in [KEY, ID, SECRET] {
            echoes.extend(TEXT_ENCODINGS.map(|encode| encode(secret)));
            echoes.push(percent(secret, "%20").to_ascii_lowercase());
            echoes.push(secret.to_uppercase());
            echoes.push(secret.to_lowercase());
            echoes.push(secret[secret.len() - 14..secret.len() - 4].to_string());
            echoes.push(secret[..12].to_string());
        }
        for e in &echoes {
            let text = format!("error=\"invalid_client\" got {e}; see docs");
            let out = s.line(&text);
            for secret in [KEY, ID, SECRET] {
                assert!(leaks(&out, secret).is_empty(), "{e}\n -> {out}: {:?}", leaks(&out, secret));
            }
            for base in base64_forms(pair.as_bytes()) {
                assert!(!out.contains(&base[4..12]), "{e} -> {out}");
            }
            assert!(out.starts_with("error=\"invalid_client\" got ") && out.ends_with("; see docs"), "{out}");
        }
    }

    #[test]
    fn a_whole_copy_keeps_the_usual_mask_and_ordinary_text_is_untouched() {
        let s = scrub();
        assert_eq!(s.line(&format!("key {KEY} rejected")), "key sk_test_…4242 rejected");
        assert_eq!(s.line(&format!("key {} rejected", KEY.to_uppercase())), "key sk_test_…4242 rejected");
        assert_eq!(s.line("key sk_test_51Hc0ffee rejected"), "key sk_test_… rejected");
        for plain in ["No such customer: 'cus_123'; sk_test_ keys cannot do this", r"sk\u005ftest\u005f keys"] {
            assert_eq!(s.line(plain), plain);
        }
    }

    #[test]
    fn a_token_received_later_is_masked_and_escapes_are_gone() {
        let s = scrub();
        s.add("tok_9f8e7d6c5b4a3f21e0");
        let out = s.line("\u{1b}]8;;http://x\u{7}tok_9f8e7d6c5b4a3f21e0\u{1b}[31m red");
        assert!(!out.contains('\u{1b}') && !out.contains("9f8e7d6c5b"), "{out}");
    }
}
