//! `paydoctor scan --follow` on a live file, through the built binary, read the way `tail -F`
//! reads it: a file truncated in place (copytruncate) is read again from its start, a file
//! rotated by rename is read to its end and then the new one from its start, a deleted file is
//! waited for. Line numbers go on across all of them.

mod common;

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// The longest wait for anything the child should print.
const DEADLINE: Duration = Duration::from_secs(20);

const INFO: &str = "2024-05-01T10:00:00Z INFO GET /health 200\n";
const DECLINE: &str = "2024-05-01T10:00:01Z ERROR stripe charge failed {\"error\":{\"code\":\"card_declined\",\"decline_code\":\"insufficient_funds\",\"type\":\"card_error\"}}\n";
const TOKEN: &str = "2024-05-01T10:00:02Z ERROR API Error #412 \"invalid_token\": Invalid token\n";

/// `paydoctor scan --follow --ndjson FILE` running, its stdout and stderr read line by line
/// on their own threads; killed when dropped.
struct Follower {
    child: Child,
    out: Receiver<String>,
    err: Receiver<String>,
    /// Everything read from stderr so far.
    notes: Vec<String>,
}

fn lines(from: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

impl Follower {
    fn start(path: &Path) -> Follower {
        let mut child = common::paydoctor_std()
            .args(["scan", "--follow", "--ndjson"])
            .arg(path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = lines(child.stdout.take().unwrap());
        let err = lines(child.stderr.take().unwrap());
        Follower { child, out, err, notes: Vec::new() }
    }

    /// The next finding printed, as (entry, line).
    fn finding(&mut self) -> (String, u64) {
        let until = Instant::now() + DEADLINE;
        loop {
            let line = match self.out.recv_timeout(until.saturating_duration_since(Instant::now())) {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) => panic!("no finding within {DEADLINE:?}; stderr: {:?}", self.stderr()),
                Err(RecvTimeoutError::Disconnected) => panic!("scan ended; stderr: {:?}", self.stderr()),
            };
            let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            if v["type"] == "finding" {
                return (v["entry"].as_str().unwrap_or_default().to_string(), v["line"].as_u64().unwrap_or(0));
            }
        }
    }

    /// Wait for a line on stderr that contains `text`.
    fn note(&mut self, text: &str) {
        let until = Instant::now() + DEADLINE;
        while !self.notes.iter().any(|n| n.contains(text)) {
            match self.err.recv_timeout(until.saturating_duration_since(Instant::now())) {
                Ok(line) => self.notes.push(line),
                Err(_) => panic!("no note `{text}` on stderr within {DEADLINE:?}: {:?}", self.notes),
            }
        }
    }

    /// What stderr printed so far.
    fn stderr(&mut self) -> &[String] {
        self.notes.extend(self.err.try_iter());
        &self.notes
    }

    /// User and system CPU time used so far, in clock ticks (Linux).
    fn cpu_ticks(&self) -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap();
        let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn log(dir: &tempfile::TempDir, text: &str) -> PathBuf {
    let path = dir.path().join("app.log");
    std::fs::write(&path, text).unwrap();
    path
}

fn append(path: &Path, text: &str) {
    OpenOptions::new().append(true).open(path).unwrap().write_all(text.as_bytes()).unwrap();
}

#[test]
fn a_truncated_file_is_read_again_from_its_start_and_line_numbers_go_on() {
    let dir = tempfile::tempdir().unwrap();
    // the last line is unfinished when the file is truncated: it still counts as line 3
    let path = log(&dir, &format!("{INFO}{DECLINE}2024-05-01T10:00:01Z INFO checkout started"));
    let mut f = Follower::start(&path);
    assert_eq!(f.finding(), ("insufficient_funds".to_string(), 2));
    OpenOptions::new().write(true).open(&path).unwrap().set_len(0).unwrap();
    f.note("app.log was truncated; reading it again from the start");
    append(&path, TOKEN);
    assert_eq!(f.finding(), ("invalid_token".to_string(), 4));
    append(&path, &format!("{INFO}{DECLINE}"));
    assert_eq!(f.finding(), ("insufficient_funds".to_string(), 6));
    assert_eq!(f.stderr().len(), 1, "one note: {:?}", f.stderr());
}

#[test]
fn a_truncated_file_written_again_past_the_old_end_is_not_read_from_the_middle() {
    let dir = tempfile::tempdir().unwrap();
    let path = log(&dir, &format!("{INFO}{TOKEN}"));
    let mut f = Follower::start(&path);
    assert_eq!(f.finding(), ("invalid_token".to_string(), 2));
    File::create(&path).unwrap();
    f.note("app.log was truncated");
    // longer than the old content: read from where the old content ended, the decline would
    // be cut in the middle and go unseen
    append(&path, &format!("{DECLINE}{DECLINE}"));
    assert_eq!(f.finding(), ("insufficient_funds".to_string(), 3));
    assert_eq!(f.finding(), ("insufficient_funds".to_string(), 4));
}

#[test]
fn a_file_rotated_by_rename_is_read_to_its_end_then_the_new_file_from_its_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = log(&dir, &format!("{INFO}{DECLINE}"));
    let mut f = Follower::start(&path);
    assert_eq!(f.finding(), ("insufficient_funds".to_string(), 2));
    // the application keeps writing to the file it has open until it reopens its log
    let mut app = OpenOptions::new().append(true).open(&path).unwrap();
    app.write_all(TOKEN.as_bytes()).unwrap();
    std::fs::rename(&path, dir.path().join("app.log.1")).unwrap();
    app.write_all(DECLINE.as_bytes()).unwrap();
    std::fs::write(&path, format!("{INFO}{TOKEN}")).unwrap();
    assert_eq!(f.finding(), ("invalid_token".to_string(), 3));
    assert_eq!(f.finding(), ("insufficient_funds".to_string(), 4), "the old file is read to its end");
    assert_eq!(f.finding(), ("invalid_token".to_string(), 6), "then the new one from its start");
    f.note("app.log was replaced (rotated); reading the new file from the start");
    append(&path, DECLINE);
    assert_eq!(f.finding(), ("insufficient_funds".to_string(), 7));
}

#[test]
fn a_deleted_file_is_waited_for_without_spinning_and_read_when_it_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = log(&dir, DECLINE);
    let mut f = Follower::start(&path);
    assert_eq!(f.finding(), ("insufficient_funds".to_string(), 1));
    std::fs::remove_file(&path).unwrap();
    let before = f.cpu_ticks();
    std::thread::sleep(Duration::from_secs(1));
    let used = f.cpu_ticks() - before;
    assert!(used < 25, "{used} clock ticks of CPU in 1 s of waiting for the file");
    assert!(f.child.try_wait().unwrap().is_none(), "still following; stderr: {:?}", f.stderr());
    assert!(f.stderr().is_empty(), "a missing file is no error: {:?}", f.stderr());
    std::fs::write(&path, format!("{INFO}{TOKEN}")).unwrap();
    assert_eq!(f.finding(), ("invalid_token".to_string(), 3));
    f.note("app.log was replaced");
}

