//! The retry verdict of an answer: may the same payment or request be sent again, and when.
//! An entry's own verdict wins; else the network-layer code it wraps (the issuer's answer
//! under the card networks' retry rules); else its category's (`knowledge/general/`).

use crate::knowledge::general::Category;
use crate::knowledge::{Entry, Knowledge, Retry};

/// Where a verdict comes from (a stable part of `--json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Entry,
    Network,
    Category,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Entry => "entry",
            Basis::Network => "network",
            Basis::Category => "category",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Verdict {
    pub retry: Retry,
    pub why: &'static str,
    pub basis: Basis,
}

/// The verdict of a category's general diagnosis.
pub fn of_category(c: &'static Category) -> Verdict {
    Verdict { retry: c.retry, why: c.retry_why, basis: Basis::Category }
}

/// The verdict for `entry`, given the network-layer entry that goes with it (its own link or
/// the code the input carried).
pub fn of_entry(kb: &Knowledge, entry: &Entry, network: Option<u32>) -> Verdict {
    let category = crate::knowledge::general::category(entry.category);
    if let Some(r) = entry.retry {
        let why = match entry.retry_why {
            "" if r == category.retry => category.retry_why,
            "" => r.plain_why(),
            why => why,
        };
        let basis = if kb.provider(entry).network { Basis::Network } else { Basis::Entry };
        return Verdict { retry: r, why, basis };
    }
    if let Some(n) = network.map(|n| &kb.entries[n as usize]) {
        if let Some(r) = n.retry {
            let why = if n.retry_why.is_empty() { r.plain_why() } else { n.retry_why };
            return Verdict { retry: r, why, basis: Basis::Network };
        }
    }
    of_category(category)
}

/// The network-layer entry `entry` links to (`network = "iso8583:51"`), if it names one.
pub fn link(kb: &Knowledge, entry: &Entry) -> Option<u32> {
    let (layer, code) = entry.network.split_once(':')?;
    let code = crate::knowledge::schema::norm_code(code);
    let p = kb.providers.iter().position(|p| p.network && p.id == layer)?;
    let i = kb.entries.iter().position(|e| {
        e.provider as usize == p && e.codes.iter().any(|c| crate::knowledge::schema::norm_code(c) == code)
    })?;
    Some(i as u32)
}
