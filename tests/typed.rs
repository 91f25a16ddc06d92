//! What people type and paste must always get an answer: every catalog code typed with its
//! provider, the seed tables' rows as typed, plain words, statuses, and errors of providers
//! that have no knowledge file (named, not pinned on a known provider).

mod common;

use common::{explain_json, paydoctor, shared};

fn norm(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Every code of `../shared/catalogs/*.tsv`, typed with `--provider`, resolves to an entry that
/// carries that code.
#[test]
fn every_catalog_code_typed_with_its_provider_resolves() {
    let dir = shared().join("catalogs");
    let mut n = 0;
    let mut misses = Vec::new();
    for f in std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()) {
        let provider = f.file_stem().unwrap().to_str().unwrap().to_string();
        if provider == "environments" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let codes: Vec<String> = text
            .lines()
            .skip(1)
            .filter_map(|l| l.split('\t').next())
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect();
        for code in codes {
            n += 1;
            let v = explain_json(&["--provider", &provider, &code]);
            let m = &v["matches"][0];
            // A catalog "code" that is an HTTP status resolves to the provider's entry for it.
            let status = code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit());
            let code_ok = m["code"].as_str().is_some_and(|c| norm(c) == norm(&code))
                || status && m["http_status"].as_u64().map(|s| s.to_string()) == Some(code.clone());
            let ok = m["provider"] == provider.as_str() && code_ok;
            if !ok {
                misses.push(format!("{provider} {code}: got {} {}", m["provider"], m["code"]));
            }
        }
    }
    assert!(n > 2000, "only {n} catalog codes read");
    assert!(misses.is_empty(), "{} of {n} typed codes missed:\n{}", misses.len(), misses.join("\n"));
}

fn first(args: &[&str]) -> serde_json::Value {
    explain_json(args)["matches"][0].clone()
}

/// The Alternative Payments seed table, row by row as a person types it: with `--provider`,
/// and without it where the row names an endpoint (the endpoint is the provider's alone).
#[test]
fn every_seed_table_row_resolves_with_and_without_the_provider() {
    let rows: [(&[&str], &str); 7] = [
        (&["400", "POST", "/payment/request"], "http_400"),
        (&["401"], "http_401"),
        (&["403", "POST", "/oauth/token"], "http_403"),
        (&["404", "GET", "/payment/request/{id}"], "http_404"),
        (&["422", "POST", "/payment/request"], "http_422"),
        (&["500"], "http_500"),
        (&["429"], "http_429"),
    ];
    for (row, entry) in rows {
        let with: Vec<&str> = ["--provider", "alternativepayments"].iter().chain(row).copied().collect();
        let m = first(&with);
        assert_eq!(
            (m["provider"].as_str(), m["entry"].as_str()),
            (Some("alternativepayments"), Some(entry)),
            "{row:?}"
        );
        if row.len() > 1 {
            let m = first(row);
            assert_eq!(
                (m["provider"].as_str(), m["entry"].as_str()),
                (Some("alternativepayments"), Some(entry)),
                "{row:?}"
            );
        }
    }
    // Mercado Pago's Orders API rows: status and code, with and without the provider.
    for (status, code) in
        [("400", "empty_required_header"), ("409", "idempotency_key_already_used"), ("404", "order_not_found")]
    {
        for args in [vec![status, code], vec!["--provider", "mercadopago", status, code]] {
            let m = first(&args);
            assert_eq!((m["provider"].as_str(), m["code"].as_str()), (Some("mercadopago"), Some(code)), "{args:?}");
        }
    }
}

#[test]
fn more_context_only_adds_evidence() {
    // A seed-table row as typed, with and without the provider.
    let m = first(&["--provider", "alternativepayments", "403", "POST", "/oauth/token"]);
    assert_eq!(m["provider"], "alternativepayments");
    assert_eq!(m["http_status"], 403);
    let m = first(&["403", "POST", "/oauth/token", "alternativepayments"]);
    assert_eq!(m["provider"], "alternativepayments");
    let m = first(&["stripe", "401", "GET", "/v1/charges"]);
    assert_eq!((m["provider"].as_str(), m["http_status"].as_u64()), (Some("stripe"), Some(401)));
    let m = first(&["409", "idempotency_key_already_used"]);
    assert_eq!(m["category"], "idempotency");
}

#[test]
fn codes_named_with_their_provider_are_found() {
    for (p, code, status) in
        [("afterpay", "unauthorized", 401), ("klarna", "UNAUTHORIZED", 401), ("klarna", "CONFLICT", 409)]
    {
        let m = first(&["--provider", p, code]);
        assert_eq!(m["provider"], p, "{p} {code}");
        assert_eq!(m["http_status"], status, "{p} {code}");
    }
}

#[test]
fn plain_words_resolve_like_codes() {
    // Every provider's match (not the first three): which ones lead depends on how many there are.
    let v = explain_json(&["-n", "100", "insufficient", "funds"]);
    let providers: Vec<&str> = v["matches"].as_array().unwrap().iter().filter_map(|m| m["provider"].as_str()).collect();
    assert!(providers.contains(&"stripe") && providers.len() >= 3, "{providers:?}");
    assert!(v["matches"].as_array().unwrap().iter().all(|m| m["category"] == "decline"));
    let m = first(&["stripe", "card", "declined"]);
    assert_eq!((m["provider"].as_str(), m["code"].as_str()), (Some("stripe"), Some("card_declined")));
    let v = explain_json(&["invalid", "token"]);
    assert!(!v["matches"].as_array().unwrap().is_empty());
}

