//! `paydoctor config path|check` with a temporary config directory.

mod common;

use common::paydoctor;
use predicates::prelude::*;

fn with_config(text: Option<&str>) -> (tempfile::TempDir, assert_cmd::Command) {
    let dir = tempfile::tempdir().unwrap();
    if let Some(t) = text {
        std::fs::write(dir.path().join("config.toml"), t).unwrap();
    }
    let mut cmd = paydoctor();
    cmd.env("PAYDOCTOR_CONFIG_DIR", dir.path());
    (dir, cmd)
}

#[test]
fn path_names_each_file_and_the_rule_that_chose_it() {
    let (dir, mut cmd) = with_config(None);
    cmd.args(["--kb", "/srv/company-kb", "config", "path"]).assert().success().stdout(
        predicate::str::contains(dir.path().join("config.toml").display().to_string())
            .and(predicate::str::contains("not created; from $PAYDOCTOR_CONFIG_DIR"))
            .and(predicate::str::contains("/srv/company-kb (from --kb; missing)")),
    );
}

#[test]
fn no_config_file_is_fine() {
    let (_dir, mut cmd) = with_config(None);
    cmd.args(["config", "check"]).assert().success().stdout(predicate::str::contains("nothing to check"));
}

#[test]
fn a_valid_profile_checks_clean() {
    let good = "[profile.shop]\nprovider = \"stripe\"\nenvironment = \"sandbox\"\ncredentials = { secret_key = { env = \"STRIPE_API_KEY\" } }\n";
    let (_dir, mut cmd) = with_config(Some(good));
    cmd.args(["config", "check"]).assert().success().stdout(predicate::str::contains("1 profile(s): ok"));
}

#[test]
fn every_problem_is_named_and_a_pasted_secret_is_masked() {
    let bad = "[profile.bad]\nprovider = \"stripy\"\nenvironment = \"staging\"\nbase_url = \"http://api.example.com\"\n\
               credentials = { secret_key = { env = \"sk_live_4eC39HqLyjWDarjtT1zdp7dc\" }, client_id = { env = \"A\", file = \"/x\" } }\n";
    let (_dir, mut cmd) = with_config(Some(bad));
    let out = cmd.args(["config", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "profile `bad`: unknown provider `stripy`",
        "environment `staging` is not sandbox or production",
        "base_url `http://api.example.com` must be https://",
        "credential `client_id` needs exactly one of",
        "is not an environment variable name",
        "5 problem(s)",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
    assert!(!text.contains("4eC39HqLyjWDarjtT1zd"), "the pasted key is masked:\n{text}");
}

#[test]
fn a_broken_toml_file_is_one_line_with_its_line_number() {
    let (_dir, mut cmd) = with_config(Some("[profile.x]\nprovider = stripe\n"));
    cmd.args(["config", "check"]).assert().code(2).stderr(
        predicate::str::contains("config.toml: line 2:").and(predicate::function(|s: &str| s.lines().count() == 1)),
    );
}

#[test]
fn the_extra_ca_file_is_shown_with_its_rule_and_checked() {
    let (dir, mut cmd) = with_config(Some("ca_file = \"corp-ca.pem\"\n"));
    let want = dir.path().join("corp-ca.pem").display().to_string();
    cmd.args(["config", "path"]).assert().success().stdout(
        predicate::str::contains(format!("extra CA file    {want} (from ca_file in "))
            .and(predicate::str::contains("config.toml; missing)")),
    );
    let mut check = paydoctor();
    check.env("PAYDOCTOR_CONFIG_DIR", dir.path()).args(["config", "check"]);
    check.assert().code(1).stdout(predicate::str::contains(format!("ca_file: cannot read CA file {want}")));

    std::fs::write(dir.path().join("corp-ca.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        .unwrap();
    let mut check = paydoctor();
    check.env("PAYDOCTOR_CONFIG_DIR", dir.path()).args(["config", "check"]);
    check
        .assert()
        .code(1)
        .stdout(predicate::str::contains("certificate 1 in").and(predicate::str::contains("not usable as a CA")));

    let mut by_env = paydoctor();
    by_env.env("PAYDOCTOR_CONFIG_DIR", dir.path()).env("PAYDOCTOR_CA_FILE", "/etc/corp/ca.pem");
    by_env
        .args(["config", "path"])
        .assert()
        .success()
        .stdout(predicate::str::contains("extra CA file    /etc/corp/ca.pem (from $PAYDOCTOR_CA_FILE; missing)"));
}
