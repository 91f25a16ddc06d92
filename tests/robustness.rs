//! Hostile input never panics: random binary, invalid UTF-8, NUL bytes, a 100 MiB line,
//! JSON nested 100 000 deep, truncated JSON, 10 MiB of text, empty stdin, closed stdout.
//! Each run ends with exit <= 2 and, when it is an error, a one-line message.

mod common;

use common::{paydoctor, paydoctor_std};
use std::io::Write;
use std::process::Stdio;

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
fn noise(n: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        out.extend_from_slice(&seed.to_le_bytes());
    }
    out.truncate(n);
    out
}

fn explain_stdin(input: &[u8]) -> (i32, String, String) {
    let out = paydoctor().args(["explain", "-"]).write_stdin(input.to_vec()).output().unwrap();
    (
        out.status.code().expect("exited normally, not by a signal"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_sane(what: &str, (code, _out, err): &(i32, String, String)) {
    assert!(*code <= 2, "{what}: exit {code}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{what}: {err}");
    for line in err.lines() {
        assert!(line.starts_with("paydoctor: "), "{what}: unexpected stderr line {line:?}");
    }
}

#[test]
fn random_binary_and_invalid_utf8() {
    for seed in 1..=8 {
        let r = explain_stdin(&noise(64 << 10, seed));
        assert_sane("random bytes", &r);
    }
    let mut bytes =
        b"{\"errorCode\":\"invalid_token\",\"message\":\"\xff\xfe bad \xc3\x28\",\"httpStatusCode\":402}".to_vec();
    bytes.extend_from_slice(b"\0\0\0 trailing NULs");
    let r = explain_stdin(&bytes);
    assert_sane("invalid UTF-8", &r);
    assert_eq!(r.0, 0, "still diagnosed: {}", r.2);
    assert!(r.1.contains("invalid_token"));
}

#[test]
fn a_100_mib_line_and_10_mib_of_text() {
    let mut line = vec![b'x'; 100 << 20];
    line.extend_from_slice(b" HTTP/1.1 412 invalid_token");
    let r = explain_stdin(&line);
    assert_sane("100 MiB line", &r);
    assert!(r.2.contains("over 1 MiB"), "{}", r.2);

    let mut text = Vec::new();
    while text.len() < 10 << 20 {
        text.extend_from_slice(
            b"2024-05-01T10:00:00Z INFO GET /v1/orders 200 12ms user=42 sk_test_abcdefghijklmnopqrstuvwx\n",
        );
    }
    let r = explain_stdin(&text);
    assert_sane("10 MiB of text", &r);
    assert!(!r.1.contains("abcdefghijklmnopqrstuvwx"), "a key from the input is never printed");
}

#[test]
fn deep_and_truncated_json() {
    let deep = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    assert_sane("nested 100 000 deep", &explain_stdin(deep.as_bytes()));
    let deep_arrays = "[".repeat(100_000);
    assert_sane("unclosed arrays", &explain_stdin(deep_arrays.as_bytes()));
    let r = explain_stdin(br#"{"errorCode":"invalid_token","errorId":"9f","message":"Invalid tok"#);
    assert_sane("truncated JSON", &r);
    assert_eq!(r.0, 0, "a truncated body still names its error: {}", r.2);
}

#[test]
fn empty_stdin_is_a_one_line_usage_error() {
    let r = explain_stdin(b"");
    assert_eq!(r.0, 2);
    assert_eq!(r.2.lines().count(), 1, "{}", r.2);
    let r = explain_stdin(b"   \n\t\n");
    assert_eq!(r.0, 2);
}

#[test]
fn closed_stdout_mid_report_exits_quietly() {
    // A long report into a pipe that is closed at once.
    let mut child = paydoctor_std()
        .args(["explain", "--limit", "50", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.stdin.take().unwrap().write_all(b"401").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Run with a deadline: a command that blocks on a FIFO or reads a device forever fails the
/// test instead of hanging it.
fn bounded(args: &[&str], env: &[(&str, &std::path::Path)]) -> (i32, String) {
    let mut cmd = paydoctor_std();
    cmd.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            return (status.code().expect("exited normally"), String::from_utf8_lossy(&out.stderr).into_owned());
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("{args:?} did not finish in 10 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

/// A FIFO or a device where a config, knowledge, CA or credential file belongs ends in a
/// one-line error naming it, not a hang or a read until memory runs out.
#[test]
fn fifos_and_devices_in_place_of_files_end_in_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("cfg");
    let kb = dir.path().join("kb");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::create_dir_all(&kb).unwrap();
    mkfifo(&cfg.join("config.toml"));
    mkfifo(&kb.join("company.toml"));
    let fifo = dir.path().join("key.fifo");
    mkfifo(&fifo);
    let zero_link = dir.path().join("bundle.pem");
    std::os::unix::fs::symlink("/dev/zero", &zero_link).unwrap();
    let key = ("STRIPE_SECRET_KEY", std::path::Path::new("sk_test_51FakeFakeFakeFakeFakeFake"));
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a std::path::Path)>, &'a str);
    let cases: Vec<Case> = vec![
        (vec!["config", "check"], vec![("PAYDOCTOR_CONFIG_DIR", cfg.as_path())], "is not a regular file"),
        (vec!["explain", "401"], vec![("PAYDOCTOR_KB", kb.as_path())], "is not a regular file"),
        (vec!["--kb", fifo.to_str().unwrap(), "explain", "401"], vec![], "is not a regular file"),
        (vec!["probe", "--provider", "stripe", "--ca-file", "/dev/zero"], vec![key], "is not a regular file"),
        (
            vec!["probe", "--provider", "stripe", "--ca-file", zero_link.to_str().unwrap()],
            vec![key],
            "is not a regular file",
        ),
        (
            vec!["probe", "--provider", "stripe", "--secret-key-file", fifo.to_str().unwrap()],
            vec![],
            "is not a regular file",
        ),
    ];
    for (args, env, want) in cases {
        let (code, err) = bounded(&args, &env);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("paydoctor: ") && err.contains(want), "{args:?}: {err}");
    }
}

/// A knowledge file over the size cap is refused before it is read.
#[test]
fn an_oversized_knowledge_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(17 << 20).unwrap();
    let (code, err) = bounded(&["--kb", big.to_str().unwrap(), "explain", "401"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("the most read is 16 MiB"), "{err}");
}
