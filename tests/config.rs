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
        "env `sk_live_…p7dc` looks like a secret, not a variable name",
        "5 problem(s)",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
    assert!(!text.contains("4eC39HqLyjWDarjtT1zd"), "the pasted key is masked:\n{text}");
}

/// Runs of 8 characters of `secret` in `text`.
fn leaks(text: &str, secret: &str) -> Vec<String> {
    (0..=secret.len() - 8).map(|i| &secret[i..i + 8]).filter(|w| text.contains(w)).map(str::to_string).collect()
}

/// A secret of no known shape where an env var name belongs, and passwords inside base URLs:
/// `config check` and `probe --profile` name the problem and never print the value.
#[test]
fn secrets_in_the_wrong_place_are_never_printed() {
    const PASTED: &str = "EHk3q9Zt9Lw8vR2nXdP5bqTm";
    const PASSWORD: &str = "hunter2-S3cretPass";
    let config = format!(
        "[profile.pasted]\nprovider = \"paypal\"\nenvironment = \"sandbox\"\n\
         credentials = {{ client_id = {{ env = \"PAYPAL_CLIENT_ID\" }}, client_secret = {{ env = \"{PASTED}\" }} }}\n\
         [profile.userinfo]\nprovider = \"stripe\"\nbase_url = \"https://deploy:{PASSWORD}@vm:8443\"\n\
         [profile.plain]\nprovider = \"stripe\"\nbase_url = \"http://deploy:{PASSWORD}@api.example.com\"\n\
         [profile.digit]\nprovider = \"stripe\"\ncredentials = {{ secret_key = {{ env = \"9LIVES\" }} }}\n"
    );
    let (dir, mut cmd) = with_config(Some(&config));
    let out = cmd.args(["config", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    for want in [
        "profile `pasted`: credential `client_secret`: env `…bqTm` looks like a secret, not a variable name",
        "profile `userinfo`: base_url `https://[REDACTED]:…Pass@vm:8443` carries credentials",
        "profile `plain`: base_url `http://[REDACTED]:…Pass@api.example.com` must be https://",
        "profile `digit`: credential `secret_key`: env `[REDACTED]` looks like a secret",
        "5 problem(s)",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
    for secret in [PASTED, PASSWORD] {
        assert!(leaks(&text, secret).is_empty(), "{secret} leaked: {:?}\n{text}", leaks(&text, secret));
    }

    for profile in ["pasted", "userinfo", "plain"] {
        let out = common::paydoctor()
            .env("PAYDOCTOR_CONFIG_DIR", dir.path())
            .env(PASTED, "x")
            .args(["probe", "--profile", profile])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(&format!("profile `{profile}`")), "{err}");
        for secret in [PASTED, PASSWORD] {
            assert!(leaks(&err, secret).is_empty(), "{secret} leaked by probe --profile {profile}: {err}");
        }
    }
}

/// A secret typed as the whole credential entry is a type error, which quotes the value: masked.
/// It is that profile's problem, listed by `config check` (exit 1), fatal for `--profile x`.
#[test]
fn a_secret_in_place_of_an_entry_is_masked_in_the_parse_error() {
    const PASTED: &str = "EHk3q9Zt9Lw8vR2nXdP5bqTm";
    let config = format!("[profile.x]\nprovider = \"paypal\"\ncredentials.client_secret = \"{PASTED}\"\n");
    let (dir, mut cmd) = with_config(Some(&config));
    let out = cmd.args(["config", "check"]).output().unwrap();
    let listed = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{listed}");
    assert!(listed.contains("profile `x`: invalid type: string \"…bqTm\""), "{listed}");
    assert!(leaks(&listed, PASTED).is_empty(), "{listed}");
    let out =
        common::paydoctor().env("PAYDOCTOR_CONFIG_DIR", dir.path()).args(["probe", "--profile", "x"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(leaks(&err, PASTED).is_empty(), "{err}");
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
