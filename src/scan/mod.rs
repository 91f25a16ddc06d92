//! `scan`: whole logs through the same engine as `explain`, at grep speed.
//!
//! The reader hands out whole lines from large buffers; the prefilter (one automaton over
//! each buffer) finds the rare lines worth a look; only those are parsed: their record (a
//! pretty-printed JSON body, an exception trace) goes through `signals::extract` and
//! `diagnose::rank`, the result is grouped, and context lines feed the cross-line patterns.

pub mod block;
pub mod group;
pub mod patterns;
pub mod prefilter;
pub mod reader;
pub mod report;
pub mod timestamps;

use crate::diagnose::{self, Match};
use crate::knowledge::Knowledge;
use crate::redact::Redactor;
use crate::signals;
use group::Groups;
use patterns::Patterns;
use prefilter::Prefilter;
use reader::{Chunk, LineReader};
use std::collections::HashMap;
use std::io;
use std::rc::Rc;
use timestamps::Timestamp;

/// The least confidence a diagnosis needs to count as a finding in a log.
const MIN_CONFIDENCE: f32 = 0.35;
/// Printed samples are cut to this many characters (after redaction).
const SAMPLE_CHARS: usize = 240;
/// A record is read for diagnosis up to this many bytes.
const MAX_RECORD: usize = reader::MAX_LINE;

/// Diagnoses remembered: a hash of the key and the match without its evidence (about
/// half a MiB in all); more distinct errors than this in one log only cost re-diagnosis.
const CACHE_ENTRIES: usize = 6144;

/// What a record's diagnosis depends on: the record without its timestamp, with long ids
/// (runs of 7+ digits, hex runs of 8+ with a digit) masked. Statuses, codes (at most 6
/// digits), messages, hosts and credential shapes stay, so equal keys diagnose the same.
fn cache_key(rec: &[u8], time: Option<std::ops::Range<usize>>) -> Vec<u8> {
    let mut key = Vec::with_capacity(rec.len());
    let mut i = 0;
    while i < rec.len() {
        if time.as_ref().is_some_and(|r| r.start == i) {
            i = time.as_ref().map_or(i, |r| r.end);
            continue;
        }
        let b = rec[i];
        if b.is_ascii_hexdigit() && (i == 0 || !rec[i - 1].is_ascii_alphanumeric()) {
            let run = rec[i..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
            let end = i + run;
            let whole = end == rec.len() || !rec[end].is_ascii_alphanumeric();
            let digits = rec[i..end].iter().filter(|c| c.is_ascii_digit()).count();
            let long_number = digits == run && run >= 7;
            let long_hex = run >= 8 && digits > 0;
            if whole && (long_number || long_hex) {
                key.push(b'#');
                i = end;
                continue;
            }
            key.extend_from_slice(&rec[i..end]);
            i = end;
            continue;
        }
        key.push(b);
        i += 1;
    }
    key
}

/// Where something was seen.
#[derive(Debug, Clone)]
pub struct Place {
    pub file: Rc<str>,
    pub line: u64,
    pub time: Option<Timestamp>,
}

/// One diagnosed record.
pub struct Finding {
    /// The record's first line and its time.
    pub place: Place,
    pub end_line: u64,
    pub m: Match,
}

pub struct Filters {
    pub provider: Option<u16>,
    pub category: Option<String>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub files: u64,
    pub lines: u64,
    pub bytes: u64,
    pub matched_lines: u64,
    pub findings: u64,
    /// Lines the prefilter picked.
    pub candidates: u64,
    /// Records diagnosed in full.
    pub records: u64,
}

/// Receives findings as they are read (NDJSON and `--follow` print them at once).
pub trait Sink {
    fn finding(&mut self, kb: &Knowledge, f: &Finding, sample: &str) -> io::Result<()>;
    /// The input is idle or over: a good moment to flush.
    fn idle(&mut self) -> io::Result<()>;
    /// Whether findings need a sample each (otherwise only a group's first one is made).
    fn wants_samples(&self) -> bool;
}

pub struct Scanner<'a> {
    kb: &'a Knowledge,
    pre: &'a Prefilter,
    red: &'a Redactor,
    filters: &'a Filters,
    pub groups: Groups,
    pub patterns: Patterns,
    pub summary: Summary,
    file: Rc<str>,
    /// Diagnoses of records seen before (see [`cache_key`]).
    cache: HashMap<u64, Option<Match>>,
    /// Newlines counted in the current file.
    newlines: u64,
    /// Stream offset where the last record read ended.
    record_end: u64,
    last_byte: Option<u8>,
}

/// The record as one line for printing: white space folded, cut before [`SAMPLE_CHARS`]
/// only after redaction (a secret is never cut in half before it is masked).
pub fn sample(red: &Redactor, text: &str) -> String {
    let folded: String = text.split_whitespace().take(400).collect::<Vec<_>>().join(" ");
    let red = red.line(&folded);
    match red.char_indices().nth(SAMPLE_CHARS) {
        Some((i, _)) => format!("{}…", &red[..i]),
        None => red.into_owned(),
    }
}

