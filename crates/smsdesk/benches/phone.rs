//! Phone validation speed: a varied corpus of typed numbers, one thread.
//!
//! Target (issue 2): at least 25,000 numbers a second on the 2-core CI machine, and the first
//! validation after start-up (metadata load included) under 30 ms — see `first_validation`.

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use smsdesk::phone::{validate, Country};

/// Numbers as people type them: national and international forms, punctuation, invalid ones.
const CORPUS: &[(&str, &str)] = &[
    ("(415) 555-2671", "US"),
    ("+1 201-555-0123", "US"),
    ("0831234567", "IE"),
    ("+44 (0) 20 7946 0958", "GB"),
    ("00353 83 123 4567", "IE"),
    ("07400 123456", "GB"),
    ("+5511961234567", "US"),
    ("+24106031234", "NL"),
    ("06 12 34 56 78", "FR"),
    ("+49 1512 3456789", "DE"),
    ("0412 345 678", "AU"),
    ("+91 98765 43210", "IN"),
    ("555-12", "US"),
    ("call me", "US"),
    ("+999 123 456", "US"),
    ("+1 555 555 5555", "US"),
];

fn corpus() -> Vec<(&'static str, Option<Country>)> {
    CORPUS
        .iter()
        .map(|(n, c)| (*n, Country::parse(c).ok()))
        .collect()
}

fn first_validation() {
    // Runs before criterion warms anything up: the metadata is loaded here for the first time.
    let start = Instant::now();
    let check = validate("(415) 555-2671", Country::parse("US").ok());
    let elapsed = start.elapsed();
    assert!(check.valid, "the probe number is valid");
    println!(
        "first validation after start (metadata load included): {:.1} ms",
        elapsed.as_secs_f64() * 1000.0
    );
}

fn bench(c: &mut Criterion) {
    first_validation();
    let corpus = corpus();
    let mut group = c.benchmark_group("phone");
    group.throughput(Throughput::Elements(corpus.len() as u64));
    group.bench_function("validate_corpus", |b| {
        b.iter(|| {
            for (number, country) in &corpus {
                black_box(validate(black_box(number), *country));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
