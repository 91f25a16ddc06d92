//! Probe faults that need more than wiremock: a host that does not resolve, TLS servers on
//! loopback whose certificates are self-signed, expired or for another name (signed by a test
//! CA the probe is told to trust with `--ca-file`), and raw servers that send their headers or
//! their body too slowly. Each gives a clear diagnosis, in bounded time, and — asserted by the
//! server — no HTTP request, so no credential, gets past a handshake the probe refused.

mod common;

use common::probe::*;
use common::tls::{EXPIRED, TestCa, TlsServer, VALID};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

const STRIPE: &[(&str, &str)] = &[("STRIPE_API_KEY", STRIPE_TEST_KEY)];

/// Run and time it; the wall time is printed for `--nocapture`.
fn timed(what: &str, f: impl FnOnce() -> Run) -> (Run, Duration) {
    let start = Instant::now();
    let r = f();
    let took = start.elapsed();
    eprintln!("{what}: {} ms", took.as_millis());
    (r, took)
}

fn summary(v: &serde_json::Value, name: &str) -> String {
    check(v, name)["summary"].as_str().unwrap().to_string()
}

fn conclusion(v: &serde_json::Value) -> String {
    v["conclusion"]["text"].as_str().unwrap().to_string()
}

// --- DNS ------------------------------------------------------------------------------------

/// `.invalid` never resolves (RFC 6761): on a machine with a resolver the answer is NXDOMAIN, on
/// one without (or with one that does not answer) the lookup fails or is cut at the connect
/// timeout. Either way the diagnosis names DNS and the host. Not a Stripe host, so it is
/// reached only with `--force` (env stays ✗ for that).
#[test]
fn a_host_that_does_not_resolve_is_named_in_bounded_time() {
    let base = "https://api.paydoctor-test.invalid";
    let bounds = ["--connect-timeout", "2", "--timeout", "4", "--force"];
    let (r, took) = timed("dns, full probe", || probe_json("stripe", base, &bounds, STRIPE));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v = r.json();
    assert_eq!(status(&v, "env"), "failed");
    assert!(evidence(&v, "env").contains("DNS lookup failed for api.paydoctor-test.invalid: "), "{v:#}");
    assert!(summary(&v, "credential").contains("cannot be reached"), "{v:#}");
    assert_eq!(status(&v, "credential"), "skipped", "nothing authenticated is sent to a host that does not resolve");
    assert!(took < Duration::from_millis(3500), "bounded by the connect timeout: {took:?}");

    // Without the env network check, the client's own lookup is named the same way.
    let only = [&bounds[..], &["--only", "credential"]].concat();
    let (r, took) = timed("dns, --only credential", || probe_json("stripe", base, &only, STRIPE));
    assert_eq!(r.code, 1);
    let v = r.json();
    assert!(summary(&v, "credential").contains("DNS lookup failed for api.paydoctor-test.invalid: "), "{v:#}");
    assert_eq!(check(&v, "credential")["category"], "network_tls");
    let text = conclusion(&v);
    assert!(text.contains("api.paydoctor-test.invalid") && text.contains("--force"), "{text}");
    assert!(took < Duration::from_millis(3500), "{took:?}");
}

// --- TLS ------------------------------------------------------------------------------------

/// The env check, then the credential check alone (the client's own handshake): both refuse
/// the certificate with the same diagnosis, and the server sees no request.
fn refused_twice(server: &TlsServer, extra: &[&str], want: &str) -> serde_json::Value {
    let args = [&["--env", "sandbox"][..], extra].concat();
    let (r, _) = timed(want, || probe_json("stripe", &server.base(), &args, STRIPE));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v = r.json();
    assert_eq!(status(&v, "env"), "failed", "{v:#}");
    assert_eq!(category(&v), "network_tls");
    assert!(summary(&v, "env").contains(want), "{v:#}");
    assert_eq!(status(&v, "credential"), "skipped");

    let only = [&args[..], &["--only", "credential"]].concat();
    let r = probe_json("stripe", &server.base(), &only, STRIPE);
    assert_eq!(r.code, 1);
    let c = r.json();
    assert_eq!(category(&c), "network_tls", "{c:#}");
    assert!(summary(&c, "credential").contains(want), "{c:#}");
    assert_eq!(server.requests(), Vec::<String>::new(), "no HTTP request got past the handshake");
    v
}

#[test]
fn self_signed_certificate_is_refused() {
    let server = TlsServer::start(&common::tls::self_signed());
    let v = refused_twice(
        &server,
        &[],
        "TLS failed: the certificate of 127.0.0.1 is not signed by a CA this machine trusts",
    );
    assert!(conclusion(&v).contains("--ca-file"), "the way to trust a corporate CA is named: {v:#}");
}

