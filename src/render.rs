//! Rendering a [`Diagnosis`]: the human report (title → ranked causes → fix steps → docs)
//! and the stable `--json` schema. Every string from the input goes through redaction.

use crate::answer::{Answer, General, Who};
use crate::diagnose::{Diagnosis, Layer, Match};
use crate::knowledge::{self, Entry, Knowledge};
use crate::redact::Redactor;
use crate::retry;
use colored::Colorize;
use serde::Serialize;
use std::io::{self, Write};

/// Version of the `--json` schema; bumped only on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct JsonCause {
    pub summary: &'static str,
    pub likelihood: f32,
    pub evidence: &'static str,
    pub probe: &'static str,
    /// `explain`: what in the input supports this cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_by: Option<Vec<String>>,
    /// `show`: the phrases and conditions that make this cause more likely.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<&'static [&'static str]>,
}

/// What an entry says whatever the input: the part of a match `show --json` shares.
#[derive(Serialize)]
pub struct JsonEntry {
    pub provider: &'static str,
    pub provider_name: &'static str,
    /// The entry id; null for a general diagnosis.
    pub entry: Option<&'static str>,
    pub category: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub retryable: Option<bool>,
    pub fixes: &'static [&'static str],
    pub docs: &'static [&'static str],
    /// The knowledge file it came from: `knowledge/x.toml` (embedded) or a company file.
    pub source: &'static str,
}

#[derive(Serialize)]
pub struct JsonMatch {
    #[serde(flatten)]
    pub entry: JsonEntry,
    /// A payment provider with a knowledge file (false for an unknown provider, and for a
    /// network-layer answer, which names no provider).
    pub provider_known: bool,
    /// How it was found: `entry` (its own evidence or status), `provider` (the named
    /// provider's entry for the kind of failure) or `general`.
    pub layer: &'static str,
    pub code: Option<&'static str>,
    /// The input carried `code` itself (not only the entry's message or status).
    pub code_seen: bool,
    /// The status the input showed (null when it showed none of the entry's).
    pub http_status: Option<u16>,
    /// The statuses the provider sends this error with.
    pub entry_statuses: &'static [u16],
    pub confidence: f32,
    pub causes: Vec<JsonCause>,
    pub evidence: Vec<String>,
    pub retry: JsonRetry,
    /// The network-layer code this error wraps (the issuer's answer, an AVS result), if known.
    pub network: Option<JsonNetwork>,
}

/// May the same payment or request be sent again, and why.
#[derive(Serialize)]
pub struct JsonRetry {
    /// `never`, `after_fix`, `later` or `now`.
    pub verdict: &'static str,
    pub why: &'static str,
    /// Where the verdict comes from: `entry`, `network` (the card networks' rules for the
    /// wrapped code) or `category`.
    pub basis: &'static str,
}

impl From<retry::Verdict> for JsonRetry {
    fn from(v: retry::Verdict) -> JsonRetry {
        JsonRetry { verdict: v.retry.as_str(), why: v.why, basis: v.basis.as_str() }
    }
}

#[derive(Serialize)]
pub struct JsonNetwork {
    pub layer: &'static str,
    pub code: &'static str,
    pub entry: &'static str,
    pub title: &'static str,
    pub retry: &'static str,
}

fn json_network(kb: &Knowledge, n: Option<u32>) -> Option<JsonNetwork> {
    let e = &kb.entries[n? as usize];
    Some(JsonNetwork {
        layer: kb.provider(e).id,
        code: e.codes.first().copied().unwrap_or(e.id),
        entry: e.id,
        title: e.title,
        retry: e.retry.map_or("", |r| r.as_str()),
    })
}

/// One line of `list --json` and `search --json`.
#[derive(Serialize)]
pub struct JsonListed {
    pub provider: &'static str,
    pub entry: &'static str,
    pub codes: &'static [&'static str],
    pub statuses: &'static [u16],
    pub category: &'static str,
    pub title: &'static str,
    /// A one-line long-tail entry (no samples, one cause, one fix).
    pub compact: bool,
    pub source: &'static str,
}

pub fn json_entry(kb: &Knowledge, e: &Entry) -> JsonEntry {
    let p = kb.provider(e);
    JsonEntry {
        provider: p.id,
        provider_name: p.name,
        entry: Some(e.id),
        category: e.category,
        title: e.title,
        summary: e.summary,
        retryable: e.retry.map(|r| matches!(r, knowledge::Retry::Later | knowledge::Retry::Now)),
        fixes: e.fixes,
        docs: e.docs,
        source: kb.source(e),
    }
}

