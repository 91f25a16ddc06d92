//! Cross-line patterns, what no single line shows: 401/expired-token errors at the
//! provider's token lifetime after a token was issued, 429s with the request rate computed
//! from timestamps against the documented limit, the same order/checkout/token failing with
//! a duplicate/state error after a success, and sandbox and production mixed in one log.
//! Lifetimes and limits come from the knowledge base. State is bounded: a few recent events
//! per provider, never the whole log. Evidence lines are (file, line): a pattern may span
//! the inputs of one scan.

use super::timestamps::Timestamp;
use super::{Finding, Place};
use crate::knowledge::{Env, Knowledge};
use regex::Regex;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

/// Evidence lines listed per pattern (the rest are counted in [`Evidence::total`]).
const KEEP_LINES: usize = 12;
/// Successes remembered for double-submission checks.
const RECENT_SUCCESSES: usize = 64;
/// A success of the same provider this many lines before a duplicate error counts even
/// without a shared id (plugin logs do not repeat the order id on the error line).
const NEAR_LINES: u64 = 5;
/// Requests remembered per provider for the rate (those within the last second).
const RATE_WINDOW_MS: i64 = 1000;
const MAX_WINDOW: usize = 100_000;

/// The cross-line patterns, by what they reveal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PatternKind {
    TokenNotRefreshed,
    RateLimitExceeded,
    DoubleSubmission,
    MixedEnvironments,
}

impl PatternKind {
    /// The error category a pattern is about (`--category` filters patterns by it).
    pub fn category(self) -> &'static str {
        match self {
            PatternKind::TokenNotRefreshed => "auth_expired_token",
            PatternKind::RateLimitExceeded => "rate_limit",
            PatternKind::DoubleSubmission => "duplicate_or_state",
            PatternKind::MixedEnvironments => "env_mismatch",
        }
    }
}

/// The lines a pattern rests on: the first [`KEEP_LINES`] in full, how many in all, the
/// files they are in and the times they span.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    pub lines: Vec<(Rc<str>, u64)>,
    pub total: u64,
    pub files: Vec<Rc<str>>,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
}

impl Evidence {
    fn push(&mut self, at: &Place) {
        if self.lines.iter().any(|(f, l)| *l == at.line && Rc::ptr_eq(f, &at.file)) {
            return;
        }
        self.total += 1;
        if self.lines.len() < KEEP_LINES {
            self.lines.push((at.file.clone(), at.line));
        }
        if !self.files.iter().any(|f| Rc::ptr_eq(f, &at.file)) {
            self.files.push(at.file.clone());
        }
        if let Some(t) = at.time {
            self.first_seen = Some(self.first_seen.map_or(t, |s| s.min(t)));
            self.last_seen = Some(self.last_seen.map_or(t, |s| s.max(t)));
        }
    }
}

#[derive(Debug, Clone)]
pub struct Pattern {
    pub kind: PatternKind,
    pub provider: u16,
    pub title: String,
    pub detail: String,
    pub count: u64,
    pub evidence: Evidence,
}

struct Success {
    place: Place,
    /// The line (its start), read for ids only when a duplicate error needs them.
    text: Vec<u8>,
    ids: std::cell::OnceCell<Vec<String>>,
    providers: Vec<u16>,
}

/// Bytes of a success line kept for its ids.
pub const SUCCESS_TEXT: usize = 512;

#[derive(Default)]
struct TokenLate {
    count: u64,
    evidence: Evidence,
    token_at: Option<Place>,
    min_age: i64,
    max_age: i64,
}

#[derive(Default)]
struct Rate {
    window: VecDeque<i64>,
    count_429: u64,
    peak: usize,
    peak_at: Option<Timestamp>,
    evidence: Evidence,
}

#[derive(Default)]
struct Double {
    count: u64,
    evidence: Evidence,
    ids: Vec<String>,
}

#[derive(Default)]
struct Envs {
    sandbox: Option<(Place, String)>,
    production: Option<(Place, String)>,
}

pub struct Patterns {
    tokens: HashMap<u16, Place>,
    late: HashMap<u16, TokenLate>,
    rates: HashMap<u16, Rate>,
    successes: VecDeque<Success>,
    doubles: HashMap<u16, Double>,
    envs: HashMap<u16, Envs>,
}

fn duration(ms: i64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}h{:02}m{:02}s", s / 3600, s % 3600 / 60, s % 60)
    } else if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

