//! Live probes, written once for every provider: `env` (credential shape vs environment vs
//! host, then DNS/TCP/TLS timings), `token` (OAuth client_credentials, clock skew, a stored
//! token), `credential` (one cheap read-only authenticated request, classified) and `rate`
//! (rate-limit headers, 429s). Everything about a provider comes from its knowledge file:
//! hosts, base URLs and the cheap check per environment, the token endpoint, and in
//! `[provider.probe]` how the check authenticates ([`Probe`]), so a provider with that section
//! is probed with no code of its own.
//!
//! Safety: nothing authenticated is sent before the environment check has looked at the
//! credential and the host; a sandbox credential aimed at production (or the reverse), and
//! any host that is neither the provider's documented one nor loopback, are refused unless
//! `--force`. Probes only read: no payment is created, nothing changes state. What a server
//! answers is printed only through [`scrub`].

pub mod http;
pub mod report;
pub mod scrub;

use crate::credentials::Credentials;
use crate::diagnose::Match;
use crate::knowledge::schema::placeholders;
use crate::knowledge::{CheckAuth, Env, Knowledge, Probe, ProbeCredential, Provider};
use anyhow::{Result, bail};
use http::{Auth, Failure, Http, Request, Response};
use reqwest::{Method, Url};
use scrub::Scrub;
use std::cell::RefCell;
use std::time::{Duration, Instant};

/// A clock further off than this makes fresh tokens look expired (or not yet valid).
const MAX_SKEW: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum CheckKind {
    Env,
    Token,
    Credential,
    Rate,
}

impl CheckKind {
    pub const ALL: [CheckKind; 4] = [CheckKind::Env, CheckKind::Token, CheckKind::Credential, CheckKind::Rate];

    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Env => "env",
            CheckKind::Token => "token",
            CheckKind::Credential => "credential",
            CheckKind::Rate => "rate",
        }
    }

    /// The check a knowledge cause's `probe` names.
    pub fn from_probe(s: &str) -> Option<CheckKind> {
        CheckKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

/// What a failed check found: a category from the knowledge vocabulary, the cause and the fix.
#[derive(Debug, Clone)]
pub struct Finding {
    pub category: &'static str,
    pub cause: String,
    pub fix: String,
}

#[derive(Debug, Clone)]
pub struct CheckResult {
    pub kind: CheckKind,
    pub status: Status,
    pub elapsed: Duration,
    pub summary: String,
    pub evidence: Vec<String>,
    pub finding: Option<Finding>,
}

impl CheckResult {
    fn new(kind: CheckKind) -> CheckResult {
        CheckResult {
            kind,
            status: Status::Passed,
            elapsed: Duration::ZERO,
            summary: String::new(),
            evidence: vec![],
            finding: None,
        }
    }

    fn skipped(kind: CheckKind, why: impl Into<String>) -> CheckResult {
        CheckResult { status: Status::Skipped, summary: why.into(), ..CheckResult::new(kind) }
    }

    /// Every string of the result with controls neutralised and known secrets masked, however
    /// the check built it.
    fn seal(&mut self, scrub: &Scrub) {
        self.summary = scrub.known(&self.summary);
        for e in &mut self.evidence {
            *e = scrub.known(e);
        }
        if let Some(f) = &mut self.finding {
            f.cause = scrub.known(&f.cause);
            f.fix = scrub.known(&f.fix);
        }
    }

    fn fail(&mut self, category: &'static str, summary: String, cause: String, fix: impl Into<String>) {
        self.status = Status::Failed;
        self.summary = summary;
        self.finding = Some(Finding { category, cause, fix: fix.into() });
    }
}

/// Where the probe goes and with what.
pub struct Target {
    pub provider: &'static Provider,
    pub pid: u16,
    /// How the check authenticates (the provider's `[provider.probe]`).
    pub probe: &'static Probe,
    /// The environment the user declared (`--env`, profile) or the one inferred.
    pub env: Option<Env>,
    pub env_source: &'static str,
    pub base: Url,
    pub base_source: String,
    /// The cheap check request: method and URL.
    pub check: (Method, Url),
    pub token_url: Option<Url>,
}

pub struct Options {
    pub only: Vec<CheckKind>,
    pub force: bool,
    pub timeouts: http::Timeouts,
    /// CA certificates trusted on top of the platform's roots (`--ca-file`).
    pub extra_roots: Option<http::ExtraRoots>,
}

pub struct Report {
    pub provider: &'static Provider,
    pub env: Option<Env>,
    pub base_url: String,
    /// (kind, source, masked value).
    pub credentials: Vec<(&'static str, String, String)>,
    pub warnings: Vec<String>,
    pub checks: Vec<CheckResult>,
}

impl Report {
    pub fn check(&self, kind: CheckKind) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.kind == kind)
    }

    /// The first failed check, in the order env, token, credential, rate: the root cause.
    pub fn root(&self) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.status == Status::Failed)
    }

    /// 0 all passed, 1 a check found a problem, 2 nothing could run.
    pub fn exit(&self) -> crate::exit::Exit {
        use crate::exit::Exit;
        if self.root().is_some() {
            Exit::NoMatch
        } else if self.checks.iter().any(|c| c.status == Status::Passed) {
            Exit::Success
        } else {
            Exit::Error
        }
    }

    /// One sentence: the root cause and its fix, or why nothing is wrong.
    pub fn conclusion(&self) -> (Option<&'static str>, String) {
        if let Some(f) = self.root().and_then(|c| c.finding.as_ref()) {
            return (Some(f.category), format!("{}: {}.", f.cause, f.fix.trim_end_matches('.')));
        }
        if self.checks.iter().any(|c| c.status == Status::Passed) {
            let env = self.env.map(|e| format!(" {e}")).unwrap_or_default();
            let ran: Vec<&str> =
                self.checks.iter().filter(|c| c.status == Status::Passed).map(|c| c.kind.as_str()).collect();
            if self.check(CheckKind::Credential).is_none_or(|c| c.status != Status::Passed) {
                return (None, format!("No problem found by the checks that ran ({}).", ran.join(", ")));
            }
            return (
                None,
                format!(
                    "No problem found ({} passed): the {}{env} credentials work against {}, so look past authentication and environment.",
                    ran.join(", "),
                    self.provider.name,
                    self.base_url
                ),
            );
        }
        (None, "Nothing could be checked: see the skipped checks for what is missing.".to_string())
    }
}

