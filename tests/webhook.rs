//! `paydoctor webhook verify` against signatures made by the providers' own SDKs (installed by
//! tests/peers/install.sh into tests/peers/.venv; driven through tests/peers/webhook_oracle.py):
//! a request the SDK signed verifies (exit 0); each way of breaking it is named exactly
//! (exit 1, `cause`); usage and operational errors exit 2; no secret is ever printed.

mod common;

use common::paydoctor;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn peers() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/peers")
}

/// Sign with the provider's SDK: the oracle's JSON answer.
fn oracle(args: &[&str]) -> Value {
    let python = peers().join(".venv/bin/python");
    assert!(
        python.exists(),
        "the provider SDKs are not installed ({} is missing): run tests/peers/install.sh",
        python.display()
    );
    let out = std::process::Command::new(python).arg(peers().join("webhook_oracle.py")).args(args).output().unwrap();
    assert!(out.status.success(), "oracle {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_else(|| panic!("oracle gave no {k}: {v}")).to_string()
}

struct Run {
    code: i32,
    json: Value,
    stdout: String,
    stderr: String,
}

/// Run `webhook verify` with this body, these arguments and environment; every secret given
/// must be absent from everything printed.
fn verify(dir: &Path, body: &[u8], args: &[&str], env: &[(&str, &str)], json: bool) -> Run {
    let file = dir.join(format!("body-{}", rand_name()));
    std::fs::write(&file, body).unwrap();
    let mut cmd = paydoctor();
    cmd.args(["webhook", "verify", "--body"]).arg(&file).args(args);
    if json {
        cmd.arg("--json");
    }
    for var in ["PAYDOCTOR_WEBHOOK_SECRET", "STRIPE_WEBHOOK_SECRET", "ADYEN_HMAC_KEY", "PAYPAL_WEBHOOK_ID"] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    for (_, v) in env {
        for secret in v.split(',').filter(|s| s.len() >= 8) {
            assert!(!stdout.contains(secret) && !stderr.contains(secret), "a secret was printed:\n{stdout}\n{stderr}");
        }
    }
    let json = if json && !stdout.is_empty() {
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
    } else {
        Value::Null
    };
    Run { code: out.status.code().unwrap_or(-1), json, stdout, stderr }
}

fn rand_name() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

/// Exit 0, verified, with secret `index`.
fn assert_verified(r: &Run, index: u64) {
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.json["verified"], true);
    assert_eq!(r.json["cause"], Value::Null);
    assert_eq!(r.json["matched_secret"], index);
    assert_eq!(r.json["schema_version"], 1);
}

/// Exit 1 for exactly this cause.
fn assert_cause(r: &Run, cause: &str) {
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.json["verified"], false);
    assert_eq!(r.json["cause"], cause, "{}", r.stdout);
    assert!(!r.json["fix"].as_array().unwrap().is_empty());
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// The body parsed and serialized again by Python's `json.dumps` with these arguments
/// (`separators=(",", ":")` is what a framework that re-serializes compactly sends on).
fn py_dumps(body: &[u8], kwargs: &str) -> Vec<u8> {
    let python = peers().join(".venv/bin/python");
    let code = format!("import json,sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read()), {kwargs}))");
    let mut child = std::process::Command::new(python)
        .args(["-c", &code])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), body).unwrap();
    child.wait_with_output().unwrap().stdout
}

fn compact(body: &[u8]) -> Vec<u8> {
    py_dumps(body, "separators=(',', ':'), ensure_ascii=False")
}

const STRIPE_BODY: &str = "{\n  \"id\": \"evt_1QxYzOracle\",\n  \"object\": \"event\",\n  \"api_version\": \"2024-06-20\",\n  \"data\": {\n    \"object\": {\n      \"id\": \"pi_3QxOracle\",\n      \"object\": \"payment_intent\",\n      \"amount\": 2000,\n      \"currency\": \"eur\",\n      \"description\": \"Café order\",\n      \"metadata\": {}\n    }\n  },\n  \"livemode\": false,\n  \"type\": \"payment_intent.succeeded\"\n}";
const WHSEC: &str = "whsec_oracleA1b2C3d4E5f6G7h8I9j0KlMnOpQr";
const T: &str = "1733390000";

