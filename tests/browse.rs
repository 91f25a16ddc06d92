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
    // One provider per top-level knowledge file (the layers live in knowledge/network/).
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "toml"))
        .count();
    assert_eq!(providers.len(), files, "{v}");
    let afterpay = providers.iter().find(|p| p["id"] == "afterpay").unwrap();
    let (n, rich, compact) = (
        afterpay["entries"].as_u64().unwrap(),
        afterpay["rich"].as_u64().unwrap(),
        afterpay["compact"].as_u64().unwrap(),
    );
    assert!(rich > 0 && n == rich + compact, "{afterpay}");
    assert_eq!(afterpay["source"], "knowledge/afterpay.toml");
    // Which providers can be probed live: those whose knowledge file has [provider.probe].
    assert_eq!(afterpay["probe"], true, "{afterpay}");
    let adyen = providers.iter().find(|p| p["id"] == "adyen").unwrap();
    assert_eq!(adyen["probe"], false, "{adyen}");
    let row = |id: &str| out.lines().find(|l| l.starts_with(&format!("{id} "))).unwrap().to_string();
    assert!(row("afterpay").contains(" live ") && !row("adyen").contains(" live "), "{out}");
}

#[test]
fn list_all_known_adds_the_providers_known_by_name_only() {
    let v = json(&["list", "--json"]);
    assert!(v.get("name_only").is_none(), "only with --all-known");
    let v = json(&["list", "--all-known", "--json"]);
    let names = v["name_only"].as_array().unwrap();
    assert!(!names.is_empty());
    assert!(names.iter().all(|o| o["name_only"] == true && o["source"] == "knowledge/general/others.toml"), "{v}");
    let known: Vec<&str> = v["providers"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    for o in names {
        let id = o["id"].as_str().unwrap();
        assert!(!known.contains(&id), "{id} has a knowledge file and is listed as name only too");
        assert!(!o["markers"].as_array().unwrap().is_empty(), "{o}");
    }
    // The human list marks each such row.
    let id = names[0]["id"].as_str().unwrap();
    let out = stdout(&["list", "--all-known"]);
    let row = out.lines().find(|l| l.starts_with(&format!("{id} "))).unwrap_or_else(|| panic!("{id}:\n{out}"));
    assert!(row.contains("name only"), "{row}");
    assert!(out.contains("recognised by name only"), "{out}");
    assert!(!stdout(&["list"]).contains("name only"));
    // Every id `list --ids` prints is one `list --json` lists, providers and layers.
    let ids = stdout(&["list", "--ids"]);
    let listed = v["providers"].as_array().unwrap().iter().chain(v["layers"].as_array().unwrap()).count();
    assert_eq!(ids.lines().count(), listed, "{ids}");
    assert!(ids.lines().all(|id| known.contains(&id) || v["layers"].to_string().contains(&format!("\"{id}\""))));
}

/// A knowledge file (here a company one) with a name-only provider's id supersedes that entry
/// of others.toml: nothing there needs editing.
#[test]
fn a_knowledge_file_supersedes_the_name_only_entry() {
    let v = json(&["list", "--all-known", "--json"]);
    let other = &v["name_only"][0];
    let (id, marker) = (other["id"].as_str().unwrap(), other["markers"][0].as_str().unwrap());
    let input = format!("{marker} gateway said: Security violation (code ZZ-991)");
    let before = common::explain_json(&[&input]);
    assert_eq!(before["matches"][0]["provider"], id, "{before}");
    assert_eq!(before["matches"][0]["provider_known"], false, "{before}");

    let dir = tempfile::tempdir().unwrap();
    let file = format!(
        "[provider]\nid = \"{id}\"\nname = \"{id} (company file)\"\ndocs = \"https://docs.example.test/errors\"\nmarkers = [\"{marker}\"]\n\n\
         [compact]\nentries = [\n  {{ code = \"ZZ-991\", category = \"auth_invalid_key\", title = \"Security violation\", cause = \"The credentials were refused.\", fix = \"Use the right credentials.\" }},\n]\n"
    );
    std::fs::write(dir.path().join(format!("{id}.toml")), file).unwrap();
    let kb = dir.path().to_str().unwrap();
    let out = paydoctor().args(["--kb", kb, "list", "--all-known", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["providers"].as_array().unwrap().iter().any(|p| p["id"] == id), "{v}");
    assert!(!v["name_only"].as_array().unwrap().iter().any(|p| p["id"] == id), "{v}");
    let out = paydoctor().args(["--kb", kb, "explain", "--json", &input]).output().unwrap();
    let after: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let top = &after["matches"][0];
    assert_eq!(
        (&top["provider"], &top["provider_known"], &top["code"]),
        (&id.into(), &true.into(), &"ZZ-991".into()),
        "{after}"
    );
}

/// The markers and domains of the name-only entries a knowledge file supersedes that no longer
/// name its provider (with the company knowledge in `kb`, if any).
fn lost_on_supersede(kb: Option<&std::path::Path>) -> Vec<String> {
    let others: toml::Table =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge/general/others.toml"))
            .unwrap()
            .parse()
            .unwrap();
    let run = |args: &[&str]| {
        let mut cmd = paydoctor();
        if let Some(dir) = kb {
            cmd.arg("--kb").arg(dir);
        }
        let out = cmd.args(args).output().unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let listed = run(&["list", "--json"]);
    let known: Vec<&str> = listed["providers"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    let mut lost = Vec::new();
    for o in others["provider"].as_array().unwrap() {
        let id = o["id"].as_str().unwrap();
        if !known.contains(&id) {
            continue;
        }
        let words = |k: &str| -> Vec<String> {
            let list = o.get(k).and_then(|v| v.as_array()).cloned().unwrap_or_default();
            list.iter().map(|w| w.as_str().unwrap().to_string()).collect()
        };
        let markers = words("markers").into_iter().map(|m| (format!("{m} API error: Invalid key"), m));
        let domains = words("domains")
            .into_iter()
            .map(|d| (format!("POST https://api.{d}/v1/charges failed: 401 Unauthorized"), d));
        let inputs: Vec<(String, String)> = markers.chain(domains).map(|(input, what)| (what, input)).collect();
        for (what, input) in inputs {
            let v = run(&["explain", "--json", "--", &input]);
            if v["matches"][0]["provider"] != id || v["matches"][0]["provider_known"] != true {
                lost.push(format!("{id}: `{what}` (answered {})", v["matches"][0]["provider"]));
            }
        }
    }
    lost
}

/// Superseding a name-only entry loses nothing it recognised: its markers and domains name the
/// provider of the knowledge file, whatever that file lists.
#[test]
fn a_superseding_knowledge_file_keeps_what_the_name_only_entry_recognised() {
    assert_eq!(lost_on_supersede(None), Vec::<String>::new());
    let dir = tempfile::tempdir().unwrap();
    let file = |markers: &str, hosts: &str| {
        format!(
            "[provider]\nid = \"worldpay\"\nname = \"Worldpay\"\ndocs = \"https://developer.worldpay.com/errors\"\n\
             markers = [{markers}]\n\n[[provider.environments]]\nenv = \"sandbox\"\nhosts = [{hosts}]\n"
        )
    };
    // A file that names none of `vantiv`, `litle`, `vantivcnp.com`: they still name Worldpay.
    std::fs::write(dir.path().join("worldpay.toml"), file("\"worldpay\"", "")).unwrap();
    assert_eq!(lost_on_supersede(Some(dir.path())), Vec::<String>::new());
    let v = common::explain_json(&["--kb", dir.path().to_str().unwrap(), "--", "litle API error: Invalid key"]);
    assert!(v["matches"][0]["evidence"].to_string().contains("names Worldpay (“litle”)"), "{v}");
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

#[test]
fn a_misspelt_provider_gets_the_closest_id() {
    for (cmd, typo) in [("list", "strpe"), ("search", "--provider=paypall")] {
        let mut args = vec![cmd, typo];
        if cmd == "search" {
            args.push("token");
        }
        let out = paydoctor().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        let want = if cmd == "list" { "did you mean `stripe`?" } else { "did you mean `paypal`?" };
        assert!(err.contains(want), "{err}");
    }
    // nothing close: the known ids
    let out = paydoctor().args(["list", "acmepay"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("known: adyen") && !err.contains("did you mean"), "{err}");
}

#[test]
fn a_limit_of_zero_is_a_usage_error() {
    for cmd in ["search", "explain"] {
        let out = paydoctor().args([cmd, "--limit", "0", "token"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--limit"), "{cmd}: {err}");
    }
}
