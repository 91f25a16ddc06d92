//! Running `paydoctor probe` (and `explain --probe`) in tests: a clean environment holding only
//! the credentials a test gives, a check that none of them is printed unmasked, and accessors
//! for the `--json` report.

use serde_json::Value;

/// The only inherited variables: nothing that can hold a credential (whatever a provider's SDK
/// calls it), a proxy, a config or CA location reaches a probe under test.
const INHERITED: &[&str] = &["PATH", "TMPDIR", "RUST_BACKTRACE", "LLVM_PROFILE_FILE"];

pub const STRIPE_TEST_KEY: &str = "sk_test_51Hc0ffeeC0ffeeC0ffee4242";
pub const CKO_SANDBOX_KEY: &str = "sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e";
pub const MP_TEST_TOKEN: &str = "TEST-4457628316352447-112309-6a0e5c1f0d2b4c3a9e8f7d6c5b4a3f21-1234567";

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }
}

/// Run `paydoctor ARGS` with only the given environment variables for credentials.
pub fn run(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = super::paydoctor_std();
    cmd.env_clear();
    for v in INHERITED {
        if let Some(value) = std::env::var_os(v) {
            cmd.env(v, value);
        }
    }
    cmd.args(args).envs(env.iter().copied());
    let out = cmd.output().unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    for (_, v) in env {
        if v.len() >= 12 && !v.contains('/') {
            assert!(
                !run.stdout.contains(v) && !run.stderr.contains(v),
                "a credential was printed unmasked:\n{}",
                run.stdout
            );
        }
    }
    run
}

pub fn probe_json(provider: &str, base: &str, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args = vec!["probe", "--provider", provider, "--base-url", base, "--json"];
    args.extend_from_slice(extra);
    run(&args, env)
}

pub fn check<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no {name} check: {v:#}"))
}

pub fn status(v: &Value, name: &str) -> String {
    check(v, name)["status"].as_str().unwrap().to_string()
}

pub fn evidence(v: &Value, name: &str) -> String {
    check(v, name)["evidence"].to_string()
}

pub fn category(v: &Value) -> Value {
    v["conclusion"]["category"].clone()
}
