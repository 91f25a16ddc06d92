//! The verification and, when it fails, the search for the cause: every secret against the
//! request as received, then against what the provider would have signed had the body, the
//! URL or the signed fields not been changed on the way. A cause is named only when a
//! recomputed signature proves it; otherwise what the secrets themselves show (their kind,
//! their environment) or, last, the wrong secret.

use super::reshape;
use super::schemes::{self, Kind, Signed};
use super::{Cause, Provider, Report, Request, Secret};
use crate::knowledge::Env;
use crate::redact::mask_secret;
use anyhow::{Result, bail};

pub struct Options<'a> {
    /// Seconds; `None` is the provider's default (Stripe 300 s, none elsewhere).
    pub tolerance: Option<i64>,
    /// The time to judge the timestamp at (Unix seconds).
    pub at: i64,
    /// PayPal's signing certificate (PEM or DER).
    pub cert: Option<&'a [u8]>,
}

/// One guess at what was signed: the message(s) and URL, and how it differs from the request
/// (`None`: as received).
struct Guess {
    /// One message, or (Adyen) one per NotificationRequestItem.
    msgs: Vec<Vec<u8>>,
    url: Option<String>,
    how: Option<(Cause, String)>,
}

fn as_received(msgs: Vec<Vec<u8>>, url: Option<String>) -> Guess {
    Guess { msgs, url, how: None }
}

/// A secret named in output: its position, source and masked form, never its value.
fn name(i: usize, s: &Secret) -> String {
    format!("#{i} {} ({})", s.source, mask_secret(&s.value))
}

pub fn verify(p: Provider, req: &Request, secrets: &[Secret], o: &Options) -> Result<Report> {
    let signed = match schemes::read(p, req) {
        Ok(s) => s,
        Err(f) => {
            let mut r = Report::new(p, default_scheme(p));
            let name = if f.cause == Cause::UnsignedNotification { "signature" } else { "header" };
            r.check(name, false, f.detail);
            r.cause = Some(f.cause);
            r.fix = f.fix;
            return Ok(r);
        }
    };
    let mut r = Report::new(p, signed.scheme);
    r.check("header", true, signed.header.clone());
    if secrets.is_empty() {
        bail!(
            "no {} to try: set PAYDOCTOR_WEBHOOK_SECRET (comma-separated for several) or {}, or pass --secret-env VAR or --profile NAME",
            p.secret_word(),
            p.secret_var()
        );
    }
    let listed: Vec<String> = secrets.iter().enumerate().map(|(i, s)| name(i, s)).collect();
    let listed = format!("{} to try: {}", secrets.len(), listed.join(", "));
    if let Kind::Paypal { id, time, cert_url } = &signed.kind {
        r.check("secrets", true, listed.replace("to try", "webhook id(s) to try"));
        return paypal(r, &signed, req, secrets, o, (id, time, cert_url.as_deref()));
    }
    // The key bytes of each secret (Adyen's are hex, Braintree's the SHA-1 of the private key).
    let mut keys = Vec::new();
    let mut unusable = Vec::new();
    for (i, s) in secrets.iter().enumerate() {
        match schemes::key(p, &s.value) {
            Ok(k) => keys.push((i, k)),
            Err(why) => unusable.push(format!("{} {why}", name(i, s))),
        }
    }
    if unusable.is_empty() {
        r.check("secrets", true, listed);
    } else {
        r.check("secrets", !keys.is_empty(), format!("{listed}; {}", unusable.join("; ")));
    }
    if keys.is_empty() {
        r.fail(
            Cause::Encoding,
            &["Copy the HMAC key as the Customer Area shows it: hex digits only, no spaces or quotes."],
        );
        return Ok(r);
    }
    if matches!(signed.kind, Kind::Square { .. }) && req.url.is_none() {
        bail!("Square signs the notification URL with the body: pass --url URL (the URL of the webhook subscription)");
    }
    let guesses = guesses(&signed, req);
    let ok = |key: &[u8], g: &Guess| match &signed.kind {
        Kind::Adyen { items } => items.iter().zip(&g.msgs).all(|(it, m)| schemes::hmac_sha256(key, &[m]) == it.sig),
        _ => g.msgs.iter().any(|m| signed.matches(key, m, g.url.as_deref())),
    };
    let found = guesses.iter().find_map(|g| keys.iter().find(|(_, k)| ok(k, g)).map(|(i, _)| (*i, g)));
    match found {
        Some((i, g)) => match &g.how {
            None => {
                r.matched_secret = Some(i);
                r.verified = true;
                r.check("signature", true, format!("secret {} signs the request as received", name(i, &secrets[i])));
                timestamp(&mut r, p, &signed, o);
            }
            Some((cause, how)) => {
                r.matched_secret = Some(i);
                r.check("signature", false, "no secret signs the request as received".to_string());
                let check = match cause {
                    Cause::UrlMismatch => "url",
                    Cause::SignedFieldsMismatch => "signed fields",
                    _ => "body",
                };
                r.check(check, false, format!("secret #{i} signs {how}"));
                r.fail(*cause, fixes(p, *cause));
            }
        },
        None => no_match(&mut r, p, req, secrets, guesses.len() - 1),
    }
    Ok(r)
}

