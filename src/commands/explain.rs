//! `paydoctor explain`: one error in, ranked diagnoses out.

use crate::cli::ExplainArgs;
use crate::diagnose::{self, Diagnosis};
use crate::exit::Exit;
use crate::knowledge::Knowledge;
use crate::redact::Redactor;
use crate::{input, output, render, signals};
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

/// A provider by id, alias or name, with the list of known ids when it is unknown.
pub fn resolve_provider(kb: &Knowledge, name: &str) -> Result<u16> {
    match kb.find_provider(name) {
        Some(p) => Ok(p),
        None => {
            let ids: Vec<&str> = kb.providers.iter().map(|p| p.id).collect();
            bail!("unknown provider `{name}` (known: {})", ids.join(", "))
        }
    }
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
    let d = diagnose(kb, &text, provider, args.limit);
    let red = Redactor::new(kb);
    let mut out = output::stdout();
    if args.json {
        render::json(&mut out, kb, &red, &d)?;
    } else {
        render::human(&mut out, kb, &red, &d)?;
    }
    out.flush()?;
    if d.matches.is_empty() {
        if !args.json {
            let hint = if provider.is_none() {
                "add --provider NAME, paste the whole error body, or try other words"
            } else {
                "paste the whole error body, or try other words"
            };
            eprintln!("paydoctor: no known payment error matched this input ({hint})");
        }
        return Ok(Exit::NoMatch);
    }
    Ok(Exit::Success)
}