/// Resolve provider, environment and URLs. `declared` is `--env` or the profile's.
pub fn target(
    kb: &Knowledge,
    pid: u16,
    declared: Option<(Env, &'static str)>,
    base_url: Option<(String, String)>,
    creds: &Credentials,
) -> Result<Target> {
    let provider = &kb.providers[pid as usize];
    let Some(probe) = provider.probe.as_ref() else {
        bail!(
            "no live probe for {}: its knowledge file has no [provider.probe] (probes exist for: {})",
            provider.name,
            probed(kb)
        )
    };
    let base_given = match &base_url {
        Some((u, from)) => {
            let shown = http::shown_url(u);
            let url = Url::parse(u.trim()).map_err(|e| anyhow::anyhow!("{from}: `{shown}` is not a URL ({e})"))?;
            if !url.username().is_empty() || url.password().is_some() {
                bail!("{from}: the base URL must not carry credentials (user:password@); use the credential sources");
            }
            if !http::allowed(&url) {
                bail!("{from}: `{shown}` is not https:// (plain http:// is allowed only to loopback addresses)");
            }
            Some((url, from.clone()))
        }
        None => None,
    };
    let host_env = base_given.as_ref().and_then(|(u, _)| match host_class(kb, pid, u) {
        HostClass::Known(Some(e)) => Some(e),
        _ => None,
    });
    let cred_env = creds.list.iter().find_map(|c| shape(kb, pid, &c.value).map(|p| p.env));
    let (env, env_source) = match declared {
        Some((e, from)) => (Some(e), from),
        None => match (host_env, cred_env) {
            (Some(e), _) => (Some(e), "the base URL's host"),
            (None, Some(e)) => (Some(e), "the credential's shape"),
            (None, None) => (None, ""),
        },
    };
    let envs = provider.environments;
    let environment = match env {
        Some(e) => envs.iter().find(|x| x.env == e),
        None => envs.first(),
    };
    let Some(environment) = environment else {
        bail!("the knowledge base lists no environments for {}", provider.name)
    };
    let (base, base_source) = match base_given {
        Some(b) => b,
        None => {
            if env.is_none() {
                bail!(
                    "cannot tell whether to probe {}'s sandbox or production: pass --env sandbox|production (or --base-url)",
                    provider.name
                );
            }
            (Url::parse(environment.base_url)?, "knowledge base".to_string())
        }
    };
    let mut parts = environment.check.split_whitespace();
    let method = match parts.next() {
        Some("POST") => Method::POST,
        _ => Method::GET,
    };
    let check_url = join(&base, parts.next().unwrap_or("/"))?;
    let token_url = match environment.token_endpoint.split_whitespace().nth(1) {
        Some(u) if base_url.is_some() => Some(join(&base, Url::parse(u)?.path())?),
        Some(u) => Some(Url::parse(u)?),
        None => None,
    };
    Ok(Target { provider, pid, probe, env, env_source, base, base_source, check: (method, check_url), token_url })
}

/// Provider ids with live probes, for messages: `afterpay, alternativepayments, ...`.
pub fn probed(kb: &Knowledge) -> String {
    kb.providers.iter().filter(|p| p.probe.is_some()).map(|p| p.id).collect::<Vec<_>>().join(", ")
}

/// `base` + an absolute path (and query), keeping any path prefix of `base`.
fn join(base: &Url, path_and_query: &str) -> Result<Url> {
    let prefix = base.path().trim_end_matches('/');
    let mut s = format!("{}{}", base.origin().ascii_serialization(), prefix);
    s.push_str(path_and_query);
    Ok(Url::parse(&s)?)
}

enum HostClass {
    Loopback,
    /// A documented host of the provider: `None` when both environments share it.
    Known(Option<Env>),
    Unknown,
}

fn host_class(kb: &Knowledge, pid: u16, url: &Url) -> HostClass {
    if http::is_loopback(url) {
        return HostClass::Loopback;
    }
    let host = url.host_str().unwrap_or("");
    let envs: Vec<Env> = kb.host_env(host).filter(|h| h.provider == pid).map(|h| h.env).collect();
    match (envs.contains(&Env::Sandbox), envs.contains(&Env::Production)) {
        (true, true) => HostClass::Known(None),
        (true, false) => HostClass::Known(Some(Env::Sandbox)),
        (false, true) => HostClass::Known(Some(Env::Production)),
        (false, false) => HostClass::Unknown,
    }
}

/// The knowledge base's credential shape this value has (prefix and, when given, pattern).
fn shape(kb: &Knowledge, pid: u16, value: &str) -> Option<&'static crate::knowledge::Prefix> {
    kb.prefixes
        .iter()
        .filter(|p| p.provider == pid && value.starts_with(p.prefix))
        .find(|p| p.pattern.is_empty() || regex::Regex::new(p.pattern).is_ok_and(|re| re.is_match(value)))
}

struct Ctx<'a> {
    kb: &'a Knowledge,
    t: &'a Target,
    creds: &'a Credentials,
    http: Http,
    scrub: &'a Scrub,
    /// The token response, requested at most once and shared by `token` and `credential`.
    token: RefCell<Option<(Result<Response, Failure>, Duration)>>,
}

/// Run the probes on a current-thread runtime made here, so commands that do not probe never
/// pay for one.
pub fn run(kb: &Knowledge, t: &Target, creds: &Credentials, opts: &Options) -> Result<Report> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let report = rt.block_on(run_async(kb, t, creds, opts));
    // A DNS lookup that outlived its timeout still blocks a thread: do not wait for it.
    rt.shutdown_background();
    report
}

impl<'a> Ctx<'a> {
    fn new(
        kb: &'a Knowledge,
        t: &'a Target,
        creds: &'a Credentials,
        opts: &Options,
        scrub: &'a Scrub,
    ) -> Result<Ctx<'a>> {
        let http = Http::new(opts.timeouts, http::is_loopback(&t.base), opts.extra_roots.clone())?;
        Ok(Ctx { kb, t, creds, http, scrub, token: RefCell::new(None) })
    }
}

