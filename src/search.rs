//! Full-text search over the knowledge base (`paydoctor search`): an inverted index of the
//! words in every entry's codes, title, messages, summary, causes and fixes, built only when
//! a search runs (never at start-up), and a ranking that tolerates typos (a bounded edit
//! distance per word) and other forms of a word (a shared stem: `decline`, `declined`).

use crate::knowledge::schema::norm_code;
use crate::knowledge::{Knowledge, lookup};
use std::collections::HashMap;

/// Where a word was found, and how much a word there counts.
const FIELDS: [(&str, f32); 9] = [
    ("code", 4.0),
    ("title", 3.0),
    ("message", 2.5),
    ("status", 1.5),
    ("summary", 1.5),
    ("category", 1.0),
    ("provider", 1.0),
    ("cause", 1.0),
    ("fix", 1.0),
];
const CODE: usize = 0;
const TITLE: usize = 1;
const MESSAGE: usize = 2;
const STATUS: usize = 3;
const SUMMARY: usize = 4;
const CATEGORY: usize = 5;
const PROVIDER: usize = 6;
const CAUSE: usize = 7;
const FIX: usize = 8;

/// How much a word counts when it is found as another form of the query word, or as a typo.
const OTHER_FORM: f32 = 0.8;
const ONE_TYPO: f32 = 0.75;
const TWO_TYPOS: f32 = 0.55;
/// Added when the query, read as a code (`insufficient funds` → `insufficient_funds`), is one.
const WHOLE_CODE: f32 = 10.0;

/// Words too common in questions to search for (unless nothing else is left).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "i", "in", "is", "it", "my", "of", "on", "or",
    "the", "this", "that", "to", "was", "with", "why", "what", "how", "does", "do", "get", "got",
];

/// The lower-cased words of a text (letters and digits, two characters at least).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 2).map(str::to_lowercase)
}

/// Word → (entry, bit set of the fields it occurs in), for every entry.
pub struct Index<'k> {
    kb: &'k Knowledge,
    terms: HashMap<String, Vec<(u32, u16)>>,
}

#[derive(Debug)]
pub struct Hit {
    pub entry: u32,
    pub score: f32,
    /// The fields the query words were found in.
    pub fields: Vec<&'static str>,
}

#[derive(Debug, Default)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// (word as typed, the known word searched instead).
    pub corrections: Vec<(String, String)>,
}

