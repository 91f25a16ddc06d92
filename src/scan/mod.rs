//! `scan`: whole logs through the same engine as `explain`, at grep speed.
//!
//! The reader hands out whole lines from large buffers; each buffer is cut into parts that
//! threads read in parallel ([`classify`]: the prefilter automaton finds the rare lines worth
//! a look, and only those are parsed: their record, a pretty-printed JSON body or an
//! exception trace, goes through `signals::extract` and `diagnose::rank`). The scanner puts
//! the parts back in order, numbers their lines, and applies them while the threads read the
//! next buffer: findings to the groups, context lines to the cross-line patterns.

pub mod automaton;
pub mod block;
pub mod classify;
pub mod group;
pub mod keys;
pub mod patterns;
pub mod prefilter;
pub mod print;
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

/// Chunks are cut into parts of at least this size for parallel reading,
const MIN_PART: usize = 32 << 10;
/// and into this many parts per thread at most, so that threads finish together.
const PARTS_PER_THREAD: usize = 4;
/// The least confidence a diagnosis needs to count as a finding in a log.
const MIN_CONFIDENCE: f32 = 0.45;
/// Printed samples are cut to this many characters (after redaction).
const SAMPLE_CHARS: usize = 240;
/// A record is read for diagnosis up to this many bytes.
const MAX_RECORD: usize = reader::MAX_LINE;

/// Offsets that cut `data[from..]` into at most `parts` runs of whole lines of about the same
/// size: the first is `from`, the last `data.len()`.
fn split(data: &[u8], from: usize, parts: usize, min_part: usize) -> Vec<usize> {
    let len = data.len() - from;
    let n = parts.min(len / min_part.max(1)).max(1);
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

/// What a scan reports: groups and patterns alike. The time window applies as lines are
/// read (what is outside feeds neither); the rest when findings and the report are made.
#[derive(Default)]
pub struct Filters {
    pub provider: Option<u16>,
    pub category: Option<String>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// Groups and patterns seen fewer times are left out of the report.
    pub min_count: u64,
}

impl Filters {
    /// Whether a provider and category pass `--provider` and `--category`.
    pub fn keeps(&self, provider: u16, category: &str) -> bool {
        self.provider.is_none_or(|p| p == provider) && self.category.as_deref().is_none_or(|c| c == category)
    }
}

/// One input read: its name, lines and bytes.
#[derive(Debug, Clone)]
pub struct Input {
    pub file: Rc<str>,
    pub lines: u64,
    pub bytes: u64,
}

/// What a scan counts as it reads; the report prints these as they are.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Counts {
    pub files: u64,
    pub lines: u64,
    pub bytes: u64,
    pub matched_lines: u64,
    pub findings: u64,
    /// Lines the prefilter picked.
    pub candidates: u64,
    /// Diagnoses made in full; the other records reused the diagnosis of one that differed
    /// only in noise.
    pub records: u64,
}