async fn run_async(kb: &Knowledge, t: &Target, creds: &Credentials, opts: &Options) -> Result<Report> {
    let scrub = Scrub::new(kb, creds);
    let cx = Ctx::new(kb, t, creds, opts, &scrub)?;
    let want = |k: CheckKind| opts.only.is_empty() || opts.only.contains(&k);
    let mut checks = Vec::new();

    // The environment comes first and decides whether anything authenticated may be sent.
    let mut env = env_shape(&cx);
    let refused = env.status == Status::Failed && !opts.force;
    if env.status == Status::Failed && opts.force {
        env.evidence.push("--force: the authenticated checks below were sent anyway".to_string());
    }
    let mut blocked: Option<String> = refused.then(|| match env.finding.as_ref().map(|f| f.category) {
        Some("env_mismatch") => {
            "refused: nothing authenticated was sent across environments (--force to send anyway)".into()
        }
        _ => format!("refused: {} (see env; --force to send anyway)", env.summary),
    });
    if want(CheckKind::Env) && !refused && !env_network(&cx, &mut env).await {
        blocked = Some("skipped: the host cannot be reached (see env)".into());
    }
    if want(CheckKind::Env) || env.status == Status::Failed {
        checks.push(env);
    }
    for kind in [CheckKind::Token, CheckKind::Credential] {
        if !want(kind) {
            continue;
        }
        let r = match &blocked {
            Some(why) => CheckResult::skipped(kind, why.clone()),
            None if kind == CheckKind::Token => token_check(&cx).await,
            None => credential_check(&cx).await,
        };
        checks.push(r);
    }
    if want(CheckKind::Rate) {
        let sent = blocked.is_none();
        if sent && !want(CheckKind::Credential) && cx.http.seen().is_empty() {
            // `--only rate`: the cheap check request is what carries the rate-limit headers.
            // (Never a second try of a check request that already failed: that doubles the time.)
            credential_check(&cx).await;
        }
        checks.push(rate_check(&cx, sent));
    }
    for c in &mut checks {
        c.seal(&scrub);
    }
    Ok(Report {
        provider: t.provider,
        env: t.env,
        base_url: t.base.as_str().trim_end_matches('/').to_string(),
        credentials: creds.list.iter().map(|c| (c.kind, c.source.clone(), c.masked.clone())).collect(),
        warnings: creds.warnings.iter().map(|w| scrub.known(w)).collect(),
        checks,
    })
}

/// What the provider said when asked to verify a webhook delivery.
pub enum Asked {
    /// Its answer: the status and the body, with every credential scrubbed.
    Answer { status: u16, body: String },
    /// Nothing was asked, and why (the environment check refused, no token).
    NotAsked(String),
}

/// Ask the provider to verify a webhook delivery (PayPal's `POST
/// /v1/notifications/verify-webhook-signature`, which reads and changes nothing), with the
/// probe's OAuth token and after the same environment check as `probe`.
pub fn ask_webhook(
    kb: &Knowledge,
    t: &Target,
    creds: &Credentials,
    opts: &Options,
    path: &str,
    payload: String,
) -> Result<Asked> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let asked = rt.block_on(async {
        let scrub = Scrub::new(kb, creds);
        let cx = Ctx::new(kb, t, creds, opts, &scrub)?;
        let env = env_shape(&cx);
        if env.status == Status::Failed && !opts.force {
            return Ok(Asked::NotAsked(format!("refused: {}", scrub.line(&env.summary))));
        }
        if fetch_token(&cx).await.is_none() {
            return Ok(Asked::NotAsked(token_missing(&cx)));
        }
        let token = match &*cx.token.borrow() {
            Some((Ok(resp), _)) if resp.status == 200 => json_str(&resp.body, "access_token")
                .ok_or_else(|| "the token response holds no access_token".to_string()),
            Some((Ok(resp), _)) => {
                Err(format!("the token request answered HTTP {}{}", resp.status, excerpt(&cx, resp)))
            }
            Some((Err(f), _)) => Err(format!("the token request failed: {}", scrub.line(&f.describe()))),
            None => Err(token_missing(&cx)),
        };
        let token = match token {
            Ok(t) => t,
            Err(why) => return Ok(Asked::NotAsked(why)),
        };
        let req = Request {
            method: Method::POST,
            url: join(&t.base, path)?,
            auth: Auth::Bearer(token),
            form: vec![],
            headers: vec![("accept", "application/json".into())],
            json: Some(payload),
        };
        Ok(match cx.http.send(&req).await {
            Ok(resp) => Asked::Answer { status: resp.status, body: scrub.line(&resp.body) },
            Err(f) => Asked::NotAsked(scrub.line(&f.describe())),
        })
    });
    rt.shutdown_background();
    asked
}

// --- env ----------------------------------------------------------------------------------

