//! The parallel half of a scan: one part of a chunk (whole lines) read on a worker thread.
//! It runs the prefilter over the part, says what each candidate line holds (an error, a
//! failure, the providers it names, a token issued, a success, its time, evidence of an
//! environment) and, for error lines, reads the record around the line and diagnoses it,
//! memoised per thread. Nothing here touches the scanner's state: [`super::Scanner`]
//! applies the steps in input order and redoes the rare step that depended on it.

use super::{MAX_RECORD, MIN_CONFIDENCE, block, prefilter::Prefilter, timestamps};
use crate::diagnose::{self, Match};
use crate::knowledge::{Env, Knowledge};
use crate::signals;
use crate::weights::PROVIDER_NAMED;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;

/// Diagnoses remembered: a hash of the key and the match without its evidence (about half a
/// MiB); more distinct errors than this in one log only cost re-diagnosis.
const CACHE_ENTRIES: usize = 6144;

/// Evidence of one environment of a provider: a host or a credential shape.
#[derive(Debug, Clone)]
pub struct EnvSeen {
    pub provider: u16,
    pub env: Env,
    pub what: String,
}

/// A line the prefilter picked, and what it says.
pub struct Candidate {
    /// The line: `data[start..end]`, `end` after its newline.
    pub start: usize,
    pub end: usize,
    /// Newlines between the part's origin and the line.
    pub nl: u64,
    /// The line's number in its input, once the scanner has put the part in place.
    pub line: u64,
    /// It reports an error by itself (a code, a message, an exception; or a code field,
    /// what an entry's pattern must contain, a marker or a host, together with a failure).
    pub error: bool,
    pub providers: Vec<u16>,
    /// Providers whose token endpoint it names, when it is no failure.
    pub token_issued: Vec<u16>,
    /// The start of the line when it reports a success (approved, captured...) and no
    /// failure; empty otherwise.
    pub success: Vec<u8>,
    pub time: Option<timestamps::Timestamp>,
    /// Hosts and credential shapes of one environment on a line that is no error.
    pub envs: Vec<EnvSeen>,
    pub record: Option<Box<Record>>,
}

/// The record around an error line and its diagnosis.
pub struct Record {
    pub start: usize,
    pub end: usize,
    /// The floor the record could not reach before.
    pub floor: usize,
    /// Newlines from the record's first line to the candidate line, and to its last line.
    pub lines_before: u64,
    pub lines_after: u64,
    pub time: Option<timestamps::Timestamp>,
    /// Hosts and credential shapes the record shows.
    pub envs: Vec<EnvSeen>,
    /// The finding, when the record is a payment error with enough confidence, and the
    /// record's text.
    pub finding: Option<(Match, String)>,
}

pub enum Step {
    Line(Candidate),
    /// A record starts on the line at this offset and may go on past the data: the scanner
    /// hands the data back from here and reads more first.
    Defer {
        start: usize,
        nl: u64,
    },
}

/// The steps of one part, in input order.
pub struct Part {
    pub steps: Vec<Step>,
    /// Where the part starts and ends.
    pub origin: usize,
    pub to: usize,
    /// Newlines from the origin to the end of the part.
    pub newlines: u64,
}

/// What a part needs to know about the chunk around it.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub kb: &'a Knowledge,
    pub pre: &'a Prefilter,
    pub data: &'a [u8],
    /// Records cannot reach back before this offset (the end of the last record).
    pub floor: usize,
    /// Nothing more can be appended after `data` (see [`super::reader::Chunk::complete`]).
    pub complete: bool,
    pub diagnoses: &'a Diagnoses,
}

/// Read the lines of `data[from..to]` (whole lines; `origin <= from` is where newlines are
/// counted from).
pub fn part(cx: &Context, origin: usize, from: usize, to: usize) -> Part {
    let d = cx.data;
    let mut steps = Vec::new();
    let mut floor = cx.floor;
    let mut at = from;
    let mut counted = origin;
    let mut nl = 0u64;
    let hits = cx.pre.hits(d, from, to);
    let mut next = 0;
    while let Some(i) = hits[next..].iter().position(|h| h.start >= at && cx.pre.picks(h)) {
        let hit = hits[next + i];
        let ls = memchr::memrchr(b'\n', &d[at..hit.start]).map_or(at, |i| at + i + 1);
        nl += memchr::memchr_iter(b'\n', &d[counted..ls]).count() as u64;
        counted = ls;
        let le = block::line_end(d, hit.start);
        // the line's hits: failure words before the first that picks it too
        let first = hits.partition_point(|h| h.start < ls);
        next = hits.partition_point(|h| h.start < le);
        match line(cx, ls, le, &hits[first..next], nl, floor) {
            Step::Line(c) => {
                at = c.record.as_ref().map_or(le, |r| r.end);
                if let Some(r) = &c.record {
                    floor = r.end;
                }
                steps.push(Step::Line(c));
            }
            defer => {
                steps.push(defer);
                break;
            }
        }
    }
    nl += memchr::memchr_iter(b'\n', &d[counted..to]).count() as u64;
    Part { steps, origin, to, newlines: nl }
}

