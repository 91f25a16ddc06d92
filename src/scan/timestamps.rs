//! Timestamps in log lines: ISO 8601 (and Magento's `[yyyy-mm-dd hh:mm:ss]`), nginx/Apache
//! `[01/May/2024:10:00:00 +0000]`, syslog `May  1 10:00:00`, WooCommerce
//! `dd-mm-yyyy @ hh:mm:ss`. Parsed only on candidate lines, by hand (no regex): a few
//! hundred nanoseconds at most.
//!
//! A timestamp without a zone is taken as UTC; one with an offset is converted to UTC for
//! ordering and printed with its offset. Syslog stamps carry no year: the current one is used.

use std::fmt;

/// How far into a line a timestamp is looked for.
const SEARCH: usize = 160;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub millis: i64,
    /// The offset written in the log, in minutes; `None` when it had none.
    pub offset: Option<i32>,
    pub fraction: bool,
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn num(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    if !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |a, d| a * 10 + u32::from(d - b'0')))
}

fn month(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    let lower = [s[0].to_ascii_lowercase(), s[1].to_ascii_lowercase(), s[2].to_ascii_lowercase()];
    MONTHS.iter().position(|m| m.as_bytes() == lower).map(|i| i as u32 + 1)
}

/// A time of day as read.
struct Clock {
    h: u32,
    mi: u32,
    s: u32,
    ms: u32,
    fraction: bool,
    offset: Option<i32>,
    end: usize,
}

/// `hh:mm:ss[.fff][Z|±hh[:]mm]` at `at`.
fn clock(b: &[u8], at: usize) -> Option<Clock> {
    let h = num(b, at, 2)?;
    (b.get(at + 2) == Some(&b':')).then_some(())?;
    let mi = num(b, at + 3, 2)?;
    let (s, mut i) = if b.get(at + 5) == Some(&b':') { (num(b, at + 6, 2)?, at + 8) } else { (0, at + 5) };
    let (mut ms, mut fraction) = (0, false);
    if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        let start = i + 1;
        let mut k = start;
        while b.get(k).is_some_and(u8::is_ascii_digit) {
            k += 1;
        }
        let digits = &b[start..k.min(start + 3)];
        ms = digits.iter().fold(0, |a, d| a * 10 + u32::from(d - b'0')) * 10u32.pow(3 - digits.len() as u32);
        fraction = true;
        i = k;
    }
    let mut offset = None;
    match b.get(i) {
        Some(b'Z') => {
            offset = Some(0);
            i += 1;
        }
        Some(&c @ (b'+' | b'-')) => {
            if let Some(oh) = num(b, i + 1, 2) {
                let colon = usize::from(b.get(i + 3) == Some(&b':'));
                if let Some(om) = num(b, i + 3 + colon, 2) {
                    let v = (oh * 60 + om) as i32;
                    offset = Some(if c == b'-' { -v } else { v });
                    i += 5 + colon;
                }
            }
        }
        _ => {}
    }
    Some(Clock { h, mi, s, ms, fraction, offset, end: i })
}

impl Clock {
    /// This time of day on the date `y-mo-d`, in UTC by its offset (none: UTC).
    fn on(&self, y: i64, mo: u32, d: u32) -> Option<Timestamp> {
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || self.h > 23 || self.mi > 59 || self.s > 60 {
            return None;
        }
        let secs =
            days_from_civil(y, mo, d) * 86400 + i64::from(self.h) * 3600 + i64::from(self.mi) * 60 + i64::from(self.s)
                - i64::from(self.offset.unwrap_or(0)) * 60;
        Some(Timestamp { millis: secs * 1000 + i64::from(self.ms), offset: self.offset, fraction: self.fraction })
    }
}

/// `yyyy-mm-dd[T ]hh:mm[:ss]...`
fn iso(b: &[u8], at: usize) -> Option<(Timestamp, usize)> {
    let y = num(b, at, 4)?;
    (b.get(at + 4) == Some(&b'-') && b.get(at + 7) == Some(&b'-')).then_some(())?;
    let mo = num(b, at + 5, 2)?;
    let d = num(b, at + 8, 2)?;
    matches!(b.get(at + 10), Some(b'T' | b' ')).then_some(())?;
    let c = clock(b, at + 11)?;
    Some((c.on(i64::from(y), mo, d)?, c.end))
}

