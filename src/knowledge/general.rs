//! General knowledge, true whatever the provider: one diagnosis per category (its universal
//! causes and fixes, the words and statuses that point at it) and the payment providers
//! paydoctor has no knowledge file for (their brand names and domains), so that an error of
//! theirs is named instead of being pinned on a known provider.
//!
//! The data is `knowledge/general/*.toml`, embedded in the binary, validated by `build.rs`
//! (a malformed file fails the build with its name and the problem) and parsed once per
//! process on first use.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoriesFile {
    #[serde(rename = "category")]
    pub categories: Vec<Category>,
}

/// What any provider's error of one category usually means.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// HTTP statuses that mostly mean this category, strongest first.
    #[serde(default)]
    pub statuses: Vec<u16>,
    /// Lower-case words and phrases that point at this category wherever they appear
    /// (matched on word boundaries).
    #[serde(default)]
    pub cues: Vec<String>,
    pub causes: Vec<GeneralCause>,
    pub fixes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneralCause {
    pub summary: String,
    pub likelihood: f32,
    #[serde(default)]
    pub evidence: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OthersFile {
    #[serde(rename = "provider")]
    pub providers: Vec<Other>,
}

/// A payment provider without a knowledge file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Other {
    pub id: String,
    pub name: String,
    /// Brand names and SDK namespaces, matched case-insensitively on word or camel-case
    /// boundaries (`worldpay` finds `WorldpayException` and `vendor/worldpay/`).
    pub markers: Vec<String>,
    /// Registrable domains: the domain and every subdomain point at the provider.
    #[serde(default)]
    pub domains: Vec<String>,
}

pub const CATEGORIES_TOML: &str = include_str!("../../knowledge/general/categories.toml");
pub const OTHERS_TOML: &str = include_str!("../../knowledge/general/others.toml");

/// Parse and check the categories file: every category of the vocabulary once, causes that sum to one.
pub fn parse_categories(text: &str, vocabulary: &[&str]) -> Result<CategoriesFile, String> {
    let file: CategoriesFile = toml::from_str(text).map_err(|e| format!("knowledge/general/categories.toml: {e}"))?;
    let mut problems = Vec::new();
    for want in vocabulary {
        match file.categories.iter().filter(|c| c.id == *want).count() {
            1 => {}
            0 => problems.push(format!("category {want} is missing")),
            n => problems.push(format!("category {want} is defined {n} times")),
        }
    }
    for c in &file.categories {
        if !vocabulary.contains(&c.id.as_str()) {
            problems.push(format!("category {}: not in the vocabulary ({})", c.id, vocabulary.join(", ")));
        }
        let total: f32 = c.causes.iter().map(|k| k.likelihood).sum();
        if c.causes.is_empty() || (total - 1.0).abs() > 0.02 {
            problems.push(format!("category {}: cause likelihoods sum to {total:.2}, not 1", c.id));
        }
        if c.fixes.is_empty() || c.title.is_empty() || c.summary.is_empty() {
            problems.push(format!("category {}: title, summary and fixes are required", c.id));
        }
        for cue in &c.cues {
            if cue.trim().is_empty() || cue.to_lowercase() != *cue {
                problems.push(format!("category {}: cue {cue:?} must be lower-case and not empty", c.id));
            }
        }
    }
    if problems.is_empty() {
        Ok(file)
    } else {
        Err(format!("knowledge/general/categories.toml: {}", problems.join("; ")))
    }
}

/// Parse and check the other-providers file: unique ids, lower-case markers and domains.
pub fn parse_others(text: &str, known_ids: &[&str]) -> Result<OthersFile, String> {
    let file: OthersFile = toml::from_str(text).map_err(|e| format!("knowledge/general/others.toml: {e}"))?;
    let mut problems = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    for p in &file.providers {
        if ids.contains(&p.id.as_str()) {
            problems.push(format!("provider {} is listed twice", p.id));
        }
        ids.push(&p.id);
        if known_ids.contains(&p.id.as_str()) {
            problems.push(format!("provider {} has a knowledge file: remove it here", p.id));
        }
        if p.markers.is_empty() {
            problems.push(format!("provider {}: no markers", p.id));
        }
        for m in p.markers.iter().chain(&p.domains) {
            if m.len() < 3 || m.to_lowercase() != *m {
                problems.push(format!("provider {}: {m:?} must be lower-case, 3 characters or more", p.id));
            }
        }
    }
    if problems.is_empty() { Ok(file) } else { Err(format!("knowledge/general/others.toml: {}", problems.join("; "))) }
}

struct Loaded {
    categories: Vec<Category>,
    others: Vec<Other>,
}

/// The embedded general knowledge, parsed on first use. `build.rs` has validated the same
/// text, so parsing cannot fail here.
fn loaded() -> &'static Loaded {
    static LOADED: std::sync::OnceLock<Loaded> = std::sync::OnceLock::new();
    LOADED.get_or_init(|| {
        let categories: CategoriesFile = toml::from_str(CATEGORIES_TOML).expect("validated by build.rs");
        let others: OthersFile = toml::from_str(OTHERS_TOML).expect("validated by build.rs");
        Loaded { categories: categories.categories, others: others.providers }
    })
}

/// Every category's general diagnosis.
pub fn categories() -> &'static [Category] {
    &loaded().categories
}

/// The general diagnosis of one category (`other` for an id outside the vocabulary).
pub fn category(id: &str) -> &'static Category {
    let all = categories();
    all.iter().find(|c| c.id == id).or_else(|| all.iter().find(|c| c.id == "other")).expect("validated by build.rs")
}

/// The payment providers without a knowledge file.
pub fn others() -> &'static [Other] {
    &loaded().others
}
