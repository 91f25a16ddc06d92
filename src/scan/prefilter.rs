//! The prefilter: one automaton of literals ([`super::automaton`]), built once per run from
//! the knowledge base and run over whole parts of buffers. It finds the few lines worth a
//! full diagnosis (distinctive codes, message phrases, exception names, error-body code
//! fields, what entry patterns must contain) and the lines that only give context to the
//! cross-line patterns (provider markers and hosts, credential shapes, token endpoints,
//! success words); failure words say what such a line reports. Nothing here is a provider
//! fact: every literal comes from [`Knowledge`].

use super::automaton::Automaton;
use crate::knowledge::{Knowledge, PhraseKind};
use crate::signals;

/// Literals longer than this are cut: a prefix finds the line just as well, and keeps the
/// automaton small (4 MiB, built in a few milliseconds).
const MAX_LITERAL: usize = 12;
/// Codes are kept whole up to this length: a cut code (`payment_inte…`) would fire on
/// ordinary words (`payment_intents`).
const MAX_CODE: usize = 20;
/// A line confirms a literal cut from a longer code or phrase with this many bytes of it.
const CONFIRM: usize = 32;
/// Shorter literals would fire on ordinary text.
const MIN_LITERAL: usize = 4;
/// What an entry's pattern must contain is looked for when it is at least this long (the
/// patterns' words are ordinary ones: `error`, `invalid`, `cannot `).
const MIN_PATTERN_LITERAL: usize = 9;

/// What a literal says about the line it occurs in.
#[derive(Debug, Default, Clone)]
pub struct Meaning {
    /// A code, message or exception: the line may be an error by itself.
    pub error: bool,
    /// An error when the line also reports a failure: a field that carries codes
    /// (`errorCode`, `status_detail`; success responses carry these fields too), or what an
    /// entry's pattern must contain.
    pub with_failure: bool,
    /// Providers it names (markers, hosts, provider exceptions).
    pub providers: Vec<u16>,
    /// A host name of a provider: its environment is read from the whole host token.
    pub host: bool,
    /// The start of a credential shape.
    pub credential: bool,
    /// The path of these providers' OAuth token endpoint.
    pub token_endpoint: Vec<u16>,
    /// A generic success word (approved, captured...).
    pub success: bool,
    /// A failure word, found inside words too (`failed`, `ValidationError`). It says what a
    /// candidate line reports but picks no line by itself (such literals mean nothing else).
    pub failure: bool,
}

struct Literal {
    text: String,
    /// The literal starts/ends with a whole word: check the neighbouring bytes.
    word_start: bool,
    word_end: bool,
    meaning: Meaning,
    /// A code or phrase cut to this literal makes its line an error only when the line goes
    /// on with one of these (lower-case, whole); empty when the literal is whole for one.
    confirm: Vec<Box<[u8]>>,
}

pub struct Prefilter {
    automaton: Automaton,
    literals: Vec<Literal>,
}

/// Words that say a line reports a failure (generic, not provider facts), found inside
/// words too.
const FAILURE_WORDS: &[&str] = &[
    "error",
    "exception",
    "fail",
    "denied",
    "refused",
    "invalid",
    "expired",
    "decline",
    "reject",
    "timeout",
    "timed out",
    "unauthorized",
    "forbidden",
    "too many",
];

/// A literal found at a word boundary.
pub use super::automaton::Match as Hit;