pub fn json_listed(kb: &Knowledge, e: &Entry) -> JsonListed {
    JsonListed {
        provider: kb.provider(e).id,
        entry: e.id,
        codes: e.codes,
        statuses: e.status,
        category: e.category,
        title: e.title,
        compact: e.compact,
        source: kb.source(e),
    }
}

#[derive(Serialize)]
pub struct JsonReport {
    pub schema_version: u32,
    pub ambiguous: bool,
    pub matches: Vec<JsonMatch>,
}

/// (id, display name) of whoever a general diagnosis is about.
fn who(kb: &Knowledge, w: Who) -> (&'static str, &'static str) {
    match w {
        Who::Known(p) => (kb.providers[p as usize].id, kb.providers[p as usize].name),
        Who::Other(i) => {
            let o = &crate::knowledge::general::others()[i];
            (o.id, o.name)
        }
        Who::Unknown => ("unknown", "Unknown provider"),
    }
}

/// A general diagnosis in `--json`: the keys of an entry match, `entry` and `code` null.
pub fn json_general(kb: &Knowledge, red: &Redactor, g: &General) -> JsonMatch {
    let (id, name) = who(kb, g.who);
    JsonMatch {
        retry: general_retry(kb, g).into(),
        network: json_network(kb, g.network),
        entry: JsonEntry {
            provider: id,
            provider_name: name,
            entry: None,
            category: g.category.id,
            title: g.category.title,
            summary: g.category.summary,
            retryable: None,
            fixes: g.category.fixes,
            docs: &[],
            source: "knowledge/general/categories.toml",
        },
        provider_known: matches!(g.who, Who::Known(_)),
        layer: "general",
        code: None,
        code_seen: false,
        http_status: g.status,
        entry_statuses: &[],
        confidence: g.confidence,
        causes: g
            .category
            .causes
            .iter()
            .map(|c| JsonCause {
                summary: c.summary,
                likelihood: c.likelihood,
                evidence: c.evidence,
                probe: "none",
                supported_by: Some(vec![]),
                when: None,
            })
            .collect(),
        evidence: g.evidence.iter().map(|s| red.line(s).into_owned()).collect(),
    }
}

pub fn json_match(kb: &Knowledge, red: &Redactor, m: &Match) -> JsonMatch {
    let e = &kb.entries[m.entry as usize];
    let network = m.network.or_else(|| retry::link(kb, e));
    JsonMatch {
        retry: retry::of_entry(kb, e, network).into(),
        network: json_network(kb, network),
        entry: json_entry(kb, e),
        provider_known: !kb.provider(e).network,
        layer: match m.layer {
            Layer::Entry => "entry",
            Layer::Provider => "provider",
        },
        code: m.code,
        code_seen: m.code_seen,
        http_status: m.status,
        entry_statuses: e.status,
        confidence: m.confidence,
        causes: m
            .causes
            .iter()
            .map(|c| JsonCause {
                summary: c.cause.summary,
                likelihood: (c.likelihood * 100.0).round() / 100.0,
                evidence: c.cause.evidence,
                probe: c.cause.probe,
                supported_by: Some(c.support.iter().map(|s| red.line(s).into_owned()).collect()),
                when: None,
            })
            .collect(),
        evidence: m.evidence.iter().map(|s| red.line(s).into_owned()).collect(),
    }
}

/// The `--json` report of an answer: the general diagnosis first, when there is one.
pub fn report(kb: &Knowledge, red: &Redactor, a: &Answer) -> JsonReport {
    let general = a.general.iter().map(|g| json_general(kb, red, g));
    let entries = a.diagnosis.matches.iter().map(|m| json_match(kb, red, m));
    JsonReport {
        schema_version: SCHEMA_VERSION,
        ambiguous: a.diagnosis.ambiguous,
        matches: general.chain(entries).collect(),
    }
}

pub fn json(out: &mut impl Write, kb: &Knowledge, red: &Redactor, a: &Answer) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &report(kb, red, a))?;
    writeln!(out)
}

pub fn pct(x: f32) -> String {
    format!("{:.0}%", x * 100.0)
}

