//! `paydoctor webhook verify`: read the request (body, headers, URL), work out the provider,
//! gather the secrets (environment variables, `--secret-env`, a config profile — never the
//! command line), run the engine (`crate::webhook`) and print its report, human or JSON.

use crate::cli::{ProbeTarget, WebhookCommand, WebhookVerifyArgs};
use crate::exit::Exit;
use crate::knowledge::{Env, Knowledge};
use crate::probe::{self, Asked};
use crate::redact::mask_secret;
use crate::webhook::diagnose::{self, Options};
use crate::webhook::{self, Provider, Report, Request, Secret, headers};
use crate::{config, credentials, files, input, output, render};
use anyhow::{Context, Result, bail};
use colored::Colorize;
use std::io::{Read, Write};
use std::path::Path;

/// The most body read: far above any provider's webhook, small enough to hold and re-serialize.
const BODY_CAP: u64 = 16 << 20;

pub fn run(kb: &Knowledge, cmd: &WebhookCommand) -> Result<Exit> {
    match cmd {
        WebhookCommand::Verify(args) => verify(kb, args),
    }
}

fn verify(kb: &Knowledge, a: &WebhookVerifyArgs) -> Result<Exit> {
    let req = request(a)?;
    let profile = a.profile.as_deref().map(|n| config::profile(kb, n, credentials::PROFILE_KINDS)).transpose()?;
    let from_profile = match &profile {
        Some(p) => match kb.find_provider(&p.provider).and_then(|i| Provider::from_id(kb.providers[i as usize].id)) {
            Some(w) => Some(w),
            None => bail!("profile `{}` is for {}, whose webhooks paydoctor does not verify", p.name, p.provider),
        },
        None => None,
    };
    let Some(provider) = a.provider.or(from_profile).or_else(|| webhook::detect(&req)) else {
        bail!(
            "cannot tell which provider sent this request from its headers: pass --provider (stripe, razorpay, square, checkout, mercadopago, braintree, adyen, mollie, paypal)"
        );
    };
    let secrets = secrets(provider, a, profile.as_ref())?;
    let cert = match &a.cert {
        Some(p) => Some(files::read_capped(p, "certificate file", 1 << 20)?),
        None => None,
    };
    let at = match a.at {
        Some(t) => t,
        None => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64),
    };
    let o = Options { tolerance: a.tolerance.map(i64::from), at, cert: cert.as_deref() };
    let report = if a.online && provider == Provider::Paypal {
        online(kb, a, &req, &secrets)?
    } else if a.online {
        bail!("--online asks PayPal's verify-webhook-signature endpoint; {} webhooks verify offline", provider.name())
    } else {
        diagnose::verify(provider, &req, &secrets, &o)?
    };
    let mut text = Vec::new();
    if a.json {
        serde_json::to_writer_pretty(&mut text, &report)?;
        writeln!(text)?;
    } else {
        human(&mut text, provider, &report)?;
    }
    // Belt and braces: whatever the report says, no secret's value leaves the process.
    let mut text = String::from_utf8_lossy(&text).into_owned();
    for s in secrets.iter().filter(|s| s.value.len() >= 8) {
        text = text.replace(&s.value, &mask_secret(&s.value));
    }
    let mut out = output::stdout();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(if report.verified { Exit::Success } else { Exit::NoMatch })
}

/// PayPal's verdict, asked through the probe's OAuth token and environment check.
fn online(kb: &Knowledge, a: &WebhookVerifyArgs, req: &Request, secrets: &[Secret]) -> Result<Report> {
    let pid = kb.find_provider("paypal").context("the knowledge base has no PayPal")?;
    let target = ProbeTarget {
        env: a.env,
        base_url: a.base_url.clone(),
        profile: a.profile.clone(),
        force: false,
        secret_key_file: None,
        client_id_file: None,
        client_secret_file: None,
        access_token_file: None,
        merchant_id_file: None,
        connect_timeout: 5.0,
        timeout: 15.0,
        ca_file: None,
    };
    let (t, creds, opts) = crate::commands::probe::prepare(kb, Some(pid), &target, &[])?;
    diagnose::paypal_online(req, secrets, |payload| {
        match probe::ask_webhook(kb, &t, &creds, &opts, VERIFY_PATH, payload)? {
            Asked::Answer { status: 200, body } => {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                match v["verification_status"].as_str() {
                    Some(s) => Ok(s.eq_ignore_ascii_case("SUCCESS")),
                    None => bail!("PayPal's answer holds no verification_status: {}", cut(&body)),
                }
            }
            Asked::Answer { status, body } => {
                bail!("PayPal's verify-webhook-signature answered HTTP {status}: {}", cut(&body))
            }
            Asked::NotAsked(why) => bail!("PayPal's verify-webhook-signature was not asked: {why}"),
        }
    })
}

/// PayPal's endpoint that verifies a delivery (it reads and changes nothing).
const VERIFY_PATH: &str = "/v1/notifications/verify-webhook-signature";

