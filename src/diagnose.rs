//! Ranking: scores knowledge entries against extracted [`Signals`], keeps the evidence for
//! every point of score, re-ranks each entry's causes by what the input shows, and says
//! when the provider is ambiguous instead of guessing.

use crate::knowledge::{Cause, Env, Knowledge, PhraseKind};
use crate::signals::{Endpoint, Signals};
use std::collections::HashMap;

/// Weights of the scoring model. Code and message evidence dominate; the status confirms;
/// provider fingerprints decide between providers that share a code.
const MESSAGE: f32 = 3.0;
const EXCEPTION: f32 = 3.5;
const STATUS_MATCH: f32 = 1.5;
const STATUS_MISMATCH: f32 = -1.0;
const STATUS_ONLY_GENERIC: f32 = 2.0;
const STATUS_ONLY_CODED: f32 = 0.6;
const ENDPOINT_MATCH: f32 = 1.2;
const ENDPOINT_MISMATCH: f32 = -0.6;
const PATTERN: f32 = 2.5;
const PROVIDER_WEIGHT: f32 = 0.5;
const PROVIDER_CAP: f32 = 7.0;

#[derive(Debug, Clone)]
pub struct RankedCause {
    pub cause: &'static Cause,
    pub likelihood: f32,
    /// What in the input supports this cause.
    pub support: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Match {
    pub entry: u32,
    pub confidence: f32,
    pub evidence: Vec<String>,
    pub causes: Vec<RankedCause>,
    /// The code as the entry spells it, when the input carried one.
    pub code: Option<&'static str>,
    pub status: Option<u16>,
}

#[derive(Debug, Default)]
pub struct Diagnosis {
    pub matches: Vec<Match>,
    /// Several providers fit equally well and nothing in the input tells them apart.
    pub ambiguous: bool,
}

#[derive(Default)]
struct ProviderEvidence {
    score: f32,
    reasons: Vec<String>,
}

fn provider_evidence(kb: &Knowledge, sig: &Signals) -> HashMap<u16, ProviderEvidence> {
    let mut ev: HashMap<u16, ProviderEvidence> = HashMap::new();
    let mut add = |p: u16, score: f32, why: String| {
        let e = ev.entry(p).or_default();
        e.score += score;
        if !e.reasons.contains(&why) {
            e.reasons.push(why);
        }
    };
    for ph in sig.phrases_of(kb, PhraseKind::Marker) {
        // `checkout.com` inside the host `api.checkout.com` is one piece of evidence, not two
        if !sig.hosts.iter().any(|h| h.host.contains(ph.text)) {
            add(ph.target as u16, 3.0, format!("mentions “{}”", ph.text));
        }
    }
    for ph in sig.phrases_of(kb, PhraseKind::ProviderException) {
        add(ph.target as u16, 3.0, format!("exception {}", ph.text));
    }
    for h in &sig.hosts {
        let name = kb.providers[h.provider as usize].name;
        let env = h.env.map(|e| format!(" {e}")).unwrap_or_default();
        add(h.provider, 4.0, format!("host {} is {name}'s{env} API", h.host));
    }
    for c in &sig.credentials {
        let name = kb.providers[c.provider as usize].name;
        let kind = c.kind.replace('_', " ");
        let env = c.env.map(|e| format!(" {e}")).unwrap_or_default();
        add(c.provider, 2.5 / c.shared_by as f32, format!("{} has the shape of a {name}{env} {kind}", c.masked));
    }
    // Field names: each counts for every provider listing it, split between them.
    let mut per_provider: HashMap<u16, Vec<&str>> = HashMap::new();
    for (p, f) in &sig.provider_fields {
        per_provider.entry(*p).or_default().push(f);
    }
    for (p, fields) in per_provider {
        let weight: f32 = fields.iter().map(|f| 1.2 / kb.fields.iter().filter(|(g, _)| g == f).count() as f32).sum();
        let bonus = if fields.len() >= 2 { 1.0 } else { 0.0 };
        let name = kb.providers[p as usize].name;
        add(p, (weight + bonus).min(3.5), format!("body fields {} are typical of {name}", fields.join(", ")));
    }
    ev
}

fn endpoint_matches(pattern: &str, input: &Endpoint) -> bool {
    let mut parts = pattern.split_whitespace();
    let (Some(method), Some(path)) = (parts.next(), parts.next()) else {
        return false;
    };
    if let Some(m) = &input.method {
        if method != "ANY" && !m.eq_ignore_ascii_case(method) {
            return false;
        }
    }
    let want: Vec<&str> = path.trim_matches('/').split('/').collect();
    let got: Vec<&str> = input.path.trim_matches('/').split('/').collect();
    if got.len() < want.len() {
        return false;
    }
    let tail = &got[got.len() - want.len()..];
    want.iter().zip(tail).all(|(w, g)| (w.starts_with('{') && !g.is_empty()) || w.eq_ignore_ascii_case(g))
}

/// The environments the input shows for one provider: (credential envs, host envs).
fn envs_for(sig: &Signals, provider: u16) -> (Vec<Env>, Vec<Env>) {
    let creds = sig.credentials.iter().filter(|c| c.provider == provider).filter_map(|c| c.env).collect();
    let hosts = sig.hosts.iter().filter(|h| h.provider == provider).filter_map(|h| h.env).collect();
    (creds, hosts)
}

/// A message phrase counts by its length: one word (`Refused`) says little, a sentence says
/// a lot; a message that is the whole of a short input is what the user pasted.
fn message_weight(sig: &Signals, phrase: &str) -> f32 {
    if crate::signals::is_reason_phrase(phrase) {
        // `Too many requests` is how every HTTP server says 429: no provider information
        return crate::signals::CODE_WORD;
    }
    let words = phrase.split(' ').count() as f32;
    let base = match words as usize {
        1 => 1.0,
        2 => 2.5,
        _ => MESSAGE + (0.15 * (words - 3.0)).min(1.0),
    };
    let whole = sig.terse && phrase.len() * 2 >= sig.text.len();
    base + if whole { 1.5 } else { 0.0 }
}

/// `phrase` occurs in `text` as whole words (`ip` is not found in `description`).
fn contains_words(text: &str, phrase: &str) -> bool {
    let t = text.as_bytes();
    let word = |i: usize| t.get(i).is_some_and(u8::is_ascii_alphanumeric);
    memchr::memmem::find_iter(t, phrase.as_bytes()).any(|at| {
        let starts_word = phrase.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric);
        let ends_word = phrase.as_bytes().last().is_some_and(u8::is_ascii_alphanumeric);
        (!starts_word || at == 0 || !word(at - 1)) && (!ends_word || !word(at + phrase.len()))
    })
}

