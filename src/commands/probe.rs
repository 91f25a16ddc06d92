//! `paydoctor probe`: resolve the provider, environment, base URL and credentials (flags,
//! profile, environment variables), run the live checks and print the checklist. Also the entry
//! point `explain --probe` uses.

use crate::cli::{EnvArg, ProbeArgs, ProbeTarget};
use crate::exit::Exit;
use crate::knowledge::{Env, Knowledge};
use crate::probe::http::{ExtraRoots, Timeouts};
use crate::probe::{self, CheckKind, Report, report};
use crate::{config, credentials, output};
use anyhow::{Result, bail};
use std::io::Write;
use std::time::Duration;

pub fn run(kb: &Knowledge, args: &ProbeArgs) -> Result<Exit> {
    let pid = match &args.provider {
        Some(name) => Some(crate::commands::explain::provider_filter(kb, Some(name))?.unwrap_or_default()),
        None => None,
    };
    let r = probe(kb, pid, &args.target, &args.only)?;
    let mut out = output::stdout();
    if args.json {
        report::json(&mut out, &r)?;
    } else {
        report::human(&mut out, &r)?;
    }
    out.flush()?;
    Ok(r.exit())
}

fn seconds(flag: &str, v: f64) -> Result<Duration> {
    if !(v > 0.0 && v <= 600.0) {
        bail!("{flag} must be a number of seconds between 0 and 600, not {v}");
    }
    Ok(Duration::from_secs_f64(v))
}

/// Run the probe for `pid` (or the profile's provider) with the checks in `only` (all if empty).
pub fn probe(kb: &Knowledge, pid: Option<u16>, t: &ProbeTarget, only: &[CheckKind]) -> Result<Report> {
    let (target, creds, opts) = prepare(kb, pid, t, only)?;
    probe::run(kb, &target, &creds, &opts)
}

/// Where the probe for `pid` (or the profile's provider) goes, with which credentials and options.
pub fn prepare(
    kb: &Knowledge,
    pid: Option<u16>,
    t: &ProbeTarget,
    only: &[CheckKind],
) -> Result<(probe::Target, credentials::Credentials, probe::Options)> {
    let timeouts =
        Timeouts { connect: seconds("--connect-timeout", t.connect_timeout)?, total: seconds("--timeout", t.timeout)? };
    let profile = t.profile.as_deref().map(|n| config::profile(kb, n, credentials::PROFILE_KINDS)).transpose()?;
    let pid = match (pid, &profile) {
        (Some(p), _) => p,
        (None, Some(prof)) => match kb.find_provider(&prof.provider) {
            Some(p) => p,
            None => bail!("profile `{}`: unknown provider `{}`", prof.name, prof.provider),
        },
        (None, None) => {
            bail!("which provider? pass --provider NAME (probes exist for {}) or --profile NAME", probe::probed(kb))
        }
    };
    let provider = &kb.providers[pid as usize];
    if let Some(prof) = &profile {
        if kb.find_provider(&prof.provider) != Some(pid) {
            bail!("profile `{}` is for {}, not {}", prof.name, prof.provider, provider.id);
        }
    }
    let declared = match (t.env, profile.as_ref().and_then(|p| p.environment.as_deref())) {
        (Some(EnvArg::Sandbox), _) => Some((Env::Sandbox, "--env")),
        (Some(EnvArg::Production), _) => Some((Env::Production, "--env")),
        (None, Some(e)) => match Env::parse(e) {
            Some(e) => Some((e, "the profile")),
            None => bail!("profile environment `{e}` is not sandbox or production"),
        },
        (None, None) => None,
    };
    let base_url = match (&t.base_url, profile.as_ref().and_then(|p| p.base_url.clone())) {
        (Some(u), _) => Some((u.clone(), "--base-url".to_string())),
        (None, Some(u)) => Some((u, format!("profile {}", t.profile.as_deref().unwrap_or("")))),
        (None, None) => None,
    };
    let files = [
        ("secret_key", t.secret_key_file.clone()),
        ("client_id", t.client_id_file.clone()),
        ("client_secret", t.client_secret_file.clone()),
        ("access_token", t.access_token_file.clone()),
        ("merchant_id", t.merchant_id_file.clone()),
    ];
    let creds = credentials::gather(provider, &files, profile.as_ref())?;
    if creds.list.is_empty() {
        let vars: Vec<String> = credentials::KINDS.iter().flat_map(|k| credentials::env_names(provider, k)).collect();
        bail!(
            "no {} credentials found: set one of {} (or pass --secret-key-file/--client-id-file/--client-secret-file/--access-token-file/--merchant-id-file, or --profile)",
            provider.name,
            vars.join(", ")
        );
    }
    let target = probe::target(kb, pid, declared, base_url, &creds)?;
    let extra_roots = match config::ca_file(t.ca_file.as_deref())? {
        Some((path, source)) => Some(ExtraRoots::load(&path, &source)?),
        None => None,
    };
    Ok((target, creds, probe::Options { only: only.to_vec(), force: t.force, timeouts, extra_roots }))
}
