//! `paydoctor probe` against loopback fakes started by each test (wiremock), answering with
//! the providers' documented status codes, headers and bodies: good and bad credentials per
//! probe section (and for a provider defined only by a company file), an expired stored token,
//! permission denied, the wrong environment, 429 with Retry-After, a slow server, a refused
//! connection and a redirect to another host. Plus
//! credential sources, config profiles, redaction and `explain --probe`. DNS, TLS and
//! slow-body faults are in `probe_faults.rs`.

mod common;

use common::probe::*;
use std::time::Duration;
use wiremock::matchers::{body_string_contains, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn stripe_401() -> ResponseTemplate {
    ResponseTemplate::new(401).insert_header("request-id", "req_8xD1Zp3oQ2xY9a").set_body_json(serde_json::json!({
        "error": {"message": "Invalid API Key provided: sk_test_****4242", "type": "invalid_request_error"}
    }))
}

fn token_ok(token: &str, expires: u64) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("date", httpdate::fmt_http_date(std::time::SystemTime::now()).as_str())
        .set_body_json(serde_json::json!({"access_token": token, "token_type": "Bearer", "expires_in": expires}))
}

// --- good and bad credentials, one probe section at a time ------------------------------------------

#[tokio::test]
async fn stripe_good_and_bad_secret_key() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/balance"))
        .and(header("authorization", format!("Bearer {STRIPE_TEST_KEY}").as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "req_1")
                .set_body_json(serde_json::json!({"object": "balance", "livemode": false, "available": []})),
        )
        .mount(&s)
        .await;
    Mock::given(method("GET")).and(path("/v1/balance")).respond_with(stripe_401()).mount(&s).await;

    let good = probe_json("stripe", &s.uri(), &[], &[("STRIPE_API_KEY", STRIPE_TEST_KEY)]);
    assert_eq!(good.code, 0, "{}", good.stdout);
    let v = good.json();
    assert_eq!(status(&v, "credential"), "passed");
    assert_eq!(status(&v, "env"), "passed");
    assert_eq!(v["environment"], "sandbox", "inferred from the sk_test_ key");
    assert_eq!(v["credentials"][0]["source"], "env STRIPE_API_KEY");
    assert_eq!(v["credentials"][0]["masked"], "sk_test_…4242");
    assert!(category(&v).is_null());

    let bad = probe_json("stripe", &s.uri(), &[], &[("STRIPE_SECRET_KEY", "sk_test_51Hc0ffeeWRONGWRONG0000")]);
    assert_eq!(bad.code, 1);
    let v = bad.json();
    assert_eq!(status(&v, "credential"), "failed");
    assert_eq!(category(&v), "auth_invalid_key");
    assert_eq!(v["conclusion"]["check"], "credential");
    assert!(evidence(&v, "credential").contains("Invalid API Key provided"), "{v:#}");
}

#[tokio::test]
async fn checkout_404_for_a_missing_payment_means_the_key_was_accepted() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/payments/pay_aaaaaaaaaaaaaaaaaaaaaaaaaa"))
        .and(header("authorization", format!("Bearer {CKO_SANDBOX_KEY}").as_str()))
        .respond_with(ResponseTemplate::new(404).insert_header("cko-request-id", "0HL80RJLS76I7"))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).insert_header("cko-request-id", "0HL80RJLS76I8"))
        .mount(&s)
        .await;

    let good = probe_json("checkout", &s.uri(), &["--env", "sandbox"], &[("CKO_SECRET_KEY", CKO_SANDBOX_KEY)]);
    assert_eq!(good.code, 0, "{}", good.stdout);
    assert!(check(&good.json(), "credential")["summary"].as_str().unwrap().contains("accepted"));

    let bad = probe_json(
        "checkout",
        &s.uri(),
        &["--env", "sandbox"],
        &[("CKO_SECRET_KEY", "sk_sbox_aaaaaaaaaaaaaaaaaaaaaaaaaaa")],
    );
    assert_eq!(bad.code, 1);
    assert_eq!(category(&bad.json()), "auth_invalid_key");
}

#[tokio::test]
async fn checkout_permission_denied_is_403() {
    let s = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(403)).mount(&s).await;
    let r = probe_json("checkout", &s.uri(), &["--env", "sandbox"], &[("CKO_SECRET_KEY", CKO_SANDBOX_KEY)]);
    assert_eq!(r.code, 1);
    let v = r.json();
    assert_eq!(category(&v), "auth_permission");
    assert!(v["conclusion"]["text"].as_str().unwrap().contains("allow-list"), "{v:#}");
}

#[tokio::test]
async fn mercadopago_access_token() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/me"))
        .and(header("authorization", format!("Bearer {MP_TEST_TOKEN}").as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 1234567, "nickname": "TESTUSER1234567"})),
        )
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/users/me"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "message": "invalid access token", "error": "unauthorized", "status": 401, "cause": []
        })))
        .mount(&s)
        .await;
    let good = probe_json("mercadopago", &s.uri(), &[], &[("MERCADOPAGO_ACCESS_TOKEN", MP_TEST_TOKEN)]);
    assert_eq!(good.code, 0, "{}", good.stdout);
    let v = good.json();
    assert_eq!(v["environment"], "sandbox", "TEST- is a test credential");
    let bad = probe_json(
        "mercadopago",
        &s.uri(),
        &[],
        &[("MERCADOPAGO_ACCESS_TOKEN", "TEST-1111111111111111-112309-00000000000000000000000000000000-1")],
    );
    assert_eq!(bad.code, 1);
    let v = bad.json();
    assert_eq!(category(&v), "auth_invalid_key");
    assert!(evidence(&v, "credential").contains("invalid access token"), "{v:#}");
}

