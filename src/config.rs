//! The configuration file: named probe profiles (provider, environment, base URL, and which
//! environment variable or file holds each credential — never a secret itself).
//!
//! Location: `$PAYDOCTOR_CONFIG_DIR/config.toml`, else `$XDG_CONFIG_HOME/paydoctor/config.toml`,
//! else `~/.config/paydoctor/config.toml`.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    profile: BTreeMap<String, Profile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(skip)]
    pub name: String,
    pub provider: String,
    #[serde(default)]
    pub environment: Option<String>,
    #[serde(default)]
    pub base_url: Option<String>,
    /// Credential kind (`secret_key`, `client_id`, `client_secret`, `access_token`) → where it is.
    #[serde(default)]
    pub credentials: BTreeMap<String, SecretRef>,
}

/// Where a secret lives: the name of an environment variable, or a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretRef {
    #[serde(default)]
    pub env: Option<String>,
    #[serde(default)]
    pub file: Option<PathBuf>,
}

/// The config file path, and which rule chose it.
pub fn path() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = var("PAYDOCTOR_CONFIG_DIR") {
        return Some(d.join("config.toml"));
    }
    if let Some(d) = var("XDG_CONFIG_HOME") {
        return Some(d.join("paydoctor/config.toml"));
    }
    var("HOME").map(|h| h.join(".config/paydoctor/config.toml"))
}

/// Load one named profile.
pub fn profile(name: &str, kinds: &[&str]) -> Result<Profile> {
    let Some(path) = path() else { bail!("no config file: set PAYDOCTOR_CONFIG_DIR or HOME") };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("--profile {name}: cannot read the config file {}", path.display()))?;
    let file: File = toml::from_str(&text).map_err(|e| {
        let hint = if e.message().contains("unknown field") {
            " (a profile names where each secret lives: { env = \"VAR\" } or { file = \"PATH\" }, never the secret)"
        } else {
            ""
        };
        anyhow::anyhow!("{}: {}{hint}", path.display(), e.message().trim())
    })?;
    let known: Vec<String> = file.profile.keys().cloned().collect();
    let Some(mut p) = file.profile.into_iter().find(|(k, _)| k == name).map(|(_, p)| p) else {
        bail!(
            "no profile `{name}` in {} (profiles: {})",
            path.display(),
            if known.is_empty() { "none".to_string() } else { known.join(", ") }
        )
    };
    p.name = name.to_string();
    for (kind, r) in &p.credentials {
        if !kinds.contains(&kind.as_str()) {
            bail!("{}: profile `{name}`: unknown credential `{kind}` (expected: {})", path.display(), kinds.join(", "));
        }
        if r.env.is_some() == r.file.is_some() {
            bail!(
                "{}: profile `{name}`: credential `{kind}` needs exactly one of env = \"VAR\" or file = \"PATH\"",
                path.display()
            );
        }
    }
    Ok(p)
}
