//! `paydoctor explain` end to end: the seed scenarios, every input shape, ambiguity, no
//! match, stdin, color and exit codes — all through the built binary.

mod common;

use common::{explain_json, explain_stdin, paydoctor, top};
use predicates::prelude::*;

fn causes(v: &serde_json::Value) -> Vec<String> {
    v["matches"][0]["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["summary"].as_str().unwrap().to_lowercase())
        .collect()
}

// --- the seed scenarios -----------------------------------------------------------------

#[test]
fn afterpay_412_invalid_token_is_a_reprocessed_checkout() {
    for args in
        [&["412", "invalid_token"][..], &["invalid_token", "412"], &["402", "invalid_token"], &["INVALID-TOKEN", "412"]]
    {
        let v = explain_json(args);
        let (p, code, _) = top(&v);
        assert_eq!((p.as_str(), code.as_str()), ("afterpay", "invalid_token"), "for {args:?}");
        let c = causes(&v);
        assert!(
            c[0].contains("already")
                && (c[0].contains("process") || c[0].contains("complet") || c[0].contains("captur")),
            "first cause should be the already-processed checkout, got {c:?}"
        );
        assert!(c.iter().any(|c| c.contains("expired")), "an expired token is among the causes: {c:?}");
    }
}

#[test]
fn afterpay_plugin_log_with_earlier_approval() {
    let log = "05-10-2023 @ 13:19:04 - Afterpay order token: 001.k3nuspkv04202otrb6je9a0rf366q7bvc7pkhjfrefbarn1u\n\
               05-10-2023 @ 13:19:52 - Payment APPROVED for WooCommerce Order #24271 (Afterpay Order #363446195).\n\
               05-10-2023 @ 13:20:12 - API Error #412 \"invalid_token\": Invalid token (Error ID: 49b2e536bb0c733f)";
    let v = explain_stdin(log, &[]);
    assert_eq!(top(&v).0, "afterpay");
    assert_eq!(top(&v).1, "invalid_token");
    let first = &v["matches"][0]["causes"][0];
    assert!(
        !first["supported_by"].as_array().unwrap().is_empty(),
        "the approval earlier in the log supports cause 1: {first}"
    );
    assert_eq!(v["matches"][0]["http_status"], 412);
}

#[test]
fn checkout_token_invalid_message() {
    let v = explain_json(&["The token provided is not valid or has expired"]);
    assert_eq!(top(&v).0, "checkout");
    let c = causes(&v).join(" | ");
    assert!(c.contains("expired"), "{c}");
    assert!(c.contains("sandbox") || c.contains("environment"), "the sandbox/production mix-up is a cause: {c}");
    let v = explain_json(&["checkout:token_invalid"]);
    assert_eq!(top(&v).0, "checkout");
}

#[test]
fn checkout_sandbox_key_on_production_host_is_named_first() {
    let text = "POST https://api.checkout.com/payments HTTP/1.1 401 Unauthorized\n\
                Authorization: Bearer sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e\n\
                {\"request_id\":\"0HL80RJLS76I7\",\"error_type\":\"token_invalid\",\"error_codes\":[\"token_invalid\"]}";
    let v = explain_stdin(text, &[]);
    assert_eq!(top(&v).0, "checkout");
    let first = &v["matches"][0]["causes"][0];
    let support = first["supported_by"].to_string();
    assert!(support.contains("sandbox") && support.contains("api.checkout.com"), "{first}");
    assert!(!v.to_string().contains("m73dzbpy7cf3gfd46xr4yj5xo4e"), "the key itself is never printed");
}

#[test]
fn checkout_403_permission_ip_or_key_type() {
    let v = explain_json(&["checkout", "403"]);
    assert_eq!(top(&v).0, "checkout");
    assert_eq!(v["matches"][0]["http_status"], 403);
    let c = causes(&v).join(" | ");
    assert!(c.contains("permission") || c.contains("scope"), "{c}");
    assert!(c.contains("ip"), "{c}");
    assert!(c.contains("public"), "{c}");
}

#[test]
fn alternative_payments_rows_by_endpoint() {
    let v = explain_json(&["--provider", "alternativepayments", "429"]);
    assert_eq!(top(&v).2, "rate_limit");
    let text = v.to_string().to_lowercase();
    assert!(text.contains("5 requests per second") || text.contains("5 per second"), "{text}");
    assert!(text.contains("backoff") || text.contains("back off") || text.contains("back-off"), "{text}");

    let v = explain_stdin("POST https://public-api.alternativepayments.io/oauth/token -> 403 Forbidden", &[]);
    assert_eq!(top(&v).0, "alternativepayments");
    assert_eq!(top(&v).2, "auth_invalid_key", "403 on the token endpoint means bad client credentials: {v}");

    for (status, category) in [
        ("400", "validation"),
        ("401", "auth_expired_token"),
        ("404", "not_found"),
        ("422", "validation"),
        ("500", "server_error"),
    ] {
        let v = explain_json(&[&format!("alternativepayments:{status}")]);
        assert_eq!(top(&v).0, "alternativepayments", "{status}");
        assert_eq!(top(&v).2, category, "{status}: {v}");
    }
}

#[test]
fn mercado_pago_orders_api_codes() {
    for (code, status, category) in [
        ("idempotency_key_already_used", 409, "idempotency"),
        ("resource_locked", 423, "idempotency"),
        ("invalid_email_for_sandbox", 400, "env_mismatch"),
        ("cannot_cancel_order", 409, "duplicate_or_state"),
        ("order_already_cancelled", 409, "duplicate_or_state"),
        ("refund_amount_exceeds", 400, "validation"),
        ("order_refund_already_in_process", 400, "duplicate_or_state"),
        ("empty_required_header", 400, "idempotency"),
        ("invalid_credentials", 401, "env_mismatch"),
    ] {
        let v = explain_json(&[code]);
        assert_eq!(top(&v).0, "mercadopago", "{code}");
        assert_eq!(top(&v).1, code);
        // The input showed no status: the entry's statuses are listed apart.
        assert_eq!(v["matches"][0]["http_status"], serde_json::Value::Null, "{code}");
        assert!(v["matches"][0]["entry_statuses"].as_array().unwrap().contains(&status.into()), "{code}");
        assert_eq!(top(&v).2, category, "{code}");
    }
}

// --- input shapes -----------------------------------------------------------------------

#[test]
fn pretty_printed_nested_json_body() {
    let body = "{\n  \"type\": \"error\",\n  \"errors\": [\n    {\n      \"code\": \"idempotency_key_already_used\",\n      \"message\": \"X-Idempotency-Key already used\"\n    }\n  ]\n}";
    let v = explain_stdin(body, &[]);
    assert_eq!(top(&v).1, "idempotency_key_already_used");
}

#[test]
fn json_inside_a_log_line() {
    let line = r#"[2024-03-01 10:22:03] production.ERROR: Afterpay request failed {"errorCode":"invalid_token","errorId":"9f1c2a3b4c5d6e7f","message":"Invalid token","httpStatusCode":402}"#;
    let v = explain_json(&[line]);
    assert_eq!(top(&v).0, "afterpay");
    assert_eq!(top(&v).1, "invalid_token");
    assert_eq!(v["matches"][0]["http_status"], 402);
}

#[test]
fn sdk_exception_and_http_status_line() {
    // A short message and a status name no provider: the general diagnosis of the kind of
    // failure comes first, the provider entry that says these words is listed after it.
    let v = explain_json(&["HTTP/1.1 409 Conflict X-Idempotency-Key already used"]);
    assert_eq!((top(&v).0.as_str(), top(&v).2.as_str()), ("unknown", "idempotency"));
    let entries: Vec<&str> = v["matches"].as_array().unwrap().iter().filter_map(|m| m["entry"].as_str()).collect();
    assert!(entries.contains(&"idempotency_key_already_used"), "{entries:?}");
    let v = explain_json(&["Mercado Pago: HTTP/1.1 409 Conflict X-Idempotency-Key already used"]);
    assert_eq!(top(&v).0, "mercadopago");
    assert_eq!(top(&v).1, "idempotency_key_already_used");
}

#[test]
fn php_print_r_dump() {
    let dump = "Array\n(\n    [status] => 409\n    [error] => conflict\n    [message] => Only orders with status 'action_required' or 'created' can be canceled\n    [code] => cannot_cancel_order\n)";
    let v = explain_stdin(dump, &[]);
    assert_eq!(top(&v).1, "cannot_cancel_order");
}

#[test]
fn provider_prefix_and_flag_filter() {
    let v = explain_json(&["--provider", "cko", "401"]);
    assert!(v["matches"].as_array().unwrap().iter().all(|m| m["provider"] == "checkout"));
    assert_eq!(v["ambiguous"], false);
}

// --- ambiguity, no match, stdin, exit codes ----------------------------------------------

#[test]
fn bare_401_is_ambiguous_and_lists_the_best_per_provider() {
    let v = explain_json(&["401"]);
    assert_eq!(v["ambiguous"], true);
    let providers: Vec<&str> =
        v["matches"].as_array().unwrap().iter().map(|m| m["provider"].as_str().unwrap()).collect();
    assert!(providers.len() >= 4, "{providers:?}");
    let mut dedup = providers.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), providers.len(), "one match per provider: {providers:?}");
    paydoctor().args(["explain", "401"]).assert().success().stdout(predicate::str::contains("--provider"));
}