pub fn default_scheme(p: Provider) -> &'static str {
    match p {
        Provider::Stripe => "hmac-sha256 hex over t.body",
        Provider::Razorpay | Provider::Checkout | Provider::Mollie => "hmac-sha256 hex over body",
        Provider::Square => "hmac-sha256 base64 over url+body",
        Provider::Mercadopago => "hmac-sha256 hex over id:{data.id};request-id:{x-request-id};ts:{ts};",
        Provider::Braintree => "hmac-sha1 hex over bt_payload, key sha1(private key)",
        Provider::Adyen => "hmac-sha256 base64 over 8 fields joined by ':', hex key",
        Provider::Paypal => "rsa-sha256 over transmission_id|time|webhook_id|crc32(body)",
    }
}

/// The request as received first, then every change that could have been made to it.
fn guesses(signed: &Signed, req: &Request) -> Vec<Guess> {
    let url = req.url.clone();
    let body_variants = |body: &[u8], out: &mut Vec<Guess>| {
        for v in reshape::variants(body) {
            out.push(Guess { msgs: vec![v.body], url: url.clone(), how: Some((v.cause, v.how)) });
        }
    };
    let mut out = Vec::new();
    match &signed.kind {
        Kind::Body | Kind::Stripe { .. } => {
            out.push(as_received(vec![req.body.clone()], None));
            body_variants(&req.body, &mut out);
        }
        Kind::Square { .. } => {
            out.push(as_received(vec![req.body.clone()], url.clone()));
            for (u, how) in url_variants(url.as_deref().unwrap_or_default()) {
                out.push(Guess { msgs: vec![req.body.clone()], url: Some(u), how: Some((Cause::UrlMismatch, how)) });
            }
            body_variants(&req.body, &mut out);
        }
        Kind::Braintree { payload } => {
            // The SDKs accept the payload with or without a newline added.
            let both = |p: Vec<u8>| {
                let mut nl = p.clone();
                nl.push(b'\n');
                vec![p, nl]
            };
            out.push(as_received(both(payload.clone()), None));
            let mut alt = |p: Vec<u8>, how: String| {
                out.push(Guess { msgs: both(p), url: None, how: Some((Cause::BodyModified, how)) });
            };
            let plus: Vec<u8> = payload.iter().map(|&c| if c == b' ' { b'+' } else { c }).collect();
            let spaces = payload.contains(&b' ');
            let twice = "bt_payload was URL-decoded twice (its `+` became spaces)";
            if spaces {
                alt(plus.clone(), format!("the payload with `+` where the request has spaces: {twice}"));
            }
            // The SDKs wrap the base64 payload in lines (Ruby every 60 characters, Python 76).
            if !payload.contains(&b'\n') {
                for width in [60, 76] {
                    let mut wrapped = Vec::new();
                    for line in plus.trim_ascii().chunks(width) {
                        wrapped.extend_from_slice(line);
                        wrapped.push(b'\n');
                    }
                    let mut how = format!("the payload in lines of {width} characters: its line breaks were removed");
                    if spaces {
                        how.push_str(&format!(", and {twice}"));
                    }
                    alt(wrapped, how);
                }
            }
            let trimmed = payload.trim_ascii().to_vec();
            if trimmed != *payload {
                alt(trimmed, "bt_payload without the whitespace around it".to_string());
            }
        }
        Kind::MercadoPago { ts, request_id, data_id, body_id } => {
            let rid = request_id.as_deref();
            let id = if url.is_some() { data_id.as_deref() } else { body_id.as_deref() };
            out.push(as_received(vec![schemes::mp_manifest(id, rid, ts).into_bytes()], None));
            let mut alt = |id: Option<&str>, how: String| {
                let m = schemes::mp_manifest(id, rid, ts).into_bytes();
                out.push(Guess { msgs: vec![m], url: None, how: Some((Cause::SignedFieldsMismatch, how)) });
            };
            if let Some(b) = body_id.as_deref().filter(|b| Some(*b) != data_id.as_deref() && url.is_some()) {
                let q = data_id.as_deref().map_or("has no data.id".to_string(), |d| format!("has data.id={d}"));
                alt(Some(b), format!("the manifest with data.id={b} from the body, while the URL's query {q}"));
            }
            if let Some(d) = id.filter(|d| d.to_ascii_lowercase() != *d) {
                alt(
                    Some(&d.to_ascii_lowercase()),
                    format!("the manifest with data.id lowercased ({})", d.to_ascii_lowercase()),
                );
            }
        }
        Kind::Adyen { items } => {
            let joined = |f: &dyn Fn(usize, &str) -> String| -> Vec<Vec<u8>> {
                items
                    .iter()
                    .map(|it| {
                        let v: Vec<String> = it.fields.iter().enumerate().map(|(i, s)| f(i, s)).collect();
                        v.join(":").into_bytes()
                    })
                    .collect()
            };
            out.push(as_received(joined(&|_, s| s.to_string()), None));
            // What a JSON round trip does to the fields: numbers gain or lose a decimal part,
            // booleans change case.
            let value = |i: usize, s: &str| -> String {
                if schemes::ADYEN_FIELDS[i] == "value" {
                    s.strip_suffix(".0").unwrap_or(s).to_string()
                } else {
                    s.to_string()
                }
            };
            let success = |i: usize, s: &str| -> String {
                if schemes::ADYEN_FIELDS[i] == "success" { s.to_ascii_lowercase() } else { s.to_string() }
            };
            let fields = |f: &dyn Fn(usize, &str) -> String, name: &str, how: &str| Guess {
                msgs: joined(f),
                url: None,
                how: Some((Cause::SignedFieldsMismatch, format!("the item(s) with {name} {how}"))),
            };
            out.push(fields(&value, "amount.value", "as an integer (the request has a decimal part, e.g. 1000.0)"));
            out.push(fields(&success, "success", "in lower case (\"true\"/\"false\", as Adyen sends it)"));
        }
        Kind::Paypal { .. } => {}
    }
    out
}