impl<'k> Index<'k> {
    pub fn build(kb: &'k Knowledge) -> Index<'k> {
        let mut terms: HashMap<String, Vec<(u32, u16)>> = HashMap::new();
        let mut seen: HashMap<String, u16> = HashMap::new();
        for (i, e) in kb.entries.iter().enumerate() {
            seen.clear();
            let mut add = |field: usize, text: &str| {
                for w in words(text) {
                    *seen.entry(w).or_default() |= 1 << field;
                }
            };
            add(CODE, e.id);
            e.codes.iter().for_each(|c| add(CODE, c));
            add(TITLE, e.title);
            e.messages.iter().for_each(|m| add(MESSAGE, m));
            e.status.iter().for_each(|s| add(STATUS, &s.to_string()));
            add(SUMMARY, e.summary);
            add(CATEGORY, e.category);
            let p = kb.provider(e);
            add(PROVIDER, p.id);
            add(PROVIDER, p.name);
            p.aliases.iter().for_each(|a| add(PROVIDER, a));
            for c in e.causes {
                add(CAUSE, c.summary);
                add(CAUSE, c.evidence);
            }
            e.fixes.iter().for_each(|f| add(FIX, f));
            for (w, mask) in seen.drain() {
                terms.entry(w).or_default().push((i as u32, mask));
            }
        }
        Index { kb, terms }
    }

    /// The known words a query word stands for, with how much each counts.
    fn expand(&self, word: &str) -> Vec<(&str, f32)> {
        let mut out = Vec::new();
        let exact = self.terms.contains_key(word);
        let n = word.chars().count();
        let max_typos = if n >= 8 { 2 } else { 1 };
        for t in self.terms.keys() {
            let m = t.chars().count();
            if t == word {
                out.push((t.as_str(), 1.0));
            } else if n.min(m) >= 4 && n.abs_diff(m) <= 3 && (t.starts_with(word) || word.starts_with(t.as_str())) {
                out.push((t.as_str(), OTHER_FORM));
            } else if !exact && n >= 4 && n.abs_diff(m) <= max_typos {
                match strsim::osa_distance(word, t) {
                    1 => out.push((t.as_str(), ONE_TYPO)),
                    2 if max_typos == 2 => out.push((t.as_str(), TWO_TYPOS)),
                    _ => {}
                }
            }
        }
        out
    }

    fn idf(&self, term: &str) -> f32 {
        let df = self.terms.get(term).map_or(0, Vec::len).max(1) as f32;
        (1.0 + self.kb.entries.len() as f32 / df).ln()
    }

    /// Rank entries for a query: per query word, the best field and form it is found in,
    /// weighted by how rare the word is; entries that have every word come first.
    pub fn search(&self, query: &str, provider: Option<u16>, limit: usize) -> Results {
        let all: Vec<String> = words(query).collect();
        let mut qwords: Vec<String> = all.iter().filter(|w| !STOP_WORDS.contains(&w.as_str())).cloned().collect();
        if qwords.is_empty() {
            qwords = all;
        }
        qwords.dedup();
        let mut results = Results::default();
        // entry → (score, words found, fields)
        let mut scores: HashMap<u32, (f32, usize, u16)> = HashMap::new();
        let mut as_searched = Vec::new();
        for w in &qwords {
            let forms = self.expand(w);
            if !forms.iter().any(|(_, q)| *q >= OTHER_FORM) {
                // Only typos: say which known word was searched instead (the most common closest).
                let best = forms.iter().max_by(|a, b| {
                    a.1.total_cmp(&b.1).then(self.terms[a.0].len().cmp(&self.terms[b.0].len())).then(b.0.cmp(a.0))
                });
                if let Some((t, _)) = best {
                    results.corrections.push((w.clone(), t.to_string()));
                    as_searched.push(t.to_string());
                }
            } else {
                as_searched.push(w.clone());
            }
            let mut best: HashMap<u32, (f32, u16)> = HashMap::new();
            for (t, quality) in forms {
                let idf = self.idf(t);
                for &(e, mask) in &self.terms[t] {
                    let weight =
                        (0..FIELDS.len()).filter(|f| mask & (1 << f) != 0).map(|f| FIELDS[f].1).fold(0.0, f32::max);
                    let s = quality * idf * weight;
                    let b = best.entry(e).or_default();
                    if s > b.0 {
                        b.0 = s;
                    }
                    b.1 |= mask;
                }
            }
            for (e, (s, mask)) in best {
                let x = scores.entry(e).or_default();
                x.0 += s;
                x.1 += 1;
                x.2 |= mask;
            }
        }
        let total = qwords.len().max(1) as f32;
        for (_, x) in scores.iter_mut() {
            let share = x.1 as f32 / total;
            x.0 *= share * share;
        }
        // The query read as one code, as typed or with the corrections.
        for phrase in [norm_code(query), norm_code(&as_searched.join(" "))] {
            for e in lookup(self.kb.codes, &phrase) {
                scores.entry(e).or_default().0 += WHOLE_CODE;
            }
        }
        let mut hits: Vec<Hit> = scores
            .into_iter()
            .filter(|(e, _)| provider.is_none_or(|p| self.kb.entries[*e as usize].provider == p))
            .map(|(entry, (score, _, mask))| Hit {
                entry,
                score: (score * 100.0).round() / 100.0,
                fields: (0..FIELDS.len()).filter(|f| mask & (1 << f) != 0).map(|f| FIELDS[f].0).collect(),
            })
            .collect();
        let kb = self.kb;
        hits.sort_by(|a, b| {
            let (ea, eb) = (&kb.entries[a.entry as usize], &kb.entries[b.entry as usize]);
            b.score
                .total_cmp(&a.score)
                .then(ea.compact.cmp(&eb.compact))
                .then(kb.provider(ea).id.cmp(kb.provider(eb).id))
                .then(ea.id.cmp(eb.id))
        });
        hits.truncate(limit);
        results.hits = hits;
        results
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::EMBEDDED;

    fn top(query: &str) -> Vec<String> {
        let index = Index::build(&EMBEDDED);
        let r = index.search(query, None, 5);
        r.hits
            .iter()
            .map(|h| {
                let e = &EMBEDDED.entries[h.entry as usize];
                format!("{}:{}", EMBEDDED.provider(e).id, e.id)
            })
            .collect()
    }

    #[test]
    fn words_split_codes_and_fold_case() {
        let w: Vec<String> = words("INVALID_TOKEN: Card-declined (402)").collect();
        assert_eq!(w, ["invalid", "token", "card", "declined", "402"]);
    }

    #[test]
    fn a_typo_finds_the_word_it_stands_for() {
        let index = Index::build(&EMBEDDED);
        let r = index.search("insuficient funds", None, 5);
        assert_eq!(r.corrections, [("insuficient".to_string(), "insufficient".to_string())]);
        assert!(top("insuficient funds").iter().all(|h| h.contains("insufficient")), "{:?}", top("insuficient funds"));
    }

    #[test]
    fn stop_words_do_not_count_and_nothing_known_finds_nothing() {
        assert!(top("qqqqzzzz xxyyzz").is_empty());
        assert_eq!(top("the insufficient funds"), top("insufficient funds"));
    }
}
