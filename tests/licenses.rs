//! Supply chain: every dependency in Cargo.lock has a licence we accept, and no banned crate
//! is in the tree (an offline-friendly stand-in for `cargo deny check licenses bans`).

use std::process::Command;

/// Licences a dependency may use (SPDX ids).
const ALLOWED: &[&str] = &[
    "MIT",
    "Apache-2.0",
    "Apache-2.0 WITH LLVM-exception",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Unlicense",
    "Zlib",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "MPL-2.0",
    "CC0-1.0",
    "0BSD",
    "BSL-1.0",
    "CDLA-Permissive-2.0",
    "OpenSSL",
];

/// Crates that must not be linked: paydoctor uses rustls, never the system OpenSSL.
const BANNED: &[&str] = &["openssl-sys", "native-tls"];

/// Is an SPDX expression satisfied by the allowed list? `A OR B` needs one side, `A AND B`
/// both; parentheses group; `/` is the old spelling of OR.
fn accepted(expr: &str) -> bool {
    fn or(e: &str) -> bool {
        split_top(e, " OR ").iter().any(|alt| split_top(alt, " AND ").iter().all(|t| term(t)))
    }
    fn term(t: &str) -> bool {
        let t = t.trim();
        match t.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            Some(inner) => or(inner),
            None => ALLOWED.contains(&t),
        }
    }
    fn split_top<'a>(e: &'a str, sep: &str) -> Vec<&'a str> {
        let (mut depth, mut start, mut out) = (0i32, 0, Vec::new());
        let b = e.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ if depth == 0 && e[i..].starts_with(sep) => {
                    out.push(&e[start..i]);
                    i += sep.len();
                    start = i;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        out.push(&e[start..]);
        out
    }
    or(&expr.replace('/', " OR "))
}

#[test]
fn spdx_expressions_are_evaluated() {
    assert!(accepted("MIT OR Apache-2.0"));
    assert!(accepted("(MIT OR Apache-2.0) AND Unicode-3.0"));
    assert!(accepted("MIT/Apache-2.0"));
    assert!(!accepted("GPL-3.0-only"));
    assert!(!accepted("MIT AND GPL-3.0-only"));
    assert!(accepted("MIT OR Apache-2.0 OR LGPL-2.1-or-later"));
}

#[test]
fn every_dependency_has_an_accepted_licence_and_none_is_banned() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--locked", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut bad = Vec::new();
    let mut count = 0;
    for p in meta["packages"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        let version = p["version"].as_str().unwrap();
        count += 1;
        match p["license"].as_str() {
            Some(l) if accepted(l) => {}
            other => bad.push(format!("{name} {version}: licence {other:?}")),
        }
        if BANNED.contains(&name) {
            bad.push(format!("{name} {version}: banned crate"));
        }
    }
    println!("{count} packages checked");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