/// Square's notification URL as a proxy or framework rebuilds it differently.
fn url_variants(url: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let Some((scheme, rest)) = url.split_once("://") else { return out };
    let (hostport, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => (h, Some(p)),
        _ => (hostport, None),
    };
    let schemes: &[&str] = if scheme == "https" { &["https", "http"] } else { &["http", "https"] };
    let default_port = |s: &str| if s == "https" { "443" } else { "80" };
    let paths = [
        path.to_string(),
        if path.ends_with('/') { path.trim_end_matches('/').to_string() } else { format!("{path}/") },
    ];
    for s in schemes {
        for port in [port, None, Some(default_port(s))] {
            for pth in &paths {
                for q in [query, None] {
                    let mut u = format!("{s}://{host}");
                    if let Some(pt) = port {
                        u.push(':');
                        u.push_str(pt);
                    }
                    u.push_str(if pth.is_empty() && q.is_some() { "/" } else { pth });
                    if let Some(q) = q {
                        u.push('?');
                        u.push_str(q);
                    }
                    if u != url && out.iter().all(|(x, _)| *x != u) {
                        let how = format!(
                            "the URL {u} (the handler used {url}): Square signs the subscription's URL exactly"
                        );
                        out.push((u, how));
                    }
                }
            }
        }
    }
    out
}

