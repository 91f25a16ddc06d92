//! The one HTTP client every probe uses, and the rules it enforces: HTTPS only (plain HTTP
//! only to loopback), connect and total timeouts, redirects followed only on the same origin
//! (credentials never travel to another host), bounded retries of idempotent requests on 429/503
//! honouring `Retry-After`, and a log of every response's rate-limit headers for the `rate`
//! check. Also times DNS, TCP and the TLS handshake to a host for the `env` check.

use reqwest::header::HeaderMap;
use reqwest::{Method, Url};
use std::cell::RefCell;
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
}

pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
    /// When the response arrived, to compare with its `Date` header.
    pub received: SystemTime,
}

/// Why a request got no HTTP answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The URL is not `https://` and not a loopback address.
    Insecure(String),
    Timeout(Duration),
    Refused,
    Dns(String),
    Tls(String),
    Connect(String),
    /// A redirect to another origin: not followed, so the credential stayed where it was.
    CrossOriginRedirect(String),
    TooManyRedirects,
    Other(String),
}

impl Failure {
    pub fn describe(&self) -> String {
        match self {
            Failure::Insecure(u) => {
                format!("refused to send credentials over plain HTTP to {u} (HTTPS only, except loopback)")
            }
            Failure::Timeout(d) => format!("no answer within {}", secs(*d)),
            Failure::Refused => "connection refused (nothing listens on that port)".to_string(),
            Failure::Dns(e) => format!("DNS lookup failed: {e}"),
            Failure::Tls(e) => format!("TLS failed: {e}"),
            Failure::Connect(e) => format!("cannot connect: {e}"),
            Failure::CrossOriginRedirect(to) => {
                format!("redirected to another host ({to}); not followed, the credential was not sent there")
            }
            Failure::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
            Failure::Other(e) => e.clone(),
        }
    }
}

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
    seen: RefCell<Vec<Seen>>,
}

/// Plain HTTP is allowed only to loopback (tests and local fakes); everything else is HTTPS.
pub fn allowed(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => is_loopback(url),
        _ => false,
    }
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
    pub fn new(timeouts: Timeouts, loopback: bool) -> anyhow::Result<Http> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.total)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("paydoctor/", env!("CARGO_PKG_VERSION"), " (probe)"));
        if loopback {
            builder = builder.no_proxy();
        }
        let client = builder.build()?;
        Ok(Http { client, timeouts, seen: RefCell::new(Vec::new()) })
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
        let resp = b.send().await.map_err(|e| self.classify(&e))?;
        let received = SystemTime::now();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.map_err(|e| self.classify(&e))?;
        let body = String::from_utf8_lossy(&bytes[..bytes.len().min(BODY_LIMIT)]).into_owned();
        Ok(Response { status, headers, body, received })
    }

    fn classify(&self, e: &reqwest::Error) -> Failure {
        if e.is_timeout() {
            return if e.is_connect() {
                Failure::Timeout(self.timeouts.connect)
            } else {
                Failure::Timeout(self.timeouts.total)
            };
        }
        let mut src: Option<&(dyn std::error::Error + 'static)> = Some(e);
        let mut last = String::new();
        while let Some(s) = src {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::ConnectionRefused {
                    return Failure::Refused;
                }
                if io.kind() == std::io::ErrorKind::TimedOut {
                    return Failure::Timeout(self.timeouts.connect);
                }
                if let Some(tls) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                    return Failure::Tls(tls.to_string());
                }
            }
            if let Some(tls) = s.downcast_ref::<rustls::Error>() {
                return Failure::Tls(tls.to_string());
            }
            last = s.to_string();
            src = s.source();
        }
        let text = last.to_ascii_lowercase();
        if text.contains("dns") || text.contains("failed to lookup") || text.contains("name or service") {
            Failure::Dns(last)
        } else if text.contains("certificate") || text.contains("tls") || text.contains("handshake") {
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

/// Resolve, connect and (for `https`) complete a verified TLS handshake, timing each step.
pub async fn connect_timing(url: &Url, connect: Duration) -> Result<Timing, Failure> {
    let host = url.host_str().ok_or_else(|| Failure::Other("the URL has no host".into()))?;
    let port = url.port_or_known_default().unwrap_or(443);
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let t = Instant::now();
    let (addresses, dns) = match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => (vec![ip], None),
        Err(_) => {
            let found = tokio::time::timeout(connect, tokio::net::lookup_host((bare, port)))
                .await
                .map_err(|_| Failure::Timeout(connect))?
                .map_err(|e| Failure::Dns(e.to_string()))?;
            let ips: Vec<_> = found.map(|a| a.ip()).collect();
            if ips.is_empty() {
                return Err(Failure::Dns(format!("{host} has no address")));
            }
            (ips, Some(t.elapsed()))
        }
    };
    let t = Instant::now();
    let stream = tokio::time::timeout(connect, tokio::net::TcpStream::connect((addresses[0], port)))
        .await
        .map_err(|_| Failure::Timeout(connect))?
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
    use rustls_platform_verifier::ConfigVerifierExt;
    let config = rustls::ClientConfig::with_platform_verifier().map_err(|e| Failure::Tls(e.to_string()))?;
    let name = rustls::pki_types::ServerName::try_from(bare.to_string()).map_err(|e| Failure::Tls(e.to_string()))?;
    let t = Instant::now();
    let tls = tokio::time::timeout(connect, tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, stream))
        .await
        .map_err(|_| Failure::Timeout(connect))?
        .map_err(|e| match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
            Some(r) => Failure::Tls(r.to_string()),
            None => Failure::Tls(e.to_string()),
        })?;
    let version =
        tls.get_ref().1.protocol_version().map(|v| format!("{v:?}").replace("TLSv1_", "TLS 1.")).unwrap_or_default();
    Ok(Timing { addresses, dns, tcp, tls: Some((t.elapsed(), version)) })
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
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert_eq!(retry_after("3", now), Some(Duration::from_secs(3)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(retry_after(&later, now), Some(Duration::from_secs(7)));
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn origins() {
        let a = Url::parse("http://127.0.0.1:1000/a").unwrap();
        assert!(same_origin(&a, &Url::parse("http://127.0.0.1:1000/b").unwrap()));
        assert!(!same_origin(&a, &Url::parse("http://127.0.0.1:1001/a").unwrap()));
        assert!(!same_origin(&a, &Url::parse("https://127.0.0.1:1000/a").unwrap()));
    }
}
