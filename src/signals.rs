//! Signal extraction: turns whatever the user gave (status and code tokens, a JSON body,
//! an SDK exception, a log line, a PHP `print_r` dump) into [`Signals`] — statuses, codes,
//! message phrases, body field names, hosts, credential shapes, endpoints.
//!
//! Everything is a linear pass over the text plus binary searches in the knowledge base's
//! sorted indexes; nothing is compiled or parsed up front, so short inputs cost microseconds
//! and long ones stay linear. No JSON parser: bodies are often truncated, nested, escaped
//! inside a log line or printed by `print_r`, so keys and values are read lexically.

use crate::knowledge::schema::{norm_code, norm_field, norm_phrase};
use crate::knowledge::{Env, Knowledge, PhraseKind, lookup};
use crate::redact;
use memchr::memmem;
use std::collections::{HashMap, HashSet};

use crate::weights::{CODE_DISTINCT, CODE_IN_CLASS_FIELD, CODE_IN_FIELD, CODE_QUALIFIED, CODE_TYPED, CODE_WORD};

#[derive(Debug, Clone)]
pub struct CodeHit {
    pub entry: u32,
    /// Byte offset of the first occurrence, to prefer the error reported first.
    pub pos: usize,
    /// The code as it appeared in the input.
    pub raw: String,
    pub field: Option<String>,
    pub strength: f32,
}

#[derive(Debug, Clone)]
pub struct HostHit {
    pub host: String,
    pub provider: u16,
    /// `None` when the provider uses this host for both environments.
    pub env: Option<Env>,
}

#[derive(Debug, Clone)]
pub struct CredentialHit {
    /// Already masked: safe to print.
    pub masked: String,
    pub provider: u16,
    /// `None` when the provider uses this shape in both environments.
    pub env: Option<Env>,
    pub kind: &'static str,
    /// How many providers share this shape.
    pub shared_by: usize,
}

/// How the input names a known provider besides its markers and API hosts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Naming {
    /// Its name as a word of an identifier, path or sentence.
    Brand,
    /// A host on its domain that is not one of its API hosts.
    Domain,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub method: Option<String>,
    pub path: String,
}

#[derive(Debug, Default)]
pub struct Signals {
    /// The input was a few typed tokens (`412 invalid_token`) rather than a pasted error.
    pub terse: bool,
    pub statuses: Vec<u16>,
    pub codes: Vec<CodeHit>,
    /// Phrases (messages, markers, exception names) found, as indexes into `kb.phrases`.
    pub phrases: Vec<u32>,
    /// Field names used as keys in the input that some provider lists, with that provider.
    pub provider_fields: Vec<(u16, &'static str)>,
    pub hosts: Vec<HostHit>,
    pub credentials: Vec<CredentialHit>,
    pub endpoints: Vec<Endpoint>,
    /// A provider the user named (`checkout:401`, `afterpay 412`): only its entries count.
    pub provider_filter: Option<u16>,
    pub earlier_success: bool,
    /// Known providers named by a brand word or a host on their domain: (provider, how, why).
    pub brands: Vec<(u16, Naming, String)>,
    /// Object ids of a provider's shape (`ch_3Nq…`): (the id, the providers using its prefix).
    pub ids: Vec<(String, Vec<u16>)>,
    /// Providers without a knowledge file named in the input: (index in
    /// [`general::others`], how).
    pub others: Vec<(usize, String)>,
    /// Lower-cased, white-space-folded input, for `when` phrases.
    pub text: String,
    /// The input white-space-folded as `text` is, in its own case: phrases found in `text`
    /// are shown as the input wrote them.
    pub written: String,
    /// Every word of the input, lower-cased: whole runs of letters and digits and their
    /// camel-case pieces (`WorldpayException` gives `worldpayexception`, `worldpay`,
    /// `exception`). A phrase whose first word is not here is not in the input.
    pub words: HashSet<String>,
}

/// Generic HTTP facts (not provider facts): keys that carry a status, and reason phrases.
const STATUS_KEYS: &[&str] = &[
    "status",
    "status_code",
    "statuscode",
    "http_status",
    "httpstatus",
    "http_status_code",
    "httpstatuscode",
    "http_code",
    "httpcode",
    "response_code",
    "responsecode",
    "response_status",
    "statuscode",
];
const GENERIC_CODE_KEYS: &[&str] = &["code", "error_code", "errorcode", "error"];
const STATUS_LEADS: &[&str] = &[
    "http/1.1 ",
    "http/1.0 ",
    "http/2 ",
    "http/2.0 ",
    "http ",
    "status ",
    "status: ",
    "status code ",
    "status code: ",
    "status code (",
    "response code (",
    "response code ",
    "response code: ",
    "error #",
    "error ",
    "code ",
    "code: ",
];
/// HTTP reason phrases with their status (0: a phrase servers use without one fixed status).
pub const REASONS: &[(&str, u16)] = &[
    ("ok", 200),
    ("created", 201),
    ("bad request", 400),
    ("unauthorized", 401),
    ("authorization required", 401),
    ("payment required", 402),
    ("forbidden", 403),
    ("not found", 404),
    ("method not allowed", 405),
    ("not acceptable", 406),
    ("request timeout", 408),
    ("conflict", 409),
    ("gone", 410),
    ("precondition failed", 412),
    ("payload too large", 413),
    ("unsupported media type", 415),
    ("unprocessable entity", 422),
    ("unprocessable content", 422),
    ("validation exception", 422),
    ("locked", 423),
    ("too many requests", 429),
    ("internal server error", 500),
    ("server error", 500),
    ("not implemented", 501),
    ("bad gateway", 502),
    ("service unavailable", 503),
    ("gateway timeout", 504),
    ("unknown error", 0),
];
pub const SUCCESS_WORDS: &[&str] = &["approved", "succeeded", "captured", "authorised", "authorized", "paid"];
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

/// `phrase` (words joined by spaces) spelled as the code `code` (joined by `_`).
fn same_words(phrase: &str, code: &str) -> bool {
    phrase.len() == code.len() && phrase.bytes().zip(code.bytes()).all(|(p, c)| p == c || p == b' ' && c == b'_')
}

/// Is this (normalised) phrase just an HTTP reason phrase (`too many requests`)?
pub fn is_reason_phrase(phrase: &str) -> bool {
    let p = phrase.trim_end_matches(['.', '!']);
    REASONS.iter().any(|(r, _)| *r == p)
}

fn is_code_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Runs of `[A-Za-z0-9_-]` with their byte offsets.
fn code_tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !is_code_char(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && is_code_char(b[i]) {
            i += 1;
        }
        Some((start, &text[start..i]))
    })
}