/// One line and its prefilter hits (at least one).
fn line(cx: &Context, ls: usize, le: usize, hits: &[super::prefilter::Hit], nl: u64, floor: usize) -> Step {
    let (kb, pre, d) = (cx.kb, cx.pre, cx.data);
    let line = &d[ls..le];
    let mut c = Candidate {
        start: ls,
        end: le,
        nl,
        line: 0,
        error: false,
        providers: Vec::new(),
        token_issued: Vec::new(),
        success: Vec::new(),
        time: None,
        envs: Vec::new(),
        record: None,
    };
    let (mut with_failure, mut success, mut credential) = (false, false, false);
    let mut tokens = Vec::new();
    for h in hits {
        let m = pre.meaning(h);
        c.error |= m.error && pre.confirmed(d, h);
        with_failure |= m.with_failure;
        success |= m.success;
        credential |= m.credential;
        for p in &m.providers {
            if !c.providers.contains(p) {
                c.providers.push(*p);
            }
        }
        tokens.extend(&m.token_endpoint);
        if m.host {
            host_env(kb, line, h.start - ls, h.end - ls, &mut c.envs);
        }
    }
    // whether the line reports a failure (a failure word, a 4xx/5xx status): read only when
    // something depends on it
    let failure = std::cell::OnceCell::new();
    let failure = || *failure.get_or_init(|| pre.failure_in(line, ls, hits));
    if !c.error && (with_failure || !c.providers.is_empty()) && failure() {
        c.error = true;
    }
    if !tokens.is_empty() && !failure() {
        c.token_issued = tokens;
    }
    if success && !failure() && !line.windows(4).any(|w| w.eq_ignore_ascii_case(b"not ")) {
        c.success = line[..line.len().min(super::patterns::SUCCESS_TEXT)].to_vec();
    }
    c.time = timestamps::find(line);
    if credential && !c.error {
        let sig = signals::extract(kb, &String::from_utf8_lossy(line), None);
        environments(&sig, &mut c.envs);
    }
    if !c.error {
        return Step::Line(c);
    }
    let ext = block::extent(d, ls, le, floor.min(ls));
    if ext.open && !cx.complete && ext.end - ls < MAX_RECORD {
        return Step::Defer { start: ls, nl };
    }
    let rec = &d[ext.start..ext.end.min(ext.start + MAX_RECORD)];
    let span = timestamps::find_span(rec);
    let key = {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        cache_key(kb, rec, span.as_ref().map(|(_, r)| r.clone())).hash(&mut h);
        h.finish()
    };
    let diagnosis = cx.diagnoses.get_or_make(key, || {
        let text = String::from_utf8_lossy(rec);
        let sig = signals::extract(kb, &text, None);
        let pev = diagnose::provider_evidence(kb, &sig);
        let diag = diagnose::rank_with(kb, &sig, &pev, 3);
        let mut envs = Vec::new();
        environments(&sig, &mut envs);
        // As in `explain`: an entry of a provider the record does not name never wins over
        // the providers it names (a network-layer entry belongs to every provider).
        let named: Vec<u16> = pev
            .iter()
            .filter(|(p, e)| e.named >= PROVIDER_NAMED && !kb.providers[**p as usize].network)
            .map(|(p, _)| *p)
            .collect();
        let fits = |m: &Match| {
            let p = kb.entries[m.entry as usize].provider;
            named.is_empty() || named.contains(&p) || kb.providers[p as usize].network
        };
        let m = (!diag.ambiguous)
            .then(|| diag.matches.into_iter().find(fits))
            .flatten()
            .filter(|m| m.confidence >= MIN_CONFIDENCE);
        // a scan reports the top cause only; evidence stays with `explain`
        let m = m.map(|mut m| {
            m.evidence = Vec::new();
            m.causes.truncate(1);
            m.causes.shrink_to_fit();
            m.causes.iter_mut().for_each(|c| c.support = Vec::new());
            m
        });
        // Entries for success states (`accredited`, `Authorised`), and matches on nothing but
        // wording close to a message (`Payment APPROVED for …` is close to "payment already
        // approved"), count only with a failure.
        let m = m.filter(|m| {
            let e = &kb.entries[m.entry as usize];
            let success_state = e.category == "other" || !e.status.is_empty() && e.status.iter().all(|s| *s < 400);
            !(success_state || m.wording_only) || pre.failure(rec)
        });
        // A request to your webhook route is the provider calling you: the status on its
        // access-log line is your endpoint's reply, not an error of the provider's API. It
        // counts only with the provider's own words (a code, a message, an exception).
        let m = m.filter(|m| {
            let e = &kb.entries[m.entry as usize];
            let status_level = e.codes.is_empty() && e.messages.is_empty() && e.patterns.is_empty();
            !(m.wording_only || status_level) || super::keys::webhook_route(&text).is_none()
        });
        Diagnosed { finding: m, envs }
    });
    c.record = Some(Box::new(Record {
        start: ext.start,
        end: ext.end,
        floor,
        lines_before: memchr::memchr_iter(b'\n', &d[ext.start..ls]).count() as u64,
        lines_after: memchr::memchr_iter(b'\n', &d[ls..ext.end]).count() as u64
            - u64::from(d[..ext.end].last() == Some(&b'\n')),
        time: span.map(|(t, _)| t).or(c.time),
        envs: diagnosis.envs,
        finding: diagnosis.finding.map(|m| (m, String::from_utf8_lossy(rec).into_owned())),
    }));
    Step::Line(c)
}

