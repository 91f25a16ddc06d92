//! The committed shell completions and man page under `completions/` are exactly what the
//! binary generates. Regenerate them with `PAYDOCTOR_BLESS=1 cargo test --test completions`
//! (or `paydoctor completions SHELL > completions/FILE`, `paydoctor man`). They hold no
//! provider id: provider ids complete from `paydoctor list --ids` when TAB is pressed.

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
        "out of date with the command-line definitions:\n  {}\nregenerate all: PAYDOCTOR_BLESS=1 cargo test --test completions",
        stale.join("\n  ")
    );
}

#[test]
fn completions_ask_the_binary_for_provider_ids_and_list_none() {
    let ids = String::from_utf8(paydoctor().args(["list", "--ids"]).output().unwrap().stdout).unwrap();
    let ids: Vec<&str> = ids.lines().collect();
    assert!(ids.len() > 2 && ids.contains(&"stripe"), "{ids:?}");
    for (args, file) in FILES {
        let text =
            std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions").join(file)).unwrap();
        // No value list of the knowledge's providers (webhook verify's own few schemes are one).
        for line in text.lines() {
            let listed = line.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| ids.contains(w)).count();
            assert!(listed * 2 < ids.len(), "completions/{file} lists provider ids: {line}");
        }
        if matches!(args, ["completions", "bash" | "zsh" | "fish"]) {
            assert!(text.contains("(paydoctor list --ids 2>/dev/null)"), "completions/{file} does not ask for ids");
        }
        assert!(!text.contains("__paydoctor_provider_ids__"), "completions/{file} kept the placeholder");
    }
    let out = paydoctor().args(["completions", "bash"]).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("webhook_signature"), "categories complete in bash");
}

/// Bash (and fish) completion, run for real: `paydoctor list <TAB>` offers the ids of the
/// paydoctor on PATH when TAB is pressed, a company provider (`PAYDOCTOR_KB`) included.
#[test]
fn shells_complete_provider_ids_of_the_binary_on_path() {
    if std::process::Command::new("bash").arg("--version").output().is_err() {
        eprintln!("no bash: skipped");
        return;
    }
    let kb = tempfile::tempdir().unwrap();
    std::fs::write(
        kb.path().join("acmepay.toml"),
        "[provider]\nid = \"acmepay\"\nname = \"Acme Pay\"\ndocs = \"https://docs.acmepay.test/errors\"\n",
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("paydoctor");
    let path = format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let complete = |words: &str| {
        let script = format!(
            "source {}\nCOMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}\n\
             _paydoctor paydoctor \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions/paydoctor.bash").display()
        );
        let out = std::process::Command::new("bash")
            .args(["--norc", "--noprofile", "-c", &script])
            .env("PATH", &path)
            .env("PAYDOCTOR_KB", kb.path())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let offered = complete("paydoctor list ''");
    for id in ["stripe", "adyen", "acmepay"] {
        assert!(offered.lines().any(|l| l == id), "`list <TAB>` does not offer {id}:\n{offered}");
    }
    let offered = complete("paydoctor explain --provider a");
    assert!(offered.lines().any(|l| l == "acmepay") && !offered.lines().any(|l| l == "stripe"), "{offered}");

    // fish, where installed: `complete -C` prints what TAB would offer.
    let script = format!(
        "source {}; complete -C 'paydoctor probe --provider a'",
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions/paydoctor.fish").display()
    );
    if let Ok(out) = std::process::Command::new("fish")
        .args(["-c", &script])
        .env("PATH", &path)
        .env("PAYDOCTOR_KB", kb.path())
        .output()
    {
        let offered = String::from_utf8(out.stdout).unwrap();
        let ids: Vec<&str> = offered.lines().map(|l| l.split('\t').next().unwrap_or("")).collect();
        assert!(ids.contains(&"acmepay") && ids.contains(&"afterpay") && !ids.contains(&"stripe"), "{offered}");
    }
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
    // one page: no reference to a paydoctor-SUB(1) page that does not exist
    assert!(!page.contains("paydoctor\\-explain(1)") && !page.contains("(1)\n"), "{page}");
    assert!(page.contains("(below, under PAYDOCTOR SCAN)"));
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
