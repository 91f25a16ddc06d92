//! Author checks over a loaded knowledge base: the sample round-trip (rustc's "every
//! explanation's example triggers its own code") and catalog coverage.

use super::Knowledge;
use super::schema::{Problem, compact_sample, norm_code};
use crate::commands::explain::diagnose;
use std::collections::HashSet;
use std::path::Path;

/// Every sample must be diagnosed as its own entry, first. Compact entries are checked
/// with the sample a user would type (`provider:code status`).
pub fn samples(kb: &Knowledge) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, e) in kb.entries.iter().enumerate() {
        let p = kb.provider(e);
        let derived;
        let samples: Vec<&str> = if e.compact {
            derived = compact_sample(p.id, &to_schema_entry(e));
            vec![derived.as_str()]
        } else {
            e.samples.to_vec()
        };
        for s in samples {
            let d = diagnose(kb, s, None, 3);
            let got = d.matches.first().map(|m| m.entry as usize);
            if got != Some(i) {
                let what = match got {
                    Some(g) => {
                        let ge = &kb.entries[g];
                        format!("was diagnosed as `{}:{}`", kb.provider(ge).id, ge.id)
                    }
                    None => "matched nothing".to_string(),
                };
                let short: String = s.chars().take(80).collect();
                problems.push(Problem {
                    file: kb.source(e).to_string(),
                    entry: Some(e.id.to_string()),
                    message: format!("sample `{}` {what}", short.replace('\n', "⏎")),
                });
            }
        }
    }
    problems
}

fn to_schema_entry(e: &super::Entry) -> super::schema::Entry {
    super::schema::Entry {
        provider: e.provider as usize,
        id: e.id.to_string(),
        codes: e.codes.iter().map(|c| c.to_string()).collect(),
        status: e.status.to_vec(),
        category: String::new(),
        title: String::new(),
        summary: String::new(),
        messages: vec![],
        patterns: vec![],
        exceptions: vec![],
        endpoints: vec![],
        paraphrases: vec![],
        retry: None,
        retry_why: String::new(),
        network: String::new(),
        generic: false,
        docs: vec![],
        sources: vec![],
        samples: vec![],
        fixes: vec![],
        causes: vec![],
        compact: true,
        source: String::new(),
    }
}

/// Coverage of one provider's catalog: (rows, covered, the codes not covered).
pub struct Coverage {
    pub provider: String,
    pub rows: usize,
    pub covered: usize,
    pub missing: Vec<String>,
}

impl Coverage {
    pub fn percent(&self) -> f64 {
        if self.rows == 0 { 100.0 } else { 100.0 * self.covered as f64 / self.rows as f64 }
    }
}

/// Compare `<dir>/<provider>.tsv` (a header, then code, http_status, kind, ...; lines
/// starting with `#` are comments) with the knowledge base.
/// A row is covered when an entry of that provider carries its code; `http_status` rows
/// are covered by a status-level entry (no codes) for that status. Distinct codes count once.
pub fn coverage(kb: &Knowledge, dir: &Path) -> anyhow::Result<Vec<Coverage>> {
    let mut out = Vec::new();
    for (pi, p) in kb.providers.iter().enumerate() {
        let path = dir.join(format!("{}.tsv", p.id));
        let Ok(text) = crate::files::read_text(&path, "catalog") else {
            continue;
        };
        let mut seen = HashSet::new();
        let mut cov = Coverage { provider: p.id.to_string(), rows: 0, covered: 0, missing: vec![] };
        for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let (Some(code), kind) = (cols.first(), cols.get(2).copied().unwrap_or("")) else {
                continue;
            };
            if code.is_empty() || !seen.insert((norm_code(code), kind == "http_status")) {
                continue;
            }
            cov.rows += 1;
            let ok = if kind == "http_status" {
                code.parse::<u16>().is_ok_and(|s| {
                    kb.entries.iter().any(|e| e.provider as usize == pi && e.codes.is_empty() && e.status.contains(&s))
                })
            } else {
                let n = norm_code(code);
                super::lookup(kb.codes, &n).any(|e| kb.entries[e as usize].provider as usize == pi)
                    || kb.entries.iter().any(|e| e.provider as usize == pi && norm_code(e.id) == n)
            };
            if ok {
                cov.covered += 1;
            } else {
                cov.missing.push(code.to_string());
            }
        }
        out.push(cov);
    }
    Ok(out)
}
