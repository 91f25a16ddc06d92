//! `scan`: whole logs through the same engine as `explain`, at grep speed.
//!
//! The reader hands out whole lines from large buffers; the prefilter (one automaton over
//! each buffer) finds the rare lines worth a look; only those are parsed: their record (a
//! pretty-printed JSON body, an exception trace) goes through `signals::extract` and
//! `diagnose::rank`, the result is grouped, and context lines feed the cross-line patterns.

pub mod block;
pub mod classify;
pub mod group;
pub mod patterns;
pub mod prefilter;
pub mod reader;
pub mod report;
pub mod timestamps;

use crate::diagnose::Match;
use crate::knowledge::Knowledge;
use crate::redact::Redactor;
use classify::{Candidate, Part, Step};
use group::Groups;
use patterns::Patterns;
use prefilter::Prefilter;
use reader::{Chunk, LineReader};
use std::io;
use std::rc::Rc;
use timestamps::Timestamp;

/// Chunks are cut into parts of at least this size for parallel reading.
const MIN_PART: usize = 64 << 10;
/// The least confidence a diagnosis needs to count as a finding in a log.
const MIN_CONFIDENCE: f32 = 0.35;
/// Printed samples are cut to this many characters (after redaction).
const SAMPLE_CHARS: usize = 240;
/// A record is read for diagnosis up to this many bytes.
const MAX_RECORD: usize = reader::MAX_LINE;

