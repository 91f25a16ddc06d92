//! The extent of one log record around a candidate line: a JSON body pretty-printed over
//! several lines, or an exception trace following an error line. Read back to the record's
//! first line and forward to its last, within [`MAX_LINES`] lines and [`MAX_BYTES`] bytes
//! each way.

/// How many lines a record may have on each side of the candidate line.
pub const MAX_LINES: usize = 64;
/// How many bytes a record may have on each side of the candidate line.
pub const MAX_BYTES: usize = 16 << 10;

/// `line` (without its newline) continues the record `prev` belongs to: indented, a closing
/// bracket, a bare opening bracket after a header, a stack frame, a "Caused by".
fn continues(line: &[u8], prev: &[u8]) -> bool {
    let trimmed = line.trim_ascii();
    match line.first() {
        Some(b' ' | b'\t' | b'}' | b']' | b')') => !trimmed.is_empty(),
        Some(b'{' | b'[') if trimmed.len() == 1 => !matches!(prev.trim_ascii().last(), None | Some(b'}' | b']' | b',')),
        Some(b'#') => line.get(1).is_some_and(u8::is_ascii_digit),
        _ => line.starts_with(b"Caused by") || line.starts_with(b"Stack trace:") || line.starts_with(b"Next "),
    }
}

fn strip_nl(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Start of the line that precedes the one starting at `at` (which is > `floor`).
fn prev_start(data: &[u8], at: usize, floor: usize) -> usize {
    memchr::memrchr(b'\n', &data[floor..at - 1]).map_or(floor, |i| floor + i + 1)
}

/// Where the line starting at `at` ends (after its newline, or at the end of `data`).
pub fn line_end(data: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |i| at + i + 1)
}

pub struct Extent {
    pub start: usize,
    pub end: usize,
    /// The record may go on past the end of `data`.
    pub open: bool,
}

/// The record around the line `line_start..line_end` of `data`, not reaching before `floor`.
pub fn extent(data: &[u8], line_start: usize, line_end_at: usize, floor: usize) -> Extent {
    let mut start = line_start;
    let mut n = 0;
    while start > floor && n < MAX_LINES && line_start - start < MAX_BYTES {
        let p = prev_start(data, start, floor);
        if !continues(strip_nl(&data[start..line_end(data, start)]), strip_nl(&data[p..start])) {
            break;
        }
        start = p;
        n += 1;
    }
    let mut end = line_end_at;
    let mut n = 0;
    while end < data.len() && n < MAX_LINES && end - line_end_at < MAX_BYTES {
        let next_end = line_end(data, end);
        let prev = strip_nl(&data[prev_start(data, end, floor.min(end - 1))..end]);
        if !continues(strip_nl(&data[end..next_end]), prev) {
            return Extent { start, end, open: false };
        }
        end = next_end;
        n += 1;
    }
    Extent { start, end, open: end == data.len() && n < MAX_LINES && end - line_end_at < MAX_BYTES }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str, needle: &str) -> String {
        let d = text.as_bytes();
        let at = text.find(needle).unwrap();
        let ls = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let e = extent(d, ls, line_end(d, ls), 0);
        text[e.start..e.end].to_string()
    }

    #[test]
    fn pretty_json_bodies_and_traces() {
        let log = "2024-05-01 INFO ok\n2024-05-01 ERROR Stripe error:\n{\n  \"error\": {\n    \"code\": \"card_declined\"\n  }\n}\n2024-05-01 INFO next\n";
        assert_eq!(
            block(log, "card_declined"),
            "2024-05-01 ERROR Stripe error:\n{\n  \"error\": {\n    \"code\": \"card_declined\"\n  }\n}\n"
        );
        let trace = "a\nERROR CardException: declined\n#0 /var/www/x.php(12)\n#1 {main}\nnext line\n";
        assert_eq!(block(trace, "CardException"), "ERROR CardException: declined\n#0 /var/www/x.php(12)\n#1 {main}\n");
        let records = "{\n  \"a\": 1\n}\n{\n  \"code\": \"card_declined\"\n}\n";
        assert_eq!(block(records, "card_declined"), "{\n  \"code\": \"card_declined\"\n}\n");
    }
}
