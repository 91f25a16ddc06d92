//! The one HTTP client every probe uses, and the rules it enforces: HTTPS only (plain HTTP
//! only to loopback), connect and total timeouts, redirects followed only on the same origin
//! (credentials never travel to another host), bounded retries of idempotent requests on 429/503
//! honouring `Retry-After`, and a log of every response's rate-limit headers for the `rate`
//! check. Also times DNS, TCP and the TLS handshake to a host for the `env` check. Certificates
//! are always verified against the platform's roots plus any extra CA (`--ca-file`); there is no
//! switch to skip verification.

use crate::redact::mask_secret;
use reqwest::header::HeaderMap;
use reqwest::{Method, Url};
use rustls::pki_types::CertificateDer;
use std::cell::RefCell;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// Requests a probe sends at most per logical request (the first try plus retries).
const MAX_ATTEMPTS: u32 = 3;
/// A `Retry-After` longer than this is reported, not waited for.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(10);
/// Same-origin redirects followed at most.
const MAX_REDIRECTS: usize = 3;
/// The most of a response body kept (error bodies are small).
const BODY_LIMIT: usize = 16 << 10;

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub total: Duration,
}

/// How a request authenticates.
pub enum Auth {
    None,
    Bearer(String),
    /// HTTP Basic: user and password.
    Basic(String, String),
}

pub struct Request {
    pub method: Method,
    pub url: Url,
    pub auth: Auth,
    pub form: Vec<(&'static str, String)>,
    pub headers: Vec<(&'static str, String)>,
    /// A JSON body (sent with `content-type: application/json`).
    pub json: Option<String>,
}

pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
    /// When the response arrived, to compare with its `Date` header.
    pub received: SystemTime,
}

/// Why a request got no (complete) HTTP answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The URL is not `https://` and not a loopback address.
    Insecure(String),
    /// No answer (not even the status line and headers) within this time.
    Timeout(Duration),
    /// No connection within the connect timeout (TCP connect or TLS handshake).
    ConnectTimeout(Duration),
    /// The status line and headers arrived, but the body did not finish within the total timeout.
    BodyStalled {
        status: u16,
        received: usize,
        expected: Option<u64>,
        within: Duration,
    },
    Refused,
    /// The host name did not resolve.
    Dns {
        host: String,
        error: String,
    },
    /// The server's certificate was rejected.
    Certificate {
        host: String,
        problem: CertProblem,
    },
    /// Any other TLS failure (protocol version, handshake).
    Tls(String),
    Connect(String),
    /// A redirect to another origin: not followed, so the credential stayed where it was.
    CrossOriginRedirect(String),
    TooManyRedirects,
    Other(String),
}

/// What is wrong with a server certificate, from rustls' verdict.
#[derive(Debug, Clone, PartialEq)]
pub enum CertProblem {
    /// Past its end of validity (Unix seconds, when rustls says).
    Expired(Option<u64>),
    /// Before its start of validity (Unix seconds, when rustls says).
    NotYetValid(Option<u64>),
    /// Issued for other names (the names it holds, when rustls says).
    WrongHost(Vec<String>),
    /// Not signed by a CA this machine trusts.
    UnknownIssuer,
    Revoked,
    Other(String),
}

impl Failure {
    pub fn describe(&self) -> String {
        match self {
            Failure::Insecure(u) => {
                format!("refused to send credentials over plain HTTP to {u} (HTTPS only, except loopback)")
            }
            Failure::Timeout(d) => format!("no answer within {}", secs(*d)),
            Failure::ConnectTimeout(d) => {
                format!("no connection within {} (TCP connect or TLS handshake)", secs(*d))
            }
            Failure::BodyStalled { status, received, expected, within } => {
                let of = expected.map(|n| format!(" of {n}")).unwrap_or_default();
                format!(
                    "the answer began (HTTP {status}) but its body stopped arriving: {received}{of} bytes within {}",
                    secs(*within)
                )
            }
            Failure::Refused => "connection refused (nothing listens on that port)".to_string(),
            Failure::Dns { host, error } => format!("DNS lookup failed for {host}: {error}"),
            Failure::Certificate { host, problem } => format!("TLS failed: {}", problem.describe(host)),
            Failure::Tls(e) => format!("TLS failed: {e}"),
            Failure::Connect(e) => format!("cannot connect: {e}"),
            Failure::CrossOriginRedirect(to) => {
                format!("redirected to another host ({to}); not followed, the credential was not sent there")
            }
            Failure::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
            Failure::Other(e) => e.clone(),
        }
    }