fn stripe_header(dir: &Path, body: &str) -> String {
    let f = dir.join("stripe-signed.json");
    std::fs::write(&f, body).unwrap();
    s(&oracle(&["stripe", f.to_str().unwrap(), WHSEC, T]), "Stripe-Signature")
}

#[test]
fn stripe_signed_by_the_sdk_verifies_and_each_break_is_named() {
    let d = tmp();
    let sig = stripe_header(d.path(), STRIPE_BODY);
    let h = format!("Stripe-Signature: {sig}");
    let at = ["--at", "1733390100"];
    let args = [&["-H", h.as_str()][..], &at].concat();
    let ok = verify(d.path(), STRIPE_BODY.as_bytes(), &args, &[("STRIPE_WEBHOOK_SECRET", WHSEC)], true);
    assert_verified(&ok, 0);
    assert_eq!(ok.json["scheme"], "hmac-sha256 hex over t.body");

    // Which of several secrets signs it.
    let two = format!("whsec_otherEndpointSecret0123456789ab,{WHSEC}");
    let r = verify(d.path(), STRIPE_BODY.as_bytes(), &args, &[("PAYDOCTOR_WEBHOOK_SECRET", &two)], true);
    assert_verified(&r, 1);

    // express.json() + JSON.stringify: the body re-serialized compactly.
    let r = verify(d.path(), &compact(STRIPE_BODY.as_bytes()), &args, &[("PAYDOCTOR_WEBHOOK_SECRET", &two)], true);
    assert_cause(&r, "body_modified");
    assert_eq!(r.json["matched_secret"], 1);
    assert!(r.stdout.contains("indented by 2 spaces"), "{}", r.stdout);

    // A trailing newline added by a logger or a file.
    let nl = format!("{STRIPE_BODY}\n");
    assert_cause(&verify(d.path(), nl.as_bytes(), &args, &[("STRIPE_WEBHOOK_SECRET", WHSEC)], true), "body_modified");

    // Another endpoint's secret; an API key; a CLI secret named for the other environment.
    let wrong = [("STRIPE_WEBHOOK_SECRET", "whsec_otherEndpointSecret0123456789ab")];
    assert_cause(&verify(d.path(), STRIPE_BODY.as_bytes(), &args, &wrong, true), "wrong_secret");
    let sk = [("STRIPE_WEBHOOK_SECRET", "sk_test_51OracleKeyAbCdEfGhIjKlMnOpQrStUv")];
    assert_cause(&verify(d.path(), STRIPE_BODY.as_bytes(), &args, &sk, true), "wrong_secret_type");
    let live = [("STRIPE_LIVE_WHSEC", "whsec_liveEndpointSecret0123456789ab")];
    let largs = [&args[..], &["--secret-env", "STRIPE_LIVE_WHSEC"]].concat();
    assert_cause(&verify(d.path(), STRIPE_BODY.as_bytes(), &largs, &live, true), "secret_of_other_environment");

    // A replay an hour later; a wider tolerance accepts it.
    let late = [&["-H", h.as_str()][..], &["--at", "1733393600"]].concat();
    let r = verify(d.path(), STRIPE_BODY.as_bytes(), &late, &[("STRIPE_WEBHOOK_SECRET", WHSEC)], true);
    assert_cause(&r, "timestamp_outside_tolerance");
    assert_eq!(r.json["matched_secret"], 0);
    let wide = [&late[..], &["--tolerance", "7200"]].concat();
    assert_verified(&verify(d.path(), STRIPE_BODY.as_bytes(), &wide, &[("STRIPE_WEBHOOK_SECRET", WHSEC)], true), 0);

    // The header dropped by a proxy, or cut.
    let none = ["--provider", "stripe"];
    assert_cause(
        &verify(d.path(), STRIPE_BODY.as_bytes(), &none, &[("STRIPE_WEBHOOK_SECRET", WHSEC)], true),
        "header_missing",
    );
    let cut = format!("Stripe-Signature: v1={}", &sig[sig.find("v1=").unwrap() + 3..]);
    assert_cause(
        &verify(d.path(), STRIPE_BODY.as_bytes(), &["-H", &cut], &[("STRIPE_WEBHOOK_SECRET", WHSEC)], true),
        "header_malformed",
    );
}