/// `01/May/2024:10:00:00 +0000` (nginx, Apache).
fn clf(b: &[u8], at: usize) -> Option<(Timestamp, usize)> {
    let d = num(b, at, 2)?;
    (b.get(at + 2) == Some(&b'/') && b.get(at + 6) == Some(&b'/') && b.get(at + 11) == Some(&b':')).then_some(())?;
    let mo = month(b, at + 3)?;
    let y = num(b, at + 7, 4)?;
    let mut c = clock(b, at + 12)?;
    let zoned = if c.offset.is_none() && b.get(c.end) == Some(&b' ') { zone(b, c.end + 1) } else { None };
    let end = if zoned.is_some() { c.end + 6 } else { c.end };
    c.offset = c.offset.or(zoned);
    Some((c.on(i64::from(y), mo, d)?, end))
}

/// `+0000` after a Common Log Format time.
fn zone(b: &[u8], at: usize) -> Option<i32> {
    let sign = match b.get(at)? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let v = num(b, at + 1, 4)?;
    Some(sign * ((v / 100) * 60 + v % 100) as i32)
}

/// `dd-mm-yyyy @ hh:mm:ss` (WooCommerce).
fn woo(b: &[u8], at: usize) -> Option<(Timestamp, usize)> {
    let d = num(b, at, 2)?;
    (b.get(at + 2) == Some(&b'-') && b.get(at + 5) == Some(&b'-')).then_some(())?;
    let mo = num(b, at + 3, 2)?;
    let y = num(b, at + 6, 4)?;
    (b.get(at + 10..at + 13) == Some(b" @ ")).then_some(())?;
    let c = clock(b, at + 13)?;
    Some((c.on(i64::from(y), mo, d)?, c.end))
}

/// `May  1 10:00:00` (BSD syslog, at the start of a line).
fn syslog(b: &[u8], at: usize, year: i64) -> Option<(Timestamp, usize)> {
    let mo = month(b, at)?;
    (b.get(at + 3) == Some(&b' ')).then_some(())?;
    let (d, next) = match (b.get(at + 4), b.get(at + 5)) {
        (Some(b' '), Some(c)) if c.is_ascii_digit() => (u32::from(c - b'0'), at + 6),
        _ => (num(b, at + 4, 2)?, at + 6),
    };
    (b.get(next) == Some(&b' ')).then_some(())?;
    let c = clock(b, next + 1)?;
    Some((c.on(year, mo, d)?, c.end))
}

fn current_year() -> i64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    civil_from_days(secs / 86400).0
}

/// The first timestamp in the first [`SEARCH`] bytes of a line.
pub fn find(line: &[u8]) -> Option<Timestamp> {
    find_span(line).map(|(t, _)| t)
}

/// The first timestamp in the first [`SEARCH`] bytes of a line, and where it is written.
pub fn find_span(line: &[u8]) -> Option<(Timestamp, std::ops::Range<usize>)> {
    let b = &line[..line.len().min(SEARCH)];
    let syslog_at = if b.first() == Some(&b'<') { b.iter().position(|&c| c == b'>').map_or(0, |p| p + 1) } else { 0 };
    if b.get(syslog_at).is_some_and(u8::is_ascii_alphabetic) {
        if let Some((t, end)) = syslog(b, syslog_at, current_year()) {
            return Some((t, syslog_at..end));
        }
    }
    for i in 0..b.len().saturating_sub(9) {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            continue;
        }
        if let Some((t, end)) = iso(b, i).or_else(|| clf(b, i)).or_else(|| woo(b, i)) {
            return Some((t, i..end));
        }
    }
    None
}

/// The time now, in UTC.
pub fn now() -> Timestamp {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    Timestamp { millis: ms, offset: None, fraction: false }
}

/// A `--since`/`--until` value: a date or time (`2024-05-01`, `2024-05-01T10:00`,
/// `2024-05-01 10:00:00Z`...), a time back from `now` (`90s`, `30m`, `2h`, `3d`, `1w`,
/// `2 hours ago`, `1 day ago`), `now`, `today` or `yesterday` (from midnight UTC).
pub fn parse_bound(s: &str, now: Timestamp) -> Option<Timestamp> {
    let s = s.trim();
    let b = s.as_bytes();
    let at = |millis: i64| Some(Timestamp { millis, offset: None, fraction: false });
    let midnight = now.millis.div_euclid(86_400_000) * 86_400_000;
    match s.to_ascii_lowercase().as_str() {
        "now" => return at(now.millis),
        "today" => return at(midnight),
        "yesterday" => return at(midnight - 86_400_000),
        _ => {}
    }
    if let Some(back) = relative(s) {
        return at(now.millis - back);
    }
    if b.len() == 10 {
        let day = format!("{s}T00:00:00");
        return iso(day.as_bytes(), 0).map(|(t, _)| t);
    }
    find(b).filter(|_| b.first().is_some_and(u8::is_ascii_digit))
}