/// A typed token that only an error code would look like: `invalid_token`, `E00007`,
/// `CARD_DECLINED`. Plain words (`declined`, `fraud`) count, but weakly.
pub fn distinctive(raw: &str) -> bool {
    let letters = raw.bytes().any(|b| b.is_ascii_alphabetic());
    let digits = raw.bytes().any(|b| b.is_ascii_digit());
    let camel =
        raw.len() >= 8 && raw.as_bytes()[0].is_ascii_uppercase() && raw.bytes().skip(1).any(|b| b.is_ascii_uppercase());
    let shouting = raw.len() >= 6 && raw.bytes().all(|b| b.is_ascii_uppercase());
    letters && (raw.contains('_') || digits || camel || shouting)
}

/// One `key <sep> value(s)` pair read from JSON, `print_r`, Ruby hashes, `key=value` logs.
#[derive(Debug)]
struct KeyValue<'a> {
    key: String,
    /// The word before the key (`Response code: 401` gives `response`).
    prev: Option<String>,
    values: Vec<&'a str>,
}

fn key_values(text: &str) -> Vec<KeyValue<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c != b':' && c != b'=' {
            i += 1;
            continue;
        }
        let sep_start = i;
        let mut v = i + 1;
        if c == b'=' {
            if b.get(i + 1) == Some(&b'>') {
                v = i + 2;
            } else if b.get(i + 1) == Some(&b'=') || (i > 0 && matches!(b[i - 1], b'=' | b'!' | b'<' | b'>')) {
                i += 2;
                continue;
            }
        } else if b.get(i + 1) == Some(&b':') || (i > 0 && b[i - 1] == b':') || text[i + 1..].starts_with("//") {
            i += 2;
            continue;
        }
        i = v;
        // `code:Square\Models` or `Braintree:Foo`: an unquoted key glued to a word is a
        // namespace or a label, not a key/value pair (JSON quotes its keys, logs add a space).
        if c == b':'
            && b.get(v).is_some_and(u8::is_ascii_alphanumeric)
            && sep_start > 0
            && b[sep_start - 1] != b'"'
            && b[sep_start - 1] != b'\''
        {
            continue;
        }
        let Some((key, key_start)) = read_key(b, sep_start) else {
            continue;
        };
        let prev = prev_word(b, key_start);
        // Keys are kept even without scalar values (`"cause": [{...}]`): the name alone
        // is a fingerprint.
        let values = read_values(text, v);
        out.push(KeyValue { key, prev, values });
    }
    out
}

fn read_key(b: &[u8], sep: usize) -> Option<(String, usize)> {
    let mut j = sep;
    while j > 0 && b[j - 1] == b' ' {
        j -= 1;
    }
    if j == 0 {
        return None;
    }
    let end = j;
    let (start, raw) = match b[j - 1] {
        q @ (b'"' | b'\'') => {
            let close = j - 1;
            let mut k = close;
            while k > 0 && b[k - 1] != q && close - k < 64 {
                k -= 1;
            }
            if k == 0 || b[k - 1] != q {
                return None;
            }
            (k - 1, &b[k..close])
        }
        b']' => {
            let close = j - 1;
            let mut k = close;
            while k > 0 && b[k - 1] != b'[' && close - k < 128 {
                k -= 1;
            }
            if k == 0 || b[k - 1] != b'[' {
                return None;
            }
            let inner = &b[k..close];
            // PHP print_r of a private property: [code:Square\Models\Error:private]
            let cut = inner.iter().position(|&x| x == b':').unwrap_or(inner.len());
            (k - 1, &inner[..cut])
        }
        _ => {
            let mut k = j;
            while k > 0 && (b[k - 1].is_ascii_alphanumeric() || b[k - 1] == b'_' || b[k - 1] == b'-') && end - k < 64 {
                k -= 1;
            }
            (k, &b[k..end])
        }
    };
    let key = std::str::from_utf8(raw).ok()?;
    if key.is_empty() || !key.as_bytes()[0].is_ascii_alphabetic() && key.as_bytes()[0] != b'_' {
        return None;
    }
    Some((norm_code(key), start))
}

