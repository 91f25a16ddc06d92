//! Printing a scan: the human report (groups, patterns, summary; colored as `explain`),
//! `--json` (one object at the end) and `--ndjson` (one object per finding as it is read,
//! then patterns and the summary, each with a `type`). Samples arrive already redacted;
//! file names and pattern details go through redaction here.

use super::group::Group;
use super::patterns::Pattern;
use super::{Finding, Sink, Summary};
use crate::knowledge::Knowledge;
use crate::redact::Redactor;
use colored::Colorize;
use serde::Serialize;
use serde_json::json;
use std::io::{self, Write};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Ndjson,
}

/// Version of the `scan --json`/`--ndjson` schema.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonGroup<'a> {
    provider: &'static str,
    provider_name: &'static str,
    entry: &'static str,
    code: Option<&'static str>,
    http_status: Option<u16>,
    category: &'static str,
    title: &'static str,
    count: u64,
    file: String,
    first_line: u64,
    last_line: u64,
    first_seen: Option<String>,
    last_seen: Option<String>,
    sample: &'a str,
    cause: &'static str,
    fix: &'static str,
}

fn group_json<'a>(kb: &Knowledge, red: &Redactor, g: &'a Group) -> JsonGroup<'a> {
    let e = &kb.entries[g.entry as usize];
    let p = kb.provider(e);
    JsonGroup {
        provider: p.id,
        provider_name: p.name,
        entry: e.id,
        code: g.code,
        http_status: g.status,
        category: e.category,
        title: e.title,
        count: g.count,
        file: red.line(&g.first_file).into_owned(),
        first_line: g.first_line,
        last_line: g.last_line,
        first_seen: g.first_seen.map(|t| t.to_string()),
        last_seen: g.last_seen.map(|t| t.to_string()),
        sample: &g.sample,
        cause: g.cause,
        fix: g.fix,
    }
}

fn pattern_json(kb: &Knowledge, red: &Redactor, p: &Pattern) -> serde_json::Value {
    json!({
        "kind": p.kind,
        "provider": kb.providers[p.provider as usize].id,
        "title": p.title,
        "detail": red.line(&p.detail),
        "count": p.count,
        "file": red.line(&p.file),
        "lines": p.lines,
    })
}

fn summary_json(s: &Summary, groups: usize, patterns: usize, elapsed: Duration) -> serde_json::Value {
    json!({
        "files": s.files,
        "lines": s.lines,
        "bytes": s.bytes,
        "matched_lines": s.matched_lines,
        "findings": s.findings,
        "candidates": s.candidates,
        "records": s.records,
        "groups": groups,
        "patterns": patterns,
        "elapsed_seconds": (elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
    })
}

pub struct Report<'a, W: Write> {
    out: W,
    format: Format,
    /// Human findings are printed as they are read (`--follow`).
    live: bool,
    red: &'a Redactor,
}