    /// The finding's category and the fix to suggest.
    pub fn advice(&self) -> (&'static str, &'static str) {
        let net = "network_tls";
        match self {
            Failure::Insecure(_) => ("configuration", "use the provider's https:// base URL"),
            Failure::CrossOriginRedirect(_) | Failure::TooManyRedirects => {
                ("configuration", "use the base URL the provider documents, not one that redirects")
            }
            Failure::Timeout(_) | Failure::BodyStalled { .. } => {
                (net, "retry later; if it persists check the provider's status page, proxies, or raise --timeout")
            }
            Failure::ConnectTimeout(_) => (
                net,
                "check firewalls and proxies between here and the host (a silent drop looks like this), or raise --connect-timeout",
            ),
            Failure::Refused => (net, "check the base URL's port, or start the server"),
            Failure::Dns { .. } => (
                net,
                "check the base URL's host for a typo (--base-url, the profile's base_url), and that this machine \
                 can resolve names (a VPN that is down, a resolver that does not answer)",
            ),
            Failure::Certificate { problem, .. } => (net, problem.fix()),
            Failure::Tls(_) => {
                (net, "fix the server's TLS setup or the base URL; paydoctor never skips certificate checks")
            }
            Failure::Connect(_) | Failure::Other(_) => {
                (net, "check the base URL, firewalls and proxies between here and the host")
            }
        }
    }
}

impl CertProblem {
    fn from_rustls(e: &rustls::CertificateError) -> CertProblem {
        use rustls::CertificateError as C;
        match e {
            C::Expired => CertProblem::Expired(None),
            C::ExpiredContext { not_after, .. } => CertProblem::Expired(Some(not_after.as_secs())),
            C::NotValidYet => CertProblem::NotYetValid(None),
            C::NotValidYetContext { not_before, .. } => CertProblem::NotYetValid(Some(not_before.as_secs())),
            C::NotValidForName => CertProblem::WrongHost(vec![]),
            C::NotValidForNameContext { presented, .. } => {
                CertProblem::WrongHost(presented.iter().map(|n| general_name(n)).collect())
            }
            C::UnknownIssuer => CertProblem::UnknownIssuer,
            C::Revoked => CertProblem::Revoked,
            C::Other(o) if o.to_string() == "CaUsedAsEndEntity" => {
                CertProblem::Other("it is a CA certificate used as a server certificate (self-signed?)".into())
            }
            other => CertProblem::Other(other.to_string()),
        }
    }