fn prev_word(b: &[u8], key_start: usize) -> Option<String> {
    if key_start < 2 || b[key_start - 1] != b' ' {
        return None;
    }
    let end = key_start - 1;
    let mut k = end;
    while k > 0 && b[k - 1].is_ascii_alphabetic() && end - k < 24 {
        k -= 1;
    }
    (k < end).then(|| String::from_utf8_lossy(&b[k..end]).to_ascii_lowercase())
}

fn read_values(text: &str, mut v: usize) -> Vec<&str> {
    let b = text.as_bytes();
    while v < b.len() && (b[v] == b' ' || b[v] == b'\t') {
        v += 1;
    }
    if v >= b.len() {
        return vec![];
    }
    match b[v] {
        b'[' => {
            let mut out = Vec::new();
            let mut k = v + 1;
            while k < b.len() && k - v < 2048 && b[k] != b']' {
                if b[k] == b'"' || b[k] == b'\'' {
                    if let Some(s) = quoted(text, k) {
                        k += s.len() + 2;
                        out.push(s);
                        continue;
                    }
                } else if b[k] == b'{' || b[k] == b'(' || b[k] == b'[' {
                    break;
                }
                k += 1;
            }
            out
        }
        b'"' | b'\'' => quoted(text, v).into_iter().collect(),
        _ => {
            let mut k = v;
            while k < b.len()
                && k - v < 128
                && !matches!(b[k], b',' | b'}' | b']' | b')' | b' ' | b'\t' | b'\r' | b'\n' | b';' | b'"' | b'\'')
            {
                k += 1;
            }
            if k > v && text.is_char_boundary(k) { vec![&text[v..k]] } else { vec![] }
        }
    }
}

fn quoted(text: &str, open: usize) -> Option<&str> {
    let b = text.as_bytes();
    let q = b[open];
    let mut k = open + 1;
    while k < b.len() && k - open < 512 {
        if b[k] == b'\\' {
            k += 2;
            continue;
        }
        if b[k] == q {
            return text.get(open + 1..k);
        }
        if b[k] == b'\n' {
            return None;
        }
        k += 1;
    }
    None
}

/// A code found in `field` counts by how specific the provider says that field is: its
/// `code_fields` are listed most specific first; its `class_fields` name only a class. A
/// field the provider does not use (another provider's `type`) proves little; a generic
/// `code`/`error` key counts like a distinctive token.
fn field_strength(p: &crate::knowledge::Provider, field: &str) -> f32 {
    if p.class_fields.contains(&field) {
        return CODE_IN_CLASS_FIELD;
    }
    match p.code_fields.iter().position(|f| *f == field) {
        Some(rank) => CODE_IN_FIELD + 0.4 * (p.code_fields.len() - 1 - rank) as f32,
        None if GENERIC_CODE_KEYS.contains(&field) => CODE_DISTINCT,
        None => CODE_WORD,
    }
}

fn parse_status(s: &str) -> Option<u16> {
    let n: u16 = s.trim().parse().ok()?;
    (100..=599).contains(&n).then_some(n)
}

/// Three-digit statuses in free text, accepted only in an HTTP-ish context.
fn free_text_statuses(text: &str, terse: bool, out: &mut Vec<u16>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 3 <= b.len() {
        if !(b[i].is_ascii_digit() && b[i + 1].is_ascii_digit() && b[i + 2].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let before = if i > 0 { b[i - 1] } else { b' ' };
        let after = b.get(i + 3).copied().unwrap_or(b' ');
        let at = i;
        i += 3;
        if before.is_ascii_alphanumeric() || after.is_ascii_digit() || after.is_ascii_alphabetic() {
            continue;
        }
        if matches!(before, b'.' | b'-' | b'/' | b'+')
            || matches!(after, b'.' | b'-') && b.get(at + 4).is_some_and(u8::is_ascii_digit)
        {
            continue;
        }
        // a time (13:19:04) or a ratio, not a status
        if before == b':' && at >= 3 && b[at - 2].is_ascii_digit()
            || after == b':' && b.get(at + 4).is_some_and(u8::is_ascii_digit)
        {
            continue;
        }
        let Some(n) = parse_status(&text[at..at + 3]) else {
            continue;
        };
        let lead_ok = || {
            let from = at.saturating_sub(16);
            let head = String::from_utf8_lossy(&b[from..at]).to_ascii_lowercase();
            STATUS_LEADS.iter().any(|l| head.ends_with(l)) || head.ends_with('#')
        };
        let reason_ok = || {
            let mut k = at + 3;
            while k < b.len() && matches!(b[k], b' ' | b':' | b'(' | b'"' | b'`' | b'-') && k - at < 8 {
                k += 1;
            }
            let tail = String::from_utf8_lossy(&b[k..b.len().min(k + 28)]).to_ascii_lowercase();
            REASONS
                .iter()
                .any(|(r, _)| tail.starts_with(r) && !tail.as_bytes().get(r.len()).is_some_and(u8::is_ascii_alphabetic))
        };
        if (terse || lead_ok() || reason_ok()) && !out.contains(&n) {
            out.push(n);
        }
    }
}

fn endpoints(text: &str) -> Vec<Endpoint> {
    let mut out: Vec<Endpoint> = Vec::new();
    let mut push = |method: Option<String>, path: &str| {
        let path = path.split(['?', '#']).next().unwrap_or("").trim_end_matches(['.', ',', ')', '`', '"', '\'']);
        if path.len() > 1 {
            let e = Endpoint { method, path: path.to_string() };
            if !out.contains(&e) {
                out.push(e);
            }
        }
    };
    let words: Vec<(usize, &str)> =
        text.split_ascii_whitespace().map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w)).collect();
    for (k, (_, w)) in words.iter().enumerate() {
        let w = w.trim_matches(|c: char| c == '`' || c == '"' || c == '\'');
        let method = METHODS.iter().find(|m| w.eq_ignore_ascii_case(m)).map(|m| m.to_string());
        let target = if method.is_some() { words.get(k + 1).map(|x| x.1) } else { Some(w) };
        let Some(t) = target else { continue };
        let t = t.trim_matches(|c: char| c == '`' || c == '"' || c == '\'' || c == '(');
        if let Some(rest) = t.strip_prefix("https://").or_else(|| t.strip_prefix("http://")) {
            if let Some(slash) = rest.find('/') {
                push(method, &rest[slash..]);
            }
        } else if method.is_some() && t.starts_with('/') {
            push(method, t);
        }
    }
    out
}

