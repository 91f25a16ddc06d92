//! `paydoctor search WORDS...`: ranked, typo-tolerant full-text search over the knowledge
//! base (the index and ranking live in `crate::search`).

use crate::cli::SearchArgs;
use crate::commands::explain::provider_filter;
use crate::exit::Exit;
use crate::knowledge::Knowledge;
use crate::output;
use crate::redact::Redactor;
use crate::render::{self, JsonListed, SCHEMA_VERSION};
use crate::search::Index;
use anyhow::Result;
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct JsonHit {
    #[serde(flatten)]
    entry: JsonListed,
    score: f32,
    /// The fields the words were found in (code, title, message, status, summary, ...).
    matched_in: Vec<&'static str>,
}

#[derive(Serialize)]
struct JsonCorrection {
    typed: String,
    searched: String,
}

#[derive(Serialize)]
struct JsonResults {
    schema_version: u32,
    corrections: Vec<JsonCorrection>,
    results: Vec<JsonHit>,
}

pub fn run(kb: &Knowledge, args: &SearchArgs) -> Result<Exit> {
    let provider = provider_filter(kb, args.provider.as_deref())?;
    // Secrets in what was typed are masked before the words are looked at, so no fragment of
    // one can come back as a "searched for" correction.
    let red = Redactor::new(kb);
    let query = red.line(&args.words.join(" ")).into_owned();
    let results = Index::build(kb).search(&query, provider, args.limit);
    let mut out = output::stdout();
    if args.json {
        let v = JsonResults {
            schema_version: SCHEMA_VERSION,
            corrections: results
                .corrections
                .iter()
                .map(|(typed, searched)| JsonCorrection { typed: typed.clone(), searched: searched.clone() })
                .collect(),
            results: results
                .hits
                .iter()
                .map(|h| JsonHit {
                    entry: render::json_listed(kb, &kb.entries[h.entry as usize]),
                    score: h.score,
                    matched_in: h.fields.clone(),
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        for (typed, searched) in &results.corrections {
            crate::output::note(format_args!("searching for “{searched}” (no entry says “{typed}”)"));
        }
        let names: Vec<String> = results
            .hits
            .iter()
            .map(|h| {
                let e = &kb.entries[h.entry as usize];
                format!("{}:{}", kb.provider(e).id, e.id)
            })
            .collect();
        let width = names.iter().map(String::len).max().unwrap_or(0).min(48);
        for (h, name) in results.hits.iter().zip(&names) {
            let e = &kb.entries[h.entry as usize];
            writeln!(out, "{name:<width$}  {:<18}  {}", e.category, e.title)?;
        }
    }
    out.flush()?;
    if results.hits.is_empty() {
        if !args.json {
            crate::output::note(format_args!("nothing in the knowledge base matches “{query}”"));
        }
        return Ok(Exit::NoMatch);
    }
    Ok(Exit::Success)
}
