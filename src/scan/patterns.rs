//! Cross-line patterns, what no single line shows: 401/expired-token errors at the
//! provider's token lifetime after a token was issued, 429s with the request rate computed
//! from timestamps against the documented limit, the same order/checkout/token failing with
//! a duplicate/state error after a success, sandbox and production mixed in one log, cards
//! declined past the card networks' retry limits, card testing from one IP or session,
//! 429s on one customer or subscription, a payment that failed with a timeout or 5xx and
//! then succeeded, webhook signatures that start failing at one point or on one route, and
//! webhook events delivered twice. Lifetimes and limits come from the knowledge base. State is bounded: a few recent events
//! per provider, never the whole log. Evidence lines are (file, line): a pattern may span
//! the inputs of one scan.

use super::keys::{self, Brand};
use super::timestamps::Timestamp;
use super::{Finding, Place};
use crate::knowledge::{Env, Knowledge, Retry};
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
const DAY_MS: i64 = 86_400_000;
/// Mastercard's excessive-attempts rule (Transaction Processing Excellence): each attempt
/// past 10 declines of one card in 24 hours is charged.
const MASTERCARD_DECLINES_A_DAY: usize = 10;
/// Visa's reattempt rule (Visa Core Rules, decline categories 2–4): at most 20 reattempts of
/// one card in 30 days (15 before May 2025).
const VISA_DECLINES_A_MONTH: usize = 20;
const MONTH_MS: i64 = 30 * DAY_MS;
/// Card testing: this many distinct cards declined from one IP address or session…
const TESTING_CARDS: usize = 5;
/// …within this long (a bot runs through a list of cards in minutes; a shopper who mistypes
/// tries one or two).
const TESTING_WINDOW_MS: i64 = 10 * 60_000;
/// Rate-limit errors on the same customer or subscription that point at concurrent requests
/// on that object rather than at the account's overall rate (one or two are chance).
const OBJECT_RATE_LIMITS: u64 = 3;
/// Webhook signature failures that make a change of secret, not one stray request.
const SIGNATURE_FAILURES: u64 = 2;
/// Failed payment calls remembered while a success with the same reference may follow.
const PENDING_FAILURES: usize = 256;
/// Cards, origins, objects and webhook events followed at once; past this, new ones are not
/// followed (the state stays bounded whatever the log).
const MAX_KEYS: usize = 50_000;

/// The cross-line patterns, by what they reveal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PatternKind {
    TokenNotRefreshed,
    RateLimitExceeded,
    DoubleSubmission,
    MixedEnvironments,
    RetryStorm,
    CardTesting,
    RateLimitOnOneObject,
    ChargedButMarkedFailed,
    WebhookSignatureChange,
    DuplicateWebhook,
}

