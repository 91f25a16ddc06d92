//! The knowledge file format (`knowledge/<provider>.toml`): parsing, validation and the
//! lookup indexes built from it.
//!
//! This module is compiled twice: by `build.rs`, which turns the embedded knowledge into
//! static tables, and into the binary, which uses it for `kb check DIR` and `--kb DIR`.
//! So it depends only on `serde`, `toml` and `regex`, and knows nothing of the engine.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// The fixed category vocabulary (a stable part of `--json`).
pub const CATEGORIES: &[&str] = &[
    "auth_invalid_key",
    "auth_expired_token",
    "auth_permission",
    "env_mismatch",
    "validation",
    "idempotency",
    "duplicate_or_state",
    "rate_limit",
    "decline",
    "not_found",
    "server_error",
    "network_tls",
    "webhook_signature",
    "configuration",
    "other",
];

/// Which live probe can confirm or rule out a cause.
pub const PROBES: &[&str] = &["credential", "token", "env", "rate", "none"];

/// Named conditions a cause's `when` list may use (phrases are the other kind).
pub const CONDITIONS: &[&str] = &[
    "@env_mismatch",
    "@sandbox_credential",
    "@production_credential",
    "@sandbox_host",
    "@production_host",
    "@public_key",
    "@earlier_success",
];

pub const ENVIRONMENTS: &[&str] = &["sandbox", "production"];

/// Field names every API uses: they say nothing about the provider, so they are not
/// fingerprints even when a provider file lists them under `fields`.
pub const GENERIC_FIELDS: &[&str] = &[
    "message",
    "messages",
    "status",
    "code",
    "error",
    "errors",
    "description",
    "type",
    "detail",
    "details",
    "title",
    "name",
    "id",
    "data",
    "result",
    "success",
    "reason",
    "field",
    "response",
    "request",
];

pub const CREDENTIAL_KINDS: &[&str] = &[
    "secret_key",
    "public_key",
    "restricted_key",
    "access_token",
    "client_id",
    "client_secret",
    "merchant_id",
    "webhook_secret",
];

pub const AUTH_SCHEMES: &[&str] = &["bearer", "basic", "api_key_header", "oauth2_client_credentials"];

/// How a client authenticates to an OAuth token endpoint: HTTP Basic, or id and secret in the
/// form body.
pub const TOKEN_CLIENT_AUTH: &[&str] = &["basic", "post"];

/// The credentials a live probe reads (`--<kind>-file`, a profile, environment variables) and
/// can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeCredential {
    SecretKey,
    ClientId,
    ClientSecret,
    AccessToken,
    /// The merchant or account id some providers want beside a key (a header, a signature).
    MerchantId,
}

impl ProbeCredential {
    pub const ALL: [ProbeCredential; 5] = [
        ProbeCredential::SecretKey,
        ProbeCredential::ClientId,
        ProbeCredential::ClientSecret,
        ProbeCredential::AccessToken,
        ProbeCredential::MerchantId,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ProbeCredential::SecretKey => "secret_key",
            ProbeCredential::ClientId => "client_id",
            ProbeCredential::ClientSecret => "client_secret",
            ProbeCredential::AccessToken => "access_token",
            ProbeCredential::MerchantId => "merchant_id",
        }
    }
}

/// `[provider.probe]`: how a live probe authenticates its cheap read-only check (each
/// environment's `check`, on its `base_url`; OAuth tokens from its `token_endpoint`). One type
/// for the file, the build and the binary: its strings are `'static` (leaked when a file is
/// read, as all knowledge read at run time is).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    /// Ways the check can authenticate, preferred first: the first whose credentials are all
    /// present is used.
    #[serde(deserialize_with = "leak_list")]
    pub auth: &'static [CheckAuth],
    /// Headers sent with the check: name and value, where `{version}` is paydoctor's version
    /// and `{client_id}` (any credential kind) that credential; a header whose credential is
    /// missing is not sent.
    #[serde(default, deserialize_with = "leak_headers")]
    pub headers: &'static [(&'static str, &'static str)],
    /// The check looks up an object that cannot exist, so HTTP 404 means the credential was
    /// accepted.
    #[serde(default)]
    pub not_found_means_accepted: bool,
    /// A stored access token (`access_token`) can be tried as Bearer on the check (`token`).
    #[serde(default)]
    pub stored_token: bool,
}

/// One way the probe's check request authenticates (`scheme = "..."`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(tag = "scheme", rename_all = "snake_case", deny_unknown_fields)]
pub enum CheckAuth {
    /// `Authorization: Bearer <credential>`.
    Bearer { credential: ProbeCredential },
    /// HTTP Basic `user:password` (an empty password when none is named).
    Basic {
        user: ProbeCredential,
        #[serde(default)]
        password: Option<ProbeCredential>,
    },
    /// The credential as the value of the provider's own header (`X-Api-Key: <credential>`).
    ApiKeyHeader { header: HeaderName, credential: ProbeCredential },
    /// A fresh OAuth client_credentials token (client_id + client_secret, sent as
    /// `[provider.token] client_auth` says), then that token as Bearer.
    Oauth2ClientCredentials {},
    /// The token request itself is the check: it proves the client id and secret.
    Oauth2TokenRequest {},
    /// HTTP Signature (`HmacSHA256`, as Cybersource signs REST calls): `key_id` names the key,
    /// `secret` (base64) signs `host`, `date`, `request-target` and the probe's `headers`.
    HttpSignature { key_id: ProbeCredential, secret: ProbeCredential },
}

impl CheckAuth {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckAuth::Bearer { .. } => "bearer",
            CheckAuth::Basic { .. } => "basic",
            CheckAuth::ApiKeyHeader { .. } => "api_key_header",
            CheckAuth::Oauth2ClientCredentials {} => "oauth2_client_credentials",
            CheckAuth::Oauth2TokenRequest {} => "oauth2_token_request",
            CheckAuth::HttpSignature { .. } => "http_signature",
        }
    }

    /// The credentials this way of authenticating needs, all of them.
    pub fn needs(self) -> Vec<ProbeCredential> {
        match self {
            CheckAuth::Bearer { credential } | CheckAuth::ApiKeyHeader { credential, .. } => vec![credential],
            CheckAuth::Basic { user, password } => std::iter::once(user).chain(password).collect(),
            CheckAuth::Oauth2ClientCredentials {} | CheckAuth::Oauth2TokenRequest {} => {
                vec![ProbeCredential::ClientId, ProbeCredential::ClientSecret]
            }
            CheckAuth::HttpSignature { key_id, secret } => vec![key_id, secret],
        }
    }

    /// Does it need an OAuth token endpoint?
    pub fn uses_token(self) -> bool {
        matches!(self, CheckAuth::Oauth2ClientCredentials {} | CheckAuth::Oauth2TokenRequest {})
    }
}

/// An HTTP header name as a knowledge file spells it (`X-Api-Key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderName(pub &'static str);

impl<'de> Deserialize<'de> for HeaderName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<HeaderName, D::Error> {
        Ok(HeaderName(String::deserialize(d)?.leak()))
    }
}

impl Probe {
    /// The credentials a way of authenticating needs: a signature also signs every credential
    /// its headers name.
    pub fn needs(&self, how: CheckAuth) -> Vec<ProbeCredential> {
        let mut v = how.needs();
        if let CheckAuth::HttpSignature { .. } = how {
            let named = self.headers.iter().flat_map(|(_, value)| placeholders(value));
            v.extend(named.filter_map(|f| ProbeCredential::ALL.into_iter().find(|k| k.as_str() == f)));
        }
        v
    }
}

fn leak_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static [CheckAuth], D::Error> {
    Ok(Vec::deserialize(d)?.leak())
}

fn leak_headers<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static [(&'static str, &'static str)], D::Error> {
    let map = BTreeMap::<String, String>::deserialize(d)?;
    Ok(map.into_iter().map(|(k, v)| (&*k.leak(), &*v.leak())).collect::<Vec<_>>().leak())
}