/// `journalctl -f | paydoctor scan --ndjson`, or a log shipper's exec stage (Vector `exec`
/// source, Fluent Bit `exec` filter) reading paydoctor's stdout: a stream fed through a pipe in
/// chunks — a line cut in two between writes — gets each finding out while the stream is still
/// open, then the patterns and the summary when it ends.
#[test]
fn a_stream_through_a_pipe_reports_each_finding_before_it_ends() {
    let mut child = common::paydoctor_std()
        .args(["scan", "--ndjson"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let out = lines(child.stdout.take().unwrap());
    let next = |what: &str| -> serde_json::Value {
        let line = out.recv_timeout(DEADLINE).unwrap_or_else(|e| panic!("no {what} within {DEADLINE:?}: {e:?}"));
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    };
    for _ in 0..50 {
        stdin.write_all(INFO.as_bytes()).unwrap();
    }
    let (head, tail) = DECLINE.split_at(DECLINE.len() / 2);
    stdin.write_all(head.as_bytes()).unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(matches!(out.try_recv(), Err(std::sync::mpsc::TryRecvError::Empty)), "nothing before the line is whole");
    stdin.write_all(tail.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let f = next("first finding");
    assert_eq!(
        (f["type"].as_str(), f["entry"].as_str(), f["line"].as_u64()),
        (Some("finding"), Some("insufficient_funds"), Some(51))
    );
    stdin.write_all(TOKEN.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let f = next("second finding");
    assert_eq!((f["entry"].as_str(), f["line"].as_u64()), (Some("invalid_token"), Some(52)));
    drop(stdin);
    let s = next("summary");
    assert_eq!((s["type"].as_str(), s["lines"].as_u64(), s["findings"].as_u64()), (Some("summary"), Some(52), Some(2)));
    assert_eq!(child.wait().unwrap().code(), Some(0));
}
