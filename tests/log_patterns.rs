//! The failures only a log shows: retry storms against the card networks' limits, card
//! testing, rate limits on one object, payments charged after a timeout, webhook signature
//! failures from one point or on one route, and webhook events delivered twice. Each pattern
//! is run on a log that holds it and on logs that look alike but must not raise it.

mod common;
use common::paydoctor;
use std::path::PathBuf;

fn scan(name: &str, log: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join(name);
    std::fs::write(&path, log).unwrap();
    let out = paydoctor().args(["scan", "--json"]).arg(&path).output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The patterns of one kind in a report.
fn patterns<'a>(v: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    v["patterns"].as_array().unwrap().iter().filter(|p| p["kind"] == kind).collect()
}

fn lines(p: &serde_json::Value) -> Vec<u64> {
    p["lines"].as_array().unwrap().iter().map(|l| l["line"].as_u64().unwrap()).collect()
}

/// A Stripe decline of one card at `time`, with its brand, and an ordinary request after it.
fn decline(time: &str, pm: &str, brand: &str, extra: &str) -> String {
    format!(
        "{time} ERROR Stripe charge failed: {{\"error\":{{\"code\":\"card_declined\",\"decline_code\":\"insufficient_funds\",\
         \"message\":\"Your card has insufficient funds.\"{extra},\"payment_method\":{{\"id\":\"{pm}\",\"card\":{{\"brand\":\"{brand}\",\"last4\":\"4242\"}}}}}}}}\n\
         {time} INFO GET /products/1 200\n"
    )
}

fn minutes(base_hour: u32, m: u32) -> String {
    format!("2024-05-01T{:02}:{:02}:00Z", base_hour + m / 60, m % 60)
}

#[test]
fn retry_storm_past_the_mastercard_limit_and_after_a_do_not_retry_decline() {
    // 12 declines of one Mastercard in 48 minutes: past 10 in 24 h
    let log: String = (0..12).map(|i| decline(&minutes(10, i * 4), "pm_1N3xYz2eZvKYlo2C", "mastercard", "")).collect();
    let v = scan("storm.log", &log);
    let p = patterns(&v, "retry_storm");
    assert_eq!(p.len(), 1, "{v:#}");
    assert_eq!(p[0]["provider"], "stripe");
    assert_eq!(p[0]["category"], "decline");
    assert_eq!(p[0]["count"], 12);
    assert_eq!(p[0]["lines_total"], 12);
    let detail = p[0]["detail"].as_str().unwrap();
    assert!(detail.contains("Mastercard") && detail.contains("24 h"), "{detail}");
    assert!(!detail.contains("4242"), "no card digits in the report: {detail}");

    // a decline whose merchant advice code forbids retries, then one more attempt of the card
    let log = decline("2024-05-01T10:00:00Z", "pm_1N3xYz2eZvKYlo2C", "mastercard", ",\"merchant_advice_code\":\"03\"")
        + &decline("2024-05-01T10:05:00Z", "pm_1N3xYz2eZvKYlo2C", "mastercard", "");
    let v = scan("mac.log", &log);
    let p = patterns(&v, "retry_storm");
    assert_eq!(p.len(), 1, "{v:#}");
    assert!(p[0]["detail"].as_str().unwrap().contains("merchant advice code 03"), "{}", p[0]["detail"]);
    assert_eq!(lines(p[0]), vec![1, 3]);
}

#[test]
fn declines_within_the_networks_limits_are_no_storm() {
    // 8 declines of one card in a day; 12 of one Visa card (Visa counts 20 in 30 days);
    // 12 declines of 12 different cards; a soft decline (advice code 01) retried once
    let eight: String = (0..8).map(|i| decline(&minutes(10, i * 4), "pm_1N3xYz2eZvKYlo2C", "mastercard", "")).collect();
    let visa: String = (0..12).map(|i| decline(&minutes(10, i * 4), "pm_1N3xYz2eZvKYlo2C", "visa", "")).collect();
    let many: String =
        (0..12).map(|i| decline(&minutes(10, i * 4), &format!("pm_1N3xYz2eZvK{i:05}"), "mastercard", "")).collect();
    let soft = decline("2024-05-01T10:00:00Z", "pm_1N3xYz2eZvKYlo2C", "mastercard", ",\"merchant_advice_code\":\"01\"")
        + &decline("2024-05-02T10:05:00Z", "pm_1N3xYz2eZvKYlo2C", "mastercard", "");
    for (name, log) in [("eight.log", eight), ("visa.log", visa), ("many.log", many), ("soft.log", soft)] {
        let v = scan(name, &log);
        assert!(patterns(&v, "retry_storm").is_empty(), "{name}: {v:#}");
        assert!(!v["groups"].as_array().unwrap().is_empty(), "{name}: the declines are still found");
    }
}

