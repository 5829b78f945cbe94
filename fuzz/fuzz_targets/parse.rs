//! Fuzzes normalisation and parsing: no input may panic, normalising twice
//! must change nothing, and every span must lie inside the text on char
//! boundaries. Run with `scripts/fuzz.sh [SECONDS]` (stable toolchain).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tongket::{parse, text::Normalized};

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let text = Normalized::new(&raw);
    assert_eq!(Normalized::new(text.as_str()), text);
    let report = parse::parse(&text);
    let s = text.as_str();
    for span in report.people.iter().map(|p| p.span).chain(report.indicators.iter().chain(&report.targets).map(|i| i.span)) {
        let (start, end) = (span.start as usize, span.end as usize);
        assert!(start <= end && end <= s.len() && s.is_char_boundary(start) && s.is_char_boundary(end));
    }
});