#[tokio::test]
async fn afterpay_basic_auth_with_merchant_id_in_user_agent() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/configuration"))
        .and(header("authorization", "Basic MTAwMTAxMzQ6UW03UngyTHA5VHo0S3c4VjAwMDE="))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
            {"type": "PAY_BY_INSTALLMENT", "minimumAmount": {"amount": "1.00", "currency": "AUD"}}
        ])))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/configuration"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "errorCode": "unauthorized", "errorId": "7ad0e2b1b3c4d5e6",
            "message": "Credentials are required to access this resource.", "httpStatusCode": 401
        })))
        .mount(&s)
        .await;
    let env = [("AFTERPAY_MERCHANT_ID", "10010134"), ("AFTERPAY_SECRET_KEY", "Qm7Rx2Lp9Tz4Kw8V0001")];
    let good = probe_json("afterpay", &s.uri(), &["--env", "sandbox"], &env);
    assert_eq!(good.code, 0, "{}", good.stdout);
    let sent = &s.received_requests().await.unwrap()[0];
    let ua = sent.headers.get("user-agent").unwrap().to_str().unwrap().to_string();
    assert!(ua.contains("10010134"), "Afterpay wants the merchant id in the User-Agent: {ua}");

    let bad = probe_json(
        "afterpay",
        &s.uri(),
        &["--env", "sandbox"],
        &[("AFTERPAY_MERCHANT_ID", "10010134"), ("AFTERPAY_SECRET_KEY", "Qm7Rx2Lp9Tz4Kw8VWRONG")],
    );
    assert_eq!(bad.code, 1);
    let v = bad.json();
    assert_eq!(category(&v), "auth_invalid_key");
    assert!(evidence(&v, "credential").contains("afterpay:"), "the body is matched against the knowledge base: {v:#}");
}