#[test]
fn nothing_matched_exits_1_with_a_hint() {
    paydoctor()
        .args(["explain", "the weather is lovely today"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("paydoctor search the weather is lovely today"));
    let v = explain_json(&["zzzz_not_a_code_zzzz"]);
    assert_eq!(v["matches"].as_array().unwrap().len(), 0);
}

#[test]
fn stdin_with_dash_and_without_arguments() {
    let body = r#"{"errorCode":"invalid_token","errorId":"abc","message":"Invalid token","httpStatusCode":402}"#;
    for args in [&["explain", "-"][..], &["explain"]] {
        paydoctor().args(args).write_stdin(body).assert().success().stdout(predicate::str::contains("Afterpay"));
    }
}

#[test]
fn no_input_and_no_pipe_is_a_usage_error_not_a_hang() {
    let mut cmd = common::paydoctor_std();
    cmd.arg("explain").stdin(std::process::Stdio::null());
    assert_cmd::Command::from_std(cmd)
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to explain"));
    let mut cmd = common::paydoctor_std();
    cmd.stdin(std::process::Stdio::null());
    assert_cmd::Command::from_std(cmd).assert().code(2);
}

#[test]
fn unknown_provider_is_exit_2_with_the_known_ids() {
    paydoctor()
        .args(["explain", "--provider", "nope", "401"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown provider `nope`").and(predicate::str::contains("afterpay")));
}

#[test]
fn color_only_when_asked_or_on_a_terminal() {
    let plain = paydoctor().args(["explain", "412", "invalid_token"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\u{1b}'), "no color when stdout is a pipe");
    let forced = paydoctor().args(["--color", "always", "explain", "412", "invalid_token"]).output().unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains("\u{1b}["));
    let never =
        paydoctor().env("NO_COLOR", "1").args(["--color", "auto", "explain", "412", "invalid_token"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&never.stdout).contains('\u{1b}'));
}

#[test]
fn human_report_has_title_causes_fix_and_docs() {
    paydoctor().args(["explain", "412", "invalid_token"]).assert().success().stdout(
        predicate::str::contains("Afterpay")
            .and(predicate::str::contains("Likely causes"))
            .and(predicate::str::contains("Fix"))
            .and(predicate::str::contains("docs: https://")),
    );
}

#[test]
fn json_schema_fields() {
    let v = explain_json(&["412", "invalid_token"]);
    assert_eq!(v["schema_version"], 1);
    let m = &v["matches"][0];
    for field in
        ["provider", "code", "http_status", "category", "title", "confidence", "causes", "fixes", "docs", "evidence"]
    {
        assert!(m.get(field).is_some(), "missing {field} in {m}");
    }
    let conf = m["confidence"].as_f64().unwrap();
    assert!(conf > 0.5 && conf <= 1.0, "{conf}");
    assert!(m["causes"][0]["likelihood"].as_f64().unwrap() > 0.0);
    assert!(m["evidence"].as_array().unwrap().iter().any(|e| e.as_str().unwrap().contains("412")));
}

#[test]
fn closed_stdout_exits_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child =
        common::paydoctor_std().args(["explain", "401"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(status.code() == Some(0), "exit {status:?}, stderr {err}");
    assert!(!err.contains("panicked"), "{err}");
}