/// Why a `when` condition holds for this provider, if it does.
fn condition(sig: &Signals, provider: u16, cond: &str) -> Option<String> {
    let (creds, hosts) = envs_for(sig, provider);
    let cred = |env: Env| sig.credentials.iter().find(|c| c.provider == provider && c.env == Some(env));
    let host = |env: Env| sig.hosts.iter().find(|h| h.provider == provider && h.env == Some(env));
    match cond {
        "@env_mismatch" => {
            for env in [Env::Sandbox, Env::Production] {
                if creds.contains(&env) && hosts.contains(&env.other()) && !hosts.contains(&env) {
                    let c = cred(env)?;
                    let h = host(env.other())?;
                    return Some(format!("{env} credential {} sent to {} host {}", c.masked, env.other(), h.host));
                }
            }
            None
        }
        "@sandbox_credential" => cred(Env::Sandbox).map(|c| format!("sandbox credential {}", c.masked)),
        "@production_credential" => cred(Env::Production).map(|c| format!("production credential {}", c.masked)),
        "@sandbox_host" => host(Env::Sandbox).map(|h| format!("sandbox host {}", h.host)),
        "@production_host" => host(Env::Production).map(|h| format!("production host {}", h.host)),
        "@public_key" => sig
            .credentials
            .iter()
            .find(|c| c.provider == provider && c.kind == "public_key")
            .map(|c| format!("public key {} used", c.masked)),
        "@earlier_success" => sig.earlier_success.then(|| "an earlier step succeeded".to_string()),
        phrase => {
            let p = crate::knowledge::schema::norm_phrase(phrase);
            contains_words(&sig.text, &p).then(|| format!("input mentions “{p}”"))
        }
    }
}