    fn describe(&self, host: &str) -> String {
        let date = |t: u64| httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(t));
        match self {
            CertProblem::Expired(Some(t)) => format!("the certificate of {host} expired on {}", date(*t)),
            CertProblem::Expired(None) => format!("the certificate of {host} has expired"),
            CertProblem::NotYetValid(Some(t)) => {
                format!("the certificate of {host} is not valid before {}", date(*t))
            }
            CertProblem::NotYetValid(None) => format!("the certificate of {host} is not valid yet"),
            CertProblem::WrongHost(names) if names.is_empty() => {
                format!("the certificate is not valid for {host}")
            }
            CertProblem::WrongHost(names) => {
                format!("the certificate is not valid for {host} (it is for {})", names.join(", "))
            }
            CertProblem::UnknownIssuer => format!(
                "the certificate of {host} is not signed by a CA this machine trusts (self-signed, a private CA, \
                 or a proxy intercepting TLS)"
            ),
            CertProblem::Revoked => format!("the certificate of {host} has been revoked"),
            CertProblem::Other(e) => format!("the certificate of {host} was rejected: {e}"),
        }
    }

    fn fix(&self) -> &'static str {
        match self {
            CertProblem::Expired(_) => {
                "the server's operator must renew its certificate; if the date looks wrong, check this machine's clock"
            }
            CertProblem::NotYetValid(_) => "check this machine's clock (timedatectl set-ntp true)",
            CertProblem::WrongHost(_) => {
                "check the base URL's host (--base-url, the profile's base_url); a proxy intercepting TLS can also \
                 present a certificate for another name"
            }
            CertProblem::UnknownIssuer => {
                "behind a TLS-inspecting proxy or with a private CA, trust that CA with --ca-file PATH (or \
                 PAYDOCTOR_CA_FILE); paydoctor never skips certificate checks"
            }
            CertProblem::Revoked | CertProblem::Other(_) => {
                "the server needs a valid certificate; paydoctor never skips certificate checks"
            }
        }
    }
}

/// `DnsName("api.example.test")` (how webpki names what a certificate holds) → `api.example.test`.
fn general_name(n: &str) -> String {
    let inner = n.split_once('(').and_then(|(_, rest)| rest.strip_suffix(')')).unwrap_or(n);
    inner.trim_matches('"').to_string()
}

/// A TLS error as a [`Failure`]: certificate problems named, the rest as rustls says.
fn tls_failure(host: &str, e: &rustls::Error) -> Failure {
    match e {
        rustls::Error::InvalidCertificate(c) => {
            Failure::Certificate { host: host.to_string(), problem: CertProblem::from_rustls(c) }
        }
        other => Failure::Tls(other.to_string()),
    }
}

/// A failed name lookup from [`resolve`], recognised as DNS wherever it surfaces.
#[derive(Debug)]
struct LookupFailed(String);

impl std::fmt::Display for LookupFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LookupFailed {}

/// Resolve `host`, bounded by `within`: a resolver that never answers is named, not waited for.
async fn resolve(host: &str, port: u16, within: Duration) -> Result<Vec<SocketAddr>, LookupFailed> {
    let found = tokio::time::timeout(within, tokio::net::lookup_host((host, port)))
        .await
        .map_err(|_| LookupFailed(format!("no answer within {}", secs(within))))?
        .map_err(|e| LookupFailed(e.to_string().trim_start_matches("failed to lookup address information: ").into()))?;
    let addrs: Vec<SocketAddr> = found.collect();
    if addrs.is_empty() {
        return Err(LookupFailed("no address".into()));
    }
    Ok(addrs)
}

/// The client's resolver: [`resolve`] bounded by the connect timeout.
struct BoundedResolver(Duration);

