//! Browsing the knowledge base through the binary: `list`, `show` and `search`, human and
//! `--json`, exit codes.

mod common;

use common::paydoctor;
use predicates::prelude::*;

fn json(args: &[&str]) -> serde_json::Value {
    let out = paydoctor().args(args).output().unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?} printed invalid JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn stdout(args: &[&str]) -> String {
    let out = paydoctor().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

// --- list ---------------------------------------------------------------------------------

#[test]
fn list_shows_every_provider_with_entry_counts() {
    let out = stdout(&["list"]);
    for id in ["adyen", "afterpay", "checkout", "stripe", "paypal", "mercadopago"] {
        assert!(out.lines().any(|l| l.starts_with(id)), "{id} missing:\n{out}");
    }
    let v = json(&["list", "--json"]);
    let providers = v["providers"].as_array().unwrap();
    assert_eq!(providers.len(), 13);
    let afterpay = providers.iter().find(|p| p["id"] == "afterpay").unwrap();
    let (n, rich, compact) = (
        afterpay["entries"].as_u64().unwrap(),
        afterpay["rich"].as_u64().unwrap(),
        afterpay["compact"].as_u64().unwrap(),
    );
    assert!(rich > 0 && n == rich + compact, "{afterpay}");
    assert_eq!(afterpay["source"], "knowledge/afterpay.toml");
}

#[test]
fn list_provider_shows_codes_titles_and_categories() {
    let out = stdout(&["list", "afterpay"]);
    let line = out.lines().find(|l| l.starts_with("invalid_token ")).expect("invalid_token listed");
    assert!(line.contains("duplicate_or_state") && line.contains("rich") && line.contains("412"), "{line}");
    // An alias names the provider too.
    assert_eq!(stdout(&["list", "cko"]), stdout(&["list", "checkout"]));
}

#[test]
fn list_filters_by_category() {
    let v = json(&["list", "stripe", "--category", "decline", "--json"]);
    assert_eq!(v["provider"]["id"], "stripe");
    let entries = v["entries"].as_array().unwrap();
    assert!(entries.len() > 10, "{v}");
    assert!(entries.iter().all(|e| e["category"] == "decline" && e["provider"] == "stripe"));
    assert!(entries.iter().any(|e| e["entry"] == "insufficient_funds"));
    // Without a provider: that category across providers, as provider:entry.
    let out = stdout(&["list", "--category", "webhook_signature"]);
    assert!(out.contains("stripe:") && out.contains("adyen:"), "{out}");
    paydoctor().args(["list", "stripe", "--category", "declines"]).assert().code(2);
    paydoctor().args(["list", "nopay"]).assert().code(2).stderr(predicate::str::contains("unknown provider `nopay`"));
}

// --- show ---------------------------------------------------------------------------------

#[test]
fn show_prints_the_whole_entry() {
    let out = stdout(&["show", "afterpay", "invalid_token"]);
    for part in ["Afterpay", "invalid_token", "HTTP 402, 412", "Causes", "confirm:", "Fix", "Samples", "docs:"] {
        assert!(out.contains(part), "`{part}` missing:\n{out}");
    }
    assert!(out.contains("from:") && out.contains("knowledge/afterpay.toml"), "{out}");
}

#[test]
fn show_finds_an_entry_by_alias_code_and_loose_spelling() {
    let by_id = stdout(&["show", "afterpay", "invalid_token"]);
    assert_eq!(stdout(&["show", "afterpay", "INVALID-TOKEN"]), by_id);
    assert_eq!(stdout(&["show", "afterpay:invalid token"]), by_id);
    // A code that is not the entry id: Checkout.com's token_invalid also answers to invalid_token.
    let v = json(&["show", "checkout", "invalid_token", "--json"]);
    assert_eq!(v["entry"], "token_invalid");
    assert!(v["codes"].as_array().unwrap().iter().any(|c| c == "invalid_token"), "{v}");
    // A bare status: the status-level entry.
    assert_eq!(json(&["show", "stripe", "401", "--json"])["statuses"][0], 401);
}

#[test]
fn show_json_carries_the_match_fields_and_the_rest() {
    let v = json(&["show", "afterpay", "invalid_token", "--json"]);
    assert_eq!(v["schema_version"], 1);
    for key in ["provider", "provider_name", "entry", "category", "title", "summary", "fixes", "docs", "source"] {
        assert!(!v[key].is_null(), "{key} missing: {v}");
    }
    assert_eq!(v["retryable"], false);
    assert_eq!(v["compact"], false);
    assert!(v["samples"].as_array().unwrap().len() >= 2);
    let causes = v["causes"].as_array().unwrap();
    let total: f64 = causes.iter().map(|c| c["likelihood"].as_f64().unwrap()).sum();
    assert!((total - 1.0).abs() < 0.05, "priors sum to 1: {total}");
    assert!(causes.iter().all(|c| c["when"].is_array() && c["supported_by"].is_null()));
    // The same facts `explain --json` gives for its match.
    let e = json(&["explain", "--json", "afterpay:invalid_token"]);
    let m = &e["matches"][0];
    for key in ["provider", "entry", "category", "title", "summary", "fixes", "docs", "source", "retryable"] {
        assert_eq!(m[key], v[key], "{key}");
    }
}

#[test]
fn show_unknown_code_suggests_near_ones() {
    paydoctor()
        .args(["show", "afterpay", "invalid_tokn"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("did you mean: invalid_token"));
    paydoctor().args(["show", "afterpay"]).assert().code(2).stderr(predicate::str::contains("which entry?"));
}

// --- search -------------------------------------------------------------------------------

fn search(args: &[&str]) -> Vec<(String, String)> {
    let mut full = vec!["search", "--json"];
    full.extend_from_slice(args);
    let v = json(&full);
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["provider"].as_str().unwrap().to_string(), r["entry"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn search_ranks_the_entries_whose_code_is_the_query_first() {
    let hits = search(&["insufficient", "funds"]);
    assert!(hits.len() >= 5);
    for (p, e) in &hits[..4] {
        assert!(e.contains("insufficient_funds"), "{p}:{e} ranked above the insufficient_funds entries: {hits:?}");
    }
    assert!(hits.contains(&("stripe".into(), "insufficient_funds".into())), "{hits:?}");
}

#[test]
fn search_tolerates_typos() {
    let v = json(&["search", "--json", "insuficient", "funds"]);
    assert_eq!(v["corrections"][0]["typed"], "insuficient");
    assert_eq!(v["corrections"][0]["searched"], "insufficient");
    assert_eq!(search(&["insuficient", "funds"]), search(&["insufficient", "funds"]));
    let hits = search(&["webhok", "signiture"]);
    assert!(hits.first().is_some_and(|(_, e)| e.contains("signature") || e.contains("hmac")), "{hits:?}");
}

#[test]
fn search_filters_by_provider_and_limits() {
    let hits = search(&["--provider", "paypal", "--limit", "3", "webhook", "signature"]);
    assert_eq!(hits.len(), 3);
    assert!(hits.iter().all(|(p, _)| p == "paypal"));
    let out = stdout(&["search", "-p", "stripe", "expired", "api", "key"]);
    let first = out.lines().next().unwrap();
    assert!(first.starts_with("stripe:"), "{out}");
}

#[test]
fn search_finds_nothing_for_unknown_words() {
    paydoctor()
        .args(["search", "zzqxv", "wqpmd"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("nothing in the knowledge base matches"));
    let out = paydoctor().args(["search", "--json", "zzqxv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["results"].as_array().unwrap().is_empty());
}
