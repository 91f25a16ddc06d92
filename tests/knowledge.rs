//! The knowledge base is data reviewed like code: every embedded sample round-trips to its
//! own entry, broken files are rejected with the file and entry named, and every provider
//! catalog stays covered.

mod common;

use common::{paydoctor, shared};
use predicates::prelude::*;
use std::fs;

#[test]
fn every_embedded_sample_matches_back_to_its_entry() {
    let out = paydoctor().args(["kb", "check"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "kb check found problems:\n{stdout}");
    assert!(stdout.contains(": ok"), "{stdout}");
}

#[test]
fn the_repository_knowledge_folder_checks_clean_too() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge");
    paydoctor().args(["kb", "check", dir]).assert().success();
}

fn check_dir(files: &[(&str, &str)]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    let out = paydoctor().args(["kb", "check"]).arg(dir.path()).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).into_owned())
}

const GOOD: &str = r#"
[provider]
id = "acme"
name = "Acme Pay"
docs = "https://docs.acme.test/errors"
fields = ["acme_error"]
code_fields = ["acme_error"]

[[error]]
id = "bad_key"
codes = ["acme_bad_key"]
status = [401]
category = "auth_invalid_key"
title = "Acme rejected the API key"
fixes = ["Copy the key again from the Acme dashboard."]
docs = ["https://docs.acme.test/errors#bad_key"]
samples = ['{"acme_error":"acme_bad_key","status":401}']

[[error.causes]]
summary = "The key was revoked."
probe = "credential"

[compact]
entries = [
  { code = "acme_card_declined", status = 402, category = "decline", title = "Card declined", cause = "The issuer said no.", fix = "Ask for another card." },
]
"#;

#[test]
fn a_good_company_file_passes() {
    let (code, out) = check_dir(&[("acme.toml", GOOD)]);
    assert_eq!(code, 0, "{out}");
    // Checked merged over the embedded knowledge: one more provider, two new entries.
    assert!(out.contains("acme.toml: 2 entries new, 0 entries overriding embedded ones"), "{out}");
    let n = common::provider_ids().len() + 1;
    assert!(out.contains(&format!("{n} provider(s)")), "{out}");
}