#[test]
fn expired_certificate_says_when_it_expired() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new();
    let yesterday = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(86_400));
    let server = TlsServer::start(&ca.leaf(&["127.0.0.1"], EXPIRED.0, EXPIRED.1));
    let v = refused_twice(&server, &["--ca-file", &ca.write(dir.path())], "certificate of 127.0.0.1 expired on ");
    let day = &yesterday[..16]; // `Sun, 22 Nov 2026`
    assert!(summary(&v, "env").contains(day), "the expiry date ({day}) is given: {v:#}");
    assert!(conclusion(&v).contains("renew"), "{v:#}");
}

#[test]
fn certificate_for_another_host_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new();
    let server = TlsServer::start(&ca.leaf(&["api.example.test"], VALID.0, VALID.1));
    let v = refused_twice(
        &server,
        &["--ca-file", &ca.write(dir.path())],
        "is not valid for 127.0.0.1 (it is for api.example.test)",
    );
    let text = conclusion(&v);
    assert!(text.contains("base URL") && text.contains("proxy intercepting TLS"), "{text}");
}

#[test]
fn an_extra_ca_makes_its_certificates_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new();
    let ca_file = ca.write(dir.path());
    let server = TlsServer::start(&ca.leaf(&["127.0.0.1"], VALID.0, VALID.1));

    // Not trusted without the CA: refused before any request.
    refused_twice(&server, &[], "not signed by a CA this machine trusts");

    let (r, _) = timed("valid leaf, --ca-file", || {
        probe_json("stripe", &server.base(), &["--env", "sandbox", "--ca-file", &ca_file], STRIPE)
    });
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = r.json();
    assert_eq!(status(&v, "credential"), "passed", "{v:#}");
    let env = evidence(&v, "env");
    assert!(env.contains("certificate verified"), "{env}");
    assert!(env.contains(&format!("trusting the CA certificates in {ca_file} (from --ca-file)")), "{env}");
    let sent = server.requests();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].to_ascii_lowercase().contains(&format!("authorization: bearer {STRIPE_TEST_KEY}").to_lowercase()));

    // The same CA from PAYDOCTOR_CA_FILE, and from the config file (relative to it).
    let by_env = probe_json(
        "stripe",
        &server.base(),
        &["--env", "sandbox"],
        &[("STRIPE_API_KEY", STRIPE_TEST_KEY), ("PAYDOCTOR_CA_FILE", &ca_file)],
    );
    assert_eq!(by_env.code, 0, "{}{}", by_env.stdout, by_env.stderr);
    assert!(evidence(&by_env.json(), "env").contains("(from $PAYDOCTOR_CA_FILE)"));
    std::fs::write(dir.path().join("config.toml"), "ca_file = \"ca.pem\"\n").unwrap();
    let cfg = dir.path().to_str().unwrap();
    let by_config = probe_json(
        "stripe",
        &server.base(),
        &["--env", "sandbox"],
        &[("STRIPE_API_KEY", STRIPE_TEST_KEY), ("PAYDOCTOR_CONFIG_DIR", cfg)],
    );
    assert_eq!(by_config.code, 0, "{}{}", by_config.stdout, by_config.stderr);
    assert!(evidence(&by_config.json(), "env").contains("(from ca_file in "), "{}", by_config.stdout);
    assert_eq!(server.requests().len(), 3);
}

/// rustls-platform-verifier reads the system roots on Linux through rustls-native-certs, which
/// honours SSL_CERT_FILE (and SSL_CERT_DIR) — in place of the system store, not on top of it.
#[cfg(target_os = "linux")]
#[test]
fn ssl_cert_file_is_honoured_on_linux() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new();
    let server = TlsServer::start(&ca.leaf(&["127.0.0.1"], VALID.0, VALID.1));
    let env = [("STRIPE_API_KEY", STRIPE_TEST_KEY), ("SSL_CERT_FILE", &ca.write(dir.path()))];
    let r = probe_json("stripe", &server.base(), &["--env", "sandbox"], &env);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn a_ca_file_that_is_not_pem_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("ca.pem");
    std::fs::write(&bad, "not a certificate\n").unwrap();
    let secretive = dir.path().join("key.pem");
    std::fs::write(&secretive, "-----BEGIN Esecret0001Zt9Lw8vR2nX\nAAAA\n").unwrap();
    for path in [bad.to_str().unwrap(), "/nonexistent/ca.pem", secretive.to_str().unwrap()] {
        let r = probe_json("stripe", "https://127.0.0.1:9", &["--env", "sandbox", "--ca-file", path], STRIPE);
        assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("--ca-file") && r.stderr.contains(path), "{}", r.stderr);
        assert_eq!(r.stderr.trim().lines().count(), 1, "one line: {}", r.stderr);
        assert!(!r.stderr.contains("Zt9Lw8vR") && !r.stderr.contains("45, 45"), "no contents: {}", r.stderr);
    }
}

// --- slow servers ---------------------------------------------------------------------------

