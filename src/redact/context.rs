//! Secrets found by the name in front of them, whatever the value looks like: a field,
//! variable, header, flag or element named like a key, secret, token, password, CVV or
//! expiry, in every syntax logs carry (JSON, escaped JSON, logfmt, `k=v`, `k: v`, XML
//! elements and attributes, `print_r`/`var_dump`/Ruby inspect, query strings, headers, env
//! dumps, command-line flags).

use super::{How, Span};

/// What a name says its value is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Field {
    /// A credential: masked whatever it looks like.
    Secret,
    /// A CVV or an expiry: masked when it carries a digit; may follow its name with only a
    /// space (`exp 11/31 cvc 123`).
    CardData,
}

/// Whole names (lower-cased, `-`/`_` dropped) that hold a credential.
const SECRET_NAMES: &[&str] = &["key", "pwd", "pass", "pw", "secret", "token", "auth", "apikey", "xapikey", "creds"];

/// Name endings that hold a credential (`STRIPE_SECRET_KEY`, `hmacKey`, `X-Auth-Token`).
const SECRET_ENDINGS: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "token",
    "apikey",
    "accesskey",
    "privatekey",
    "secretkey",
    "signingkey",
    "signaturekey",
    "hmackey",
    "transactionkey",
    "merchantkey",
    "authkey",
    "encryptionkey",
    "webhookkey",
    "credential",
    "credentials",
    "authorization",
];

/// Name endings that hold a CVV or an expiry (`card[cvc]`, `expiration_month`).
const CARD_ENDINGS: &[&str] = &[
    "cvv",
    "cvv2",
    "cvc",
    "cvc2",
    "cvn",
    "cvd",
    "csc",
    "securitycode",
    "cardcode",
    "verificationvalue",
    "verificationcode",
    "exp",
    "expiry",
    "expmonth",
    "expyear",
    "expdate",
    "expirymonth",
    "expiryyear",
    "expirydate",
    "expiration",
    "expirationmonth",
    "expirationyear",
    "expirationdate",
];

/// Names that end like a credential but name an error or a non-secret value
/// (`invalid_token` is a code, `Idempotency-Key` is safe to show, `matched_secret` is the
/// index of the secret `webhook verify` found).
const NOT_SECRET_STARTS: &[&str] =
    &["invalid", "expired", "missing", "revoked", "unknown", "bad", "idempotency", "matched"];

/// What a name holds, if anything worth masking.
pub(super) fn classify(name: &str) -> Option<Field> {
    if name.len() > 64 {
        return None;
    }
    let mut buf = [0u8; 64];
    let mut n = 0;
    for c in name.bytes().filter(u8::is_ascii_alphanumeric) {
        buf[n] = c.to_ascii_lowercase();
        n += 1;
    }
    let norm = std::str::from_utf8(&buf[..n]).unwrap_or("");
    if NOT_SECRET_STARTS.iter().any(|p| norm.starts_with(p)) {
        return None;
    }
    if SECRET_NAMES.contains(&norm) || SECRET_ENDINGS.iter().any(|e| norm.ends_with(e)) {
        Some(Field::Secret)
    } else if CARD_ENDINGS.iter().any(|e| norm.ends_with(e)) {
        Some(Field::CardData)
    } else {
        None
    }
}

fn name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// Auth schemes that may open a credential value (`Authorization: Bearer …`).
const SCHEMES: &[&str] = &["bearer ", "basic ", "token ", "digest ", "apikey "];