/// The offline half of `env`: credential shapes against the target environment and host.
fn env_shape(cx: &Ctx) -> CheckResult {
    let mut r = CheckResult::new(CheckKind::Env);
    let t = cx.t;
    let name = t.provider.name;
    let host = t.base.host_str().unwrap_or("").to_string();
    r.evidence.push(format!("base URL {} (from {})", t.base.as_str().trim_end_matches('/'), t.base_source));
    let class = host_class(cx.kb, t.pid, &t.base);
    let unknown_host = matches!(class, HostClass::Unknown);
    let host_env = match class {
        HostClass::Loopback => {
            r.evidence.push(format!("host {host} is loopback (a local fake): no environment to compare"));
            None
        }
        HostClass::Known(Some(e)) => {
            r.evidence.push(format!("host {host} is {name}'s documented {e} host"));
            Some(e)
        }
        HostClass::Known(None) => {
            r.evidence.push(format!("host {host} serves both {name} environments: the credential decides"));
            None
        }
        HostClass::Unknown => {
            r.evidence
                .push(format!("host {host} is not a documented {name} host (a proxy, a regional host or a typo?)"));
            None
        }
    };
    if let Some(e) = t.env {
        r.evidence.push(format!("target environment: {e} (from {})", t.env_source));
    }
    let mut mismatch: Option<(String, String)> = None;
    for c in &cx.creds.list {
        let Some(p) = shape(cx.kb, t.pid, &c.value) else {
            if matches!(c.kind, "secret_key" | "access_token")
                && !t.provider.environments.iter().all(|e| e.credentials.is_empty())
            {
                r.evidence
                    .push(format!("{} {} has no {name} credential shape the knowledge base knows", c.kind, c.masked));
            }
            continue;
        };
        let what = p.kind.replace('_', " ");
        r.evidence.push(format!("{} {} ({}) has the shape of a {name} {} {what}", c.kind, c.masked, c.source, p.env));
        let documented = t.provider.environments.iter().flat_map(|e| e.credentials);
        if let Some(d) = documented.filter(|d| d.prefix == p.prefix && d.kind == p.kind).find(|d| !d.note.is_empty()) {
            r.evidence.push(format!("{}: {}", d.prefix, d.note));
        }
        // A key of a kind that never authenticates API calls, given where one belongs.
        let wrong_kind = match p.kind {
            "webhook_secret" => Some((
                "a webhook signing secret",
                format!(
                    "the webhook signing secret: it signs the deliveries {name} sends you and cannot authenticate API calls"
                ),
                format!(
                    "use a secret API key from the {name} dashboard; the webhook secret belongs to `paydoctor webhook verify`"
                ),
            )),
            "public_key" => Some((
                "a public key",
                "a publishable/public key, which cannot authenticate server calls".to_string(),
                format!("use the {} secret key from the {name} dashboard", p.env),
            )),
            _ => None,
        };
        if let Some((what, why, fix)) = wrong_kind.filter(|_| c.kind != p.kind) {
            r.fail(
                "auth_invalid_key",
                format!("{} {} is {what}", c.kind, c.masked),
                format!("The {} {} is {why}", c.kind, c.masked),
                fix,
            );
            return r;
        }
        if mismatch.is_some() {
            continue;
        }
        if let Some(h) = host_env.filter(|h| *h != p.env) {
            let right = env_base(t.provider, p.env);
            mismatch = Some((
                format!("The {} {} {} is aimed at the {h} host {host}", p.env, what, c.masked),
                format!("use a {h} {what} for {host}, or send this one to the {} base URL {right}", p.env),
            ));
        } else if let Some(e) = t.env.filter(|e| *e != p.env) {
            mismatch = Some((
                format!("The target environment is {e} but the {what} {} is a {} credential", c.masked, p.env),
                format!("use the {e} {what} from the {name} dashboard, or probe with --env {}", p.env),
            ));
        }
    }
    if mismatch.is_none() {
        if let (Some(e), Some(h)) = (t.env, host_env) {
            if e != h {
                mismatch = Some((
                    format!("The target environment is {e} but {host} is {name}'s {h} host"),
                    format!("use the {e} base URL {}", env_base(t.provider, e)),
                ));
            }
        }
    }
    if unknown_host {
        r.evidence.extend(mismatch.map(|(cause, _)| cause));
        unknown_host_fail(&mut r, t);
    } else if let Some((cause, fix)) = mismatch {
        r.fail("env_mismatch", "sandbox and production are mixed up".to_string(), cause, fix);
    } else {
        r.summary = match t.env {
            Some(e) => format!("credentials and host agree on {e}"),
            None => "no environment mix-up visible".to_string(),
        };
    }
    r
}

/// Credentials go only to the provider's documented hosts and to loopback; any other host
/// fails `env`, which refuses the authenticated checks unless `--force`.
fn unknown_host_fail(r: &mut CheckResult, t: &Target) {
    let name = t.provider.name;
    let host = host_of(&t.base);
    let documented = env_base(t.provider, t.env.unwrap_or(Env::Sandbox));
    r.fail(
        "configuration",
        format!("{host} is not a documented {name} host"),
        format!("{host} is neither a documented {name} host nor a loopback address, so credentials go there only with --force"),
        format!("use the documented base URL {documented}, or pass --force if {host} is a proxy or gateway you trust"),
    );
}

fn env_base(p: &Provider, e: Env) -> &'static str {
    p.environments.iter().find(|x| x.env == e).map_or("", |x| x.base_url)
}

/// The network half of `env`: DNS, TCP and TLS to the API host (and the token host).
/// Returns whether every host could be reached.
async fn env_network(cx: &Ctx<'_>, r: &mut CheckResult) -> bool {
    let mut reached = true;
    let mut urls = vec![cx.t.base.clone()];
    if let Some(tok) = &cx.t.token_url {
        if tok.host_str() != cx.t.base.host_str() || tok.port_or_known_default() != cx.t.base.port_or_known_default() {
            urls.push(tok.clone());
        }
    }
    if let Some(from) = cx.http.extra_roots().filter(|_| urls.iter().any(|u| u.scheme() == "https")) {
        r.evidence.push(cx.scrub.line(&format!("trusting the CA certificates in {from} on top of the system's roots")));
    }
    let start = Instant::now();
    for url in urls {
        let host = format!("{}:{}", url.host_str().unwrap_or(""), url.port_or_known_default().unwrap_or(0));
        match cx.http.connect_timing(&url).await {
            Ok(t) => {
                let mut parts = vec![];
                let addr = t.addresses.first().map(|a| a.to_string()).unwrap_or_default();
                match t.dns {
                    Some(d) => parts.push(format!("DNS {addr} in {}", http::secs(d))),
                    None => parts.push(format!("address {addr}")),
                }
                parts.push(format!("TCP connect {}", http::secs(t.tcp)));
                match t.tls {
                    Some((d, v)) => parts.push(format!("{v} handshake {} (certificate verified)", http::secs(d))),
                    None => parts.push("plain HTTP (loopback only)".to_string()),
                }
                r.evidence.push(format!("{host}: {}", parts.join(", ")));
            }
            Err(f) => {
                let (category, fix) = f.advice();
                let what = cx.scrub.line(&f.describe());
                reached = false;
                if r.status != Status::Failed {
                    r.fail(category, format!("{host}: {what}"), format!("{host} cannot be reached ({what})"), fix);
                }
                r.evidence.push(format!("{host}: {what}"));
            }
        }
    }
    r.elapsed = start.elapsed();
    reached
}

// --- token --------------------------------------------------------------------------------

/// Request a client_credentials token once; later calls reuse the answer.
async fn fetch_token(cx: &Ctx<'_>) -> Option<()> {
    if cx.token.borrow().is_some() {
        return Some(());
    }
    let url = cx.t.token_url.clone()?;
    let id = cx.creds.value("client_id")?.to_string();
    let secret = cx.creds.value("client_secret")?.to_string();
    let p = cx.t.provider;
    let mut form = vec![("grant_type", "client_credentials".to_string())];
    if !p.token_scope.is_empty() {
        form.push(("scope", p.token_scope.to_string()));
    }
    let auth = if p.token_client_auth == "post" {
        form.push(("client_id", id));
        form.push(("client_secret", secret));
        Auth::None
    } else {
        Auth::Basic(id, secret)
    };
    let req = Request {
        method: Method::POST,
        url,
        auth,
        form,
        headers: vec![("accept", "application/json".into())],
        json: None,
    };
    let start = Instant::now();
    let res = cx.http.send(&req).await;
    if let Ok(resp) = &res {
        if let Some(tok) = json_str(&resp.body, "access_token") {
            cx.scrub.add(&tok);
        }
    }
    *cx.token.borrow_mut() = Some((res, start.elapsed()));
    Some(())
}