fn host_tokens(text: &str) -> HashSet<String> {
    let b = text.as_bytes();
    let mut out = HashSet::new();
    let mut i = 0;
    while i < b.len() {
        if !(b[i].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'-') {
            i += 1;
        }
        let tok = text[start..i].trim_end_matches(['.', '-']);
        if tok.contains('.') && tok.len() <= 253 {
            let tld = tok.rsplit('.').next().unwrap_or("");
            if tld.len() >= 2 && tld.bytes().all(|c| c.is_ascii_alphabetic()) {
                out.insert(tok.to_ascii_lowercase());
            }
        }
    }
    out
}

/// Does a pasted text look like typed tokens (`412 invalid_token`, `checkout:403`)?
pub fn looks_terse(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && !t.contains('\n')
        && !t.contains("::")
        && t.split_whitespace().count() <= 6
        && t.split_whitespace().all(|w| {
            w.len() <= 64
                && (is_path(w)
                    || w.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b':' | b'#' | b'.')))
                // `error:` or `Forbidden.` read like a log line, not a typed code
                && !w.ends_with(':')
                && !w.ends_with('.')
                && !(w.contains('.') && w.split('.').filter(|p| !p.is_empty()).count() > 2)
        })
}

/// A typed endpoint path (`/oauth/token`, `/v1/charges/{id}`): part of the question, not a code.
fn is_path(w: &str) -> bool {
    w.starts_with('/')
        && w.len() > 1
        && w.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'_' | b'-' | b'.' | b'{' | b'}'))
}