#[derive(Clone)]
pub struct Diagnosed {
    finding: Option<Match>,
    envs: Vec<EnvSeen>,
}

/// Diagnoses of records seen before, shared by the threads of a scan, by a hash of the
/// record's [`cache_key`], and how many were made.
#[derive(Default)]
pub struct Diagnoses(Mutex<(HashMap<u64, Diagnosed>, u64)>);

impl Diagnoses {
    /// The diagnosis of a record with this key: remembered, or made now.
    fn get_or_make(&self, key: u64, make: impl FnOnce() -> Diagnosed) -> Diagnosed {
        let lock = || self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = lock().0.get(&key).cloned() {
            return d;
        }
        let d = make();
        let (map, made) = &mut *lock();
        if map.len() >= CACHE_ENTRIES {
            map.clear();
        }
        // two threads may make the same diagnosis at once: it counts once
        *made += u64::from(map.insert(key, d.clone()).is_none());
        d
    }

    /// Diagnoses made in full (two threads making the same one at once count once).
    pub fn made(&self) -> u64 {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).1
    }
}

/// What a record's diagnosis depends on, so that records differing only in noise share
/// one diagnosis (one per error template, not per line): the record without its timestamp,
/// with every token holding a digit masked unless a diagnosis may read it. Kept: known codes
/// (`E00027`, `10417`), HTTP statuses (100–599), credential shapes. Masked: stack-frame line
/// numbers, ids (`req_8fk2` → `req_#`, `ch_3Nx0012` → `ch_#`, uuids, hex), amounts, order
/// numbers, other dates and times. Words and messages stay.
fn cache_key(kb: &Knowledge, rec: &[u8], time: Option<std::ops::Range<usize>>) -> Vec<u8> {
    let is_token = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    let mut key = Vec::with_capacity(rec.len());
    let mut frame = is_frame(rec);
    let mut i = 0;
    while i < rec.len() {
        if let Some(t) = time.as_ref().filter(|r| r.start == i) {
            i = t.end.max(i + 1);
            continue;
        }
        let b = rec[i];
        if !is_token(b) {
            if b == b'\n' {
                frame = is_frame(&rec[i + 1..]);
            }
            key.push(b);
            i += 1;
            continue;
        }
        let end = i + rec[i..].iter().take_while(|&&c| is_token(c)).count();
        let tok = &rec[i..end];
        i = end;
        if !tok.iter().any(u8::is_ascii_digit) {
            key.extend_from_slice(tok);
            continue;
        }
        let letters = tok.iter().any(u8::is_ascii_alphabetic);
        let status = tok.len() == 3 && (b'1'..=b'5').contains(&tok[0]) && tok.iter().all(u8::is_ascii_digit);
        let hex_id = letters && tok.len() >= 8 && tok.iter().all(u8::is_ascii_hexdigit);
        if !frame && (status || !hex_id && known(kb, tok)) {
            key.extend_from_slice(tok);
            continue;
        }
        // an id's word prefix (`req_`, `worker-`) says what it is; the rest is noise
        let prefix = tok.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        if prefix > 0 && matches!(tok.get(prefix), Some(b'_' | b'-')) {
            key.extend_from_slice(&tok[..=prefix]);
        }
        key.push(b'#');
    }
    key
}