#[test]
fn stripe_human_report_explains_a_reserialized_body() {
    let d = tmp();
    let sig = stripe_header(d.path(), STRIPE_BODY);
    let h = format!("Stripe-Signature: {sig}");
    let r = verify(
        d.path(),
        &compact(STRIPE_BODY.as_bytes()),
        &["-H", &h, "--at", T],
        &[("STRIPE_WEBHOOK_SECRET", WHSEC)],
        false,
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("not verified: body_modified"), "{}", r.stdout);
    assert!(r.stdout.contains("parsed and serialized again"));
    assert!(r.stdout.contains("whsec_…"), "the secret is shown masked: {}", r.stdout);
    assert!(!r.stdout.contains('\u{1b}'), "no color off a terminal");
}

#[test]
fn a_profile_and_a_headers_file_give_the_secret_and_the_headers() {
    let d = tmp();
    let sig = stripe_header(d.path(), STRIPE_BODY);
    std::fs::write(
        d.path().join("config.toml"),
        "[profile.shop]\nprovider = \"stripe\"\nenvironment = \"sandbox\"\ncredentials.webhook_secret = { env = \"SHOP_WHSEC\" }\n",
    )
    .unwrap();
    // A curl -v dump of the request as forwarded.
    let dump = format!(
        "* Connected\n> POST /hooks/stripe HTTP/1.1\n> Host: shop.example\n> Stripe-Signature: {sig}\n> Content-Type: application/json\n>\n< HTTP/1.1 400 Bad Request\n"
    );
    let hf = d.path().join("dump.txt");
    std::fs::write(&hf, dump).unwrap();
    let mut cmd = paydoctor();
    cmd.env("PAYDOCTOR_CONFIG_DIR", d.path()).env("SHOP_WHSEC", WHSEC).env_remove("PAYDOCTOR_WEBHOOK_SECRET");
    let body = d.path().join("b.json");
    std::fs::write(&body, STRIPE_BODY).unwrap();
    let out = cmd
        .args(["webhook", "verify", "--profile", "shop", "--headers"])
        .arg(&hf)
        .arg("--body")
        .arg(&body)
        .args(["--at", T, "--json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("profile shop") && !text.contains(WHSEC), "{text}");
}

#[test]
fn razorpay_verified_by_the_sdk_and_breaks() {
    let d = tmp();
    let body = r#"{"entity":"event","account_id":"acc_Oracle","event":"payment.captured","contains":["payment"],"payload":{"payment":{"entity":{"id":"pay_Oracle","amount":50000,"currency":"INR","description":"Café"}}},"created_at":1733390000}"#;
    let secret = "rzp_webhook_oracle_secret_123";
    let f = d.path().join("rzp.json");
    std::fs::write(&f, body).unwrap();
    let sig = s(&oracle(&["razorpay", f.to_str().unwrap(), secret]), "X-Razorpay-Signature");
    let h = format!("X-Razorpay-Signature: {sig}");
    let env = [("RAZORPAY_WEBHOOK_SECRET", secret)];
    assert_verified(&verify(d.path(), body.as_bytes(), &["-H", &h], &env, true), 0);
    // Python's json.dumps default (", " and ": ", non-ASCII escaped).
    let spaced = py_dumps(body.as_bytes(), "");
    let r = verify(d.path(), &spaced, &["-H", &h], &env, true);
    assert_cause(&r, "body_modified");
    // The body converted to ISO-8859-1 on the way.
    let latin1: Vec<u8> = body.chars().map(|c| c as u32 as u8).collect();
    assert_cause(&verify(d.path(), &latin1, &["-H", &h], &env, true), "encoding");
    let key_id = [("RAZORPAY_WEBHOOK_SECRET", "rzp_test_OracleKeyId1234")];
    assert_cause(&verify(d.path(), body.as_bytes(), &["-H", &h], &key_id, true), "wrong_secret_type");
    let other = [("RAZORPAY_WEBHOOK_SECRET", "another_webhook_secret_456")];
    assert_cause(&verify(d.path(), body.as_bytes(), &["-H", &h], &other, true), "wrong_secret");
}

#[test]
fn square_signs_the_url_and_the_body() {
    let d = tmp();
    let body = r#"{"merchant_id":"ML8Oracle","type":"payment.updated","event_id":"6a8f5f28-oracle","created_at":"2024-12-05T10:00:00Z","data":{"type":"payment","id":"KkAkhdMs","object":{"payment":{"id":"KkAkhdMs","status":"COMPLETED"}}}}"#;
    let key = "sqSigKeyOracle_0123456789abcdef";
    let url = "https://shop.example/hooks/square";
    let f = d.path().join("sq.json");
    std::fs::write(&f, body).unwrap();
    let sig = s(&oracle(&["square", f.to_str().unwrap(), key, url]), "x-square-hmacsha256-signature");
    let h = format!("x-square-hmacsha256-signature: {sig}");
    let env = [("SQUARE_SIGNATURE_KEY", key)];
    assert_verified(&verify(d.path(), body.as_bytes(), &["-H", &h, "--url", url], &env, true), 0);
    // Behind a TLS-terminating proxy the handler rebuilt http://…:8080/…/.
    let r =
        verify(d.path(), body.as_bytes(), &["-H", &h, "--url", "http://shop.example:8080/hooks/square/"], &env, true);
    assert_cause(&r, "url_mismatch");
    assert!(r.stdout.contains(url), "names the URL that matches: {}", r.stdout);
    let pretty = py_dumps(body.as_bytes(), "indent=2");
    assert_cause(&verify(d.path(), &pretty, &["-H", &h, "--url", url], &env, true), "body_modified");
    let token = [("SQUARE_SIGNATURE_KEY", "EAAAEOracleAccessToken0123456789")];
    assert_cause(&verify(d.path(), body.as_bytes(), &["-H", &h, "--url", url], &token, true), "wrong_secret_type");
    // Without --url Square cannot be checked: a usage error.
    let r = verify(d.path(), body.as_bytes(), &["-H", &h], &env, true);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--url"), "{}", r.stderr);
}

#[test]
fn checkout_and_mollie_sign_the_raw_body() {
    let d = tmp();
    let body = br#"{"id":"evt_oracle","type":"payment_approved","data":{"id":"pay_oracle","amount":1000}}"#;
    let f = d.path().join("cko.json");
    std::fs::write(&f, body).unwrap();
    let key = "ckoWebhookKeyOracle0123456789";
    let sig = s(&oracle(&["hmac", f.to_str().unwrap(), key, "Cko-Signature"]), "Cko-Signature");
    let h = format!("Cko-Signature: {sig}");
    let env = [("CKO_WEBHOOK_SECRET", key)];
    assert_verified(&verify(d.path(), body, &["-H", &h], &env, true), 0);
    let pretty = py_dumps(body, "indent=2");
    assert_cause(&verify(d.path(), &pretty, &["-H", &h], &env, true), "body_modified");
    assert_cause(
        &verify(d.path(), body, &["-H", &h], &[("CKO_WEBHOOK_SECRET", "sk_sbox_oracleApiKey0123456789")], true),
        "wrong_secret_type",
    );

    let msecret = "mollieSigningSecretOracle0123";
    let msig = s(&oracle(&["hmac", f.to_str().unwrap(), msecret, "X-Mollie-Signature"]), "X-Mollie-Signature");
    let mh = format!("X-Mollie-Signature: {msig}");
    let menv = [("MOLLIE_WEBHOOK_SECRET", msecret)];
    assert_verified(&verify(d.path(), body, &["-H", &mh], &menv, true), 0);
    assert_cause(
        &verify(d.path(), body, &["-H", &mh], &[("MOLLIE_WEBHOOK_SECRET", "otherSecretOracle0123456")], true),
        "wrong_secret",
    );
    // A classic webhook: `id=tr_…`, no signature at all.
    let r = verify(d.path(), b"id=tr_WDqYK6vllg", &[], &[], true);
    assert_cause(&r, "unsigned_notification");
    assert_eq!(r.json["provider"], "mollie");
}

#[test]
fn mercadopago_signs_a_manifest_with_data_id_from_the_query() {
    let d = tmp();
    let body = br#"{"action":"payment.updated","api_version":"v1","data":{"id":"123456789"},"live_mode":false,"type":"payment"}"#;
    let secret = "mpSecretSignatureOracle0123456789";
    let rid = "bb56a2f1-6aae-46ac-982e-9dcd3581d08e";
    let ts = "1704908010";
    let o = oracle(&["mercadopago", "123456789", rid, ts, secret]);
    let (xs, xr) = (format!("x-signature: {}", s(&o, "x-signature")), format!("x-request-id: {rid}"));
    let url = "https://shop.example/mp?data.id=123456789&type=payment";
    let env = [("MERCADOPAGO_WEBHOOK_SECRET", secret)];
    assert_verified(&verify(d.path(), body, &["-H", &xs, "-H", &xr, "--url", url], &env, true), 0);
    // The handler's URL lost its query: only the body's data.id makes it match.
    let r = verify(d.path(), body, &["-H", &xs, "-H", &xr, "--url", "https://shop.example/mp"], &env, true);
    assert_cause(&r, "signed_fields_mismatch");
    let tol = ["-H", &xs, "-H", &xr, "--url", url, "--tolerance", "300", "--at", "1704918010"];
    assert_cause(&verify(d.path(), body, &tol, &env, true), "timestamp_outside_tolerance");
    let token = [("MERCADOPAGO_WEBHOOK_SECRET", "APP_USR-0123456789-oracle-token")];
    assert_cause(&verify(d.path(), body, &["-H", &xs, "-H", &xr, "--url", url], &token, true), "wrong_secret_type");
    let bad = ["-H", "x-signature: v1=abcd", "-H", &xr, "--url", url];
    assert_cause(&verify(d.path(), body, &bad, &env, true), "header_malformed");
}

#[test]
fn braintree_sample_notification_from_the_sdk() {
    let d = tmp();
    let private = "privateKeyOracle0123456789abcdef";
    let n = oracle(&["braintree", "publicKeyOracle", private, "subscription_went_past_due", "sub_oracle"]);
    let (sig, payload) = (s(&n, "bt_signature"), s(&n, "bt_payload"));
    let enc = |v: &str| -> String {
        v.bytes()
            .map(|c| if c.is_ascii_alphanumeric() { (c as char).to_string() } else { format!("%{c:02X}") })
            .collect()
    };
    let form = format!("bt_signature={}&bt_payload={}", enc(&sig), enc(&payload));
    let env = [("BRAINTREE_PRIVATE_KEY", private)];
    assert_verified(&verify(d.path(), form.as_bytes(), &[], &env, true), 0);
    // The payload decoded a second time: its `+` became spaces.
    let twice = [
        "-H",
        &format!("bt_signature: {sig}"),
        "-H",
        &format!("bt_payload: {}", payload.replace('\n', "").replace('+', " ")),
    ]
    .map(String::from);
    let twice: Vec<&str> = twice.iter().map(String::as_str).collect();
    let r = verify(d.path(), b"", &[&["--provider", "braintree"][..], &twice].concat(), &env, true);
    assert_cause(&r, "body_modified");
    let other = [("BRAINTREE_PRIVATE_KEY", "privateKeyOfProduction0123456789")];
    assert_cause(&verify(d.path(), form.as_bytes(), &[], &other, true), "wrong_secret");
}

#[test]
fn adyen_fields_signed_by_the_sdk() {
    let d = tmp();
    let key = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
    let body = r#"{"live":"true","notificationItems":[{"NotificationRequestItem":{"additionalData":{},"amount":{"currency":"EUR","value":1000},"eventCode":"AUTHORISATION","eventDate":"2024-12-05T10:00:00+01:00","merchantAccountCode":"OracleShop","merchantReference":"order-42","pspReference":"7914073381342284","reason":"","success":"true"}}]}"#;
    let f = d.path().join("adyen.json");
    std::fs::write(&f, body).unwrap();
    let signed = oracle(&["adyen", f.to_str().unwrap(), key]).to_string();
    let env = [("ADYEN_HMAC_KEY", key)];
    assert_verified(&verify(d.path(), signed.as_bytes(), &[], &env, true), 0);
    // A round trip through a float type.
    let float = signed.replace("\"value\":1000", "\"value\":1000.0");
    assert_ne!(float, signed);
    assert_cause(&verify(d.path(), float.as_bytes(), &[], &env, true), "signed_fields_mismatch");
    assert_cause(
        &verify(d.path(), signed.as_bytes(), &[], &[("ADYEN_HMAC_KEY", "not-a-hex-key-oracle")], true),
        "encoding",
    );
    // The live event checked with the test webhook's key.
    let test_key = [("ADYEN_TEST_HMAC_KEY", "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF")];
    let r = verify(d.path(), signed.as_bytes(), &["--secret-env", "ADYEN_TEST_HMAC_KEY"], &test_key, true);
    assert_cause(&r, "secret_of_other_environment");
    let other = [("ADYEN_HMAC_KEY", "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF")];
    assert_cause(&verify(d.path(), signed.as_bytes(), &[], &other, true), "wrong_secret");
}

#[test]
fn paypal_offline_with_the_certificate() {
    let d = tmp();
    let body = br#"{"id":"WH-58D329510W468432D-8HN650336L201105X","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"5O190127TN364715T"}}"#;
    let f = d.path().join("pp.json");
    std::fs::write(&f, body).unwrap();
    let cert = d.path().join("cert.pem");
    let webhook_id = "1JE4291016473214C";
    let h = oracle(&[
        "paypal",
        f.to_str().unwrap(),
        webhook_id,
        "69cd13f0-d67a-11e5-baa3-778b53f4ae55",
        "2024-12-05T10:00:00Z",
        cert.to_str().unwrap(),
    ]);
    let mut args: Vec<String> = Vec::new();
    for (k, v) in h.as_object().unwrap() {
        args.push("-H".into());
        args.push(format!("{k}: {}", v.as_str().unwrap()));
    }
    let with_cert: Vec<&str> = args.iter().map(String::as_str).chain(["--cert", cert.to_str().unwrap()]).collect();
    let env = [("PAYPAL_WEBHOOK_ID", webhook_id)];
    assert_verified(&verify(d.path(), body, &with_cert, &env, true), 0);
    let pretty = py_dumps(body, "indent=2");
    assert_cause(&verify(d.path(), &pretty, &with_cert, &env, true), "body_modified");
    assert_cause(
        &verify(d.path(), body, &with_cert, &[("PAYPAL_WEBHOOK_ID", "9XY12345SANDBOX6")], true),
        "wrong_secret",
    );
    // Without the certificate: the check needs PayPal's API.
    let bare: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = verify(d.path(), body, &bare, &env, true);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--cert") && r.stderr.contains("--online"), "{}", r.stderr);
}

const PAYPAL_EVENT: &[u8] = br#"{"id":"WH-58D329510W468432D-8HN650336L201105X","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"5O190127TN364715T"}}"#;
const PAYPAL_HEADERS: [&str; 10] = [
    "-H",
    "PAYPAL-TRANSMISSION-ID: 69cd13f0-d67a-11e5-baa3-778b53f4ae55",
    "-H",
    "PAYPAL-TRANSMISSION-TIME: 2024-12-05T10:00:00Z",
    "-H",
    "PAYPAL-TRANSMISSION-SIG: c2lnbmVkIGJ5IHBheXBhbA==",
    "-H",
    "PAYPAL-CERT-URL: https://api-m.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270",
    "-H",
    "PAYPAL-AUTH-ALGO: SHA256withRSA",
];

/// PayPal's own endpoint, faked on loopback: a token for the app's client id and secret, and
/// SUCCESS only for the delivery sent as received with the right webhook id.
async fn paypal_fake() -> wiremock::MockServer {
    use wiremock::matchers::{body_partial_json, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .and(header("authorization", "Basic QWNsaWVudElkMDAwMjpFc2VjcmV0MDAwMg=="))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"access_token": "A21AAFakeTokenForTests0002", "token_type": "Bearer", "expires_in": 32400}),
        ))
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            serde_json::json!({"error": "invalid_client", "error_description": "Client Authentication failed"}),
        ))
        .mount(&s)
        .await;
    let event: Value = serde_json::from_slice(PAYPAL_EVENT).unwrap();
    Mock::given(method("POST"))
        .and(path("/v1/notifications/verify-webhook-signature"))
        .and(header("authorization", "Bearer A21AAFakeTokenForTests0002"))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(serde_json::json!({
            "auth_algo": "SHA256withRSA",
            "transmission_id": "69cd13f0-d67a-11e5-baa3-778b53f4ae55",
            "transmission_time": "2024-12-05T10:00:00Z",
            "transmission_sig": "c2lnbmVkIGJ5IHBheXBhbA==",
            "cert_url": "https://api-m.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270",
            "webhook_id": "1JE4291016473214C",
            "webhook_event": event,
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"verification_status": "SUCCESS"})))
        .with_priority(1)
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/notifications/verify-webhook-signature"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"verification_status": "FAILURE"})))
        .mount(&s)
        .await;
    s
}

