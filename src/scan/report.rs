//! The scan report, defined once: the typed model that `--json` serializes whole, `--ndjson`
//! streams record by record (each with its `type`), and the human report prints. File names,
//! samples and pattern details are redacted when the model is built, so every format prints
//! the same masked text.

use super::group::Group;
use super::patterns::{Pattern, PatternKind};
use super::{Filters, Finding, Summary};
use crate::knowledge::Knowledge;
use crate::redact::Redactor;
use serde::Serialize;
use std::time::Duration;

/// Version of the `scan --json`/`--ndjson` schema (every record carries it).
pub const SCHEMA_VERSION: u32 = 2;

/// A place in the input: the file (as named on the command line, `<stdin>` for a pipe) and
/// the line (1-based).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: u64,
}

/// The lines of one file a group was seen on.
#[derive(Debug, Clone, Serialize)]
pub struct FileRange {
    pub file: String,
    pub first_line: u64,
    pub last_line: u64,
    pub count: u64,
}

/// One root cause: every finding diagnosed as the same knowledge entry.
#[derive(Debug, Clone, Serialize)]
pub struct GroupReport {
    pub provider: &'static str,
    pub provider_name: &'static str,
    pub entry: &'static str,
    pub code: Option<&'static str>,
    pub http_status: Option<u16>,
    pub category: &'static str,
    pub title: &'static str,
    pub count: u64,
    pub first: Location,
    pub last: Location,
    /// Each file's range, in the order the files were read.
    pub files: Vec<FileRange>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub sample: String,
    pub cause: &'static str,
    pub fix: &'static str,
}

