//! Ranking: scores knowledge entries against extracted [`Signals`], keeps the evidence for
//! every point of score, re-ranks each entry's causes by what the input shows, and says
//! when the provider is ambiguous instead of guessing.

use crate::knowledge::{Cause, Env, Knowledge, PhraseKind};
use crate::scan::automaton::Automaton;
use crate::signals::{Endpoint, Naming, Signals, contains_phrase};
use std::collections::HashMap;

use crate::weights::*;

#[derive(Debug, Clone)]
pub struct RankedCause {
    pub cause: &'static Cause,
    pub likelihood: f32,
    /// What in the input supports this cause.
    pub support: Vec<String>,
}

/// Which layer of the engine found a match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Layer {
    /// The entry's own evidence (code, message, exception, wording) or its status.
    Entry,
    /// The named provider's entry for the kind of failure the input shows.
    Provider,
}

#[derive(Debug, Clone)]
pub struct Match {
    pub entry: u32,
    pub layer: Layer,
    pub confidence: f32,
    /// Score from the entry's own evidence (code, message, exception, pattern, wording).
    pub own: f32,
    pub evidence: Vec<String>,
    pub causes: Vec<RankedCause>,
    /// The entry's code as the entry spells it: the one the input carried, else its first.
    pub code: Option<&'static str>,
    /// The input carried `code` (not only a message or status of this entry).
    pub code_seen: bool,
    /// The status the input showed, when the entry lists it (never one the input did not show).
    pub status: Option<u16>,
    /// The network-layer entry behind this one: the issuer or network code it wraps, or the
    /// transport failure the input shows.
    pub network: Option<u32>,
    /// Its only evidence of its own is wording close to its message (no code, message,
    /// exception or pattern as written).
    pub wording_only: bool,
}

#[derive(Debug, Default)]
pub struct Diagnosis {
    pub matches: Vec<Match>,
    /// Several providers fit equally well and nothing in the input tells them apart.
    pub ambiguous: bool,
}

#[derive(Default)]
pub struct ProviderEvidence {
    pub score: f32,
    /// The part of `score` that comes from explicit mentions (not field names).
    pub named: f32,
    pub reasons: Vec<String>,
}