/// Every provider `list --json` marks `probe: true` runs its checks against a loopback fake that
/// accepts anything (a token for a token request, 200 for the check): each knowledge file's
/// probe section is exercised, a new one with no new test.
#[tokio::test]
async fn every_probe_section_runs_against_a_loopback_fake() {
    let s = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(token_ok("zz_fake_token_0123456789abcdef", 3600))
        .mount(&s)
        .await;
    let listed = common::listed();
    let probed: Vec<&str> = listed["providers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["probe"] == true)
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(!probed.is_empty(), "{listed}");
    for id in probed {
        let vars: Vec<(String, String)> = ["secret_key", "client_id", "client_secret", "access_token", "merchant_id"]
            .iter()
            .map(|k| {
                (format!("PAYDOCTOR_{}_{}", id.to_uppercase(), k.to_uppercase()), format!("zz{k}0123456789abcdef"))
            })
            .collect();
        let env: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = probe_json(id, &s.uri(), &["--env", "sandbox"], &env);
        assert_eq!(r.code, 0, "{id}: {}{}", r.stdout, r.stderr);
        let v = r.json();
        assert_eq!(status(&v, "credential"), "passed", "{id}: {v:#}");
        assert_ne!(status(&v, "token"), "failed", "{id}: {v:#}");
    }
}

/// A provider paydoctor has no code for, defined only by a company knowledge file: an API key
/// in its own header, a versioned header, and the account id in the User-Agent when given.
const ACMEKEY: &str = r#"
[provider]
id = "acmekey"
name = "Acme Key Gateway"
docs = "https://docs.acmekey.test/errors"
env_vars = { secret_key = ["ACMEKEY_API_KEY"], client_id = ["ACMEKEY_ACCOUNT"] }

[provider.probe]
auth = [{ scheme = "api_key_header", header = "X-Api-Key", credential = "secret_key" }]
headers = { "Acme-Version" = "2024-06-01", "User-Agent" = "paydoctor/{version} (probe; account {client_id})" }

[[provider.environments]]
env = "sandbox"
base_url = "https://api.sandbox.acmekey.test"
hosts = ["api.sandbox.acmekey.test"]
check = "GET /v1/account"
credentials = [{ prefix = "ak_test_", kind = "secret_key" }]

[[provider.environments]]
env = "production"
base_url = "https://api.acmekey.test"
hosts = ["api.acmekey.test"]
check = "GET /v1/account"
credentials = [{ prefix = "ak_live_", kind = "secret_key" }]
"#;

#[tokio::test]
async fn a_provider_with_only_a_knowledge_file_is_probed_with_its_api_key_header() {
    let kb = tempfile::tempdir().unwrap();
    std::fs::write(kb.path().join("acmekey.toml"), ACMEKEY).unwrap();
    let kb = kb.path().to_str().unwrap().to_string();
    let key = "ak_test_5f2c9e81d04b7a36";
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/account"))
        .and(header("x-api-key", key))
        .and(header("acme-version", "2024-06-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "acct_1", "live": false})))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/account"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({"error": "invalid api key"})))
        .mount(&s)
        .await;
    let probe = |env: &[(&str, &str)]| {
        run(&["--kb", &kb, "probe", "--provider", "acmekey", "--base-url", &s.uri(), "--json"], env)
    };

    let good = probe(&[("ACMEKEY_API_KEY", key)]);
    assert_eq!(good.code, 0, "{}{}", good.stdout, good.stderr);
    let v = good.json();
    assert_eq!(status(&v, "credential"), "passed", "{v:#}");
    assert_eq!(v["environment"], "sandbox", "inferred from the ak_test_ shape the file documents");
    let sent = &s.received_requests().await.unwrap()[0];
    assert!(sent.headers.get("authorization").is_none(), "the key goes in X-Api-Key only");
    let ua = sent.headers.get("user-agent").map(|h| h.to_str().unwrap().to_string()).unwrap_or_default();
    assert!(!ua.contains("account"), "no client_id given, so no header that names it: {ua}");

    let with_account = probe(&[("ACMEKEY_API_KEY", key), ("ACMEKEY_ACCOUNT", "acct_7781")]);
    assert_eq!(with_account.code, 0, "{}", with_account.stdout);
    let sent = &s.received_requests().await.unwrap()[1];
    let ua = sent.headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(ua.starts_with("paydoctor/") && ua.ends_with("(probe; account acct_7781)"), "{ua}");

    let bad = probe(&[("ACMEKEY_API_KEY", "ak_test_00000000wrong0000")]);
    assert_eq!(bad.code, 1, "{}", bad.stdout);
    let v = bad.json();
    assert_eq!(status(&v, "credential"), "failed");
    assert_eq!(category(&v), "auth_invalid_key");
    assert!(evidence(&v, "credential").contains("HTTP 401"), "{v:#}");

    // The file's credential shapes drive the environment safety gate too.
    let sent_before = s.received_requests().await.unwrap().len();
    let live = run(
        &["--kb", &kb, "probe", "--provider", "acmekey", "--base-url", &s.uri(), "--env", "sandbox", "--json"],
        &[("ACMEKEY_API_KEY", "ak_live_5f2c9e81d04b7a36")],
    );
    assert_eq!(category(&live.json()), "env_mismatch", "{}", live.stdout);
    assert_eq!(s.received_requests().await.unwrap().len(), sent_before, "nothing sent across environments");
}

/// A provider whose check is signed (HTTP Signature, HmacSHA256, as Cybersource signs), defined
/// only by a company knowledge file.
const SIGPAY: &str = r#"
[provider]
id = "sigpay"
name = "Sig Pay"
docs = "https://docs.sigpay.test/errors"
env_vars = { client_id = ["SIGPAY_KEY_ID"], secret_key = ["SIGPAY_SHARED_SECRET"], merchant_id = ["SIGPAY_MERCHANT_ID"] }

[provider.probe]
auth = [{ scheme = "http_signature", key_id = "client_id", secret = "secret_key" }]
headers = { "v-c-merchant-id" = "{merchant_id}" }

[[provider.environments]]
env = "sandbox"
base_url = "https://apitest.sigpay.test"
hosts = ["apitest.sigpay.test"]
check = "GET /reporting/v3/report-definitions?organizationId=x"

[[provider.environments]]
env = "production"
base_url = "https://api.sigpay.test"
hosts = ["api.sigpay.test"]
check = "GET /reporting/v3/report-definitions?organizationId=x"
"#;

/// The fake's side of HTTP Signature: rebuild the signing string from the request as received
/// and compare the HMAC with the one sent; 401 (with the provider's body) when they differ.
struct VerifySignature {
    secret: Vec<u8>,
}

impl wiremock::Respond for VerifySignature {
    fn respond(&self, req: &wiremock::Request) -> ResponseTemplate {
        use base64::Engine as _;
        let header = |n: &str| req.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let sig = header("signature");
        let field = |k: &str| {
            sig.split(", ")
                .find_map(|p| p.strip_prefix(&format!("{k}=\"")))
                .map(|v| v.trim_end_matches('"').to_string())
        };
        let (Some(names), Some(sent)) = (field("headers"), field("signature")) else {
            return ResponseTemplate::new(401).set_body_string("no signature");
        };
        let query = req.url.query().map(|q| format!("?{q}")).unwrap_or_default();
        let target = format!("{} {}{query}", req.method.as_str().to_lowercase(), req.url.path());
        let lines: Vec<String> = names
            .split(' ')
            .map(|n| if n == "request-target" { format!("{n}: {target}") } else { format!("{n}: {}", header(n)) })
            .collect();
        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &self.secret);
        let want =
            base64::engine::general_purpose::STANDARD.encode(aws_lc_rs::hmac::sign(&key, lines.join("\n").as_bytes()));
        if want == sent
            && names == "host date request-target v-c-merchant-id"
            && field("keyid").as_deref() == Some("5f2c9e81-d04b-4a36-9c1e-7d3a2b1c0e9f")
        {
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"reportDefinitions": []}))
        } else {
            ResponseTemplate::new(401).set_body_json(serde_json::json!({"response": {"rmsg": "Authentication Failed"}}))
        }
    }
}

