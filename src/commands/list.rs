//! `paydoctor list [PROVIDER]`: the providers (with `--all-known` also those recognised by
//! name only; with `--ids` only their ids), or one provider's entries (codes, statuses,
//! categories, titles), optionally of one category.

use crate::cli::ListArgs;
use crate::commands::explain::resolve_provider;
use crate::exit::Exit;
use crate::knowledge::{Entry, Knowledge, Provider, general};
use crate::output;
use crate::render::{self, SCHEMA_VERSION};
use anyhow::Result;
use colored::Colorize;
use std::io::Write;

pub fn run(kb: &Knowledge, args: &ListArgs) -> Result<Exit> {
    match (&args.provider, &args.category) {
        (None, None) if args.ids => ids(kb),
        (None, None) => providers(kb, args.all_known, args.json),
        (p, category) => {
            let provider = p.as_deref().map(|n| resolve_provider(kb, n)).transpose()?;
            let mut entries: Vec<&'static Entry> = kb
                .entries
                .iter()
                .filter(|e| provider.is_none_or(|p| e.provider == p))
                .filter(|e| category.as_deref().is_none_or(|c| e.category == c))
                .collect();
            entries.sort_by(|a, b| kb.provider(a).id.cmp(kb.provider(b).id).then(a.id.cmp(b.id)));
            entries_of(kb, provider, &entries, args.json)
        }
    }
}

/// One provider id a line: what `--provider` and `list`/`show` take (shell completion reads it).
fn ids(kb: &Knowledge) -> Result<Exit> {
    let mut out = output::stdout();
    for p in kb.providers {
        writeln!(out, "{}", p.id)?;
    }
    out.flush()?;
    Ok(Exit::Success)
}

/// Where the name-only providers are listed.
const NAME_ONLY_SOURCE: &str = "knowledge/general/others.toml";

fn providers(kb: &Knowledge, all_known: bool, json: bool) -> Result<Exit> {
    let mut out = output::stdout();
    let rows: Vec<_> = kb
        .providers
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (entries, rich) = kb
                .entries
                .iter()
                .filter(|e| e.provider as usize == i)
                .fold((0, 0), |(n, r), e| (n + 1, r + usize::from(!e.compact)));
            (p, entries, rich)
        })
        .collect();
    // Payment providers first, then the provider-independent layers their entries link to.
    let (layers, providers): (Vec<_>, Vec<_>) = rows.into_iter().partition(|(p, ..)| p.network);
    if json {
        let list = |rows: &[(&Provider, usize, usize)]| -> Vec<serde_json::Value> {
            rows.iter()
                .map(|(p, entries, rich)| {
                    serde_json::json!({
                        "id": p.id, "name": p.name, "aliases": p.aliases, "entries": entries,
                        "rich": rich, "compact": entries - rich, "probe": p.probe.is_some(), "source": p.source,
                    })
                })
                .collect()
        };
        let mut v = serde_json::json!({
            "schema_version": SCHEMA_VERSION, "providers": list(&providers), "layers": list(&layers),
        });
        if all_known {
            let names: Vec<_> = general::name_only(kb)
                .map(|(_, o)| {
                    serde_json::json!({
                        "id": o.id, "name": o.name, "name_only": true, "markers": o.markers,
                        "domains": o.domains, "source": NAME_ONLY_SOURCE,
                    })
                })
                .collect();
            v["name_only"] = names.into();
        }
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        let all = || providers.iter().chain(&layers);
        let named = || {
            all()
                .map(|(p, ..)| (p.id, p.name))
                .chain(general::name_only(kb).filter(|_| all_known).map(|(_, o)| (o.id, o.name)))
        };
        let id = named().map(|(id, _)| id.len()).max().unwrap_or(0).max(2);
        let name = named().map(|(_, name)| name.chars().count()).max().unwrap_or(0).max(4);
        let head = format!(
            "{:<id$}  {:<name$}  {:>7}  {:>5}  {:>7}  PROBE  SOURCE",
            "ID", "NAME", "ENTRIES", "RICH", "COMPACT"
        );
        writeln!(out, "{}", head.dimmed())?;
        for (i, (p, entries, rich)) in all().enumerate() {
            if i == providers.len() && !layers.is_empty() {
                writeln!(
                    out,
                    "\n{}",
                    "network layers (provider-independent codes that provider entries link to):".dimmed()
                )?;
            }
            let compact = entries - rich;
            let probe = if p.probe.is_some() { "live" } else { "-" };
            writeln!(
                out,
                "{:<id$}  {:<name$}  {entries:>7}  {rich:>5}  {compact:>7}  {probe:<5}  {}",
                p.id, p.name, p.source
            )?;
        }
        if all_known {
            writeln!(
                out,
                "\n{}",
                "recognised by name only (no knowledge file: an error naming one gets its category's general diagnosis):"
                    .dimmed()
            )?;
            for (_, o) in general::name_only(kb) {
                writeln!(
                    out,
                    "{:<id$}  {:<name$}  {:>7}  {:>5}  {:>7}  {:<5}  name only ({NAME_ONLY_SOURCE})",
                    o.id, o.name, "-", "-", "-", "-"
                )?;
            }
        }
    }
    out.flush()?;
    Ok(Exit::Success)
}

fn status_list(e: &Entry) -> String {
    if e.status.is_empty() {
        return "-".to_string();
    }
    e.status.iter().map(u16::to_string).collect::<Vec<_>>().join(",")
}

fn entries_of(kb: &Knowledge, provider: Option<u16>, entries: &[&'static Entry], json: bool) -> Result<Exit> {
    let mut out = output::stdout();
    if json {
        let p = provider.map(|p| {
            let p = &kb.providers[p as usize];
            serde_json::json!({ "id": p.id, "name": p.name, "aliases": p.aliases, "source": p.source })
        });
        let list: Vec<_> = entries.iter().map(|e| render::json_listed(kb, e)).collect();
        let v = serde_json::json!({ "schema_version": SCHEMA_VERSION, "provider": p, "entries": list });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else if !entries.is_empty() {
        // With one provider the entry id alone; otherwise provider:entry, as explain and show take it.
        let name = |e: &Entry| match provider {
            Some(_) => e.id.to_string(),
            None => format!("{}:{}", kb.provider(e).id, e.id),
        };
        let width = entries.iter().map(|e| name(e).len()).max().unwrap_or(0).clamp(5, 48);
        let status = entries.iter().map(|e| status_list(e).len()).max().unwrap_or(0).max(6);
        let head = format!("{:<width$}  {:<status$}  {:<7}  {:<18}  TITLE", "ENTRY", "STATUS", "KIND", "CATEGORY");
        writeln!(out, "{}", head.dimmed())?;
        for e in entries {
            let kind = if e.compact { "compact" } else { "rich" };
            let (n, s) = (name(e), status_list(e));
            writeln!(out, "{n:<width$}  {s:<status$}  {kind:<7}  {:<18}  {}", e.category, e.title)?;
        }
    }
    out.flush()?;
    if entries.is_empty() {
        crate::output::note(format_args!("no entries of this category"));
        return Ok(Exit::NoMatch);
    }
    Ok(Exit::Success)
}
