//! Golden parser tests: every `tests/data/parse/*.txt` is parsed and its
//! proto3 JSON compared with the `.json` beside it. Refresh the expected
//! files with `UPDATE_EXPECT=1 cargo test --test integration golden`, then
//! read every changed file: a golden file that records a wrong answer is a
//! defect.

use std::path::PathBuf;

use tongket::{convert, parse, proto, text};

#[test]
fn every_golden_text_parses_to_its_expected_json() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/parse");
    let mut texts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/data/parse exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .collect();
    texts.sort();
    assert!(
        texts.len() >= 20,
        "the golden set has {} texts",
        texts.len()
    );
    for path in texts {
        let raw = std::fs::read_to_string(&path).expect("a UTF-8 golden text");
        let report = proto::Report::from(parse::parse(&text::Normalized::new(&raw)));
        let json = serde_json::to_string_pretty(&convert::to_json(&report)).expect("JSON") + "\n";
        expect_test::expect_file![path.with_extension("json")].assert_eq(&json);
    }
}