fn json_str(body: &str, key: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    v.get(key).and_then(|x| x.as_str()).map(str::to_string)
}

fn token_missing(cx: &Ctx) -> String {
    let p = cx.t.provider;
    let vars = |k: &str| crate::credentials::env_names(p, k).join(" or ");
    format!("needs a client id and secret: set {} and {}", vars("client_id"), vars("client_secret"))
}

async fn token_check(cx: &Ctx<'_>) -> CheckResult {
    let mut r = CheckResult::new(CheckKind::Token);
    let p = cx.t.provider;
    let stored = cx.creds.get("access_token").filter(|_| cx.t.probe.stored_token);
    if cx.t.token_url.is_none() {
        return CheckResult::skipped(CheckKind::Token, format!("{} issues no OAuth tokens for API calls", p.name));
    }
    let start = Instant::now();
    if fetch_token(cx).await.is_none() {
        if stored.is_none() {
            return CheckResult::skipped(CheckKind::Token, token_missing(cx));
        }
        r.evidence.push(format!("no client credentials to request a new token ({})", token_missing(cx)));
    } else {
        let guard = cx.token.borrow();
        let Some((res, took)) = guard.as_ref() else { return r };
        let url = cx.t.token_url.as_ref().map(|u| u.path().to_string()).unwrap_or_default();
        match res {
            Err(f) => {
                let what = cx.scrub.line(&f.describe());
                let (category, fix) = f.advice();
                r.fail(
                    category,
                    format!("token request: {what}"),
                    format!("The token endpoint {url} gave no answer ({what})"),
                    fix,
                );
            }
            Ok(resp) if (200..300).contains(&resp.status) => {
                let v: serde_json::Value = serde_json::from_str(&resp.body).unwrap_or_default();
                let kind = v.get("token_type").and_then(|x| x.as_str()).unwrap_or("?").to_string();
                let expires = v.get("expires_in").and_then(|x| x.as_i64().or_else(|| x.as_str()?.parse().ok()));
                let documented = match p.token_lifetime_seconds {
                    0 => String::new(),
                    s => format!(" (documented lifetime {s} s)"),
                };
                let exp = expires.map_or("no expires_in".to_string(), |e| format!("expires_in {e} s"));
                r.summary = format!("token issued: token_type {}, {exp}", cx.scrub.line(&kind));
                r.evidence.push(format!(
                    "POST {url}: HTTP {} in {}, {exp}{documented}",
                    resp.status,
                    http::secs(*took)
                ));
                if v.get("access_token").and_then(|x| x.as_str()).is_none_or(str::is_empty) {
                    r.fail(
                        "configuration",
                        "the token response has no access_token".into(),
                        format!("The token endpoint {url} answered {} without an access_token", resp.status),
                        "check that the base URL points at the provider's OAuth token endpoint",
                    );
                } else if expires.is_some_and(|e| e <= 0) {
                    r.fail(
                        "auth_expired_token",
                        "the token is born expired".into(),
                        "The token endpoint issued a token that is already expired (expires_in <= 0)".into(),
                        "check the OAuth application's token lifetime settings",
                    );
                }
                clock_skew(resp, &mut r);
            }
            Ok(resp) => {
                let body = excerpt(cx, resp);
                let oauth_error = json_str(&resp.body, "error").unwrap_or_default();
                let said = oauth_said(cx, &resp.body);
                r.evidence.push(format!("POST {url}: HTTP {} in {}{body}", resp.status, http::secs(*took)));
                let (category, cause, fix) = match (resp.status, oauth_error.as_str()) {
                    (401, _) | (400, "invalid_client") => (
                        "auth_invalid_key",
                        format!("The token endpoint rejected the client id and secret (HTTP {}{})", resp.status, said),
                        format!(
                            "copy the client id and secret again from the {} app's {} credentials, as a pair",
                            p.name,
                            env_name(cx)
                        ),
                    ),
                    (400, "unsupported_grant_type" | "invalid_request" | "invalid_scope" | "unauthorized_client") => (
                        "configuration",
                        format!("The token request was refused as malformed{said}"),
                        "enable the client_credentials grant (and the scope) for this OAuth application".to_string(),
                    ),
                    (403, _) => (
                        "auth_permission",
                        "The client is known but may not obtain tokens (HTTP 403)".to_string(),
                        "grant the application API access (scopes, IP allow-list) in the dashboard".to_string(),
                    ),
                    (404, _) => (
                        "not_found",
                        format!("There is no token endpoint at {url} (HTTP 404)"),
                        "use the provider's documented base URL".to_string(),
                    ),
                    (429, _) => (
                        "rate_limit",
                        "The token endpoint throttled this client (HTTP 429)".to_string(),
                        "reuse tokens until they expire instead of requesting one per call".to_string(),
                    ),
                    (s, _) if s >= 500 => (
                        "server_error",
                        format!("The token endpoint failed on its side (HTTP {s})"),
                        "retry later and check the provider's status page".to_string(),
                    ),
                    (s, _) => (
                        "other",
                        format!("The token endpoint answered HTTP {s}{said}"),
                        "compare the request with the provider's OAuth documentation".to_string(),
                    ),
                };
                r.fail(category, format!("token request refused: HTTP {}", resp.status), cause, fix);
                clock_skew(resp, &mut r);
            }
        }
    }
    if let Some(c) = stored {
        let (status, line) = bearer_try(cx, &c.value).await;
        r.evidence.push(format!("stored access token {} ({}): {line}", c.masked, c.source));
        match status {
            Some(s)
                if ((200..300).contains(&s) || (s == 404 && cx.t.probe.not_found_means_accepted))
                    && r.summary.is_empty() =>
            {
                r.summary = "the stored access token is still accepted".into();
            }
            Some(401) if r.status != Status::Failed => {
                let life = match p.token_lifetime_seconds {
                    0 => String::new(),
                    s => format!(" (they live {s} s)"),
                };
                r.fail(
                    "auth_expired_token",
                    "the stored access token is no longer accepted".into(),
                    format!("The stored access token {} is expired or revoked", c.masked),
                    format!(
                        "request a new token with the client credentials before it expires{life} and refresh it on 401"
                    ),
                );
            }
            _ => {}
        }
    }
    r.elapsed = start.elapsed();
    r
}

