//! Fuzz the log scanner: streaming, the prefilter, record extents (multi-line JSON, traces),
//! timestamps, grouping, cross-line patterns and the JSON and human reports, on arbitrary bytes,
//! read in parallel parts.

#![no_main]

use libfuzzer_sys::fuzz_target;
use paydoctor::knowledge::EMBEDDED;
use paydoctor::redact::Redactor;
use paydoctor::scan::prefilter::Prefilter;
use paydoctor::scan::reader::{LineReader, Source};
use paydoctor::scan::print::{Format, Printer};
use paydoctor::scan::report::ScanReport;
use paydoctor::scan::{Filters, Scanner};
use std::sync::OnceLock;
use std::time::Duration;

static PREFILTER: OnceLock<Prefilter> = OnceLock::new();
static REDACTOR: OnceLock<Redactor> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let kb = &EMBEDDED;
    let pre = PREFILTER.get_or_init(|| Prefilter::new(kb));
    let red = REDACTOR.get_or_init(|| Redactor::new(kb));
    let filters = Filters::default();
    for format in [Format::Json, Format::Human] {
        // parts of 64 bytes: even small inputs are read in parallel and put back in order
        let mut scanner = Scanner::new(kb, pre, red, &filters, 3).min_part(64);
        let mut printer = Printer::new(Vec::new(), format, false, red);
        scanner.scan(LineReader::new(Source::bytes("fuzz", data.to_vec())), &mut printer, &|_| {}).unwrap();
        let patterns = scanner.patterns.report(kb);
        let report =
            ScanReport::new(kb, red, scanner.groups.all(), &patterns, &scanner.summary, &filters, Duration::ZERO);
        printer.finish(&report).unwrap();
    }
});