/// Every endpoint pattern the entries list, once per provider.
fn endpoint_patterns(kb: &Knowledge) -> Vec<(&'static str, u16)> {
    let mut out: Vec<(&'static str, u16)> = Vec::new();
    for e in kb.entries {
        for &p in e.endpoints {
            if !out.contains(&(p, e.provider)) {
                out.push((p, e.provider));
            }
        }
    }
    out
}

/// What in the input points at each known provider.
pub fn provider_evidence(kb: &Knowledge, sig: &Signals) -> HashMap<u16, ProviderEvidence> {
    let mut ev: HashMap<u16, ProviderEvidence> = HashMap::new();
    let mut add = |p: u16, score: f32, named: bool, why: String| {
        let e = ev.entry(p).or_default();
        e.score += score;
        if named {
            e.named += score;
        }
        if !e.reasons.contains(&why) {
            e.reasons.push(why);
        }
    };
    for ph in sig.phrases_of(kb, PhraseKind::Marker) {
        // `checkout.com` inside the host `api.checkout.com` is one piece of evidence, not two
        if !sig.hosts.iter().any(|h| h.host.contains(ph.text)) {
            add(ph.target as u16, PROVIDER_MARKER, true, format!("mentions “{}”", sig.as_written(ph.text)));
        }
    }
    for ph in sig.phrases_of(kb, PhraseKind::ProviderException) {
        add(ph.target as u16, PROVIDER_EXCEPTION, true, format!("exception “{}”", sig.as_written(ph.text)));
    }
    for h in &sig.hosts {
        let name = kb.providers[h.provider as usize].name;
        let env = h.env.map(|e| format!(" {e}")).unwrap_or_default();
        add(h.provider, PROVIDER_HOST, true, format!("host {} is {name}'s{env} API", h.host));
    }
    for (p, how, why) in &sig.brands {
        let weight = match how {
            Naming::Brand => PROVIDER_BRAND,
            Naming::Domain => PROVIDER_DOMAIN,
        };
        add(*p, weight, true, why.clone());
    }
    // A shape several providers share counts whole for the one of them whose own message the
    // input quotes (two pieces of evidence that agree on one provider), split otherwise.
    let quoted: Vec<u16> =
        sig.phrases_of(kb, PhraseKind::Message).map(|ph| kb.entries[ph.target as usize].provider).collect();
    for c in &sig.credentials {
        let name = kb.providers[c.provider as usize].name;
        let kind = c.kind.replace('_', " ");
        let env = c.env.map(|e| format!(" {e}")).unwrap_or_default();
        let why = format!("{} has the shape of a {name}{env} {kind}", c.masked);
        let sharers = sig.credentials.iter().filter(|o| o.masked == c.masked).map(|o| o.provider);
        let agreeing: Vec<u16> = sharers.filter(|p| quoted.contains(p)).collect();
        let settled = c.shared_by == 1 || agreeing == [c.provider];
        let weight = if settled { PROVIDER_CREDENTIAL } else { PROVIDER_CREDENTIAL / c.shared_by as f32 };
        add(c.provider, weight, settled, why);
    }
    // Object ids: split between the providers whose ids have that prefix.
    for (id, owners) in &sig.ids {
        for &p in owners {
            let name = kb.providers[p as usize].name;
            let short: String = id.chars().take(id.find('_').map_or(4, |i| i + 5)).collect();
            add(
                p,
                PROVIDER_ID / owners.len() as f32,
                owners.len() == 1,
                format!("id {short}… has the shape of {name}'s ids"),
            );
        }
    }
    // A code-shaped token (not a plain word) that only one provider uses names that provider.
    let mut by_code: HashMap<String, (Vec<u16>, f32, &str)> = HashMap::new();
    for h in &sig.codes {
        let e = by_code.entry(crate::knowledge::schema::norm_code(&h.raw)).or_insert((vec![], 0.0, &h.raw));
        let p = kb.entries[h.entry as usize].provider;
        if !e.0.contains(&p) {
            e.0.push(p);
        }
        e.1 = e.1.max(h.strength);
    }
    for (providers, strength, raw) in by_code.values() {
        let code_like = crate::signals::distinctive(raw) && *strength >= CODE_IN_CLASS_FIELD;
        if let ([p], true) = (providers.as_slice(), code_like) {
            let name = kb.providers[*p as usize].name;
            add(*p, PROVIDER_UNIQUE_CODE, true, format!("code {raw} is {name}'s alone"));
        }
    }
    // An endpoint that only one provider's errors list names that provider.
    for ep in &sig.endpoints {
        let patterns = crate::knowledge::derived(kb, endpoint_patterns);
        let mut owners: Vec<u16> =
            patterns.iter().filter(|(p, _)| endpoint_matches(p, ep)).map(|(_, provider)| *provider).collect();
        owners.dedup();
        if let [p] = owners.as_slice() {
            let m = ep.method.as_deref().map(|m| format!("{m} ")).unwrap_or_default();
            let why = format!("endpoint {m}{} is {}'s", ep.path, kb.providers[*p as usize].name);
            add(*p, PROVIDER_UNIQUE_ENDPOINT, true, why);
        }
    }
    // Field names: each counts for every provider listing it, split between them.
    let mut per_provider: HashMap<u16, Vec<&str>> = HashMap::new();
    for (p, f) in &sig.provider_fields {
        per_provider.entry(*p).or_default().push(f);
    }
    for (p, fields) in per_provider {
        let weight: f32 =
            fields.iter().map(|f| PROVIDER_FIELD / kb.fields.iter().filter(|(g, _)| g == f).count() as f32).sum();
        let bonus = if fields.len() >= 2 { PROVIDER_FIELDS_TOGETHER } else { 0.0 };
        let name = kb.providers[p as usize].name;
        let written: Vec<&str> = fields.iter().map(|f| sig.field_as_written(f)).collect();
        let why = format!("body fields {} are typical of {name}", written.join(", "));
        let score = (weight + bonus).min(PROVIDER_FIELDS_CAP);
        add(p, score, score >= PROVIDER_FIELDS_NAMED, why);
    }
    // What another reason quotes whole is no reason of its own to show (`stripe` inside
    // `stripe.com` and `Stripe\Exception\CardException`); it still counted above.
    for e in ev.values_mut() {
        let quoted: Vec<String> = e.reasons.iter().filter_map(|r| quote(r).map(str::to_lowercase)).collect();
        e.reasons.retain(|r| match quote(r).map(str::to_lowercase) {
            Some(q) if r.starts_with("mentions ") || r.starts_with("names ") => {
                !quoted.iter().any(|other| other.len() > q.len() && other.contains(&q))
            }
            _ => true,
        });
    }
    ev
}

/// The text between “ and ” in an evidence line.
fn quote(reason: &str) -> Option<&str> {
    let start = reason.find('“')? + '“'.len_utf8();
    let end = start + reason[start..].find('”')?;
    Some(&reason[start..end])
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
        return CODE_WORD;
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
            contains_phrase(&sig.text, &p).then(|| format!("input mentions “{p}”"))
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
    /// The part of `score` from the entry's own evidence (code, message, exception, pattern).
    own: f32,
    /// A code or a message of the entry was found as written.
    verbatim: bool,
    /// The part of `own` from wording close to the entry's message.
    by_wording: f32,
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

/// Each provider's entry that stands for `status` when the input says nothing more (one pass
/// over the entries, remembered per status for the process: `scan` asks per record): its
/// status-level entry, else the richest entry with that status whose category the status
/// usually means.
fn status_stand_ins(kb: &Knowledge, status: u16) -> &'static [Option<u32>] {
    type Table = std::sync::Mutex<HashMap<u16, &'static [Option<u32>]>>;
    let table = crate::knowledge::derived(kb, |_| Table::default());
    let mut table = table.lock().unwrap_or_else(|e| e.into_inner());
    table.entry(status).or_insert_with(|| {
        let usual = crate::knowledge::general::categories().iter().find(|c| c.statuses.first() == Some(&status));
        let rank = |e: &crate::knowledge::Entry| {
            let level = e.codes.is_empty() && e.messages.is_empty() && e.patterns.is_empty();
            let usual = usual.is_some_and(|c| c.id == e.category);
            (!level, !usual, e.compact, e.generic)
        };
        let mut best: Vec<Option<u32>> = vec![None; kb.providers.len()];
        for (i, e) in kb.entries.iter().enumerate().filter(|(_, e)| e.status.contains(&status)) {
            let slot = &mut best[e.provider as usize];
            if slot.is_none_or(|b| rank(e) < rank(&kb.entries[b as usize])) {
                *slot = Some(i as u32);
            }
        }
        Box::leak(best.into_boxed_slice())
    })
}

/// The entries with message patterns, by what a match must contain: a pattern is tried only
/// on text that holds one of its literals, found by one automaton over all of them.
struct Patterns {
    literals: Option<Automaton>,
    /// The entries each literal stands for.
    owners: Vec<Vec<u32>>,
    /// Entries with a pattern that no literal stands for: always tried.
    always: Vec<u32>,
}

impl Patterns {
    fn build(kb: &Knowledge) -> Patterns {
        let (mut texts, mut owners, mut always) = (Vec::<String>::new(), Vec::<Vec<u32>>::new(), Vec::new());
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, e) in kb.entries.iter().enumerate().filter(|(_, e)| !e.patterns.is_empty()) {
            let literals: Option<Vec<Vec<String>>> = e.patterns.iter().map(|p| Patterns::literals(p)).collect();
            let Some(literals) = literals else {
                always.push(i as u32);
                continue;
            };
            for text in literals.into_iter().flatten() {
                let at = *index.entry(text.to_ascii_lowercase()).or_insert_with(|| {
                    texts.push(text);
                    owners.push(Vec::new());
                    owners.len() - 1
                });
                if owners[at].last() != Some(&(i as u32)) {
                    owners[at].push(i as u32);
                }
            }
        }
        let literals = (!texts.is_empty()).then(|| Automaton::new(texts.iter().map(|t| t.as_bytes())));
        Patterns { literals, owners, always }
    }

    /// Literals one of which every match of `pattern` holds, as [`crate::knowledge::regex`]
    /// compiles it (ASCII case folding): none when the pattern needs Unicode (a case
    /// variant no ASCII literal shows could match) or gives no such literal.
    fn literals(pattern: &str) -> Option<Vec<String>> {
        regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(true)
            .case_insensitive(true)
            .build()
            .parse(pattern)
            .ok()?;
        let (shortest, texts) = crate::knowledge::pattern_literals(pattern)?;
        let plain = |t: &String| t.is_ascii() && !t.contains('\n');
        (shortest > 0 && texts.iter().all(plain)).then_some(texts)
    }

    /// The entries whose patterns may match `text`, in order.
    fn candidates(&self, text: &str) -> Vec<u32> {
        let mut found = Vec::new();
        if let Some(a) = &self.literals {
            a.find_all(text.as_bytes(), 0, text.len(), &mut found);
        }
        let mut out: Vec<u32> =
            found.iter().flat_map(|m| &self.owners[m.literal as usize]).chain(&self.always).copied().collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A match for an entry chosen by a later layer (the provider's entry for a kind of
/// failure), with the confidence and evidence that layer found.
pub fn stand_in(kb: &Knowledge, sig: &Signals, entry: u32, confidence: f32, evidence: Vec<String>) -> Match {
    let e = &kb.entries[entry as usize];
    let seen = provider_code(kb, sig, e.provider);
    Match {
        entry,
        layer: Layer::Provider,
        confidence,
        own: 0.0,
        evidence,
        causes: rank_causes(sig, e.provider, e.causes),
        code: seen.or(e.codes.first().copied()),
        code_seen: seen.is_some(),
        status: sig.statuses.iter().copied().find(|s| e.status.contains(s)),
        network: None,
        wording_only: false,
    }
}

/// Score every entry the signals point at and return the best, best first.
pub fn rank(kb: &Knowledge, sig: &Signals, limit: usize) -> Diagnosis {
    rank_with(kb, sig, &provider_evidence(kb, sig), limit)
}

/// [`rank`] with the provider evidence already worked out.
pub fn rank_with(kb: &Knowledge, sig: &Signals, pev: &HashMap<u16, ProviderEvidence>, limit: usize) -> Diagnosis {
    let mut cands: HashMap<u32, Candidate> = HashMap::new();
    let allowed = |e: u32| sig.provider_filter.is_none_or(|p| kb.entries[e as usize].provider == p);
    let bump = |cands: &mut HashMap<u32, Candidate>, e: u32, score: f32, why: String, specific: bool| {
        let c = cands.entry(e).or_insert(Candidate {
            score: 0.0,
            own: 0.0,
            verbatim: false,
            by_wording: 0.0,
            pos: usize::MAX,
            evidence: vec![],
            code: None,
            specific: false,
        });
        c.score += score;
        if specific {
            c.own += score;
        }
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
            c.verbatim = true;
            c.code = spelled.copied().or(c.code);
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
            bump(&mut cands, ph.target, weight, format!("{what} “{}”", sig.as_written(ph.text)), true);
            if ph.kind == PhraseKind::Message {
                cands.get_mut(&ph.target).expect("just added").verbatim = true;
            }
        }
    }
    // Messages by meaning: only where neither a verbatim message nor a code of the entry was
    // found, and never for typed codes (they were looked up exactly).
    if (!sig.terse || sig.codes.is_empty()) && crate::similar::terms(&sig.text).next().is_some() {
        let long = sig.text.split(' ').count() > SIMILAR_LONG_WORDS;
        let min = if long { SIMILAR_MIN_LONG } else { SIMILAR_MIN };
        for (e, cover) in crate::similar::Index::of(kb).matches(&sig.text, min) {
            // Wording stands in for a missing message or code; it does not add to them.
            let verbatim = cands.get(&e).is_some_and(|c| c.verbatim);
            // An entry the provider sends with other statuses than the input's is not it.
            let entry = &kb.entries[e as usize];
            let status_off = !sig.statuses.is_empty()
                && !entry.status.is_empty()
                && !sig.statuses.iter().any(|s| entry.status.contains(s));
            if allowed(e) && !verbatim && !status_off {
                bump(
                    &mut cands,
                    e,
                    SIMILAR * cover,
                    format!("wording close to its message ({:.0}%)", cover * 100.0),
                    true,
                );
                if let Some(c) = cands.get_mut(&e) {
                    c.by_wording += SIMILAR * cover;
                }
            }
        }
    }
    // Regex patterns: tried only on entries of providers the input already points at.
    let pointed: Vec<u16> = pev.keys().copied().chain(sig.provider_filter).collect();
    if !pointed.is_empty() {
        for i in crate::knowledge::derived(kb, Patterns::build).candidates(&sig.text) {
            let e = &kb.entries[i as usize];
            if !pointed.contains(&e.provider) || !allowed(i) {
                continue;
            }
            let matches = |p: &&'static str| crate::knowledge::regex(p, true).is_some_and(|re| re.is_match(&sig.text));
            if e.patterns.iter().any(matches) {
                bump(&mut cands, i, PATTERN, "its message pattern".to_string(), true);
            }
        }
    }
    // Statuses: confirm or weaken candidates; each provider's stand-in for the status comes
    // in on the status alone (every provider when nothing names one, so lists are complete).
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
        let with_specific: Vec<u16> =
            cands.iter().filter(|(_, c)| c.specific).map(|(e, _)| kb.entries[*e as usize].provider).collect();
        let stand_ins: Vec<(u16, &[Option<u32>])> =
            sig.statuses.iter().map(|&s| (s, status_stand_ins(kb, s))).collect();
        for p in 0..kb.providers.len() as u16 {
            if with_specific.contains(&p) || sig.provider_filter.is_some_and(|f| f != p) {
                continue;
            }
            if !pev.is_empty() && !pev.contains_key(&p) && sig.provider_filter != Some(p) {
                continue;
            }
            for (s, best) in &stand_ins {
                if let Some(e) = best[p as usize].filter(|e| !cands.contains_key(e)) {
                    bump(&mut cands, e, STATUS_ONLY_GENERIC, format!("status {s}"), false);
                    break;
                }
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
            for r in &p.reasons {
                if !c.evidence.contains(r) {
                    c.evidence.push(r.clone());
                }
            }
        }
        if !entry.compact {
            c.score += RICH_ENTRY;
        }
    }

    refine(kb, sig, &mut cands);
    // When the input points at a provider, another provider's entry that matched nothing but
    // the status is not a competitor.
    if !pev.is_empty() {
        cands.retain(|e, c| c.specific || pev.contains_key(&kb.entries[*e as usize].provider));
    }
    let mut ranked: Vec<(u32, Candidate)> = cands.into_iter().filter(|(_, c)| c.score > MIN_SCORE).collect();
    ranked.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.1.pos.cmp(&b.1.pos)).then(a.0.cmp(&b.0)));

    let top_score = ranked.first().map_or(0.0, |r| r.1.score);
    let partition: f32 = ranked.iter().map(|(_, c)| (c.score - top_score).exp()).sum();

    // Ambiguous: the best candidates come from several providers and nothing in the input
    // names one; show the best of every such provider instead of a silent guess.
    let top = ranked.first().map(|(e, c)| (kb.entries[*e as usize].provider, c.score));
    let ambiguous = match top {
        Some((p, score)) if sig.provider_filter.is_none() && !pev.contains_key(&p) => {
            ranked.iter().any(|(e, c)| kb.entries[*e as usize].provider != p && c.score >= score - 1.0)
        }
        _ => false,
    };
    if ambiguous {
        let mut seen = Vec::new();
        ranked.retain(|(e, c)| {
            let p = kb.entries[*e as usize].provider;
            let keep = !seen.contains(&p) && c.score >= top_score - AMBIGUOUS_BAND;
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
            // How likely the best candidate is right (a logistic curve over its score), times
            // this candidate's share of the competition (a softmax over every candidate).
            let strength = 1.0 / (1.0 + (-(top_score - CONFIDENCE_OFFSET) / CONFIDENCE_SCALE).exp());
            let share = (c.score - top_score).exp() / partition;
            let confidence = calibrated(strength * share, CALIBRATION_ENTRY);
            let status = sig.statuses.iter().copied().find(|s| entry.status.contains(s));
            let seen = c.code.or_else(|| provider_code(kb, sig, entry.provider));
            let mut evidence = c.evidence;
            evidence.dedup();
            Match {
                entry: e,
                layer: Layer::Entry,
                confidence,
                own: c.own,
                evidence,
                causes: rank_causes(sig, entry.provider, entry.causes),
                code: seen.or(entry.codes.first().copied()),
                code_seen: seen.is_some(),
                status,
                network: None,
                wording_only: c.by_wording > 0.0 && c.own - c.by_wording < 1e-4,
            }
        })
        .collect();
    Diagnosis { matches, ambiguous }
}
