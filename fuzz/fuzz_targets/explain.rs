//! Fuzz the whole explain path: signal extraction, the layered answer, both renderers and redaction,
//! on arbitrary bytes (decoded as `explain` decodes stdin).

#![no_main]

use libfuzzer_sys::fuzz_target;
use paydoctor::knowledge::EMBEDDED;
use paydoctor::redact::Redactor;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let a = paydoctor::answer::explain(&EMBEDDED, &text, None, 3);
    let red = Redactor::new(&EMBEDDED);
    let mut out = Vec::new();
    paydoctor::render::json(&mut out, &EMBEDDED, &red, &a).unwrap();
    paydoctor::render::human(&mut out, &EMBEDDED, &red, &a).unwrap();
    let _ = red.line(&text);
});