#[tokio::test]
async fn a_signed_check_is_verified_by_the_server() {
    use base64::Engine as _;
    let kb = tempfile::tempdir().unwrap();
    std::fs::write(kb.path().join("sigpay.toml"), SIGPAY).unwrap();
    let kb = kb.path().to_str().unwrap().to_string();
    let secret = b"0123456789abcdef0123456789abcdef";
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/reporting/v3/report-definitions"))
        .respond_with(VerifySignature { secret: secret.to_vec() })
        .mount(&s)
        .await;
    let probe = |env: &[(&str, &str)]| {
        run(&["--kb", &kb, "probe", "--provider", "sigpay", "--env", "sandbox", "--base-url", &s.uri(), "--json"], env)
    };
    let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
    let creds = |secret: &str| {
        [
            ("SIGPAY_KEY_ID", "5f2c9e81-d04b-4a36-9c1e-7d3a2b1c0e9f".to_string()),
            ("SIGPAY_SHARED_SECRET", secret.to_string()),
            ("SIGPAY_MERCHANT_ID", "acme_merchant_01".to_string()),
        ]
    };
    let good_creds = creds(&b64);
    let env: Vec<(&str, &str)> = good_creds.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let good = probe(&env);
    assert_eq!(good.code, 0, "{}{}", good.stdout, good.stderr);
    assert_eq!(status(&good.json(), "credential"), "passed");
    let sent = &s.received_requests().await.unwrap()[0];
    assert_eq!(sent.headers.get("v-c-merchant-id").unwrap(), "acme_merchant_01");
    assert!(sent.headers.get("authorization").is_none());

    let other = base64::engine::general_purpose::STANDARD.encode(b"another secret, same length....!");
    let bad_creds = creds(&other);
    let env: Vec<(&str, &str)> = bad_creds.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let bad = probe(&env);
    assert_eq!(bad.code, 1, "{}", bad.stdout);
    let v = bad.json();
    assert_eq!(category(&v), "auth_invalid_key", "{v:#}");

    // The merchant id is signed, so without it the signature cannot be made: say what is missing.
    let partial: Vec<(&str, &str)> = env.into_iter().filter(|(k, _)| *k != "SIGPAY_MERCHANT_ID").collect();
    let missing = probe(&partial);
    let v = missing.json();
    assert_eq!(status(&v, "credential"), "skipped", "{v:#}");
    assert!(check(&v, "credential")["summary"].as_str().unwrap().contains("SIGPAY_MERCHANT_ID"), "{v:#}");
}

#[tokio::test]
async fn alternativepayments_token_then_bearer_and_an_expired_stored_token() {
    let s = MockServer::start().await;
    // Basic base64(ap_client_0001:ap_secret_0001)
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", "Basic YXBfY2xpZW50XzAwMDE6YXBfc2VjcmV0XzAwMDE="))
        .and(body_string_contains("grant_type=client_credentials"))
        .respond_with(token_ok("ap_fresh_token_9f8e7d6c5b4a", 3600))
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({"error": "invalid_client"})))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/customers"))
        .and(header("authorization", "Bearer ap_fresh_token_9f8e7d6c5b4a"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": []})))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/customers"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({"message": "Unauthorized"})))
        .mount(&s)
        .await;
    let creds = [
        ("PAYDOCTOR_ALTERNATIVEPAYMENTS_CLIENT_ID", "ap_client_0001"),
        ("PAYDOCTOR_ALTERNATIVEPAYMENTS_CLIENT_SECRET", "ap_secret_0001"),
    ];
    let good = probe_json("alternativepayments", &s.uri(), &["--env", "sandbox"], &creds);
    assert_eq!(good.code, 0, "{}", good.stdout);
    let v = good.json();
    assert_eq!(status(&v, "token"), "passed");
    assert!(check(&v, "token")["summary"].as_str().unwrap().contains("expires_in 3600"), "{v:#}");
    assert!(evidence(&v, "token").contains("local clock"), "the server's Date is compared: {v:#}");

    let mut with_stale = creds.to_vec();
    with_stale.push(("PAYDOCTOR_ALTERNATIVEPAYMENTS_ACCESS_TOKEN", "ap_stale_token_0000aaaa"));
    let stale = probe_json("alternativepayments", &s.uri(), &["--env", "sandbox"], &with_stale);
    assert_eq!(stale.code, 1);
    let v = stale.json();
    assert_eq!(status(&v, "token"), "failed");
    assert_eq!(category(&v), "auth_expired_token");
    assert_eq!(status(&v, "credential"), "passed", "the fresh token still works");

    let bad = probe_json(
        "alternativepayments",
        &s.uri(),
        &["--env", "sandbox"],
        &[creds[0], ("PAYDOCTOR_ALTERNATIVEPAYMENTS_CLIENT_SECRET", "ap_secret_WRONG")],
    );
    assert_eq!(bad.code, 1);
    let v = bad.json();
    assert_eq!(category(&v), "auth_invalid_key");
    assert_eq!(v["conclusion"]["check"], "token");
}