/// Re-rank an entry's causes: a cause whose `when` conditions hold gains weight.
pub fn rank_causes(sig: &Signals, provider: u16, causes: &'static [Cause]) -> Vec<RankedCause> {
    let mut ranked: Vec<RankedCause> = causes
        .iter()
        .map(|c| {
            let support: Vec<String> = c.when.iter().filter_map(|w| condition(sig, provider, w)).collect();
            let boost = if support.is_empty() { 0.0 } else { 0.6 + 0.2 * (support.len() as f32 - 1.0) };
            RankedCause { cause: c, likelihood: c.likelihood.max(0.01) + boost, support }
        })
        .collect();
    let total: f32 = ranked.iter().map(|c| c.likelihood).sum();
    for c in &mut ranked {
        c.likelihood /= total;
    }
    ranked.sort_by(|a, b| b.likelihood.total_cmp(&a.likelihood));
    ranked
}

struct Candidate {
    score: f32,
    /// Where its first signal appears in the input (earlier wins a tie).
    pos: usize,
    evidence: Vec<String>,
    code: Option<&'static str>,
    specific: bool,
}

/// When one provider's codes arrive in several of its code fields, the most specific field
/// refines the others (Stripe `decline_code: do_not_honor` refines `code: card_declined`):
/// the broader entries stay listed, but below the refined one, whatever generic message
/// they also matched.
fn refine(kb: &Knowledge, sig: &Signals, cands: &mut HashMap<u32, Candidate>) {
    let mut best: HashMap<u16, (f32, u32)> = HashMap::new();
    for h in sig.codes.iter().filter(|h| h.field.is_some()) {
        let p = kb.entries[h.entry as usize].provider;
        let b = best.entry(p).or_insert((h.strength, h.entry));
        if h.strength > b.0 {
            *b = (h.strength, h.entry);
        }
    }
    for h in sig.codes.iter().filter(|h| h.field.is_some()) {
        let p = kb.entries[h.entry as usize].provider;
        let (spec, refined) = best[&p];
        if h.strength >= spec || h.entry == refined {
            continue;
        }
        let Some(top) = cands.get(&refined).map(|c| c.score) else {
            continue;
        };
        if let Some(c) = cands.get_mut(&h.entry) {
            if c.score >= top {
                c.score = top - 0.5;
                c.evidence.push("refined by a more specific code".to_string());
            }
        }
    }
}

/// The most specific code of this provider that the input carried in a code field: what the
/// provider actually returned, when the best entry was recognised by its message.
fn provider_code(kb: &Knowledge, sig: &Signals, provider: u16) -> Option<&'static str> {
    sig.codes
        .iter()
        .filter(|h| h.field.is_some() && kb.entries[h.entry as usize].provider == provider)
        .max_by(|a, b| a.strength.total_cmp(&b.strength))
        .and_then(|h| {
            let n = crate::knowledge::schema::norm_code(&h.raw);
            kb.entries[h.entry as usize].codes.iter().find(|c| crate::knowledge::schema::norm_code(c) == n).copied()
        })
}

