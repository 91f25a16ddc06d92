//! `paydoctor kb check|stats`: tools for knowledge authors.

use crate::cli::KbCommand;
use crate::exit::Exit;
use crate::knowledge::{self, Knowledge, check};
use crate::output;
use anyhow::Result;
use std::io::Write;
use std::path::Path;

pub fn run(embedded: &Knowledge, cmd: &KbCommand) -> Result<Exit> {
    match cmd {
        KbCommand::Check { dir } => run_check(embedded, dir.as_deref()),
        KbCommand::Stats { catalog, min_coverage, kb, json } => {
            let loaded;
            let kb = match kb {
                Some(dir) => {
                    let (k, problems) = knowledge::load_dir(dir)?;
                    if !problems.is_empty() {
                        eprintln!(
                            "paydoctor: {} has {} problem(s); run `paydoctor kb check`",
                            dir.display(),
                            problems.len()
                        );
                    }
                    loaded = k;
                    &loaded
                }
                None => embedded,
            };
            stats(kb, catalog.as_deref(), *min_coverage, *json)
        }
        KbCommand::Codes => {
            let mut out = output::stdout();
            for c in crate::scan::prefilter::distinctive_codes(embedded) {
                writeln!(out, "{c}")?;
            }
            out.flush()?;
            Ok(Exit::Success)
        }
    }
}

fn run_check(embedded: &Knowledge, dir: Option<&Path>) -> Result<Exit> {
    let (kb, mut problems) = match dir {
        Some(d) => knowledge::load_dir(d)?,
        None => (*embedded, vec![]),
    };
    problems.extend(check::samples(&kb));
    let mut out = output::stdout();
    for p in &problems {
        writeln!(out, "{p}")?;
    }
    let samples: usize = kb.entries.iter().map(|e| if e.compact { 1 } else { e.samples.len() }).sum();
    writeln!(
        out,
        "{} provider(s), {} entries, {} samples checked: {}",
        kb.providers.len(),
        kb.entries.len(),
        samples,
        if problems.is_empty() { "ok".to_string() } else { format!("{} problem(s)", problems.len()) }
    )?;
    out.flush()?;
    Ok(if problems.is_empty() { Exit::Success } else { Exit::NoMatch })
}

fn stats(kb: &Knowledge, catalog: Option<&Path>, min: Option<f64>, json: bool) -> Result<Exit> {
    let coverage = match catalog {
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