/// A decline of card `i` for a request from `ip` at second `s` after 10:00.
fn tested(s: u32, i: u32, ip: &str) -> String {
    format!(
        "2024-05-01T10:{:02}:{:02}Z ERROR Stripe charge failed: {{\"error\":{{\"code\":\"card_declined\",\"decline_code\":\"generic_decline\",\
         \"message\":\"Your card was declined.\",\"ip\":\"{ip}\",\"payment_method\":{{\"id\":\"pm_1N3xYz2eZvK{i:05}\"}}}}}}\n",
        s / 60,
        s % 60
    )
}

#[test]
fn card_testing_many_cards_from_one_ip_in_minutes() {
    let log: String = (0..7).map(|i| tested(i * 20, i, "203.0.113.7")).collect();
    let v = scan("testing.log", &log);
    let p = patterns(&v, "card_testing");
    assert_eq!(p.len(), 1, "{v:#}");
    assert_eq!(p[0]["count"], 7);
    assert!(p[0]["detail"].as_str().unwrap().contains("IP 203.0.113.7: 7 different cards"), "{}", p[0]["detail"]);
    assert_eq!(lines(p[0]), (1..=7).collect::<Vec<_>>());
}

#[test]
fn no_card_testing_from_many_ips_or_over_hours_or_one_card() {
    let ips: String = (0..7).map(|i| tested(i * 20, i, &format!("203.0.113.{i}"))).collect();
    let slow: String =
        (0..7).map(|i| tested(0, i, "203.0.113.7").replacen("2024-05-01T10:00:00Z", &minutes(10, i * 15), 1)).collect();
    let one_card: String = (0..7).map(|i| tested(i * 20, 1, "203.0.113.7")).collect();
    for (name, log) in [("ips.log", ips), ("slow.log", slow), ("one_card.log", one_card)] {
        let v = scan(name, &log);
        assert!(patterns(&v, "card_testing").is_empty(), "{name}: {v:#}");
        assert_eq!(v["summary"]["findings"], 7, "{name}: the declines are still found");
    }
}

fn locked(s: u32, customer: &str) -> String {
    format!(
        "2024-05-01T10:00:{s:02}Z ERROR Stripe API error: POST /v1/customers/{customer} 429 {{\"error\":{{\"code\":\"lock_timeout\",\
         \"message\":\"This object cannot be accessed right now because another API request or Stripe process is currently accessing it.\",\
         \"type\":\"invalid_request_error\"}}}}\n"
    )
}

#[test]
fn rate_limits_on_one_object_apart_from_the_account_rate() {
    let log: String = (0..4).map(|s| locked(s, "cus_Nv0Lh2e9AB")).collect();
    let v = scan("object.log", &log);
    let p = patterns(&v, "rate_limit_on_one_object");
    assert_eq!(p.len(), 1, "{v:#}");
    assert_eq!(p[0]["count"], 4);
    assert_eq!(p[0]["category"], "rate_limit");
    assert!(p[0]["detail"].as_str().unwrap().contains("4 on cus_Nv0Lh2e9AB"), "{}", p[0]["detail"]);

    // the same errors on four customers: the account is throttled, no one object is
    let log: String = (0..4).map(|s| locked(s, &format!("cus_Nv0Lh2e9A{s}"))).collect();
    let v = scan("spread.log", &log);
    assert!(patterns(&v, "rate_limit_on_one_object").is_empty(), "{v:#}");
    assert_eq!(patterns(&v, "rate_limit_exceeded").len(), 1, "{v:#}");
}

const TIMEOUT: &str = "2024-05-01T10:00:00Z ERROR Flutterwave charge order_id=1043 failed: cURL error 28: Operation timed out after 30001 milliseconds with 0 bytes received\n";

#[test]
fn a_payment_that_timed_out_then_succeeded_was_charged() {
    let log = format!(
        "{TIMEOUT}2024-05-01T10:00:05Z INFO GET /checkout 200\n\
         2024-05-01T10:02:00Z INFO Flutterwave webhook charge.completed order_id=1043: payment succeeded\n"
    );
    let v = scan("charged.log", &log);
    let p = patterns(&v, "charged_but_marked_failed");
    assert_eq!(p.len(), 1, "{v:#}");
    assert_eq!(p[0]["provider"], "flutterwave");
    assert_eq!(lines(p[0]), vec![1, 3]);
    assert!(p[0]["detail"].as_str().unwrap().contains("1043 after a timeout"), "{}", p[0]["detail"]);
}

