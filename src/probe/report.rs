//! Printing a probe [`Report`]: the checklist (✓ / ✗ / – with timing and evidence) and the
//! one-sentence conclusion, or the stable `--json` object. Every string in a report was
//! redacted when the check wrote it; rendering adds nothing from the network.

use super::{Report, Status};
use colored::Colorize;
use serde::Serialize;
use std::io::{self, Write};

/// Version of the probe `--json` schema; bumped only on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct JsonCheck {
    pub check: &'static str,
    pub status: &'static str,
    pub millis: u64,
    pub summary: String,
    pub evidence: Vec<String>,
    pub category: Option<&'static str>,
}

#[derive(Serialize)]
pub struct JsonCredential {
    pub kind: &'static str,
    pub source: String,
    pub masked: String,
}

#[derive(Serialize)]
pub struct JsonConclusion {
    pub category: Option<&'static str>,
    pub check: Option<&'static str>,
    pub text: String,
}

#[derive(Serialize)]
pub struct JsonReport {
    pub schema_version: u32,
    pub provider: &'static str,
    pub environment: Option<&'static str>,
    pub base_url: String,
    pub credentials: Vec<JsonCredential>,
    pub warnings: Vec<String>,
    pub checks: Vec<JsonCheck>,
    pub conclusion: JsonConclusion,
}

pub fn to_json(r: &Report) -> JsonReport {
    let (category, text) = r.conclusion();
    JsonReport {
        schema_version: SCHEMA_VERSION,
        provider: r.provider.id,
        environment: r.env.map(|e| e.as_str()),
        base_url: r.base_url.clone(),
        credentials: r
            .credentials
            .iter()
            .map(|(k, s, m)| JsonCredential { kind: k, source: s.clone(), masked: m.clone() })
            .collect(),
        warnings: r.warnings.clone(),
        checks: r
            .checks
            .iter()
            .map(|c| JsonCheck {
                check: c.kind.as_str(),
                status: c.status.as_str(),
                millis: c.elapsed.as_millis() as u64,
                summary: c.summary.clone(),
                evidence: c.evidence.clone(),
                category: c.finding.as_ref().map(|f| f.category),
            })
            .collect(),
        conclusion: JsonConclusion { category, check: r.root().map(|c| c.kind.as_str()), text },
    }
}

pub fn json(out: &mut impl Write, r: &Report) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_json(r))?;
    writeln!(out)
}

pub fn human(out: &mut impl Write, r: &Report) -> io::Result<()> {
    let env = r.env.map(|e| format!(" · {e}")).unwrap_or_default();
    writeln!(out, "{}", format!("probe · {}{env} · {}", r.provider.name, r.base_url).bold())?;
    for (kind, source, masked) in &r.credentials {
        writeln!(out, "  {:<14} {masked}  {}", kind, format!("from {source}").dimmed())?;
    }
    for w in &r.warnings {
        writeln!(out, "  {} {w}", "warning:".yellow().bold())?;
    }
    writeln!(out)?;
    for c in &r.checks {
        let (mark, name) = match c.status {
            Status::Passed => ("✓".green().bold(), c.kind.as_str().green()),
            Status::Failed => ("✗".red().bold(), c.kind.as_str().red()),
            Status::Skipped => ("–".dimmed(), c.kind.as_str().dimmed()),
        };
        let time = if c.status == Status::Skipped { String::new() } else { format!("{} ms", c.elapsed.as_millis()) };
        writeln!(out, "  {mark} {name:<10} {:>7}  {}", time.dimmed(), c.summary)?;
        for e in &c.evidence {
            writeln!(out, "    {} {e}", "·".dimmed())?;
        }
    }
    let (category, text) = r.conclusion();
    writeln!(out)?;
    let label = match category {
        Some(cat) => format!("Conclusion ({cat}):").red().bold(),
        None => "Conclusion:".green().bold(),
    };
    writeln!(out, "{label} {text}")
}
