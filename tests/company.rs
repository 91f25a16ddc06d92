//! Company knowledge (`--kb DIR`, `PAYDOCTOR_KB`): new providers and overrides of embedded
//! entries, seen by every command with their source; broken files are precise errors.

mod common;

use common::paydoctor;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

/// A provider the embedded knowledge does not have.
const ACME: &str = r#"
[provider]
id = "acme"
name = "Acme Gateway"
docs = "https://docs.acme.test/errors"
fields = ["acme_error"]
code_fields = ["acme_error"]

[[error]]
id = "gw_timeout"
codes = ["GW-1042"]
status = [504]
category = "server_error"
title = "The Acme gateway timed out waiting for the card network"
fixes = ["Retry with the same idempotency key after 30 seconds."]
samples = ['{"acme_error":"GW-1042","status":504}']

[[error.causes]]
summary = "The card network did not answer in time."
probe = "none"
"#;

/// An overlay of an embedded provider: only `id` in [provider], one entry replacing the
/// embedded `invalid_token` with the team's runbook.
const AFTERPAY: &str = r#"
[provider]
id = "afterpay"

[[error]]
id = "invalid_token"
codes = ["invalid_token"]
status = [402, 412]
category = "duplicate_or_state"
title = "Afterpay refused the checkout token (see runbook PAY-17)"
messages = ["The checkout token is invalid, expired, or does not exist"]
samples = ['API Error #412 "invalid_token": Invalid token (Error ID: 9e8d7c6b5a4f3e2d)']
fixes = ["Follow runbook PAY-17: find the order by its Afterpay token in the admin before retrying."]

[[error.causes]]
summary = "The confirm page was refreshed after the payment was approved."
probe = "none"
"#;