/// May the same payment or request be sent again, and when (a stable part of `--json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Do not retry this card or request: a hard decline, fraud, or it is already done.
    Never,
    /// Only after changing something: credentials, data, authentication, a setting.
    AfterFix,
    /// The same request may succeed later: wait, then retry (with the same idempotency key).
    Later,
    /// An immediate retry is fine.
    Now,
}

impl Retry {
    pub const ALL: [Retry; 4] = [Retry::Never, Retry::AfterFix, Retry::Later, Retry::Now];

    pub fn as_str(self) -> &'static str {
        match self {
            Retry::Never => "never",
            Retry::AfterFix => "after_fix",
            Retry::Later => "later",
            Retry::Now => "now",
        }
    }

    pub fn parse(s: &str) -> Option<Retry> {
        Retry::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The reason for a verdict an entry states without one of its own.
    pub fn plain_why(self) -> &'static str {
        match self {
            Retry::Never => "The provider's answer is final for this request: sending it again gets the same result.",
            Retry::AfterFix => "Sending the same request again gets the same error: change what the fix says first.",
            Retry::Later => "The condition is temporary: retry after a wait, with the same idempotency key.",
            Retry::Now => "The failure is transient: an immediate retry with the same idempotency key is safe.",
        }
    }
}

/// What a knowledge file describes: a payment provider, or a provider-independent layer
/// (card-network and issuer codes, transport failures) that provider entries link to.
pub const FILE_KINDS: &[&str] = &["provider", "network"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub provider: RawProvider,
    #[serde(default)]
    pub error: Vec<RawEntry>,
    #[serde(default)]
    pub compact: Option<RawCompact>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProvider {
    pub id: String,
    /// `provider` (the default) or `network`: a provider-independent layer.
    #[serde(default)]
    pub kind: String,
    /// Required for a new provider; an overlay of a known provider may omit it.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The id is an everyday word of payment text (`checkout`, `square`): alone it does not
    /// name the provider, its markers and hosts do.
    #[serde(default)]
    pub common_word: bool,
    /// Required for a new provider; an overlay of a known provider may omit it.
    #[serde(default)]
    pub docs: String,
    /// The hosts of the provider's own documentation: every entry's `docs` link is on one.
    #[serde(default)]
    pub docs_hosts: Vec<String>,
    #[serde(default)]
    pub auth: Vec<String>,
    #[serde(default)]
    pub markers: Vec<String>,
    #[serde(default)]
    pub fields: Vec<String>,
    #[serde(default)]
    pub code_fields: Vec<String>,
    #[serde(default)]
    pub class_fields: Vec<String>,
    #[serde(default)]
    pub exceptions: Vec<String>,
    /// Prefixes of the provider's object ids (`ch_`, `cus_`): an id of that shape in the
    /// input points at the provider.
    #[serde(default)]
    pub ids: Vec<String>,
    /// Conventional environment variable names per credential kind (the SDKs' names).
    #[serde(default)]
    pub env_vars: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub token: Option<RawToken>,
    #[serde(default)]
    pub rate_limit: Option<RawRateLimit>,
    #[serde(default)]
    pub environments: Vec<RawEnvironment>,
    /// How a live probe authenticates (none: the provider cannot be probed).
    #[serde(default)]
    pub probe: Option<Probe>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawToken {
    pub endpoint: String,
    #[serde(default)]
    pub lifetime_seconds: Option<u64>,
    #[serde(default)]
    pub client_auth: Option<String>,
    #[serde(default)]
    pub scope: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRateLimit {
    pub requests_per_second: f64,
    #[serde(default)]
    pub scope: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnvironment {
    pub env: String,
    #[serde(default)]
    pub base_url: String,
    #[serde(default)]
    pub hosts: Vec<String>,
    #[serde(default)]
    pub check: String,
    #[serde(default)]
    pub token_endpoint: String,
    #[serde(default)]
    pub credentials: Vec<RawCredential>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCredential {
    pub prefix: String,
    pub kind: String,
    #[serde(default)]
    pub pattern: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    pub id: String,
    #[serde(default)]
    pub codes: Vec<String>,
    #[serde(default)]
    pub status: Vec<u16>,
    pub category: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub messages: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
    #[serde(default)]
    pub exceptions: Vec<String>,
    #[serde(default)]
    pub endpoints: Vec<String>,
    /// Message wording not quoted from a source: matched by meaning, never verbatim.
    #[serde(default)]
    pub paraphrases: Vec<String>,
    #[serde(default)]
    pub retryable: Option<bool>,
    #[serde(default)]
    pub retry: Option<String>,
    #[serde(default)]
    pub retry_why: String,
    /// `layer:code` of the network-layer entry this code wraps (`iso8583:51`).
    #[serde(default)]
    pub network: String,
    #[serde(default)]
    pub generic: bool,
    #[serde(default)]
    pub docs: Vec<String>,
    /// Where the facts come from beyond `docs`: an SDK file, a spec, a thread.
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub samples: Vec<String>,
    #[serde(default)]
    pub fixes: Vec<String>,
    #[serde(default)]
    pub causes: Vec<RawCause>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCause {
    pub summary: String,
    #[serde(default)]
    pub likelihood: Option<f32>,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub when: Vec<String>,
    #[serde(default)]
    pub probe: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCompact {
    #[serde(default)]
    pub entries: Vec<RawCompactEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum StatusList {
    One(u16),
    Many(Vec<u16>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCompactEntry {
    pub code: String,
    #[serde(default)]
    pub status: Option<StatusList>,
    pub category: String,
    pub title: String,
    pub cause: String,
    pub fix: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// `message` is a paraphrase, not quoted from a source.
    #[serde(default)]
    pub paraphrase: bool,
    #[serde(default)]
    pub docs: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub retryable: Option<bool>,
    #[serde(default)]
    pub retry: Option<String>,
    #[serde(default)]
    pub retry_why: String,
    #[serde(default)]
    pub network: String,
    #[serde(default)]
    pub generic: bool,
    #[serde(default)]
    pub probe: Option<String>,
}

/// One problem found in a knowledge file, naming the file and (when known) the entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub file: String,
    pub entry: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.entry {
            Some(e) => write!(f, "{}: entry `{}`: {}", self.file, e, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The validated, flattened knowledge (owned). build.rs prints it as Rust statics; the
// binary leaks it into the same static shapes for `--kb DIR`.

#[derive(Debug, Clone)]
pub struct Provider {
    pub id: String,
    pub name: String,
    /// A provider-independent layer (`kind = "network"`), not a payment provider.
    pub network: bool,
    pub aliases: Vec<String>,
    /// The id is an everyday word: alone it does not name the provider.
    pub common_word: bool,
    pub docs: String,
    pub docs_hosts: Vec<String>,
    pub auth: Vec<String>,
    pub markers: Vec<String>,
    pub fields: Vec<String>,
    pub code_fields: Vec<String>,
    pub class_fields: Vec<String>,
    pub exceptions: Vec<String>,
    pub ids: Vec<String>,
    pub env_vars: Vec<(String, Vec<String>)>,
    pub token_endpoint: String,
    pub token_lifetime_seconds: u64,
    pub token_client_auth: String,
    pub token_scope: String,
    pub rate_limit_rps: f64,
    pub rate_limit_scope: String,
    pub environments: Vec<Environment>,
    pub probe: Option<Probe>,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Environment {
    pub env: String,
    pub base_url: String,
    pub hosts: Vec<String>,
    pub check: String,
    pub token_endpoint: String,
    pub credentials: Vec<Credential>,
}

#[derive(Debug, Clone)]
pub struct Credential {
    pub prefix: String,
    pub kind: String,
    pub pattern: String,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub provider: usize,
    pub id: String,
    pub codes: Vec<String>,
    pub status: Vec<u16>,
    pub category: String,
    pub title: String,
    pub summary: String,
    pub messages: Vec<String>,
    pub patterns: Vec<String>,
    pub exceptions: Vec<String>,
    pub endpoints: Vec<String>,
    pub paraphrases: Vec<String>,
    /// None: the category's verdict.
    pub retry: Option<Retry>,
    pub retry_why: String,
    /// `layer:code` of the network-layer entry this code wraps (empty: none).
    pub network: String,
    /// A catch-all code many different errors share: more specific evidence wins.
    pub generic: bool,
    pub docs: Vec<String>,
    pub sources: Vec<String>,
    pub samples: Vec<String>,
    pub fixes: Vec<String>,
    pub causes: Vec<Cause>,
    pub compact: bool,
    /// The file the entry came from (`knowledge/x.toml`, or a company file).
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Cause {
    pub summary: String,
    pub likelihood: f32,
    pub evidence: String,
    pub when: Vec<String>,
    pub probe: String,
}

/// What a phrase found in the input points at.
pub const PHRASE_MESSAGE: u8 = 0;
pub const PHRASE_EXCEPTION: u8 = 1;
pub const PHRASE_MARKER: u8 = 2;
pub const PHRASE_PROVIDER_EXCEPTION: u8 = 3;

#[derive(Debug, Clone)]
pub struct Phrase {
    /// Lower-cased, white space folded; `*` separates parts that must appear in order.
    pub text: String,
    pub kind: u8,
    /// Entry index for messages and entry exceptions, provider index otherwise.
    pub target: usize,
}

#[derive(Debug, Clone)]
pub struct Prefix {
    pub prefix: String,
    pub provider: usize,
    pub env: String,
    pub kind: String,
    pub pattern: String,
}

#[derive(Debug, Clone)]
pub struct Host {
    /// Lower-case host name; a leading `*.` matches any sub-domain.
    pub pattern: String,
    pub provider: usize,
    pub env: String,
}

/// Everything the engine needs, with sorted indexes for lookups that cost nothing at start-up.
#[derive(Debug, Clone, Default)]
pub struct Compiled {
    pub providers: Vec<Provider>,
    pub entries: Vec<Entry>,
    /// (normalised code, entry), sorted.
    pub codes: Vec<(String, usize)>,
    pub phrases: Vec<Phrase>,
    /// (anchor word, phrase), sorted: a phrase is verified only when its anchor word occurs.
    pub words: Vec<(String, usize)>,
    /// (field name as [`norm_field`] spells it, provider), sorted.
    pub fields: Vec<(String, usize)>,
    /// Normalised names of fields whose values are error codes, sorted.
    pub code_fields: Vec<String>,
    /// Credential prefixes, longest first.
    pub prefixes: Vec<Prefix>,
    pub hosts: Vec<Host>,
}

/// Lower-case, and every run of characters other than ASCII letters and digits becomes one
/// `_`: `INVALID-TOKEN`, `invalid token` and `invalid_token` are the same code.
pub fn norm_code(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if pending && !out.is_empty() {
                out.push('_');
            }
            pending = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending = true;
        }
    }
    out
}

/// A field name as a fingerprint: lower-case letters and digits only, so `errorId`,
/// `error_id` and a log's `Error ID:` are the same field.
pub fn norm_field(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Lower-case and fold white space, the form phrases are stored and searched in.
pub fn norm_phrase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The longest run of ASCII letters/digits in a normalised phrase: phrases are looked up by it.
pub fn anchor_word(phrase: &str) -> Option<&str> {
    phrase.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.len() >= 3).max_by_key(|w| w.len())
}

/// The sample a compact entry must round-trip: how a user would type it.
pub fn compact_sample(provider_id: &str, entry: &Entry) -> String {
    let code = entry.codes.first().map(String::as_str).unwrap_or(&entry.id);
    match entry.status.first() {
        Some(s) => format!("{provider_id}:{code} {s}"),
        None => format!("{provider_id}:{code}"),
    }
}

struct Ctx<'a> {
    file: &'a str,
    problems: &'a mut Vec<Problem>,
}

impl Ctx<'_> {
    fn err(&mut self, entry: Option<&str>, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.to_string(),
            entry: entry.map(str::to_string),
            message: message.into(),
        });
    }
}

fn check_url(ctx: &mut Ctx, entry: Option<&str>, what: &str, url: &str) {
    if !url.starts_with("https://") || url.len() < 12 || url.contains(char::is_whitespace) {
        ctx.err(entry, format!("{what} `{url}` is not an https:// URL"));
    }
}

/// A token endpoint: `POST https://host/path`.
fn check_token_endpoint(ctx: &mut Ctx, req: &str) {
    let mut parts = req.split_whitespace();
    let ok = parts.next() == Some("POST")
        && parts.next().is_some_and(|u| u.starts_with("https://") && u.len() > 12)
        && parts.next().is_none();
    if !ok {
        ctx.err(None, format!("token_endpoint `{req}` is not `POST https://host/path`"));
    }
}

/// An environment's cheap check: `GET /path` or `POST /path` (a query allowed).
fn is_check_request(check: &str) -> bool {
    let mut parts = check.split_whitespace();
    matches!(parts.next(), Some("GET" | "POST"))
        && parts.next().is_some_and(|p| p.starts_with('/'))
        && parts.next().is_none()
}

/// A lower-case host name is the host a `hosts` pattern names (`*.` matches any sub-domain).
pub fn host_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(suffix) => {
            host.len() > suffix.len()
                && host.ends_with(suffix)
                && host.as_bytes()[host.len() - suffix.len() - 1] == b'.'
        }
        None => host == pattern,
    }
}

/// The host of an `https://host[:port]/...` URL, lower-case.
fn url_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority.rsplit_once(':').map_or(authority, |(h, _)| h).to_ascii_lowercase()
}

/// `[provider.probe]`: ways to authenticate, and every environment it can be aimed at has what
/// the probe sends there (base URL, check, and a token endpoint for the OAuth ways), on hosts
/// the environment documents: credentials go nowhere else.
fn check_probe(ctx: &mut Ctx, probe: &Probe, environments: &[Environment]) {
    if probe.auth.is_empty() {
        ctx.err(None, "probe `auth` is empty: name at least one way the check authenticates");
    }
    if environments.is_empty() {
        ctx.err(None, "probe: the provider has no [[provider.environments]] to probe");
    }
    let oauth = probe.auth.iter().find(|a| a.uses_token());
    let signed = probe.auth.iter().any(|a| matches!(a, CheckAuth::HttpSignature { .. }));
    for env in environments {
        let e = &env.env;
        if env.base_url.is_empty() {
            ctx.err(None, format!("probe: environment `{e}` has no `base_url`"));
        }
        if env.check.is_empty() {
            ctx.err(
                None,
                format!("probe: environment `{e}` has no `check` (the cheap authenticated read, `GET /path`)"),
            );
        } else if !is_check_request(&env.check) {
            ctx.err(
                None,
                format!("probe: environment `{e}`: check `{}` is not `GET /path` or `POST /path`", env.check),
            );
        } else if signed && !env.check.starts_with("GET ") {
            ctx.err(None, format!("probe: environment `{e}`: http_signature signs a GET check (no body digest)"));
        }
        if let Some(a) = oauth.filter(|_| env.token_endpoint.is_empty()) {
            ctx.err(None, format!("probe: auth `{}` needs a `token_endpoint` in environment `{e}`", a.as_str()));
        }
        let token_url = env.token_endpoint.split_whitespace().nth(1).unwrap_or("");
        for (what, url) in [("base_url", env.base_url.as_str()), ("token_endpoint", token_url)] {
            let host = url_host(url);
            if !url.is_empty() && !env.hosts.iter().any(|h| host_matches(h, &host)) {
                ctx.err(None, format!("probe: environment `{e}`: the {what} host `{host}` is not in its `hosts`"));
            }
        }
    }
    let header_name = |h: &str| !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    for a in probe.auth {
        if let CheckAuth::ApiKeyHeader { header: HeaderName(header), .. } = a {
            if !header_name(header) {
                ctx.err(None, format!("probe: api_key_header `{header}` is not a header name (letters, digits, `-`)"));
            }
        }
    }
    for (name, value) in probe.headers {
        if !header_name(name) {
            ctx.err(None, format!("probe: header `{name}` is not a header name (letters, digits, `-`)"));
        }
        for field in placeholders(value) {
            let known = field == "version" || ProbeCredential::ALL.iter().any(|k| k.as_str() == field);
            if !known {
                let kinds: Vec<&str> = ProbeCredential::ALL.iter().map(|k| k.as_str()).collect();
                ctx.err(
                    None,
                    format!(
                        "probe: header `{name}` names `{{{field}}}` (expected {{version}} or one of: {})",
                        kinds.join(", ")
                    ),
                );
            }
        }
    }
}

/// The `{field}` names of a header value template.
pub fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(field, _)| field))
}

fn check_regex(ctx: &mut Ctx, entry: Option<&str>, what: &str, re: &str) {
    if let Err(e) = regex::Regex::new(re) {
        let first = e.to_string().lines().last().unwrap_or("").trim().to_string();
        ctx.err(entry, format!("{what} regex `{re}` does not compile: {first}"));
    }
}

fn check_phrase(ctx: &mut Ctx, entry: Option<&str>, what: &str, phrase: &str) {
    let n = norm_phrase(phrase);
    if n.replace('*', "").trim().len() < 4 {
        ctx.err(entry, format!("{what} `{phrase}` is too short to match on (4 characters at least)"));
    } else if anchor_word(&n).is_none() {
        ctx.err(entry, format!("{what} `{phrase}` has no word of 3 letters or more to look it up by"));
    }
}

fn in_vocab(ctx: &mut Ctx, entry: Option<&str>, what: &str, value: &str, vocab: &[&str]) {
    if !vocab.contains(&value) {
        ctx.err(entry, format!("unknown {what} `{value}` (expected one of: {})", vocab.join(", ")));
    }
}

/// The sub-folder of a knowledge folder that holds the provider-independent layers.
pub const LAYER_DIR: &str = "network";

/// Every `*.toml` of a knowledge folder and of its [`LAYER_DIR`], sorted by path.
pub fn knowledge_files(dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut v = Vec::new();
    for d in [dir.to_path_buf(), dir.join(LAYER_DIR)] {
        if d != dir && !d.is_dir() {
            continue;
        }
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if !p.is_dir() && p.extension().is_some_and(|x| x == "toml") {
                v.push(p);
            }
        }
    }
    v.sort();
    Ok(v)
}

/// Parse one knowledge file. Errors are one line each, naming the file, line and column.
///
/// A large file is parsed in pieces of whole `[[error]]` tables: the TOML parser holds
/// several times its input in tokens and tables, so a file of many thousand entries would
/// otherwise cost many times its size at once. A file the pieces do not read back as one
/// (anything unusual, any mistake) is parsed whole, for the same result and messages.
pub fn parse_file(file: &str, text: &str) -> Result<RawFile, Problem> {
    if text.len() > PIECE {
        if let Some(raw) = parse_pieces(text) {
            return Ok(raw);
        }
    }
    toml::from_str::<RawFile>(text).map_err(|e| {
        let location = e
            .span()
            .map(|span| {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!("line {line}: ")
            })
            .unwrap_or_default();
        Problem { file: file.to_string(), entry: None, message: format!("{location}{}", e.message()) }
    })
}

/// The size of the pieces a large knowledge file is parsed in.
const PIECE: usize = 256 << 10;

/// One piece of a knowledge file (see [`parse_file`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPiece {
    #[serde(default)]
    provider: Option<RawProvider>,
    #[serde(default)]
    error: Vec<RawEntry>,
    #[serde(default)]
    compact: Option<RawCompact>,
}

