//! A spreadsheet of 10,000 appointments, as a booking system exports it: read (CSV, and the
//! same rows as .xlsx), then every row checked (numbers from several countries, duplicates,
//! blank fields) and rendered with its segments — what the preview shows before anything is
//! sent. Target: well under a second for the whole.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use smsdesk::bulk::columns::column;
use smsdesk::bulk::plan::{plan, Columns};
use smsdesk::bulk::table::{read_table, ReadOptions, Table};
use smsdesk::phone::Country;
use smsdesk::templates::Compiled;

const ROWS: usize = 10_000;

/// Varied rows: Irish, British, US and French mobiles, national and international forms,
/// a few duplicates, blank times and broken numbers, accented names.
fn csv() -> String {
    let names = [
        "Siobhán",
        "Zoë",
        "José",
        "Ann",
        "Łukasz",
        "Mary-Kate",
        "Renée",
        "Bob",
    ];
    let mut text = String::from("First name,Mobile,Date,Time\n");
    for i in 0..ROWS {
        let phone = match i % 6 {
            0 => format!("08{}", 30_000_000 + i * 7 % 9_000_000),
            1 => format!("+353 86 {:03} {:04}", i % 1000, i % 10_000),
            2 => format!("+44 7400 {:06}", i * 13 % 1_000_000),
            3 => format!("+1 (201) 555-{:04}", i % 10_000),
            4 => format!("+33 6 12 {:02} {:02} {:02}", i % 100, i / 100 % 100, i % 97),
            _ => "not a number".to_owned(),
        };
        let time = if i % 50 == 0 {
            String::new()
        } else {
            format!("{}:{:02}", 8 + i % 10, i % 60)
        };
        let name = names[i % names.len()];
        text.push_str(&format!(
            "{name} {i},{phone},2026-12-0{},{time}\n",
            1 + i % 9
        ));
    }
    text
}

fn columns(table: &Table) -> Columns {
    let find = |name: &str| column(&table.headers, name).expect("column");
    Columns {
        phone: find("Mobile"),
        name: Some(find("First name")),
        fields: BTreeMap::from([
            ("first_name".to_owned(), find("First name")),
            ("date".to_owned(), find("Date")),
            ("time".to_owned(), find("Time")),
        ]),
        constants: BTreeMap::new(),
    }
}

fn bench(c: &mut Criterion) {
    let text = csv();
    let template = Compiled::new(
        "Hi {{first_name}}, a reminder of your appointment on {{date}} at {{time}}. Reply C to cancel. Reply STOP to opt out.",
    )
    .expect("template");
    let country = Country::parse("IE").ok();
    smsdesk::phone::warm_up();
    let mut group = c.benchmark_group("bulk_10000_rows");
    group.sample_size(10);
    group.bench_function("read_csv", |b| {
        b.iter(|| {
            black_box(read_table(
                "list.csv",
                text.as_bytes(),
                &ReadOptions::default(),
            ))
        })
    });
    let table = read_table("list.csv", text.as_bytes(), &ReadOptions::default()).expect("table");
    let cols = columns(&table);
    group.bench_function("check_and_render", |b| {
        b.iter(|| black_box(plan(&table, &template, &cols, country, false, &|_| None)))
    });
    group.bench_function("read_check_render_preview", |b| {
        b.iter(|| {
            let table =
                read_table("list.csv", text.as_bytes(), &ReadOptions::default()).expect("table");
            let cols = columns(&table);
            black_box(plan(&table, &template, &cols, country, false, &|_| None))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