/// Typed words read as codes: each word, and every run of two to four words with a letter
/// joined (`insufficient funds` → `insufficient_funds`, `MAC 21` → `mac_21`).
fn typed_phrases<'a>(words: &'a [&'a str]) -> impl Iterator<Item = String> + 'a {
    let lettered = |w: &[&str]| w.iter().any(|w| w.bytes().any(|b| b.is_ascii_alphabetic()));
    (2..=4.min(words.len()))
        .flat_map(move |n| words.windows(n).filter(|w| lettered(w)).map(|w| w.join("_")).collect::<Vec<_>>())
}

/// Extract every signal from `text`. `provider` is a filter given with `--provider`.
pub fn extract(kb: &Knowledge, text: &str, provider: Option<u16>) -> Signals {
    let input = text;
    let terse = looks_terse(text);
    let mut sig = Signals { terse, provider_filter: provider, ..Default::default() };
    let mut scan_text = std::borrow::Cow::Borrowed(text);
    // `stripe:http_401`: an entry named by its id.
    let mut named_entries: Vec<(u32, String)> = Vec::new();

    if terse {
        // `checkout:token_invalid`, `afterpay 412`: a provider named among typed tokens
        let mut rest = Vec::new();
        for w in text.split_whitespace() {
            if let Some((head, tail)) = w.split_once(':') {
                if let Some(p) = kb.find_provider(head) {
                    sig.provider_filter.get_or_insert(p);
                    if let Some(e) = kb.find_entry(p, tail).filter(|_| !tail.is_empty()) {
                        named_entries.push((e, tail.to_string()));
                    } else if !tail.is_empty() {
                        rest.push(tail);
                    }
                    continue;
                }
            }
            // A layer's id alone (`avs`, `cvv`) is a word of the error, not a provider named.
            match kb.find_provider(w).filter(|&p| !kb.providers[p as usize].network) {
                Some(p) if parse_status(w).is_none() => {
                    sig.provider_filter.get_or_insert(p);
                }
                // `403 POST /oauth/token`: the endpoint is read below, its words are no codes
                _ if is_path(w) || METHODS.iter().any(|m| w.eq_ignore_ascii_case(m)) => {}
                _ => rest.push(w),
            }
        }
        // A typed reason phrase is the status it names (`afterpay unauthorized` → 401).
        let words: Vec<&str> = rest.iter().copied().filter(|w| !w.contains(['_', '-'])).collect();
        let typed = norm_phrase(&words.join(" "));
        for (r, n) in REASONS {
            if *n != 0 && (typed == *r || contains_phrase(&typed, r)) && !sig.statuses.contains(n) {
                sig.statuses.push(*n);
            }
        }
        for joined in typed_phrases(&rest) {
            for e in lookup(kb.codes, &norm_code(&joined)) {
                named_entries.push((e, joined.clone()));
            }
        }
        scan_text = std::borrow::Cow::Owned(rest.join(" "));
    }
    sig.text = norm_phrase(text);
    sig.written = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text: &str = &scan_text;

    // Phrases: look up each distinct word, verify the phrases anchored on it.
    let mut words: HashSet<&str> = HashSet::new();
    for w in sig.text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.len() >= 3) {
        words.insert(w);
    }
    let mut phrases: Vec<u32> = Vec::new();
    for w in &words {
        for p in lookup(kb.words, w) {
            if phrase_in(&sig.text, kb.phrases[p as usize].text) {
                phrases.push(p);
            }
        }
    }
    phrases.sort_unstable();
    phrases.dedup();
    drop_covered_messages(kb, &sig.text, &mut phrases);
    sig.phrases = phrases;
    sig.earlier_success = SUCCESS_WORDS.iter().any(|w| words.contains(w)) && !sig.text.contains("not approved");

    // Key/value pairs: statuses, codes in code fields, provider-typical field names.
    let mut seen_codes: HashMap<u32, usize> = HashMap::new();
    let mut add_code = |sig: &mut Signals, entry: u32, raw: &str, field: Option<&str>, strength: f32, pos: usize| {
        // A catch-all code counts less, except when the user typed it: then it is the question.
        let typed = terse && field.is_none();
        let strength =
            if kb.entries[entry as usize].generic && !typed { strength.min(CODE_IN_CLASS_FIELD) } else { strength };
        match seen_codes.get(&entry) {
            Some(&i) if sig.codes[i].strength >= strength => {}
            Some(&i) => {
                let pos = pos.min(sig.codes[i].pos);
                sig.codes[i] = CodeHit { entry, pos, raw: raw.to_string(), field: field.map(str::to_string), strength };
            }
            None => {
                seen_codes.insert(entry, sig.codes.len());
                sig.codes.push(CodeHit {
                    entry,
                    pos,
                    raw: raw.to_string(),
                    field: field.map(str::to_string),
                    strength,
                });
            }
        }
    };
    for (e, raw) in &named_entries {
        add_code(&mut sig, *e, raw, None, CODE_TYPED, 0);
    }
    // Values already read from a field are not counted again as free-text tokens.
    let mut consumed: HashSet<&str> = HashSet::new();
    let pairs = key_values(text);
    for kv in &pairs {
        let key = kv.key.as_str();
        let compound = kv.prev.as_deref().map(|p| format!("{p}_{key}"));
        let is_status_key = STATUS_KEYS.contains(&key) || compound.as_deref().is_some_and(|c| STATUS_KEYS.contains(&c));
        if is_status_key {
            for v in &kv.values {
                if let Some(s) = parse_status(v) {
                    if !sig.statuses.contains(&s) {
                        sig.statuses.push(s);
                    }
                }
            }
        }
        // Fingerprints: the key itself, and with the word before it (`Error ID:`).
        let squashed = [Some(norm_field(key)), compound.as_deref().map(norm_field)];
        for name in squashed.iter().flatten() {
            let start = kb.fields.partition_point(|(f, _)| *f < name.as_str());
            for &(f, p) in kb.fields[start..].iter().take_while(|(f, _)| f == name) {
                if !sig.provider_fields.contains(&(p, f)) {
                    sig.provider_fields.push((p, f));
                }
            }
        }
        let code_key = kb.is_code_field(key) || GENERIC_CODE_KEYS.contains(&key);
        if code_key && !(is_status_key && kv.values.iter().all(|v| parse_status(v).is_some())) {
            for v in &kv.values {
                let n = norm_code(v);
                if n.is_empty() || n.len() > 96 {
                    continue;
                }
                consumed.insert(*v);
                for e in lookup(kb.codes, &n) {
                    let provider = &kb.providers[kb.entries[e as usize].provider as usize];
                    add_code(&mut sig, e, v, Some(key), field_strength(provider, key), offset(text, v));
                }
                // A code qualified by its field (`transStatusReason` `05`, `merchantAdviceCode`
                // `03`): network layers spell such codes with the field's name.
                for qualified in [format!("{}_{n}", norm_field(key)), format!("{}_{n}", norm_code(key))] {
                    for e in lookup(kb.codes, &qualified) {
                        let provider = &kb.providers[kb.entries[e as usize].provider as usize];
                        let strength = field_strength(provider, key) + CODE_QUALIFIED;
                        add_code(&mut sig, e, v, Some(key), strength, offset(text, v));
                    }
                }
            }
        }
    }

    // Statuses in free text (`HTTP/1.1 412`, `API Error #412`, `(403: Forbidden)`).
    free_text_statuses(text, terse, &mut sig.statuses);

    // Code tokens anywhere.
    let mut tokens: HashMap<&str, usize> = HashMap::new();
    for (pos, t) in code_tokens(text) {
        tokens.entry(t).or_insert(pos);
    }
    for t in credential_tokens(text).collect::<HashSet<_>>() {
        credential_hits(kb, t, &mut sig.credentials);
    }
    for (t, &pos) in &tokens {
        if consumed.contains(t) {
            continue;
        }
        let n = norm_code(t);
        // Numbers in free text are amounts, ids and times, not codes (`_4` included).
        if n.is_empty() || (!terse && n.bytes().all(|b| b.is_ascii_digit() || b == b'_')) {
            continue;
        }
        // Typed codes count fully; a typed plain word (`declined`) like a distinctive token
        // in text; HTTP reason words (`Forbidden`) barely: they come with every status.
        // Typed in code form (`NOT_FOUND`, `UNAUTHORIZED`), a reason phrase is a code the user
        // asks about, not the status's wording.
        let reason_word = REASONS.iter().any(|(r, _)| same_words(r, &n)) && !(terse && distinctive(t));
        let strength = match (terse, distinctive(t), reason_word) {
            (_, _, true) => CODE_WORD,
            (true, true, false) => CODE_TYPED,
            (true, false, false) | (false, true, false) => CODE_DISTINCT,
            (false, false, false) => CODE_WORD,
        };
        let filter = sig.provider_filter;
        for e in lookup(kb.codes, &n) {
            // `--provider afterpay forbidden`: a word the named provider uses as a code is one.
            let asked = terse && filter == Some(kb.entries[e as usize].provider);
            add_code(&mut sig, e, t, None, if asked { strength.max(CODE_TYPED) } else { strength }, pos);
        }
    }

    let hosts = host_tokens(text);
    for h in hosts.iter().cloned() {
        let hits: Vec<_> = kb.host_env(&h).collect();
        for hit in &hits {
            let both = hits.iter().any(|o| o.provider == hit.provider && o.env != hit.env);
            let env = if both { None } else { Some(hit.env) };
            if !sig.hosts.iter().any(|x| x.host == h && x.provider == hit.provider) {
                sig.hosts.push(HostHit { host: h.clone(), provider: hit.provider, env });
            }
        }
    }
    // Endpoints from the whole input: typed ones were left out of the words read as codes.
    sig.endpoints = endpoints(input);
    sig.words = word_set(text);
    object_ids(kb, text, &mut sig);
    names(kb, text, &hosts, &mut sig);
    sig
}