#[tokio::test]
async fn paypal_token_request_is_the_check_and_is_never_retried() {
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .and(header_exists("authorization"))
        .and(header("authorization", "Basic QWNsaWVudElkMDAwMTpFc2VjcmV0MDAwMQ=="))
        .respond_with(token_ok("A21AAFakeTokenForTests0001", 32400))
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .and(header("authorization", "Basic QWNsaWVudElkMDAwMTpFdGhyb3R0bGVk"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client", "error_description": "Client Authentication failed"
        })))
        .mount(&s)
        .await;
    let good = probe_json(
        "paypal",
        &s.uri(),
        &["--env", "sandbox"],
        &[("PAYPAL_CLIENT_ID", "AclientId0001"), ("PAYPAL_CLIENT_SECRET", "Esecret0001")],
    );
    assert_eq!(good.code, 0, "{}", good.stdout);
    let v = good.json();
    assert_eq!(status(&v, "credential"), "passed");
    assert!(check(&v, "token")["summary"].as_str().unwrap().contains("expires_in 32400"));
    assert_eq!(s.received_requests().await.unwrap().len(), 1, "one token request serves both checks");

    let bad = probe_json(
        "paypal",
        &s.uri(),
        &["--env", "sandbox"],
        &[("PAYPAL_CLIENT_ID", "AclientId0001"), ("PAYPAL_CLIENT_SECRET", "Ewrong0001")],
    );
    assert_eq!(bad.code, 1);
    let v = bad.json();
    assert_eq!(category(&v), "auth_invalid_key");
    assert!(v["conclusion"]["text"].as_str().unwrap().contains("invalid_client"), "{v:#}");

    s.reset().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .mount(&s)
        .await;
    let throttled = probe_json(
        "paypal",
        &s.uri(),
        &["--env", "sandbox"],
        &[("PAYPAL_CLIENT_ID", "AclientId0001"), ("PAYPAL_CLIENT_SECRET", "Ethrottled")],
    );
    assert_eq!(throttled.code, 1);
    let v = throttled.json();
    assert_eq!(s.received_requests().await.unwrap().len(), 1, "a POST is never retried");
    assert!(evidence(&v, "rate").contains("not retried"), "{v:#}");
    assert_eq!(status(&v, "rate"), "failed");
}

// --- failure modes ------------------------------------------------------------------------

#[tokio::test]
async fn sandbox_key_against_production_is_refused_before_any_request() {
    let s = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&s).await;
    let r = probe_json("checkout", &s.uri(), &["--env", "production"], &[("CKO_SECRET_KEY", CKO_SANDBOX_KEY)]);
    assert_eq!(r.code, 1);
    let v = r.json();
    assert_eq!(category(&v), "env_mismatch");
    assert_eq!(status(&v, "credential"), "skipped");
    assert!(check(&v, "credential")["summary"].as_str().unwrap().contains("--force"));
    assert!(s.received_requests().await.unwrap().is_empty(), "nothing is sent without --force");

    let forced =
        probe_json("checkout", &s.uri(), &["--env", "production", "--force"], &[("CKO_SECRET_KEY", CKO_SANDBOX_KEY)]);
    assert_eq!(forced.code, 1, "the mix-up is still reported");
    assert_eq!(status(&forced.json(), "credential"), "passed");
    assert_eq!(s.received_requests().await.unwrap().len(), 1);
}