/// Order, checkout, token, payment and idempotency-key ids in a line (with a digit).
fn ids_in(text: &str) -> Vec<String> {
    static IDS: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(
            r#"(?i-u)\b(?:order|checkout|token|payment|idempotency[-_ ]?key|reference)(?:[-_ ]?(?:id|no|number|ref))?["']?\s*[:=#]?\s*["']?#?([A-Za-z0-9][A-Za-z0-9._-]{3,})"#,
        )
        .expect("id pattern compiles")
    });
    let mut v: Vec<String> = IDS
        .captures_iter(text)
        .map(|c| c[1].to_ascii_lowercase())
        .filter(|id| id.bytes().any(|b| b.is_ascii_digit()))
        .collect();
    v.dedup();
    v
}

impl Default for Patterns {
    fn default() -> Patterns {
        Patterns::new()
    }
}

impl Patterns {
    pub fn new() -> Patterns {
        Patterns {
            tokens: HashMap::new(),
            late: HashMap::new(),
            rates: HashMap::new(),
            successes: VecDeque::new(),
            doubles: HashMap::new(),
            envs: HashMap::new(),
        }
    }

    /// A token was issued by one of `providers` (a call to its token endpoint succeeded).
    pub fn token_issued(&mut self, providers: &[u16], at: &Place) {
        for p in providers {
            self.tokens.insert(*p, at.clone());
        }
    }

    /// A request to `provider` at this time (any line that names it).
    pub fn request(&mut self, provider: u16, at: &Place) {
        let Some(t) = at.time else { return };
        let r = self.rates.entry(provider).or_default();
        r.window.push_back(t.millis);
        while r.window.front().is_some_and(|&f| f <= t.millis - RATE_WINDOW_MS) || r.window.len() > MAX_WINDOW {
            r.window.pop_front();
        }
    }

    /// A line that reports a success (approved, captured...).
    pub fn success(&mut self, line: Vec<u8>, providers: &[u16], at: &Place) {
        if self.successes.len() == RECENT_SUCCESSES {
            self.successes.pop_front();
        }
        self.successes.push_back(Success {
            place: at.clone(),
            text: line,
            ids: std::cell::OnceCell::new(),
            providers: providers.to_vec(),
        });
    }

    /// Evidence of one environment of a provider (a host, a credential shape).
    pub fn environment(&mut self, provider: u16, env: Env, what: String, at: &Place) {
        let e = self.envs.entry(provider).or_default();
        let slot = match env {
            Env::Sandbox => &mut e.sandbox,
            Env::Production => &mut e.production,
        };
        if slot.is_none() {
            *slot = Some((at.clone(), what));
        }
    }

    /// A diagnosed error.
    pub fn finding(&mut self, kb: &Knowledge, f: &Finding, text: &str) {
        let e = &kb.entries[f.m.entry as usize];
        let p = e.provider;
        let provider = &kb.providers[p as usize];
        let at = &f.place;
        if (e.category == "auth_expired_token" || f.m.status == Some(401)) && provider.token_lifetime_seconds > 0 {
            if let (Some(tok), Some(t)) = (self.tokens.get(&p), at.time) {
                if let Some(issued) = tok.time {
                    let age = t.millis - issued.millis;
                    if age >= provider.token_lifetime_seconds as i64 * 980 {
                        let l = self.late.entry(p).or_default();
                        if l.count == 0 {
                            l.min_age = age;
                        }
                        if l.token_at.as_ref().is_none_or(|t| t.line != tok.line || !Rc::ptr_eq(&t.file, &tok.file)) {
                            l.evidence.push(tok);
                            l.token_at = Some(tok.clone());
                        }
                        l.count += 1;
                        l.min_age = l.min_age.min(age);
                        l.max_age = l.max_age.max(age);
                        l.evidence.push(at);
                    }
                }
            }
        }
        if e.category == "rate_limit" || f.m.status == Some(429) {
            let r = self.rates.entry(p).or_default();
            r.count_429 += 1;
            r.evidence.push(at);
            if at.time.is_some() && r.window.len() > r.peak {
                r.peak = r.window.len();
                r.peak_at = at.time;
            }
        }
        if matches!(e.category, "duplicate_or_state" | "idempotency") {
            let ids = ids_in(text);
            let ids_of = |s: &Success| -> Vec<String> { ids_in(&String::from_utf8_lossy(&s.text)) };
            let hit = self.successes.iter().rev().find(|s| {
                Rc::ptr_eq(&s.place.file, &at.file)
                    && s.place.line < at.line
                    && (s.ids.get_or_init(|| ids_of(s)).iter().any(|i| ids.contains(i))
                        || at.line - s.place.line <= NEAR_LINES && s.providers.contains(&p) && ids.is_empty())
            });
            if let Some(s) = hit {
                let d = self.doubles.entry(p).or_default();
                d.count += 1;
                d.evidence.push(&s.place);
                d.evidence.push(at);
                for i in s.ids.get_or_init(|| ids_of(s)).iter().filter(|i| ids.contains(i) || ids.is_empty()) {
                    if d.ids.len() < 5 && !d.ids.contains(i) {
                        d.ids.push(i.clone());
                    }
                }
            }
        }
    }

