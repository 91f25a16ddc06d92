//! `paydoctor probe` against real servers nobody on the team wrote, started on a free loopback
//! port by each test and stopped by PID: localstripe (PyPI), stripe-stateful-mock and
//! oidc-provider (npm, through our launcher `tests/peers/oidc-server.mjs`). They are installed
//! by `tests/peers/install.sh` (CI runs it); a missing peer fails its test with that hint.

mod common;

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn peers_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/peers")
}

fn require(path: PathBuf, what: &str) -> PathBuf {
    assert!(path.exists(), "{what} is not installed ({} is missing): run tests/peers/install.sh", path.display());
    path
}

/// A peer server on a loopback port, stopped with SIGTERM by its PID when dropped.
struct Peer {
    child: Child,
    base: String,
}

impl Peer {
    /// Start `cmd`; wait for the line that names its port (`marker` precedes `127.0.0.1:PORT`).
    fn start(mut cmd: Command, name: &str) -> Peer {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({e}): run tests/peers/install.sh"));
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find("127.0.0.1:") {
                    let port: String = line[at + 10..].chars().take_while(char::is_ascii_digit).collect();
                    let _ = tx.send(port);
                }
            }
        });
        let port = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(p) => p,
            Err(_) => {
                let _ = child.kill();
                panic!("{name} did not print its port within 20 s: run tests/peers/install.sh");
            }
        };
        Peer { child, base: format!("http://127.0.0.1:{port}") }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}

fn localstripe() -> Peer {
    let python = require(peers_dir().join(".venv/bin/python"), "localstripe");
    let mut cmd = Command::new(python);
    // Loopback only (the stock CLI binds every interface) and without the shared pickle.
    cmd.env("PYTHONUNBUFFERED", "1").args([
        "-c",
        "import sys; from aiohttp import web; from localstripe.server import app; \
         web.run_app(app, host='127.0.0.1', port=int(sys.argv[1]))",
        "0",
    ]);
    Peer::start(cmd, "localstripe")
}

fn stripe_stateful_mock() -> Peer {
    require(peers_dir().join("node_modules/stripe-stateful-mock"), "stripe-stateful-mock");
    let mut cmd = Command::new("node");
    cmd.current_dir(peers_dir()).args([
        "-e",
        "const a=require('stripe-stateful-mock').createExpressApp(); \
         const srv=a.listen(Number(process.argv[1]),'127.0.0.1',()=>console.log('listening 127.0.0.1:'+srv.address().port)); \
         for (const s of ['SIGINT','SIGTERM']) process.once(s,()=>{srv.close(()=>process.exit(0)); srv.closeAllConnections();});",
        "0",
    ]);
    Peer::start(cmd, "stripe-stateful-mock")
}

fn oidc_provider(ttl: u64, token_path: &str, resource_path: &str) -> Peer {
    require(peers_dir().join("node_modules/oidc-provider"), "oidc-provider");
    let mut cmd = Command::new("node");
    cmd.current_dir(peers_dir())
        .env("CC_TTL", ttl.to_string())
        .env("TOKEN_PATH", token_path)
        .env("RESOURCE_PATH", resource_path)
        .args(["oidc-server.mjs", "0"]);
    Peer::start(cmd, "oidc-provider")
}

/// Run `paydoctor probe` with only these credential variables; the JSON report and exit code.
fn probe(args: &[&str], env: &[(&str, &str)]) -> (i32, Value) {
    let mut cmd = common::paydoctor_std();
    for (k, _) in std::env::vars() {
        if k.starts_with("PAYDOCTOR_") || k.starts_with("STRIPE_") || k.ends_with("_PROXY") || k.ends_with("_proxy") {
            cmd.env_remove(k);
        }
    }
    let out = cmd.arg("probe").arg("--json").args(args).envs(env.iter().copied()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    for (_, v) in env {
        assert!(!stdout.contains(v), "a credential was printed unmasked: {stdout}");
    }
    let v = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v)
}