#[test]
fn live_key_on_the_documented_sandbox_host_is_named_without_touching_the_network() {
    // Checkout.com's sandbox host with a production-shaped key: refused offline.
    let r = run(
        &["probe", "--provider", "cko", "--base-url", "https://api.sandbox.checkout.com", "--json"],
        &[("CKO_SECRET_KEY", "sk_m73dzbpy7cf3gfd46xr4yj5xo4e")],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    let v = r.json();
    assert_eq!(category(&v), "env_mismatch");
    let text = v["conclusion"]["text"].as_str().unwrap();
    assert!(text.contains("production") && text.contains("sandbox host api.sandbox.checkout.com"), "{text}");
    assert!(evidence(&v, "env").contains("documented sandbox host"), "{v:#}");
}

/// Credentials go only to the provider's documented hosts or to loopback: any other host is
/// refused (env ✗, naming it) before anything is resolved or connected, unless `--force`.
#[test]
fn an_undocumented_host_is_refused_before_connecting() {
    // A name that never resolves, and an address that is not loopback by the rule yet reaches
    // this machine's listener, where a connection would show.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let mapped = format!("https://[::ffff:127.0.0.1]:{}", listener.local_addr().unwrap().port());
    for base in ["https://vm.invalid:8443", mapped.as_str()] {
        let host = base.trim_start_matches("https://").replace("[::ffff:127.0.0.1]", "[::ffff:7f00:1]");
        let start = std::time::Instant::now();
        let r = probe_json("stripe", base, &["--env", "sandbox"], &[("STRIPE_API_KEY", STRIPE_TEST_KEY)]);
        assert!(start.elapsed() < Duration::from_secs(2), "no lookup, no connection: {:?}", start.elapsed());
        assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
        let v = r.json();
        assert_eq!(status(&v, "env"), "failed", "{v:#}");
        let summary = check(&v, "env")["summary"].as_str().unwrap().to_string();
        assert_eq!(summary, format!("{host} is not a documented Stripe host"));
        assert_eq!(category(&v), "configuration");
        assert!(v["conclusion"]["text"].as_str().unwrap().contains("--force"), "{v:#}");
        for c in ["credential", "rate"] {
            assert_eq!(status(&v, c), "skipped", "{v:#}");
        }
        assert!(check(&v, "credential")["summary"].as_str().unwrap().starts_with("refused: "), "{v:#}");
        let env = evidence(&v, "env");
        assert!(!env.contains("TCP connect") && !env.contains("DNS"), "nothing was resolved or connected: {env}");
    }
    assert!(listener.accept().is_err(), "the refused probe connected");

    let human = run(
        &["probe", "-p", "stripe", "--env", "sandbox", "--base-url", "https://vm.invalid:8443"],
        &[("STRIPE_API_KEY", STRIPE_TEST_KEY), ("NO_COLOR", "1")],
    );
    assert!(human.stdout.contains("✗ env") && human.stdout.contains("vm.invalid:8443 is not a documented Stripe host"));

    // --force sends anyway (here: tries to connect), and env still says ✗.
    let forced = probe_json(
        "stripe",
        &mapped,
        &["--env", "sandbox", "--force", "--connect-timeout", "1", "--timeout", "2"],
        &[("STRIPE_API_KEY", STRIPE_TEST_KEY)],
    );
    let v = forced.json();
    assert_eq!(status(&v, "env"), "failed");
    let env = evidence(&v, "env");
    assert!(env.contains("--force: the authenticated checks below were sent anyway"), "{env}");
    assert!(env.contains("[::ffff:7f00:1]:"), "the connection was attempted: {env}");
}

#[tokio::test]
async fn rate_limited_get_is_retried_after_retry_after() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1").set_body_json(serde_json::json!({
            "error": {"message": "Too many requests hit the API too quickly.", "type": "invalid_request_error", "code": "rate_limit"}
        })))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-limit", "25")
                .insert_header("x-ratelimit-remaining", "24")
                .set_body_json(serde_json::json!({"object": "balance"})),
        )
        .mount(&s)
        .await;
    let start = std::time::Instant::now();
    let r = probe_json("stripe", &s.uri(), &[], &[("STRIPE_API_KEY", STRIPE_TEST_KEY)]);
    assert!(start.elapsed() >= Duration::from_secs(1), "waited as Retry-After asked");
    assert_eq!(r.code, 1);
    let v = r.json();
    assert_eq!(status(&v, "credential"), "passed", "{v:#}");
    assert_eq!(status(&v, "rate"), "failed");
    assert_eq!(category(&v), "rate_limit");
    let ev = evidence(&v, "rate");
    assert!(ev.contains("waited 1 s") && ev.contains("x-ratelimit-remaining: 24"), "{ev}");
    assert_eq!(s.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn rate_limited_without_retry_after_backs_off_a_bounded_number_of_times() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).set_body_json(serde_json::json!({
            "error": {"message": "Too many requests hit the API too quickly.", "type": "invalid_request_error", "code": "rate_limit"}
        })))
        .mount(&s)
        .await;
    let start = std::time::Instant::now();
    let r = probe_json("stripe", &s.uri(), &[], &[("STRIPE_API_KEY", STRIPE_TEST_KEY)]);
    let took = start.elapsed();
    assert_eq!(r.code, 1);
    let v = r.json();
    assert_eq!(status(&v, "rate"), "failed", "{v:#}");
    assert_eq!(category(&v), "rate_limit");
    let n = s.received_requests().await.unwrap().len();
    assert!((2..=4).contains(&n), "a few bounded retries, not a loop: {n} requests");
    assert!(took < Duration::from_secs(15), "bounded time: {took:?}");
}

#[tokio::test]
async fn slow_server_times_out() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&s)
        .await;
    let start = std::time::Instant::now();
    let r = probe_json("mercadopago", &s.uri(), &["--timeout", "1"], &[("MERCADOPAGO_ACCESS_TOKEN", MP_TEST_TOKEN)]);
    assert!(start.elapsed() < Duration::from_secs(4), "the total timeout bounds the probe");
    assert_eq!(r.code, 1);
    let v = r.json();
    assert_eq!(category(&v), "network_tls");
    assert!(check(&v, "credential")["summary"].as_str().unwrap().contains("no answer within 1 s"), "{v:#}");
}

#[test]
fn connection_refused() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let r = probe_json(
        "afterpay",
        &base,
        &["--env", "sandbox"],
        &[("AFTERPAY_MERCHANT_ID", "10010134"), ("AFTERPAY_SECRET_KEY", "Qm7Rx2Lp9Tz4Kw8V0001")],
    );
    assert_eq!(r.code, 1);
    let v = r.json();
    assert_eq!(status(&v, "env"), "failed");
    assert_eq!(category(&v), "network_tls");
    assert!(evidence(&v, "env").contains("connection refused"), "{v:#}");
    assert_eq!(status(&v, "credential"), "skipped", "no authenticated request to an unreachable host");
}

