//! The History screen with 100,000 messages: every query it makes, on a real SQLite file.
//!
//! Target: each page, search and filter answers in well under 100 ms on the 2-core CI machine
//! (the screen refreshes its page every few seconds), and opening the history (with its
//! integrity check) stays small next to the app's start-up.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use smsdesk::history::Filter;
use smsdesk::store::{Store as History, DB_FILE};

const ROWS: i64 = 100_000;

/// Fills a new history with `ROWS` messages spread over a year, in one transaction.
fn fill(dir: &std::path::Path) {
    drop(History::open(dir).expect("create"));
    let mut conn = rusqlite::Connection::open(dir.join(DB_FILE)).expect("sqlite");
    let tx = conn.transaction().expect("transaction");
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO messages (created_at, updated_at, to_number, recipient_name, body,
                    channel_id, channel_name, outcome, request_id, message_id, status, tracking)
                 VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .expect("prepare");
        let start = 1_760_000_000_000_i64;
        for i in 0..ROWS {
            let (outcome, status, tracking) = match i % 20 {
                0 => ("rejected", None, "none"),
                1 => ("unknown", None, "none"),
                2 => ("accepted", Some("undelivered"), "done"),
                3 => ("accepted", Some("sent"), "active"),
                _ => ("accepted", Some("delivered"), "done"),
            };
            insert
                .execute(rusqlite::params![
                    start + i * 315_000,
                    format!("+1201555{:04}", i % 10_000),
                    format!("Patient {}", i % 5_000),
                    format!("Hi, your appointment #{i} is confirmed for Tuesday at 10:30. Reply C to cancel."),
                    if i % 3 == 0 { "clinic-2" } else { "clinic-1" },
                    if i % 3 == 0 { "Second clinic" } else { "Main clinic" },
                    outcome,
                    format!("req-{i}"),
                    format!("{}", 4_000_000 + i),
                    status,
                    tracking,
                ])
                .expect("insert");
        }
    }
    tx.commit().expect("commit");
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    fill(dir.path());
    let history = History::open(dir.path()).expect("open");
    let filter = |search: &str, status: &str, channel: &str| Filter {
        search: search.into(),
        status: status.into(),
        channel: channel.into(),
        ..Filter::default()
    };
    let mut group = c.benchmark_group("history_100k");
    group.bench_function("open", |b| {
        b.iter(|| black_box(History::open(dir.path()).expect("open")))
    });
    group.bench_function("first_page", |b| {
        b.iter(|| black_box(history.list(&Filter::default(), 0, 50).expect("list")))
    });
    group.bench_function("page_at_50000", |b| {
        b.iter(|| black_box(history.list(&Filter::default(), 50_000, 50).expect("list")))
    });
    group.bench_function("search_number", |b| {
        let f = filter("(201) 555-0042", "", "");
        b.iter(|| black_box(history.list(&f, 0, 50).expect("list")))
    });
    group.bench_function("search_text", |b| {
        let f = filter("Patient 4321", "", "");
        b.iter(|| black_box(history.list(&f, 0, 50).expect("list")))
    });
    group.bench_function("status_and_channel", |b| {
        let f = filter("", "not_delivered", "clinic-2");
        b.iter(|| black_box(history.list(&f, 0, 50).expect("list")))
    });
    group.bench_function("detail", |b| {
        b.iter(|| black_box(history.get(ROWS / 2).expect("get")))
    });
    group.bench_function("due_for_polling", |b| {
        b.iter(|| black_box(history.due_for_polling(i64::MAX, 25).expect("due")))
    });
    group.sample_size(10);
    group.bench_function("export_all_csv", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(16 << 20);
            black_box(
                history
                    .export_csv(&Filter::default(), &mut out)
                    .expect("export"),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
