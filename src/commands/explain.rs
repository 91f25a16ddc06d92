//! `paydoctor explain`: one error in, ranked diagnoses out.

use crate::answer::{self, Answer};
use crate::cli::ExplainArgs;
use crate::diagnose::{self, Diagnosis};
use crate::exit::Exit;
use crate::knowledge::Knowledge;
use crate::redact::Redactor;
use crate::{input, output, probe, render, signals};
use anyhow::{Result, bail};
use std::io::Write;

/// Diagnose one piece of text: the whole pipeline `explain` and `kb check` share.
pub fn diagnose(kb: &Knowledge, text: &str, provider: Option<u16>, limit: usize) -> Diagnosis {
    let sig = signals::extract(kb, text, provider);
    diagnose::rank(kb, &sig, limit)
}

/// Resolve `--provider`, with the list of known ids when it is unknown.
pub fn provider_filter(kb: &Knowledge, name: Option<&str>) -> Result<Option<u16>> {
    name.map(|n| resolve_provider(kb, n)).transpose()
}

/// A provider by id, alias or name; when it is unknown, the closest id (a typo) or the list
/// of known ids.
pub fn resolve_provider(kb: &Knowledge, name: &str) -> Result<u16> {
    if let Some(p) = kb.find_provider(name) {
        return Ok(p);
    }
    let wanted = name.to_ascii_lowercase();
    let closest = kb
        .providers
        .iter()
        .flat_map(|p| std::iter::once(p.id).chain(p.aliases.iter().copied()).map(move |n| (n, p.id)))
        .map(|(n, id)| (edit_distance(&wanted, &n.to_ascii_lowercase()), id))
        .min();
    match closest {
        Some((d, id)) if d <= 2.max(wanted.len() / 4) && d < wanted.len() => {
            bail!("unknown provider `{name}`; did you mean `{id}`?")
        }
        _ => {
            let ids: Vec<&str> = kb.providers.iter().map(|p| p.id).collect();
            bail!("unknown provider `{name}` (known: {})", ids.join(", "))
        }
    }
}

/// Levenshtein distance between two short names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// `--probe`: run the checks the top match's causes name, then re-rank its causes.
fn probe_top(kb: &Knowledge, a: &mut Answer, args: &ExplainArgs) -> Result<probe::Report> {
    let d = &mut a.diagnosis;
    let Some(m) = d.matches.first_mut().filter(|_| !d.ambiguous && a.general.is_none()) else {
        bail!("--probe needs one diagnosis: the input matches several providers or none (add --provider NAME)");
    };
    let pid = kb.entries[m.entry as usize].provider;
    let report = crate::commands::probe::probe(kb, Some(pid), &args.probe_target, &probe::checks_for(m))?;
    probe::rerank(m, &report);
    Ok(report)
}

pub fn run(kb: &Knowledge, args: &ExplainArgs) -> Result<Exit> {
    let provider = provider_filter(kb, args.provider.as_deref())?;
    let Some(text) = input::explain_text(&args.text)? else {
        bail!(
            "nothing to explain: give a status and/or code (paydoctor explain 412 invalid_token), or pipe an error in"
        );
    };
    if text.trim().is_empty() {
        bail!("nothing to explain: the input is empty");
    }
    let mut a = answer::explain(kb, &text, provider, args.limit);
    let red = Redactor::new(kb);
    // A probe that cannot run (no credentials, no single diagnosis) never costs the diagnosis:
    // it is shown, and the reason the probe was skipped with it.
    let (probed, skipped) = match args.probe.then(|| probe_top(kb, &mut a, args)) {
        Some(Ok(r)) => (Some(r), None),
        Some(Err(e)) => (None, Some(red.line(&format!("{e:#}")).into_owned())),
        None => (None, None),
    };
    let mut out = output::stdout();
    match (&probed, args.json) {
        (None, true) if skipped.is_some() => {
            let mut v = serde_json::to_value(render::report(kb, &red, &a))?;
            v["probe"] = serde_json::json!({ "skipped": skipped });
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        (None, true) => render::json(&mut out, kb, &red, &a)?,
        (None, false) => render::human(&mut out, kb, &red, &a)?,
        (Some(r), true) => {
            let mut v = serde_json::to_value(render::report(kb, &red, &a))?;
            v["probe"] = serde_json::to_value(probe::report::to_json(r))?;
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        (Some(r), false) => {
            render::human(&mut out, kb, &red, &a)?;
            writeln!(out)?;
            probe::report::human(&mut out, r)?;
        }
    }
    out.flush()?;
    if let Some(why) = &skipped {
        crate::output::note(format_args!("probe skipped: {why}"));
    }
    if a.is_empty() {
        if !args.json {
            let words = red.line(text.split_whitespace().take(8).collect::<Vec<_>>().join(" ").as_str()).into_owned();
            crate::output::note(format_args!(
                "no payment error recognised in this input; search the knowledge base with: paydoctor search {words}"
            ));
        }
        return Ok(Exit::NoMatch);
    }
    Ok(Exit::Success)
}
