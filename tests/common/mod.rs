//! Shared test helpers: the built binary with a clean environment, and paths to the
//! shared reference material beside the checkout. `probe`: running probes and reading their
//! reports; `tls`: a test CA, its certificates and an HTTPS server on loopback.

#![allow(dead_code)]

pub mod probe;
pub mod tls;

use assert_cmd::Command;
use std::path::PathBuf;

/// `paydoctor` with no inherited color or config variables.
pub fn paydoctor() -> Command {
    Command::from_std(paydoctor_std())
}

/// The same as a `std::process::Command`, for control over stdin/stdout handles.
pub fn paydoctor_std() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("paydoctor"));
    for var in
        ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "PAYDOCTOR_KB", "PAYDOCTOR_CONFIG_DIR", "PAYDOCTOR_CA_FILE", "TERM"]
    {
        cmd.env_remove(var);
    }
    cmd
}

/// `paydoctor list --json`: the embedded providers and layers (no list of them is kept by hand).
pub fn listed() -> serde_json::Value {
    let out = paydoctor().args(["list", "--json"]).output().unwrap();
    serde_json::from_slice(&out.stdout).expect("list --json")
}

/// The ids of the embedded payment providers (not the network layers).
pub fn provider_ids() -> Vec<String> {
    listed()["providers"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect()
}

/// Run `explain` with these arguments and parse its `--json` output.
pub fn explain_json(args: &[&str]) -> serde_json::Value {
    let out = paydoctor().arg("explain").arg("--json").args(args).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("explain {args:?} printed invalid JSON ({e}): {}", String::from_utf8_lossy(&out.stdout))
    })
}

/// Run `explain --json` with `text` on stdin.
pub fn explain_stdin(text: &str, extra: &[&str]) -> serde_json::Value {
    let out = paydoctor().arg("explain").arg("--json").args(extra).write_stdin(text).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("explain on stdin printed invalid JSON ({e}): {}", String::from_utf8_lossy(&out.stdout))
    })
}

/// (provider, code, category) of the best match.
pub fn top(v: &serde_json::Value) -> (String, String, String) {
    let m = &v["matches"][0];
    (
        m["provider"].as_str().unwrap_or("").to_string(),
        m["code"].as_str().unwrap_or("").to_string(),
        m["category"].as_str().unwrap_or("").to_string(),
    )
}

/// `../shared` next to the checkout (CI clones the project with it beside).
pub fn shared() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    assert!(p.is_dir(), "reference material expected at {}", p.display());
    p
}

/// An SDK exception name (`Braintree::NotFoundError`, `StripeAuthenticationError`) is a
/// label of the shape of the error, not an API code.
pub fn is_api_code(label: &str) -> bool {
    !(label.contains("::")
        || label.contains('\\')
        || label.contains('.')
        || label.ends_with("Error")
        || label.ends_with("Exception"))
}

/// A code label compared loosely: lower case, runs of other characters as one `_`.
pub fn norm_label(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}
