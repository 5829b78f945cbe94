//! Parser throughput on the seed texts, beside a plain single regex pass over
//! the same bytes in the same run, so the ratio means something on any
//! machine. Aim: the parser at no less than a tenth of the regex pass.
//! Also parses one large text to show the parser stays linear in its input.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use regex::Regex;
use tongket::{parse, text::Normalized};

fn seeds() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/parse");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .expect("tests/data/parse")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("seed_"))
                && p.extension().is_some_and(|e| e == "txt")
        })
        .map(|p| std::fs::read_to_string(p).expect("a seed"))
        .collect();
    texts.sort();
    texts
}

fn throughput(c: &mut Criterion) {
    let texts = seeds();
    let bytes: usize = texts.iter().map(String::len).sum();
    let normalized: Vec<Normalized> = texts.iter().map(|t| Normalized::new(t)).collect();
    // A plain pass: every number with an optional unit, one regex, no work after.
    let plain =
        Regex::new(r"\d+(?:[.,]\d+)*\s*(?:%|tấn|ha|con|hộ|người|tỷ|triệu)?").expect("regex");

    let mut group = c.benchmark_group("seeds");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("regex_pass", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| plain.find_iter(black_box(t)).count())
                .sum::<usize>()
        })
    });
    group.bench_function("parse", |b| {
        b.iter(|| {
            normalized
                .iter()
                .map(|t| parse::parse(black_box(t)).indicators.len())
                .sum::<usize>()
        })
    });
    group.bench_function("normalize_and_parse", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| {
                    parse::parse(&Normalized::new(black_box(t)))
                        .indicators
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.finish();

    let large: String = texts.concat().repeat(40);
    let large = Normalized::new(&large);
    let mut group = c.benchmark_group("large");
    group.throughput(Throughput::Bytes(large.as_str().len() as u64));
    group.sample_size(10);
    group.bench_function("parse_1mb", |b| {
        b.iter(|| parse::parse(black_box(&large)).indicators.len())
    });
    group.finish();
}

/// Adversarial inputs at size n and 4n: the time per input should grow
/// about 4×, never 16×, whatever the input.
fn scaling(c: &mut Criterion) {
    let inputs: [(&str, &str); 3] = [
        ("digits_and_slashes", "12/3/2023 4.5/6,7 8/9 1.500 "),
        (
            "one_long_line",
            "Đàn bò đạt 840 con, đạt 100,11% KH giao, tăng 5% so cùng kỳ, ",
        ),
        ("punctuation", ".,;:!?…–-()/%&"),
    ];
    let mut group = c.benchmark_group("scaling");
    group.sample_size(10);
    for (name, piece) in inputs {
        for size in [64 * 1024, 256 * 1024] {
            let text = Normalized::new(&piece.repeat(size / piece.len()));
            group.throughput(Throughput::Bytes(text.as_str().len() as u64));
            group.bench_function(format!("{name}/{}KiB", size / 1024), |b| {
                b.iter(|| parse::parse(black_box(&text)).indicators.len())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, throughput, scaling);
criterion_main!(benches);