/// The knowledge base's distinctive codes as the providers spell them (`invalid_token`,
/// `E00007`): the literal list of the ripgrep baseline (`paydoctor kb codes`).
pub fn distinctive_codes(kb: &Knowledge) -> Vec<&'static str> {
    let mut out: Vec<&'static str> =
        // Two characters (the issuer's `N7`, `1A`) are no literal to search a log for.
        kb.entries.iter().flat_map(|e| e.codes.iter().copied()).filter(|c| c.len() > 2 && signals::distinctive(c)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// A phrase as a literal: its first `*`-free part (whole when the phrase has no `*`).
fn phrase_literal(phrase: &str) -> Option<(&str, bool)> {
    let part = phrase.split('*').map(str::trim).find(|p| !p.is_empty())?;
    Some((part, !phrase.contains('*')))
}

/// `text` up to its first newline and `max` bytes (at a character boundary), and whether
/// that cut anything.
fn cut(text: &str, max: usize) -> (&str, bool) {
    let line = text.split('\n').next().unwrap_or_default();
    let mut end = line.len().min(max);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    (&line[..end], end < text.len())
}

/// What an entry's pattern must contain, when it is long enough to tell a payment error
/// (`failed`, `No such ` are not): see [`crate::knowledge::pattern_literals`].
fn pattern_literals(pattern: &str) -> Vec<String> {
    match crate::knowledge::pattern_literals(pattern) {
        Some((shortest, texts)) if shortest >= MIN_PATTERN_LITERAL => texts,
        _ => Vec::new(),
    }
}

/// What confirms a literal cut from `full`: `full` up to [`CONFIRM`] bytes, lower-case, and
/// before anything a log may write differently (non-ASCII, escapes, quotes).
fn confirmation(full: &str) -> Box<[u8]> {
    let end = full.bytes().take(CONFIRM).take_while(|b| b.is_ascii() && !matches!(b, b'\\' | b'"')).count();
    full[..end].to_ascii_lowercase().into_bytes().into_boxed_slice()
}

/// How far before a number [`status_at`] looks for what it is.
const STATUS_CONTEXT: usize = 24;

/// Is the 3-digit number at `line[at..at + 3]` an HTTP status: not part of a decimal, a
/// date or an id (`0.442`, `-404-`), and after a word that says so (`status`, `HTTP/1.1`,
/// `code`, `response`, `returned`) or before its reason phrase (`404 Not Found`)? Byte
/// counts, amounts and durations are not.
fn status_at(line: &[u8], at: usize) -> bool {
    let before = line[..at].last().copied();
    let after = line.get(at + 3).copied();
    if matches!(before, Some(b'.' | b',' | b'-' | b'/' | b'#' | b'$'))
        || matches!(after, Some(b'.' | b',') if line.get(at + 4).is_some_and(u8::is_ascii_digit))
        || matches!(after, Some(b'-' | b'/'))
    {
        return false;
    }
    // `200 512`: a number after a status is the body size
    let prev = line[..at].trim_ascii_end();
    let digits = prev.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if prev.len() < at && digits == 3 && prev.len() > 3 && !prev[prev.len() - 4].is_ascii_alphanumeric() {
        return false;
    }
    // `-> 404 Not Found`: a status followed by its reason phrase
    let status = std::str::from_utf8(&line[at..at + 3]).ok().and_then(|n| n.parse::<u16>().ok());
    let next = line.get(at + 4..).unwrap_or_default();
    if after == Some(b' ')
        && signals::REASONS.iter().any(|(r, s)| {
            Some(*s) == status && next.get(..r.len()).is_some_and(|w| w.eq_ignore_ascii_case(r.as_bytes()))
        })
    {
        return true;
    }
    let context = line[at.saturating_sub(STATUS_CONTEXT)..at].to_ascii_lowercase();
    ["status", "http", "code", "response", "responded", "returned"]
        .iter()
        .any(|w| context.windows(w.len()).any(|c| c == w.as_bytes()))
}

/// Does the word ending at `line[end..]` name a JSON field with an empty value: `"errors":[]`,
/// `"error": null`, `"failure_reason":""`, `"error":false`?
fn empty_field(line: &[u8], end: usize) -> bool {
    let rest = &line[end..];
    let word = rest.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
    let Some(rest) = rest[word..].strip_prefix(b"\"") else { return false };
    let rest = rest.trim_ascii_start();
    let Some(rest) = rest.strip_prefix(b":") else { return false };
    let rest = rest.trim_ascii_start();
    [&b"null"[..], b"[]", b"{}", b"\"\"", b"false"].iter().any(|v| rest.starts_with(v))
}

impl Prefilter {
    pub fn new(kb: &Knowledge) -> Prefilter {
        let mut lits: Vec<Literal> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        // per literal: some error code or phrase is this literal whole (it needs no confirmation)
        let mut whole_for: Vec<bool> = Vec::new();
        let mut add = |text: &str, whole: bool, max: usize, f: &dyn Fn(&mut Meaning)| {
            let full = text.split('\n').next().unwrap_or_default();
            let (text, cut_short) = cut(text, max);
            if text.len() < MIN_LITERAL {
                return;
            }
            let whole = whole && !cut_short;
            let key = text.to_ascii_lowercase();
            let i = *index.entry(key).or_insert_with(|| {
                let b = text.as_bytes();
                lits.push(Literal {
                    text: text.to_string(),
                    word_start: is_word(b[0]),
                    word_end: whole && is_word(b[b.len() - 1]),
                    meaning: Meaning::default(),
                    confirm: Vec::new(),
                });
                whole_for.push(false);
                lits.len() - 1
            });
            // One literal for a code and another cut to it (REQUEST_UNDER_REVIEW and
            // REQUEST_UNDER_REVIEW_RP): it ends at a word boundary only if both do.
            lits[i].word_end &= whole;
            f(&mut lits[i].meaning);
            let sets_error = {
                let mut m = Meaning::default();
                f(&mut m);
                m.error
            };
            if sets_error && !whole_for[i] {
                let full = confirmation(full);
                if full.len() > text.len() {
                    if !lits[i].confirm.contains(&full) {
                        lits[i].confirm.push(full);
                    }
                } else {
                    whole_for[i] = true;
                    lits[i].confirm.clear();
                }
            }
        };
        for c in distinctive_codes(kb) {
            add(c, true, MAX_CODE, &|m| m.error = true);
        }
        for ph in kb.phrases {
            let Some((text, whole)) = phrase_literal(ph.text) else { continue };
            match ph.kind {
                PhraseKind::Message | PhraseKind::Exception => add(text, whole, MAX_LITERAL, &|m| m.error = true),
                PhraseKind::ProviderException => add(text, whole, MAX_LITERAL, &|m| {
                    m.error = true;
                    m.providers.push(ph.target as u16);
                }),
                PhraseKind::Marker => add(text, whole, MAX_LITERAL, &|m| m.providers.push(ph.target as u16)),
            }
        }
        for f in kb.code_fields.iter().filter(|f| f.len() >= 8 || f.contains('_')) {
            add(f, true, MAX_CODE, &|m| m.with_failure = true);
        }
        for h in kb.hosts {
            let host = h.pattern.trim_start_matches("*.");
            add(host, true, MAX_LITERAL, &|m| {
                m.host = true;
                if !m.providers.contains(&h.provider) {
                    m.providers.push(h.provider);
                }
            });
        }
        for p in kb.prefixes.iter().filter(|p| p.prefix.len() >= 6) {
            add(p.prefix, false, MAX_CODE, &|m| m.credential = true);
        }
        for (i, p) in kb.providers.iter().enumerate() {
            let url = p.token_endpoint.split_whitespace().last().unwrap_or("");
            let path = url.split("://").nth(1).and_then(|r| r.find('/').map(|s| &r[s..])).unwrap_or("");
            add(path, true, MAX_CODE, &|m| m.token_endpoint.push(i as u16));
        }
        for w in signals::SUCCESS_WORDS {
            add(w, true, MAX_CODE, &|m| m.success = true);
        }
        // Literals found inside words too, each kept apart from the bounded ones: what entry
        // patterns must contain, and failure words.
        let mut inside: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for p in kb.entries.iter().flat_map(|e| e.patterns.iter()) {
            for l in pattern_literals(p) {
                let (text, _) = cut(&l, MAX_LITERAL);
                if text.len() >= MIN_LITERAL && seen.insert(text.to_ascii_lowercase()) {
                    inside.push(text.to_string());
                }
            }
        }
        let inside = inside.into_iter().map(|text| (text, Meaning { with_failure: true, ..Meaning::default() }));
        let failures = FAILURE_WORDS.iter().map(|w| (w.to_string(), Meaning { failure: true, ..Meaning::default() }));
        lits.extend(inside.chain(failures).map(|(text, meaning)| Literal {
            text,
            word_start: false,
            word_end: false,
            meaning,
            confirm: Vec::new(),
        }));
        let automaton = Automaton::new(lits.iter().map(|l| l.text.as_bytes()));
        Prefilter { automaton, literals: lits }
    }

    /// Does the text (whole lines) report a failure: a failure word, or a 4xx/5xx status
    /// standing alone?
    pub fn failure(&self, text: &[u8]) -> bool {
        self.failure_in(text, 0, &self.hits(text, 0, text.len()))
    }

    /// Does one line, whose hits (offsets from `line_start` on) are these, report a failure:
    /// a failure word that is no empty field (`"errors":[]`, `"error":null`), or a 4xx/5xx
    /// status (see [`status_at`])?
    pub fn failure_in(&self, line: &[u8], line_start: usize, hits: &[Hit]) -> bool {
        hits.iter().any(|h| {
            self.meaning(h).failure && h.end >= line_start && !empty_field(line, (h.end - line_start).min(line.len()))
        }) || (0..line.len().saturating_sub(2)).any(|i| {
            matches!(line[i], b'4' | b'5')
                && line[i + 1].is_ascii_digit()
                && line[i + 2].is_ascii_digit()
                && (i == 0 || !line[i - 1].is_ascii_alphanumeric())
                && line.get(i + 3).is_none_or(|b| !b.is_ascii_alphanumeric())
                && status_at(line, i)
        })
    }

    /// Does this hit make its line a candidate (anything but a failure word)?
    pub fn picks(&self, hit: &Hit) -> bool {
        !self.meaning(hit).failure
    }

    /// Does this hit of an error literal in `hay` stand for its code or phrase: the literal
    /// is one whole, or the text goes on as one of those it was cut from?
    pub fn confirmed(&self, hay: &[u8], hit: &Hit) -> bool {
        let lit = &self.literals[hit.literal as usize];
        lit.confirm.is_empty()
            || lit
                .confirm
                .iter()
                .any(|full| hay.get(hit.start..hit.start + full.len()).is_some_and(|t| t.eq_ignore_ascii_case(full)))
    }

    pub fn meaning(&self, hit: &Hit) -> &Meaning {
        &self.literals[hit.literal as usize].meaning
    }

    /// Every literal at a word boundary in `hay[from..to]` (`from` a line start), in the
    /// order of their starts. The bytes around a hit are read from `hay`, past `to` too.
    pub fn hits(&self, hay: &[u8], from: usize, to: usize) -> Vec<Hit> {
        let mut found = Vec::new();
        self.automaton.find_all(hay, from, to, &mut found);
        found.retain(|m| {
            let lit = &self.literals[m.literal as usize];
            (!lit.word_start || m.start == 0 || !is_word(hay[m.start - 1]))
                && (!lit.word_end || m.end >= hay.len() || !is_word(hay[m.end]))
        });
        found.sort_unstable();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::EMBEDDED;

    #[test]
    fn finds_codes_at_word_boundaries_only() {
        let p = Prefilter::new(&EMBEDDED);
        let line = b"x API Error #412 \"invalid_token\": Invalid token";
        let hits = p.hits(line, 0, line.len());
        assert!(hits.iter().any(|h| p.meaning(h).error && &line[h.start..h.end] == b"invalid_token"), "{hits:?}");
        let plain = b"GET /products/123 200 in 12ms (not_invalid_tokens)";
        let hits = p.hits(plain, 0, plain.len());
        assert!(hits.iter().all(|h| !p.meaning(h).error), "{hits:?}");
        assert!(p.hits(b"status unpaid", 0, 13).is_empty());
    }

    #[test]
    fn statuses_and_failure_words_in_context() {
        let p = Prefilter::new(&EMBEDDED);
        let fails = |l: &str| p.failure(l.as_bytes());
        for yes in [
            "POST /v1/charges HTTP/1.1 402 Payment Required",
            r#"{"status":429}"#,
            "Stripe responded with status 500",
            "\"POST /api HTTP/2.0\" 503 120",
            r#"{"errors":[{"code":"x"}]}"#,
            "payment failed",
        ] {
            assert!(fails(yes), "{yes}");
        }
        for no in [
            "\"POST /?wc-api=WC_Gateway_Paypal HTTP/2.0\" 200 512 \"-\" rt=0.442",
            r#"{"msg":"provider call ok","amount":599,"duration_ms":412}"#,
            r#"{"status":"ok","errors":[],"error":null,"failure_reason":""}"#,
            "order #404 total 499.00",
        ] {
            assert!(!fails(no), "{no}");
        }
    }

    #[test]
    fn codes_are_distinctive() {
        let codes = distinctive_codes(&EMBEDDED);
        assert!(codes.contains(&"invalid_token"));
        assert!(!codes.iter().any(|c| c.bytes().all(|b| b.is_ascii_digit())));
    }
}
