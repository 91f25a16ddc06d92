//! Secrets never leak: a generator of credential, card and bank-account shapes in the
//! contexts and syntaxes real logs and pastes carry, each run through every output mode of
//! `explain`, `scan`, `search`, `show` and argument errors of the built binary. It is written from
//! the classes of secrets people paste, not from the redactor's rules: a line counts as a
//! leak when any piece of a secret beyond its environment prefix and last 4 is printed.

mod common;

use std::collections::BTreeMap;
use std::process::Stdio;

/// xorshift: deterministic, so a failing case reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn from(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| alphabet[self.below(alphabet.len())] as char).collect()
    }
}

const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const B64URL: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
const HEX: &[u8] = b"0123456789abcdef";
const DIGITS: &[u8] = b"0123456789";
const PASSWORD: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789@!#%^*";

/// A secret, the part of it that may be shown in front (a known environment prefix), and
/// what it is.
struct Secret {
    value: String,
    kept_prefix: usize,
    kind: &'static str,
}

/// Credentials of many services, in the shapes they really have.
fn credential(rng: &mut Rng, i: usize) -> Secret {
    let extra = rng.below(75);
    let (prefix, body, kind): (&str, String, &str) = match i % 18 {
        0 => ("sk_live_", rng.from(ALNUM, 24 + extra), "stripe live key"),
        1 => ("sk_test_", rng.from(ALNUM, 24 + extra), "stripe test key"),
        2 => ("rk_live_", rng.from(ALNUM, 99), "stripe restricted key"),
        3 => ("whsec_", rng.from(ALNUM, 32), "webhook secret"),
        4 => ("sk_sbox_", rng.from(b"abcdefghijklmnopqrstuvwxyz234567", 27), "checkout sandbox key"),
        5 => {
            let b = format!(
                "{}-{}-{}-{}",
                rng.from(DIGITS, 16),
                rng.from(DIGITS, 6),
                rng.from(HEX, 32),
                rng.from(DIGITS, 9)
            );
            ("APP_USR-", b, "mercado pago token")
        }
        6 => ("live_", rng.from(ALNUM, 30), "mollie live key"),
        7 => ("sq0csp-", rng.from(B64URL, 43), "square app secret"),
        8 => ("", format!("EAAA{}", rng.from(B64URL, 60)), "square access token"),
        9 => ("", format!("AQE{}", rng.from(ALNUM, 90)), "adyen api key"),
        10 => ("", format!("E{}", rng.from(B64URL, 79)), "paypal client secret"),
        11 => ("", rng.from(HEX, 32), "braintree private key"),
        12 => ("", rng.from(ALNUM, 24), "razorpay key secret"),
        13 => ("", rng.from(PASSWORD, 10 + extra % 12), "password"),
        14 => {
            let jwt = format!("eyJhbGciOiJIUzI1NiJ9.eyJ{}.{}", rng.from(B64URL, 40), rng.from(B64URL, 43));
            ("", jwt, "jwt")
        }
        15 => ("", format!("AKIA{}", rng.from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)), "aws key"),
        16 => ("", rng.from(ALNUM, 40), "random api key"),
        _ => ("", rng.from(B64URL, 64), "oauth token"),
    };
    // A prefix stays only where the shape is known to tell the environment.
    Secret { value: format!("{prefix}{body}"), kept_prefix: prefix.len(), kind }
}

/// Names secrets go by in code, config and logs.
const NAMES: &[&str] = &[
    "client_secret",
    "api_key",
    "secretKey",
    "hmacKey",
    "signature_key",
    "auth_token",
    "api_secret",
    "access_token",
    "refresh_token",
    "private_key",
    "password",
    "pwd",
    "key",
    "transactionKey",
    "STRIPE_SECRET_KEY",
    "PAYPAL_CLIENT_SECRET",
];

