//! Printing a scan from its [`report`](super::report) model: the human report (groups,
//! patterns, summary; colored as `explain`), `--json` (the model at the end) and `--ndjson`
//! (each finding as it is read, then the patterns and the summary). `--follow` prints human
//! findings as they are read.

use super::report::{FindingReport, Location, Record, ScanReport, Versioned};
use super::{Finding, Sink};
use crate::knowledge::Knowledge;
use crate::redact::Redactor;
use colored::Colorize;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Ndjson,
}

pub struct Printer<'a, W: Write> {
    out: W,
    format: Format,
    /// Human findings are printed as they are read (`--follow`).
    live: bool,
    red: &'a Redactor,
}

fn headline(provider: &str, code: Option<&str>, status: Option<u16>, category: &str) -> String {
    let mut parts = vec![provider.to_string()];
    if let Some(c) = code {
        parts.push(c.to_string());
    }
    if let Some(s) = status {
        parts.push(format!("HTTP {s}"));
    }
    parts.push(category.to_string());
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

fn range(first: u64, last: u64) -> String {
    if first == last { format!("line {first}") } else { format!("lines {first}–{last}") }
}

/// Evidence lines: `3, 9, 14` in one file, `a.log:3, b.log:9` across files; the lines left
/// out are counted.
fn lines(lines: &[Location], total: u64, one_file: bool) -> String {
    let mut s: Vec<String> =
        lines.iter().map(|l| if one_file { l.line.to_string() } else { format!("{}:{}", l.file, l.line) }).collect();
    let more = total.saturating_sub(lines.len() as u64);
    if more > 0 {
        s.push(format!("… {more} more"));
    }
    s.join(", ")
}

impl<'a, W: Write> Printer<'a, W> {
    pub fn new(out: W, format: Format, live: bool, red: &'a Redactor) -> Printer<'a, W> {
        Printer { out, format, live, red }
    }

    /// The end of the scan: the whole report (`--json`), the patterns and summary
    /// (`--ndjson`), or the human report.
    pub fn finish(&mut self, r: &ScanReport) -> io::Result<()> {
        let out = &mut self.out;
        match self.format {
            Format::Json => {
                serde_json::to_writer_pretty(&mut *out, r)?;
                writeln!(out)?;
            }
            Format::Ndjson => {
                for p in &r.patterns {
                    serde_json::to_writer(&mut *out, &Record::Pattern(Versioned::new(p)))?;
                    writeln!(out)?;
                }
                serde_json::to_writer(&mut *out, &Record::Summary(Versioned::new(&r.summary)))?;
                writeln!(out)?;
            }
            Format::Human => human(out, r)?,
        }
        out.flush()
    }
}

fn human(out: &mut impl Write, r: &ScanReport) -> io::Result<()> {
    for g in &r.groups {
        let head = headline(g.provider_name, g.code, g.http_status, g.category);
        writeln!(out, "{} {}", format!("{:>6}×", g.count).bold(), head.bold())?;
        writeln!(out, "        {}", g.title)?;
        let seen: Vec<String> =
            g.files.iter().map(|f| format!("{} {}", f.file, range(f.first_line, f.last_line))).collect();
        let when = match (&g.first_seen, &g.last_seen) {
            (Some(a), Some(b)) if a != b => format!(" · {a} → {b}"),
            (Some(a), _) => format!(" · {a}"),
            _ => String::new(),
        };
        writeln!(out, "        {} {}{}", "seen:".dimmed(), seen.join("; "), when)?;
        writeln!(out, "        {} {}", "sample:".dimmed(), g.sample)?;
        if !g.cause.is_empty() {
            writeln!(out, "        {} {}", "cause:".yellow(), g.cause)?;
        }
        if !g.fix.is_empty() {
            writeln!(out, "        {} {}", "fix:".green(), g.fix)?;
        }
        crate::render::webhook_hint(out, g.category, "        ")?;
        writeln!(out)?;
    }
    if !r.patterns.is_empty() {
        writeln!(out, "{}", "Patterns across lines".yellow().bold())?;
        for p in &r.patterns {
            writeln!(out, "  {} {}", "▲".yellow(), p.title.bold())?;
            writeln!(out, "    {}", p.detail)?;
            let one_file = p.files.len() <= 1;
            let place = if one_file {
                p.files.first().map(|f| format!("{f}: ")).unwrap_or_default()
            } else {
                format!("across {}: ", p.files.join(", "))
            };
            writeln!(out, "    {} {place}{}", "lines:".dimmed(), lines(&p.lines, p.lines_total, one_file))?;
        }
        writeln!(out)?;
    }
    let s = &r.summary;
    let c = &s.counts;
    let files = if c.files > 1 { format!("{} files, ", c.files) } else { String::new() };
    writeln!(
        out,
        "{}",
        format!(
            "{files}{} lines, {}, {} matched lines, {} groups, {} patterns, {:.2} s",
            c.lines,
            size(c.bytes),
            c.matched_lines,
            s.groups,
            s.patterns,
            s.elapsed_seconds
        )
        .dimmed()
    )
}

impl<W: Write> Sink for Printer<'_, W> {
    fn finding(&mut self, kb: &Knowledge, f: &Finding, sample: &str) -> io::Result<()> {
        match self.format {
            Format::Ndjson => {
                let r = FindingReport::new(kb, self.red, f, sample);
                serde_json::to_writer(&mut self.out, &Record::Finding(Versioned::new(&r)))?;
                writeln!(self.out)
            }
            Format::Human if self.live => {
                let e = &kb.entries[f.m.entry as usize];
                let time = f.place.time.map(|t| format!("{t} ")).unwrap_or_default();
                writeln!(
                    self.out,
                    "{}{} {}  {}",
                    time.dimmed(),
                    format!("{}:", f.place.line).dimmed(),
                    headline(kb.provider(e).name, f.m.code, f.m.status, e.category).bold(),
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
