//! Fuzz the whole explain path: signal extraction, ranking, both renderers and redaction,
//! on arbitrary bytes (decoded as `explain` decodes stdin).

#![no_main]

use libfuzzer_sys::fuzz_target;
use paydoctor::knowledge::EMBEDDED;
use paydoctor::redact::Redactor;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let d = paydoctor::commands::explain::diagnose(&EMBEDDED, &text, None, 3);
    let red = Redactor::new(&EMBEDDED);
    let mut out = Vec::new();
    paydoctor::render::json(&mut out, &EMBEDDED, &red, &d).unwrap();
    paydoctor::render::human(&mut out, &EMBEDDED, &red, &d).unwrap();
    let _ = red.line(&text);
});