/// A line carrying `v` as `name` in one syntax, with a payment error beside it so `scan`
/// picks the line up.
fn in_syntax(syntax: usize, name: &str, v: &str, rng: &mut Rng) -> String {
    let err = r#"Stripe error 401 {"error":{"type":"invalid_request_error","code":"api_key_expired"}}"#;
    let header = name.replace('_', "-");
    match syntax % 24 {
        0 => format!(r#"{{"{name}": "{v}", "status": 401}} {err}"#),
        1 => format!(r#"payload="{{\"{name}\":\"{v}\",\"amount\":100}}" {err}"#),
        2 => format!("level=error {name}={v} msg=\"request failed\" {err}"),
        3 => format!("level=error {name}=\"{v}\" {err}"),
        4 => format!("client = Client({name}='{v}', timeout=30)  # {err}"),
        5 => format!("<request><{name}>{v}</{name}></request> {err}"),
        6 => format!(r#"<auth {name}="{v}" mode="live"/> {err}"#),
        7 => format!("    [{name}:protected] => {v}\n    [status] => 401\n{err}"),
        8 => format!("[{name}:Vendor\\Gateway\\Client:private] => {v} {err}"),
        9 => format!("  [\"{name}\"]=>\n  string({}) \"{v}\"\n{err}", v.len()),
        10 => format!("#<Gateway @{name}=\"{v}\", @env=:production> {err}"),
        11 => format!("{{:{name}=>\"{v}\", :currency=>\"usd\"}} {err}"),
        12 => format!("{name}: {v}\n{err}"),
        13 => format!("{header}: {v}\r\n{err}"),
        14 => format!("GET /v1/charges?{name}={v}&limit=3 HTTP/1.1 -> {err}"),
        15 => format!("export {}={v}; {err}", name.to_uppercase()),
        16 => format!("$ tool --{} {v} --verbose\n{err}", header.to_lowercase()),
        17 => format!("$ tool --{}={v}\n{err}", header.to_lowercase()),
        18 => format!("curl -u rzp_test_{}:{v} https://api.razorpay.com/v1/payments -> {err}", rng.from(ALNUM, 14)),
        19 => format!("POST https://merchant:{v}@api.example-psp.test/v2/charge failed: {err}"),
        20 => format!("Authorization: Bearer {v}\n{err}"),
        21 => format!(
            "new BraintreeGateway(Environment.SANDBOX, \"{}\", \"{}\", \"{v}\"); {err}",
            rng.from(HEX, 16),
            rng.from(HEX, 16)
        ),
        22 => format!("{name}={v}. {err}"),
        _ => format!("config.{name} = \"{v}\" // {err}"),
    }
}

/// A Luhn-valid card number of `len` digits starting with `first`.
fn pan(rng: &mut Rng, first: u8, len: usize) -> String {
    let mut d: Vec<u8> = (0..len - 1).map(|_| rng.below(10) as u8).collect();
    d[0] = first;
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let v = u32::from(x) * if i % 2 == 0 { 2 } else { 1 };
            if v > 9 { v - 9 } else { v }
        })
        .sum();
    d.push(((10 - sum % 10) % 10) as u8);
    d.iter().map(|x| (b'0' + x) as char).collect()
}

fn grouped(n: &str, sep: &str) -> String {
    n.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(sep)
}

/// A card number in one grouping, with one kind of neighbour.
fn card_line(rng: &mut Rng, i: usize) -> (String, String) {
    let (first, len) = [(4, 16), (5, 16), (3, 15), (6, 19), (2, 16), (4, 13)][i % 6];
    let n = pan(rng, first, len);
    let shown = match (i / 6) % 6 {
        0 => n.clone(),
        1 => grouped(&n, " "),
        2 => grouped(&n, "-"),
        3 => grouped(&n, "."),
        4 => grouped(&n, "_"),
        _ => grouped(&n, "/"),
    };
    let err = "card_declined: Your card was declined (decline_code=insufficient_funds) 402";
    let line = match (i / 36) % 6 {
        0 => format!("charge card {shown} {} 49.99 EUR {err}", rng.from(DIGITS, 3)),
        1 => format!("number={shown}&exp=12/31&cvc={} {err}", rng.from(DIGITS, 3)),
        2 => format!(r#"{{"card":{{"number":"{shown}","exp_month":11}}}} {err}"#),
        3 => format!("pan:{shown}/12/31 {err}"),
        4 => format!("card{shown}x {err}"),
        _ => format!("{shown} {} {err}", rng.from(DIGITS, 3)),
    };
    (line, n)
}

/// CVV, expiry and bank-account fields, named as forms, SDKs and gateways name them.
fn card_field_line(rng: &mut Rng, i: usize) -> (String, String, String) {
    let cvv = format!("{}", 1000 + rng.below(9000));
    let err = "Your card's security code is incorrect (incorrect_cvc) 402";
    let (line, name) = match i % 10 {
        0 => (format!(r#"{{"cvc": "{cvv}", "brand":"visa"}} {err}"#), "cvc"),
        1 => (format!("card[cvc]={cvv}&card[number]=tok {err}"), "cvc"),
        2 => (format!("<cardCode>{cvv}</cardCode> {err}"), "cardCode"),
        3 => (format!("card_verification_value: {cvv}\n{err}"), "card_verification_value"),
        4 => (format!("exp 11/31 cvc {cvv} {err}"), "cvc"),
        5 => (format!("[cvv:protected] => {cvv} {err}"), "cvv"),
        6 => (format!("securityCode=\"{cvv}\" {err}"), "securityCode"),
        7 => (format!("expiration_month={} expiration_year={cvv} {err}", 1 + rng.below(12)), "expiration_year"),
        8 => (format!("{{\"expiry\": \"11/{cvv}\"}} {err}"), "expiry"),
        _ => (format!("cvv2 {cvv} {err}"), "cvv2"),
    };
    (line, cvv, name.to_string())
}

/// Everything a case prints, stdout and stderr, over every output mode.
fn outputs(line: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut run = |mode: &str, args: &[&str], stdin: Option<&str>| {
        let mut cmd = common::paydoctor_std();
        cmd.args(args).env("NO_COLOR", "1").stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        let mut child = cmd.spawn().expect("run paydoctor");
        if let Some(text) = stdin {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        }
        let o = child.wait_with_output().unwrap();
        assert!(o.status.code().is_some_and(|c| c <= 2), "{mode}: crashed on {line:?}");
        out.push((
            mode.to_string(),
            format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)),
        ));
    };
    run("explain", &["explain", line], None);
    run("explain --json", &["explain", "--json", line], None);
    run("explain stdin", &["explain", "-"], Some(line));
    run("scan", &["scan", "-"], Some(line));
    run("scan --json", &["scan", "--json", "-"], Some(line));
    run("scan --ndjson", &["scan", "--ndjson", "-"], Some(line));
    run("search", &["search", line], None);
    run("show", &["show", "stripe", line], None);
    run("show --json", &["show", "--json", "stripe", line], None);
    run("argument error", &["explain", "--timeout", line], None);
    out
}

/// The piece of `secret` nothing may print: all but its kept prefix and last 4.
fn core(secret: &str, kept_prefix: usize) -> &str {
    let end = if secret.len() - kept_prefix >= 16 { secret.len() - 4 } else { secret.len() };
    &secret[kept_prefix..end]
}

/// Any window of `w` characters of `core` in `printed`.
fn leaked(printed: &str, core: &str, w: usize) -> Option<String> {
    let w = w.min(core.len());
    (0..=core.len() - w).map(|i| &core[i..i + w]).find(|piece| printed.contains(piece)).map(str::to_string)
}

/// What may not appear in a case's output.
enum Check {
    /// No window of `w` characters of this piece of a secret (digits only when `digits`,
    /// spaces ignored when `compact`).
    Core { core: String, w: usize, digits: bool, compact: bool },
    /// This short value (a CVV) nowhere.
    Exact(String),
}

struct Case {
    label: String,
    line: String,
    check: Check,
}

fn cases() -> (Vec<Case>, BTreeMap<&'static str, usize>) {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut cases = Vec::new();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    // Credentials × names × syntaxes: every syntax meets every kind of credential.
    for i in 0..216 {
        let s = credential(&mut rng, i);
        let name = NAMES[i % NAMES.len()];
        let line = in_syntax(i % 24, name, &s.value, &mut rng);
        *kinds.entry(s.kind).or_default() += 1;
        let core = core(&s.value, s.kept_prefix).to_string();
        cases.push(Case {
            label: format!("{} as {name} in syntax {}", s.kind, i % 24),
            line,
            check: Check::Core { core, w: 8, digits: false, compact: false },
        });
    }
    // Card numbers × groupings × neighbours.
    for i in 0..216 {
        let (line, n) = card_line(&mut rng, i);
        let core = n[..n.len() - 4].to_string();
        cases.push(Case {
            label: format!("card {i}"),
            line,
            check: Check::Core { core, w: 8, digits: true, compact: false },
        });
    }
    // CVV and expiry, found by the field that names them.
    for i in 0..40 {
        let (line, cvv, name) = card_field_line(&mut rng, i);
        cases.push(Case { label: format!("{name} {i}"), line, check: Check::Exact(cvv) });
    }
    // IBANs (valid check digits).
    for iban in
        ["DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "FR1420041010050500013M02606", "NL91ABNA0417164300"]
    {
        let compact = iban.replace(' ', "");
        let line = format!("SEPA debit refused for {iban}: Stripe error 402 card_declined");
        let core = compact[4..compact.len() - 4].to_string();
        cases.push(Case {
            label: format!("iban {}", &compact[..2]),
            line,
            check: Check::Core { core, w: 6, digits: false, compact: true },
        });
    }
    (cases, kinds)
}

fn leaks_of(case: &Case) -> Vec<String> {
    let mut found = Vec::new();
    for (mode, printed) in outputs(&case.line) {
        let piece = match &case.check {
            Check::Core { core, w, digits, compact } => {
                let seen: String = if *digits {
                    printed.chars().filter(char::is_ascii_digit).collect()
                } else if *compact {
                    printed.replace(' ', "")
                } else {
                    printed
                };
                leaked(&seen, core, *w)
            }
            Check::Exact(v) => printed.contains(v.as_str()).then(|| v.clone()),
        };
        if let Some(piece) = piece {
            found.push(format!("{} via {mode}: `{piece}` printed\n  input: {}", case.label, case.line));
        }
    }
    found
}

#[test]
fn no_secret_leaks_in_any_output_mode() {
    let (cases, kinds) = cases();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(4);
    let chunk = cases.len().div_ceil(workers);
    let leaks: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> =
            cases.chunks(chunk).map(|part| s.spawn(|| part.iter().flat_map(leaks_of).collect::<Vec<_>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    eprintln!("{} shapes × 10 output modes; credential kinds {kinds:?}; {} leaks", cases.len(), leaks.len());
    assert!(cases.len() >= 150);
    assert!(leaks.is_empty(), "{} leaks:\n{}", leaks.len(), leaks.join("\n"));
}

/// What redaction hides in text with no secrets in it: the knowledge base's samples and the
/// field corpus. Error codes and object ids (`ch_…`, `req_…`) must stay readable; every
/// other stretch masked is printed for review and counted.
#[test]
fn codes_and_ids_stay_readable() {
    let kb = &paydoctor::knowledge::EMBEDDED;
    let red = paydoctor::redact::policy();
    let ids: Vec<&str> = kb.providers.iter().flat_map(|p| p.ids.iter().copied()).collect();
    let mut texts: Vec<(String, &[&str])> = Vec::new();
    for e in kb.entries {
        for s in e.samples {
            texts.push((s.to_string(), e.codes));
        }
    }
    let samples = texts.len();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    for f in std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok().map(|e| e.path())) {
        if f.extension().is_some_and(|x| x == "jsonl") {
            for line in std::fs::read_to_string(&f).unwrap().lines().filter(|l| !l.trim().is_empty()) {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                texts.push((v["snippet"].as_str().unwrap_or("").to_string(), &[]));
            }
        }
    }
    let mut masked = Vec::new();
    let mut broken = Vec::new();
    for (text, codes) in &texts {
        for line in text.lines() {
            let clean = paydoctor::redact::sanitize(line);
            for r in red.masked(&clean) {
                let hidden = &clean[r];
                let word = |w: &str| hidden.contains(w) && w.len() > 3;
                if codes.iter().any(|c| word(c))
                    || hidden
                        .split(['"', ' ', ',', ':'])
                        .any(|t| ids.iter().any(|p| t.starts_with(p) && t.len() > p.len() + 8 && !t.contains("secret")))
                {
                    broken.push(hidden.to_string());
                }
                masked.push(hidden.to_string());
            }
        }
    }
    eprintln!("{} texts ({samples} knowledge samples); {} stretches masked:", texts.len(), masked.len());
    for m in &masked {
        eprintln!("  {m}");
    }
    assert!(broken.is_empty(), "codes or object ids masked:\n{}", broken.join("\n"));
}