fn company(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn json_with(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = paydoctor().arg("--kb").arg(dir).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_company_override_replaces_the_embedded_entry_with_its_source() {
    let dir = company(&[("afterpay.toml", AFTERPAY), ("acme.toml", ACME)]);
    let source = dir.path().join("afterpay.toml").display().to_string();
    let v = json_with(dir.path(), &["explain", "--json", "412", "invalid_token"]);
    let m = &v["matches"][0];
    assert_eq!((m["provider"].as_str(), m["entry"].as_str()), (Some("afterpay"), Some("invalid_token")));
    assert!(m["fixes"][0].as_str().unwrap().contains("runbook PAY-17"), "{m}");
    assert_eq!(m["source"], source.as_str());
    // The provider keeps what the overlay did not restate.
    assert_eq!(m["provider_name"], "Afterpay / Cash App Afterpay / Clearpay");

    let out = paydoctor().arg("--kb").arg(dir.path()).args(["explain", "412", "invalid_token"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("runbook PAY-17") && text.contains(&format!("from: {source}")), "{text}");

    let out = paydoctor().arg("--kb").arg(dir.path()).args(["show", "afterpay", "invalid_token"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("runbook PAY-17") && text.contains(&source), "{text}");
    // Other afterpay entries are still the embedded ones.
    let v = json_with(dir.path(), &["show", "afterpay", "declined", "--json"]);
    assert_eq!(v["source"], "knowledge/afterpay.toml");
}

#[test]
fn a_company_provider_is_seen_by_every_command() {
    let dir = company(&[("acme.toml", ACME)]);
    let source = dir.path().join("acme.toml").display().to_string();
    let v = json_with(dir.path(), &["explain", "--json", r#"{"acme_error":"GW-1042","status":504}"#]);
    assert_eq!(v["matches"][0]["provider"], "acme");
    assert_eq!(v["matches"][0]["source"], source.as_str());
    let v = json_with(dir.path(), &["list", "--json"]);
    assert!(v["providers"].as_array().unwrap().iter().any(|p| p["id"] == "acme" && p["entries"] == 1));
    let v = json_with(dir.path(), &["show", "acme", "gw-1042", "--json"]);
    assert_eq!(v["entry"], "gw_timeout");
    let v = json_with(dir.path(), &["search", "--json", "gateway", "timed", "out", "card", "network"]);
    assert_eq!(v["results"][0]["provider"], "acme");
    // PAYDOCTOR_KB works the same way, as a path list.
    let empty = tempfile::tempdir().unwrap();
    let list = std::env::join_paths([empty.path(), dir.path()]).unwrap();
    paydoctor()
        .env("PAYDOCTOR_KB", list)
        .args(["explain", "--json", "acme:GW-1042"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"provider\": \"acme\""));
    // Without it, acme is unknown.
    paydoctor().args(["show", "acme", "gw_timeout"]).assert().code(2);
}

/// A provider whose id is an everyday word (`common_word`) is not named by that word alone.
#[test]
fn an_everyday_word_id_names_no_provider_alone() {
    let file = |common: bool| {
        format!(
            "[provider]\nid = \"payout\"\nname = \"Payout Co\"\ncommon_word = {common}\ndocs = \"https://docs.payout.test/errors\"\n\n\
             [compact]\nentries = [\n  {{ code = \"PO-77\", category = \"decline\", title = \"Declined\", cause = \"The bank said no.\", fix = \"Ask for another card.\" }},\n]\n"
        )
    };
    let named = |common: bool| {
        let dir = company(&[("payout.toml", &file(common))]);
        let v = json_with(dir.path(), &["explain", "--json", "the payout failed: card declined"]);
        v["matches"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|m| m["evidence"].as_array().unwrap().clone())
            .any(|e| e.as_str().unwrap().starts_with("names Payout Co"))
    };
    assert!(named(false), "a plain id names its provider");
    assert!(!named(true), "an everyday-word id does not");
}

#[test]
fn kb_check_validates_company_files_over_the_embedded_knowledge() {
    let dir = company(&[("afterpay.toml", AFTERPAY), ("acme.toml", ACME)]);
    let out = paydoctor().args(["kb", "check"]).arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("acme.toml: 1 entry new, 0 entries overriding embedded ones"), "{text}");
    assert!(text.contains("afterpay.toml: 0 entries new, 1 entry overriding embedded ones"), "{text}");
    let n = common::provider_ids().len() + 1;
    assert!(text.contains(&format!("{n} provider(s)")) && text.ends_with(": ok\n"), "{text}");
}

#[test]
fn a_broken_company_file_is_a_precise_error() {
    let broken = ACME
        .replace(r#"category = "server_error""#, r#"category = "server_oops""#)
        .replace(r#"name = "Acme Gateway""#, "");
    let dir = company(&[("acme.toml", &broken)]);
    let file = dir.path().join("acme.toml").display().to_string();
    // explain (and every other command): one line, the first problem, exit 2.
    let out = paydoctor().arg("--kb").arg(dir.path()).args(["explain", "401"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(&file) && err.contains("provider `name` is missing"), "{err}");
    assert!(err.contains("and 1 more problem") && err.contains("paydoctor kb check"), "{err}");
    // kb check: every problem, exit 1.
    let out = paydoctor().args(["kb", "check"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("{file}: provider `name` is missing")), "{text}");
    assert!(text.contains(&format!("{file}: entry `gw_timeout`: unknown category `server_oops`")), "{text}");
    assert!(text.contains("2 problem(s)"), "{text}");
}

#[test]
fn an_overlay_cannot_steal_a_code_of_an_embedded_entry() {
    let steal = AFTERPAY.replace(r#"id = "invalid_token""#, r#"id = "token_refused""#);
    let dir = company(&[("afterpay.toml", &steal)]);
    let out = paydoctor().args(["kb", "check"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("entry `token_refused`: code `invalid_token` is also claimed by entry `invalid_token`"),
        "{text}"
    );
}

#[test]
fn a_missing_company_folder_is_an_error() {
    paydoctor()
        .args(["--kb", "/nonexistent/paydoctor-kb", "explain", "401"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("knowledge folder /nonexistent/paydoctor-kb does not exist"));
}

/// A generated catalog of `n` entries for one internal service, in the shape of a real one:
/// codes `BLK-10000`…, one message each from a small vocabulary (every word is shared by
/// hundreds of messages), a quarter compact, some with a message pattern. Entry `i`'s code
/// and message are returned by [`bulk_entry`].
fn bulk_catalog(n: usize) -> String {
    let mut text = String::from(
        "[provider]\nid = \"bulk\"\nname = \"Bulk Ledger Service\"\ndocs = \"https://wiki.example.test/bulk\"\n\
         fields = [\"bulk_error\"]\ncode_fields = [\"bulk_error\"]\n\n",
    );
    let mut compact = String::from("[compact]\nentries = [\n");
    for i in 0..n {
        let (code, message) = bulk_entry(i);
        if i % 4 == 3 {
            compact += &format!(
                "  {{ code = \"{code}\", status = 422, category = \"validation\", title = \"Bulk: {message}\", \
                 cause = \"The {message}.\", fix = \"Fix the {message}.\", message = \"{message}\" }},\n"
            );
            continue;
        }
        let pattern = if i % 50 == 0 { format!("patterns = ['batch {i} \\d+ rejected']\n") } else { String::new() };
        text += &format!(
            "[[error]]\nid = \"{}\"\ncodes = [\"{code}\"]\nstatus = [409]\ncategory = \"duplicate_or_state\"\n\
             title = \"Bulk: {message}\"\nmessages = [\"{message}\"]\n{pattern}\
             samples = ['{{\"bulk_error\":\"{code}\",\"message\":\"{message}\"}}']\n\
             fixes = [\"Look the {message} up in the ledger console.\"]\n\n[[error.causes]]\nsummary = \"The {message}.\"\n\n",
            code.to_lowercase().replace('-', "_")
        );
    }
    text + &compact + "]\n"
}

fn bulk_entry(i: usize) -> (String, String) {
    const SUBJECTS: [&str; 25] = [
        "ledger entry",
        "settlement batch",
        "payout instruction",
        "refund request",
        "capture request",
        "card token",
        "mandate reference",
        "wallet balance",
        "fee schedule",
        "escrow release",
        "bank transfer",
        "direct debit",
        "virtual card",
        "risk score",
        "customer profile",
        "billing address",
        "tax calculation",
        "gift card",
        "voucher code",
        "pos session",
        "batch upload",
        "network token",
        "issuer callback",
        "retry schedule",
        "audit trail",
    ];
    const PROBLEMS: [&str; 20] = [
        "was rejected upstream",
        "is locked",
        "has expired",
        "exceeds the limit",
        "is missing a field",
        "references an unknown merchant",
        "is in a final state",
        "failed validation",
        "was submitted twice",
        "is not enabled",
        "conflicts with a dispute",
        "was blocked",
        "timed out",
        "has a bad checksum",
        "uses an unsupported currency",
        "belongs to a closed account",
        "is pending review",
        "has a mismatched amount",
        "was cancelled",
        "needs a fresh signature",
    ];
    const CONTEXTS: [&str; 40] = [
        "during settlement",
        "for the acquirer",
        "in the eu region",
        "for marketplace sellers",
        "on recurring billing",
        "in the sandbox cluster",
        "after the cut-off",
        "for cross-border payments",
        "on mobile checkout",
        "for risky merchants",
        "during the payout window",
        "for the partner api",
        "after a network retry",
        "while the ledger closed",
        "for instant transfers",
        "on card-present",
        "for corporate cards",
        "during key rotation",
        "for the legacy api",
        "in the apac region",
        "for b2b invoicing",
        "after the migration",
        "during peak traffic",
        "for prepaid cards",
        "for the renewal",
        "while reconciling refunds",
        "in the us cluster",
        "for wallet top-ups",
        "on the hosted page",
        "for split settlements",
        "during the monthly close",
        "for loyalty",
        "on partial captures",
        "for offline terminals",
        "during dispute intake",
        "for scheduled payouts",
        "on the fallback route",
        "for multi-currency accounts",
        "during onboarding",
        "in batch mode",
    ];
    let (s, p, c) = (i % 25, (i / 25) % 20, (i / 500) % 40);
    let subject = SUBJECTS[s];
    let message = format!("{}{} {} {}", subject[..1].to_uppercase(), &subject[1..], PROBLEMS[p], CONTEXTS[c]);
    (format!("BLK-{}", 10000 + i), message)
}

/// A company catalog of many thousand entries, over the embedded knowledge: each of its
/// entries is still found by its code, its message and its pattern, by `explain` and by
/// `scan`, and the embedded entries are found as before (correctness at scale; the time and
/// memory it costs are measured by bench/company.sh).
#[test]
fn a_large_company_catalog_finds_its_own_entries() {
    let n = 20_000;
    let dir = company(&[("bulk.toml", &bulk_catalog(n))]);
    let top = |args: &[&str]| {
        let v = json_with(dir.path(), args);
        let m = &v["matches"][0];
        (m["provider"].as_str().unwrap_or("").to_string(), m["entry"].as_str().unwrap_or("").to_string())
    };
    let id = |i: usize| bulk_entry(i).0.to_lowercase().replace('-', "_");
    for i in [0, 1, 4_242, 12_345, n - 2] {
        let (code, message) = bulk_entry(i);
        let body = format!(r#"{{"bulk_error":"{code}","status":409,"message":"{message}"}}"#);
        assert_eq!(top(&["explain", "--json", &body]), ("bulk".into(), id(i)), "entry {i} by its body");
        assert_eq!(top(&["explain", "--json", &format!("bulk:{code}")]), ("bulk".into(), id(i)), "entry {i} by code");
        let said = format!("Bulk Ledger Service error: {message}");
        assert_eq!(top(&["explain", "--json", &said]), ("bulk".into(), id(i)), "entry {i} by its message");
    }
    // a compact entry, by its code
    assert_eq!(top(&["explain", "--json", "bulk:BLK-10003"]), ("bulk".into(), "blk_10003".into()));
    // an entry by its pattern alone, the provider named
    let v = json_with(dir.path(), &["explain", "--json", "Bulk Ledger Service: batch 9950 77 rejected"]);
    let by_pattern = v["matches"].as_array().unwrap().iter().find(|m| m["entry"] == id(9_950).as_str());
    assert!(by_pattern.is_some_and(|m| m["evidence"].to_string().contains("its message pattern")), "{v}");
    // the embedded knowledge as before
    assert_eq!(top(&["explain", "--json", "412", "invalid_token"]), ("afterpay".into(), "invalid_token".into()));

    let picked = [7, 3_001, 10_000, 19_998];
    let mut log = String::new();
    for k in 0..2_000 {
        log += &format!("2024-05-01T10:00:{:02}Z INFO request_id=req{k} cart updated items=3\n", k % 60);
        if k % 500 == 0 {
            let (code, message) = bulk_entry(picked[k / 500]);
            log += &format!(
                "2024-05-01T10:00:{:02}Z ERROR payment failed: {{\"bulk_error\":\"{code}\",\"message\":\"{message}\"}}\n",
                k % 60
            );
        }
    }
    log += r#"2024-05-01T10:01:00Z ERROR stripe: {"error":{"code":"card_declined","decline_code":"insufficient_funds","type":"card_error"}}"#;
    log += "\n";
    let file = dir.path().join("app.log");
    fs::write(&file, log).unwrap();
    let v = json_with(dir.path(), &["scan", "--json", file.to_str().unwrap()]);
    let mut found: Vec<(String, String)> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["provider"].as_str().unwrap().to_string(), g["entry"].as_str().unwrap().to_string()))
        .collect();
    found.sort();
    let mut want: Vec<(String, String)> = picked.iter().map(|&i| ("bulk".to_string(), id(i))).collect();
    want.push(("stripe".into(), "insufficient_funds".into()));
    want.sort();
    assert_eq!(found, want);
}