impl PatternKind {
    /// The error category a pattern is about (`--category` filters patterns by it).
    pub fn category(self) -> &'static str {
        match self {
            PatternKind::TokenNotRefreshed => "auth_expired_token",
            PatternKind::RateLimitExceeded => "rate_limit",
            PatternKind::DoubleSubmission => "duplicate_or_state",
            PatternKind::MixedEnvironments => "env_mismatch",
            PatternKind::RetryStorm | PatternKind::CardTesting => "decline",
            PatternKind::RateLimitOnOneObject => "rate_limit",
            PatternKind::ChargedButMarkedFailed => "server_error",
            PatternKind::WebhookSignatureChange => "webhook_signature",
            PatternKind::DuplicateWebhook => "duplicate_or_state",
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

    /// Adds the lines of `other` (one of several keys a pattern sums up).
    fn merge(&mut self, other: &Evidence) {
        self.total += other.total;
        for l in &other.lines {
            if self.lines.len() < KEEP_LINES && !self.lines.iter().any(|k| k.1 == l.1 && Rc::ptr_eq(&k.0, &l.0)) {
                self.lines.push(l.clone());
            }
        }
        for f in &other.files {
            if !self.files.iter().any(|g| Rc::ptr_eq(f, g)) {
                self.files.push(f.clone());
            }
        }
        for t in [other.first_seen, other.last_seen].into_iter().flatten() {
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

/// The declines of one card.
#[derive(Default)]
struct Card {
    /// Decline times within the last 30 days (as many as the Visa rule needs).
    times: VecDeque<i64>,
    declines: u64,
    brand: Option<Brand>,
    /// The first decline that forbids any retry, and why.
    final_decline: Option<String>,
    retried_after_final: u64,
    /// The network rule the declines broke, first time.
    broke: Option<String>,
    evidence: Evidence,
}

/// The declines from one IP address or session.
#[derive(Default)]
struct Origin {
    window: VecDeque<(i64, u64)>,
    peak: usize,
    declines: u64,
    evidence: Evidence,
}

/// A payment call that failed with a timeout or a 5xx, waiting for a later success.
struct Pending {
    place: Place,
    provider: u16,
    references: Vec<String>,
    what: &'static str,
}

/// Webhook deliveries processed and signature failures.
#[derive(Default)]
struct Webhooks {
    last_processed: Option<Place>,
    /// Per provider: the first failure, the last delivery processed before it, how many
    /// failed and were processed since, the routes that failed and those processed since.
    failures: HashMap<u16, SignatureFailures>,
    events: HashMap<String, Place>,
    duplicates: Double,
}

struct SignatureFailures {
    first: Place,
    processed_before: Option<Place>,
    count: u64,
    processed_since: u64,
    routes: Vec<Option<String>>,
    routes_since: Vec<String>,
    evidence: Evidence,
}

#[derive(Default)]
pub struct Patterns {
    tokens: HashMap<u16, Place>,
    late: HashMap<u16, TokenLate>,
    rates: HashMap<u16, Rate>,
    successes: VecDeque<Success>,
    doubles: HashMap<u16, Double>,
    envs: HashMap<u16, Envs>,
    cards: HashMap<(u16, String), Card>,
    origins: HashMap<(u16, String), Origin>,
    objects: HashMap<(u16, String), (u64, Evidence)>,
    pending: VecDeque<Pending>,
    /// The references of `pending`, with how many failures hold each: a success line is read
    /// for its references only when one of its words is one of these.
    pending_refs: HashMap<String, u32>,
    charged: HashMap<u16, Double>,
    webhooks: Webhooks,
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

impl Patterns {
    pub fn new() -> Patterns {
        Patterns::default()
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
        let webhook = [b"ebhook", b"EBHOOK"].iter().any(|w| memchr::memmem::find(&line, *w).is_some());
        if webhook || !self.pending.is_empty() && self.mentions_pending(&line) {
            let text = String::from_utf8_lossy(&line);
            self.charged_after_failure(&text, providers, at);
            let event = keys::event(&text);
            if webhook || event.is_some() {
                self.webhook_processed(event, keys::webhook_route(&text), at);
            }
        }
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

    /// Whether one of the line's words (runs of letters, digits, `.`, `_`, `-`) is a reference
    /// of a failed call still waiting.
    fn mentions_pending(&self, line: &[u8]) -> bool {
        let mut word = String::new();
        line.split(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))).filter(|w| w.len() >= 4).any(
            |w| {
                word.clear();
                word.extend(w.iter().map(|b| b.to_ascii_lowercase() as char));
                self.pending_refs.contains_key(&word)
            },
        )
    }

    fn forget(&mut self, f: &Pending) {
        for r in &f.references {
            if let Some(n) = self.pending_refs.get_mut(r) {
                *n -= 1;
                if *n == 0 {
                    self.pending_refs.remove(r);
                }
            }
        }
    }

    /// A success for a reference that an earlier payment call failed on (timeout, 5xx).
    fn charged_after_failure(&mut self, text: &str, providers: &[u16], at: &Place) {
        if self.pending.is_empty() {
            return;
        }
        let refs = keys::references(text);
        let before = |f: &Place| match (f.time, at.time) {
            (Some(a), Some(b)) => a.millis <= b.millis,
            _ => !Rc::ptr_eq(&f.file, &at.file) || f.line < at.line,
        };
        let Some(i) =
            self.pending.iter().position(|f| before(&f.place) && f.references.iter().any(|r| refs.contains(r)))
        else {
            return;
        };
        let f = self.pending.remove(i).expect("found");
        self.forget(&f);
        let provider = if f.provider == u16::MAX { providers.first().copied().unwrap_or(u16::MAX) } else { f.provider };
        let d = self.charged.entry(provider).or_default();
        d.count += 1;
        d.evidence.push(&f.place);
        d.evidence.push(at);
        for r in f.references.iter().filter(|r| refs.contains(r)) {
            if d.ids.len() < 5 && !d.ids.contains(r) {
                d.ids.push(format!("{r} after a {}", f.what));
            }
        }
    }

    /// A webhook delivery that was processed (a success event), by event id and route.
    fn webhook_processed(&mut self, event: Option<String>, route: Option<String>, at: &Place) {
        let w = &mut self.webhooks;
        for f in w.failures.values_mut() {
            f.processed_since += 1;
            if let Some(r) = route.as_ref().filter(|r| f.routes_since.len() < 16 && !f.routes_since.contains(r)) {
                f.routes_since.push(r.clone());
            }
        }
        w.last_processed = Some(at.clone());
        let Some(id) = event else { return };
        match w.events.get(&id) {
            Some(first) => {
                let first = first.clone();
                let d = &mut w.duplicates;
                d.count += 1;
                d.evidence.push(&first);
                d.evidence.push(at);
                if d.ids.len() < 5 && !d.ids.contains(&id) {
                    d.ids.push(id);
                }
            }
            None if w.events.len() < MAX_KEYS => {
                w.events.insert(id, at.clone());
            }
            None => {}
        }
    }

    /// A decline: the card's history against the network rules, and the origin's cards.
    fn decline(&mut self, kb: &Knowledge, f: &Finding, text: &str) {
        let e = &kb.entries[f.m.entry as usize];
        let p = e.provider;
        let at = &f.place;
        let Some(card) = keys::card(text) else { return };
        if let Some(origin) = keys::origin(text) {
            self.card_from(p, origin, &card, at);
        }
        let key = (p, card);
        if !self.cards.contains_key(&key) && self.cards.len() >= MAX_KEYS {
            return;
        }
        let c = self.cards.entry(key).or_default();
        c.declines += 1;
        c.brand = keys::brand(text).or(c.brand);
        c.evidence.push(at);
        if let Some(why) = &c.final_decline {
            c.retried_after_final += 1;
            if c.broke.is_none() {
                c.broke = Some(format!("retried after a decline that forbids any retry ({why})"));
            }
        } else {
            let layer = f.m.network.map(|n| &kb.entries[n as usize]);
            let never = |x: &crate::knowledge::Entry| x.retry == Some(Retry::Never);
            c.final_decline = match keys::do_not_retry_advice(text) {
                Some(mac) => Some(format!("Mastercard merchant advice code {mac}")),
                None if never(e) => Some(f.m.code.unwrap_or(e.id).to_string()),
                None => layer.filter(|l| never(l)).map(|l| l.id.to_string()),
            };
        }
        let Some(t) = at.time else { return };
        c.times.push_back(t.millis);
        while c.times.front().is_some_and(|&x| x <= t.millis - MONTH_MS) || c.times.len() > VISA_DECLINES_A_MONTH + 1 {
            c.times.pop_front();
        }
        let in_a_day = c.times.iter().filter(|&&x| x > t.millis - DAY_MS).count();
        if c.broke.is_none() && c.brand != Some(Brand::Visa) && in_a_day > MASTERCARD_DECLINES_A_DAY {
            c.broke = Some(format!(
                "{in_a_day} declines in 24 h; Mastercard charges every attempt past {MASTERCARD_DECLINES_A_DAY} declines of one card in 24 h (Transaction Processing Excellence)"
            ));
        }
        if c.broke.is_none() && c.brand != Some(Brand::Mastercard) && c.times.len() > VISA_DECLINES_A_MONTH {
            c.broke = Some(format!(
                "{} declines in 30 days; Visa allows {VISA_DECLINES_A_MONTH} reattempts of one card in 30 days (Visa Core Rules, categories 2–4)",
                c.times.len()
            ));
        }
    }

    /// A card declined for a request from this IP address or session.
    fn card_from(&mut self, provider: u16, origin: String, card: &str, at: &Place) {
        let Some(t) = at.time else { return };
        let key = (provider, origin);
        if !self.origins.contains_key(&key) && self.origins.len() >= MAX_KEYS {
            return;
        }
        let o = self.origins.entry(key).or_default();
        let card = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            card.hash(&mut h);
            h.finish()
        };
        o.window.push_back((t.millis, card));
        while o.window.front().is_some_and(|&(x, _)| x <= t.millis - TESTING_WINDOW_MS) {
            o.window.pop_front();
        }
        let mut cards: Vec<u64> = o.window.iter().map(|&(_, c)| c).collect();
        cards.sort_unstable();
        cards.dedup();
        o.peak = o.peak.max(cards.len());
        o.declines += 1;
        o.evidence.push(at);
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
        if e.category == "decline" {
            self.decline(kb, f, text);
        }
        if e.category == "rate_limit" || f.m.status == Some(429) {
            if let Some(object) = keys::object(text) {
                let key = (p, object);
                if self.objects.contains_key(&key) || self.objects.len() < MAX_KEYS {
                    let o = self.objects.entry(key).or_default();
                    o.0 += 1;
                    o.1.push(at);
                }
            }
        }
        let failed_call = matches!(e.category, "network_tls" | "server_error") || f.m.status.is_some_and(|s| s >= 500);
        if failed_call {
            let references = keys::references(text);
            if !references.is_empty() {
                if self.pending.len() == PENDING_FAILURES {
                    if let Some(old) = self.pending.pop_front() {
                        self.forget(&old);
                    }
                }
                for r in &references {
                    *self.pending_refs.entry(r.clone()).or_default() += 1;
                }
                let what = if e.category == "network_tls" { "timeout or connection error" } else { "5xx" };
                let provider = if provider.network { u16::MAX } else { p };
                self.pending.push_back(Pending { place: at.clone(), provider, references, what });
            }
        }
        if e.category == "webhook_signature" {
            let w = &mut self.webhooks;
            let processed_before = w.last_processed.clone();
            let f = w.failures.entry(p).or_insert_with(|| SignatureFailures {
                first: at.clone(),
                processed_before,
                count: 0,
                processed_since: 0,
                routes: Vec::new(),
                routes_since: Vec::new(),
                evidence: Evidence::default(),
            });
            f.count += 1;
            f.evidence.push(at);
            let route = keys::webhook_route(text);
            if f.routes.len() < 16 && !f.routes.contains(&route) {
                f.routes.push(route);
            }
        }
        if matches!(e.category, "duplicate_or_state" | "idempotency") {
            let ids = keys::references(text);
            let ids_of = |s: &Success| -> Vec<String> { keys::references(&String::from_utf8_lossy(&s.text)) };
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
        self.report_cards(kb, &mut out);
        for (&p, d) in &self.charged {
            let ids = d.ids.join(", ");
            out.push(Pattern {
                kind: PatternKind::ChargedButMarkedFailed,
                provider: p,
                title: format!("{}: payments that failed on your side went through", name_or_unknown(kb, p)),
                detail: format!(
                    "{} payment call(s) failed, then a success came for the same reference ({ids}): the customer may be charged for an order marked failed; look the payment up by its reference before retrying or failing the order",
                    d.count
                ),
                count: d.count,
                evidence: d.evidence.clone(),
            });
        }
        self.report_webhooks(kb, &mut out);
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.kind.cmp(&b.kind)).then(a.provider.cmp(&b.provider)));
        out
    }

    /// Retry storms, card testing and rate limits on one object: one pattern per provider,
    /// summing up its cards, origins and objects.
    fn report_cards(&self, kb: &Knowledge, out: &mut Vec<Pattern>) {
        let name = |p: u16| kb.providers[p as usize].name;
        let storms = self.cards.iter().filter_map(|((p, card), c)| {
            let broke = c.broke.as_ref()?;
            Some((*p, c.declines, &c.evidence, format!("card {} declined {} times: {broke}", short(card), c.declines)))
        });
        for (p, count, evidence, cards) in by_provider(storms) {
            out.push(Pattern {
                kind: PatternKind::RetryStorm,
                provider: p,
                title: format!("{}: declined cards are retried past the card networks' limits", name(p)),
                detail: format!("{}; every further attempt can be charged as a network fee: stop retrying a card after a hard decline and space soft-decline retries", cards.join("; ")),
                count,
                evidence,
            });
        }
        let testing = self.origins.iter().filter(|(_, o)| o.peak >= TESTING_CARDS).map(|((p, origin), o)| {
            let label =
                format!("{origin}: {} different cards declined within {} min", o.peak, TESTING_WINDOW_MS / 60_000);
            (*p, o.declines, &o.evidence, label)
        });
        for (p, count, evidence, origins) in by_provider(testing) {
            out.push(Pattern {
                kind: PatternKind::CardTesting,
                provider: p,
                title: format!("{}: card testing, many cards tried from one origin", name(p)),
                detail: format!("{}; rate-limit payment attempts per IP, session and customer and add a CAPTCHA or 3-D Secure before the next attempt", origins.join("; ")),
                count,
                evidence,
            });
        }
        let locked = self
            .objects
            .iter()
            .filter(|(_, (n, _))| *n >= OBJECT_RATE_LIMITS)
            .map(|((p, object), (n, evidence))| (*p, *n, evidence, format!("{n} on {object}")));
        for (p, count, evidence, objects) in by_provider(locked) {
            out.push(Pattern {
                kind: PatternKind::RateLimitOnOneObject,
                provider: p,
                title: format!("{}: concurrent requests on one object are throttled", name(p)),
                detail: format!("rate-limit errors on the same object ({}): requests that update one customer or subscription at once contend for its lock; send them one after another (a queue per object) and retry with backoff", objects.join(", ")),
                count,
                evidence,
            });
        }
    }

    /// Signature failures that begin at one point or hit one route, and events delivered twice.
    fn report_webhooks(&self, kb: &Knowledge, out: &mut Vec<Pattern>) {
        let w = &self.webhooks;
        let place = |at: &Place| match at.time {
            Some(t) => format!("{}:{} ({t})", at.file, at.line),
            None => format!("{}:{}", at.file, at.line),
        };
        for (&p, f) in w.failures.iter().filter(|(_, f)| f.count >= SIGNATURE_FAILURES) {
            let one_route = match f.routes.as_slice() {
                [Some(r)] => Some(r),
                _ => None,
            };
            let other_routes_fine =
                one_route.is_some_and(|r| !f.routes_since.is_empty() && !f.routes_since.contains(r));
            let mut evidence = f.evidence.clone();
            let detail = if let (Some(before), 0) = (&f.processed_before, f.processed_since) {
                evidence.push(before);
                if evidence.files.len() == 1 {
                    evidence.lines.sort_by_key(|(_, l)| *l);
                }
                format!(
                    "{} signature failure(s) from {} on, none processed since; the last delivery processed was at {}: the signing secret changed then (a deploy, a rotated or another endpoint's secret)",
                    f.count,
                    place(&f.first),
                    place(before)
                )
            } else if let (Some(route), true) = (one_route, other_routes_fine) {
                format!(
                    "{} signature failure(s) from {} on, all on {route}, while deliveries to {} are processed: that endpoint verifies with another endpoint's secret, or a proxy or body parser rewrites its requests",
                    f.count,
                    place(&f.first),
                    f.routes_since.join(", ")
                )
            } else {
                continue;
            };
            out.push(Pattern {
                kind: PatternKind::WebhookSignatureChange,
                provider: p,
                title: format!(
                    "{}: webhook signatures fail since one point or on one route",
                    kb.providers[p as usize].name
                ),
                detail,
                count: f.count,
                evidence,
            });
        }
        let d = &w.duplicates;
        if d.count > 0 {
            out.push(Pattern {
                kind: PatternKind::DuplicateWebhook,
                provider: u16::MAX,
                title: "webhook events are delivered more than once".to_string(),
                detail: format!(
                    "{} event(s) processed again ({}): providers retry deliveries they did not see acknowledged; record processed event ids and skip repeats",
                    d.count,
                    d.ids.join(", ")
                ),
                count: d.count,
                evidence: d.evidence.clone(),
            });
        }
    }
}

/// Keys (cards, origins, objects) summed up per provider: the count, their evidence merged,
/// and the labels of the first three.
fn by_provider<'a>(
    keys: impl Iterator<Item = (u16, u64, &'a Evidence, String)>,
) -> Vec<(u16, u64, Evidence, Vec<String>)> {
    let mut sums: HashMap<u16, (u64, Evidence, Vec<String>)> = HashMap::new();
    for (p, n, evidence, label) in keys {
        let s = sums.entry(p).or_default();
        s.0 += n;
        s.1.merge(evidence);
        if s.2.len() < 3 {
            s.2.push(label);
        }
    }
    sums.into_iter().map(|(p, (n, e, labels))| (p, n, e, labels)).collect()
}

/// A provider's name, or what stands for none.
fn name_or_unknown(kb: &Knowledge, p: u16) -> &'static str {
    kb.providers.get(p as usize).map_or("provider not recognised", |pr| pr.name)
}

/// A card key short enough for a report line.
fn short(card: &str) -> String {
    if card.chars().count() > 14 {
        format!("{}…", card.chars().take(12).collect::<String>())
    } else {
        card.to_string()
    }
}
