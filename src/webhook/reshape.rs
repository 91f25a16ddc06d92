//! The changes frameworks make to a body before a handler sees it, undone: JSON parsed and
//! serialized again (compact, spaced, indented; keys sorted; non-ASCII or `/` escaped or
//! not), line endings, a trailing newline, a form body URL-decoded, a charset conversion.
//! Each candidate is a guess at the bytes the provider signed; a signature that matches one
//! proves the guess.

use super::Cause;

/// Bodies over this size (1 MiB) get fewer variants.
const BIG: usize = 1 << 20;

/// One guess at the signed body, and how it differs from the body received.
pub struct Variant {
    pub body: Vec<u8>,
    pub cause: Cause,
    /// Completes "the provider signed …".
    pub how: String,
}

/// Every guess for this body, simplest first, none equal to the body itself.
pub fn variants(body: &[u8]) -> Vec<Variant> {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let mut out: Vec<Variant> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let hasher = BuildHasherDefault::<DefaultHasher>::default();
    seen.insert(hasher.hash_one(body));
    let mut push = |body: Vec<u8>, cause: Cause, how: String| {
        if seen.insert(hasher.hash_one(&body)) {
            out.push(Variant { body, cause, how });
        }
    };
    // A big body gets the re-serializations only with its strings as they are: each variant
    // is a copy of it.
    let escapes: &[Escape] =
        if body.len() > BIG { &[Escape::AsIs] } else { &[Escape::AsIs, Escape::Minimal, Escape::Ascii, Escape::Php] };
    if let Some(tree) = Json::parse(body) {
        for order in [false, true] {
            for &esc in escapes {
                for style in STYLES {
                    let mut s = String::new();
                    tree.emit(&mut s, *style, esc, order, 0);
                    let mut how = format!("the same JSON {}", style.describe());
                    if order {
                        how.push_str(", keys in sorted order");
                    }
                    how.push_str(esc.describe());
                    for nl in ["", "\n"] {
                        let mut b = s.clone().into_bytes();
                        b.extend_from_slice(nl.as_bytes());
                        let how = if nl.is_empty() { how.clone() } else { format!("{how}, ending in a newline") };
                        push(b, Cause::BodyModified, format!("{how}: the body was parsed and serialized again"));
                    }
                }
            }
        }
    }
    if body.windows(2).any(|w| w == b"\r\n") {
        let lf = String::from_utf8_lossy(body).replace("\r\n", "\n").into_bytes();
        push(lf, Cause::BodyModified, "the body with \\n line endings, not \\r\\n".to_string());
    } else if body.contains(&b'\n') {
        let crlf = String::from_utf8_lossy(body).replace('\n', "\r\n").into_bytes();
        push(crlf, Cause::BodyModified, "the body with \\r\\n line endings, not \\n".to_string());
    }
    let trimmed = body.trim_ascii_end();
    if trimmed.len() < body.len() {
        push(trimmed.to_vec(), Cause::BodyModified, "the body without its trailing newline".to_string());
    }
    let mut nl = trimmed.to_vec();
    nl.push(b'\n');
    push(nl, Cause::BodyModified, "the body ending in a newline".to_string());
    if let Ok(text) = std::str::from_utf8(body) {
        if is_form(text) {
            push(
                form_encode(text).into_bytes(),
                Cause::BodyModified,
                "the form body URL-encoded: the body was URL-decoded".to_string(),
            );
        }
        if !text.is_ascii() {
            if let Some(latin1) = text.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect::<Option<Vec<u8>>>() {
                push(
                    latin1,
                    Cause::Encoding,
                    "the body in ISO-8859-1: it was converted to UTF-8 on the way".to_string(),
                );
            }
        }
    } else {
        let utf8: String = body.iter().map(|&b| char::from(b)).collect();
        push(
            utf8.into_bytes(),
            Cause::Encoding,
            "the body in UTF-8: it was converted to ISO-8859-1 on the way".to_string(),
        );
    }
    out
}