/// `text` read in pieces cut before top-level `[[error]]` headers: `None` unless every piece
/// parses and together they hold one `[provider]` and at most one `[compact]`.
fn parse_pieces(text: &str) -> Option<RawFile> {
    let (mut provider, mut error, mut compact) = (None, Vec::new(), None);
    let mut start = 0;
    for end in error_headers(text).chain([text.len()]) {
        if end - start < PIECE && end < text.len() {
            continue;
        }
        let piece: RawPiece = toml::from_str(&text[start..end]).ok()?;
        start = end;
        if piece.provider.is_some() && provider.is_some() || piece.compact.is_some() && compact.is_some() {
            return None;
        }
        provider = provider.or(piece.provider);
        compact = compact.or(piece.compact);
        error.extend(piece.error);
    }
    Some(RawFile { provider: provider?, error, compact })
}

/// Offsets of the lines that open an `[[error]]` table at the top level of a TOML text: not
/// inside a string, an array or an inline table.
fn error_headers(text: &str) -> impl Iterator<Item = usize> + '_ {
    let (mut depth, mut multiline): (i32, Option<&str>) = (0, None);
    let mut at = 0;
    text.split_inclusive('\n').filter_map(move |line| {
        let start = at;
        at += line.len();
        let header = depth == 0 && multiline.is_none() && line.trim_start().starts_with("[[error]]");
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if let Some(close) = multiline {
                match b[i] {
                    b'\\' if close == "\"\"\"" => i += 1,
                    _ if b[i..].starts_with(close.as_bytes()) => {
                        multiline = None;
                        i += 2;
                    }
                    _ => {}
                }
            } else {
                match b[i] {
                    b'#' => break,
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => depth -= 1,
                    q @ (b'"' | b'\'') => {
                        let triple = if q == b'"' { "\"\"\"" } else { "'''" };
                        if b[i..].starts_with(triple.as_bytes()) {
                            multiline = Some(triple);
                            i += 2;
                        } else {
                            // a one-line string: to its closing quote (a `\` escapes in "…")
                            i += 1;
                            while i < b.len() && b[i] != q {
                                i += if q == b'"' && b[i] == b'\\' { 2 } else { 1 };
                            }
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        header.then_some(start)
    })
}

/// Validate and flatten parsed files (each with the path it came from) into [`Compiled`],
/// over `base` (empty for the embedded knowledge; the embedded knowledge for company files).
/// Problems are collected, not fatal, so an author sees all of them at once. Files are taken
/// one at a time, so a caller can read and parse each only when it comes.
///
/// A file whose provider id is in `base` is an overlay. Its `[provider]` needs only `id`; `name`, `docs`,
/// `token` and `rate_limit` replace the known ones when given, lists (aliases, markers,
/// fields, ...) are added to them, an environment already known gets its hosts and
/// credentials added. Its entries are added, and one with the id of a known entry replaces it.
pub fn compile(base: Compiled, files: impl IntoIterator<Item = (String, RawFile)>) -> (Compiled, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut out = base;
    let mut provider_ids: HashMap<String, String> = HashMap::new();

    for (file, raw) in files {
        let mut ctx = Ctx { file: &file, problems: &mut problems };
        let p = &raw.provider;
        let pid = p.id.as_str();
        if pid.is_empty() || !pid.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
            ctx.err(None, format!("provider id `{pid}` must be lower-case letters and digits"));
        }
        for x in &p.ids {
            let shape = x.len() >= 3
                && x.ends_with(['_', '-'])
                && x.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !shape {
                ctx.err(None, format!("id prefix `{x}` must be 3+ letters, digits, `_` or `-`, ending in `_` or `-`"));
            }
        }
        let stem = std::path::Path::new(&file).file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem != pid {
            ctx.err(None, format!("provider id `{pid}` does not match the file name `{stem}.toml`"));
        }
        if let Some(other) = provider_ids.insert(pid.to_string(), file.clone()) {
            ctx.err(None, format!("duplicate provider id `{pid}` (also in {other})"));
            continue;
        }
        let known = out.providers.iter().position(|q| q.id == pid);
        if known.is_none() {
            if p.name.trim().is_empty() {
                ctx.err(
                    None,
                    "provider `name` is missing or empty (required unless the file overlays an embedded provider)",
                );
            }
            if p.docs.is_empty() {
                ctx.err(None, "provider `docs` is missing (required unless the file overlays an embedded provider)");
            }
        }
        if !p.docs.is_empty() {
            check_url(&mut ctx, None, "provider docs", &p.docs);
        }
        if !p.kind.is_empty() {
            in_vocab(&mut ctx, None, "kind", &p.kind, FILE_KINDS);
        }
        let network = p.kind == "network";
        if network && (!p.environments.is_empty() || p.token.is_some() || !p.auth.is_empty() || p.probe.is_some()) {
            ctx.err(None, "a network layer has no environments, token, auth or probe: those belong to providers");
        }
        for h in &p.docs_hosts {
            if !h.contains('.') || h.contains(['/', ':', ' ', '*']) {
                ctx.err(None, format!("docs host `{h}` is not a host name"));
            }
        }
        for a in &p.auth {
            in_vocab(&mut ctx, None, "auth scheme", a, AUTH_SCHEMES);
        }
        for m in &p.markers {
            check_phrase(&mut ctx, None, "marker", m);
        }
        for e in &p.exceptions {
            check_phrase(&mut ctx, None, "exception", e);
        }
        let mut seen_env = HashSet::new();
        for env in &p.environments {
            in_vocab(&mut ctx, None, "environment", &env.env, ENVIRONMENTS);
            if !seen_env.insert(env.env.clone()) {
                ctx.err(None, format!("environment `{}` is listed twice", env.env));
            }
            if !env.base_url.is_empty() && !env.base_url.starts_with("https://") {
                ctx.err(None, format!("base_url `{}` is not https://", env.base_url));
            }
            if !env.token_endpoint.is_empty() {
                check_token_endpoint(&mut ctx, &env.token_endpoint);
            }
            for h in &env.hosts {
                let bare = h.trim_start_matches("*.");
                if bare.is_empty() || !bare.contains('.') || bare.contains(['/', ':', ' ', '*']) {
                    ctx.err(None, format!("host `{h}` is not a host name (no scheme or path; `*.` prefix allowed)"));
                }
            }
            for c in &env.credentials {
                in_vocab(&mut ctx, None, "credential kind", &c.kind, CREDENTIAL_KINDS);
                if c.prefix.len() < 2 {
                    ctx.err(None, format!("credential prefix `{}` is too short", c.prefix));
                }
                if !c.pattern.is_empty() {
                    check_regex(&mut ctx, None, "credential", &c.pattern);
                }
            }
        }
        if let Some(t) = &p.token {
            if let Some(a) = &t.client_auth {
                in_vocab(&mut ctx, None, "token client_auth", a, TOKEN_CLIENT_AUTH);
            }
        }
        for (kind, names) in &p.env_vars {
            in_vocab(&mut ctx, None, "env_vars credential kind", kind, CREDENTIAL_KINDS);
            for n in names {
                let ok = n.starts_with(|c: char| c.is_ascii_uppercase())
                    && n.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                if !ok {
                    ctx.err(None, format!("env_vars name `{n}` is not an environment variable name (A-Z, 0-9, _)"));
                }
            }
        }
        if let Some(r) = &p.rate_limit {
            if r.requests_per_second <= 0.0 || !r.requests_per_second.is_finite() {
                ctx.err(None, "rate_limit.requests_per_second must be a positive number");
            }
        }

        let provider = Provider {
            id: p.id.clone(),
            name: p.name.clone(),
            network,
            aliases: p.aliases.clone(),
            common_word: p.common_word,
            docs: p.docs.clone(),
            docs_hosts: p.docs_hosts.iter().map(|h| h.to_ascii_lowercase()).collect(),
            auth: p.auth.clone(),
            markers: p.markers.clone(),
            fields: p.fields.clone(),
            code_fields: p.code_fields.iter().map(|f| norm_code(f)).collect(),
            class_fields: p.class_fields.iter().map(|f| norm_code(f)).collect(),
            exceptions: p.exceptions.clone(),
            ids: p.ids.clone(),
            env_vars: p.env_vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            token_endpoint: p.token.as_ref().map(|t| t.endpoint.clone()).unwrap_or_default(),
            token_lifetime_seconds: p.token.as_ref().and_then(|t| t.lifetime_seconds).unwrap_or(0),
            token_client_auth: p.token.as_ref().and_then(|t| t.client_auth.clone()).unwrap_or_else(|| "basic".into()),
            token_scope: p.token.as_ref().map(|t| t.scope.clone()).unwrap_or_default(),
            rate_limit_rps: p.rate_limit.as_ref().map(|r| r.requests_per_second).unwrap_or(0.0),
            rate_limit_scope: p.rate_limit.as_ref().map(|r| r.scope.clone()).unwrap_or_default(),
            environments: p
                .environments
                .iter()
                .map(|e| Environment {
                    env: e.env.clone(),
                    base_url: e.base_url.clone(),
                    hosts: e.hosts.iter().map(|h| h.to_ascii_lowercase()).collect(),
                    check: e.check.clone(),
                    token_endpoint: e.token_endpoint.clone(),
                    credentials: e
                        .credentials
                        .iter()
                        .map(|c| Credential {
                            prefix: c.prefix.clone(),
                            kind: c.kind.clone(),
                            pattern: c.pattern.clone(),
                            note: c.note.clone(),
                        })
                        .collect(),
                })
                .collect(),
            probe: p.probe,
            source: file.clone(),
        };
        let provider_index = match known {
            Some(i) => {
                overlay_provider(&mut out.providers[i], provider);
                i
            }
            None => {
                out.providers.push(provider);
                out.providers.len() - 1
            }
        };
        // Checked as merged: an overlay may give the probe and leave the environments known.
        if let (Some(probe), Some(merged)) = (&p.probe, out.providers.get(provider_index)) {
            check_probe(&mut ctx, probe, &merged.environments);
        }
        let docs_hosts = out.providers[provider_index].docs_hosts.clone();
        let layer = out.providers[provider_index].network;

        let mut ids: HashSet<String> = HashSet::new();
        let mut codes: HashMap<String, String> = HashMap::new();
        // An overlay's codes must not collide with the known entries it does not replace.
        if known.is_some() {
            let redefined: HashSet<String> = raw
                .error
                .iter()
                .map(|e| e.id.clone())
                .chain(raw.compact.iter().flat_map(|c| &c.entries).map(|c| norm_code(&c.code)))
                .collect();
            for e in out.entries.iter().filter(|e| e.provider == provider_index && !redefined.contains(&e.id)) {
                for c in &e.codes {
                    codes.insert(norm_code(c), e.id.clone());
                }
            }
        }
        let mut entries = Vec::new();
        let mut claim_code = |ctx: &mut Ctx, id: &str, code: &str| {
            let n = norm_code(code);
            if n.is_empty() {
                ctx.err(Some(id), format!("code `{code}` has no letters or digits"));
            } else if let Some(other) = codes.insert(n.clone(), id.to_string()) {
                if other != id {
                    ctx.err(Some(id), format!("code `{code}` is also claimed by entry `{other}`"));
                }
            }
        };

        // The entries are moved out of the parsed file, not copied: a file may hold thousands.
        for e in raw.error {
            let id = e.id.as_str();
            if id.is_empty() {
                ctx.err(None, "an [[error]] has an empty id");
            }
            if !ids.insert(id.to_string()) {
                ctx.err(Some(id), "duplicate entry id");
            }
            for c in &e.codes {
                claim_code(&mut ctx, id, c);
            }
            in_vocab(&mut ctx, Some(id), "category", &e.category, CATEGORIES);
            for s in &e.status {
                if !(100..=599).contains(s) {
                    ctx.err(Some(id), format!("status {s} is not an HTTP status"));
                }
            }
            if e.title.trim().is_empty() {
                ctx.err(Some(id), "title is empty");
            }
            if e.causes.is_empty() {
                ctx.err(Some(id), "a rich entry needs at least one [[error.causes]]");
            }
            if e.fixes.is_empty() {
                ctx.err(Some(id), "a rich entry needs at least one fix");
            }
            if e.samples.is_empty() {
                ctx.err(Some(id), "a rich entry needs at least one sample that matches back to it");
            }
            if e.codes.is_empty()
                && e.status.is_empty()
                && e.messages.is_empty()
                && e.exceptions.is_empty()
                && e.patterns.is_empty()
            {
                ctx.err(Some(id), "nothing to match on: give codes, status, messages, exceptions or patterns");
            }
            for m in &e.messages {
                check_phrase(&mut ctx, Some(id), "message", m);
            }
            for x in &e.exceptions {
                check_phrase(&mut ctx, Some(id), "exception", x);
            }
            for re in &e.patterns {
                check_regex(&mut ctx, Some(id), "pattern", re);
            }
            for ep in &e.endpoints {
                let method = ep.split_whitespace().next().unwrap_or("");
                let ok = ep.split_whitespace().count() == 2
                    && ["GET", "POST", "PUT", "PATCH", "DELETE", "ANY"].contains(&method)
                    && ep.split_whitespace().nth(1).is_some_and(|p| p.starts_with('/'));
                if !ok {
                    ctx.err(Some(id), format!("endpoint `{ep}` is not `METHOD /path`"));
                }
            }
            for d in &e.docs {
                check_url(&mut ctx, Some(id), "docs", d);
                check_docs_host(&mut ctx, Some(id), &docs_hosts, d);
            }
            for m in &e.paraphrases {
                check_phrase(&mut ctx, Some(id), "paraphrase", m);
            }
            check_sources(&mut ctx, Some(id), &e.sources);
            let retry = check_retry(&mut ctx, Some(id), &e.retry, &e.retry_why, e.retryable, &e.category, layer);
            check_link_shape(&mut ctx, Some(id), &e.network);
            for c in &e.causes {
                if let Some(l) = c.likelihood {
                    if !(0.0..=1.0).contains(&l) {
                        ctx.err(Some(id), format!("cause likelihood {l} is outside 0..1"));
                    }
                }
                if let Some(p) = &c.probe {
                    in_vocab(&mut ctx, Some(id), "probe", p, PROBES);
                }
                for w in &c.when {
                    if w.starts_with('@') {
                        in_vocab(&mut ctx, Some(id), "condition", w, CONDITIONS);
                    } else if norm_phrase(w).chars().filter(char::is_ascii_alphanumeric).count() < 2 {
                        ctx.err(Some(id), format!("`when` phrase `{w}` needs 2 letters or digits at least"));
                    }
                }
            }
            let n = e.causes.len().max(1) as f32;
            entries.push(Entry {
                provider: provider_index,
                id: e.id,
                codes: e.codes,
                status: e.status,
                category: e.category,
                title: e.title,
                summary: e.summary,
                messages: e.messages,
                patterns: e.patterns,
                exceptions: e.exceptions,
                endpoints: e.endpoints,
                paraphrases: e.paraphrases,
                retry,
                retry_why: e.retry_why,
                network: e.network,
                generic: e.generic,
                docs: e.docs,
                sources: e.sources,
                samples: e.samples,
                fixes: e.fixes,
                causes: e
                    .causes
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| Cause {
                        summary: c.summary,
                        // Without a stated prior, the listed order is the ranking.
                        likelihood: c.likelihood.unwrap_or((n - i as f32) / (n * (n + 1.0) / 2.0)),
                        evidence: c.evidence,
                        when: c.when,
                        probe: c.probe.unwrap_or_else(|| "none".into()),
                    })
                    .collect(),
                compact: false,
                source: file.clone(),
            });
        }

        for c in raw.compact.iter().flat_map(|c| &c.entries) {
            let id = norm_code(&c.code);
            if !ids.insert(id.clone()) {
                ctx.err(Some(&c.code), "duplicate entry id (compact code equals another entry's id)");
            }
            claim_code(&mut ctx, &id, &c.code);
            for a in &c.aliases {
                claim_code(&mut ctx, &id, a);
            }
            in_vocab(&mut ctx, Some(&c.code), "category", &c.category, CATEGORIES);
            let status = match &c.status {
                None => vec![],
                Some(StatusList::One(s)) => vec![*s],
                Some(StatusList::Many(v)) => v.clone(),
            };
            for s in &status {
                if !(100..=599).contains(s) {
                    ctx.err(Some(&c.code), format!("status {s} is not an HTTP status"));
                }
            }
            for (what, text) in [("title", &c.title), ("cause", &c.cause), ("fix", &c.fix)] {
                if text.trim().is_empty() {
                    ctx.err(Some(&c.code), format!("{what} is empty"));
                }
            }
            if let Some(m) = &c.message {
                check_phrase(&mut ctx, Some(&c.code), "message", m);
            } else if c.paraphrase {
                ctx.err(Some(&c.code), "`paraphrase = true` needs a `message`");
            }
            if let Some(d) = &c.docs {
                check_url(&mut ctx, Some(&c.code), "docs", d);
                check_docs_host(&mut ctx, Some(&c.code), &docs_hosts, d);
            }
            check_sources(&mut ctx, Some(&c.code), c.source.as_slice());
            let retry = check_retry(&mut ctx, Some(&c.code), &c.retry, &c.retry_why, c.retryable, &c.category, layer);
            check_link_shape(&mut ctx, Some(&c.code), &c.network);
            let (messages, paraphrases) = match &c.message {
                Some(m) if c.paraphrase => (vec![], vec![m.clone()]),
                m => (m.iter().cloned().collect(), vec![]),
            };
            if let Some(p) = &c.probe {
                in_vocab(&mut ctx, Some(&c.code), "probe", p, PROBES);
            }
            let mut codes = vec![c.code.clone()];
            codes.extend(c.aliases.iter().cloned());
            entries.push(Entry {
                provider: provider_index,
                id,
                codes,
                status,
                category: c.category.clone(),
                title: c.title.clone(),
                summary: String::new(),
                messages,
                patterns: vec![],
                exceptions: vec![],
                endpoints: vec![],
                paraphrases,
                retry,
                retry_why: c.retry_why.clone(),
                network: c.network.clone(),
                generic: c.generic,
                docs: vec![c.docs.clone().unwrap_or_else(|| p.docs.clone())],
                sources: c.source.iter().cloned().collect(),
                samples: vec![],
                fixes: vec![c.fix.clone()],
                causes: vec![Cause {
                    summary: c.cause.clone(),
                    likelihood: 1.0,
                    evidence: String::new(),
                    when: vec![],
                    probe: c.probe.clone().unwrap_or_else(|| "none".into()),
                }],
                compact: true,
                source: file.clone(),
            });
        }
        // An overlay's entry replaces the known one with its id (looked up, not searched for:
        // a company file may hold many thousands).
        let mut at: HashMap<String, usize> = HashMap::new();
        if known.is_some() {
            for (j, x) in out.entries.iter().enumerate().filter(|(_, x)| x.provider == provider_index) {
                at.entry(x.id.clone()).or_insert(j);
            }
        }
        out.entries.reserve_exact(entries.len());
        for e in entries {
            match at.get(&e.id) {
                Some(&j) => out.entries[j] = e,
                None => {
                    if known.is_some() {
                        at.insert(e.id.clone(), out.entries.len());
                    }
                    out.entries.push(e);
                }
            }
        }
    }

    build_indexes(&mut out);
    check_links(&out, &mut problems);
    (out, problems)
}

/// A docs link must be on one of the provider's documentation hosts (when it lists them).
fn check_docs_host(ctx: &mut Ctx, entry: Option<&str>, hosts: &[String], url: &str) {
    let host = url.trim_start_matches("https://").split(['/', '?', '#']).next().unwrap_or("").to_ascii_lowercase();
    let ok = hosts.is_empty() || hosts.iter().any(|h| host == *h || host.ends_with(&format!(".{h}")));
    if !ok {
        ctx.err(
            entry,
            format!("docs `{url}` is not on the provider's docs hosts ({}): put it in `sources`", hosts.join(", ")),
        );
    }
}

fn check_sources(ctx: &mut Ctx, entry: Option<&str>, sources: &[String]) {
    for s in sources {
        if s.trim().len() < 8 {
            ctx.err(entry, format!("source `{s}` does not say where the facts come from"));
        } else if s.starts_with("http") {
            check_url(ctx, entry, "source", s);
        }
    }
}

/// The entry's retry verdict: `retry` (with its reason), else the legacy `retryable` flag,
/// else none (the category's). A network-layer entry must give its own, with the reason.
fn check_retry(
    ctx: &mut Ctx,
    entry: Option<&str>,
    retry: &Option<String>,
    why: &str,
    retryable: Option<bool>,
    category: &str,
    layer: bool,
) -> Option<Retry> {
    if let Some(r) = retry {
        let parsed = Retry::parse(r);
        if parsed.is_none() {
            let all: Vec<&str> = Retry::ALL.iter().map(|r| r.as_str()).collect();
            ctx.err(entry, format!("unknown retry `{r}` (expected one of: {})", all.join(", ")));
        }
        if retryable.is_some() {
            ctx.err(entry, "give `retry` or the older `retryable`, not both");
        }
        if layer && why.trim().is_empty() {
            ctx.err(entry, "a network-layer entry needs `retry_why`: the rule behind its verdict");
        }
        return parsed;
    }
    if layer {
        ctx.err(entry, "a network-layer entry needs `retry` and `retry_why`");
    }
    if !why.is_empty() {
        ctx.err(entry, "`retry_why` without `retry`");
    }
    retryable.map(|r| match (r, category) {
        (true, _) => Retry::Later,
        (false, "decline" | "duplicate_or_state") => Retry::Never,
        (false, _) => Retry::AfterFix,
    })
}

fn check_link_shape(ctx: &mut Ctx, entry: Option<&str>, link: &str) {
    if !link.is_empty() && link.split_once(':').is_none_or(|(l, c)| l.is_empty() || c.is_empty()) {
        ctx.err(entry, format!("network `{link}` is not `layer:code` (like `iso8583:51`)"));
    }
}

/// The network-layer entry a `layer:code` link names.
pub fn resolve_link(c: &Compiled, link: &str) -> Option<usize> {
    let (layer, code) = link.split_once(':')?;
    let p = c.providers.iter().position(|p| p.id == layer && p.network)?;
    let n = norm_code(code);
    let start = c.codes.partition_point(|(k, _)| *k < n);
    c.codes[start..].iter().take_while(|(k, _)| *k == n).map(|&(_, e)| e).find(|&e| c.entries[e].provider == p)
}

/// Every `network` link names an entry of a network layer (once there is any layer).
fn check_links(c: &Compiled, problems: &mut Vec<Problem>) {
    if !c.providers.iter().any(|p| p.network) {
        return;
    }
    for e in c.entries.iter().filter(|e| !e.network.is_empty()) {
        if e.network.contains(':') && resolve_link(c, &e.network).is_none() {
            problems.push(Problem {
                file: e.source.clone(),
                entry: Some(e.id.clone()),
                message: format!("network `{}` names no entry of a network layer", e.network),
            });
        }
    }
}

/// Lay an overlay's `[provider]` over a known provider (see [`compile`]).
fn overlay_provider(p: &mut Provider, o: Provider) {
    fn add(to: &mut Vec<String>, more: Vec<String>) {
        for m in more {
            if !to.contains(&m) {
                to.push(m);
            }
        }
    }
    if !o.name.trim().is_empty() {
        p.name = o.name;
    }
    if !o.docs.is_empty() {
        p.docs = o.docs;
    }
    add(&mut p.aliases, o.aliases);
    p.common_word |= o.common_word;
    add(&mut p.docs_hosts, o.docs_hosts);
    add(&mut p.auth, o.auth);
    add(&mut p.markers, o.markers);
    add(&mut p.fields, o.fields);
    add(&mut p.code_fields, o.code_fields);
    add(&mut p.class_fields, o.class_fields);
    add(&mut p.exceptions, o.exceptions);
    add(&mut p.ids, o.ids);
    for (kind, names) in o.env_vars {
        match p.env_vars.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, known)) => add(known, names),
            None => p.env_vars.push((kind, names)),
        }
    }
    if !o.token_endpoint.is_empty() {
        p.token_endpoint = o.token_endpoint;
        p.token_lifetime_seconds = o.token_lifetime_seconds;
        p.token_client_auth = o.token_client_auth;
        p.token_scope = o.token_scope;
    }
    if o.probe.is_some() {
        p.probe = o.probe;
    }
    if o.rate_limit_rps > 0.0 {
        p.rate_limit_rps = o.rate_limit_rps;
        p.rate_limit_scope = o.rate_limit_scope;
    }
    for env in o.environments {
        match p.environments.iter_mut().find(|e| e.env == env.env) {
            Some(e) => {
                if !env.base_url.is_empty() {
                    e.base_url = env.base_url;
                }
                if !env.check.is_empty() {
                    e.check = env.check;
                }
                if !env.token_endpoint.is_empty() {
                    e.token_endpoint = env.token_endpoint;
                }
                add(&mut e.hosts, env.hosts);
                for c in env.credentials {
                    if !e.credentials.iter().any(|k| k.prefix == c.prefix && k.kind == c.kind) {
                        e.credentials.push(c);
                    }
                }
            }
            None => p.environments.push(env),
        }
    }
    if !p.source.split(" + ").any(|s| s == o.source) {
        p.source = format!("{} + {}", p.source, o.source);
    }
}