/// `, error: error_description` of an OAuth error answer, made printable; empty without one.
fn oauth_said(cx: &Ctx, body: &str) -> String {
    let field = |k| json_str(body, k).map(|v| cut(&cx.scrub.line(&v), 120)).filter(|v| !v.trim().is_empty());
    match (field("error"), field("error_description")) {
        (Some(e), Some(d)) => format!(", {e}: {d}"),
        (Some(x), None) | (None, Some(x)) => format!(", {x}"),
        (None, None) => String::new(),
    }
}

/// At most `n` characters of `s`, `…` marking a cut.
fn cut(s: &str, n: usize) -> String {
    let mut short: String = s.chars().take(n).collect();
    if short.len() < s.len() {
        short.push('…');
    }
    short
}

fn env_name(cx: &Ctx) -> String {
    cx.t.env.map_or("matching".to_string(), |e| e.to_string())
}

/// Compare the server's `Date` with the local clock.
fn clock_skew(resp: &Response, r: &mut CheckResult) {
    let Some(date) = resp.headers.get("date").and_then(|d| d.to_str().ok()) else {
        r.evidence.push("no Date header: clock skew not measured".into());
        return;
    };
    let Ok(server) = httpdate::parse_http_date(date) else { return };
    let (ahead, d) = match resp.received.duration_since(server) {
        Ok(d) => (true, d),
        Err(e) => (false, e.duration()),
    };
    let s = d.as_secs();
    // Date has a resolution of one second: a second off is noise.
    let rel = if s <= 1 {
        "in step with the server".to_string()
    } else if ahead {
        format!("{s} s ahead of the server")
    } else {
        format!("{s} s behind the server")
    };
    r.evidence.push(format!("local clock {rel} (server Date {date})"));
    if d > MAX_SKEW && r.status != Status::Failed {
        r.fail(
            "auth_expired_token",
            format!("the local clock is {rel}"),
            format!("This machine's clock is {rel}, so fresh tokens look expired or not yet valid"),
            "synchronise the clock (NTP: timedatectl set-ntp true)",
        );
    }
}

/// Try a bearer token on the check request: (status, evidence line).
async fn bearer_try(cx: &Ctx<'_>, token: &str) -> (Option<u16>, String) {
    let (m, u) = &cx.t.check;
    let req = Request {
        method: m.clone(),
        url: u.clone(),
        auth: Auth::Bearer(token.to_string()),
        form: vec![],
        headers: vec![],
        json: None,
    };
    let start = Instant::now();
    match cx.http.send(&req).await {
        Ok(resp) => {
            let line = format!(
                "{m} {}: HTTP {} in {}{}",
                u.path(),
                resp.status,
                http::secs(start.elapsed()),
                excerpt(cx, &resp)
            );
            (Some(resp.status), line)
        }
        Err(f) => (None, cx.scrub.line(&f.describe())),
    }
}

/// ` — …` with the start of the body, redacted whole before it is cut.
fn excerpt(cx: &Ctx, resp: &Response) -> String {
    let flat = cx.scrub.line(&resp.body.split_whitespace().collect::<Vec<_>>().join(" "));
    if flat.is_empty() {
        return String::new();
    }
    let mut out = format!(" — {}", cut(&flat, 200));
    // What the knowledge base makes of the answer: the same matcher as `explain`.
    let text = format!("HTTP {} {}", resp.status, resp.body);
    let d = crate::commands::explain::diagnose(cx.kb, &text, Some(cx.t.pid), 1);
    if let Some(m) = d.matches.first().filter(|m| m.confidence >= 0.35) {
        let e = &cx.kb.entries[m.entry as usize];
        out.push_str(&format!(" [knowledge: {}:{}, {}]", cx.t.provider.id, e.id, e.category));
    }
    out
}

// --- credential ---------------------------------------------------------------------------

