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

#[test]
fn kb_check_validates_company_files_over_the_embedded_knowledge() {
    let dir = company(&[("afterpay.toml", AFTERPAY), ("acme.toml", ACME)]);
    let out = paydoctor().args(["kb", "check"]).arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("acme.toml: 1 entry new, 0 entries overriding embedded ones"), "{text}");
    assert!(text.contains("afterpay.toml: 0 entries new, 1 entry overriding embedded ones"), "{text}");
    assert!(text.contains("14 provider(s)") && text.ends_with(": ok\n"), "{text}");
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