/// More phrases than this with the same longest word are looked up by their rarest word.
pub const SHARED_ANCHOR: usize = 64;

/// Rebuild every lookup index from `providers` and `entries`.
pub fn build_indexes(out: &mut Compiled) {
    out.codes.clear();
    out.phrases.clear();
    out.words.clear();
    out.fields.clear();
    out.code_fields.clear();
    out.prefixes.clear();
    out.hosts.clear();

    for (i, e) in out.entries.iter().enumerate() {
        let mut seen = HashSet::new();
        for c in &e.codes {
            let n = norm_code(c);
            if !n.is_empty() && seen.insert(n.clone()) {
                out.codes.push((n, i));
            }
        }
        for m in &e.messages {
            out.phrases.push(Phrase { text: norm_phrase(m), kind: PHRASE_MESSAGE, target: i });
        }
        for x in &e.exceptions {
            out.phrases.push(Phrase { text: norm_phrase(x), kind: PHRASE_EXCEPTION, target: i });
        }
    }
    let mut code_fields = BTreeMap::new();
    for (pi, p) in out.providers.iter().enumerate() {
        let mut markers: Vec<&String> = p.markers.iter().collect();
        markers.extend(p.aliases.iter().filter(|a| a.len() >= 6 || a.contains('.')));
        markers.push(&p.name);
        let mut seen = HashSet::new();
        for m in markers {
            let n = norm_phrase(m);
            if anchor_word(&n).is_some() && n.len() >= 4 && seen.insert(n.clone()) {
                out.phrases.push(Phrase { text: n, kind: PHRASE_MARKER, target: pi });
            }
        }
        for x in &p.exceptions {
            out.phrases.push(Phrase { text: norm_phrase(x), kind: PHRASE_PROVIDER_EXCEPTION, target: pi });
        }
        let mut seen = HashSet::new();
        for f in &p.fields {
            let n = norm_field(f);
            if !GENERIC_FIELDS.contains(&n.as_str()) && seen.insert(n.clone()) {
                out.fields.push((n, pi));
            }
        }
        for f in p.code_fields.iter().chain(&p.class_fields) {
            code_fields.insert(norm_code(f), ());
        }
        for env in &p.environments {
            for c in &env.credentials {
                out.prefixes.push(Prefix {
                    prefix: c.prefix.clone(),
                    provider: pi,
                    env: env.env.clone(),
                    kind: c.kind.clone(),
                    pattern: c.pattern.clone(),
                });
            }
            for h in &env.hosts {
                out.hosts.push(Host { pattern: h.to_ascii_lowercase(), provider: pi, env: env.env.clone() });
            }
        }
    }
    // A phrase is looked up by its longest word, unless many phrases share that word (a large
    // catalog's messages reuse a small vocabulary): then by its rarest one, so that a word of
    // the input never calls for thousands of phrases to verify.
    fn words_of(t: &str) -> impl Iterator<Item = &str> {
        t.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.len() >= 3)
    }
    let (mut df, mut anchored): (HashMap<&str, usize>, HashMap<&str, usize>) = Default::default();
    for ph in &out.phrases {
        let mut distinct: Vec<&str> = words_of(&ph.text).collect();
        distinct.sort_unstable();
        distinct.dedup();
        distinct.into_iter().for_each(|w| *df.entry(w).or_default() += 1);
        if let Some(w) = anchor_word(&ph.text) {
            *anchored.entry(w).or_default() += 1;
        }
    }
    let mut words = Vec::new();
    for (i, ph) in out.phrases.iter().enumerate() {
        let Some(longest) = anchor_word(&ph.text) else { continue };
        let w = if anchored[longest] > SHARED_ANCHOR {
            words_of(&ph.text).min_by_key(|w| (df[w], std::cmp::Reverse(w.len()))).unwrap_or(longest)
        } else {
            longest
        };
        words.push((w.to_string(), i));
    }
    out.words = words;
    out.codes.sort();
    out.words.sort();
    out.fields.sort();
    out.code_fields = code_fields.into_keys().collect();
    out.prefixes.sort_by(|a, b| b.prefix.len().cmp(&a.prefix.len()).then(a.prefix.cmp(&b.prefix)));
}