/// The signed timestamp against `--at` (or now) and the tolerance in force.
fn timestamp(r: &mut Report, p: Provider, signed: &Signed, o: &Options) {
    let Some(ts) = signed.timestamp else { return };
    let tolerance = o.tolerance.or((p == Provider::Stripe).then_some(300));
    let skew = o.at.saturating_sub(ts);
    let Some(tol) = tolerance.filter(|t| *t > 0) else {
        r.check("timestamp", true, format!("signed at {ts}, {skew} s before the time checked; no tolerance in force"));
        return;
    };
    if skew.saturating_abs() > tol {
        r.verified = false;
        r.check(
            "timestamp",
            false,
            format!("signed at {ts}, {skew} s before the time checked; the tolerance is {tol} s"),
        );
        r.fail(Cause::TimestampOutsideTolerance, fixes(p, Cause::TimestampOutsideTolerance));
    } else {
        r.check("timestamp", true, format!("signed at {ts}, {skew} s before the time checked (tolerance {tol} s)"));
    }
}

/// No secret signs the request, however it is changed: what the secrets themselves show.
fn no_match(r: &mut Report, p: Provider, req: &Request, secrets: &[Secret], tried: usize) {
    r.check(
        "signature",
        false,
        format!("no secret signs the request as received, nor any of {tried} re-serialization(s) and variant(s) tried"),
    );
    let typed: Vec<String> = secrets
        .iter()
        .enumerate()
        .filter_map(|(i, s)| schemes::wrong_type(p, &s.value).map(|t| format!("{} is {t}", name(i, s))))
        .collect();
    if !typed.is_empty() {
        r.check("secret type", false, typed.join("; "));
        r.fail(Cause::WrongSecretType, fixes(p, Cause::WrongSecretType));
        return;
    }
    if let Some(pe) = schemes::payload_env(p, req) {
        let other: Vec<String> = secrets
            .iter()
            .enumerate()
            .filter(|(_, s)| s.env == Some(pe.other()))
            .map(|(i, s)| format!("{} is for {}", name(i, s), pe.other().as_str()))
            .collect();
        if !other.is_empty() && secrets.iter().all(|s| s.env != Some(pe)) {
            let says = match pe {
                Env::Production => "live",
                Env::Sandbox => "test",
            };
            r.check(
                "environment",
                false,
                format!("the payload is a {says} ({}) event; {}", pe.as_str(), other.join("; ")),
            );
            r.fail(Cause::SecretOfOtherEnvironment, fixes(p, Cause::SecretOfOtherEnvironment));
            return;
        }
    }
    r.fail(Cause::WrongSecret, fixes(p, Cause::WrongSecret));
}