/// `2h`, `2 h`, `2 hours`, `2 hours ago`, `90min`: milliseconds back from now.
fn relative(s: &str) -> Option<i64> {
    let s = s.to_ascii_lowercase();
    let s = s.strip_suffix("ago").unwrap_or(&s).trim();
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let n: i64 = s[..digits].parse().ok()?;
    let unit = match s[digits..].trim() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1_000,
        "m" | "min" | "mins" | "minute" | "minutes" => 60_000,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600_000,
        "d" | "day" | "days" => 86_400_000,
        "w" | "week" | "weeks" => 7 * 86_400_000,
        _ => return None,
    };
    n.checked_mul(unit)
}

impl fmt::Display for Timestamp {
    /// ISO 8601 in the offset the log used (UTC with `Z` when it had one of zero or none).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let off = self.offset.unwrap_or(0);
        let local = self.millis + i64::from(off) * 60_000;
        let secs = local.div_euclid(1000);
        let (y, m, d) = civil_from_days(secs.div_euclid(86400));
        let day = secs.rem_euclid(86400);
        write!(f, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", day / 3600, day % 3600 / 60, day % 60)?;
        if self.fraction {
            write!(f, ".{:03}", local.rem_euclid(1000))?;
        }
        match self.offset {
            None | Some(0) => f.write_str("Z"),
            Some(o) => write!(f, "{}{:02}:{:02}", if o < 0 { '-' } else { '+' }, o.abs() / 60, o.abs() % 60),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(line: &str) -> String {
        find(line.as_bytes()).map(|t| t.to_string()).unwrap_or_default()
    }

    #[test]
    fn every_log_shape() {
        assert_eq!(show("2024-05-01T10:00:00Z ERROR x"), "2024-05-01T10:00:00Z");
        assert_eq!(show("2024-05-01 10:00:00,123 ERROR x"), "2024-05-01T10:00:00.123Z");
        assert_eq!(show("{\"time\":\"2024-05-01T10:00:00.5+02:00\"}"), "2024-05-01T10:00:00.500+02:00");
        assert_eq!(show("1.2.3.4 - - [01/May/2024:10:00:00 +0000] \"GET /\""), "2024-05-01T10:00:00Z");
        assert_eq!(show("05-10-2023 @ 13:19:04 - Afterpay order token"), "2023-10-05T13:19:04Z");
        assert_eq!(show("[2024-05-01 10:00:00] main.CRITICAL: x"), "2024-05-01T10:00:00Z");
        assert!(show("May  1 10:00:00 host app[1]: x").ends_with("-05-01T10:00:00Z"));
        assert_eq!(show("no time here 12:00"), "");
    }

    #[test]
    fn offsets_order_in_utc() {
        let a = find(b"2024-05-01T12:00:00+02:00").unwrap();
        let b = find(b"2024-05-01T10:30:00Z").unwrap();
        assert!(a.millis < b.millis);
        let now = find(b"2024-05-01T12:00:00Z").unwrap();
        let bound = |s: &str| parse_bound(s, now).map(|t| t.to_string()).unwrap_or_default();
        assert_eq!(bound("2024-05-01"), "2024-05-01T00:00:00Z");
        assert_eq!(bound("2h"), "2024-05-01T10:00:00Z");
        assert_eq!(bound("2 hours ago"), "2024-05-01T10:00:00Z");
        assert_eq!(bound("90 min"), "2024-05-01T10:30:00Z");
        assert_eq!(bound("1 day ago"), "2024-04-30T12:00:00Z");
        assert_eq!(bound("yesterday"), "2024-04-30T00:00:00Z");
        for bad in ["2 fortnights", "ago", "h", "soon"] {
            assert_eq!(bound(bad), "", "{bad}");
        }
    }
}