// ── the general knowledge (`knowledge/general/`) ──

fn one() -> f32 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategoriesFile {
    #[serde(rename = "category")]
    pub categories: Vec<RawCategory>,
}

/// `knowledge/general/categories.toml`: what any provider's error of one category usually means.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategory {
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
    /// How much each cue of this category counts (default 1): more for a category whose cue
    /// words decide it on their own (an explicit idempotency key).
    #[serde(default = "one")]
    pub cue_weight: f32,
    pub causes: Vec<RawGeneralCause>,
    pub fixes: Vec<String>,
    /// The retry verdict of the category's entries that do not state one, and why.
    pub retry: String,
    pub retry_why: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGeneralCause {
    pub summary: String,
    pub likelihood: f32,
    #[serde(default)]
    pub evidence: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOthersFile {
    #[serde(rename = "provider")]
    pub providers: Vec<RawOther>,
}

/// `knowledge/general/others.toml`: a payment provider known by name only. A knowledge file
/// with the same id takes it over: its markers and domains then name that known provider.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOther {
    pub id: String,
    pub name: String,
    /// Brand names and SDK namespaces, matched case-insensitively on word or camel-case
    /// boundaries (`worldpay` finds `WorldpayException` and `vendor/worldpay/`).
    pub markers: Vec<String>,
    /// Registrable domains: the domain and every subdomain point at the provider.
    #[serde(default)]
    pub domains: Vec<String>,
}