impl reqwest::dns::Resolve for BoundedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let within = self.0;
        Box::pin(async move {
            let addrs = resolve(name.as_str(), 0, within).await?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Added to the client's connect timeout so that a lookup timing out (bounded by the connect
/// timeout itself) is reported as DNS, not as a host that does not answer.
const DNS_GRACE: Duration = Duration::from_millis(250);

/// `1.5 s`, `15 s`, `250 ms`.
pub fn secs(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// What the `rate` check needs to know about each answer.
#[derive(Debug, Clone)]
pub struct Seen {
    pub status: u16,
    /// Rate-limit headers (`X-RateLimit-*`, `RateLimit-*`, `Retry-After`) as `name: value`.
    pub rate_headers: Vec<String>,
    /// What the client did about a 429/503: waited and retried, or gave up.
    pub note: Option<String>,
}

pub struct Http {
    client: reqwest::Client,
    pub timeouts: Timeouts,
    /// CA certificates trusted on top of the platform's roots (`--ca-file`), and where from.
    extra_roots: Option<ExtraRoots>,
    seen: RefCell<Vec<Seen>>,
}

/// CA certificates to trust on top of the platform's roots (a TLS-inspecting corporate proxy,
/// a private CA), and where they were read. They add trust anchors; verification stays on.
#[derive(Debug, Clone)]
pub struct ExtraRoots {
    pub certs: Vec<CertificateDer<'static>>,
    /// `PATH (from --ca-file)`.
    pub from: String,
}

impl ExtraRoots {
    /// Read a PEM bundle: every certificate in it must be usable as a trust anchor.
    pub fn load(path: &std::path::Path, source: &str) -> anyhow::Result<ExtraRoots> {
        use rustls::pki_types::pem::PemObject;
        let shown = path.display();
        let pem = crate::files::read_capped(path, "CA file", crate::files::CAP)
            .map_err(|e| anyhow::anyhow!("{source}: {e:#}"))?;
        let certs = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow::anyhow!("{source}: {shown} is not a PEM certificate bundle ({})", pem_problem(&e)))?;
        if certs.is_empty() {
            anyhow::bail!("{source}: {shown} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        let mut store = rustls::RootCertStore::empty();
        for (i, c) in certs.iter().enumerate() {
            store.add(c.clone()).map_err(|e| {
                anyhow::anyhow!("{source}: certificate {} in {shown} is not usable as a CA ({e})", i + 1)
            })?;
        }
        Ok(ExtraRoots { certs, from: format!("{shown} (from {source})") })
    }
}

/// What is wrong with a PEM file, without quoting it (the parser's own message holds the
/// offending line, which may be a secret).
fn pem_problem(e: &rustls::pki_types::pem::Error) -> &'static str {
    use rustls::pki_types::pem::Error as E;
    match e {
        E::MissingSectionEnd { .. } => "a section has no -----END line",
        E::IllegalSectionStart { .. } => "a -----BEGIN line is malformed",
        E::Base64Decode(_) => "a section is not valid base64",
        _ => "it cannot be parsed",
    }
}

/// Plain HTTP is allowed only to loopback (tests and local fakes); everything else is HTTPS.
pub fn allowed(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => is_loopback(url),
        _ => false,
    }
}

/// A URL as it may be printed, parsable or not: any userinfo (`user:password@`) masked.
pub fn shown_url(u: &str) -> String {
    let start = u.find("://").map_or(0, |i| i + 3);
    let rest = &u[start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let Some(at) = authority.rfind('@') else { return u.to_string() };
    let masked = match authority[..at].split_once(':') {
        Some((user, password)) => format!("{}:{}", mask_secret(user), mask_secret(password)),
        None => mask_secret(&authority[..at]),
    };
    format!("{}{masked}{}", &u[..start], &rest[at..])
}

pub fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost") || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

/// Seconds to wait from a `Retry-After` value (delta-seconds or an HTTP date).
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(s) = v.parse::<u64>() {
        return Some(Duration::from_secs(s));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

fn rate_headers(h: &HeaderMap) -> Vec<String> {
    h.iter()
        .filter(|(k, _)| {
            let k = k.as_str();
            k.starts_with("x-ratelimit")
                || k.starts_with("ratelimit")
                || k.starts_with("x-rate-limit")
                || k == "retry-after"
        })
        .map(|(k, v)| format!("{k}: {}", v.to_str().unwrap_or("?")))
        .collect()
}

impl Http {
    /// A client for one probe run; `loopback` targets never go through a proxy.
    pub fn new(timeouts: Timeouts, loopback: bool, extra_roots: Option<ExtraRoots>) -> anyhow::Result<Http> {
        let mut builder = reqwest::Client::builder()
            .dns_resolver(Arc::new(BoundedResolver(timeouts.connect)))
            .connect_timeout(timeouts.connect + DNS_GRACE)
            .timeout(timeouts.total)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("paydoctor/", env!("CARGO_PKG_VERSION"), " (probe)"));
        if loopback {
            builder = builder.no_proxy();
        }
        if let Some(extra) = &extra_roots {
            let certs = extra.certs.iter().map(|c| reqwest::Certificate::from_der(c)).collect::<Result<Vec<_>, _>>()?;
            builder = builder.tls_certs_merge(certs);
        }
        let client = builder.build()?;
        Ok(Http { client, timeouts, extra_roots, seen: RefCell::new(Vec::new()) })
    }

    /// Where the extra CA certificates came from, if any.
    pub fn extra_roots(&self) -> Option<&str> {
        self.extra_roots.as_ref().map(|x| x.from.as_str())
    }

    /// Every answer so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.borrow().clone()
    }

    /// Send one logical request: same-origin redirects followed, 429/503 retried for GET.
    pub async fn send(&self, req: &Request) -> Result<Response, Failure> {
        let idempotent = req.method == Method::GET;
        let mut url = req.url.clone();
        let mut redirects = 0;
        let mut attempt = 1;
        loop {
            if !allowed(&url) {
                return Err(Failure::Insecure(url.to_string()));
            }
            let resp = self.send_once(req, &url).await?;
            let mut seen = Seen { status: resp.status, rate_headers: rate_headers(&resp.headers), note: None };
            if (300..400).contains(&resp.status) {
                self.seen.borrow_mut().push(seen);
                let Some(to) =
                    resp.headers.get("location").and_then(|l| l.to_str().ok()).and_then(|l| url.join(l).ok())
                else {
                    return Ok(resp);
                };
                if !same_origin(&url, &to) {
                    return Err(Failure::CrossOriginRedirect(to.origin().ascii_serialization()));
                }
                redirects += 1;
                if redirects > MAX_REDIRECTS || !idempotent {
                    return Err(Failure::TooManyRedirects);
                }
                url = to;
                continue;
            }
            if (resp.status == 429 || resp.status == 503) && attempt < MAX_ATTEMPTS {
                let hinted = resp.headers.get("retry-after").and_then(|v| v.to_str().ok());
                let wait = match hinted.map(|v| retry_after(v, resp.received)) {
                    Some(Some(d)) => d,
                    _ => Duration::from_millis(500 << (attempt - 1)),
                };
                if !idempotent {
                    seen.note = Some(format!("HTTP {}: not retried ({} is not idempotent)", resp.status, req.method));
                } else if wait > MAX_RETRY_WAIT {
                    seen.note = Some(format!(
                        "HTTP {}: Retry-After {} exceeds the probe's bound; not retried",
                        resp.status,
                        secs(wait)
                    ));
                } else {
                    let why = if hinted.is_some() { "as Retry-After asked" } else { "exponential backoff" };
                    seen.note = Some(format!("HTTP {}: waited {} ({why}) and retried", resp.status, secs(wait)));
                    self.seen.borrow_mut().push(seen);
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    continue;
                }
            }
            self.seen.borrow_mut().push(seen);
            return Ok(resp);
        }
    }

    async fn send_once(&self, req: &Request, url: &Url) -> Result<Response, Failure> {
        let mut b = self.client.request(req.method.clone(), url.clone());
        b = match &req.auth {
            Auth::None => b,
            Auth::Bearer(t) => b.bearer_auth(t),
            Auth::Basic(u, p) => b.basic_auth(u, Some(p)),
        };
        for (k, v) in &req.headers {
            b = b.header(*k, v);
        }
        if !req.form.is_empty() {
            b = b.form(&req.form);
        }
        if let Some(json) = &req.json {
            b = b.header("content-type", "application/json").body(json.clone());
        }
        let mut resp = b.send().await.map_err(|e| self.classify(&e))?;
        let received = SystemTime::now();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let expected = resp.content_length();
        let mut bytes = Vec::new();
        // Read at most BODY_LIMIT; the total timeout also bounds a body that trickles in.
        while bytes.len() < BODY_LIMIT {
            match resp.chunk().await {
                Ok(Some(chunk)) => bytes.extend_from_slice(&chunk[..chunk.len().min(BODY_LIMIT - bytes.len())]),
                Ok(None) => break,
                Err(e) if e.is_timeout() => {
                    return Err(Failure::BodyStalled {
                        status,
                        received: bytes.len(),
                        expected,
                        within: self.timeouts.total,
                    });
                }
                Err(e) => return Err(self.classify(&e)),
            }
        }
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Ok(Response { status, headers, body, received })
    }

    fn classify(&self, e: &reqwest::Error) -> Failure {
        let host = e.url().and_then(Url::host_str).unwrap_or("").to_string();
        if e.is_timeout() {
            return if e.is_connect() {
                Failure::ConnectTimeout(self.timeouts.connect)
            } else {
                Failure::Timeout(self.timeouts.total)
            };
        }
        let mut src: Option<&(dyn std::error::Error + 'static)> = Some(e);
        let mut last = String::new();
        while let Some(s) = src {
            if let Some(dns) = s.downcast_ref::<LookupFailed>() {
                return Failure::Dns { host, error: dns.0.clone() };
            }
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::ConnectionRefused {
                    return Failure::Refused;
                }
                if io.kind() == std::io::ErrorKind::TimedOut {
                    return Failure::ConnectTimeout(self.timeouts.connect);
                }
            }
            if let Some(tls) = s.downcast_ref::<rustls::Error>() {
                return tls_failure(&host, tls);
            }
            last = s.to_string();
            // An io::Error's `source()` skips the error it wraps (tokio-rustls wraps the rustls
            // error, hyper wraps that again): descend into it instead.
            src = match s.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
                Some(inner) => Some(inner),
                None => s.source(),
            };
        }
        let text = last.to_ascii_lowercase();
        if text.contains("certificate") || text.contains("tls") || text.contains("handshake") {
            Failure::Tls(last)
        } else if e.is_connect() {
            Failure::Connect(last)
        } else {
            Failure::Other(last)
        }
    }
}

/// DNS, TCP and TLS timings to one host, for the `env` check.
pub struct Timing {
    pub addresses: Vec<std::net::IpAddr>,
    /// `None` when the host is an address literal.
    pub dns: Option<Duration>,
    pub tcp: Duration,
    /// TLS handshake time and protocol version; `None` for plain HTTP to loopback.
    pub tls: Option<(Duration, String)>,
}

impl Http {
    /// Resolve, connect and (for `https`) complete a verified TLS handshake, timing each step,
    /// each bounded by the connect timeout. The handshake trusts what the client trusts.
    pub async fn connect_timing(&self, url: &Url) -> Result<Timing, Failure> {
        let connect = self.timeouts.connect;
        let host = url.host_str().ok_or_else(|| Failure::Other("the URL has no host".into()))?;
        let port = url.port_or_known_default().unwrap_or(443);
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let t = Instant::now();
        let (addresses, dns) = match bare.parse::<std::net::IpAddr>() {
            Ok(ip) => (vec![ip], None),
            Err(_) => {
                let found = resolve(bare, port, connect)
                    .await
                    .map_err(|e| Failure::Dns { host: host.to_string(), error: e.0 })?;
                (found.iter().map(|a| a.ip()).collect(), Some(t.elapsed()))
            }
        };
        let t = Instant::now();
        let stream = tokio::time::timeout(connect, tokio::net::TcpStream::connect((addresses[0], port)))
            .await
            .map_err(|_| Failure::ConnectTimeout(connect))?
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::ConnectionRefused {
                    Failure::Refused
                } else {
                    Failure::Connect(e.to_string())
                }
            })?;
        let tcp = t.elapsed();
        if url.scheme() != "https" {
            return Ok(Timing { addresses, dns, tcp, tls: None });
        }
        let config = self.tls_config().map_err(|e| Failure::Tls(e.to_string()))?;
        let name =
            rustls::pki_types::ServerName::try_from(bare.to_string()).map_err(|e| Failure::Tls(e.to_string()))?;
        let t = Instant::now();
        let tls =
            tokio::time::timeout(connect, tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, stream))
                .await
                .map_err(|_| Failure::ConnectTimeout(connect))?
                .map_err(|e| match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                    Some(r) => tls_failure(host, r),
                    None => Failure::Tls(e.to_string()),
                })?;
        let version = tls
            .get_ref()
            .1
            .protocol_version()
            .map(|v| format!("{v:?}").replace("TLSv1_", "TLS 1."))
            .unwrap_or_default();
        Ok(Timing { addresses, dns, tcp, tls: Some((t.elapsed(), version)) })
    }

    /// The platform verifier plus the extra CAs: the same trust reqwest builds for the client
    /// from the same certificates (`tls_certs_merge`).
    fn tls_config(&self) -> Result<rustls::ClientConfig, rustls::Error> {
        let extra = self.extra_roots.iter().flat_map(|x| x.certs.iter().cloned());
        let builder = rustls::ClientConfig::builder();
        let verifier =
            rustls_platform_verifier::Verifier::new_with_extra_roots(extra, builder.crypto_provider().clone())?;
        // `dangerous()` only names the step that installs a verifier; this one verifies fully.
        Ok(builder.dangerous().with_custom_certificate_verifier(Arc::new(verifier)).with_no_client_auth())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback() {
        for (u, ok) in [
            ("https://api.stripe.com/v1/balance", true),
            ("http://127.0.0.1:8420/v1/balance", true),
            ("http://[::1]:9/x", true),
            ("http://localhost:9/x", true),
            ("http://api.stripe.com/v1/balance", false),
            ("http://10.0.0.1/x", false),
            ("ftp://127.0.0.1/x", false),
        ] {
            assert_eq!(allowed(&Url::parse(u).unwrap()), ok, "{u}");
        }
    }

    #[test]
    fn userinfo_is_masked_in_printed_urls() {
        assert_eq!(shown_url("https://user:hunter2hunter2@vm:8443/x@y"), "https://[REDACTED]:[REDACTED]@vm:8443/x@y");
        assert_eq!(
            shown_url("sk_live_4eC39HqLyjWDarjtT1zdp7dc:@api.stripe.com"),
            "sk_live_…p7dc:[REDACTED]@api.stripe.com"
        );
        assert_eq!(shown_url("https://api.stripe.com/v1?a=b@c"), "https://api.stripe.com/v1?a=b@c");
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert_eq!(retry_after("3", now), Some(Duration::from_secs(3)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(retry_after(&later, now), Some(Duration::from_secs(7)));
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn certificate_errors_in_plain_words() {
        use rustls::CertificateError as C;
        use rustls::pki_types::{ServerName, UnixTime};
        let at = |s| UnixTime::since_unix_epoch(Duration::from_secs(s));
        let expired = C::ExpiredContext { time: at(1_800_086_400), not_after: at(1_800_000_000) };
        assert_eq!(
            tls_failure("api.example.com", &rustls::Error::InvalidCertificate(expired)).describe(),
            "TLS failed: the certificate of api.example.com expired on Fri, 15 Jan 2027 08:00:00 GMT"
        );
        let wrong = C::NotValidForNameContext {
            expected: ServerName::try_from("127.0.0.1").unwrap(),
            presented: vec!["DnsName(\"api.example.test\")".into(), "IpAddress(10.0.0.1)".into()],
        };
        assert_eq!(
            tls_failure("127.0.0.1", &rustls::Error::InvalidCertificate(wrong)).describe(),
            "TLS failed: the certificate is not valid for 127.0.0.1 (it is for api.example.test, 10.0.0.1)"
        );
        let unknown = tls_failure("h", &rustls::Error::InvalidCertificate(C::UnknownIssuer));
        assert!(unknown.advice().1.contains("--ca-file"));
    }

    #[test]
    fn origins() {
        let a = Url::parse("http://127.0.0.1:1000/a").unwrap();
        assert!(same_origin(&a, &Url::parse("http://127.0.0.1:1000/b").unwrap()));
        assert!(!same_origin(&a, &Url::parse("http://127.0.0.1:1001/a").unwrap()));
        assert!(!same_origin(&a, &Url::parse("https://127.0.0.1:1000/a").unwrap()));
    }
}
