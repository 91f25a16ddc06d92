//! `paydoctor completions SHELL` and `paydoctor man`: shell completion scripts and the man
//! page, generated from the clap definitions in `cli.rs` (the files under `completions/` are
//! these outputs, committed; a test keeps them in step). The scripts hold no provider id: they
//! ask `paydoctor list --ids` when completing one.

use crate::cli::{Cli, PROVIDER_IDS};
use crate::exit::Exit;
use crate::output;
use anyhow::Result;
use clap::CommandFactory;
use std::io::Write;

pub fn completions(shell: clap_complete::Shell) -> Result<Exit> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "paydoctor", &mut script);
    let script = provider_ids_at_completion_time(shell, &String::from_utf8(script)?);
    let mut out = output::stdout();
    out.write_all(script.as_bytes())?;
    out.flush()?;
    Ok(Exit::Success)
}

/// The shell code that lists the provider ids when TAB is pressed (the paydoctor on PATH, so
/// `PAYDOCTOR_KB` company providers too).
const IDS_NOW: &str = "$(paydoctor list --ids 2>/dev/null)";

/// Put each shell's call of `paydoctor list --ids` where the generator wrote [`PROVIDER_IDS`].
/// PowerShell and elvish scripts complete no values, so they hold no placeholder.
fn provider_ids_at_completion_time(shell: clap_complete::Shell, script: &str) -> String {
    use clap_complete::Shell;
    match shell {
        // inside `compgen -W "…"` and `opts="…"`: expanded when the function runs
        Shell::Bash => script.replace(PROVIDER_IDS, IDS_NOW),
        // an `_arguments` action in braces is shell code run for the matches
        Shell::Zsh => script.replace(&format!("({PROVIDER_IDS})"), &format!("{{compadd -- {IDS_NOW}}}")),
        // `complete -a` expands a command substitution at completion time
        Shell::Fish => script.replace(&format!("{PROVIDER_IDS}\\t''"), "(paydoctor list --ids 2>/dev/null)"),
        _ => script.to_string(),
    }
}

/// One page: the usual sections for `paydoctor`, then a section per subcommand with its
/// synopsis, options and examples.
pub fn man() -> Result<Exit> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut page = Vec::new();
    let mut main = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut main)?;
    // Every subcommand is a section of this page, not a page of its own: name it so.
    for line in String::from_utf8_lossy(&main).lines() {
        match line.strip_prefix("paydoctor\\-").and_then(|l| l.strip_suffix("(1)")) {
            Some(sub) => writeln!(page, "\\fBpaydoctor {sub}\\fR (below, under PAYDOCTOR {})", sub.to_uppercase())?,
            None => writeln!(page, "{line}")?,
        }
    }
    for sub in leaves(&cmd) {
        let name = sub.get_bin_name().unwrap_or(sub.get_name()).to_string();
        // Its own arguments only: the global ones are on the page already.
        let own = clap::Command::new(name.clone())
            .bin_name(name.clone())
            .disable_help_flag(true)
            .args(sub.get_arguments().filter(|a| !a.is_global_set() && a.get_id() != "help").cloned());
        let man = clap_mangen::Man::new(own);
        writeln!(page, ".SH \"{}\"", name.to_uppercase())?;
        if let Some(about) = sub.get_about() {
            writeln!(page, "{}", roff_text(&about.to_string()))?;
        }
        section_body(&mut page, |w| man.render_synopsis_section(w), "Synopsis")?;
        if sub.get_arguments().any(|a| !a.is_hide_set() && !a.is_global_set() && a.get_id() != "help") {
            section_body(&mut page, |w| man.render_options_section(w), "Options")?;
        }
        if let Some(examples) = sub.get_after_help() {
            writeln!(page, ".PP")?;
            writeln!(page, ".nf")?;
            for line in examples.to_string().lines() {
                writeln!(page, "{}", roff_text(line))?;
            }
            writeln!(page, ".fi")?;
        }
    }
    let mut out = output::stdout();
    out.write_all(&page)?;
    out.flush()?;
    Ok(Exit::Success)
}

/// Every runnable subcommand, depth first (`explain`, ..., `kb check`, `kb stats`).
fn leaves(cmd: &clap::Command) -> Vec<&clap::Command> {
    let mut v = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.has_subcommands() {
            v.extend(leaves(sub));
        } else {
            v.push(sub);
        }
    }
    v
}

/// A section clap_mangen renders for a whole page, demoted to a sub-section (`.SS`) of the
/// subcommand's section.
fn section_body(
    page: &mut Vec<u8>,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    title: &str,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    render(&mut buf)?;
    let text = String::from_utf8_lossy(&buf);
    for line in text.lines() {
        if line.starts_with(".SH ") {
            writeln!(page, ".SS {title}")?;
        } else {
            writeln!(page, "{line}")?;
        }
    }
    Ok(())
}

/// Escape text for a roff paragraph (a leading `.` or `'` would be a request).
fn roff_text(s: &str) -> String {
    let s = s.replace('\\', "\\\\");
    if s.starts_with(['.', '\'']) { format!("\\&{s}") } else { s }
}