#[test]
fn ambiguity_lists_are_complete() {
    let v = explain_json(&["card_declined"]);
    assert_eq!(v["ambiguous"], true);
    let providers: Vec<&str> = v["matches"].as_array().unwrap().iter().filter_map(|m| m["provider"].as_str()).collect();
    for p in ["stripe", "square", "mollie", "razorpay"] {
        assert!(providers.contains(&p), "{p} missing from {providers:?}");
    }
    let v = explain_json(&["401"]);
    let providers: Vec<&str> = v["matches"].as_array().unwrap().iter().filter_map(|m| m["provider"].as_str()).collect();
    for p in ["braintree", "mollie", "razorpay", "stripe", "paypal", "adyen", "checkout", "klarna", "square"] {
        assert!(providers.contains(&p), "{p} missing from explain 401: {providers:?}");
    }
}

#[test]
fn the_provider_in_a_class_name_host_or_path_is_enough() {
    for (text, provider, category) in [
        (
            "curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to api.stripe.com:443",
            "stripe",
            "network_tls",
        ),
        (
            "cURL error 35: error:14094410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure (see https://api.mercadopago.com:443)",
            "mercadopago",
            "network_tls",
        ),
        (
            "javax.net.ssl.SSLHandshakeException: PKIX path building failed calling https://api-m.paypal.com/v1/oauth2/token",
            "paypal",
            "network_tls",
        ),
        (
            "requests.exceptions.SSLError: HTTPSConnectionPool(host='api.razorpay.com', port=443): Max retries exceeded",
            "razorpay",
            "network_tls",
        ),
        ("Net::ReadTimeout in Braintree::Http#_http_do", "braintree", "network_tls"),
        ("Mollie\\Api\\Exceptions\\ApiException: Unauthorized request", "mollie", "auth_invalid_key"),
    ] {
        let m = explain_json(&["--", text])["matches"][0].clone();
        assert_eq!(m["provider"], provider, "{text}");
        assert_eq!(m["category"], category, "{text}");
    }
}

/// Every provider known by name only (`list --all-known`, so the list shrinks as providers get
/// knowledge files) is named by its brand, never pinned on a known provider.
#[test]
fn providers_without_a_knowledge_file_are_named_not_mislabelled() {
    let out = paydoctor().args(["list", "--all-known", "--json"]).output().unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names = listed["name_only"].as_array().unwrap();
    assert!(!names.is_empty());
    for o in names {
        let (id, name) = (o["id"].as_str().unwrap(), o["name"].as_str().unwrap());
        let markers = o["markers"].as_array().unwrap().iter().filter_map(|m| m.as_str());
        let Some(marker) = markers.into_iter().find(|m| m.chars().all(|c| c.is_ascii_alphabetic())) else { continue };
        let brand = format!("{}{}", marker[..1].to_ascii_uppercase(), &marker[1..]);
        let v = explain_json(&[
            "--",
            &format!("{brand} response: <error code=\"4\"><![CDATA[Security violation]]></error>"),
        ]);
        let m = &v["matches"][0];
        assert_eq!((m["provider"].as_str(), m["provider_known"].as_bool()), (Some(id), Some(false)), "{v}");
        assert_eq!(v["matches"].as_array().unwrap().len(), 1, "no known provider listed beside {id}");
        let out = paydoctor()
            .args(["explain", "--", &format!("{brand}Exception: Invalid key")])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with(&format!("{name} (not in the knowledge base)")), "{text}");
        assert!(text.contains("auth_invalid_key"), "{text}");
    }
}

#[test]
fn a_status_alone_gets_a_general_diagnosis_and_the_provider_is_said_unknown() {
    let m = first(&["--", "HTTP/1.1 429 Too Many Requests"]);
    assert_eq!((m["provider"].as_str(), m["category"].as_str()), (Some("unknown"), Some("rate_limit")));
    assert_eq!(m["provider_known"], false);
}

#[test]
fn the_heading_shows_only_what_the_input_showed() {
    // A message of the entry, no status and no code: neither is printed as if seen.
    let v = explain_json(&["--", "Stripe: Your card has insufficient funds."]);
    let m = &v["matches"][0];
    assert_eq!(m["http_status"], serde_json::Value::Null);
    let out = paydoctor()
        .args(["explain", "--", "Stripe: Your card has insufficient funds."])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let head = String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").to_string();
    assert!(!head.contains("HTTP"), "{head}");
}

#[test]
fn no_match_suggests_search_with_the_words_given() {
    let out = paydoctor().args(["explain", "hello", "world"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("paydoctor search hello world"), "{err}");
}

#[test]
fn a_full_trace_never_scores_below_its_bare_message() {
    let bare = "Invalid API Key provided: sk_test_********************1234";
    let trace = format!(
        "Traceback (most recent call last):\n  File \"/app/billing/views.py\", line 42, in charge\n    \
         stripe.PaymentIntent.create(amount=2000, currency=\"usd\")\n  File \"/usr/lib/python3.11/site-packages/\
         stripe/_api_requestor.py\", line 197, in request\n    resp = requestor._interpret_response(rbody, rcode)\n\
         stripe._error.AuthenticationError: Request req_8fQ2mZ1xY3: {bare}"
    );
    let php = format!(
        "PHP Fatal error:  Uncaught Stripe\\Exception\\AuthenticationException: {bare} in \
         /var/www/vendor/stripe/stripe-php/lib/Exception/ApiErrorException.php:38\nStack trace:\n#0 \
         /var/www/vendor/stripe/stripe-php/lib/ApiRequestor.php(211): Stripe\\Exception\\ApiErrorException::factory()"
    );
    let b = first(&["--", bare]);
    for long in [trace, php] {
        let t = first(&["--", &long]);
        assert_eq!((t["provider"].as_str(), t["entry"].as_str()), (b["provider"].as_str(), b["entry"].as_str()));
        assert!(t["confidence"].as_f64() >= b["confidence"].as_f64(), "{t} < {b}");
    }
}
