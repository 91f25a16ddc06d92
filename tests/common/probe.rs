//! Running `paydoctor probe` (and `explain --probe`) in tests: a clean environment holding only
//! the credentials a test gives, a check that none of them is printed unmasked, and accessors
//! for the `--json` report.

use serde_json::Value;

/// Variables that could leak a real credential or config into a test.
pub const CREDENTIAL_VARS: &[&str] = &[
    "STRIPE_API_KEY",
    "STRIPE_SECRET_KEY",
    "CKO_SECRET_KEY",
    "CHECKOUT_DEFAULT_SECRET_KEY",
    "CHECKOUT_DEFAULT_OAUTH_CLIENT_ID",
    "CHECKOUT_DEFAULT_OAUTH_CLIENT_SECRET",
    "MERCADOPAGO_ACCESS_TOKEN",
    "MP_ACCESS_TOKEN",
    "MERCADOPAGO_CLIENT_ID",
    "MERCADOPAGO_CLIENT_SECRET",
    "AFTERPAY_MERCHANT_ID",
    "AFTERPAY_SECRET_KEY",
    "PAYPAL_CLIENT_ID",
    "PAYPAL_CLIENT_SECRET",
    "XDG_CONFIG_HOME",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
];

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
    for v in CREDENTIAL_VARS {
        cmd.env_remove(v);
    }
    for (k, _) in std::env::vars() {
        if k.starts_with("PAYDOCTOR_") {
            cmd.env_remove(k);
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