/// The words of `text` for [`Signals::words`].
fn word_set(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for run in text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|r| !r.is_empty()) {
        out.insert(run.to_ascii_lowercase());
        let b = run.as_bytes();
        let mut start = 0;
        for i in 1..b.len() {
            if b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase() {
                out.insert(run[start..i].to_ascii_lowercase());
                start = i;
            }
        }
        if start > 0 {
            out.insert(run[start..].to_ascii_lowercase());
        }
    }
    out
}

/// Can `phrase` be in the input at all: is its first word one of the input's words?
pub fn may_contain(words: &HashSet<String>, phrase: &str) -> bool {
    let Some(first) = phrase.split(|c: char| !c.is_ascii_alphanumeric()).find(|w| !w.is_empty()) else {
        return true;
    };
    // A few typed words are compared directly: hashing hundreds of markers costs more.
    if words.len() <= 16 { words.iter().any(|w| w == first) } else { words.contains(first) }
}

/// Object ids of the providers' shapes: a known prefix followed by 10 or more letters and
/// digits (`ch_3NqLx…`, `tr_WDqYK6vllg`), the same id counted once.
fn object_ids(kb: &Knowledge, text: &str, sig: &mut Signals) {
    for tok in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
        let mut owners: Vec<u16> = Vec::new();
        for (i, p) in kb.providers.iter().enumerate() {
            let hit = p.ids.iter().any(|x| {
                tok.len() >= x.len() + 10
                    && tok.starts_with(x)
                    && tok[x.len()..].bytes().all(|b| b.is_ascii_alphanumeric())
            });
            if hit {
                owners.push(i as u16);
            }
        }
        if !owners.is_empty() && !sig.ids.iter().any(|(t, _)| t == tok) && sig.ids.len() < 8 {
            sig.ids.push((tok.to_string(), owners));
        }
    }
}

/// The brand words of a known provider: its id (unless an everyday word, `common_word`) and its
/// one-word or multi-word aliases.
fn brand_words(p: &crate::knowledge::Provider) -> impl Iterator<Item = String> + '_ {
    let id = (!p.common_word).then_some(p.id);
    id.into_iter().chain(p.aliases.iter().copied()).map(str::to_ascii_lowercase).filter(|w| {
        let plain = w.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b' '));
        plain && w.len() >= 5
    })
}

/// The registrable domain of a host (`api-m.sandbox.paypal.com` → `paypal.com`,
/// `api.mercadopago.com.br` → `mercadopago.com.br`).
fn registrable(host: &str) -> &str {
    let host = host.trim_start_matches("*.");
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let keep = if n >= 3 && labels[n - 1].len() == 2 && labels[n - 2].len() <= 3 { 3 } else { 2 };
    if n <= keep { host } else { &host[host.len() - labels[n - keep..].join(".").len()..] }
}

