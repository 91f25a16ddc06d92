//! General knowledge, true whatever the provider: one diagnosis per category (its universal
//! causes and fixes, the words and statuses that point at it) and the payment providers
//! paydoctor has no knowledge file for (their brand names and domains), so that an error of
//! theirs is named instead of being pinned on a known provider.
//!
//! The data is `knowledge/general/*.toml`; `build.rs` validates it (a malformed file fails the
//! build with its name and the problem) and compiles it into the static tables below.

use crate::knowledge::{Knowledge, Retry};

/// What any provider's error of one category usually means.
#[derive(Debug)]
pub struct Category {
    pub id: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    /// HTTP statuses that mostly mean this category, strongest first.
    pub statuses: &'static [u16],
    /// Lower-case words and phrases that point at this category (matched on word boundaries).
    pub cues: &'static [&'static str],
    /// How much each cue counts.
    pub cue_weight: f32,
    pub causes: &'static [GeneralCause],
    pub fixes: &'static [&'static str],
    /// The retry verdict of the category's entries that state none, and why.
    pub retry: Retry,
    pub retry_why: &'static str,
}

#[derive(Debug)]
pub struct GeneralCause {
    pub summary: &'static str,
    pub likelihood: f32,
    pub evidence: &'static str,
}

/// A payment provider known by name only.
#[derive(Debug)]
pub struct Other {
    pub id: &'static str,
    pub name: &'static str,
    /// Brand names and SDK namespaces, matched case-insensitively on word or camel-case
    /// boundaries (`worldpay` finds `WorldpayException` and `vendor/worldpay/`).
    pub markers: &'static [&'static str],
    /// Registrable domains: the domain and every subdomain point at the provider.
    pub domains: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/general.rs"));

/// Every category's general diagnosis.
pub fn categories() -> &'static [Category] {
    CATEGORIES
}

/// The general diagnosis of one category (`other` for an id outside the vocabulary).
pub fn category(id: &str) -> &'static Category {
    let all = categories();
    all.iter().find(|c| c.id == id).or_else(|| all.iter().find(|c| c.id == "other")).expect("validated by build.rs")
}

/// Every name-only provider of `knowledge/general/others.toml`, indexed as answers refer to them.
pub fn others() -> &'static [Other] {
    OTHERS
}

/// The name-only providers `kb` has no provider of the same id for, with their index in
/// [`others`]: a knowledge file (embedded or company) takes its entry over (its markers and
/// domains then name that known provider).
pub fn name_only(kb: &Knowledge) -> impl Iterator<Item = (usize, &'static Other)> + '_ {
    others().iter().enumerate().filter(|(_, o)| !kb.providers.iter().any(|p| p.id == o.id))
}