/// `Afterpay · invalid_token · HTTP 412 · duplicate_or_state`: the code and status the
/// input showed; the entry's own code, when the input did not show it, comes after the title.
fn headline(kb: &Knowledge, m: &Match) -> String {
    let e = &kb.entries[m.entry as usize];
    let mut parts = vec![kb.provider(e).name.to_string()];
    if let Some(c) = m.code.filter(|_| m.code_seen) {
        parts.push(c.to_string());
    }
    if let Some(s) = m.status {
        parts.push(format!("HTTP {s}"));
    }
    parts.push(e.category.to_string());
    parts.join(" · ")
}

/// `(entry stripe:card_declined, usually HTTP 402)` when the input showed neither.
fn entry_note(kb: &Knowledge, m: &Match) -> String {
    let e = &kb.entries[m.entry as usize];
    let mut parts = Vec::new();
    if !m.code_seen {
        parts.push(format!("entry {}:{}", kb.provider(e).id, e.id));
    }
    if m.status.is_none() && !e.status.is_empty() {
        let s: Vec<String> = e.status.iter().map(u16::to_string).collect();
        parts.push(format!("usually HTTP {}", s.join("/")));
    }
    if parts.is_empty() { String::new() } else { format!("  ({})", parts.join(", ")) }
}

/// A general diagnosis's verdict: the network-layer entry's when the input showed one.
fn general_retry(kb: &Knowledge, g: &General) -> retry::Verdict {
    match g.network {
        Some(n) => retry::of_entry(kb, &kb.entries[n as usize], None),
        None => retry::of_category(g.category),
    }
}

/// `network: ISO 8583 response code (issuer) 51: Insufficient funds`: the code the error wraps.
fn network_line(out: &mut impl Write, kb: &Knowledge, network: Option<u32>) -> io::Result<()> {
    let Some(n) = network.map(|n| &kb.entries[n as usize]) else { return Ok(()) };
    let code = n.codes.first().copied().unwrap_or(n.id);
    writeln!(out, "  {} {} {code}: {}", "network:".dimmed(), kb.provider(n).name, n.title)
}

/// `retry: later — why`: may the same payment or request be sent again.
fn retry_line(out: &mut impl Write, v: retry::Verdict) -> io::Result<()> {
    let verdict = v.retry.as_str().replace('_', " ");
    writeln!(out, "  {} {} — {}", "retry:".dimmed(), verdict.bold(), v.why)
}

fn full(out: &mut impl Write, kb: &Knowledge, red: &Redactor, m: &Match) -> io::Result<()> {
    let e = &kb.entries[m.entry as usize];
    writeln!(out, "{}  {}", headline(kb, m).bold(), format!("confidence {}", pct(m.confidence)).dimmed())?;
    writeln!(out, "  {}{}", e.title.bold(), entry_note(kb, m).dimmed())?;
    if !e.summary.is_empty() {
        writeln!(out, "  {}", e.summary)?;
    }
    if !m.evidence.is_empty() {
        let ev: Vec<String> = m.evidence.iter().map(|s| red.line(s).into_owned()).collect();
        writeln!(out, "  {} {}", "evidence:".dimmed(), ev.join("; "))?;
    }
    let network = m.network.or_else(|| retry::link(kb, e));
    network_line(out, kb, network)?;
    retry_line(out, retry::of_entry(kb, e, network))?;
    writeln!(out)?;
    writeln!(out, "  {}", "Likely causes".yellow().bold())?;
    for (i, c) in m.causes.iter().enumerate() {
        writeln!(out, "  {:>2}. {:>4}  {}", i + 1, pct(c.likelihood), c.cause.summary)?;
        if !c.support.is_empty() {
            let s: Vec<String> = c.support.iter().map(|s| red.line(s).into_owned()).collect();
            writeln!(out, "            {} {}", "supported by:".green(), s.join("; "))?;
        }
        if !c.cause.evidence.is_empty() {
            writeln!(out, "            {} {}", "confirm:".dimmed(), c.cause.evidence)?;
        }
        if c.cause.probe != "none" {
            writeln!(out, "            {} paydoctor probe --only {}", "check live:".dimmed(), c.cause.probe)?;
        }
    }
    fix_list(out, e.fixes)?;
    webhook_hint(out, e.category, "  ")?;
    doc_links(out, e)?;
    let source = kb.source(e);
    if !knowledge::is_embedded(source) {
        writeln!(out, "  {} {}", "from:".dimmed(), red.line(source))?;
    }
    Ok(())
}

