//! `paydoctor kb check|stats`: tools for knowledge authors.

use crate::cli::KbCommand;
use crate::exit::Exit;
use crate::knowledge::company::Layers;
use crate::knowledge::{self, EMBEDDED, Knowledge, check};
use crate::output;
use anyhow::{Result, bail};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

pub fn run(layers: &Layers, cmd: &KbCommand) -> Result<Exit> {
    match cmd {
        KbCommand::Check { dir, standalone } => run_check(layers, dir.as_deref(), *standalone),
        KbCommand::Stats { catalog, min_coverage, json } => {
            stats(&layers.open()?, catalog.as_deref(), *min_coverage, *json)
        }
        KbCommand::Codes => {
            let mut out = output::stdout();
            for c in crate::scan::prefilter::distinctive_codes(&layers.open()?) {
                writeln!(out, "{c}")?;
            }
            out.flush()?;
            Ok(Exit::Success)
        }
    }
}

/// Validate the company files (DIR, --kb, PAYDOCTOR_KB) merged over the embedded knowledge,
/// then round-trip every sample of the merged knowledge: a company file can break an
/// embedded sample too (a marker or message that captures it).
/// With `standalone`, DIR alone is the knowledge base.
fn run_check(layers: &Layers, dir: Option<&Path>, standalone: bool) -> Result<Exit> {
    let layers = match dir {
        Some(d) if standalone => Layers::standalone(d),
        Some(d) => layers.with(d),
        None => layers.clone(),
    };
    let (kb, mut problems) = layers.load()?;
    problems.extend(check::samples(&kb));
    let mut out = output::stdout();
    for p in &problems {
        writeln!(out, "{p}")?;
    }
    for (file, (added, overriding)) in company_files(&kb) {
        let entries = |n: usize| if n == 1 { "1 entry".to_string() } else { format!("{n} entries") };
        writeln!(out, "{file}: {} new, {} overriding embedded ones", entries(added), entries(overriding))?;
    }
    let samples: usize = kb.entries.iter().map(|e| if e.compact { 1 } else { e.samples.len() }).sum();
    writeln!(
        out,
        "{} provider(s), {} network layer(s), {} entries, {} samples checked: {}",
        kb.providers.iter().filter(|p| !p.network).count(),
        kb.providers.iter().filter(|p| p.network).count(),
        kb.entries.len(),
        samples,
        if problems.is_empty() { "ok".to_string() } else { format!("{} problem(s)", problems.len()) }
    )?;
    out.flush()?;
    Ok(if problems.is_empty() { Exit::Success } else { Exit::NoMatch })
}

/// Entries per company file: (added, overriding an embedded entry of the same id).
fn company_files(kb: &Knowledge) -> BTreeMap<&'static str, (usize, usize)> {
    let mut files = BTreeMap::new();
    for e in kb.entries.iter().filter(|e| !knowledge::is_embedded(kb.source(e))) {
        let pid = kb.provider(e).id;
        let embedded = EMBEDDED.entries.iter().any(|x| x.id == e.id && EMBEDDED.provider(x).id == pid);
        let n: &mut (usize, usize) = files.entry(kb.source(e)).or_default();
        if embedded { n.1 += 1 } else { n.0 += 1 }
    }
    files
}

fn stats(kb: &Knowledge, catalog: Option<&Path>, min: Option<f64>, json: bool) -> Result<Exit> {
    let coverage = match catalog {
        Some(dir) if !dir.is_dir() => bail!("--catalog {}: no such folder", dir.display()),
        Some(dir) => check::coverage(kb, dir)?,
        None => vec![],
    };
    let mut rows = Vec::new();
    for (pi, p) in kb.providers.iter().enumerate() {
        let entries: Vec<_> = kb.entries.iter().filter(|e| e.provider as usize == pi).collect();
        let rich = entries.iter().filter(|e| !e.compact).count();
        let samples: usize = entries.iter().map(|e| e.samples.len()).sum();
        let cov = coverage.iter().find(|c| c.provider == p.id);
        rows.push(serde_json::json!({
            "provider": p.id,
            "entries": entries.len(),
            "rich": rich,
            "compact": entries.len() - rich,
            "samples": samples,
            "catalog_codes": cov.map(|c| c.rows),
            "catalog_covered": cov.map(|c| c.covered),
            "coverage_percent": cov.map(|c| (c.percent() * 10.0).round() / 10.0),
            "missing": cov.map(|c| c.missing.clone()),
        }));
    }
    let below: Vec<&check::Coverage> = coverage.iter().filter(|c| min.is_some_and(|m| c.percent() < m)).collect();
    let mut out = output::stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "providers": rows }))?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{:<20} {:>7} {:>5} {:>7} {:>7}  catalog coverage",
            "provider", "entries", "rich", "compact", "samples"
        )?;
        for r in &rows {
            let cov = match (r["catalog_covered"].as_u64(), r["catalog_codes"].as_u64()) {
                (Some(c), Some(n)) => format!("{c}/{n} ({}%)", r["coverage_percent"]),
                _ => "-".to_string(),
            };
            writeln!(
                out,
                "{:<20} {:>7} {:>5} {:>7} {:>7}  {cov}",
                r["provider"].as_str().unwrap_or(""),
                r["entries"].as_u64().unwrap_or(0),
                r["rich"].as_u64().unwrap_or(0),
                r["compact"].as_u64().unwrap_or(0),
                r["samples"].as_u64().unwrap_or(0)
            )?;
        }
        let total: usize = kb.entries.len();
        writeln!(out, "{} providers, {total} entries", kb.providers.len())?;
        for c in &below {
            let list: Vec<&str> = c.missing.iter().take(20).map(String::as_str).collect();
            writeln!(
                out,
                "{}: {:.1}% covered, below the minimum; missing: {}",
                c.provider,
                c.percent(),
                list.join(", ")
            )?;
        }
    }
    out.flush()?;
    Ok(if below.is_empty() { Exit::Success } else { Exit::NoMatch })
}