/// The start of a server's answer, on one line.
fn cut(body: &str) -> String {
    let one: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 200 { format!("{}…", one.chars().take(200).collect::<String>()) } else { one }
}

/// The request: headers from the file and the flags (flags first: they win), the body from
/// --body, a captured request or stdin, the URL from --url or the request line and Host.
fn request(a: &WebhookVerifyArgs) -> Result<Request> {
    let mut req = Request::default();
    for h in &a.headers {
        req.headers.push(headers::parse_flag(h)?);
    }
    let mut captured = None;
    let mut target = None;
    if let Some(path) = &a.headers_file {
        let parsed = headers::parse_file(&files::read_capped(path, "headers file", BODY_CAP)?);
        if parsed.headers.is_empty() {
            bail!("headers file {} has no `Name: value` line", path.display());
        }
        req.headers.extend(parsed.headers);
        captured = parsed.body;
        target = parsed.target;
    }
    req.url = a.url.clone().or_else(|| {
        let t = target?;
        if t.starts_with("http://") || t.starts_with("https://") {
            return Some(t);
        }
        req.header("Host").map(|h| format!("https://{h}{t}"))
    });
    req.body = match (&a.body, captured) {
        (Some(p), _) if p != Path::new("-") => files::read_capped(p, "body file", BODY_CAP)?,
        (None, Some(b)) => b,
        (Some(_), _) => read_stdin()?,
        (None, None) if input::stdin_is_readable() => read_stdin()?,
        (None, None) if req.header("bt_payload").is_some() => Vec::new(),
        (None, None) => {
            bail!("no body: pass --body FILE, pipe it on stdin, or give a captured request with --headers FILE")
        }
    };
    Ok(req)
}

fn read_stdin() -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin().lock().take(BODY_CAP + 1).read_to_end(&mut buf).context("cannot read standard input")?;
    if buf.len() as u64 > BODY_CAP {
        bail!("the body on standard input is over {} MiB, the most read", BODY_CAP >> 20);
    }
    Ok(buf)
}

/// The environment a variable's name says it is for (`STRIPE_TEST_WHSEC`, `…_LIVE`).
fn env_of_name(var: &str) -> Option<Env> {
    let v = var.to_ascii_uppercase();
    if v.contains("TEST") || v.contains("SANDBOX") {
        Some(Env::Sandbox)
    } else if v.contains("LIVE") || v.contains("PROD") {
        Some(Env::Production)
    } else {
        None
    }
}

/// Every secret to try, in order: PAYDOCTOR_WEBHOOK_SECRET, --secret-env, the profile, the
/// provider's variable. A value given twice is tried once.
fn secrets(p: Provider, a: &WebhookVerifyArgs, profile: Option<&config::Profile>) -> Result<Vec<Secret>> {
    let mut out: Vec<Secret> = Vec::new();
    let mut add = |value: &str, source: String, env: Option<Env>| {
        let value = value.trim();
        if !value.is_empty() && out.iter().all(|s| s.value != value) {
            out.push(Secret { value: value.to_string(), source, env });
        }
    };
    let from_var = |var: &str, required: bool, add: &mut dyn FnMut(&str, String, Option<Env>)| -> Result<()> {
        match std::env::var(var) {
            Ok(v) => {
                let parts: Vec<&str> = v.split(',').filter(|s| !s.trim().is_empty()).collect();
                for (k, part) in parts.iter().enumerate() {
                    let source = if parts.len() > 1 { format!("env {var} [{}]", k + 1) } else { format!("env {var}") };
                    add(part, source, env_of_name(var));
                }
                Ok(())
            }
            Err(_) if required => bail!("--secret-env {var}: the variable is not set"),
            Err(_) => Ok(()),
        }
    };
    from_var("PAYDOCTOR_WEBHOOK_SECRET", false, &mut add)?;
    for var in &a.secret_env {
        from_var(var, true, &mut add)?;
    }
    if let Some(prof) = profile {
        if let Some((value, source)) = credentials::from_profile(prof, "webhook_secret")? {
            add(&value, source, prof.environment.as_deref().and_then(Env::parse));
        }
    }
    from_var(p.secret_var(), false, &mut add)?;
    Ok(out)
}

/// The report for a person: the verdict, each check, the fix.
fn human(out: &mut impl Write, p: Provider, r: &Report) -> std::io::Result<()> {
    let verdict = match r.cause {
        None => "verified".green().bold().to_string(),
        Some(c) => format!("{} {}", "not verified:".red().bold(), c.as_str().bold()),
    };
    writeln!(out, "{} webhook signature {verdict}", p.name().bold())?;
    writeln!(out, "  {} {}", "scheme:".dimmed(), r.scheme)?;
    for c in &r.checks {
        let mark = if c.ok { "✓".green() } else { "✗".red() };
        writeln!(out, "  {mark} {:<14} {}", c.name, c.detail)?;
    }
    if !r.fix.is_empty() {
        let fixes: Vec<&str> = r.fix.iter().map(String::as_str).collect();
        render::fix_list(out, &fixes)?;
    }
    Ok(())
}