/// Every known provider's registrable domains, from its hosts.
fn provider_domains(kb: &Knowledge) -> Vec<(&'static str, u16)> {
    let mut out: Vec<(&'static str, u16)> = Vec::new();
    for (i, p) in kb.providers.iter().enumerate() {
        for h in p.environments.iter().flat_map(|e| e.hosts.iter()) {
            let d = (registrable(h), i as u16);
            if !out.contains(&d) {
                out.push(d);
            }
        }
    }
    out
}

/// `host` is `domain` or one of its subdomains.
fn on_domain(host: &str, domain: &str) -> bool {
    host == domain
        || host.len() > domain.len() && host.ends_with(domain) && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
}

/// `marker` (lower-case) occurs in `text` on word or camel-case boundaries: `stripe` is found
/// in `WC_Stripe_API`, `StripeClient` and `node_modules/stripe/`, not in `stripes`.
fn brand_in(text: &str, lower: &str, marker: &str) -> bool {
    let t = text.as_bytes();
    lower.match_indices(marker).map(|(at, _)| at).any(|at| {
        let end = at + marker.len();
        let left = at == 0
            || !t[at - 1].is_ascii_alphanumeric()
            || t[at - 1].is_ascii_lowercase() && t[at].is_ascii_uppercase();
        let right = end >= t.len()
            || !t[end].is_ascii_alphanumeric()
            || t[end].is_ascii_uppercase() && !t[end - 1].is_ascii_uppercase()
            || t[end].is_ascii_digit();
        left && right
    })
}

/// Providers named in the input, known ones by brand word or domain and the others
/// paydoctor has no file for by their markers and domains (which name the provider of a
/// knowledge file with the same id, when there is one).
fn names(kb: &Knowledge, text: &str, hosts: &HashSet<String>, sig: &mut Signals) {
    let lower = text.to_ascii_lowercase();
    let found = |m: &str| may_contain(&sig.words, m) && brand_in(text, &lower, m);
    for (i, p) in kb.providers.iter().enumerate() {
        let i = i as u16;
        if let Some(w) = brand_words(p).find(|w| found(w)) {
            sig.brands.push((i, Naming::Brand, format!("names {} (“{w}”)", p.name)));
        }
        if hosts.is_empty() || sig.hosts.iter().any(|h| h.provider == i) {
            continue;
        }
        let domains = crate::knowledge::derived(kb, provider_domains);
        let mine = domains.iter().filter(|(_, p)| *p == i);
        if let Some(h) = hosts.iter().find(|h| mine.clone().any(|(d, _)| on_domain(h, d))) {
            sig.brands.push((i, Naming::Domain, format!("host {h} is on {}'s domain", p.name)));
        }
    }
    for (i, o) in crate::knowledge::general::others().iter().enumerate() {
        let (naming, found) = match o.markers.iter().find(|m| found(m)) {
            Some(m) => (Naming::Brand, format!("“{m}”")),
            None => match hosts.iter().find(|h| o.domains.iter().any(|d| on_domain(h, d))) {
                Some(h) => (Naming::Domain, format!("host {h}")),
                None => continue,
            },
        };
        // A knowledge file with the entry's id takes its names over: they name that provider.
        match kb.providers.iter().position(|p| p.id == o.id) {
            Some(pi) if !sig.brands.iter().any(|(b, ..)| *b as usize == pi) => {
                let name = kb.providers[pi].name;
                let why = match naming {
                    Naming::Brand => format!("names {name} ({found})"),
                    Naming::Domain => format!("{found} is on {name}'s domain"),
                };
                sig.brands.push((pi as u16, naming, why));
            }
            Some(_) => {}
            None => {
                let why = match naming {
                    Naming::Brand => format!("names {} ({found})", o.name),
                    Naming::Domain => format!("{found} is {}'s", o.name),
                };
                sig.others.push((i, why));
            }
        }
    }
}

impl Signals {
    /// A phrase found in the lower-cased input, as the input spelled it (`Stripe\Exception\…`
    /// rather than `stripe\exception\…`); the phrase itself where the two do not line up.
    pub fn as_written<'a>(&'a self, phrase: &'a str) -> &'a str {
        if self.written.len() != self.text.len() {
            return phrase;
        }
        self.text.find(phrase).and_then(|at| self.written.get(at..at + phrase.len())).unwrap_or(phrase)
    }

    /// A body field name as the input spelled it (`decline_code` for the field `declinecode`).
    pub fn field_as_written<'a>(&'a self, field: &'a str) -> &'a str {
        let norm = |k: &str| -> String {
            k.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
        };
        self.written
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .find(|k| !k.is_empty() && norm(k) == field)
            .unwrap_or(field)
    }
}

/// Longest match wins: a provider's message found only inside a longer message of another
/// provider (`Invalid API Key` inside `Invalid API Key provided`) is part of that message, not
/// evidence of its own. Network-layer messages stay: they are meant to come with a provider's.
fn drop_covered_messages(kb: &Knowledge, text: &str, phrases: &mut Vec<u32>) {
    let message = |p: u32| {
        let ph = &kb.phrases[p as usize];
        let provider = kb.entries[ph.target as usize].provider;
        let plain = ph.kind == PhraseKind::Message && !kb.providers[provider as usize].network;
        (plain && contains_phrase(text, ph.text)).then_some((ph.text, provider))
    };
    let found: Vec<(&str, u16)> = phrases.iter().filter_map(|&p| message(p)).collect();
    phrases.retain(|&p| {
        let Some((short, provider)) = message(p) else { return true };
        let longer: Vec<&str> = found
            .iter()
            .filter(|(l, q)| *q != provider && l.len() > short.len() && contains_phrase(l, short))
            .map(|(l, _)| *l)
            .collect();
        if longer.is_empty() {
            return true;
        }
        let mut rest = text.to_string();
        for l in longer {
            rest = rest.replace(l, " ");
        }
        contains_phrase(&rest, short)
    });
}

/// `phrase` occurs in `text` as whole words.
pub fn contains_phrase(text: &str, phrase: &str) -> bool {
    let t = text.as_bytes();
    let word = |i: usize| t.get(i).is_some_and(u8::is_ascii_alphanumeric);
    // `match_indices` costs nothing to set up: these are short phrases over short inputs.
    text.match_indices(phrase).map(|(at, _)| at).any(|at| {
        let starts_word = phrase.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric);
        let ends_word = phrase.as_bytes().last().is_some_and(u8::is_ascii_alphanumeric);
        (!starts_word || at == 0 || !word(at - 1)) && (!ends_word || !word(at + phrase.len()))
    })
}

