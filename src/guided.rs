//! Guided mode: `paydoctor` with no arguments on a terminal asks which provider, then takes
//! a pasted error or a symptom, and shows the diagnosis with its causes and fix. Prompts go
//! to stderr (dialoguer); the report goes to stdout like `explain`'s. Never runs unless
//! stdin and stderr are both terminals.

use crate::exit::Exit;
use crate::knowledge::Knowledge;
use crate::redact::Redactor;
use crate::{output, render};
use anyhow::{Context, Result};
use dialoguer::theme::ColorfulTheme;
use dialoguer::{FuzzySelect, Select};
use std::io::{IsTerminal, Write};

/// Symptoms a person recognises, and the knowledge categories they lead to.
const SYMPTOMS: &[(&str, &[&str])] = &[
    ("Requests fail with 401: the key or token is refused", &["auth_invalid_key", "auth_expired_token"]),
    ("Requests fail with 403: not allowed", &["auth_permission"]),
    ("It works in sandbox but not in production (or the reverse)", &["env_mismatch"]),
    ("The payment is declined or refused", &["decline"]),
    ("Webhooks are rejected (signature)", &["webhook_signature"]),
    ("Duplicate, already processed, or idempotency errors", &["idempotency", "duplicate_or_state"]),
    ("Too many requests (429)", &["rate_limit"]),
    ("The request is rejected as invalid (400/422)", &["validation"]),
    ("Something is not found (404)", &["not_found"]),
    ("Server errors, timeouts or TLS failures", &["server_error", "network_tls"]),
    ("The SDK or plugin is misconfigured", &["configuration"]),
];

/// Can we ask questions? Only with a person at both ends.
pub fn available() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

pub fn run(kb: &Knowledge) -> Result<Exit> {
    let theme = ColorfulTheme::default();
    let mut names: Vec<String> = kb.providers.iter().map(|p| p.name.to_string()).collect();
    names.push("I don't know".to_string());
    let pick = FuzzySelect::with_theme(&theme)
        .with_prompt("Which payment provider? (type to filter)")
        .items(&names)
        .default(0)
        .interact_opt()
        .context("cannot read the answer")?;
    let Some(pick) = pick else { return Ok(Exit::NoMatch) };
    let provider = (pick < kb.providers.len()).then_some(pick as u16);

    let mut ways = vec!["Paste the error (a status, code, JSON body or log line)"];
    if provider.is_some() {
        ways.extend(SYMPTOMS.iter().map(|(s, _)| *s));
    }
    let way = Select::with_theme(&theme)
        .with_prompt("What do you see?")
        .items(&ways)
        .default(0)
        .interact_opt()
        .context("cannot read the answer")?;
    let Some(way) = way else { return Ok(Exit::NoMatch) };

    let text = match (way, provider) {
        (0, _) => paste().context("cannot read the error")?,
        (n, Some(p)) => match pick_entry(kb, &theme, p, SYMPTOMS[n - 1].1)? {
            Some(text) => text,
            None => return Ok(Exit::NoMatch),
        },
        (_, None) => return Ok(Exit::NoMatch),
    };

    let a = crate::answer::explain(kb, &text, provider, 3);
    let mut out = output::stdout();
    if a.is_empty() {
        drop(out);
        crate::output::note(format_args!(
            "no known payment error matched this input; try `paydoctor explain` with the whole error body"
        ));
        return Ok(Exit::NoMatch);
    }
    writeln!(out)?;
    render::human(&mut out, kb, &Redactor::new(kb), &a)?;
    out.flush()?;
    Ok(Exit::Success)
}

/// A pasted error of any number of lines: lines are read while a bracket or brace is still
/// open (a pretty-printed body) or more of the paste is already waiting; an empty line ends it.
/// Bounded like every input.
fn paste() -> Result<String> {
    /// A paste arrives at once: a line still to come after this long was not pasted with it.
    const PASTE_GAP_MS: i32 = 150;
    /// The most a paste is read (a log excerpt, a long trace).
    const MAX: usize = 1 << 20;
    let mut err = std::io::stderr();
    writeln!(err, "Error (paste it, several lines are fine; an empty line ends it):")?;
    let stdin = std::io::stdin();
    let mut text = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if stdin.read_line(&mut line)? == 0 || line.trim().is_empty() && !text.trim().is_empty() {
            break;
        }
        text.push_str(&line);
        if text.len() >= MAX {
            break;
        }
        let open = text.chars().filter(|c| matches!(c, '{' | '[')).count()
            > text.chars().filter(|c| matches!(c, '}' | ']')).count();
        if !open && !text.trim().is_empty() && !waiting(PASTE_GAP_MS) {
            break;
        }
    }
    Ok(text)
}

/// Whether more input is waiting on stdin within `ms` milliseconds.
fn waiting(ms: i32) -> bool {
    use std::os::fd::AsRawFd;
    let mut fd = libc::pollfd { fd: std::io::stdin().as_raw_fd(), events: libc::POLLIN, revents: 0 };
    // SAFETY: one valid pollfd for the duration of the call.
    unsafe { libc::poll(&mut fd, 1, ms) > 0 }
}

/// List the provider's entries for a symptom (rich ones first) and return the pick as the
/// `provider:entry` text `explain` understands.
fn pick_entry(kb: &Knowledge, theme: &ColorfulTheme, provider: u16, categories: &[&str]) -> Result<Option<String>> {
    let mut entries: Vec<&crate::knowledge::Entry> =
        kb.entries.iter().filter(|e| e.provider == provider && categories.contains(&e.category)).collect();
    entries.sort_by_key(|e| e.compact);
    let p = &kb.providers[provider as usize];
    if entries.is_empty() {
        let _ = writeln!(
            crate::output::stderr(),
            "{} has no known errors of that kind; paste the error instead (`paydoctor explain`).",
            p.name
        );
        return Ok(None);
    }
    let items: Vec<String> = entries
        .iter()
        .map(|e| match e.codes.first() {
            Some(code) => format!("{code}: {}", e.title),
            None => e.title.to_string(),
        })
        .collect();
    let pick = FuzzySelect::with_theme(theme)
        .with_prompt("Which one? (type to filter)")
        .items(&items)
        .default(0)
        .max_length(12)
        .interact_opt()
        .context("cannot read the answer")?;
    Ok(pick.map(|i| format!("{}:{}", p.id, entries[i].id)))
}