#[tokio::test]
async fn paypal_online_through_its_verify_endpoint() {
    let s = paypal_fake().await;
    let d = tmp();
    let online = ["--online", "--env", "sandbox", "--base-url", &s.uri()];
    let args: Vec<&str> = PAYPAL_HEADERS.iter().copied().chain(online).collect();
    let app = [("PAYPAL_CLIENT_ID", "AclientId0002"), ("PAYPAL_CLIENT_SECRET", "Esecret0002")];
    let with = |id: &'static str| -> Vec<(&'static str, &'static str)> {
        app.iter().copied().chain([("PAYPAL_WEBHOOK_ID", id)]).collect()
    };
    // of two webhook ids given, the second is the one PayPal knows
    let two: Vec<(&str, &str)> =
        app.iter().copied().chain([("PAYDOCTOR_WEBHOOK_SECRET", "9XY12345SANDBOX6,1JE4291016473214C")]).collect();
    let r = verify(d.path(), PAYPAL_EVENT, &args, &two, true);
    assert_verified(&r, 1);
    assert_eq!(r.json["scheme"], "PayPal's verify-webhook-signature endpoint");
    // another webhook's id: PayPal says FAILURE for it
    assert_cause(&verify(d.path(), PAYPAL_EVENT, &args, &with("9XY12345SANDBOX6"), true), "wrong_secret");
    // a header left out never reaches PayPal
    let no_sig: Vec<&str> = PAYPAL_HEADERS
        .chunks(2)
        .filter(|h| !h[1].starts_with("PAYPAL-TRANSMISSION-SIG"))
        .flatten()
        .copied()
        .chain(online)
        .collect();
    assert_cause(&verify(d.path(), PAYPAL_EVENT, &no_sig, &with("1JE4291016473214C"), true), "header_missing");
    // the app's secret is wrong: nothing verified, the token's failure said, exit 2
    let bad = [
        ("PAYPAL_CLIENT_ID", "AclientId0002"),
        ("PAYPAL_CLIENT_SECRET", "Ewrong00002"),
        ("PAYPAL_WEBHOOK_ID", "1JE4291016473214C"),
    ];
    let r = verify(d.path(), PAYPAL_EVENT, &args, &bad, true);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("not asked") && r.stderr.contains("HTTP 401"), "{}", r.stderr);
    let asked = s.received_requests().await.unwrap();
    let verify_calls = asked.iter().filter(|q| q.url.path().ends_with("verify-webhook-signature")).count();
    assert_eq!(verify_calls, 3, "one call per webhook id tried, none without a header or a token");
}