async fn credential_check(cx: &Ctx<'_>) -> CheckResult {
    let mut r = CheckResult::new(CheckKind::Credential);
    let t = cx.t;
    let a = t.probe;
    let Some(&how) = a.auth.iter().find(|h| a.needs(**h).iter().all(|k| cx.creds.get(k.as_str()).is_some())) else {
        let wanted: Vec<String> = a
            .auth
            .iter()
            .map(|h| {
                a.needs(*h)
                    .iter()
                    .map(|k| crate::credentials::env_names(t.provider, k.as_str()).join(" or "))
                    .collect::<Vec<_>>()
                    .join(" + ")
            })
            .collect();
        return CheckResult::skipped(CheckKind::Credential, format!("no credential: set {}", wanted.join("; or ")));
    };
    let start = Instant::now();
    let (m, u) = &t.check;
    let used: Vec<String> =
        a.needs(how).iter().filter_map(|k| cx.creds.get(k.as_str())).map(|c| c.masked.clone()).collect();
    let value = |k: ProbeCredential| cx.creds.value(k.as_str()).unwrap_or("").to_string();
    let result = match how {
        CheckAuth::Oauth2TokenRequest {} | CheckAuth::Oauth2ClientCredentials {} => {
            fetch_token(cx).await;
            let answer =
                cx.token.borrow().as_ref().map(|(res, _)| res.as_ref().map(clone_response).map_err(Failure::clone));
            match answer {
                Some(Ok(resp))
                    if matches!(how, CheckAuth::Oauth2ClientCredentials {}) && (200..300).contains(&resp.status) =>
                {
                    let tok = json_str(&resp.body, "access_token").unwrap_or_default();
                    r.evidence.push("authenticated with a fresh OAuth token (see token)".into());
                    send_check(cx, Auth::Bearer(tok), vec![]).await
                }
                Some(Ok(resp)) => Ok((Method::POST, t.token_url.clone().unwrap_or_else(|| u.clone()), resp)),
                Some(Err(f)) => Err(f),
                None => Err(Failure::Other("no token endpoint".into())),
            }
        }
        CheckAuth::Bearer { credential } => send_check(cx, Auth::Bearer(value(credential)), vec![]).await,
        CheckAuth::Basic { user, password } => {
            send_check(cx, Auth::Basic(value(user), password.map(value).unwrap_or_default()), vec![]).await
        }
        CheckAuth::HttpSignature { key_id, secret } => {
            let (signed, note) = signature(cx, &value(key_id), &value(secret));
            r.evidence.extend(note);
            send_check(cx, Auth::None, signed).await
        }
        CheckAuth::ApiKeyHeader { header, credential } => {
            send_check(cx, Auth::None, vec![(header.0, value(credential))]).await
        }
    };
    r.elapsed = start.elapsed();
    let name = t.provider.name;
    let who = used.join(" + ");
    let resp = match result {
        Err(f) => {
            let what = cx.scrub.line(&f.describe());
            let (category, fix) = f.advice();
            r.evidence.push(format!("{m} {}: {what}", u.path()));
            r.fail(category, what.clone(), format!("The {name} check request to {} failed: {what}", host_of(u)), fix);
            return r;
        }
        Ok(x) => x,
    };
    let (method, url, resp) = resp;
    let line =
        format!("{method} {}: HTTP {} in {}{}", url.path(), resp.status, http::secs(r.elapsed), excerpt(cx, &resp));
    r.evidence.push(cx.scrub.line(&line));
    let s = resp.status;
    let env = env_name(cx);
    match s {
        200..=299 => r.summary = format!("{who} accepted (HTTP {s})"),
        404 if a.not_found_means_accepted => {
            r.summary = format!("{who} accepted (HTTP 404 for an object that cannot exist, as expected)");
        }
        401 => r.fail(
            "auth_invalid_key",
            format!("{who} rejected (HTTP 401)"),
            format!("{name} rejected {who} with HTTP 401: the credential is invalid, revoked or expired"),
            format!("copy the {env} credential again from the {name} dashboard (or roll it) and check for stray spaces or quotes"),
        ),
        403 => r.fail(
            "auth_permission",
            format!("{who} lacks permission (HTTP 403)"),
            format!("{name} knows {who} but refuses it here (HTTP 403): missing permission or scope, an IP allow-list, or the wrong key type"),
            "grant the key the needed permissions (or use an unrestricted secret key) and check the account's IP allow-list",
        ),
        404 => r.fail(
            "not_found",
            "the check endpoint does not exist here (HTTP 404)".into(),
            format!("{} has no {} {}: the base URL or API version is wrong (this says nothing about the key)", host_of(&url), method, url.path()),
            format!("use the documented base URL {}", env_base(t.provider, t.env.unwrap_or(Env::Sandbox))),
        ),
        429 => r.fail(
            "rate_limit",
            "throttled (HTTP 429)".into(),
            format!("{name} throttled this client (HTTP 429) even after the probe backed off"),
            "lower the request rate (see rate) and retry with backoff",
        ),
        500..=599 => r.fail(
            "server_error",
            format!("server error (HTTP {s})"),
            format!("{name} failed on its side (HTTP {s}); the credential could not be judged"),
            "retry later and check the provider's status page",
        ),
        _ => r.fail(
            "other",
            format!("unexpected HTTP {s}"),
            format!("{name} answered the check request with HTTP {s}"),
            "compare the request with the provider's documentation",
        ),
    }
    r
}

fn host_of(u: &Url) -> String {
    match u.port() {
        Some(p) => format!("{}:{p}", u.host_str().unwrap_or("")),
        None => u.host_str().unwrap_or("").to_string(),
    }
}

fn clone_response(r: &Response) -> Response {
    Response { status: r.status, headers: r.headers.clone(), body: r.body.clone(), received: r.received }
}