/// Score every entry the signals point at and return the best, best first.
pub fn rank(kb: &Knowledge, sig: &Signals, limit: usize) -> Diagnosis {
    let pev = provider_evidence(kb, sig);
    let mut cands: HashMap<u32, Candidate> = HashMap::new();
    let allowed = |e: u32| sig.provider_filter.is_none_or(|p| kb.entries[e as usize].provider == p);
    let bump = |cands: &mut HashMap<u32, Candidate>, e: u32, score: f32, why: String, specific: bool| {
        let c = cands.entry(e).or_insert(Candidate {
            score: 0.0,
            pos: usize::MAX,
            evidence: vec![],
            code: None,
            specific: false,
        });
        c.score += score;
        c.specific |= specific;
        if !why.is_empty() {
            c.evidence.push(why);
        }
    };

    for hit in sig.codes.iter().filter(|h| allowed(h.entry)) {
        let entry = &kb.entries[hit.entry as usize];
        let why = match &hit.field {
            Some(f) => format!("code {} in field {f}", hit.raw),
            None => format!("code {}", hit.raw),
        };
        bump(&mut cands, hit.entry, hit.strength, why, true);
        let norm = crate::knowledge::schema::norm_code(&hit.raw);
        let spelled = entry.codes.iter().find(|c| crate::knowledge::schema::norm_code(c) == norm);
        if let Some(c) = cands.get_mut(&hit.entry) {
            c.code = spelled.copied().or(entry.codes.first().copied());
            c.pos = c.pos.min(hit.pos);
        }
    }
    for ph in sig.phrases.iter().map(|&p| &kb.phrases[p as usize]) {
        let (weight, what) = match ph.kind {
            PhraseKind::Message => (message_weight(sig, ph.text), "message"),
            PhraseKind::Exception => (EXCEPTION, "exception"),
            _ => continue,
        };
        if allowed(ph.target) {
            bump(&mut cands, ph.target, weight, format!("{what} “{}”", ph.text), true);
        }
    }
    // Regex patterns: tried only on entries of providers the input already points at.
    let pointed: Vec<u16> = pev.keys().copied().chain(sig.provider_filter).collect();
    for (i, e) in kb.entries.iter().enumerate() {
        if e.patterns.is_empty() || !pointed.contains(&e.provider) || !allowed(i as u32) {
            continue;
        }
        let matches = |p: &&&'static str| crate::knowledge::regex(p, true).is_some_and(|re| re.is_match(&sig.text));
        if let Some(p) = e.patterns.iter().find(matches) {
            bump(&mut cands, i as u32, PATTERN, format!("matches pattern {p}"), true);
        }
    }
    // Statuses: confirm or weaken candidates; status-level entries come in on the status alone.
    if !sig.statuses.is_empty() {
        for (e, c) in cands.iter_mut() {
            let entry = &kb.entries[*e as usize];
            if entry.status.is_empty() {
                continue;
            }
            match sig.statuses.iter().find(|s| entry.status.contains(s)) {
                Some(s) => {
                    c.score += STATUS_MATCH;
                    c.evidence.push(format!("status {s}"));
                }
                None => c.score += STATUS_MISMATCH,
            }
        }
        let providers_with_specific: Vec<u16> =
            cands.iter().filter(|(_, c)| c.specific).map(|(e, _)| kb.entries[*e as usize].provider).collect();
        // Status-level entries first; coded entries come in on the status alone only for a
        // provider the input points at that has no status-level entry for it.
        let mut generic_for: Vec<u16> = Vec::new();
        let mut coded: Vec<(u32, u16)> = Vec::new();
        for (i, e) in kb.entries.iter().enumerate() {
            let i = i as u32;
            let Some(&s) = sig.statuses.iter().find(|s| e.status.contains(s)) else { continue };
            if !allowed(i) || cands.contains_key(&i) {
                continue;
            }
            if e.codes.is_empty() && e.messages.is_empty() && e.patterns.is_empty() {
                bump(&mut cands, i, STATUS_ONLY_GENERIC, format!("status {s}"), false);
                generic_for.push(e.provider);
            } else if !providers_with_specific.contains(&e.provider)
                && (sig.provider_filter == Some(e.provider) || pev.contains_key(&e.provider))
            {
                coded.push((i, s));
            }
        }
        for (i, s) in coded {
            if !generic_for.contains(&kb.entries[i as usize].provider) {
                bump(&mut cands, i, STATUS_ONLY_CODED, format!("status {s}"), false);
            }
        }
    }
    for (e, c) in cands.iter_mut() {
        let entry = &kb.entries[*e as usize];
        if !entry.endpoints.is_empty() && !sig.endpoints.is_empty() {
            let hit = sig.endpoints.iter().find(|ep| entry.endpoints.iter().any(|p| endpoint_matches(p, ep)));
            match hit {
                Some(ep) => {
                    c.score += ENDPOINT_MATCH;
                    let m = ep.method.as_deref().map(|m| format!("{m} ")).unwrap_or_default();
                    c.evidence.push(format!("endpoint {m}{}", ep.path));
                }
                None => c.score += ENDPOINT_MISMATCH,
            }
        }
        if let Some(p) = pev.get(&entry.provider) {
            c.score += p.score.min(PROVIDER_CAP) * PROVIDER_WEIGHT;
            c.evidence.extend(p.reasons.iter().cloned());
        }
        if !entry.compact {
            c.score += 0.1;
        }
    }

    refine(kb, sig, &mut cands);
    // When the input points at a provider, another provider's entry that matched nothing but
    // the status is not a competitor.
    if !pev.is_empty() {
        cands.retain(|e, c| c.specific || pev.contains_key(&kb.entries[*e as usize].provider));
    }
    // A lone plain word that happens to be a code (`missing`, `Error`) is not a diagnosis.
    let mut ranked: Vec<(u32, Candidate)> = cands.into_iter().filter(|(_, c)| c.score > 1.0).collect();
    ranked.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.1.pos.cmp(&b.1.pos)).then(a.0.cmp(&b.0)));

    let top_score = ranked.first().map_or(0.0, |r| r.1.score);
    let partition: f32 = ranked.iter().map(|(_, c)| (c.score - top_score).exp()).sum();

    // Ambiguous: the best candidates come from several providers and nothing in the input
    // names one; show the best per provider instead of a silent guess.
    let top = ranked.first().map(|(e, c)| (kb.entries[*e as usize].provider, c.score));
    let ambiguous = match top {
        Some((p, score)) if sig.provider_filter.is_none() && !pev.contains_key(&p) => {
            ranked.iter().any(|(e, c)| kb.entries[*e as usize].provider != p && c.score >= score - 1.0)
        }
        _ => false,
    };
    if ambiguous {
        let best = ranked.first().map_or(0.0, |r| r.1.score);
        let mut seen = Vec::new();
        ranked.retain(|(e, c)| {
            let p = kb.entries[*e as usize].provider;
            let keep = !seen.contains(&p) && c.score >= best - 1.5;
            seen.push(p);
            keep
        });
    } else {
        ranked.truncate(limit.max(1));
    }

    let matches = ranked
        .into_iter()
        .map(|(e, c)| {
            let entry = &kb.entries[e as usize];
            // How strong the evidence is on its own, times this entry's share of the
            // competition (a softmax over every candidate's score).
            let strength = 1.0 - (-c.score / 3.0).exp();
            let share = (c.score - top_score).exp() / partition;
            let confidence = strength * share;
            let status =
                sig.statuses.iter().copied().find(|s| entry.status.contains(s)).or(entry.status.first().copied());
            let mut evidence = c.evidence;
            evidence.dedup();
            Match {
                entry: e,
                confidence: (confidence * 100.0).round() / 100.0,
                evidence,
                causes: rank_causes(sig, entry.provider, entry.causes),
                code: c.code.or_else(|| provider_code(kb, sig, entry.provider)).or(entry.codes.first().copied()),
                status,
            }
        })
        .collect();
    Diagnosis { matches, ambiguous }
}
