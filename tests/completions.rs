//! The committed shell completions and man page under `completions/` are exactly what the
//! binary generates. Regenerate them with `PAYDOCTOR_BLESS=1 cargo test --release --test
//! completions` (or `paydoctor completions SHELL > completions/FILE`, `paydoctor man`).

mod common;

use common::paydoctor;
use std::path::PathBuf;

const FILES: &[(&[&str], &str)] = &[
    (&["completions", "bash"], "paydoctor.bash"),
    (&["completions", "zsh"], "_paydoctor"),
    (&["completions", "fish"], "paydoctor.fish"),
    (&["completions", "powershell"], "_paydoctor.ps1"),
    (&["completions", "elvish"], "paydoctor.elv"),
    (&["man"], "paydoctor.1"),
];

#[test]
fn committed_completions_and_man_page_match_the_binary() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions");
    let bless = std::env::var_os("PAYDOCTOR_BLESS").is_some();
    let mut stale = Vec::new();
    for (args, file) in FILES {
        let out = paydoctor().args(*args).output().unwrap();
        assert!(out.status.success(), "paydoctor {args:?} failed");
        assert!(!out.stdout.is_empty());
        let path = dir.join(file);
        if bless {
            std::fs::write(&path, &out.stdout).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(&out.stdout[..]) {
            stale.push(format!("completions/{file} (paydoctor {} > completions/{file})", args.join(" ")));
        }
    }
    assert!(
        stale.is_empty(),
        "out of date with the command-line definitions:\n  {}\nregenerate all: PAYDOCTOR_BLESS=1 cargo test --release --test completions",
        stale.join("\n  ")
    );
}

#[test]
fn completions_offer_provider_ids_and_categories() {
    let out = paydoctor().args(["completions", "bash"]).output().unwrap();
    let bash = String::from_utf8(out.stdout).unwrap();
    assert!(bash.contains("adyen afterpay alternativepayments"), "provider ids complete in bash");
    assert!(bash.contains("webhook_signature"), "categories complete in bash");
    let out = paydoctor().args(["completions", "zsh"]).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("stripe"));
}

#[test]
fn man_page_documents_every_subcommand_with_examples() {
    let out = paydoctor().arg("man").output().unwrap();
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH paydoctor 1"), "roff");
    for sub in ["PAYDOCTOR EXPLAIN", "PAYDOCTOR LIST", "PAYDOCTOR SHOW", "PAYDOCTOR SEARCH", "PAYDOCTOR KB CHECK"] {
        assert!(page.contains(&format!(".SH \"{sub}\"")), "{sub} section missing");
    }
    assert!(page.contains("paydoctor search insuficient funds"));
}

#[test]
fn every_command_has_examples_in_its_help() {
    for cmd in [
        &["explain"][..],
        &["list"],
        &["show"],
        &["search"],
        &["kb", "check"],
        &["kb", "stats"],
        &["completions"],
        &["man"],
    ] {
        let out = paydoctor().args(cmd).arg("--help").output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(help.contains("Examples:\n  paydoctor"), "{cmd:?} --help has no examples:\n{help}");
    }
}