#[test]
fn a_success_for_another_order_or_before_the_timeout_is_not_a_charge() {
    let other = format!("{TIMEOUT}2024-05-01T10:02:00Z INFO Flutterwave webhook order_id=1044: payment succeeded\n");
    let before = format!("2024-05-01T09:59:00Z INFO Flutterwave order_id=1043: payment succeeded\n{TIMEOUT}");
    for (name, log) in [("other.log", other), ("before.log", before)] {
        let v = scan(name, &log);
        assert!(patterns(&v, "charged_but_marked_failed").is_empty(), "{name}: {v:#}");
    }
}

const PROCESSED: &str = "INFO POST /webhooks/stripe evt_1Abc2345678{n} charge.succeeded processed";
const REJECTED: &str = "ERROR POST /webhooks/stripe Stripe\\Exception\\SignatureVerificationException: No signatures found matching the expected signature for payload";

fn webhook_log(events: &[(&str, &str)]) -> String {
    events
        .iter()
        .enumerate()
        .map(|(i, (time, line))| format!("2024-05-01T{time}Z {}\n", line.replace("{n}", &i.to_string())))
        .collect()
}

#[test]
fn webhook_signatures_failing_from_one_point_or_on_one_route() {
    let onset = webhook_log(&[
        ("09:00:00", PROCESSED),
        ("09:30:00", PROCESSED),
        ("10:00:00", REJECTED),
        ("10:05:00", REJECTED),
    ]);
    let v = scan("onset.log", &onset);
    let p = patterns(&v, "webhook_signature_change");
    assert_eq!(p.len(), 1, "{v:#}");
    assert_eq!(p[0]["category"], "webhook_signature");
    let detail = p[0]["detail"].as_str().unwrap();
    assert!(detail.contains("none processed since") && detail.contains("onset.log:2"), "{detail}");

    let paypal =
        "INFO POST /webhooks/paypal WH-58D329510W468432D-8HN650336L20110{n}X PAYMENT.CAPTURE.COMPLETED order paid";
    let route =
        webhook_log(&[("09:30:00", PROCESSED), ("10:00:00", REJECTED), ("10:04:00", paypal), ("10:05:00", REJECTED)]);
    let v = scan("route.log", &route);
    let p = patterns(&v, "webhook_signature_change");
    assert_eq!(p.len(), 1, "{v:#}");
    let detail = p[0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("all on /webhooks/stripe") && detail.contains("/webhooks/paypal are processed"),
        "{detail}"
    );
}

#[test]
fn intermittent_or_lone_signature_failures_are_no_change() {
    // failures between deliveries processed on the same route; failures with nothing
    // processed before them; one failure after a processed delivery
    let intermittent = webhook_log(&[
        ("09:00:00", PROCESSED),
        ("10:00:00", REJECTED),
        ("10:01:00", PROCESSED),
        ("10:02:00", REJECTED),
        ("10:03:00", PROCESSED),
    ]);
    let from_start = webhook_log(&[("10:00:00", REJECTED), ("10:05:00", REJECTED)]);
    let once = webhook_log(&[("09:00:00", PROCESSED), ("10:00:00", REJECTED)]);
    for (name, log) in [("intermittent.log", intermittent), ("start.log", from_start), ("once.log", once)] {
        let v = scan(name, &log);
        assert!(patterns(&v, "webhook_signature_change").is_empty(), "{name}: {v:#}");
        assert!(!v["groups"].as_array().unwrap().is_empty(), "{name}: the failures are still found");
    }
}

#[test]
fn a_webhook_event_processed_twice() {
    let twice = "2024-05-01T09:00:00Z INFO POST /webhooks/stripe evt_1Abc23456789 charge.succeeded processed\n\
                 2024-05-01T09:00:01Z INFO GET /checkout 200\n\
                 2024-05-01T09:03:00Z INFO POST /webhooks/stripe evt_1Abc23456789 charge.succeeded processed\n";
    let v = scan("twice.log", twice);
    let p = patterns(&v, "duplicate_webhook");
    assert_eq!(p.len(), 1, "{v:#}");
    assert_eq!(lines(p[0]), vec![1, 3]);
    assert!(p[0]["detail"].as_str().unwrap().contains("evt_1Abc23456789"), "{}", p[0]["detail"]);

    let distinct = twice.replacen("evt_1Abc23456789", "evt_1Abc23456780", 1);
    let v = scan("distinct.log", &distinct);
    assert!(patterns(&v, "duplicate_webhook").is_empty(), "{v:#}");
}