impl<'a> Scanner<'a> {
    pub fn new(kb: &'a Knowledge, pre: &'a Prefilter, red: &'a Redactor, filters: &'a Filters) -> Scanner<'a> {
        Scanner {
            kb,
            pre,
            red,
            filters,
            groups: Groups::default(),
            patterns: Patterns::new(),
            summary: Summary::default(),
            file: Rc::from(""),
            cache: HashMap::new(),
            newlines: 0,
            record_end: 0,
            last_byte: None,
        }
    }

    /// Scan one input to its end; `progress` is told the bytes read after each buffer.
    pub fn scan(&mut self, mut reader: LineReader, sink: &mut dyn Sink, progress: &dyn Fn(u64)) -> io::Result<()> {
        self.file = Rc::from(reader.source().name.as_str());
        self.newlines = 0;
        self.record_end = 0;
        self.last_byte = None;
        self.summary.files += 1;
        while let Some(chunk) = reader.next_chunk()? {
            let used = self.chunk(&chunk, sink)?;
            let idle = chunk.complete;
            reader.consume(used);
            progress(reader.bytes);
            if idle {
                sink.idle()?;
            }
        }
        self.summary.bytes += reader.bytes;
        if self.last_byte.is_some_and(|b| b != b'\n') {
            self.newlines += 1;
        }
        self.summary.lines += self.newlines;
        sink.idle()
    }

    /// Process the new lines of a chunk; returns how many bytes of them were used (the rest
    /// holds a record that may go on in the next read).
    fn chunk(&mut self, c: &Chunk, sink: &mut dyn Sink) -> io::Result<usize> {
        let d = c.data;
        if c.break_before && self.last_byte.is_some_and(|b| b != b'\n') {
            self.newlines += 1;
        }
        let mut counted = c.new;
        let mut at = c.new;
        while let Some(hit) = self.pre.find(d, at, d.len()) {
            let ls = memchr::memrchr(b'\n', &d[at..hit.start]).map_or(at, |i| at + i + 1);
            let le = block::line_end(d, hit.start);
            self.newlines += memchr::memchr_iter(b'\n', &d[counted..ls]).count() as u64;
            counted = ls;
            let line_no = self.newlines + 1;
            let next = self.line(c, ls, le, line_no, sink)?;
            match next {
                Some(end) => at = end,
                None => {
                    // the record may continue past this chunk: hand it back
                    self.last_byte = ls.checked_sub(1).map(|i| d[i]).or(self.last_byte);
                    return Ok(ls - c.new);
                }
            }
            self.newlines += memchr::memchr_iter(b'\n', &d[counted..at]).count() as u64;
            counted = at;
        }
        self.newlines += memchr::memchr_iter(b'\n', &d[counted..]).count() as u64;
        if d.len() > c.new {
            self.last_byte = d.last().copied();
        }
        Ok(d.len() - c.new)
    }

    /// One line with a prefilter hit; returns where scanning goes on, or `None` to defer.
    fn line(
        &mut self,
        c: &Chunk,
        ls: usize,
        le: usize,
        line_no: u64,
        sink: &mut dyn Sink,
    ) -> io::Result<Option<usize>> {
        let d = c.data;
        let line = &d[ls..le];
        let hits = self.pre.all(line);
        let (mut error, mut field, mut providers, mut tokens, mut success, mut host, mut credential) =
            (false, false, Vec::<u16>::new(), Vec::<u16>::new(), false, false, false);
        for h in &hits {
            let m = self.pre.meaning(h);
            error |= m.error;
            field |= m.code_field;
            success |= m.success;
            host |= m.host;
            credential |= m.credential;
            for p in &m.providers {
                if !providers.contains(p) {
                    providers.push(*p);
                }
            }
            tokens.extend(&m.token_endpoint);
        }
        let failure = self.pre.failure(line);
        if !error && (field || !providers.is_empty()) && failure {
            error = true;
        }
        self.summary.candidates += 1;
        let time = timestamps::find(line);
        let place = Place { file: self.file.clone(), line: line_no, time };
        if host {
            for h in &hits {
                if self.pre.meaning(h).host {
                    self.host_env(line, h.start, h.end, &place);
                }
            }
        }
        if providers.len() == 1 && !error {
            self.patterns.request(providers[0], &place);
        }
        if !tokens.is_empty() && !failure {
            self.patterns.token_issued(&tokens, &place);
        }
        if success && !failure && !line.windows(4).any(|w| w.eq_ignore_ascii_case(b"not ")) {
            self.patterns.success(line, &providers, &place);
        }
        if credential && !error {
            let text = String::from_utf8_lossy(line);
            let sig = signals::extract(self.kb, &text, None);
            self.environments(&sig, &place);
        }
        if !error {
            return Ok(Some(le));
        }
        let floor = self.record_end.saturating_sub(c.offset).min(ls as u64) as usize;
        let ext = block::extent(d, ls, le, floor);
        if ext.open && !c.complete && ls >= c.new && ext.end - ls < MAX_RECORD {
            return Ok(None);
        }
        self.record_end = c.offset + ext.end as u64;
        let first_line = line_no - memchr::memchr_iter(b'\n', &d[ext.start..ls]).count() as u64;
        let end_line = line_no + memchr::memchr_iter(b'\n', &d[ls..ext.end]).count() as u64
            - u64::from(d[..ext.end].last() == Some(&b'\n'));
        let rec = &d[ext.start..ext.end.min(ext.start + MAX_RECORD)];
        let text = String::from_utf8_lossy(rec);
        let span = timestamps::find_span(rec);
        let time = span.as_ref().map(|(t, _)| *t).or(time);
        let place = Place { file: self.file.clone(), line: first_line, time };
        let key = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            cache_key(rec, span.map(|(_, r)| r)).hash(&mut h);
            h.finish()
        };
        let best = match self.cache.get(&key) {
            Some(m) => m.clone(),
            None => {
                self.summary.records += 1;
                let sig = signals::extract(self.kb, &text, None);
                let diag = diagnose::rank(self.kb, &sig, 1);
                self.environments(&sig, &place);
                let ambiguous = diag.ambiguous;
                let m = diag.matches.into_iter().next().filter(|m| !ambiguous && m.confidence >= MIN_CONFIDENCE);
                // a scan reports the top cause only; evidence stays with `explain`
                let m = m.map(|mut m| {
                    m.evidence.clear();
                    m.causes.truncate(1);
                    m.causes.iter_mut().for_each(|c| c.support.clear());
                    m
                });
                if self.cache.len() >= CACHE_ENTRIES {
                    self.cache.clear();
                }
                self.cache.insert(key, m.clone());
                m
            }
        };
        let Some(m) = best else {
            return Ok(Some(ext.end));
        };
        // Entries for success states (`accredited`, `Authorised`) count only with a failure.
        let e = &self.kb.entries[m.entry as usize];
        let success_state = e.category == "other" || !e.status.is_empty() && e.status.iter().all(|s| *s < 400);
        if success_state && !self.pre.failure(rec) {
            return Ok(Some(ext.end));
        }
        let f = Finding { place, end_line, m };
        let provider = self.kb.entries[f.m.entry as usize].provider;
        self.patterns.request(provider, &f.place);
        self.patterns.finding(self.kb, &f, &text);
        if !self.keep(&f) {
            return Ok(Some(ext.end));
        }
        self.summary.findings += 1;
        self.summary.matched_lines += end_line - first_line + 1;
        let red = self.red;
        let s = if sink.wants_samples() { sample(red, &text) } else { String::new() };
        let file = self.file.clone();
        self.groups.add(self.kb, &f, &file, || if s.is_empty() { sample(red, &text) } else { s.clone() });
        sink.finding(self.kb, &f, &s)?;
        Ok(Some(ext.end))
    }

    fn keep(&self, f: &Finding) -> bool {
        let e = &self.kb.entries[f.m.entry as usize];
        let flt = self.filters;
        flt.provider.is_none_or(|p| p == e.provider)
            && flt.category.as_deref().is_none_or(|c| c == e.category)
            && (flt.since.is_none() && flt.until.is_none()
                || f.place.time.is_some_and(|t| {
                    flt.since.is_none_or(|s| t.millis >= s.millis) && flt.until.is_none_or(|u| t.millis <= u.millis)
                }))
    }

    /// The environment of the host token around a host literal.
    fn host_env(&mut self, line: &[u8], start: usize, end: usize, at: &Place) {
        let host_char = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
        let s = line[..start].iter().rposition(|&b| !host_char(b)).map_or(0, |i| i + 1);
        let e = line[end..].iter().position(|&b| !host_char(b)).map_or(line.len(), |i| end + i);
        let Ok(host) = std::str::from_utf8(&line[s..e]) else { return };
        let host = host.trim_end_matches(['.', '-']);
        let hits: Vec<_> = self.kb.host_env(host).collect();
        for h in &hits {
            if !hits.iter().any(|o| o.provider == h.provider && o.env != h.env) {
                self.patterns.environment(h.provider, h.env, format!("host {host}"), at);
            }
        }
    }

    fn environments(&mut self, sig: &signals::Signals, at: &Place) {
        for h in &sig.hosts {
            if let Some(env) = h.env {
                self.patterns.environment(h.provider, env, format!("host {}", h.host), at);
            }
        }
        for c in sig.credentials.iter().filter(|c| c.shared_by == 1) {
            if let Some(env) = c.env {
                self.patterns.environment(c.provider, env, format!("credential {}", c.masked), at);
            }
        }
    }
}
