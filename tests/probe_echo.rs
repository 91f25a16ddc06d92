//! A hostile server on loopback that echoes the credentials it received, in every encoding
//! (raw, base64 of `id:secret`, URL-encoded, JSON-escaped, upper-cased, 10-character
//! fragments), in its error body, in the OAuth `error` and `error_description` fields and in a
//! rate-limit header, wrapped in ANSI and OSC escape sequences. In both output modes no run of
//! 8 characters of any secret (beyond the prefix and last 4 its mask shows) and no ESC reaches
//! the output.

mod common;

use common::probe::*;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A terminal hyperlink, a screen clear, a colour and a window title.
const ESCAPES: &str =
    "\u{1b}]8;;https://evil.example/\u{7}click\u{1b}]8;;\u{7}\u{1b}[2J\u{1b}[31m\u{1b}]0;pwned\u{1b}\\";

/// One credential of a run and the prefix of it that its mask shows.
struct Secret {
    var: &'static str,
    value: &'static str,
    shown: &'static str,
}

const fn secret(var: &'static str, value: &'static str, shown: &'static str) -> Secret {
    Secret { var, value, shown }
}

fn decode_base64(s: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bits: Vec<u32> = s.bytes().filter_map(|c| A.iter().position(|&a| a == c).map(|p| p as u32)).collect();
    let mut out = Vec::new();
    for chunk in bits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | b << (18 - 6 * i));
        out.extend(n.to_be_bytes()[1..chunk.len()].iter().copied());
    }
    out
}

fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 3 <= b.len() => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn percent(s: &str, lower: bool) -> String {
    s.bytes()
        .map(|b| match b {
            b if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => (b as char).to_string(),
            b' ' if lower => "+".to_string(),
            b if lower => format!("%{b:02x}"),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// What the server received: the base64 of a Basic header, and every credential value.
fn received(req: &Request) -> (Option<String>, Vec<String>) {
    let auth = req.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut values = Vec::new();
    let mut basic = None;
    if let Some(t) = auth.strip_prefix("Bearer ") {
        values.push(t.to_string());
    } else if let Some(b) = auth.strip_prefix("Basic ") {
        let pair = String::from_utf8(decode_base64(b)).unwrap();
        let (id, secret) = pair.split_once(':').unwrap();
        values.extend([id.to_string(), secret.to_string()]);
        basic = Some(b.to_string());
    }
    for kv in String::from_utf8_lossy(&req.body).split('&') {
        if let Some((k, v)) = kv.split_once('=') {
            if k == "client_id" || k == "client_secret" {
                values.push(url_decode(v));
            }
        }
    }
    (basic, values)
}

/// Every echo of what was received.
fn echoes(req: &Request) -> Vec<String> {
    let (basic, values) = received(req);
    assert!(!values.is_empty(), "no credential reached the echo server: {req:?}");
    let mut out = Vec::new();
    if let Some(b) = basic {
        let url = b.replace('+', "-").replace('/', "_");
        out.extend([b.trim_end_matches('=').to_string(), url.trim_end_matches('=').to_string(), url, b]);
    }
    for v in values {
        let json = serde_json::to_string(&v).unwrap();
        let json = json[1..json.len() - 1].to_string();
        let unicode: String = v
            .chars()
            .map(|c| if c.is_ascii_punctuation() { format!("\\u{:04x}", c as u32) } else { c.to_string() })
            .collect();
        out.extend([
            percent(&v, false),
            percent(&v, true),
            json.replace('/', "\\/"),
            json,
            unicode,
            v.to_uppercase(),
            v.chars().skip(2).take(10).collect(),
            v.chars().rev().skip(4).take(10).collect::<Vec<_>>().into_iter().rev().collect(),
            format!("\u{1b}]8;;https://evil.example/{v}\u{7}{v}\u{1b}]8;;\u{7}"),
            v,
        ]);
    }
    out
}

/// Answers 401 with everything echoed: as JSON (OAuth fields) or as plain text.
struct Echo {
    json: bool,
}

impl Respond for Echo {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let said = format!("{ESCAPES}invalid_client {} {ESCAPES}", echoes(req).join(" | "));
        let header = received(req).1.join(" ").to_uppercase();
        let t = ResponseTemplate::new(401).insert_header("x-ratelimit-remaining", header.as_str());
        if self.json {
            t.set_body_json(serde_json::json!({"error": said, "error_description": said, "message": said}))
        } else {
            t.insert_header("content-type", "text/plain").set_body_string(said)
        }
    }
}

/// Every string in a JSON value, joined.
fn strings(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(strings).collect::<Vec<_>>().join("\n"),
        Value::Object(o) => o.values().map(strings).collect::<Vec<_>>().join("\n"),
        _ => String::new(),
    }
}

/// Runs of 8 characters of `value` (not inside its `shown` prefix) found in `out`, ignoring case.
fn leaks(out: &str, value: &str, shown: &str) -> Vec<String> {
    let (out, v) = (out.to_lowercase(), value.to_lowercase());
    (0..=v.len() - 8)
        .filter(|&i| i + 8 > shown.len())
        .map(|i| v[i..i + 8].to_string())
        .filter(|w| out.contains(w.as_str()))
        .collect()
}

/// Probe the echo server in both output modes; return the human output.
async fn probe_echo(provider: &str, json_body: bool, routes: &[(&str, &str)], secrets: &[Secret]) -> String {
    let s = MockServer::start().await;
    for (m, p) in routes {
        Mock::given(method(*m)).and(path(*p)).respond_with(Echo { json: json_body }).mount(&s).await;
    }
    let mut env: Vec<(&str, &str)> = secrets.iter().map(|x| (x.var, x.value)).collect();
    env.push(("NO_COLOR", "1"));
    let base = s.uri();
    let human = run(&["probe", "-p", provider, "--env", "sandbox", "--base-url", &base], &env);
    let json = run(&["probe", "-p", provider, "--env", "sandbox", "--base-url", &base, "--json"], &env);
    let decoded = strings(&json.json());
    let sent = s.received_requests().await.unwrap();
    assert!(!sent.is_empty(), "{provider}: nothing reached the echo server");
    let basics: Vec<String> = sent.iter().filter_map(|r| received(r).0).collect();
    for (mode, out) in [("human", &human.stdout), ("--json", &json.stdout), ("--json decoded", &decoded)] {
        assert!(!out.contains('\u{1b}'), "{provider} {mode}: an escape reached the output:\n{out}");
        for x in secrets {
            let found = leaks(out, x.value, x.shown);
            assert!(found.is_empty(), "{provider} {mode}: {} leaked as {found:?} in:\n{out}", x.var);
        }
        for b in &basics {
            let found = leaks(out, b.trim_end_matches('='), "");
            assert!(found.is_empty(), "{provider} {mode}: the Basic header leaked as {found:?} in:\n{out}");
        }
    }
    for r in [&human, &json] {
        assert_eq!(r.code, 1, "{provider}: the 401 is a finding\n{}{}", r.stdout, r.stderr);
        assert!(!r.stderr.contains('\u{1b}'), "{}", r.stderr);
    }
    assert!(human.stdout.contains("invalid_client"), "the echoing answer was shown (scrubbed): {}", human.stdout);
    human.stdout
}

/// The human report's conclusion line.
fn conclusion(human: &str) -> &str {
    human.lines().find(|l| l.starts_with("Conclusion")).unwrap_or_else(|| panic!("no conclusion: {human}"))
}

#[tokio::test]
async fn stripe_bearer_key_echoed_in_a_plain_body_and_a_header() {
    for json in [false, true] {
        let out = probe_echo(
            "stripe",
            json,
            &[("GET", "/v1/balance")],
            &[secret("STRIPE_API_KEY", "sk_test_51Qx7VmR2cKp9LwZ8nYtB3dFhJ6sA0gE4242", "sk_test_")],
        )
        .await;
        assert!(out.contains("sk_test_…4242"), "a whole copy keeps its usual mask: {out}");
    }
}

#[tokio::test]
async fn paypal_basic_id_and_secret_echoed_in_the_oauth_error() {
    let creds = [
        secret("PAYPAL_CLIENT_ID", "AZx1FakeClientId0001Qrstuvwxyz", ""),
        secret("PAYPAL_CLIENT_SECRET", "EHk3/q+Zt9 Lw8\"vR2nX_dP5~sQ1mB7=", ""),
    ];
    for json in [true, false] {
        let out = probe_echo("paypal", json, &[("POST", "/v1/oauth2/token")], &creds).await;
        let line = conclusion(&out);
        assert!(line.starts_with("Conclusion (auth_invalid_key): The token endpoint rejected"), "{line}");
        assert_eq!(line.contains("invalid_client"), json, "the OAuth error, scrubbed, is in the conclusion: {line}");
    }
}

#[tokio::test]
async fn mercadopago_form_posted_secret_echoed_in_the_oauth_error() {
    let creds = [
        secret("PAYDOCTOR_MERCADOPAGO_CLIENT_ID", "4457628316352447", ""),
        secret("PAYDOCTOR_MERCADOPAGO_CLIENT_SECRET", "Xk9/Lm+2 pQ7\"rS4tU6&vW8=yZ0aB1cD", ""),
    ];
    for json in [true, false] {
        let out = probe_echo("mercadopago", json, &[("POST", "/oauth/token")], &creds).await;
        assert_eq!(conclusion(&out).contains("invalid_client"), json, "{out}");
    }
}

#[tokio::test]
async fn afterpay_basic_merchant_id_and_secret_key_echoed() {
    let creds = [
        secret("AFTERPAY_MERCHANT_ID", "10010134", ""),
        secret("AFTERPAY_SECRET_KEY", "Qm7/Vx+Ry\"0001xyzKpL4sT9w", ""),
    ];
    for json in [false, true] {
        probe_echo("afterpay", json, &[("GET", "/v2/configuration")], &creds).await;
    }
}

/// A token the server issued is masked as well as the credentials sent for it.
#[tokio::test]
async fn an_issued_token_echoed_back_is_masked() {
    let s = MockServer::start().await;
    let token = "ap_tok_Zq8Wc3Vb6Nm1Kx4Lp7Rs0TuYh2";
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": token, "token_type": format!("{ESCAPES}Bearer"), "expires_in": 3600
        })))
        .mount(&s)
        .await;
    Mock::given(method("GET")).and(path("/customers")).respond_with(Echo { json: false }).mount(&s).await;
    let creds = [
        secret("PAYDOCTOR_ALTERNATIVEPAYMENTS_CLIENT_ID", "ap_client_echo_0001", "ap_client_echo_"),
        secret("PAYDOCTOR_ALTERNATIVEPAYMENTS_CLIENT_SECRET", "ap_secret_Vx9Tq2Lm7Wp4", "ap_secret_"),
    ];
    let mut env: Vec<(&str, &str)> = creds.iter().map(|x| (x.var, x.value)).collect();
    env.push(("NO_COLOR", "1"));
    let base = s.uri();
    for mode in [&[][..], &["--json"][..]] {
        let args = [&["probe", "-p", "alternativepayments", "--env", "sandbox", "--base-url", &base][..], mode];
        let r = run(&args.concat(), &env);
        assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
        let decoded = if mode.is_empty() { String::new() } else { strings(&r.json()) };
        let issued = secret("", token, "ap_tok_");
        for out in [&r.stdout, &decoded] {
            assert!(!out.contains('\u{1b}'), "{out}");
            for x in creds.iter().chain([&issued]) {
                let found = leaks(out, x.value, x.shown);
                assert!(found.is_empty(), "{} leaked as {found:?}:\n{out}", x.value);
            }
        }
        assert!(r.stdout.contains("invalid_client"), "{}", r.stdout);
    }
    let sent: Vec<String> = s
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter_map(|r| r.headers.get("authorization").map(|v| v.to_str().unwrap().to_string()))
        .collect();
    assert!(sent.contains(&format!("Bearer {token}")), "the issued token was used and echoed: {sent:?}");
}