#[tokio::test]
async fn redirect_to_another_host_never_carries_the_credential() {
    let other = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&other).await;
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(307).insert_header("location", format!("{}/v1/balance", other.uri()).as_str()),
        )
        .mount(&s)
        .await;
    let r = probe_json("stripe", &s.uri(), &[], &[("STRIPE_API_KEY", STRIPE_TEST_KEY)]);
    assert_eq!(r.code, 1);
    let v = r.json();
    assert_eq!(category(&v), "configuration");
    assert!(check(&v, "credential")["summary"].as_str().unwrap().contains("redirected to another host"), "{v:#}");
    let leaked: Vec<_> = other
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.headers.get("authorization").is_some())
        .collect();
    assert!(leaked.is_empty(), "the second host received the credential");
    assert!(other.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn stripe_404_is_a_wrong_base_url_not_a_bad_key() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "error": {"type": "invalid_request_error", "message": "No matching path: /v1/balance"}
        })))
        .mount(&s)
        .await;
    let r = probe_json("stripe", &s.uri(), &[], &[("STRIPE_API_KEY", STRIPE_TEST_KEY)]);
    assert_eq!(r.code, 1);
    assert_eq!(category(&r.json()), "not_found");
}

#[tokio::test]
async fn server_error_with_a_plain_text_body() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("content-type", "text/plain; charset=utf-8")
                .set_body_string("500 Internal Server Error\n\nServer got itself in trouble"),
        )
        .mount(&s)
        .await;
    let r = probe_json("stripe", &s.uri(), &["--only", "credential"], &[("STRIPE_API_KEY", STRIPE_TEST_KEY)]);
    assert_eq!(r.code, 1);
    let v = r.json();
    assert_eq!(category(&v), "server_error");
    assert_eq!(v["checks"].as_array().unwrap().len(), 1, "--only credential runs one check");
}

// --- credentials, profiles, safety ------------------------------------------------------------

#[tokio::test]
async fn human_report_masks_keys_and_names_sources_and_disagreements() {
    let s = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("{}")).mount(&s).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stripe.key");
    std::fs::write(&file, format!("{STRIPE_TEST_KEY}\n")).unwrap();
    let r = run(
        &["probe", "-p", "stripe", "--base-url", &s.uri(), "--secret-key-file", file.to_str().unwrap()],
        &[("STRIPE_API_KEY", "sk_test_51DifferentKeyFromEnv9999")],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("sk_test_…4242") && r.stdout.contains("--secret-key-file"), "{}", r.stdout);
    assert!(r.stdout.contains("disagree") && r.stdout.contains("sk_test_…9999"), "{}", r.stdout);
    assert!(r.stdout.contains("✓ credential") && r.stdout.contains("Conclusion"), "{}", r.stdout);
    let sent = &s.received_requests().await.unwrap()[0];
    assert_eq!(
        sent.headers.get("authorization").unwrap(),
        format!("Bearer {STRIPE_TEST_KEY}").as_str(),
        "the file wins"
    );
}

#[test]
fn secrets_are_never_flag_values() {
    let r = run(&["probe", "--provider", "stripe", "--secret-key", STRIPE_TEST_KEY], &[]);
    assert_eq!(r.code, 2);
}

/// A secret typed where a credential file's path belongs, or a file that is not text: the
/// error names the flag and prints neither.
#[test]
fn credential_file_errors_print_no_secret() {
    const SECRET: &str = "EHk3q9Zt9Lw8vR2nXdP5bqTm";
    let id = [("PAYPAL_CLIENT_ID", "AclientId0001")];
    let r = run(&["probe", "-p", "paypal", "--env", "sandbox", "--client-secret-file", SECRET], &id);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--client-secret-file: cannot read the credential file: No such file"), "{}", r.stderr);
    assert!(!r.stderr.contains("Zt9Lw8vR"), "{}", r.stderr);

    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("secret.bin");
    std::fs::write(&binary, [SECRET.as_bytes(), b"\xff\xfe"].concat()).unwrap();
    let r = run(&["probe", "-p", "paypal", "--env", "sandbox", "--client-secret-file", binary.to_str().unwrap()], &id);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is not UTF-8 text"), "{}", r.stderr);
    assert!(!r.stderr.contains("Zt9Lw8vR"), "{}", r.stderr);
}

#[test]
fn could_not_run_exits_2() {
    let no_creds = run(&["probe", "--provider", "stripe", "--env", "sandbox"], &[]);
    assert_eq!(no_creds.code, 2);
    assert!(no_creds.stderr.contains("STRIPE_API_KEY"), "{}", no_creds.stderr);
    let no_provider = run(&["probe"], &[("STRIPE_API_KEY", STRIPE_TEST_KEY)]);
    assert_eq!(no_provider.code, 2);
    assert!(no_provider.stderr.contains("--provider"));
    let plain_http = run(
        &["probe", "--provider", "stripe", "--base-url", "http://api.stripe.com"],
        &[("STRIPE_API_KEY", STRIPE_TEST_KEY)],
    );
    assert_eq!(plain_http.code, 2);
    assert!(plain_http.stderr.contains("loopback"), "{}", plain_http.stderr);
    let no_probe = run(&["probe", "--provider", "adyen", "--env", "sandbox"], &[("PAYDOCTOR_ADYEN_SECRET_KEY", "k")]);
    assert_eq!(no_probe.code, 2);
    assert!(no_probe.stderr.contains("no [provider.probe]"), "{}", no_probe.stderr);
}

