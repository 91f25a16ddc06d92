//! Where each probe credential comes from, in order of precedence: a `--<kind>-file PATH`
//! flag, the chosen config profile (which names an environment variable or a file),
//! `PAYDOCTOR_<PROVIDER>_<KIND>`, then the provider SDKs' conventional variables from the
//! knowledge base (`STRIPE_API_KEY`, `CKO_SECRET_KEY`, …). Never a flag value. Each credential
//! is reported by source and masked form; two sources that disagree raise a warning.

use crate::config::Profile;
use crate::knowledge::{ProbeCredential, Provider};
use crate::redact::mask_secret;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// The credential kinds a probe can use, as [`ProbeCredential`] names them.
pub const KINDS: &[&str] = &{
    let all = ProbeCredential::ALL;
    [all[0].as_str(), all[1].as_str(), all[2].as_str(), all[3].as_str(), all[4].as_str()]
};

/// The kinds a config profile may name: the probe's, and `webhook verify`'s webhook secret.
pub const PROFILE_KINDS: &[&str] = &["secret_key", "client_id", "client_secret", "access_token", "webhook_secret"];

pub struct Credential {
    pub kind: &'static str,
    pub value: String,
    /// Where it came from: `env STRIPE_API_KEY`, `file /run/key (--secret-key-file)`.
    pub source: String,
    pub masked: String,
}

#[derive(Default)]
pub struct Credentials {
    pub list: Vec<Credential>,
    pub warnings: Vec<String>,
}

impl Credentials {
    pub fn get(&self, kind: &str) -> Option<&Credential> {
        self.list.iter().find(|c| c.kind == kind)
    }

    pub fn value(&self, kind: &str) -> Option<&str> {
        self.get(kind).map(|c| c.value.as_str())
    }
}

/// `PAYDOCTOR_STRIPE_SECRET_KEY`.
pub fn paydoctor_var(provider: &str, kind: &str) -> String {
    format!("PAYDOCTOR_{}_{}", provider.to_ascii_uppercase(), kind.to_ascii_uppercase())
}

/// Every environment variable that may hold this kind of credential, in precedence order.
pub fn env_names(provider: &Provider, kind: &str) -> Vec<String> {
    let mut names = vec![paydoctor_var(provider.id, kind)];
    for (k, vars) in provider.env_vars {
        if *k == kind {
            names.extend(vars.iter().map(|v| v.to_string()));
        }
    }
    names
}

/// A credential file's text, trimmed. `from` names where the path was given. A path that
/// does not exist is not printed: what was typed there may be the secret itself.
fn read_file(path: &Path, from: &str) -> Result<String> {
    let bytes = crate::files::read_capped(path, "credential file", 64 << 10).map_err(|e| {
        if std::fs::symlink_metadata(path).is_ok() {
            e
        } else {
            anyhow::anyhow!(
                "{from}: cannot read the credential file: {} (the path is not shown, in case it is the secret itself)",
                e.root_cause()
            )
        }
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("credential file {} is not UTF-8 text", path.display()))?;
    Ok(text.trim().to_string())
}

/// The credential of this kind a profile points to, and its source: `None` when the profile
/// names none; an error when the variable it names is unset or the file unreadable.
pub fn from_profile(p: &Profile, kind: &str) -> Result<Option<(String, String)>> {
    let Some(r) = p.credentials.get(kind) else { return Ok(None) };
    let name = &p.name;
    Ok(match (&r.env, &r.file) {
        (Some(var), _) => match env_value(var) {
            Some(v) => Some((v, format!("env {var} (profile {name})"))),
            None => bail!("profile `{name}` reads {kind} from ${var}, which is not set"),
        },
        (None, Some(path)) => Some((
            read_file(path, &format!("profile `{name}`, {kind}"))?,
            format!("file {} (profile {name})", path.display()),
        )),
        (None, None) => None,
    })
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// Gather the credentials for `provider`. `files` holds the `--<kind>-file` flags.
pub fn gather(
    provider: &Provider,
    files: &[(&'static str, Option<PathBuf>)],
    profile: Option<&Profile>,
) -> Result<Credentials> {
    let mut out = Credentials::default();
    for &kind in KINDS {
        let mut found: Vec<(String, String)> = Vec::new();
        if let Some((_, Some(path))) = files.iter().find(|(k, _)| *k == kind) {
            let flag = format!("--{}-file", kind.replace('_', "-"));
            found.push((read_file(path, &flag)?, format!("file {} ({flag})", path.display())));
        }
        if let Some(p) = profile {
            found.extend(from_profile(p, kind)?);
        }
        for var in env_names(provider, kind) {
            if let Some(v) = env_value(&var) {
                found.push((v, format!("env {var}")));
            }
        }
        let Some((value, source)) = found.first().cloned() else { continue };
        for (other, from) in &found[1..] {
            if *other != value {
                out.warnings.push(format!(
                    "{kind}: {source} ({}) and {from} ({}) disagree; using {source}",
                    mask_secret(&value),
                    mask_secret(other)
                ));
            }
        }
        out.list.push(Credential { kind, masked: mask_secret(&value), value, source });
    }
    Ok(out)
}
