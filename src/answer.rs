//! The answer `explain` gives, in layers that degrade gracefully: the knowledge entry that
//! fits; else, for a provider the input names, that provider's entry for the status or the
//! kind of failure; else the general diagnosis of that kind of failure, saying which
//! provider it is when the input names one paydoctor has no knowledge file for, and that the
//! provider is unknown otherwise. "Nothing matched" is left for input with no payment signal.

use crate::diagnose::{self, Diagnosis, Match};
use crate::knowledge::Knowledge;
use crate::knowledge::general::{self, Category};
use crate::signals::{self, Signals, contains_phrase};
use crate::weights::*;
use std::collections::HashMap;

/// Whose error a general diagnosis is about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Who {
    Known(u16),
    /// A provider without a knowledge file: an index into [`general::others`].
    Other(usize),
    Unknown,
}

/// A diagnosis from the general knowledge: the kind of failure, whoever the provider.
#[derive(Debug)]
pub struct General {
    pub who: Who,
    pub category: &'static Category,
    pub status: Option<u16>,
    pub confidence: f32,
    pub evidence: Vec<String>,
    /// The network-layer entry the input showed (a TLS failure with the provider's host).
    pub network: Option<u32>,
}

#[derive(Debug, Default)]
pub struct Answer {
    /// The answer when no knowledge entry fits; shown before `diagnosis`.
    pub general: Option<General>,
    /// Knowledge entries, best first (with `general`: the per-provider entries that may apply).
    pub diagnosis: Diagnosis,
}

impl Answer {
    pub fn is_empty(&self) -> bool {
        self.general.is_none() && self.diagnosis.matches.is_empty()
    }
}

/// The kind of failure the input shows, from cue words, the status and the best entry. With a
/// provider named, only that provider's entries speak for the kind, and its entry for the
/// status (Checkout.com's 422 is a validation failure) settles a status two kinds share.
fn infer_category(
    sig: &Signals,
    d: &Diagnosis,
    kb: &Knowledge,
    named: Option<u16>,
) -> Option<(&'static Category, f32, Vec<String>)> {
    let mut scores: HashMap<&str, (f32, Vec<String>)> = HashMap::new();
    for c in general::categories() {
        for cue in c.cues {
            if signals::may_contain(&sig.words, cue) && contains_phrase(&sig.text, cue) {
                let words = cue.split(' ').count() as f32;
                let s = scores.entry(c.id).or_default();
                s.0 += (CUE_WORD + CUE_EXTRA_WORD * (words - 1.0)) * c.cue_weight;
                s.1.push(format!("mentions “{cue}”"));
            }
        }
        for st in &sig.statuses {
            if c.statuses.contains(st) {
                let s = scores.entry(c.id).or_default();
                s.0 += CUE_STATUS;
                s.1.push(format!("status {st}"));
            }
        }
    }
    let speaks = |m: &&Match| named.is_none_or(|p| kb.entries[m.entry as usize].provider == p);
    if let Some(m) = d.matches.iter().find(speaks).filter(|m| m.own > 0.0) {
        let e = &kb.entries[m.entry as usize];
        let s = scores.entry(e.category).or_default();
        s.0 += CUE_ENTRY * (m.own / ENTRY_SOLID).min(1.0);
    }
    if let (Some(p), Some(&status)) = (named, sig.statuses.first()) {
        let level = kb.entries.iter().find(|e| {
            e.provider == p
                && e.status.contains(&status)
                && e.codes.is_empty()
                && e.messages.is_empty()
                && e.patterns.is_empty()
        });
        if let Some(e) = level {
            scores.entry(e.category).or_default().0 += CUE_PROVIDER_STATUS;
        }
    }
    let (id, (score, why)) = scores.into_iter().max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(b.0.cmp(a.0)))?;
    (score > 0.0).then(|| (general::category(id), score, why))
}

/// A provider's entry of one category: its status-level entry for the status when it has one,
/// else its most general entry of the category.
fn provider_entry(kb: &Knowledge, provider: u16, category: &str, status: Option<u16>) -> Option<u32> {
    let candidates = kb.entries.iter().enumerate().filter(|(_, e)| e.provider == provider && e.category == category);
    candidates
        .min_by_key(|(i, e)| {
            let level = e.codes.is_empty() && e.messages.is_empty() && e.patterns.is_empty();
            let status_ok = status.is_none_or(|s| e.status.contains(&s));
            (!status_ok, !level, e.compact, e.generic, *i)
        })
        .map(|(i, _)| i as u32)
}

/// Points of evidence as a raw probability, before calibration.
fn probability(score: f32) -> f32 {
    1.0 / (1.0 + (-(score - CONFIDENCE_OFFSET) / CONFIDENCE_SCALE).exp())
}