fn check<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["checks"].as_array().unwrap().iter().find(|c| c["check"] == name).unwrap_or_else(|| panic!("no {name}: {v:#}"))
}

const TEST_KEY: &str = "sk_test_abcdefghijklmnop1234";
const LIVE_KEY: &str = "sk_live_abcdefghijklmnop1234";

#[test]
fn localstripe_accepts_secret_keys_and_refuses_others() {
    let p = localstripe();
    let (code, v) = probe(&["-p", "stripe", "--base-url", &p.base], &[("STRIPE_API_KEY", TEST_KEY)]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(check(&v, "credential")["status"], "passed");
    assert!(check(&v, "credential")["evidence"].to_string().contains("livemode"), "{v:#}");

    let (code, v) = probe(&["-p", "stripe", "--base-url", &p.base], &[("STRIPE_API_KEY", "garbage_not_a_stripe_key")]);
    assert_eq!(code, 1);
    assert_eq!(v["conclusion"]["category"], "auth_invalid_key", "{v:#}");
    assert!(check(&v, "credential")["evidence"].to_string().contains("Unauthorized"), "{v:#}");
}

#[test]
fn localstripe_live_key_aimed_at_sandbox_is_refused_unless_forced() {
    let p = localstripe();
    let (code, v) =
        probe(&["-p", "stripe", "--env", "sandbox", "--base-url", &p.base], &[("STRIPE_API_KEY", LIVE_KEY)]);
    assert_eq!(code, 1);
    assert_eq!(v["conclusion"]["category"], "env_mismatch");
    assert_eq!(check(&v, "credential")["status"], "skipped");
    assert_eq!(check(&v, "rate")["status"], "skipped", "nothing was sent");

    // localstripe accepts any sk_ key (it never answers livemode: true): the mix-up is ours to name.
    let (code, v) =
        probe(&["-p", "stripe", "--env", "sandbox", "--force", "--base-url", &p.base], &[("STRIPE_API_KEY", LIVE_KEY)]);
    assert_eq!(code, 1);
    assert_eq!(check(&v, "credential")["status"], "passed", "{v:#}");
    assert_eq!(v["conclusion"]["category"], "env_mismatch");
}

#[test]
fn stripe_stateful_mock_rejects_live_keys_in_stripe_words() {
    let p = stripe_stateful_mock();
    let (code, v) = probe(&["-p", "stripe", "--base-url", &p.base], &[("STRIPE_API_KEY", LIVE_KEY)]);
    assert_eq!(code, 1);
    assert_eq!(v["conclusion"]["category"], "auth_invalid_key", "{v:#}");
    let ev = check(&v, "credential")["evidence"].to_string();
    assert!(ev.contains("Invalid API Key provided"), "{ev}");
    assert!(ev.contains("stripe:"), "the answer is matched against the knowledge base: {ev}");

    // It has no /v1/balance: a 404 there says the endpoint is missing, not that the key is bad.
    let (code, v) = probe(&["-p", "stripe", "--base-url", &p.base], &[("STRIPE_API_KEY", TEST_KEY)]);
    assert_eq!(code, 1);
    assert_eq!(v["conclusion"]["category"], "not_found", "{v:#}");
    assert!(v["conclusion"]["text"].as_str().unwrap().contains("says nothing about the key"));
}

/// A client_credentials token straight from the peer (Basic good_id:good_secret).
fn fetch_token(base: &str, token_path: &str) -> String {
    let hostport = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(hostport).unwrap();
    let body = "grant_type=client_credentials";
    write!(
        s,
        "POST {token_path} HTTP/1.1\r\nHost: {hostport}\r\nAuthorization: Basic Z29vZF9pZDpnb29kX3NlY3JldA==\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let json = &resp[resp.find("\r\n\r\n").unwrap() + 4..];
    let v: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {resp}"));
    v["access_token"].as_str().unwrap().to_string()
}

#[test]
fn oidc_provider_good_secret_wrong_secret_and_a_token_that_expires() {
    let p = oidc_provider(3, "/oauth/token", "/customers");
    let good = [
        ("PAYDOCTOR_ALTERNATIVEPAYMENTS_CLIENT_ID", "good_id"),
        ("PAYDOCTOR_ALTERNATIVEPAYMENTS_CLIENT_SECRET", "good_secret"),
    ];
    let args = ["-p", "alternativepayments", "--env", "sandbox", "--base-url", &p.base];
    let (code, v) = probe(&args, &good);
    assert_eq!(code, 0, "{v:#}");
    assert!(check(&v, "token")["summary"].as_str().unwrap().contains("expires_in 3 s"), "{v:#}");
    assert_eq!(check(&v, "credential")["status"], "passed");

    let (code, v) = probe(
        &args,
        &[
            ("PAYDOCTOR_ALTERNATIVEPAYMENTS_CLIENT_ID", "good_id"),
            ("PAYDOCTOR_ALTERNATIVEPAYMENTS_CLIENT_SECRET", "WRONG"),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(v["conclusion"]["category"], "auth_invalid_key");
    assert_eq!(v["conclusion"]["check"], "token");
    assert!(v["conclusion"]["text"].as_str().unwrap().contains("invalid_client"), "{v:#}");

    // A stored token: accepted while fresh, refused once its 3 s lifetime has passed.
    let token = fetch_token(&p.base, "/oauth/token");
    let mut with_token = good.to_vec();
    with_token.push(("PAYDOCTOR_ALTERNATIVEPAYMENTS_ACCESS_TOKEN", &token));
    let (code, v) = probe(&args, &with_token);
    assert_eq!(code, 0, "fresh: {v:#}");
    assert!(check(&v, "token")["evidence"].to_string().contains("stored access token"));
    std::thread::sleep(Duration::from_millis(4200));
    let (code, v) = probe(&args, &with_token);
    assert_eq!(code, 1, "expired: {v:#}");
    assert_eq!(check(&v, "token")["status"], "failed");
    assert_eq!(v["conclusion"]["category"], "auth_expired_token");
}

#[test]
fn oidc_provider_as_paypal() {
    let p = oidc_provider(600, "/v1/oauth2/token", "/unused");
    let (code, v) = probe(
        &["-p", "paypal", "--env", "sandbox", "--base-url", &p.base],
        &[("PAYPAL_CLIENT_ID", "good_id"), ("PAYPAL_CLIENT_SECRET", "good_secret")],
    );
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(check(&v, "credential")["status"], "passed");
    assert!(check(&v, "token")["summary"].as_str().unwrap().contains("token_type Bearer"), "{v:#}");

    let (code, v) = probe(
        &["-p", "paypal", "--env", "sandbox", "--base-url", &p.base],
        &[("PAYPAL_CLIENT_ID", "nobody"), ("PAYPAL_CLIENT_SECRET", "whatever")],
    );
    assert_eq!(code, 1);
    assert_eq!(check(&v, "credential")["category"], "auth_invalid_key", "{v:#}");
}

#[test]
fn oidc_provider_as_mercadopago_with_the_secret_in_the_form_body() {
    // Mercado Pago's token request carries the client secret in the form (client_auth = post).
    let p = oidc_provider(600, "/oauth/token", "/users/me");
    let args = ["-p", "mercadopago", "--env", "sandbox", "--base-url", &p.base];
    let (code, v) = probe(&args, &[("MERCADOPAGO_CLIENT_ID", "post_id"), ("MERCADOPAGO_CLIENT_SECRET", "post_secret")]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(check(&v, "credential")["status"], "passed");
    let (code, v) = probe(&args, &[("MERCADOPAGO_CLIENT_ID", "post_id"), ("MERCADOPAGO_CLIENT_SECRET", "nope")]);
    assert_eq!(code, 1);
    assert_eq!(v["conclusion"]["category"], "auth_invalid_key", "{v:#}");
}
