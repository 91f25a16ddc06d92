//! `paydoctor config path|check`: where paydoctor looks for its files, and whether the config
//! file's profiles are valid.

use crate::cli::ConfigCommand;
use crate::exit::Exit;
use crate::knowledge::EMBEDDED;
use crate::knowledge::company::Layers;
use crate::redact::Redactor;
use crate::{config, credentials, output};
use anyhow::Result;
use std::io::Write;

pub fn run(layers: &Layers, kb_dirs: &[std::path::PathBuf], cmd: &ConfigCommand) -> Result<Exit> {
    let mut out = output::stdout();
    match cmd {
        ConfigCommand::Path => {
            match config::locate() {
                Some((p, from)) => {
                    let state = if p.is_file() { "exists" } else { "not created" };
                    writeln!(out, "config file      {} ({state}; from {from})", p.display())?;
                }
                None => writeln!(out, "config file      none (set PAYDOCTOR_CONFIG_DIR, XDG_CONFIG_HOME or HOME)")?,
            }
            let env_kb = std::env::var_os("PAYDOCTOR_KB").unwrap_or_default();
            let missing = |p: &std::path::Path| if p.exists() { "" } else { "; missing" };
            for p in std::env::split_paths(&env_kb).filter(|p| !p.as_os_str().is_empty()) {
                writeln!(out, "company knowledge {} (from $PAYDOCTOR_KB{})", p.display(), missing(&p))?;
            }
            for p in kb_dirs {
                writeln!(out, "company knowledge {} (from --kb{})", p.display(), missing(p))?;
            }
            if let Some((p, from)) = config::ca_file(None)? {
                writeln!(out, "extra CA file    {} (from {from}{})", p.display(), missing(&p))?;
            }
            let kb = &EMBEDDED;
            let layers = kb.providers.iter().filter(|p| p.network).count();
            writeln!(
                out,
                "knowledge base   embedded ({} providers, {layers} network layers, {} entries)",
                kb.providers.len() - layers,
                kb.entries.len()
            )?;
            out.flush()?;
            Ok(Exit::Success)
        }
        ConfigCommand::Check => match config::check(&layers.open()?, credentials::PROFILE_KINDS)? {
            None => {
                let at = config::path().map(|p| p.display().to_string()).unwrap_or_default();
                writeln!(out, "no config file at {at}: nothing to check (none is needed)")?;
                out.flush()?;
                Ok(Exit::Success)
            }
            Some((path, profiles, problems)) => {
                // A value typed where an env var name belongs may be the secret itself.
                let red = Redactor::new(&EMBEDDED);
                for p in &problems {
                    writeln!(out, "{}: {}", path.display(), red.line(p))?;
                }
                let verdict =
                    if problems.is_empty() { "ok".to_string() } else { format!("{} problem(s)", problems.len()) };
                writeln!(out, "{}: {profiles} profile(s): {verdict}", path.display())?;
                out.flush()?;
                Ok(if problems.is_empty() { Exit::Success } else { Exit::NoMatch })
            }
        },
    }
}