/// Ordered fix steps (an entry's or a category's; shared by explain's report and `show`).
pub fn fix_list(out: &mut impl Write, fixes: &[&str]) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "  {}", "Fix".green().bold())?;
    for (i, f) in fixes.iter().enumerate() {
        writeln!(out, "  {:>2}. {f}", i + 1)?;
    }
    Ok(())
}

/// Under a webhook-signature diagnosis: the command that proves which cause it is.
pub fn webhook_hint(out: &mut impl Write, category: &str, indent: &str) -> io::Result<()> {
    if category == "webhook_signature" {
        let cmd = "paydoctor webhook verify --body FILE --headers FILE";
        writeln!(out, "{indent}{} {cmd} (proves which cause it is)", "check offline:".dimmed())?;
    }
    Ok(())
}

/// An entry's documentation links.
pub fn doc_links(out: &mut impl Write, e: &Entry) -> io::Result<()> {
    if !e.docs.is_empty() {
        writeln!(out)?;
        for d in e.docs {
            writeln!(out, "  {} {}", "docs:".dimmed(), d.underline())?;
        }
    }
    Ok(())
}

fn brief(out: &mut impl Write, kb: &Knowledge, m: &Match) -> io::Result<()> {
    let e = &kb.entries[m.entry as usize];
    writeln!(out, "  • {}  {}", headline(kb, m).bold(), pct(m.confidence).dimmed())?;
    writeln!(out, "    {}", e.title)?;
    if let Some(c) = m.causes.first() {
        writeln!(out, "    {} {}", "most likely:".dimmed(), c.cause.summary)?;
    }
    Ok(())
}

fn general(out: &mut impl Write, kb: &Knowledge, red: &Redactor, g: &General) -> io::Result<()> {
    let (_, name) = who(kb, g.who);
    let mut head = vec![match g.who {
        Who::Other(_) => format!("{name} (not in the knowledge base)"),
        Who::Unknown => "Provider not recognised".to_string(),
        Who::Known(_) => name.to_string(),
    }];
    if let Some(s) = g.status {
        head.push(format!("HTTP {s}"));
    }
    head.push(g.category.id.to_string());
    let conf = format!("confidence {}", pct(g.confidence));
    writeln!(out, "{}  {}", head.join(" · ").bold(), conf.dimmed())?;
    writeln!(out, "  {}", g.category.title.bold())?;
    writeln!(out, "  {}", g.category.summary)?;
    if !g.evidence.is_empty() {
        let ev: Vec<String> = g.evidence.iter().map(|s| red.line(s).into_owned()).collect();
        writeln!(out, "  {} {}", "evidence:".dimmed(), ev.join("; "))?;
    }
    network_line(out, kb, g.network)?;
    retry_line(out, general_retry(kb, g))?;
    writeln!(out)?;
    writeln!(out, "  {}", "Likely causes".yellow().bold())?;
    for (i, c) in g.category.causes.iter().enumerate() {
        writeln!(out, "  {:>2}. {:>4}  {}", i + 1, pct(c.likelihood), c.summary)?;
        if !c.evidence.is_empty() {
            writeln!(out, "            {} {}", "confirm:".dimmed(), c.evidence)?;
        }
    }
    fix_list(out, g.category.fixes)?;
    webhook_hint(out, g.category.id, "  ")
}

pub fn human(out: &mut impl Write, kb: &Knowledge, red: &Redactor, a: &Answer) -> io::Result<()> {
    let d: &Diagnosis = &a.diagnosis;
    if let Some(g) = &a.general {
        general(out, kb, red, g)?;
        if !d.matches.is_empty() {
            writeln!(out, "\n  {}", "What each provider means by it".dimmed())?;
            for m in &d.matches {
                brief(out, kb, m)?;
            }
        }
        return Ok(());
    }
    if d.ambiguous {
        writeln!(
            out,
            "{}",
            "Several providers use this error and nothing in the input says which one you call.".yellow()
        )?;
        writeln!(out, "Best match per provider (add --provider NAME, or paste the whole error body):\n")?;
        for m in &d.matches {
            brief(out, kb, m)?;
        }
        return Ok(());
    }
    let Some(first) = d.matches.first() else {
        return Ok(());
    };
    full(out, kb, red, first)?;
    if d.matches.len() > 1 {
        writeln!(out, "\n  {}", "Also possible".dimmed())?;
        for m in &d.matches[1..] {
            brief(out, kb, m)?;
        }
    }
    Ok(())
}