/// Mask the value of every secret-named field in `s`. `pending` carries a `var_dump`
/// field whose value is on the next line (`["password"]=>` then `string(8) "…"`).
pub(super) fn find(s: &str, spans: &mut Vec<Span>, pending: &mut bool) {
    let b = s.as_bytes();
    if std::mem::take(pending) {
        let at = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
        if let Some((vs, ve)) = value(b, at, false) {
            spans.push(Span { start: vs, end: ve, how: How::Secret });
        }
    }
    let mut i = 0;
    while i < b.len() {
        if !name_char(b[i]) || (i > 0 && name_char(b[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && name_char(b[i]) {
            i += 1;
        }
        let Some(field) = classify(&s[start..i]) else { continue };
        if start > 0 && b[start - 1] == b'/' {
            continue; // a URL path segment (`/oauth/token`), not a field
        }
        let in_tag = start > 0 && (b[start - 1] == b'<' || (b[start - 1] == b':' && tag_prefix(b, start - 1)));
        let flag = start >= 2 && &b[start - 2..start] == b"--";
        let Some(after) = separator(b, i, in_tag, flag || field == Field::CardData) else { continue };
        if after >= b.len() || b[after..].iter().all(u8::is_ascii_whitespace) {
            *pending = b[i..].windows(2).any(|w| w == b"=>");
            continue;
        }
        let Some((vs, ve)) = value(b, after, in_tag) else { continue };
        let v = &s[vs..ve];
        if field == Field::CardData && !v.bytes().any(|c| c.is_ascii_digit()) {
            continue;
        }
        if prose(b, start, vs, v) {
            continue;
        }
        if !placeholder(v) {
            spans.push(Span { start: vs, end: ve, how: How::Secret });
        }
        i = ve.max(i);
    }
}

/// `the API key: a webhook secret`, `Credentials: The two…`, `credentials: sandbox.host.com`:
/// a sentence, not a field. The name follows a space and the value, unquoted, is one word
/// of letters (capitalised at most) or a host name.
fn prose(b: &[u8], name_start: usize, value_start: usize, v: &str) -> bool {
    let in_sentence = name_start >= 1 && b[name_start - 1] == b' ';
    let unquoted = value_start > 0 && b[value_start - 1] == b' ';
    let word = !v.is_empty()
        && v.bytes().skip(1).all(|c| c.is_ascii_lowercase())
        && v.bytes().all(|c| c.is_ascii_alphabetic());
    let host = v.contains('.')
        && v.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-')
        && v.rsplit('.')
            .next()
            .is_some_and(|tld| (2..=6).contains(&tld.len()) && tld.bytes().all(|c| c.is_ascii_lowercase()));
    in_sentence && unquoted && (word || host)
}

/// `<ns:` before a name: the name is an XML element with a namespace prefix.
fn tag_prefix(b: &[u8], colon: usize) -> bool {
    let mut j = colon;
    while j > 0 && name_char(b[j - 1]) {
        j -= 1;
    }
    j > 0 && b[j - 1] == b'<'
}

/// Where the value starts after a name ending at `i`: past closing quotes or brackets,
/// `print_r` visibility, and a separator (`=`, `:`, `=>`, `->`, `:=`, `>` of an XML tag,
/// or only spaces when `loose`). `None` when no value follows.
fn separator(b: &[u8], mut i: usize, in_tag: bool, loose: bool) -> Option<usize> {
    if in_tag {
        // `<password>…`, `<password xsi:type="…">…`
        while i < b.len() && b[i] != b'>' && b[i] != b'<' && b[i] != b'\n' {
            i += 1;
        }
        return (i < b.len() && b[i] == b'>').then_some(i + 1);
    }
    let mut closers = 0;
    while i < b.len() && matches!(b[i], b'"' | b'\'' | b']' | b'\\' | b')') && closers < 3 {
        i += 1;
        closers += 1;
    }
    // `[password:protected]`, `[secret:Vendor\Client:private]`
    for vis in [&b":protected"[..], b":private", b":public"] {
        if b[i..].starts_with(vis) {
            i += vis.len();
            while i < b.len() && b[i] == b']' {
                i += 1;
            }
        }
    }
    if i < b.len() && b[i] == b':' && b[i..].len() > 1 && b[i + 1] != b' ' && b[i + 1] != b'"' {
        // `[secret:Vendor\Client:private]`: a class name, then visibility
        if let Some(close) = b[i..].iter().take(80).position(|&c| c == b']') {
            if b[i..i + close].ends_with(b":private") || b[i..i + close].ends_with(b":protected") {
                i += close + 1;
            }
        }
    }
    let spaced = i;
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    let rest = &b[i..];
    let sep = if rest.starts_with(b"=>") || rest.starts_with(b"->") || rest.starts_with(b":=") {
        2
    } else if rest.starts_with(b"%3D") || rest.starts_with(b"%3d") {
        3
    } else if rest.starts_with(b"::") {
        return None; // `ClientToken::generate`: a scope, not a value
    } else if rest.starts_with(b"=") || rest.starts_with(b":") {
        1
    } else if loose && i > spaced && i < b.len() {
        0
    } else {
        return None;
    };
    i += sep;
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    Some(i)
}

/// The extent of the value starting at `i`: a quoted string to its closing quote, a
/// `var_dump` string, an XML element's text, or a bare word up to white space or
/// punctuation that ends fields. An auth scheme word in front stays readable.
fn value(b: &[u8], mut i: usize, in_tag: bool) -> Option<(usize, usize)> {
    if b[i..].starts_with(b"string(") {
        // var_dump: `string(8) "hunter22"`
        let close = b[i..].iter().position(|&c| c == b')')?;
        i += close + 1;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
    }
    // `Authorization: Bearer abc`: the scheme word stays readable
    let lower: Vec<u8> = b[i..b.len().min(i + 8)].to_ascii_lowercase();
    if let Some(scheme) = SCHEMES.iter().find(|s| lower.starts_with(s.as_bytes())) {
        i += scheme.len();
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
    }
    let bare = !in_tag && quoted(b, i).is_none();
    let (vs, ve) = if in_tag {
        // `<password>…</password>`: the text up to a closing tag (`<token>` in prose has none)
        let end = b[i..].iter().position(|&c| c == b'<' || c == b'"').map(|p| i + p)?;
        if !b[end..].starts_with(b"</") {
            return None;
        }
        (i, end)
    } else if let Some((vs, ve)) = quoted(b, i) {
        (vs, ve)
    } else {
        let i = if matches!(b.get(i), Some(b'"' | b'\'' | b'`')) { i + 1 } else { i };
        let mut j = i;
        while j < b.len() && !bare_end(b[j]) {
            j += 1;
        }
        (i, j)
    };
    let v = &b[vs..ve];
    // In bare text, code and templates are not values: `trim($apiKey)`, `{$apiKey}`, `(`
    let code = bare && (v.starts_with(b"$") || v.starts_with(b"{$") || v.starts_with(b"${") || v.contains(&b'('));
    (v.iter().any(u8::is_ascii_alphanumeric) && !code).then_some((vs, ve))
}

/// A quoted value starting at `i`, up to its closing quote: `"…"` (with escapes),
/// `'…'`, `` `…` ``, `\"…\"` (JSON inside JSON) or `&quot;…&quot;`. A value never runs past
/// a bare `"`, so a string inside printed JSON cannot swallow the structure around it;
/// `None` when the quote is not closed on the line.
fn quoted(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let (open, close): (&[u8], &[u8]) = match b.get(i)? {
        b'\\' if b[i..].starts_with(b"\\\"") => (b"\\\"", b"\\\""),
        b'&' if b[i..].starts_with(b"&quot;") => (b"&quot;", b"&quot;"),
        b'"' => (b"\"", b"\""),
        b'\'' => (b"'", b"'"),
        b'`' => (b"`", b"`"),
        _ => return None,
    };
    let vs = i + open.len();
    let mut j = vs;
    while j < b.len() {
        if b[j..].starts_with(close) {
            return Some((vs, j));
        }
        match b[j] {
            b'\\' => j += 2,
            b'"' => return None,
            _ => j += 1,
        }
    }
    None
}

/// Characters that end a bare (unquoted) value.
fn bare_end(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b',' | b';' | b'&' | b'"' | b'\'' | b'<' | b'>' | b')' | b'}' | b']' | b'\\')
}

/// Values that are not secrets: empty, null, booleans, or already masked.
fn placeholder(v: &str) -> bool {
    let t = v.trim();
    t.is_empty()
        || ["null", "nil", "none", "true", "false", "undefined"].iter().any(|p| t.eq_ignore_ascii_case(p))
        || super::already_masked(t)
        || (t.starts_with('<') && t.ends_with('>'))
        || t.starts_with("{$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in [
            "client_secret",
            "STRIPE_SECRET_KEY",
            "hmacKey",
            "X-Auth-Token",
            "key",
            "pwd",
            "transactionKey",
            "api_secret",
        ] {
            assert_eq!(classify(n), Some(Field::Secret), "{n}");
        }
        for n in ["cardCode", "exp_month", "card_verification_value", "cvc"] {
            assert_eq!(classify(n), Some(Field::CardData), "{n}");
        }
        for n in ["access_token_expired", "invalid_token", "Idempotency-Key", "token_type", "cvc_check", "code"] {
            assert_eq!(classify(n), None, "{n}");
        }
    }
}