fn headline(kb: &Knowledge, entry: u32, code: Option<&str>, status: Option<u16>) -> String {
    let e = &kb.entries[entry as usize];
    let mut parts = vec![kb.provider(e).name.to_string()];
    if let Some(c) = code {
        parts.push(c.to_string());
    }
    if let Some(s) = status {
        parts.push(format!("HTTP {s}"));
    }
    parts.push(e.category.to_string());
    parts.join(" · ")
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

impl<'a, W: Write> Report<'a, W> {
    pub fn new(out: W, format: Format, live: bool, red: &'a Redactor) -> Report<'a, W> {
        Report { out, format, live, red }
    }

    /// The end of the scan: groups, patterns and the summary.
    pub fn finish(
        &mut self,
        kb: &Knowledge,
        groups: &[&Group],
        patterns: &[Pattern],
        summary: &Summary,
        elapsed: Duration,
    ) -> io::Result<()> {
        let red = self.red;
        let out = &mut self.out;
        match self.format {
            Format::Json => {
                let v = json!({
                    "schema_version": SCHEMA_VERSION,
                    "groups": groups.iter().map(|g| group_json(kb, red, g)).collect::<Vec<_>>(),
                    "patterns": patterns.iter().map(|p| pattern_json(kb, red, p)).collect::<Vec<_>>(),
                    "summary": summary_json(summary, groups.len(), patterns.len(), elapsed),
                });
                serde_json::to_writer_pretty(&mut *out, &v)?;
                writeln!(out)?;
            }
            Format::Ndjson => {
                for p in patterns {
                    let mut v = pattern_json(kb, red, p);
                    v["type"] = json!("pattern");
                    serde_json::to_writer(&mut *out, &v)?;
                    writeln!(out)?;
                }
                let mut v = summary_json(summary, groups.len(), patterns.len(), elapsed);
                v["type"] = json!("summary");
                serde_json::to_writer(&mut *out, &v)?;
                writeln!(out)?;
            }
            Format::Human => {
                for g in groups {
                    human_group(out, kb, red, g)?;
                }
                if !patterns.is_empty() {
                    writeln!(out, "{}", "Patterns across lines".yellow().bold())?;
                    for p in patterns {
                        writeln!(out, "  {} {}", "▲".yellow(), p.title.bold())?;
                        writeln!(out, "    {}", red.line(&p.detail))?;
                        let lines: Vec<String> = p.lines.iter().map(u64::to_string).collect();
                        writeln!(out, "    {} {}", "lines:".dimmed(), lines.join(", "))?;
                    }
                    writeln!(out)?;
                }
                writeln!(
                    out,
                    "{}",
                    format!(
                        "{} lines, {}, {} matched lines, {} groups, {} patterns, {:.2} s",
                        summary.lines,
                        size(summary.bytes),
                        summary.matched_lines,
                        groups.len(),
                        patterns.len(),
                        elapsed.as_secs_f64()
                    )
                    .dimmed()
                )?;
            }
        }
        out.flush()
    }
}

fn human_group(out: &mut impl Write, kb: &Knowledge, red: &Redactor, g: &Group) -> io::Result<()> {
    let e = &kb.entries[g.entry as usize];
    writeln!(out, "{} {}", format!("{:>6}×", g.count).bold(), headline(kb, g.entry, g.code, g.status).bold())?;
    writeln!(out, "        {}", e.title)?;
    let lines = if g.first_line == g.last_line && g.first_file == g.last_file {
        format!("line {}", g.first_line)
    } else {
        format!("lines {}–{}", g.first_line, g.last_line)
    };
    let when = match (g.first_seen, g.last_seen) {
        (Some(a), Some(b)) if a != b => format!(" · {a} → {b}"),
        (Some(a), _) => format!(" · {a}"),
        _ => String::new(),
    };
    writeln!(out, "        {} {}{}", "seen:".dimmed(), red.line(&format!("{} {lines}", g.first_file)), when)?;
    writeln!(out, "        {} {}", "sample:".dimmed(), g.sample)?;
    if !g.cause.is_empty() {
        writeln!(out, "        {} {}", "cause:".yellow(), g.cause)?;
    }
    if !g.fix.is_empty() {
        writeln!(out, "        {} {}", "fix:".green(), g.fix)?;
    }
    writeln!(out)
}

impl<W: Write> Sink for Report<'_, W> {
    fn finding(&mut self, kb: &Knowledge, f: &Finding, sample: &str) -> io::Result<()> {
        match self.format {
            Format::Ndjson => {
                let e = &kb.entries[f.m.entry as usize];
                let v = json!({
                    "type": "finding",
                    "provider": kb.provider(e).id,
                    "entry": e.id,
                    "code": f.m.code,
                    "http_status": f.m.status,
                    "category": e.category,
                    "title": e.title,
                    "confidence": (f64::from(f.m.confidence) * 100.0).round() / 100.0,
                    "file": self.red.line(&f.place.file),
                    "line": f.place.line,
                    "end_line": f.end_line,
                    "time": f.place.time.map(|t| t.to_string()),
                    "sample": sample,
                    "cause": f.m.causes.first().map(|c| c.cause.summary),
                    "fix": e.fixes.first(),
                });
                serde_json::to_writer(&mut self.out, &v)?;
                writeln!(self.out)
            }
            Format::Human if self.live => {
                let time = f.place.time.map(|t| format!("{t} ")).unwrap_or_default();
                writeln!(
                    self.out,
                    "{}{} {}  {}",
                    time.dimmed(),
                    format!("{}:", f.place.line).dimmed(),
                    headline(kb, f.m.entry, f.m.code, f.m.status).bold(),
                    sample
                )
            }
            _ => Ok(()),
        }
    }

    fn idle(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn wants_samples(&self) -> bool {
        self.format == Format::Ndjson || self.live
    }
}
