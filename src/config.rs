//! The configuration file: named probe profiles (provider, environment, base URL, and which
//! environment variable or file holds each credential — never a secret itself), and the extra
//! CA bundle probes trust (`ca_file`, also `--ca-file` and `$PAYDOCTOR_CA_FILE`).
//!
//! Location: `$PAYDOCTOR_CONFIG_DIR/config.toml`, else `$XDG_CONFIG_HOME/paydoctor/config.toml`,
//! else `~/.config/paydoctor/config.toml`.

use crate::knowledge::{Env, Knowledge};
use crate::redact::mask_secret;
use anyhow::{Result, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The config file, each profile read on its own: a mistake in one profile is that
/// profile's problem, not every profile's.
#[derive(Debug)]
struct File {
    /// A PEM bundle of CA certificates every probe trusts on top of the system's roots
    /// (relative to the config file's folder).
    ca_file: Option<PathBuf>,
    profile: BTreeMap<String, Result<Profile, String>>,
    /// Top-level keys the file format does not have.
    unknown: Vec<String>,
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
    /// Credential kind (`secret_key`, `client_id`, `client_secret`, `access_token`,
    /// `webhook_secret`, `merchant_id`) → where it is.
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

/// The config file path, and the rule that chose it.
pub fn locate() -> Option<(PathBuf, &'static str)> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = var("PAYDOCTOR_CONFIG_DIR") {
        return Some((d.join("config.toml"), "$PAYDOCTOR_CONFIG_DIR"));
    }
    if let Some(d) = var("XDG_CONFIG_HOME") {
        return Some((d.join("paydoctor/config.toml"), "$XDG_CONFIG_HOME"));
    }
    var("HOME").map(|h| (h.join(".config/paydoctor/config.toml"), "$HOME/.config (default)"))
}

/// The config file path.
pub fn path() -> Option<PathBuf> {
    locate().map(|(p, _)| p)
}

/// Read and parse the config file: `Ok(None)` when there is none. A file that is not TOML
/// is an error; a profile that does not fit the format is that profile's problem.
fn load() -> Result<Option<(PathBuf, File)>> {
    let Some(path) = path() else { bail!("no config file: set PAYDOCTOR_CONFIG_DIR or HOME") };
    let text = match crate::files::read_text(&path, "the config file") {
        Ok(t) => t,
        Err(e) if crate::files::not_found(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    let line_at = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        let line = e.span().map(|s| format!("line {}: ", line_at(s.start)));
        anyhow::anyhow!("{}: {}{}", path.display(), line.unwrap_or_default(), mask_quoted(e.message().trim()))
    })?;
    let mut file = File { ca_file: None, profile: BTreeMap::new(), unknown: Vec::new() };
    for (key, value) in table {
        match key.as_str() {
            "ca_file" => match value {
                toml::Value::String(p) => file.ca_file = Some(PathBuf::from(p)),
                _ => bail!("{}: `ca_file` must be a path (a string)", path.display()),
            },
            "profile" => {
                let toml::Value::Table(profiles) = value else {
                    bail!("{}: `profile` must be a table of [profile.NAME] sections", path.display())
                };
                for (name, body) in profiles {
                    let parsed = body.try_into::<Profile>().map_err(|e| {
                        // the line of the field a message names, found in the text
                        let field = e.message().split('`').nth(1).unwrap_or("");
                        let line = (!field.is_empty())
                            .then(|| text.find(&format!("\n{field}")).map(|at| format!("line {}: ", line_at(at + 1))))
                            .flatten()
                            .unwrap_or_default();
                        let hint = if e.message().contains("unknown field") {
                            " (a profile names where each secret lives: { env = \"VAR\" } or { file = \"PATH\" }, never the secret)"
                        } else {
                            ""
                        };
                        format!("profile `{name}`: {line}{}{hint}", mask_quoted(e.message().trim()))
                    });
                    file.profile.insert(name, parsed);
                }
            }
            _ => file.unknown.push(key),
        }
    }
    Ok(Some((path, file)))
}

/// A parser message with each quoted string value (`invalid type: string "…"`) masked: it
/// may be a secret pasted into the file.
fn mask_quoted(msg: &str) -> String {
    const QUOTE: &str = "string \"";
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(at) = rest.find(QUOTE) {
        let value = &rest[at + QUOTE.len()..];
        let mut escaped = false;
        let closing = value.char_indices().find(|&(_, c)| {
            let close = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            close
        });
        let Some((end, _)) = closing else { break };
        out.push_str(&rest[..at + QUOTE.len()]);
        out.push_str(&mask_secret(&value[..end]));
        rest = &value[end..];
    }
    out.push_str(rest);
    out
}

/// Everything wrong with one profile, each a one-line message naming the profile.
fn problems(kb: &Knowledge, name: &str, p: &Profile, kinds: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    if kb.find_provider(&p.provider).is_none() {
        let ids: Vec<&str> = kb.providers.iter().map(|p| p.id).collect();
        out.push(format!("profile `{name}`: unknown provider `{}` (known: {})", p.provider, ids.join(", ")));
    }
    if let Some(env) = &p.environment {
        if Env::parse(env).is_none() {
            out.push(format!("profile `{name}`: environment `{env}` is not sandbox or production"));
        }
    }
    if let Some(url) = &p.base_url {
        let shown = crate::probe::http::shown_url(url);
        let loopback = ["http://127.", "http://localhost", "http://[::1]"].iter().any(|l| url.starts_with(l));
        if !url.starts_with("https://") && !loopback {
            out.push(format!("profile `{name}`: base_url `{shown}` must be https:// (plain http only on loopback)"));
        }
        if shown != *url {
            out.push(format!(
                "profile `{name}`: base_url `{shown}` carries credentials (user:password@); use the credential sources"
            ));
        }
    }
    for (kind, r) in &p.credentials {
        if !kinds.contains(&kind.as_str()) {
            out.push(format!("profile `{name}`: unknown credential `{kind}` (expected: {})", kinds.join(", ")));
        }
        match (&r.env, &r.file) {
            (Some(var), None) if !is_var_name(var) => {
                out.push(format!(
                    "profile `{name}`: credential `{kind}`: env `{}` looks like a secret, not a variable name \
                     ([A-Z_][A-Z0-9_]*); the config holds where a secret lives, never the secret",
                    mask_secret(var)
                ));
            }
            (Some(_), None) | (None, Some(_)) => {}
            _ => out.push(format!(
                "profile `{name}`: credential `{kind}` needs exactly one of env = \"VAR\" or file = \"PATH\""
            )),
        }
    }
    out
}

/// An environment variable name as a profile may give it: `[A-Z_][A-Z0-9_]*`.
fn is_var_name(s: &str) -> bool {
    let mut b = s.bytes();
    b.next().is_some_and(|c| c.is_ascii_uppercase() || c == b'_')
        && b.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
}

/// Load one named profile.
pub fn profile(kb: &Knowledge, name: &str, kinds: &[&str]) -> Result<Profile> {
    let Some((path, file)) = load()? else {
        bail!(
            "--profile {name}: there is no config file at {}",
            path().map(|p| p.display().to_string()).unwrap_or_default()
        )
    };
    let known: Vec<String> = file.profile.keys().cloned().collect();
    let Some(p) = file.profile.into_iter().find(|(k, _)| k == name).map(|(_, p)| p) else {
        bail!(
            "no profile `{name}` in {} (profiles: {})",
            path.display(),
            if known.is_empty() { "none".to_string() } else { known.join(", ") }
        )
    };
    let mut p = match p {
        Ok(p) => p,
        Err(e) => bail!("{}: {e}", path.display()),
    };
    if let Some(first) = problems(kb, name, &p, kinds).first() {
        bail!("{}: {first}", path.display());
    }
    p.name = name.to_string();
    Ok(p)
}

/// `paydoctor config check`: every problem of every profile, one line each (file named).
/// `Ok(None)` when there is no config file.
pub fn check(kb: &Knowledge, kinds: &[&str]) -> Result<Option<(PathBuf, usize, Vec<String>)>> {
    let Some((path, file)) = load()? else { return Ok(None) };
    let mut found: Vec<String> = file
        .unknown
        .iter()
        .map(|k| format!("unknown setting `{k}` (the file holds `ca_file` and [profile.NAME] sections)"))
        .collect();
    for (name, p) in &file.profile {
        match p {
            Ok(p) => found.extend(problems(kb, name, p, kinds)),
            Err(e) => found.push(e.clone()),
        }
    }
    if let Some(ca) = &file.ca_file {
        if let Err(e) = crate::probe::http::ExtraRoots::load(&beside(&path, ca), "ca_file") {
            found.push(e.to_string());
        }
    }
    Ok(Some((path, file.profile.len(), found)))
}

/// The extra CA bundle probes trust, and the rule that chose it: `--ca-file`, else
/// `$PAYDOCTOR_CA_FILE`, else the config file's `ca_file`.
pub fn ca_file(flag: Option<&Path>) -> Result<Option<(PathBuf, String)>> {
    if let Some(p) = flag {
        return Ok(Some((p.to_path_buf(), "--ca-file".to_string())));
    }
    if let Some(p) = std::env::var_os("PAYDOCTOR_CA_FILE").filter(|v| !v.is_empty()) {
        return Ok(Some((PathBuf::from(p), "$PAYDOCTOR_CA_FILE".to_string())));
    }
    if path().is_none() {
        return Ok(None);
    }
    Ok(load()?.and_then(|(path, f)| f.ca_file.map(|c| (beside(&path, &c), format!("ca_file in {}", path.display())))))
}

/// A path from the config file: relative ones are relative to the file's folder.
fn beside(config: &Path, p: &Path) -> PathBuf {
    config.parent().map_or_else(|| p.to_path_buf(), |dir| dir.join(p))
}