/// Diagnose `text`: the pipeline `explain` runs.
pub fn explain(kb: &Knowledge, text: &str, provider: Option<u16>, limit: usize) -> Answer {
    let sig = signals::extract(kb, text, provider);
    let pev = diagnose::provider_evidence(kb, &sig);
    let d = diagnose::rank_with(kb, &sig, &pev, limit);
    let status = sig.statuses.first().copied();

    // A provider without a knowledge file, named as strongly as any known one: name it.
    let known_named = pev.values().map(|p| p.named).fold(0.0, f32::max);
    if sig.provider_filter.is_none() && !sig.others.is_empty() {
        let mut counts: HashMap<usize, (f32, Vec<String>)> = HashMap::new();
        for (i, why) in &sig.others {
            let c = counts.entry(*i).or_default();
            c.0 += PROVIDER_BRAND;
            c.1.push(why.clone());
        }
        let (other, (score, why)) =
            counts.into_iter().max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(b.0.cmp(&a.0))).expect("not empty");
        if score >= known_named {
            let (category, cat_score, cat_why) = infer_category(&sig, &Diagnosis::default(), kb, None).unwrap_or((
                general::category("other"),
                0.0,
                vec![],
            ));
            let evidence = why.into_iter().chain(cat_why).collect();
            let confidence = calibrated(probability(score + cat_score), CALIBRATION_GENERAL);
            let general = General { who: Who::Other(other), category, status, confidence, evidence, network: None };
            return Answer { general: Some(general), diagnosis: Diagnosis::default() };
        }
    }

    let named: Option<u16> = sig.provider_filter.or_else(|| {
        pev.iter()
            .filter(|(p, e)| e.named >= PROVIDER_NAMED && !kb.providers[**p as usize].network)
            .max_by(|a, b| a.1.named.total_cmp(&b.1.named).then(b.0.cmp(a.0)))
            .map(|(p, _)| *p)
    });
    let top = d.matches.first();
    let top_provider = top.map(|m| kb.entries[m.entry as usize].provider);
    let top_named = top_provider
        .is_some_and(|p| sig.provider_filter == Some(p) || pev.get(&p).is_some_and(|e| e.named >= PROVIDER_NAMED));
    // An entry stands on its own evidence; one of a provider the input does not name needs
    // more, and never wins over a provider the input does name.
    let solid =
        top.is_some_and(|m| if top_named { m.own >= ENTRY_SOLID } else { named.is_none() && m.own >= ENTRY_ALONE });
    if solid {
        // A network-layer code (a TLS failure, an issuer code) in a provider's context: the
        // provider's entry for that kind of failure, with the layer entry beside it.
        if let (Some(m), Some(p)) = (top, named) {
            let layer = &kb.entries[m.entry as usize];
            if kb.provider(layer).network && !kb.providers[p as usize].network {
                let mut evidence: Vec<String> = pev.get(&p).map(|x| x.reasons.clone()).unwrap_or_default();
                evidence.extend(m.evidence.iter().cloned());
                if let Some(e) = provider_entry(kb, p, layer.category, status) {
                    let mut stand = diagnose::stand_in(kb, &sig, e, m.confidence, evidence);
                    stand.network = Some(m.entry);
                    return Answer { general: None, diagnosis: Diagnosis { matches: vec![stand], ambiguous: false } };
                }
                // No entry of the provider for it: the provider and the kind, the layer entry after.
                let category = general::category(layer.category);
                let general =
                    General { who: Who::Known(p), category, status, confidence: m.confidence, evidence, network: None };
                return Answer { general: Some(general), diagnosis: d };
            }
        }
        return Answer { general: None, diagnosis: d };
    }
    let inferred = infer_category(&sig, &d, kb, named);
    if let Some(top) = top.filter(|_| named.is_some() && top_provider == named && !d.ambiguous) {
        let fits = inferred.as_ref().is_none_or(|(c, _, _)| c.id == kb.entries[top.entry as usize].category);
        // The provider's own entry for the status knows better than the status's usual category.
        if fits || top.own == 0.0 {
            return Answer { general: None, diagnosis: d };
        }
    }
    if let Some(p) = named {
        // The provider is evident but no entry fits well: its entry for this kind of failure.
        let (category, cat_score, cat_why) = inferred.unwrap_or((general::category("other"), 0.0, vec![]));
        let mut evidence: Vec<String> = pev.get(&p).map(|e| e.reasons.clone()).unwrap_or_default();
        evidence.extend(cat_why);
        let provider_score = pev.get(&p).map_or(PROVIDER_CAP, |e| e.score.min(PROVIDER_CAP)) * PROVIDER_WEIGHT;
        let raw = probability(provider_score + cat_score);
        let own_best = d.matches.iter().find(|m| kb.entries[m.entry as usize].provider == p && m.own > 0.0);
        if let Some(m) =
            own_best.filter(|m| m.own >= ENTRY_SOLID || kb.entries[m.entry as usize].category == category.id)
        {
            let matches: Vec<Match> = std::iter::once(m.clone())
                .chain(
                    d.matches
                        .iter()
                        .filter(|o| o.entry != m.entry && kb.entries[o.entry as usize].provider == p)
                        .cloned(),
                )
                .collect();
            return Answer { general: None, diagnosis: Diagnosis { matches, ambiguous: false } };
        }
        if let Some(e) = provider_entry(kb, p, category.id, status).filter(|_| category.id != "other") {
            let m = diagnose::stand_in(kb, &sig, e, calibrated(raw, CALIBRATION_PROVIDER), evidence);
            return Answer { general: None, diagnosis: Diagnosis { matches: vec![m], ambiguous: false } };
        }
        let confidence = calibrated(raw, CALIBRATION_GENERAL);
        let general = General { who: Who::Known(p), category, status, confidence, evidence, network: None };
        let matches: Vec<Match> =
            d.matches.into_iter().filter(|m| kb.entries[m.entry as usize].provider == p).collect();
        return Answer { general: Some(general), diagnosis: Diagnosis { matches, ambiguous: false } };
    }
    match inferred {
        // A status or a kind of failure, and no provider: the general diagnosis, with each
        // provider's entry for it listed after.
        Some((category, cat_score, evidence)) if !solid && (!sig.terse || d.matches.is_empty()) => {
            let confidence = calibrated(probability(cat_score), CALIBRATION_UNKNOWN);
            let general = General { who: Who::Unknown, category, status, confidence, evidence, network: None };
            Answer { general: Some(general), diagnosis: d }
        }
        _ => Answer { general: None, diagnosis: d },
    }
}