/// What no single line shows, with the lines it rests on.
#[derive(Debug, Clone, Serialize)]
pub struct PatternReport {
    pub kind: PatternKind,
    pub provider: &'static str,
    pub category: &'static str,
    pub title: String,
    pub detail: String,
    pub count: u64,
    /// The files its lines are in (more than one: the pattern spans files).
    pub files: Vec<String>,
    /// The first evidence lines; `lines_total` counts them all.
    pub lines: Vec<Location>,
    pub lines_total: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

/// One diagnosed record, as `--ndjson` and `--follow` print it when it is read.
#[derive(Debug, Clone, Serialize)]
pub struct FindingReport {
    pub provider: &'static str,
    pub entry: &'static str,
    pub code: Option<&'static str>,
    pub http_status: Option<u16>,
    pub category: &'static str,
    pub title: &'static str,
    pub confidence: f64,
    pub file: String,
    pub line: u64,
    pub end_line: u64,
    pub time: Option<String>,
    pub sample: String,
    pub cause: Option<&'static str>,
    pub fix: Option<&'static str>,
}

/// One input read.
#[derive(Debug, Clone, Serialize)]
pub struct InputReport {
    pub file: String,
    pub lines: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SummaryReport {
    #[serde(flatten)]
    pub counts: super::Counts,
    pub groups: usize,
    pub patterns: usize,
    pub elapsed_seconds: f64,
    pub inputs: Vec<InputReport>,
}

/// The whole report, as `--json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    pub schema_version: u32,
    pub groups: Vec<GroupReport>,
    pub patterns: Vec<PatternReport>,
    pub summary: SummaryReport,
}

/// One `--ndjson` line.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record<'a> {
    Finding(Versioned<&'a FindingReport>),
    Pattern(Versioned<&'a PatternReport>),
    Summary(Versioned<&'a SummaryReport>),
}

#[derive(Serialize)]
pub struct Versioned<T> {
    pub schema_version: u32,
    #[serde(flatten)]
    pub body: T,
}

impl<T> Versioned<T> {
    pub fn new(body: T) -> Versioned<T> {
        Versioned { schema_version: SCHEMA_VERSION, body }
    }
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

impl FindingReport {
    pub fn new(kb: &Knowledge, red: &Redactor, f: &Finding, sample: &str) -> FindingReport {
        let e = &kb.entries[f.m.entry as usize];
        FindingReport {
            provider: kb.provider(e).id,
            entry: e.id,
            code: f.m.code,
            http_status: f.m.status,
            category: e.category,
            title: e.title,
            confidence: round(f64::from(f.m.confidence), 2),
            file: red.line(&f.place.file).into_owned(),
            line: f.place.line,
            end_line: f.end_line,
            time: f.place.time.map(|t| t.to_string()),
            sample: sample.to_string(),
            cause: f.m.causes.first().map(|c| c.cause.summary),
            fix: e.fixes.first().copied(),
        }
    }
}

fn group_report(kb: &Knowledge, red: &Redactor, g: &Group) -> GroupReport {
    let e = &kb.entries[g.entry as usize];
    let p = kb.provider(e);
    let files: Vec<FileRange> = g
        .files
        .iter()
        .map(|s| FileRange {
            file: red.line(&s.file).into_owned(),
            first_line: s.first_line,
            last_line: s.last_line,
            count: s.count,
        })
        .collect();
    let (first, last) = (&files[0], &files[files.len() - 1]);
    GroupReport {
        provider: p.id,
        provider_name: p.name,
        entry: e.id,
        code: g.code,
        http_status: g.status,
        category: e.category,
        title: e.title,
        count: g.count,
        first: Location { file: first.file.clone(), line: first.first_line },
        last: Location { file: last.file.clone(), line: last.last_line },
        first_seen: g.first_seen.map(|t| t.to_string()),
        last_seen: g.last_seen.map(|t| t.to_string()),
        files,
        sample: g.sample.clone(),
        cause: g.cause,
        fix: g.fix,
    }
}

fn pattern_report(kb: &Knowledge, red: &Redactor, p: &Pattern) -> PatternReport {
    let ev = &p.evidence;
    PatternReport {
        kind: p.kind,
        // a pattern of no one provider (webhook events without a provider marker)
        provider: kb.providers.get(p.provider as usize).map_or("unknown", |x| x.id),
        category: p.kind.category(),
        title: p.title.clone(),
        detail: red.line(&p.detail).into_owned(),
        count: p.count,
        files: ev.files.iter().map(|f| red.line(f).into_owned()).collect(),
        lines: ev.lines.iter().map(|(f, l)| Location { file: red.line(f).into_owned(), line: *l }).collect(),
        lines_total: ev.total,
        first_seen: ev.first_seen.map(|t| t.to_string()),
        last_seen: ev.last_seen.map(|t| t.to_string()),
    }
}

impl ScanReport {
    /// The report of a finished scan: the selected groups (most frequent first) and patterns.
    pub fn new(
        kb: &Knowledge,
        red: &Redactor,
        groups: &[Group],
        patterns: &[Pattern],
        summary: &Summary,
        select: &Filters,
        elapsed: Duration,
    ) -> ScanReport {
        let mut groups: Vec<&Group> = groups
            .iter()
            .filter(|g| {
                let e = &kb.entries[g.entry as usize];
                select.keeps(e.provider, e.category) && g.count >= select.min_count
            })
            .collect();
        groups.sort_by(|a, b| b.count.cmp(&a.count).then(a.files[0].first_line.cmp(&b.files[0].first_line)));
        let groups: Vec<GroupReport> = groups.into_iter().map(|g| group_report(kb, red, g)).collect();
        let patterns: Vec<PatternReport> = patterns
            .iter()
            .filter(|p| select.keeps(p.provider, p.kind.category()) && p.count >= select.min_count)
            .map(|p| pattern_report(kb, red, p))
            .collect();
        let summary = SummaryReport {
            counts: summary.counts,
            groups: groups.len(),
            patterns: patterns.len(),
            elapsed_seconds: round(elapsed.as_secs_f64(), 3),
            inputs: summary
                .inputs
                .iter()
                .map(|i| InputReport { file: red.line(&i.file).into_owned(), lines: i.lines, bytes: i.bytes })
                .collect(),
        };
        ScanReport { schema_version: SCHEMA_VERSION, groups, patterns, summary }
    }
}