#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub inputs: Vec<Input>,
    pub counts: Counts,
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
    pool: Option<rayon::ThreadPool>,
    /// The smallest part worth a thread.
    min_part: usize,
    /// Diagnoses of records seen before, shared by the threads.
    diagnoses: std::sync::Arc<classify::Diagnoses>,
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
            pool: None,
            min_part: MIN_PART,
            diagnoses: Default::default(),
            newlines: 0,
            record_end: 0,
            last_byte: None,
        }
    }

    /// Cut buffers into parts as small as `bytes` (the fuzz target reads tiny inputs in
    /// parallel this way, to exercise putting parts back in order).
    pub fn min_part(mut self, bytes: usize) -> Scanner<'a> {
        self.min_part = bytes;
        self
    }

    /// Scan one input to its end; `progress` is told the bytes read after each buffer.
    ///
    /// Each buffer is cut into parts at line ends and read on the pool ([`classify::part`])
    /// while the steps of the buffer before are applied here; then the parts are put in
    /// place ([`Scanner::stitch`]): line numbers, records that reached across parts.
    pub fn scan(&mut self, mut reader: LineReader, sink: &mut dyn Sink, progress: &dyn Fn(u64)) -> io::Result<()> {
        self.file = Rc::from(reader.source().name.as_str());
        self.newlines = 0;
        self.record_end = 0;
        self.last_byte = None;
        self.summary.counts.files += 1;
        let mut ready = Vec::new();
        while let Some(chunk) = reader.next_chunk()? {
            let parts = self.read_while_applying(&chunk, std::mem::take(&mut ready), sink)?;
            let used = self.stitch(&chunk, parts, &mut ready);
            let idle = chunk.complete;
            reader.consume(used);
            progress(reader.bytes);
            if idle {
                // nothing more may come for a while: report what was read now
                self.apply(std::mem::take(&mut ready), sink)?;
                sink.idle()?;
            }
        }
        self.apply(ready, sink)?;
        self.summary.counts.bytes += reader.bytes;
        if self.last_byte.is_some_and(|b| b != b'\n') {
            self.newlines += 1;
        }
        self.summary.counts.lines += self.newlines;
        self.summary.inputs.push(Input { file: self.file.clone(), lines: self.newlines, bytes: reader.bytes });
        self.summary.counts.records = self.diagnoses.made();
        sink.idle()
    }

    /// Read the new lines of a chunk in parts while `previous` is applied: the pool's threads
    /// and then this one take the parts in turn (all on this thread when the chunk is small
    /// or one thread was asked for).
    fn read_while_applying(
        &mut self,
        c: &Chunk,
        previous: Vec<Candidate>,
        sink: &mut dyn Sink,
    ) -> io::Result<Vec<Part>> {
        let diagnoses = self.diagnoses.clone();
        let cx = self.context(c, c.new, &diagnoses);
        let bounds = split(c.data, c.new, self.threads * PARTS_PER_THREAD, self.min_part);
        let read = |i: usize| classify::part(&cx, bounds[i], bounds[i], bounds[i + 1]);
        let n = bounds.len() - 1;
        if n <= 1 || self.threads == 1 {
            self.apply(previous, sink)?;
            return Ok((0..n).map(read).collect());
        }
        if self.pool.is_none() {
            self.pool = rayon::ThreadPoolBuilder::new().num_threads(self.threads - 1).build().ok();
        }
        let Some(pool) = self.pool.take() else {
            self.apply(previous, sink)?;
            return Ok((0..n).map(read).collect());
        };
        let slots: Vec<std::sync::OnceLock<Part>> = (0..n).map(|_| std::sync::OnceLock::new()).collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let _ = slots[i].set(read(i));
            }
        };
        let applied = pool.in_place_scope(|s| {
            for _ in 0..pool.current_num_threads() {
                s.spawn(|_| work());
            }
            let applied = self.apply(previous, sink);
            work();
            applied
        });
        self.pool = Some(pool);
        applied?;
        Ok(slots.into_iter().enumerate().map(|(i, s)| s.into_inner().unwrap_or_else(|| read(i))).collect())
    }

    /// What a part of this chunk needs, with records reaching back no further than the end of
    /// the last one read.
    fn context<'c>(&self, c: &Chunk<'c>, at: usize, diagnoses: &'c classify::Diagnoses) -> classify::Context<'c>
    where
        'a: 'c,
    {
        let floor = self.record_end.saturating_sub(c.offset).min(at as u64) as usize;
        classify::Context { kb: self.kb, pre: self.pre, data: c.data, floor, complete: c.complete, diagnoses }
    }

    /// Put the parts of a chunk in place, in order: number their lines, drop steps inside a
    /// record already read, redo a step that depended on the part before it (a record
    /// reaching back across the cut) with the rest of its part. The candidates go to `ready`;
    /// returns how many bytes of the new data were used (the rest holds a record that may go
    /// on in the next read).
    fn stitch(&mut self, c: &Chunk, parts: Vec<Part>, ready: &mut Vec<Candidate>) -> usize {
        let d = c.data;
        if c.break_before && self.last_byte.is_some_and(|b| b != b'\n') {
            self.newlines += 1;
        }
        let mut at = c.new;
        for part in parts {
            if let Some(used) = self.stitch_part(c, part, &mut at, false, ready) {
                return used;
            }
        }
        if d.len() > c.new {
            self.last_byte = d.last().copied();
        }
        d.len() - c.new
    }

    fn stitch_part(
        &mut self,
        c: &Chunk,
        part: Part,
        at: &mut usize,
        redone: bool,
        ready: &mut Vec<Candidate>,
    ) -> Option<usize> {
        let d = c.data;
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
                let diagnoses = self.diagnoses.clone();
                let redo = classify::part(&self.context(c, *at, &diagnoses), part.origin, *at, part.to);
                return self.stitch_part(c, redo, at, true, ready);
            }
            match step {
                Step::Defer { start, nl } => {
                    self.newlines += nl;
                    self.last_byte = start.checked_sub(1).map(|i| d[i]).or(self.last_byte);
                    return Some(start - c.new);
                }
                Step::Line(mut k) => {
                    *at = end;
                    k.line = self.newlines + k.nl + 1;
                    if let Some(r) = &k.record {
                        self.record_end = c.offset + r.end as u64;
                    }
                    ready.push(k);
                }
            }
        }
        self.newlines += part.newlines;
        None
    }

    /// Apply candidate lines in order: their context to the patterns, their findings to the
    /// groups and the sink.
    fn apply(&mut self, ready: Vec<Candidate>, sink: &mut dyn Sink) -> io::Result<()> {
        for k in ready {
            self.candidate(k, sink)?;
        }
        Ok(())
    }

    fn candidate(&mut self, k: Candidate, sink: &mut dyn Sink) -> io::Result<()> {
        self.summary.counts.candidates += 1;
        let place = Place { file: self.file.clone(), line: k.line, time: k.time };
        // the patterns see only what is inside the time window, like the groups
        if self.in_window(k.time) {
            for e in k.envs {
                self.patterns.environment(e.provider, e.env, e.what, &place);
            }
            if k.providers.len() == 1 && !k.error {
                self.patterns.request(k.providers[0], &place);
            }
            if !k.token_issued.is_empty() {
                self.patterns.token_issued(&k.token_issued, &place);
            }
            if !k.success.is_empty() {
                self.patterns.success(k.success, &k.providers, &place);
            }
        }
        let Some(r) = k.record else { return Ok(()) };
        let (first_line, end_line) = (k.line - r.lines_before, k.line + r.lines_after);
        let place = Place { file: self.file.clone(), line: first_line, time: r.time };
        let live = self.in_window(r.time);
        if live {
            for e in r.envs {
                self.patterns.environment(e.provider, e.env, e.what, &place);
            }
        }
        let Some((m, text)) = r.finding else { return Ok(()) };
        let f = Finding { place, end_line, m };
        if live {
            let provider = self.kb.entries[f.m.entry as usize].provider;
            self.patterns.request(provider, &f.place);
            self.patterns.finding(self.kb, &f, &text);
        }
        if !live || !self.keep(&f) {
            return Ok(());
        }
        self.summary.counts.findings += 1;
        self.summary.counts.matched_lines += end_line - first_line + 1;
        let red = self.red;
        let s = if sink.wants_samples() { sample(red, &text) } else { String::new() };
        self.groups.add(self.kb, &f, || if s.is_empty() { sample(red, &text) } else { s.clone() });
        sink.finding(self.kb, &f, &s)
    }

    /// Whether a time is inside `--since`/`--until` (without them, every line is; with them,
    /// a line without a time is not).
    fn in_window(&self, time: Option<Timestamp>) -> bool {
        let flt = self.filters;
        flt.since.is_none() && flt.until.is_none()
            || time.is_some_and(|t| {
                flt.since.is_none_or(|s| t.millis >= s.millis) && flt.until.is_none_or(|u| t.millis <= u.millis)
            })
    }

    /// Whether a finding passes `--provider` and `--category`.
    fn keep(&self, f: &Finding) -> bool {
        let e = &self.kb.entries[f.m.entry as usize];
        self.filters.keeps(e.provider, e.category)
    }
}
