//! Matching by meaning rather than verbatim: how much of an entry's message, paraphrase (or,
//! for entries without one, its title) the input's words cover, each word weighted by how rare it is in
//! the knowledge base (IDF). A paraphrase, a message with ids and amounts filled in, or one
//! cut by a log formatter still finds its entry. The index is built on first use, once per
//! knowledge base and process, and never for typed codes.

use crate::knowledge::Knowledge;
use std::collections::HashMap;

/// Words that carry no meaning about which error it is.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "was", "with", "this", "that", "are", "not", "you", "your", "has", "have", "been", "from",
    "can", "could", "please", "were", "will", "would", "should", "its", "into", "any", "our", "but", "may", "must",
    "more", "than", "there", "which", "when", "what", "all", "also", "one", "only", "error", "request",
];

/// A message shorter than this many distinct words is matched verbatim or not at all.
const MIN_WORDS: usize = 3;
/// Titles are paydoctor's own wording of the error: they count less than the provider's message.
const TITLE_SHARE: f32 = 0.6;
/// A paraphrase is how the message is reported, not quoted from a source: between the two.
const PARAPHRASE_SHARE: f32 = 0.8;

/// One indexed text: an entry's message or title, as weighted words.
struct Doc {
    entry: u32,
    total: f32,
    share: f32,
}

pub struct Index {
    /// word → (idf of the word, the docs holding it)
    postings: HashMap<String, (f32, Vec<u32>)>,
    docs: Vec<Doc>,
}

/// Lower-case words of letters only, three or more, no stop words, crudely stemmed
/// (`declined`, `declines`, `declining` → `declin`); ids, amounts and codes with digits drop out.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .map(str::to_ascii_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .map(|w| {
            for suffix in ["ing", "ed", "es", "s", "e"] {
                if w.len() >= suffix.len() + 4 && w.ends_with(suffix) {
                    return w[..w.len() - suffix.len()].to_string();
                }
            }
            w
        })
}

fn distinct(text: &str) -> Vec<String> {
    let mut v: Vec<String> = terms(text).collect();
    v.sort();
    v.dedup();
    v
}

impl Index {
    fn build(kb: &Knowledge) -> Index {
        let mut texts: Vec<(u32, Vec<String>, f32)> = Vec::new();
        for (i, e) in kb.entries.iter().enumerate() {
            for m in e.messages {
                texts.push((i as u32, distinct(m), 1.0));
            }
            for m in e.paraphrases {
                texts.push((i as u32, distinct(m), PARAPHRASE_SHARE));
            }
            texts.push((i as u32, distinct(e.title), TITLE_SHARE));
        }
        texts.retain(|(_, words, _)| words.len() >= MIN_WORDS);
        let mut df: HashMap<&str, u32> = HashMap::new();
        for (_, words, _) in &texts {
            for w in words {
                *df.entry(w).or_default() += 1;
            }
        }
        let n = texts.len() as f32;
        let idf: HashMap<&str, f32> = df.iter().map(|(w, &d)| (*w, (1.0 + n / d as f32).ln())).collect();
        let mut postings: HashMap<String, (f32, Vec<u32>)> = HashMap::new();
        let mut docs = Vec::with_capacity(texts.len());
        for (d, (entry, words, share)) in texts.iter().enumerate() {
            let total = words.iter().map(|w| idf[w.as_str()]).sum();
            for w in words {
                postings.entry(w.clone()).or_insert_with(|| (idf[w.as_str()], Vec::new())).1.push(d as u32);
            }
            docs.push(Doc { entry: *entry, total, share: *share });
        }
        Index { postings, docs }
    }

    /// The index of this knowledge base (built once per process).
    pub fn of(kb: &Knowledge) -> &'static Index {
        crate::knowledge::derived(kb, Index::build)
    }

    /// Entries whose message or title the input covers well: (entry, score share in 0..=1),
    /// the best text of each entry.
    pub fn matches(&self, text: &str, min_cover: f32) -> Vec<(u32, f32)> {
        // One slot per indexed text, kept per thread and cleared after use: adding an IDF is
        // one store, and a record costs the postings of its words, not a pass over every text
        // (`scan` runs this on every record it diagnoses).
        thread_local! {
            static COVERED: std::cell::RefCell<Vec<f32>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        COVERED.with_borrow_mut(|covered| {
            if covered.len() < self.docs.len() {
                covered.resize(self.docs.len(), 0.0);
            }
            let mut touched: Vec<u32> = Vec::new();
            for w in distinct(text) {
                let Some((idf, list)) = self.postings.get(&w) else { continue };
                for &d in list {
                    let slot = &mut covered[d as usize];
                    if *slot == 0.0 {
                        touched.push(d);
                    }
                    *slot += idf;
                }
            }
            // only the texts covered well enough are put in order (a common word touches many)
            let mut good: Vec<(u32, f32)> = Vec::new();
            for d in touched {
                let got = std::mem::take(&mut covered[d as usize]);
                let cover = got / self.docs[d as usize].total;
                if cover >= min_cover {
                    good.push((d, cover));
                }
            }
            good.sort_unstable_by_key(|&(d, _)| d);
            let mut best: Vec<(u32, f32)> = Vec::new();
            for (d, cover) in good {
                let doc = &self.docs[d as usize];
                // an entry's texts are numbered one after the other
                match best.last_mut().filter(|(e, _)| *e == doc.entry) {
                    Some((_, v)) => *v = v.max(cover * doc.share),
                    None => best.push((doc.entry, cover * doc.share)),
                }
            }
            best
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_drop_ids_and_stem() {
        let t: Vec<String> = terms("No such customer: cus_4cZVRZ; Declined declines 402").collect();
        assert_eq!(t, vec!["such", "customer", "cus", "czvrz", "declin", "declin"]);
    }
}