fn fixes(p: Provider, cause: Cause) -> &'static [&'static str] {
    match (cause, p) {
        (Cause::BodyModified, Provider::Braintree) => {
            &["Pass bt_signature and bt_payload to the SDK exactly as the form parser gives them, decoded once."]
        }
        (Cause::BodyModified, _) => &[
            "Verify the raw request body, byte for byte, before any JSON or form parser touches it: Express express.raw({type: 'application/json'}) on the webhook route, Flask request.get_data(), Django request.body, Next.js App Router await req.text().",
            "Do not rebuild the body from the parsed object (JSON.stringify, json.dumps): the bytes differ from what was signed.",
        ],
        (Cause::Encoding, _) => &["Read the body as bytes; do not decode it and encode it again in another charset."],
        (Cause::UrlMismatch, _) => &[
            "Sign with the notification URL exactly as in the webhook subscription (scheme, host, port, path, trailing slash, query), not the URL rebuilt from the request behind a proxy.",
        ],
        (Cause::SignedFieldsMismatch, Provider::Mercadopago) => &[
            "Take data.id from the query string of the URL Mercado Pago called (?data.id=…), not from the JSON body.",
            "Build the manifest as id:{data.id};request-id:{x-request-id};ts:{ts}; with the trailing semicolon.",
        ],
        (Cause::SignedFieldsMismatch, _) => &[
            "Build the signing string from the NotificationRequestItem fields exactly as received (strings as sent, amount.value as an integer in minor units), joined by ':' in Adyen's order: pspReference, originalReference, merchantAccountCode, merchantReference, value, currency, eventCode, success.",
        ],
        (Cause::TimestampOutsideTolerance, _) => &[
            "Verify when the webhook arrives: a queued or replayed event older than the tolerance fails by design (resend it from the dashboard instead).",
            "Check the server clock (NTP): a skewed clock fails every event.",
        ],
        (Cause::WrongSecretType, Provider::Stripe) => &[
            "Use the endpoint's signing secret (whsec_…) from Dashboard > Developers > Webhooks > the endpoint > Signing secret; API keys (sk_, rk_, pk_) never sign webhooks.",
        ],
        (Cause::WrongSecretType, Provider::Razorpay) => &[
            "Use the webhook secret set on the webhook in Dashboard > Webhooks; the key id and key secret sign payment signatures, not webhooks.",
        ],
        (Cause::WrongSecretType, _) => {
            &["Use the secret of the webhook (subscription or endpoint) itself, not an API key or token."]
        }
        (Cause::SecretOfOtherEnvironment, _) => &[
            "Use the secret of the endpoint in the payload's environment: test and live endpoints (and Adyen's test and live HMAC keys) are separate.",
        ],
        (_, Provider::Stripe) => &[
            "Use the signing secret of the endpoint that sent this event: each endpoint (and each Connect endpoint) has its own whsec_.",
            "Events forwarded by `stripe listen` are signed with the secret the CLI prints, not the Dashboard endpoint's; the CLI's secret changes when you log in again.",
            "If the secret is right, the body was changed in a way not tried here: verify the raw body bytes.",
        ],
        (_, Provider::Braintree) => &[
            "Use the private key of the public key named in bt_signature, from the same environment (sandbox and production keys differ).",
        ],
        (_, Provider::Adyen) => &[
            "Use the HMAC key of the webhook that sent this event (Developers > Webhooks): each webhook has its own, and live needs a new one.",
        ],
        (_, Provider::Paypal) => &[
            "Use the id of the webhook that received this event (Developer Dashboard > Apps & Credentials > the app > Webhooks), from the same environment: sandbox and live webhooks have different ids.",
            "Send PayPal the event exactly as received (the raw body parsed once), not an object rebuilt by your code.",
        ],
        (_, _) => &[
            "Use the secret of the webhook that sent this event, as the provider's dashboard shows it.",
            "If the secret is right, the body was changed in a way not tried here: verify the raw body bytes.",
        ],
    }
}

/// The PayPal headers the verify-webhook-signature endpoint needs, by its field names.
const PAYPAL_FIELDS: [(&str, &str); 4] = [
    ("transmission_id", "PAYPAL-TRANSMISSION-ID"),
    ("transmission_time", "PAYPAL-TRANSMISSION-TIME"),
    ("transmission_sig", "PAYPAL-TRANSMISSION-SIG"),
    ("cert_url", "PAYPAL-CERT-URL"),
];