/// Parse and check the categories file: every category of the vocabulary once, causes that sum to one.
pub fn parse_categories(text: &str, vocabulary: &[&str]) -> Result<RawCategoriesFile, String> {
    let file: RawCategoriesFile =
        toml::from_str(text).map_err(|e| format!("knowledge/general/categories.toml: {e}"))?;
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
        if Retry::parse(&c.retry).is_none() || c.retry_why.trim().is_empty() {
            problems.push(format!(
                "category {}: `retry` (never, after_fix, later, now) and `retry_why` are required",
                c.id
            ));
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
pub fn parse_others(text: &str) -> Result<RawOthersFile, String> {
    let file: RawOthersFile = toml::from_str(text).map_err(|e| format!("knowledge/general/others.toml: {e}"))?;
    let mut problems = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    for p in &file.providers {
        if ids.contains(&p.id.as_str()) {
            problems.push(format!("provider {} is listed twice", p.id));
        }
        ids.push(&p.id);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_normalise_loose_forms() {
        assert_eq!(norm_code("INVALID-TOKEN"), "invalid_token");
        assert_eq!(norm_code(" invalid token "), "invalid_token");
        assert_eq!(norm_code("E_WC-18"), "e_wc_18");
        assert_eq!(norm_code("000"), "000");
    }

    #[test]
    fn probe_fields_are_validated() {
        let text = r#"
[provider]
id = "x"
name = "X"
docs = "https://x.example/docs"
env_vars = { secret_key = ["X_KEY"], password = ["x-key"] }

[provider.token]
endpoint = "POST https://x.example/token"
client_auth = "header"

[[provider.environments]]
env = "sandbox"
token_endpoint = "GET x.example/token"
"#;
        let raw = parse_file("knowledge/x.toml", text).unwrap();
        let (_, problems) = compile(Compiled::default(), vec![("knowledge/x.toml".into(), raw)]);
        let all: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
        let has = |s: &str| all.iter().any(|m| m.contains(s));
        assert!(has("unknown env_vars credential kind `password`"), "{all:?}");
        assert!(has("`x-key` is not an environment variable name"), "{all:?}");
        assert!(has("unknown token client_auth `header`"), "{all:?}");
        assert!(has("token_endpoint `GET x.example/token`"), "{all:?}");
        assert_eq!(all.len(), 4, "{all:?}");
    }

    #[test]
    fn a_large_file_parses_in_pieces_as_it_does_whole() {
        let mut text = String::from("[provider]\nid = \"x\"\nname = \"X\"\ndocs = \"https://x.example/docs\"\n\n");
        for i in 0..3000 {
            text += &format!(
                "[[error]]\nid = \"e{i}\"\ncodes = [\n  \"X-{i}\",\n]\ncategory = \"validation\"\n\
                 title = \"\"\"Title {i}\n[[error]]\nnot a header\"\"\"\nsummary = 'a [[error]] # in a literal'\n\n\
                 [[error.causes]]\nsummary = \"cause \\\" {i} [\"\n\n"
            );
        }
        text += "[compact]\nentries = [\n  { code = \"C1\", category = \"validation\", title = \"t\", cause = \"c\", fix = \"f\" },\n]\n";
        assert!(text.len() > 2 * PIECE);
        let whole: RawFile = toml::from_str(&text).unwrap();
        let pieces = parse_pieces(&text).expect("parses in pieces");
        assert_eq!(format!("{pieces:?}"), format!("{whole:?}"));
        let inside = text.find("\n[[error]]\nnot a header").unwrap() + 1;
        assert!(!error_headers(&text).any(|at| at == inside), "a header inside a string is no cut");
        // what the pieces cannot read as one is parsed whole, with its message
        let twice = format!("{text}[provider]\nid = \"y\"\n");
        assert!(parse_pieces(&twice).is_none());
        let problem = parse_file("x.toml", &twice).unwrap_err();
        assert!(problem.message.starts_with("line "), "{problem}");
    }

    #[test]
    fn phrases_fold_case_and_space() {
        assert_eq!(norm_phrase("  Invalid   API Key\nprovided "), "invalid api key provided");
        assert_eq!(anchor_word("no such customer"), Some("customer"));
    }
}
