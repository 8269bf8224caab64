//! Segment counting speed: it runs on every keystroke, over messages of up to 1,600 characters.
//!
//! Target: a 1,600-character message counted well under 100 µs on the 2-core CI machine, so the
//! compose box never lags; look-alike replacement in the same range.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use smsdesk::segments::{count, lookalikes, replace_lookalikes};

/// 1,600 characters of each kind a receptionist might paste.
fn corpus() -> [(&'static str, String); 4] {
    let line =
        "Hi Jane, your appointment with Dr Byrne is on Tue 14 May at 10:30. Reply C to confirm. ";
    let gsm: String = line.chars().cycle().take(1600).collect();
    let pasted: String = "It’s “confirmed” – see you at 10:30…\u{A0}Café, façade. "
        .chars()
        .cycle()
        .take(1600)
        .collect();
    let emoji: String = "See you soon 👍🏽 🇮🇪 👨‍👩‍👧 "
        .chars()
        .cycle()
        .take(1600)
        .collect();
    let cjk: String = "予約は5月14日10時30分です。"
        .chars()
        .cycle()
        .take(1600)
        .collect();
    [
        ("gsm_1600", gsm),
        ("lookalikes_1600", pasted),
        ("emoji_1600", emoji),
        ("cjk_1600", cjk),
    ]
}

fn bench(c: &mut Criterion) {
    let corpus = corpus();
    let mut group = c.benchmark_group("segments");
    group.throughput(Throughput::Elements(1));
    for (name, text) in &corpus {
        group.bench_function(format!("count/{name}"), |b| {
            b.iter(|| count(black_box(text)))
        });
    }
    let (_, pasted) = &corpus[1];
    group.bench_function("lookalikes/lookalikes_1600", |b| {
        b.iter(|| lookalikes(black_box(pasted)))
    });
    group.bench_function("replace_lookalikes/lookalikes_1600", |b| {
        b.iter(|| replace_lookalikes(black_box(pasted)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