/// Byte offset of `part` (a slice of `text`) in `text`.
fn offset(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize).min(text.len())
}

/// Runs that can hold a credential: `sk_live_…`, `APP_USR-…`, `access_token$sandbox$…`, and
/// keys already masked in a log (`sk_live_****yrW3`).
fn credential_tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$' | '*'))).filter(|t| t.len() >= 10)
}

/// Does `haystack` hold the parts of `phrase` in order? The searchers are built once per
/// phrase part and thread (`scan` checks the same phrases on thousands of records).
fn phrase_in(haystack: &str, phrase: &'static str) -> bool {
    thread_local! {
        static FINDERS: std::cell::RefCell<HashMap<(usize, usize), memmem::Finder<'static>>> = Default::default();
    }
    FINDERS.with_borrow_mut(|finders| {
        let mut from = 0;
        for part in phrase.split('*').map(str::trim).filter(|p| !p.is_empty()) {
            let finder =
                finders.entry((part.as_ptr() as usize, part.len())).or_insert_with(|| memmem::Finder::new(part));
            match finder.find(&haystack.as_bytes()[from..]) {
                Some(at) => from += at + part.len(),
                None => return false,
            }
        }
        true
    })
}

/// Record the credential shapes `token` has.
fn credential_hits(kb: &Knowledge, token: &str, out: &mut Vec<CredentialHit>) {
    let Some(first) = kb.prefixes.iter().find(|p| token.starts_with(p.prefix) && token.len() >= p.prefix.len() + 8)
    else {
        return;
    };
    let same: Vec<_> = kb
        .prefixes
        .iter()
        .filter(|p| p.prefix == first.prefix)
        .filter(|p| {
            p.pattern.is_empty() || crate::knowledge::regex(p.pattern, false).is_some_and(|re| re.is_match(token))
        })
        .collect();
    let masked = redact::mask_secret(token);
    let mut providers: Vec<u16> = same.iter().map(|p| p.provider).collect();
    providers.dedup();
    for p in &same {
        let both = same.iter().any(|o| o.provider == p.provider && o.env != p.env);
        let env = if both { None } else { Some(p.env) };
        if !out.iter().any(|c| c.masked == masked && c.provider == p.provider) {
            out.push(CredentialHit {
                masked: masked.clone(),
                provider: p.provider,
                env,
                kind: p.kind,
                shared_by: providers.len(),
            });
        }
    }
}

impl Signals {
    pub fn phrases_of(
        &self,
        kb: &Knowledge,
        kind: PhraseKind,
    ) -> impl Iterator<Item = &'static crate::knowledge::Phrase> {
        let phrases = kb.phrases;
        self.phrases.iter().map(move |&p| &phrases[p as usize]).filter(move |p| p.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_values_read_json_print_r_and_logs() {
        let kv = key_values(r#"{"errorCode":"invalid_token","httpStatusCode":402, "codes": ["a", "b"]}"#);
        let keys: Vec<_> = kv.iter().map(|k| (k.key.as_str(), k.values.clone())).collect();
        assert_eq!(keys[0], ("errorcode", vec!["invalid_token"]));
        assert_eq!(keys[1], ("httpstatuscode", vec!["402"]));
        assert_eq!(keys[2], ("codes", vec!["a", "b"]));
        let kv = key_values("[code:Square\\Models\\Error:private] => INVALID_CARD_DATA\n[code] => 2060");
        assert_eq!(kv[0].key, "code");
        assert_eq!(kv[0].values, vec!["INVALID_CARD_DATA"]);
        assert_eq!(kv[1].values, vec!["2060"]);
        let kv = key_values("INFO error_code=None response_code=403 url=https://x.test/a");
        assert_eq!(kv[0].key, "error_code");
        assert_eq!(kv[1].values, vec!["403"]);
    }

    #[test]
    fn statuses_need_an_http_context_in_free_text() {
        let mut s = vec![];
        free_text_statuses("API Error #412 \"invalid_token\" at 13:19:04, amount 250 USD", false, &mut s);
        assert_eq!(s, vec![412]);
        let mut s = vec![];
        free_text_statuses("Error executing API call (422: Unprocessable Entity)", false, &mut s);
        assert_eq!(s, vec![422]);
        let mut s = vec![];
        free_text_statuses("HTTP/1.1 401 Unauthorized", false, &mut s);
        assert_eq!(s, vec![401]);
    }

    #[test]
    fn terse_inputs() {
        assert!(looks_terse("412 invalid_token"));
        assert!(looks_terse("checkout:token_invalid"));
        assert!(!looks_terse("{\"error\": 1}"));
        assert!(!looks_terse("Error executing API call (403: Forbidden): You are not allowed"));
        assert!(!looks_terse("Afterpay API error: Forbidden"));
    }
}