/// `a=1&b=x+y`: every pair has a `=` and nothing needs escaping as it stands.
fn is_form(text: &str) -> bool {
    let t = text.trim_end();
    !t.is_empty()
        && !t.starts_with(['{', '['])
        && t.split('&').all(|p| p.split_once('=').is_some_and(|(k, _)| !k.is_empty() && !k.contains([' ', '\n'])))
}

/// `application/x-www-form-urlencoded` decoding of one key or value.
pub fn form_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Each value of `k=v&…` encoded again as a browser or provider would.
fn form_encode(text: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|c| match c {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => (c as char).to_string(),
                b' ' => "+".to_string(),
                _ => format!("%{c:02X}"),
            })
            .collect()
    };
    text.trim_end()
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, v)) => format!("{}={}", enc(k), enc(v)),
            None => enc(p),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Clone, Copy)]
enum Style {
    Compact,
    /// Python's `json.dumps` default: `, ` and `: `.
    Spaced,
    Indent(usize),
    Tab,
}

const STYLES: &[Style] = &[Style::Compact, Style::Indent(2), Style::Spaced, Style::Indent(4), Style::Tab];

impl Style {
    fn describe(self) -> String {
        match self {
            Style::Compact => "serialized compactly".to_string(),
            Style::Spaced => "with a space after each `,` and `:`".to_string(),
            Style::Indent(n) => format!("indented by {n} spaces"),
            Style::Tab => "indented by tabs".to_string(),
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Escape {
    /// Strings exactly as received.
    AsIs,
    /// Only what JSON requires (JavaScript's `JSON.stringify`).
    Minimal,
    /// Non-ASCII as `\uXXXX` (Python's default).
    Ascii,
    /// Non-ASCII as `\uXXXX` and `/` as `\/` (PHP's default).
    Php,
}

impl Escape {
    fn describe(self) -> &'static str {
        match self {
            Escape::AsIs => "",
            Escape::Minimal => ", strings with only the escapes JSON requires",
            Escape::Ascii => ", non-ASCII escaped as \\uXXXX",
            Escape::Php => ", non-ASCII escaped as \\uXXXX and / as \\/",
        }
    }
}

/// A JSON document kept as written: object keys in order, strings and numbers as raw text.
enum Json<'a> {
    Obj(Vec<(&'a str, Json<'a>)>),
    Arr(Vec<Json<'a>>),
    /// A string, raw with its quotes.
    Str(&'a str),
    /// A number, `true`, `false` or `null`, raw.
    Lit(&'a str),
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
    depth: usize,
}

impl<'a> Json<'a> {
    fn parse(body: &'a [u8]) -> Option<Json<'a>> {
        let s = std::str::from_utf8(body).ok()?;
        let mut p = Parser { s, i: 0, depth: 0 };
        let v = p.value()?;
        p.ws();
        (p.i == s.len()).then_some(v)
    }

    fn emit(&self, out: &mut String, style: Style, esc: Escape, sorted: bool, level: usize) {
        let (comma, colon) = match style {
            Style::Compact => (",", ":"),
            _ => (",", ": "),
        };
        let newline = |out: &mut String, level: usize| match style {
            Style::Indent(n) => {
                out.push('\n');
                out.push_str(&" ".repeat(n * level));
            }
            Style::Tab => {
                out.push('\n');
                out.push_str(&"\t".repeat(level));
            }
            Style::Spaced => out.push(' '),
            Style::Compact => {}
        };
        let sep = |out: &mut String, first: bool, level: usize| {
            if !first {
                out.push_str(comma);
            }
            match style {
                Style::Spaced if first => {}
                _ => newline(out, level),
            }
        };
        match self {
            Json::Lit(t) => out.push_str(t),
            Json::Str(t) => string(out, t, esc),
            Json::Arr(items) if items.is_empty() => out.push_str("[]"),
            Json::Obj(items) if items.is_empty() => out.push_str("{}"),
            Json::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    sep(out, i == 0, level + 1);
                    v.emit(out, style, esc, sorted, level + 1);
                }
                if !matches!(style, Style::Spaced) {
                    newline(out, level);
                }
                out.push(']');
            }
            Json::Obj(items) => {
                let mut refs: Vec<&(&str, Json)> = items.iter().collect();
                if sorted {
                    refs.sort_by_key(|(k, _)| decode(k));
                }
                out.push('{');
                for (i, (k, v)) in refs.into_iter().enumerate() {
                    sep(out, i == 0, level + 1);
                    string(out, k, esc);
                    out.push_str(colon);
                    v.emit(out, style, esc, sorted, level + 1);
                }
                if !matches!(style, Style::Spaced) {
                    newline(out, level);
                }
                out.push('}');
            }
        }
    }
}

/// A raw JSON string's value.
fn decode(raw: &str) -> String {
    serde_json::from_str(raw).unwrap_or_default()
}

fn string(out: &mut String, raw: &str, esc: Escape) {
    if esc == Escape::AsIs {
        out.push_str(raw);
        return;
    }
    out.push('"');
    for c in decode(raw).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '/' if esc == Escape::Php => out.push_str("\\/"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if !c.is_ascii() && esc != Escape::Minimal => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while self.s.as_bytes().get(self.i).is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Option<Json<'a>> {
        self.ws();
        self.depth += 1;
        if self.depth > 256 {
            return None;
        }
        let b = self.s.as_bytes();
        let v = match *b.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let k = self.string()?;
                        self.ws();
                        (b.get(self.i) == Some(&b':')).then_some(())?;
                        self.i += 1;
                        items.push((k, self.value()?));
                        self.ws();
                        match b.get(self.i)? {
                            b',' => self.i += 1,
                            b'}' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Json::Obj(items)
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if b.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        items.push(self.value()?);
                        self.ws();
                        match b.get(self.i)? {
                            b',' => self.i += 1,
                            b']' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Json::Arr(items)
            }
            b'"' => Json::Str(self.string()?),
            _ => {
                let start = self.i;
                while b.get(self.i).is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.')) {
                    self.i += 1;
                }
                let lit = &self.s[start..self.i];
                serde_json::from_str::<serde_json::Value>(lit).ok()?;
                Json::Lit(lit)
            }
        };
        self.depth -= 1;
        Some(v)
    }

    /// A string token, raw with its quotes, checked to be valid JSON.
    fn string(&mut self) -> Option<&'a str> {
        let b = self.s.as_bytes();
        (b.get(self.i) == Some(&b'"')).then_some(())?;
        let start = self.i;
        self.i += 1;
        loop {
            match *b.get(self.i)? {
                b'\\' => self.i += 2,
                b'"' => break,
                _ => self.i += 1,
            }
        }
        self.i += 1;
        let raw = self.s.get(start..self.i)?;
        serde_json::from_str::<String>(raw).ok()?;
        Some(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(body: &str, want: &str) -> Option<String> {
        variants(body.as_bytes()).into_iter().find(|v| v.body == want.as_bytes()).map(|v| v.how)
    }

    #[test]
    fn reproduces_common_serializers() {
        let compact = r#"{"id":"evt_1","data":{"object":{"name":"Zoë/x","tags":[],"n":[1,2]}}}"#;
        let js2 = "{\n  \"id\": \"evt_1\",\n  \"data\": {\n    \"object\": {\n      \"name\": \"Zoë/x\",\n      \"tags\": [],\n      \"n\": [\n        1,\n        2\n      ]\n    }\n  }\n}";
        assert!(find(compact, js2).unwrap().contains("indented by 2 spaces"));
        let py = r#"{"id": "evt_1", "data": {"object": {"name": "Zo\u00eb/x", "tags": [], "n": [1, 2]}}}"#;
        assert!(find(compact, py).unwrap().contains("\\uXXXX"));
        assert!(find(py, compact).is_some());
        let sorted = r#"{"data":{"object":{"n":[1,2],"name":"Zoë/x","tags":[]}},"id":"evt_1"}"#;
        assert!(find(compact, sorted).unwrap().contains("sorted"));
    }

    #[test]
    fn forms_and_newlines() {
        assert!(find("id=tr 1&x=a/b", "id=tr+1&x=a%2Fb").is_some());
        assert!(find("{\"a\":1}\n", "{\"a\":1}").is_some());
        assert_eq!(form_decode("a%2Bb+c%"), "a+b c%");
    }
}
