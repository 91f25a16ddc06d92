//! Redaction: every string paydoctor prints that came from its input passes through here.
//!
//! Masks credentials of every shape the knowledge base knows (keeping the prefix that tells
//! the environment, plus the last 4), `Authorization: Bearer|Basic` values, secret-named
//! fields in JSON, form and `key=value` text, Luhn-valid card numbers (first 6 + last 4 at
//! most), CVC and expiry fields; and neutralises terminal control characters.

use crate::knowledge::Knowledge;
use std::borrow::Cow;

/// Field names whose values are always hidden (compared after lower-casing and dropping
/// `-`/`_`).
const SECRET_FIELDS: &[&str] = &[
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "clientsecret",
    "secret",
    "secretkey",
    "apikey",
    "xapikey",
    "password",
    "passwd",
    "privatekey",
    "transactionkey",
    "keysecret",
    "webhooksecret",
    "signingsecret",
    "authorization",
    "token",
    "cvv",
    "cvv2",
    "cvc",
    "cvc2",
    "cvn",
    "securitycode",
    "cardsecuritycode",
    "cardcvc",
    "cardcvv",
    "expmonth",
    "expyear",
    "expirymonth",
    "expiryyear",
    "expiry",
    "expiration",
    "expirationdate",
    "expdate",
    "cardexpiry",
];

const MASK: &str = "[REDACTED]";

/// Mask one credential: keep a prefix made of letter-only segments ending in `_` or `-`
/// (`sk_live_`, `APP_USR-`, `whsec_`), at most 16 characters, and the last 4 characters
/// when the secret is long enough that 4 characters give nothing away.
pub fn mask_secret(token: &str) -> String {
    let b = token.as_bytes();
    let mut keep = 0;
    let mut seg_start = 0;
    for (i, &c) in b.iter().enumerate().take(17) {
        if c == b'_' || c == b'-' {
            if i > seg_start && b[seg_start..i].iter().all(u8::is_ascii_alphabetic) {
                keep = i + 1;
                seg_start = i + 1;
            } else {
                break;
            }
        } else if !c.is_ascii_alphabetic() {
            break;
        }
    }
    if keep > 16 {
        keep = 0;
    }
    let rest = token.len() - keep;
    if rest >= 16 && token.is_char_boundary(token.len() - 4) {
        format!("{}…{}", &token[..keep], &token[token.len() - 4..])
    } else if keep > 0 {
        format!("{}…", &token[..keep])
    } else {
        MASK.to_string()
    }
}