/// Offsets that cut `data[from..]` into at most `parts` runs of whole lines of about the same
/// size: the first is `from`, the last `data.len()`.
fn split(data: &[u8], from: usize, parts: usize) -> Vec<usize> {
    let len = data.len() - from;
    let n = parts.min(len / MIN_PART).max(1);
    let mut bounds = vec![from];
    for i in 1..n {
        let target = from + len * i / n;
        match memchr::memchr(b'\n', &data[target..]) {
            Some(j) if target + j + 1 < data.len() => bounds.push(target + j + 1),
            _ => break,
        }
    }
    bounds.push(data.len());
    bounds.dedup();
    bounds
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
    /// Parts each chunk is cut into, read in parallel.
    threads: usize,
    /// The threads that read them, started with the first chunk large enough to cut.
    pool: std::cell::OnceCell<Option<rayon::ThreadPool>>,
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
    /// A scanner that cuts each buffer into `threads` parts read in parallel.
    pub fn new(
        kb: &'a Knowledge,
        pre: &'a Prefilter,
        red: &'a Redactor,
        filters: &'a Filters,
        threads: usize,
    ) -> Scanner<'a> {
        Scanner {
            kb,
            pre,
            red,
            filters,
            groups: Groups::default(),
            patterns: Patterns::new(),
            summary: Summary::default(),
            file: Rc::from(""),
            threads: threads.max(1),
            pool: std::cell::OnceCell::new(),
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
    /// holds a record that may go on in the next read). The chunk is cut into parts at line
    /// ends, read in parallel ([`classify::part`]), and their steps applied in order here.
    fn chunk(&mut self, c: &Chunk, sink: &mut dyn Sink) -> io::Result<usize> {
        let d = c.data;
        if c.break_before && self.last_byte.is_some_and(|b| b != b'\n') {
            self.newlines += 1;
        }
        let cx = self.context(c, c.new);
        let bounds = split(d, c.new, self.threads);
        let parts: Vec<Part> = if bounds.len() == 2 {
            vec![classify::part(&cx, c.new, c.new, d.len())]
        } else {
            use rayon::prelude::*;
            let read = || bounds.par_windows(2).map(|w| classify::part(&cx, w[0], w[0], w[1])).collect();
            match self.pool.get_or_init(|| rayon::ThreadPoolBuilder::new().num_threads(self.threads).build().ok()) {
                Some(pool) => pool.install(read),
                None => read(),
            }
        };
        let mut at = c.new;
        for (part, w) in parts.into_iter().zip(bounds.windows(2)) {
            if let Some(used) = self.apply(c, part, w[0], w[1], &mut at, false, sink)? {
                return Ok(used);
            }
        }
        if d.len() > c.new {
            self.last_byte = d.last().copied();
        }
        Ok(d.len() - c.new)
    }

    /// What a part of this chunk needs, with records reaching back no further than the end of
    /// the last one applied.
    fn context<'c>(&self, c: &Chunk<'c>, at: usize) -> classify::Context<'c>
    where
        'a: 'c,
    {
        let floor = self.record_end.saturating_sub(c.offset).min(at as u64) as usize;
        classify::Context { kb: self.kb, pre: self.pre, data: c.data, floor, complete: c.complete }
    }

    /// Apply the steps of the part `data[from..to]` in order; `at` is where scanning goes on.
    /// A step that depended on what came before it (a record reaching into the previous
    /// part) is redone here, with the rest of its part. Returns the bytes used when a record
    /// is handed back.
    #[allow(clippy::too_many_arguments)]
    fn apply(
        &mut self,
        c: &Chunk,
        part: Part,
        from: usize,
        to: usize,
        at: &mut usize,
        redone: bool,
        sink: &mut dyn Sink,
    ) -> io::Result<Option<usize>> {
        let d = c.data;
        let newlines = part.newlines;
        for step in part.steps {
            let (start, end) = match &step {
                Step::Defer { start, .. } => (*start, d.len()),
                Step::Line(k) => (k.start, k.record.as_ref().map_or(k.end, |r| r.end)),
            };
            if start < *at && end <= *at {
                continue; // inside a record already read
            }
            let floor = self.record_end.saturating_sub(c.offset) as usize;
            let in_order = start >= *at
                && match &step {
                    Step::Line(k) => k
                        .record
                        .as_ref()
                        .is_none_or(|r| r.start >= floor.min(k.start) && (r.floor == floor || r.start > r.floor)),
                    Step::Defer { .. } => true,
                };
            if !in_order && !redone {
                let redo = classify::part(&self.context(c, *at), from, *at, to);
                return self.apply(c, redo, from, to, at, true, sink);
            }
            match step {
                Step::Defer { start, nl } => {
                    self.newlines += nl;
                    self.last_byte = start.checked_sub(1).map(|i| d[i]).or(self.last_byte);
                    return Ok(Some(start - c.new));
                }
                Step::Line(k) => {
                    *at = end;
                    self.candidate(c, k, sink)?;
                }
            }
        }
        self.newlines += newlines;
        Ok(None)
    }

    /// Apply one candidate line: its context to the patterns, its finding to the groups.
    fn candidate(&mut self, c: &Chunk, k: Candidate, sink: &mut dyn Sink) -> io::Result<()> {
        self.summary.candidates += 1;
        let line_no = self.newlines + k.nl + 1;
        let place = Place { file: self.file.clone(), line: line_no, time: k.time };
        for e in k.envs {
            self.patterns.environment(e.provider, e.env, e.what, &place);
        }
        if k.providers.len() == 1 && !k.error {
            self.patterns.request(k.providers[0], &place);
        }
        if !k.token_issued.is_empty() {
            self.patterns.token_issued(&k.token_issued, &place);
        }
        if k.success {
            self.patterns.success(&c.data[k.start..k.end], &k.providers, &place);
        }
        let Some(r) = k.record else { return Ok(()) };
        self.summary.records += u64::from(r.diagnosed);
        self.record_end = c.offset + r.end as u64;
        let (first_line, end_line) = (line_no - r.lines_before, line_no + r.lines_after);
        let place = Place { file: self.file.clone(), line: first_line, time: r.time };
        for e in r.envs {
            self.patterns.environment(e.provider, e.env, e.what, &place);
        }
        let Some(m) = r.finding else { return Ok(()) };
        let text = String::from_utf8_lossy(&c.data[r.start..r.end.min(r.start + MAX_RECORD)]);
        let f = Finding { place, end_line, m };
        let provider = self.kb.entries[f.m.entry as usize].provider;
        self.patterns.request(provider, &f.place);
        self.patterns.finding(self.kb, &f, &text);
        if !self.keep(&f) {
            return Ok(());
        }
        self.summary.findings += 1;
        self.summary.matched_lines += end_line - first_line + 1;
        let red = self.red;
        let s = if sink.wants_samples() { sample(red, &text) } else { String::new() };
        let file = self.file.clone();
        self.groups.add(self.kb, &f, &file, || if s.is_empty() { sample(red, &text) } else { s.clone() });
        sink.finding(self.kb, &f, &s)
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
}