/// Send the check with `auth`, the provider's headers and `extra` ones.
async fn send_check(
    cx: &Ctx<'_>,
    auth: Auth,
    extra: Vec<(&'static str, String)>,
) -> Result<(Method, Url, Response), Failure> {
    let (m, u) = &cx.t.check;
    let mut headers = vec![("accept", "application/json".to_string())];
    headers.extend(probe_headers(cx));
    headers.extend(extra);
    let req = Request { method: m.clone(), url: u.clone(), auth, form: vec![], headers, json: None };
    cx.http.send(&req).await.map(|resp| (m.clone(), u.clone(), resp))
}

/// The provider's `[provider.probe] headers` with `{version}` and credentials filled in; one
/// that names a credential the user did not give is left out.
fn probe_headers(cx: &Ctx) -> Vec<(&'static str, String)> {
    let fill = |template: &str| {
        let mut value = template.to_string();
        for field in placeholders(template) {
            let with = if field == "version" { env!("CARGO_PKG_VERSION") } else { cx.creds.value(field)? };
            value = value.replace(&format!("{{{field}}}"), with);
        }
        Some(value)
    };
    cx.t.probe.headers.iter().filter_map(|&(name, template)| Some((name, fill(template)?))).collect()
}

/// The `date` and `signature` headers of an HTTP Signature over the check request: `host`,
/// `date`, `request-target` (as Cybersource spells it, without the draft's parentheses) and the
/// provider's headers, HMAC-SHA256 with the base64-decoded secret. Also a note when the secret
/// is not base64 (it then signs as it is).
fn signature(cx: &Ctx, key_id: &str, secret: &str) -> (Vec<(&'static str, String)>, Option<String>) {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let (m, u) = &cx.t.check;
    let date = httpdate::fmt_http_date(std::time::SystemTime::now());
    let target = match u.query() {
        Some(q) => format!("{} {}?{q}", m.as_str().to_ascii_lowercase(), u.path()),
        None => format!("{} {}", m.as_str().to_ascii_lowercase(), u.path()),
    };
    let mut names = vec!["host".to_string(), "date".to_string(), "request-target".to_string()];
    let mut lines = vec![format!("host: {}", host_of(u)), format!("date: {date}"), format!("request-target: {target}")];
    for (name, value) in probe_headers(cx) {
        let name = name.to_ascii_lowercase();
        lines.push(format!("{name}: {value}"));
        names.push(name);
    }
    let (key, note) = match b64.decode(secret.trim()) {
        Ok(k) => (k, None),
        Err(_) => (secret.as_bytes().to_vec(), Some("the signing secret is not base64: it signs as it is".to_string())),
    };
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &key);
    let tag = aws_lc_rs::hmac::sign(&key, lines.join("\n").as_bytes());
    let header = format!(
        "keyid=\"{key_id}\", algorithm=\"HmacSHA256\", headers=\"{}\", signature=\"{}\"",
        names.join(" "),
        b64.encode(tag.as_ref())
    );
    (vec![("date", date), ("signature", header)], note)
}

// --- rate ---------------------------------------------------------------------------------

/// `sent`: whether requests were allowed at all (nothing is sent when `env` refused).
fn rate_check(cx: &Ctx, sent: bool) -> CheckResult {
    let mut r = CheckResult::new(CheckKind::Rate);
    let seen = cx.http.seen();
    if seen.is_empty() {
        let why = if sent { "no HTTP answer arrived" } else { "no request was sent" };
        return CheckResult::skipped(CheckKind::Rate, format!("{why}, so there are no rate-limit headers to read"));
    }
    let p = cx.t.provider;
    let throttled = seen.iter().filter(|s| s.status == 429).count();
    let mut headers: Vec<String> = seen.iter().flat_map(|s| s.rate_headers.iter().cloned()).collect();
    headers.dedup();
    r.evidence.push(format!("{} response(s), {throttled} of them HTTP 429", seen.len()));
    for n in seen.iter().filter_map(|s| s.note.as_ref()) {
        r.evidence.push(n.clone());
    }
    if headers.is_empty() {
        r.evidence.push("no rate-limit headers in the answers".into());
    } else {
        r.evidence.push(format!("rate-limit headers: {}", cx.scrub.line(&headers.join("; "))));
    }
    if p.rate_limit_rps > 0.0 {
        r.evidence.push(format!("documented limit: {} requests/s ({})", p.rate_limit_rps, p.rate_limit_scope));
    }
    let exhausted = headers.iter().any(|h| {
        let (k, v) = h.split_once(": ").unwrap_or(("", ""));
        k.ends_with("remaining") && v.trim() == "0"
    });
    if throttled > 0 {
        r.fail(
            "rate_limit",
            format!("throttled: {throttled} HTTP 429 in {} requests", seen.len()),
            format!("{} throttles this client already at a handful of requests (HTTP 429)", p.name),
            "spread requests out, retry with exponential backoff honouring Retry-After, and look for a loop or another process sharing the key",
        );
    } else if exhausted {
        r.fail(
            "rate_limit",
            "the rate-limit budget is used up (remaining 0)".into(),
            format!("{} reports no requests left in the current rate-limit window", p.name),
            "wait for the window to reset and lower the request rate",
        );
    } else {
        r.summary = format!("{} request(s), not throttled", seen.len());
    }
    r
}

// --- explain --probe ----------------------------------------------------------------------

/// The checks that can confirm or rule out a match's causes (`probe` in the knowledge base).
/// The environment check always comes along: it is the safety gate.
pub fn checks_for(m: &Match) -> Vec<CheckKind> {
    let mut v: Vec<CheckKind> = m.causes.iter().filter_map(|c| CheckKind::from_probe(c.cause.probe)).collect();
    v.push(CheckKind::Env);
    v.sort();
    v.dedup();
    v
}

/// Re-rank a match's causes by what the probes found: a cause whose check failed moves up and
/// carries the probe's finding as evidence; one whose check passed moves down.
pub fn rerank(m: &mut Match, report: &Report) {
    for c in &mut m.causes {
        let Some(res) = CheckKind::from_probe(c.cause.probe).and_then(|k| report.check(k)) else { continue };
        match res.status {
            Status::Failed => {
                c.likelihood += 1.0;
                let what = res.finding.as_ref().map_or(res.summary.clone(), |f| f.cause.clone());
                c.support.push(format!("live probe {} failed: {what}", res.kind.as_str()));
            }
            Status::Passed => {
                c.likelihood *= 0.25;
                c.support.push(format!("live probe {} passed: {}", res.kind.as_str(), res.summary));
            }
            Status::Skipped => {}
        }
    }
    let total: f32 = m.causes.iter().map(|c| c.likelihood).sum();
    if total > 0.0 {
        for c in &mut m.causes {
            c.likelihood /= total;
        }
    }
    m.causes.sort_by(|a, b| b.likelihood.total_cmp(&a.likelihood));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::EMBEDDED;
    use std::time::SystemTime;

    #[test]
    fn shapes_come_from_the_knowledge_base() {
        let kb = EMBEDDED;
        let cko = kb.find_provider("checkout").unwrap();
        assert_eq!(shape(&kb, cko, "sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e").map(|p| p.env), Some(Env::Sandbox));
        let stripe = kb.find_provider("stripe").unwrap();
        assert_eq!(shape(&kb, stripe, "sk_live_abcdefghijklmnop1234").map(|p| p.env), Some(Env::Production));
        assert!(shape(&kb, stripe, "garbage").is_none());
    }

    #[test]
    fn every_documented_base_url_passes_the_host_rule() {
        let kb = EMBEDDED;
        for (pid, p) in kb.providers.iter().enumerate().filter(|(_, p)| p.probe.is_some()) {
            for e in p.environments {
                let url = Url::parse(e.base_url).unwrap();
                let class = host_class(&kb, pid as u16, &url);
                assert!(matches!(class, HostClass::Known(_)), "{} {}: {} is not a documented host", p.id, e.env, url);
            }
        }
        let stripe = kb.find_provider("stripe").unwrap();
        for other in ["https://vm:8443", "https://api.checkout.com", "https://[::ffff:127.0.0.1]:9"] {
            assert!(matches!(host_class(&kb, stripe, &Url::parse(other).unwrap()), HostClass::Unknown), "{other}");
        }
    }

    #[test]
    fn join_keeps_a_base_path() {
        let b = Url::parse("http://127.0.0.1:9/prefix/").unwrap();
        assert_eq!(join(&b, "/v1/balance?x=1").unwrap().as_str(), "http://127.0.0.1:9/prefix/v1/balance?x=1");
    }

    #[test]
    fn skew_beyond_two_minutes_fails() {
        let mut h = reqwest::header::HeaderMap::new();
        let now = SystemTime::now();
        h.insert("date", httpdate::fmt_http_date(now - Duration::from_secs(600)).parse().unwrap());
        let resp = Response { status: 200, headers: h, body: String::new(), received: now };
        let mut r = CheckResult::new(CheckKind::Token);
        clock_skew(&resp, &mut r);
        assert_eq!(r.status, Status::Failed);
        assert!(r.summary.contains("ahead"), "{}", r.summary);
    }
}