/// PayPal without its certificate: PayPal's verify-webhook-signature endpoint decides. `ask`
/// sends it the request for one webhook id and says whether PayPal answered SUCCESS.
pub fn paypal_online(req: &Request, secrets: &[Secret], mut ask: impl FnMut(String) -> Result<bool>) -> Result<Report> {
    let mut r = Report::new(Provider::Paypal, "PayPal's verify-webhook-signature endpoint");
    let missing: Vec<&str> = PAYPAL_FIELDS.iter().map(|(_, h)| *h).filter(|h| req.header(h).is_none()).collect();
    if !missing.is_empty() {
        r.check("headers", false, format!("missing {}", missing.join(", ")));
        r.fail(
            Cause::HeaderMissing,
            &["Pass every PAYPAL-* header of the delivery as received (-H or --headers FILE): PayPal verifies them together."],
        );
        return Ok(r);
    }
    r.check("headers", true, "PAYPAL-TRANSMISSION-ID, -TIME, -SIG and PAYPAL-CERT-URL present");
    let event: serde_json::Value = match serde_json::from_slice(&req.body) {
        Ok(v) => v,
        Err(e) => {
            r.check("body", false, format!("not JSON ({e}): PayPal verifies the event it sent, as JSON"));
            r.fail(Cause::Encoding, fixes(Provider::Paypal, Cause::Encoding));
            return Ok(r);
        }
    };
    for (i, s) in secrets.iter().enumerate() {
        let mut payload = serde_json::Map::new();
        for (field, header) in PAYPAL_FIELDS {
            payload.insert(field.into(), req.header(header).unwrap_or_default().into());
        }
        payload.insert("auth_algo".into(), req.header("PAYPAL-AUTH-ALGO").unwrap_or("SHA256withRSA").into());
        payload.insert("webhook_id".into(), s.value.clone().into());
        payload.insert("webhook_event".into(), event.clone());
        if ask(serde_json::Value::Object(payload).to_string())? {
            r.check("signature", true, format!("PayPal answered SUCCESS for webhook id #{} ({})", i + 1, s.source));
            r.verified = true;
            r.matched_secret = Some(i);
            return Ok(r);
        }
        r.check("signature", false, format!("PayPal answered FAILURE for webhook id #{} ({})", i + 1, s.source));
    }
    r.fail(Cause::WrongSecret, fixes(Provider::Paypal, Cause::WrongSecret));
    Ok(r)
}

/// PayPal: an RSA signature by PayPal's certificate; the "secrets" are webhook ids.
fn paypal(
    mut r: Report,
    signed: &Signed,
    req: &Request,
    secrets: &[Secret],
    o: &Options,
    (id, time, cert_url): (&String, &String, Option<&str>),
) -> Result<Report> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let Some(cert) = o.cert else {
        bail!(
            "PayPal signs webhooks with a certificate, not a shared secret: pass --cert FILE (the PEM at the PAYPAL-CERT-URL header{}) to verify offline, or --online to ask PayPal's verify-webhook-signature endpoint (POST /v1/notifications/verify-webhook-signature, read-only) with the app's client id and secret",
            cert_url.map(|u| format!(", {u}")).unwrap_or_default()
        );
    };
    let der = match CertificateDer::from_pem_slice(cert) {
        Ok(d) => d,
        Err(_) => CertificateDer::from(cert.to_vec()),
    };
    let ee = webpki::EndEntityCert::try_from(&der)
        .map_err(|e| anyhow::anyhow!("--cert: not an X.509 certificate (PEM or DER): {e:?}"))?;
    r.check("certificate", true, "read; its chain to PayPal's CA is not checked offline");
    let mut guesses = vec![(req.body.clone(), None)];
    guesses.extend(reshape::variants(&req.body).into_iter().map(|v| (v.body, Some((v.cause, v.how)))));
    for (body, how) in &guesses {
        let crc = crc32fast::hash(body);
        for (i, s) in secrets.iter().enumerate() {
            let msg = format!("{id}|{time}|{}|{crc}", s.value);
            let good = signed.sigs.iter().any(|sig| {
                ee.verify_signature(webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256, msg.as_bytes(), sig).is_ok()
            });
            if !good {
                continue;
            }
            r.matched_secret = Some(i);
            match how {
                None => {
                    r.verified = true;
                    r.check(
                        "signature",
                        true,
                        format!("the certificate signs the request with webhook id {}", name(i, s)),
                    );
                }
                Some((cause, how)) => {
                    r.check("signature", false, "the certificate does not sign the request as received");
                    r.check("body", false, format!("with webhook id #{i}, it signs {how}"));
                    r.fail(*cause, fixes(Provider::Paypal, *cause));
                }
            }
            return Ok(r);
        }
    }
    r.check(
        "signature",
        false,
        format!(
            "the certificate signs the request with none of the webhook ids given, nor any of {} re-serialization(s)",
            guesses.len() - 1
        ),
    );
    r.fail(
        Cause::WrongSecret,
        &[
            "Use the webhook id of the app the webhook is registered on (Developer Dashboard > Apps > the app > Webhooks): sandbox and live apps have different ids, and the event id is not the webhook id.",
            "Check that --cert is the certificate at the request's PAYPAL-CERT-URL.",
        ],
    );
    Ok(r)
}