/// A raw HTTP/1.1 server on loopback: reads each request's head, counts it, then hands the
/// connection to `answer`. A connection closed without a request (the env check's TCP timing)
/// is dropped. Returns the base URL and the request counter.
fn raw_server(answer: fn(&mut TcpStream)) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    std::thread::spawn(move || {
        for mut tcp in listener.incoming().flatten() {
            let counter = counter.clone();
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tcp.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                answer(&mut tcp);
            });
        }
    });
    (format!("http://127.0.0.1:{port}"), requests)
}

/// Never answers.
fn silent(_: &mut TcpStream) {
    std::thread::sleep(Duration::from_secs(60));
}

/// The status line and headers at once (Content-Length 1000), then one body byte a second.
fn trickle(tcp: &mut TcpStream) {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{";
    if tcp.write_all(head.as_bytes()).is_err() {
        return;
    }
    for _ in 1..1000 {
        std::thread::sleep(Duration::from_secs(1));
        if tcp.write_all(b" ").is_err() {
            return;
        }
    }
}

#[test]
fn a_body_that_trickles_in_is_cut_at_the_total_timeout() {
    let (base, requests) = raw_server(trickle);
    let (r, took) = timed("slow body, probe --timeout 2", || probe_json("stripe", &base, &["--timeout", "2"], STRIPE));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v = r.json();
    assert_eq!(status(&v, "env"), "passed", "the host answers: {v:#}");
    assert_eq!(category(&v), "network_tls");
    let s = summary(&v, "credential");
    assert!(s.contains("the answer began (HTTP 200) but its body stopped arriving"), "{s}");
    assert!(s.contains("of 1000 bytes within 2 s"), "{s}");
    assert!(!s.contains("no answer"), "the headers did arrive: {s}");
    assert!(took >= Duration::from_secs(2) && took < Duration::from_millis(3500), "bounded by --timeout: {took:?}");
    assert_eq!(requests.load(Ordering::SeqCst), 1, "one request: not retried, not sent again for `rate`");
    assert!(summary(&v, "rate").contains("no HTTP answer arrived"), "{v:#}");
}

#[test]
fn headers_that_never_come_are_cut_at_the_total_timeout_once() {
    let (base, requests) = raw_server(silent);
    let (r, took) =
        timed("slow headers, probe --timeout 1", || probe_json("stripe", &base, &["--timeout", "1"], STRIPE));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v = r.json();
    assert_eq!(category(&v), "network_tls");
    assert_eq!(summary(&v, "credential"), "no answer within 1 s", "{v:#}");
    assert!(took < Duration::from_millis(2500), "one timeout, not one per check: {took:?}");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

/// `explain --probe` shares the probe options: both slow servers are cut at its `--timeout`.
#[test]
fn explain_probe_is_bounded_by_the_timeout_too() {
    for (answer, what, want) in [
        (silent as fn(&mut TcpStream), "slow headers", "no answer within 1 s"),
        (trickle, "slow body", "its body stopped arriving"),
    ] {
        let (base, _) = raw_server(answer);
        let args = ["explain", "--json", "--probe", "--base-url", &base, "--env", "sandbox", "--timeout", "1"];
        let (r, took) = timed(&format!("explain --probe --timeout 1, {what}"), || {
            run(&[&args[..], &["checkout:401"]].concat(), &[("CKO_SECRET_KEY", CKO_SANDBOX_KEY)])
        });
        assert_eq!(r.code, 0, "the diagnosis still stands: {}{}", r.stdout, r.stderr);
        let v = r.json();
        let probe = &v["probe"];
        assert_eq!(probe["conclusion"]["category"], "network_tls", "{probe:#}");
        assert!(probe["conclusion"]["text"].as_str().unwrap().contains(want), "{what}: {probe:#}");
        assert!(took < Duration::from_millis(2500), "{what}: bounded by --timeout: {took:?}");
    }
}

#[test]
fn a_tls_handshake_that_never_ends_is_cut_at_the_connect_timeout_and_says_so() {
    // The server takes the connection and never answers the ClientHello.
    let (base, requests) = raw_server(silent);
    let base = base.replace("http://", "https://");
    let (r, took) = timed("TLS handshake hang, --connect-timeout 1", || {
        probe_json("stripe", &base, &["--connect-timeout", "1", "--timeout", "30"], STRIPE)
    });
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v = r.json();
    assert_eq!(category(&v), "network_tls");
    let text = v.to_string();
    assert!(text.contains("no connection within 1 s (TCP connect or TLS handshake)"), "{v:#}");
    assert!(text.contains("raise --connect-timeout") && !text.contains("raise --timeout"), "{v:#}");
    assert!(took < Duration::from_millis(3500), "bounded by --connect-timeout, not --timeout: {took:?}");
    assert_eq!(requests.load(Ordering::SeqCst), 0, "no HTTP request got past the handshake");
}