    /// Every pattern found.
    pub fn report(&self, kb: &Knowledge) -> Vec<Pattern> {
        let mut out = Vec::new();
        let name = |p: u16| kb.providers[p as usize].name;
        let place = |at: &Place| format!("{}:{}", at.file, at.line);
        for (&p, l) in &self.late {
            let life = kb.providers[p as usize].token_lifetime_seconds;
            let issued =
                l.token_at.as_ref().map_or_else(String::new, |t| format!(" after the token issued at {}", place(t)));
            out.push(Pattern {
                kind: PatternKind::TokenNotRefreshed,
                provider: p,
                title: format!("{}: the access token is not refreshed before it expires", name(p)),
                detail: format!(
                    "{} 401/expired-token error(s) came {}–{}{issued}; {} tokens live {}",
                    l.count,
                    duration(l.min_age),
                    duration(l.max_age),
                    name(p),
                    duration(life as i64 * 1000)
                ),
                count: l.count,
                evidence: l.evidence.clone(),
            });
        }
        for (&p, r) in self.rates.iter().filter(|(_, r)| r.count_429 > 0) {
            let prov = &kb.providers[p as usize];
            let limit = if prov.rate_limit_rps > 0.0 {
                let scope = if prov.rate_limit_scope.is_empty() {
                    String::new()
                } else {
                    format!(" {}", prov.rate_limit_scope)
                };
                format!("documented limit {} requests/s{scope}", prov.rate_limit_rps)
            } else {
                "no documented limit in the knowledge base".to_string()
            };
            let rate = match r.peak_at {
                Some(t) => format!("the request rate reached {} requests/s (at {t})", r.peak),
                None => "no timestamps to compute the request rate".to_string(),
            };
            let over = prov.rate_limit_rps > 0.0 && r.peak as f64 > prov.rate_limit_rps;
            out.push(Pattern {
                kind: PatternKind::RateLimitExceeded,
                provider: p,
                title: if over {
                    format!("{}: requests are sent faster than the rate limit", name(p))
                } else {
                    format!("{}: requests are throttled (429)", name(p))
                },
                detail: format!("{} rate-limit error(s); {rate}; {limit}", r.count_429),
                count: r.count_429,
                evidence: r.evidence.clone(),
            });
        }
        for (&p, d) in &self.doubles {
            let ids = if d.ids.is_empty() { String::new() } else { format!(" (ids {})", d.ids.join(", ")) };
            out.push(Pattern {
                kind: PatternKind::DoubleSubmission,
                provider: p,
                title: format!("{}: an already successful payment is submitted again", name(p)),
                detail: format!(
                    "{} duplicate/state error(s) after a success for the same order or checkout{ids}",
                    d.count
                ),
                count: d.count,
                evidence: d.evidence.clone(),
            });
        }
        for (&p, e) in &self.envs {
            let (Some((s, sw)), Some((pr, pw))) = (&e.sandbox, &e.production) else { continue };
            let mut evidence = Evidence::default();
            let (a, b) = if Rc::ptr_eq(&s.file, &pr.file) && pr.line < s.line { (pr, s) } else { (s, pr) };
            evidence.push(a);
            evidence.push(b);
            out.push(Pattern {
                kind: PatternKind::MixedEnvironments,
                provider: p,
                title: format!("{}: sandbox and production are mixed in one log", name(p)),
                detail: format!("sandbox {sw} at {}; production {pw} at {}", place(s), place(pr)),
                count: 2,
                evidence,
            });
        }
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.kind.cmp(&b.kind)).then(a.provider.cmp(&b.provider)));
        out
    }
}