#[test]
fn usage_and_operational_errors_exit_2_in_one_line() {
    let d = tmp();
    // No provider recognisable.
    let r = verify(d.path(), b"{}", &["-H", "Content-Type: application/json"], &[], true);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--provider") && r.stderr.lines().count() == 1, "{}", r.stderr);
    // No secret anywhere.
    let r = verify(d.path(), b"{}", &["-H", "Stripe-Signature: t=1,v1=00"], &[], true);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("STRIPE_WEBHOOK_SECRET"), "{}", r.stderr);
    // A body over the cap.
    let big = d.path().join("big.json");
    std::fs::File::create(&big).unwrap().set_len(17 << 20).unwrap();
    let out = paydoctor()
        .args(["webhook", "verify", "-H", "Stripe-Signature: t=1,v1=00", "--body"])
        .arg(&big)
        .env("STRIPE_WEBHOOK_SECRET", WHSEC)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("16 MiB") && err.lines().count() == 1, "{err}");
    // A header flag that is not `Name: value`.
    let r = verify(d.path(), b"{}", &["-H", "no colon here"], &[("STRIPE_WEBHOOK_SECRET", WHSEC)], true);
    assert_eq!(r.code, 2);
}

#[test]
fn hostile_input_ends_in_a_verdict_not_a_panic() {
    let d = tmp();
    let env = [("STRIPE_WEBHOOK_SECRET", WHSEC)];
    let sig = "v1=00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff";
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let binary: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    for (t, body) in [
        ("-9223372036854775808", b"{}".to_vec()),
        ("9223372036854775807", b"{\"a\":\"\\ud800\"}".to_vec()),
        ("1733390000", nested.into_bytes()),
        ("1733390000", binary),
        ("1733390000", "a=%zz&b=%e9&=x&c=\u{e9}+".as_bytes().to_vec()),
    ] {
        let h = format!("Stripe-Signature: t={t},{sig}");
        let r = verify(d.path(), &body, &["-H", &h, "--at", T], &env, true);
        assert_cause(&r, "wrong_secret");
    }
    // An Adyen notification with no item is not a verified one.
    let adyen = [("ADYEN_HMAC_KEY", "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056")];
    let r = verify(d.path(), br#"{"live":"false","notificationItems":[]}"#, &["--provider", "adyen"], &adyen, true);
    assert_cause(&r, "header_missing");
    // Square with a URL that is not one; Mercado Pago with odd query strings.
    let r = verify(
        d.path(),
        b"{}",
        &[
            "-H",
            "x-square-hmacsha256-signature: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "--url",
            "::/\u{e9}?&=%",
        ],
        &[("SQUARE_SIGNATURE_KEY", "sqSigKeyOracle_0123456789abcdef")],
        true,
    );
    assert_cause(&r, "wrong_secret");
    let r = verify(
        d.path(),
        b"{\"data\":{\"id\":[1]}}",
        &["-H", "x-signature: ts=1,v1=00", "-H", "x-request-id: r", "--url", "https://x/?data.id=%ZZ&data.id="],
        &[("MERCADOPAGO_WEBHOOK_SECRET", "mpSecretSignatureOracle0123456789")],
        true,
    );
    assert_cause(&r, "wrong_secret");
}

#[test]
fn adyen_platform_webhooks_sign_the_raw_body_in_a_header() {
    let d = tmp();
    let key = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
    let body = br#"{"data":{"balancePlatform":"OraclePlatform","accountHolder":{"id":"AH32272223222B5CM4MWJ892H"}},"environment":"test","type":"balancePlatform.accountHolder.updated"}"#;
    let f = d.path().join("platform.json");
    std::fs::write(&f, body).unwrap();
    let h = format!("HmacSignature: {}", s(&oracle(&["adyen-payload", f.to_str().unwrap(), key]), "HmacSignature"));
    let env = [("ADYEN_HMAC_KEY", key)];
    assert_verified(&verify(d.path(), body, &["-H", &h], &env, true), 0);
    assert_cause(&verify(d.path(), &py_dumps(body, "indent=4"), &["-H", &h], &env, true), "body_modified");
}

#[test]
fn a_captured_request_gives_headers_body_and_url() {
    let d = tmp();
    let secret = "mpSecretSignatureOracle0123456789";
    let rid = "c0ffee00-6aae-46ac-982e-9dcd3581d08e";
    let o = oracle(&["mercadopago", "987654321", rid, "1704908010", secret]);
    let body = r#"{"action":"payment.created","data":{"id":"987654321"},"live_mode":true,"type":"payment"}"#;
    let capture = format!(
        "POST /webhooks/mp?data.id=987654321&type=payment HTTP/1.1\r\nHost: shop.example\r\nx-signature: {}\r\nx-request-id: {rid}\r\nContent-Type: application/json\r\n\r\n{body}",
        s(&o, "x-signature")
    );
    let f = d.path().join("capture.http");
    std::fs::write(&f, capture).unwrap();
    let out = paydoctor()
        .args(["webhook", "verify", "--json", "--headers"])
        .arg(&f)
        .env("MERCADOPAGO_WEBHOOK_SECRET", secret)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(v["provider"], "mercadopago");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(secret));
}

#[test]
fn explain_and_scan_point_to_webhook_verify() {
    let msg = "No signatures found matching the expected signature for payload";
    let out = paydoctor().args(["explain", msg]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("paydoctor webhook verify"));
    let log = format!("2024-12-05T10:00:00Z ERROR stripe webhook failed: {msg}\n");
    let out = paydoctor().arg("scan").write_stdin(log).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("paydoctor webhook verify"));
}
