//! `paydoctor show PROVIDER CODE`: one knowledge entry in full (statuses, codes, endpoints,
//! messages, ranked causes with their evidence and probe, fixes, samples, docs) and the file
//! it came from, as a report or one JSON object.

use crate::cli::ShowArgs;
use crate::commands::explain::{diagnose, resolve_provider};
use crate::exit::Exit;
use crate::knowledge::{Entry, Knowledge, schema::norm_code};
use crate::output;
use crate::redact::Redactor;
use crate::render::{self, JsonCause, JsonEntry, SCHEMA_VERSION, pct};
use anyhow::{Result, bail};
use colored::Colorize;
use serde::Serialize;
use std::io::Write;

/// `show --json`: the entry facts a match carries, and everything else the entry holds.
#[derive(Serialize)]
struct JsonShow {
    schema_version: u32,
    #[serde(flatten)]
    entry: JsonEntry,
    codes: &'static [&'static str],
    statuses: &'static [u16],
    endpoints: &'static [&'static str],
    messages: &'static [&'static str],
    exceptions: &'static [&'static str],
    causes: Vec<JsonCause>,
    samples: &'static [&'static str],
    compact: bool,
}

pub fn run(kb: &Knowledge, args: &ShowArgs) -> Result<Exit> {
    let red = Redactor::new(kb);
    let (provider, code) = match (&args.code, args.provider.split_once(':')) {
        (Some(code), _) => (args.provider.as_str(), code.as_str()),
        (None, Some((p, c))) if !c.is_empty() => (p, c),
        (None, _) => bail!("which entry? `paydoctor show PROVIDER CODE` (`paydoctor list PROVIDER` lists them)"),
    };
    let pi = resolve_provider(kb, provider)?;
    let Some(i) = find(kb, pi, code) else {
        let p = &kb.providers[pi as usize];
        let near = suggestions(kb, pi, code);
        let hint = if near.is_empty() {
            format!("`paydoctor list {}` lists them, `paydoctor search WORDS` searches", p.id)
        } else {
            format!("did you mean: {}?", near.join(", "))
        };
        crate::output::note(format_args!("{} has no entry `{}`; {hint}", p.name, red.line(code)));
        return Ok(Exit::NoMatch);
    };
    let e = &kb.entries[i as usize];
    let mut out = output::stdout();
    if args.json {
        let v = JsonShow {
            schema_version: SCHEMA_VERSION,
            entry: render::json_entry(kb, e),
            codes: e.codes,
            statuses: e.status,
            endpoints: e.endpoints,
            messages: e.messages,
            exceptions: e.exceptions,
            causes: e
                .causes
                .iter()
                .map(|c| JsonCause {
                    summary: c.summary,
                    likelihood: (c.likelihood * 100.0).round() / 100.0,
                    evidence: c.evidence,
                    probe: c.probe,
                    supported_by: None,
                    when: Some(c.when),
                })
                .collect(),
            samples: e.samples,
            compact: e.compact,
        };
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        human(&mut out, kb, &red, e)?;
    }
    out.flush()?;
    Ok(Exit::Success)
}

/// The entry by id, code or alias (loosely spelled); otherwise the entry `explain
/// PROVIDER:CODE` puts first when it names one (a bare status: `show stripe 401`).
fn find(kb: &Knowledge, provider: u16, code: &str) -> Option<u32> {
    kb.find_entry(provider, code).or_else(|| {
        let p = kb.providers[provider as usize].id;
        let d = diagnose(kb, &format!("{p}:{code}"), Some(provider), 1);
        d.matches.first().filter(|m| m.code.is_some() || m.status.is_some()).map(|m| m.entry)
    })
}

/// Entry ids and codes of the provider closest to a code that is not there.
fn suggestions(kb: &Knowledge, provider: u16, code: &str) -> Vec<&'static str> {
    let want = norm_code(code);
    let mut near: Vec<(f64, &'static str)> = kb
        .entries
        .iter()
        .filter(|e| e.provider == provider)
        .flat_map(|e| std::iter::once(e.id).chain(e.codes.iter().copied()))
        .map(|c| (strsim::jaro_winkler(&want, &norm_code(c)), c))
        .filter(|(s, _)| *s >= 0.85)
        .collect();
    near.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    near.dedup_by(|a, b| a.1 == b.1);
    near.into_iter().take(5).map(|(_, c)| c).collect()
}

fn human(out: &mut impl Write, kb: &Knowledge, red: &Redactor, e: &Entry) -> std::io::Result<()> {
    let p = kb.provider(e);
    let mut head = vec![p.name.to_string(), e.id.to_string()];
    if !e.status.is_empty() {
        let s: Vec<String> = e.status.iter().map(u16::to_string).collect();
        head.push(format!("HTTP {}", s.join(", ")));
    }
    head.push(e.category.to_string());
    writeln!(out, "{}  {}", head.join(" · ").bold(), if e.compact { "compact entry" } else { "rich entry" }.dimmed())?;
    writeln!(out, "  {}", e.title.bold())?;
    if !e.summary.is_empty() {
        writeln!(out, "  {}", e.summary)?;
    }
    writeln!(out)?;
    let retry = e.retry.map_or("(category default)", |r| r.as_str());
    let quoted = |v: &[&str]| v.iter().map(|m| format!("“{m}”")).collect::<Vec<_>>().join(", ");
    let facts: [(&str, String); 6] = [
        ("codes", e.codes.join(", ")),
        ("endpoints", e.endpoints.join(", ")),
        ("messages", quoted(e.messages)),
        ("exceptions", e.exceptions.join(", ")),
        ("retry", retry.to_string()),
        ("from", red.line(kb.source(e)).into_owned()),
    ];
    for (name, value) in facts.iter().filter(|(_, v)| !v.is_empty()) {
        writeln!(out, "  {:<11} {value}", format!("{name}:").dimmed())?;
    }
    writeln!(out)?;
    writeln!(out, "  {}", "Causes".yellow().bold())?;
    for (i, c) in e.causes.iter().enumerate() {
        writeln!(out, "  {:>2}. {:>4}  {}", i + 1, pct(c.likelihood), c.summary)?;
        if !c.evidence.is_empty() {
            writeln!(out, "            {} {}", "confirm:".dimmed(), c.evidence)?;
        }
        if !c.when.is_empty() {
            writeln!(out, "            {} {}", "more likely when the input shows:".dimmed(), c.when.join(", "))?;
        }
        if c.probe != "none" {
            writeln!(out, "            {} paydoctor probe --only {}", "check live:".dimmed(), c.probe)?;
        }
    }
    render::fix_list(out, e.fixes)?;
    if !e.samples.is_empty() {
        writeln!(out)?;
        writeln!(out, "  {}", "Samples (each is diagnosed as this entry)".bold())?;
        for s in e.samples {
            writeln!(out, "    {}", red.line(s))?;
        }
    }
    render::doc_links(out, e)?;
    Ok(())
}
