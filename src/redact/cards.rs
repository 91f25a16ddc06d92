//! Card data found by its digits alone: Luhn-valid card numbers in any grouping and IBANs
//! that pass their mod-97 check. CVV and expiry have no shape of their own; they are
//! found by the field that names them (`context`).

use super::{How, Span};

/// Characters that may sit between two digit groups of one card number.
fn is_group_sep(c: u8) -> bool {
    matches!(c, b' ' | b'-' | b'.' | b'_' | b'/')
}

pub(super) fn luhn_ok(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// A run of digit groups: where each group starts and ends in the text, and the digits.
struct Run {
    groups: Vec<(usize, usize)>,
    /// The separator in front of each group (`0` for the first).
    seps: Vec<u8>,
    digits: Vec<u8>,
    /// Digit count before each group.
    before: Vec<usize>,
}

/// Card numbers: 13–19 digits in groups separated by one of ` -._/`, whatever surrounds
/// them (a letter, an amount, an expiry, a CVV). Each window of whole groups is
/// Luhn-checked; the longest valid one from each starting group is masked. Issuer
/// numbers start with 2–6 (Mastercard, Visa, Amex, Discover, JCB, UnionPay), which keeps
/// millisecond timestamps and most order numbers readable.
pub(super) fn find_pans(s: &str, spans: &mut Vec<Span>) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let run = read_run(b, i);
        let end = run.groups.last().map_or(i + 1, |g| g.1);
        // `…-3333-4444-555555555555`: digits continuing a hex id (a UUID), not a card
        let in_id = i >= 5 && b[i - 1] == b'-' && b[i - 5..i - 1].iter().all(u8::is_ascii_hexdigit);
        if run.digits.len() >= 13 && !in_id {
            windows(&run, spans);
        }
        i = end;
    }
}

fn read_run(b: &[u8], start: usize) -> Run {
    let mut run = Run { groups: Vec::new(), seps: Vec::new(), digits: Vec::new(), before: Vec::new() };
    let mut i = start;
    loop {
        let g = i;
        run.seps.push(if g > start { b[g - 1] } else { 0 });
        run.before.push(run.digits.len());
        while i < b.len() && b[i].is_ascii_digit() {
            run.digits.push(b[i]);
            i += 1;
        }
        run.groups.push((g, i));
        // Runs past any card length plus an amount or CVV are not cards; stop reading.
        if run.digits.len() > 64 || i + 1 >= b.len() || !is_group_sep(b[i]) || !b[i + 1].is_ascii_digit() {
            return run;
        }
        i += 1;
    }
}

fn windows(run: &Run, spans: &mut Vec<Span>) {
    let n = run.groups.len();
    let mut gi = 0;
    while gi < n {
        // `0.3333333333333331185`: the digits after a decimal point are a fraction
        if run.seps[gi] == b'.' {
            gi += 1;
            continue;
        }
        let from = run.before[gi];
        let mut best = None;
        for gj in gi..n {
            let to = run.before[gj] + (run.groups[gj].1 - run.groups[gj].0);
            let len = to - from;
            if len > 19 {
                // One long group: its leading 13–19 digits may be the card.
                if gj == gi {
                    best = (13..=19).rev().find(|l| plausible(&run.digits[from..from + l])).map(|l| (gj, Some(l)));
                }
                break;
            }
            if len >= 13 && plausible(&run.digits[from..to]) {
                best = Some((gj, None));
            }
        }
        match best {
            Some((gj, cut)) => {
                let start = run.groups[gi].0;
                let end = match cut {
                    Some(l) => start + l,
                    None => run.groups[gj].1,
                };
                let to = cut.map_or(run.before[gj] + (run.groups[gj].1 - run.groups[gj].0), |l| from + l);
                let last4 = &run.digits[to - 4..to];
                spans.push(Span { start, end, how: How::Card(std::array::from_fn(|k| last4[k])) });
                gi = gj + 1;
            }
            None => gi += 1,
        }
    }
}

fn plausible(d: &[u8]) -> bool {
    (b'2'..=b'6').contains(&d[0]) && luhn_ok(d)
}

/// IBANs: two capital letters, two check digits, 11–30 letters or digits (spaces allowed
/// every 4), valid under ISO 13616 mod-97. The country and the last 4 stay.
pub(super) fn find_ibans(s: &str, spans: &mut Vec<Span>) {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 15 <= b.len() {
        let starts = b[i].is_ascii_uppercase()
            && b[i + 1].is_ascii_uppercase()
            && b[i + 2].is_ascii_digit()
            && b[i + 3].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        if !starts {
            i += 1;
            continue;
        }
        let mut chars = Vec::with_capacity(34);
        let mut j = i;
        let mut end = i;
        while j < b.len() && chars.len() < 34 {
            if b[j].is_ascii_uppercase() || b[j].is_ascii_digit() {
                chars.push(b[j]);
                j += 1;
                end = j;
            } else if b[j] == b' ' && j + 1 < b.len() && b[j + 1].is_ascii_alphanumeric() && chars.len() % 4 == 0 {
                j += 1;
            } else {
                break;
            }
        }
        let boundary = end >= b.len() || !b[end].is_ascii_alphanumeric();
        if (15..=34).contains(&chars.len()) && boundary && mod97_ok(&chars) {
            let last4 = &chars[chars.len() - 4..];
            spans.push(Span { start: i, end, how: How::Iban([b[i], b[i + 1]], std::array::from_fn(|k| last4[k])) });
            i = end;
        } else {
            i += 1;
        }
    }
}

fn mod97_ok(chars: &[u8]) -> bool {
    let mut rem = 0u32;
    for &c in chars[4..].iter().chain(&chars[..4]) {
        if c.is_ascii_digit() {
            rem = (rem * 10 + u32::from(c - b'0')) % 97;
        } else {
            rem = (rem * 100 + u32::from(c - b'A' + 10)) % 97;
        }
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(s: &str) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        find_pans(s, &mut v);
        find_ibans(s, &mut v);
        v.iter().map(|s| (s.start, s.end)).collect()
    }

    #[test]
    fn cards_in_any_grouping_and_company() {
        assert_eq!(masked("4539145260181594 737"), vec![(0, 16)]);
        assert_eq!(masked("4539.1452.6018.1594/12/31"), vec![(0, 19)]);
        assert_eq!(masked("x4539_1452_6018_1594y"), vec![(1, 20)]);
        assert_eq!(masked("order 4242424242424241"), vec![]);
        assert_eq!(masked("ts=1733333333336"), vec![]);
    }

    #[test]
    fn ibans_pass_mod97() {
        assert_eq!(masked("iban DE89 3704 0044 0532 0130 00 ok"), vec![(5, 32)]);
        assert_eq!(masked("GB82WEST12345698765432"), vec![(0, 22)]);
        assert_eq!(masked("GB82WEST12345698765433"), vec![]);
    }
}