#[test]
fn broken_files_are_rejected_with_file_and_entry_named() {
    let cases: &[(&str, &str)] = &[
        (r#"category = "auth_invalid_key""#, r#"category = "auth_oops""#),
        (
            r#"codes = ["acme_bad_key"]"#,
            r#"codes = ["acme_bad_key"]
patterns = ["(unclosed"]"#,
        ),
        (
            r#"samples = ['{"acme_error":"acme_bad_key","status":401}']"#,
            r#"samples = ['{"acme_error":"acme_card_declined"}']"#,
        ),
        (
            r#"id = "bad_key""#,
            r#"id = "bad_key"
colour = "blue""#,
        ),
        (r#"probe = "credential""#, r#"probe = "telepathy""#),
    ];
    let expect = [
        "unknown category `auth_oops`",
        "regex `(unclosed` does not compile",
        "sample `{\"acme_error\":\"acme_card_declined\"}` was diagnosed as `acme:acme_card_declined`",
        "unknown field `colour`",
        "unknown probe `telepathy`",
    ];
    for ((from, to), want) in cases.iter().zip(expect) {
        let (code, out) = check_dir(&[("acme.toml", &GOOD.replace(from, to))]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains(want), "expected `{want}` in:\n{out}");
        assert!(out.contains("acme.toml"), "the file is named:\n{out}");
        if !want.starts_with("unknown field") {
            assert!(out.contains("entry `bad_key`"), "the entry is named:\n{out}");
        }
    }
}

/// `GOOD` with a probe section and one environment to aim it at.
fn with_probe(probe: &str, environment: &str) -> String {
    let section =
        format!("\n[provider.probe]\n{probe}\n\n[[provider.environments]]\nenv = \"sandbox\"\n{environment}\n\n");
    GOOD.replacen("\n[[error]]", &format!("{section}[[error]]"), 1)
}

#[test]
fn a_malformed_probe_section_is_a_precise_error() {
    let key = r#"auth = [{ scheme = "api_key_header", header = "X-Acme-Key", credential = "secret_key" }]"#;
    let env =
        "base_url = \"https://api.sandbox.acme.test\"\nhosts = [\"api.sandbox.acme.test\"]\ncheck = \"GET /v1/me\"";
    let (code, out) = check_dir(&[("acme.toml", &with_probe(key, env))]);
    assert_eq!(code, 0, "{out}");
    let cases = [
        (with_probe(r#"auth = [{ scheme = "hmac" }]"#, env), "unknown variant `hmac`"),
        (with_probe(&key.replace("secret_key", "password"), env), "unknown variant `password`"),
        (with_probe("auth = []", env), "probe `auth` is empty"),
        (
            with_probe(r#"auth = [{ scheme = "oauth2_client_credentials", credential = "secret_key" }]"#, env),
            "unknown field `credential`",
        ),
        (with_probe(key, &env.replace("check = \"GET /v1/me\"", "")), "probe: environment `sandbox` has no `check`"),
        (
            with_probe(key, &env.replace("GET /v1/me", "GET https://api.acme.test/v1/me")),
            "is not `GET /path` or `POST /path`",
        ),
        (
            with_probe(r#"auth = [{ scheme = "oauth2_client_credentials" }]"#, env),
            "probe: auth `oauth2_client_credentials` needs a `token_endpoint` in environment `sandbox`",
        ),
        (with_probe(&format!("{key}\nheaders = {{ \"User-Agent\" = \"x/{{merchant}}\" }}"), env), "names `{merchant}`"),
        (with_probe(&key.replace("X-Acme-Key", "X Acme Key"), env), "api_key_header `X Acme Key` is not a header name"),
        (
            with_probe(
                r#"auth = [{ scheme = "http_signature", key_id = "client_id", secret = "secret_key" }]"#,
                &env.replace("GET /v1/me", "POST /v1/me"),
            ),
            "http_signature signs a GET check",
        ),
        (
            with_probe(key, &env.replace("https://api.sandbox.acme.test", "https://api.acme-proxy.test:8443")),
            "the base_url host `api.acme-proxy.test` is not in its `hosts`",
        ),
    ];
    for (text, want) in cases {
        let (code, out) = check_dir(&[("acme.toml", &text)]);
        assert_eq!(code, 1, "{text}\n{out}");
        assert!(out.contains("acme.toml") && out.contains(want), "expected `{want}` in:\n{out}");
    }
}

#[test]
fn duplicate_ids_and_codes_are_rejected() {
    let dup = GOOD.replace(r#"code = "acme_card_declined""#, r#"code = "acme_bad_key""#);
    let (code, out) = check_dir(&[("acme.toml", &dup)]);
    assert_eq!(code, 1);
    assert!(out.contains("code `acme_bad_key` is also claimed by entry `bad_key`"), "{out}");
    let (code, out) = check_dir(&[("acme.toml", GOOD), ("acme2.toml", GOOD)]);
    assert_eq!(code, 1);
    assert!(out.contains("duplicate provider id `acme`"), "{out}");
}

#[test]
fn a_toml_syntax_error_names_the_line() {
    let (code, out) = check_dir(&[("acme.toml", &GOOD.replace("title = \"Card declined\"", "title = Card declined"))]);
    assert_eq!(code, 1);
    assert!(out.contains("acme.toml: line 25"), "{out}");
}

/// The catalogs in `../shared/catalogs` and the fixtures in `tests/catalogs/<provider>.tsv` (a
/// new provider's catalog lands there with its knowledge file: no list to extend).
#[test]
fn every_catalog_is_at_least_95_percent_covered() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/catalogs");
    let dirs = [shared().join("catalogs"), fixtures].into_iter().filter(|d| d.is_dir());
    let mut covered = serde_json::Map::new();
    for catalogs in dirs {
        let out = paydoctor()
            .args(["kb", "stats", "--min-coverage", "95", "--json", "--catalog"])
            .arg(&catalogs)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut report = String::new();
        for p in v["providers"].as_array().unwrap() {
            report.push_str(&format!("{} {}% ", p["provider"], p["coverage_percent"]));
            if !p["coverage_percent"].is_null() {
                covered.insert(p["provider"].as_str().unwrap().to_string(), p["coverage_percent"].clone());
            }
        }
        assert!(
            out.status.success(),
            "{}: coverage below 95%: {report}\n{}",
            catalogs.display(),
            String::from_utf8_lossy(&out.stdout)
        );
    }
    for seed in ["checkout", "afterpay", "mercadopago", "alternativepayments"] {
        assert_eq!(covered.get(seed), Some(&100.0.into()), "the seed provider {seed} covers its whole catalog");
    }
}

#[test]
fn stats_without_catalog_lists_every_provider() {
    paydoctor()
        .args(["kb", "stats"])
        .assert()
        .success()
        .stdout(predicate::str::contains("checkout").and(predicate::str::contains("entries")));
}

/// Pastes a network-layer entry should answer (a layer code in a label like `AVS result: N`, a
/// transport failure inside a provider SDK's connection error) that today land on a provider
/// entry or on nothing: the targets of the layer-aware answer, kept out of the samples (which
/// must all pass) until it lands. Run with `cargo test -- --ignored`.
#[test]
#[ignore = "the layer-aware answer is not built yet"]
fn layer_targets_are_answered_from_their_layer() {
    let text = fs::read_to_string("tests/fixtures/layer_targets.jsonl").unwrap();
    let mut misses = Vec::new();
    for line in text.lines() {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let input = case["input"].as_str().unwrap();
        let want = case["expect"].as_str().unwrap();
        let v = common::explain_stdin(input, &[]);
        let m = &v["matches"][0];
        let got = format!("{}:{}", m["provider"].as_str().unwrap_or(""), m["entry"].as_str().unwrap_or(""));
        if got != want {
            misses.push(format!("{want} got {got}: {input}"));
        }
    }
    assert!(misses.is_empty(), "{} of {} missed:\n{}", misses.len(), text.lines().count(), misses.join("\n"));
}

#[test]
fn kb_stats_with_a_missing_catalog_folder_is_an_error() {
    let out = paydoctor().args(["kb", "stats", "--catalog", "/nonexistent/catalogs"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/catalogs: no such folder"), "{err}");
    assert!(out.stdout.is_empty());
}