/// A stack frame line: `#3 /var/www/x.php(12)`, `at com.x.Y(Y.java:42)`, `File "x.py", line 9`.
fn is_frame(line: &[u8]) -> bool {
    let t = line.trim_ascii_start();
    t.first() == Some(&b'#') && t.get(1).is_some_and(u8::is_ascii_digit)
        || t.starts_with(b"at ")
        || t.starts_with(b"File \"")
}

/// A token with digits and letters that a diagnosis may read: a known code or a credential.
fn known(kb: &Knowledge, tok: &[u8]) -> bool {
    let Ok(t) = std::str::from_utf8(tok) else { return false };
    kb.prefixes.iter().any(|p| t.starts_with(p.prefix))
        || crate::knowledge::lookup(kb.codes, &crate::knowledge::schema::norm_code(t)).next().is_some()
}

/// The environment of the host token around a host literal at `line[start..end]`.
fn host_env(kb: &Knowledge, line: &[u8], start: usize, end: usize, out: &mut Vec<EnvSeen>) {
    let host_char = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
    let s = line[..start].iter().rposition(|&b| !host_char(b)).map_or(0, |i| i + 1);
    let e = line[end..].iter().position(|&b| !host_char(b)).map_or(line.len(), |i| end + i);
    let Ok(host) = std::str::from_utf8(&line[s..e]) else { return };
    let host = host.trim_end_matches(['.', '-']);
    let hits: Vec<_> = kb.host_env(host).collect();
    for h in &hits {
        if !hits.iter().any(|o| o.provider == h.provider && o.env != h.env) {
            out.push(EnvSeen { provider: h.provider, env: h.env, what: format!("host {host}") });
        }
    }
}

/// Hosts and credential shapes of one environment among a record's signals.
fn environments(sig: &signals::Signals, out: &mut Vec<EnvSeen>) {
    for h in &sig.hosts {
        if let Some(env) = h.env {
            out.push(EnvSeen { provider: h.provider, env, what: format!("host {}", h.host) });
        }
    }
    for c in sig.credentials.iter().filter(|c| c.shared_by == 1) {
        if let Some(env) = c.env {
            out.push(EnvSeen { provider: c.provider, env, what: format!("credential {}", c.masked) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_keys_ignore_noise_but_keep_codes() {
        let kb = &crate::knowledge::EMBEDDED;
        let key = |r: &str| cache_key(kb, r.as_bytes(), timestamps::find_span(r.as_bytes()).map(|(_, s)| s));
        let a = "2024-05-01T10:00:00Z [worker-3] order 12345678 req_8fk2 failed: E00027 (HTTP 422)\n#0 /x.php(681)";
        let b = "2024-05-02T11:30:00Z [worker-7] order 87654321 req_3fk9 failed: E00027 (HTTP 422)\n#0 /x.php(12)";
        assert_eq!(key(a), key(b));
        let c = r##"{"ts":"2024-05-01T10:00:00Z","msg":"declined","order":"#24271","amount":12.99,"request_id":"8f3e9a2b-1c4d-4e5f-9a0b-1c2d3e4f5a6b","charge":"ch_3Nx0012AbCd"}"##;
        let d = r##"{"ts":"2024-05-01T10:07:13Z","msg":"declined","order":"#4711093","amount":1040.50,"request_id":"0b9c8d7e-6f5a-4b3c-2d1e-0f9a8b7c6d5e","charge":"ch_9QzYx77"}"##;
        assert_eq!(key(c), key(d), "ids, amounts, order numbers and times are noise");
        for other in [a.replace("E00027", "E00028"), a.replace("422", "409"), a.replace("failed", "passed")] {
            assert_ne!(key(a), key(&other), "{other}");
        }
        let k1 = key("Authorization: Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc");
        assert_ne!(k1, key("Authorization: Bearer sk_test_4eC39HqLyjWDarjtT1zdp8dc"), "credentials stay whole");
    }
}
