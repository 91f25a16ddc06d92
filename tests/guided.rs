//! Guided mode through a real pseudo-terminal: the prompts are answered as a person would
//! (typing to filter, arrow keys, Enter), and the report must come out.

use rexpect::session::{PtySession, spawn_command};

fn guided() -> PtySession {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("paydoctor"));
    cmd.env("TERM", "xterm").env("NO_COLOR", "1").env_remove("PAYDOCTOR_KB");
    spawn_command(cmd, Some(20_000)).expect("spawn paydoctor in a pty")
}

const DOWN: &str = "\x1b[B";

#[test]
fn paste_an_error_after_picking_the_provider() {
    let mut p = guided();
    p.exp_string("Which payment provider?").unwrap();
    p.send("afterpay").unwrap();
    p.send_line("").unwrap();
    p.exp_string("What do you see?").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Error").unwrap();
    p.send_line("412 invalid_token").unwrap();
    p.exp_string("invalid_token \u{c2}\u{b7} HTTP 412").unwrap();
    p.exp_string("confidence").unwrap();
    p.exp_string("Likely causes").unwrap();
    p.exp_string("Fix").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn pick_a_symptom_then_an_error() {
    let mut p = guided();
    p.exp_string("Which payment provider?").unwrap();
    p.send("stripe").unwrap();
    p.send_line("").unwrap();
    p.exp_string("What do you see?").unwrap();
    // first symptom: requests fail with 401
    p.send(DOWN).unwrap();
    p.send_line("").unwrap();
    p.exp_string("Which one?").unwrap();
    p.send("api_key_expired").unwrap();
    p.send_line("").unwrap();
    // the report's headline (the separator is UTF-8, which rexpect reads byte-wise)
    p.exp_string("api_key_expired \u{c2}\u{b7} auth_expired_token").unwrap();
    p.exp_string("confidence").unwrap();
    p.exp_string("Likely causes").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn a_pretty_printed_body_pasted_over_several_lines_is_read_whole() {
    let mut p = guided();
    p.exp_string("Which payment provider?").unwrap();
    p.send("I don't know").unwrap();
    p.send_line("").unwrap();
    p.exp_string("What do you see?").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Error").unwrap();
    // one line at a time, as a terminal delivers a paste: the body is read until it closes
    for line in
        ["{", "  \"errorCode\": \"invalid_token\",", "  \"errorId\": \"4f2c\",", "  \"httpStatusCode\": 412", "}"]
    {
        p.send_line(line).unwrap();
    }
    p.exp_string("Afterpay").unwrap();
    p.exp_string("invalid_token").unwrap();
    p.exp_string("Likely causes").unwrap();
    p.exp_eof().unwrap();
}