#[tokio::test]
async fn config_profile_names_where_secrets_live() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {CKO_SANDBOX_KEY}").as_str()))
        .respond_with(ResponseTemplate::new(404))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "[profile.shop-sandbox]\nprovider = \"checkout\"\nenvironment = \"sandbox\"\nbase_url = \"{}\"\n\
             credentials.secret_key = {{ env = \"SHOP_CKO_KEY\" }}\n",
            s.uri()
        ),
    )
    .unwrap();
    let cfg = dir.path().to_str().unwrap();
    let r = run(
        &["probe", "--profile", "shop-sandbox", "--json"],
        &[("PAYDOCTOR_CONFIG_DIR", cfg), ("SHOP_CKO_KEY", CKO_SANDBOX_KEY)],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = r.json();
    assert_eq!(v["provider"], "checkout");
    assert_eq!(v["credentials"][0]["source"], "env SHOP_CKO_KEY (profile shop-sandbox)");

    std::fs::write(
        dir.path().join("config.toml"),
        "[profile.bad]\nprovider = \"stripe\"\ncredentials.secret_key = { value = \"sk_test_x\" }\n",
    )
    .unwrap();
    let r = run(&["probe", "--profile", "bad"], &[("PAYDOCTOR_CONFIG_DIR", cfg)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("never the secret"), "{}", r.stderr);
    std::fs::write(dir.path().join("config.toml"), "[profile.other]\nprovider = \"stripe\"\n").unwrap();
    let r = run(&["probe", "--profile", "missing"], &[("PAYDOCTOR_CONFIG_DIR", cfg)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no profile `missing`") && r.stderr.contains("other"), "{}", r.stderr);
}

// --- explain --probe --------------------------------------------------------------------------

#[tokio::test]
async fn explain_probe_reranks_causes_by_what_the_probe_found() {
    let s = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&s).await;
    let r = run(
        &["explain", "--json", "--probe", "--base-url", &s.uri(), "--env", "sandbox", "checkout:401"],
        &[("CKO_SECRET_KEY", CKO_SANDBOX_KEY)],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = r.json();
    assert_eq!(v["probe"]["conclusion"]["category"], "auth_invalid_key");
    let causes = v["matches"][0]["causes"].as_array().unwrap();
    let first = &causes[0];
    assert!(first["probe"] == "credential" || first["probe"] == "token", "{first:#}");
    assert!(first["supported_by"].to_string().contains("live probe"), "{first:#}");
    let env_cause = causes.iter().find(|c| c["probe"] == "env");
    if let Some(c) = env_cause {
        assert!(c["supported_by"].to_string().contains("live probe env passed"), "{c:#}");
    }

    let human = run(
        &["explain", "--probe", "--base-url", &s.uri(), "--env", "sandbox", "checkout:401"],
        &[("CKO_SECRET_KEY", CKO_SANDBOX_KEY)],
    );
    assert!(human.stdout.contains("live probe") && human.stdout.contains("Conclusion"), "{}", human.stdout);
}

#[test]
fn explain_probe_without_credentials_keeps_the_diagnosis() {
    let input = "Stripe\\Exception\\AuthenticationException: Invalid API Key provided: sk_test_****1234";
    let r = run(&["explain", "--probe", input], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Stripe"), "{}", r.stdout);
    assert!(r.stderr.contains("probe skipped") && r.stderr.contains("no Stripe credentials"), "{}", r.stderr);
    let r = run(&["explain", "--json", "--probe", input], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = r.json();
    assert_eq!(v["matches"][0]["provider"], "stripe");
    assert!(v["probe"]["skipped"].as_str().unwrap().contains("STRIPE_SECRET_KEY"), "{v:#}");
}

#[tokio::test]
async fn a_webhook_secret_or_a_publishable_key_given_as_the_api_key_is_named_before_any_request() {
    let s = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&s).await;
    for (key, said) in [
        ("whsec_0123456789abcdefABCDEF0123456789", "webhook signing secret"),
        ("pk_test_51Hc0ffeeC0ffeeC0ffee4242", "public key"),
    ] {
        let r = probe_json("stripe", &s.uri(), &[], &[("STRIPE_API_KEY", key)]);
        assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
        let v = r.json();
        assert_eq!(category(&v), "auth_invalid_key", "{v:#}");
        assert!(check(&v, "env")["summary"].as_str().unwrap().contains(said), "{v:#}");
    }
    assert!(s.received_requests().await.unwrap().is_empty(), "nothing sent with a key of the wrong kind");
}

#[test]
fn a_mistake_in_one_profile_is_that_profiles_problem_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[profile.shop]\nprovider = \"stripe\"\nenvironmnet = \"sandbox\"\n\n[profile.ok]\nprovider = \"paypal\"\n",
    )
    .unwrap();
    let env = [("PAYDOCTOR_CONFIG_DIR", dir.path().to_str().unwrap())];
    let r = run(&["config", "check"], &env);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("profile `shop`: line 3: unknown field `environmnet`"), "{}", r.stdout);
    assert!(r.stdout.contains("2 profile(s): 1 problem(s)"), "{}", r.stdout);
    assert!(!r.stdout.contains("profile `ok`"), "{}", r.stdout);
    let r = run(&["config", "path"], &env);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // the good profile goes on to its own question (no PayPal credentials), not the other's mistake
    let r = run(&["probe", "--profile", "ok"], &env);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no PayPal credentials") && !r.stderr.contains("environmnet"), "{}", r.stderr);
    let r = run(&["probe", "--profile", "shop"], &env);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("environmnet"), "{}", r.stderr);
}