fn luhn_ok(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// Replace Luhn-valid card numbers (13–19 digits, single spaces or dashes allowed between
/// groups) with their first 6 and last 4 digits.
fn mask_pans(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let mut out: Option<String> = None;
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_alphanumeric())) {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = Vec::with_capacity(19);
        let mut j = i;
        let mut end = i;
        while j < b.len() && digits.len() < 19 {
            if b[j].is_ascii_digit() {
                digits.push(b[j]);
                j += 1;
                end = j;
            } else if (b[j] == b' ' || b[j] == b'-') && j + 1 < b.len() && b[j + 1].is_ascii_digit() && j > start {
                j += 1;
            } else {
                break;
            }
        }
        let boundary = end >= b.len() || !b[end].is_ascii_alphanumeric();
        if (13..=19).contains(&digits.len()) && boundary && luhn_ok(&digits) {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
            o.push_str(&s[last..start]);
            o.push_str(std::str::from_utf8(&digits[..6]).unwrap_or(""));
            o.push_str(&"*".repeat(digits.len() - 10));
            o.push_str(std::str::from_utf8(&digits[digits.len() - 4..]).unwrap_or(""));
            last = end;
            i = end;
        } else {
            i = end.max(i + 1);
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&s[last..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(s),
    }
}

/// Strip ANSI escape sequences and control characters (C0 but tab, DEL, C1, bidi
/// overrides) so echoed input cannot drive the terminal.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}')
    };
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ params final-byte; OSC: ESC ] ... BEL or ESC \
            match chars.peek() {
                Some('[') => {
                    chars.next();
                    for d in chars.by_ref() {
                        if ('@'..='~').contains(&d) {
                            break;
                        }
                    }
                }
                Some(']') => {
                    chars.next();
                    while let Some(d) = chars.next() {
                        if d == '\u{7}' || (d == '\u{1b}' && chars.peek() == Some(&'\\')) {
                            break;
                        }
                    }
                }
                _ => {
                    chars.next();
                }
            }
        } else if bad(c) {
            if c == '\n' || c == '\r' {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn norm_field(k: &str) -> String {
    k.bytes().filter(|b| b.is_ascii_alphanumeric()).map(|b| b.to_ascii_lowercase() as char).collect()
}

/// A credential shape: its prefix, and the pattern a whole credential must match.
struct Shape {
    prefix: &'static str,
    pattern: &'static str,
}

impl Shape {
    fn matches(&self, tok: &str) -> bool {
        tok.starts_with(self.prefix)
            && tok.len() >= self.prefix.len() + 6
            && (self.pattern.is_empty()
                || crate::knowledge::regex(self.pattern, false).is_some_and(|re| re.is_match(tok)))
    }
}

/// Masks secrets in text, using the credential shapes the knowledge base knows.
pub struct Redactor {
    shapes: Vec<Shape>,
}

impl Redactor {
    pub fn new(kb: &Knowledge) -> Redactor {
        let mut shapes: Vec<Shape> = Vec::new();
        for p in kb.prefixes {
            if !shapes.iter().any(|s| s.prefix == p.prefix && s.pattern == p.pattern) {
                shapes.push(Shape { prefix: p.prefix, pattern: p.pattern });
            }
        }
        Redactor { shapes }
    }

    /// A printable, secret-free version of one line of input.
    pub fn line<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let s = sanitize(s);
        let s = match mask_pans(&s) {
            Cow::Borrowed(_) => s,
            Cow::Owned(o) => Cow::Owned(o),
        };
        match self.mask_tokens(&s) {
            Some(o) => Cow::Owned(o),
            None => s,
        }
    }

    /// Mask credentials by shape, after `Bearer`/`Basic`, and as values of secret fields.
    fn mask_tokens(&self, s: &str) -> Option<String> {
        let b = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let mut last = 0;
        let mut changed = false;
        let mut i = 0;
        let token_char = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'+' | b'/' | b'=');
        // What the previous tokens said: the next value is a secret.
        let mut secret_next = false;
        let mut basic_next = false;
        while i < b.len() {
            if !token_char(b[i]) {
                if !matches!(
                    b[i],
                    b' ' | b'"' | b'\'' | b':' | b'=' | b'>' | b'\t' | b'[' | b']' | b'&' | b'?' | b',' | b'{'
                ) {
                    secret_next = false;
                }
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && token_char(b[i]) {
                i += 1;
            }
            let tok = &s[start..i];
            if !tok.bytes().any(|c| c.is_ascii_alphanumeric()) {
                continue; // `=` of `=>`: punctuation between a key and its value
            }
            let lower = tok.to_ascii_lowercase();
            // An auth scheme word names what follows: `Authorization: Bearer <token>`.
            if lower == "bearer" || lower == "token" && secret_next {
                secret_next = true;
                basic_next = false;
                continue;
            }
            if lower == "basic" {
                basic_next = true;
                secret_next = false;
                continue;
            }
            let form_secret =
                tok.split_once('=').filter(|(k, v)| !v.is_empty() && SECRET_FIELDS.contains(&norm_field(k).as_str()));
            let replacement = if let Some((k, v)) = form_secret {
                // `client_secret=…` inside a form body or query string
                Some(format!("{k}={}", mask_secret(v.trim_start_matches('='))))
            } else if basic_next {
                Some(MASK.to_string())
            } else if secret_next || self.shapes.iter().any(|shape| shape.matches(tok)) {
                Some(mask_secret(tok))
            } else {
                None
            };
            basic_next = false;
            secret_next = false;
            if let Some(r) = replacement {
                out.push_str(&s[last..start]);
                out.push_str(&r);
                last = i;
                changed = true;
                continue;
            }
            // `stripe.api_key`, `config.client_secret`: the last dotted segment names the field
            let field = tok.rsplit('.').next().unwrap_or(tok);
            if SECRET_FIELDS.contains(&norm_field(field).as_str()) {
                // `"client_secret": "…"`, `access_token=…`, `[cvc] => 123`: a secret follows
                // when the next non-space characters are a separator.
                let rest = &s[i..];
                let sep = rest.trim_start_matches(['"', '\'', ']', ' ']);
                if sep.starts_with(':') || sep.starts_with('=') {
                    secret_next = true;
                }
            }
        }
        if !changed {
            return None;
        }
        out.push_str(&s[last..]);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_keep_environment_prefix_and_last_four() {
        assert_eq!(mask_secret("sk_live_4eC39HqLyjWDarjtT1zdp7dc"), "sk_live_…p7dc");
        assert_eq!(mask_secret("APP_USR-1234567890123456-010203-abcdef"), "APP_USR-…cdef");
        assert_eq!(mask_secret("short"), "[REDACTED]");
    }

    #[test]
    fn pans_are_masked_only_when_luhn_valid() {
        assert_eq!(mask_pans("card 4242 4242 4242 4242 ok"), "card 424242******4242 ok");
        assert_eq!(mask_pans("order 4242424242424241"), "order 4242424242424241");
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
            if luhn_ok(&v.iter().map(|x| x + b'0').collect::<Vec<_>>()) {
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
