//! Properties (issue 12) of the CSV readers and writers: the shared reader
//! (`spreadsheet::TextFile`), the bulk import (`bulk::table::read_table`), the do-not-text
//! import and export, and the defusing of cells for spreadsheet programs. Any bytes are
//! answered without a panic, what is written reads back as it was, and an import's counts
//! always add up. Nothing is persisted (`failure_persistence: None`).

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use smsdesk::bulk::table::{read_table, ReadOptions};
use smsdesk::phone::Country;
use smsdesk::spreadsheet::{defuse, undefuse, TextError, TextFile, TextOptions};
use smsdesk::store::Store;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Bytes a file could hold: text with quotes, delimiters and line breaks in any order, byte
/// order marks, and raw bytes.
fn file_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => "[a-z0-9 +()-]{0,8}".prop_map(String::into_bytes),
        2 => select(vec![",", ";", "\t", "\"", "\"\"", "\n", "\r\n", "\r", "'", "=", "é", "€"])
            .prop_map(|s| s.as_bytes().to_vec()),
        1 => select(vec![&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF", b"\0", b"\x80\x81"])
            .prop_map(<[u8]>::to_vec),
        1 => vec(any::<u8>(), 0..6),
    ];
    vec(piece, 0..40).prop_map(|p| p.concat())
}

/// A cell's text: anything a spreadsheet cell may hold, quotes, delimiters and line breaks
/// included (no control characters but tab and line breaks, no U+FFFD: a file full of them
/// is no text).
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[^\\p{Cc}\u{FFFD}]{0,12}",
        2 => select(vec!["", " ", "\"", "a,b", "x;y", "line\nbreak", "cr\r\nlf", "tab\there", "=1+1", "'", "+1 201"])
            .prop_map(str::to_owned),
    ]
}

/// Rows as a spreadsheet would save them: the first cell of each row not blank (a row of
/// blank cells is no record to read back).
fn rows() -> impl Strategy<Value = Vec<Vec<String>>> {
    vec(
        ("[A-Za-z0-9]{1,6}", vec(cell(), 0..4)).prop_map(|(first, rest)| {
            let mut row = vec![first];
            row.extend(rest);
            row
        }),
        1..12,
    )
}

fn write_csv(rows: &[Vec<String>], delimiter: u8) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_writer(Vec::new());
    for row in rows {
        out.write_record(row).expect("a record");
    }
    out.into_inner().expect("written")
}

fn read_back(bytes: &[u8], delimiter: u8) -> Result<Vec<Vec<String>>, TextError> {
    let file = TextFile::decode(
        bytes,
        TextOptions {
            encoding: None,
            delimiter: Some(delimiter),
        },
    )?;
    let mut all = Vec::new();
    file.records(|r| {
        all.push(r.iter().map(str::to_owned).collect());
        Ok::<(), TextError>(())
    })?;
    Ok(all)
}

/// A do-not-text file's line: a number in one of its forms, something else, or nothing.
fn list_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (555_0100u32..555_0140).prop_map(|n| format!("+1 201 {:03}-{:04}", n / 10_000, n % 10_000)),
        2 => (555_0100u32..555_0140).prop_map(|n| format!("(201) {:03}-{:04},Replied STOP", n / 10_000, n % 10_000)),
        2 => "[a-z ]{0,10}",
        1 => Just(String::new()),
        1 => Just("12,too short".to_owned()),
    ]
}

proptest! {
    #![proptest_config(config(512))]

    /// Any bytes: the shared reader and the bulk import answer (a table or an error), never
    /// panic, and the reader's lines only grow.
    #[test]
    fn any_bytes_are_answered_without_a_panic(bytes in file_bytes()) {
        if let Ok(file) = TextFile::decode(&bytes, TextOptions::default()) {
            let mut last = 0;
            let read = file.records(|r| {
                assert!(r.line >= last, "lines in order");
                last = r.line;
                Ok::<(), TextError>(())
            });
            if let Err(TextError::UnclosedQuote { line }) = read {
                prop_assert!(line >= 1);
            }
        }
        let _ = read_table("list.csv", &bytes, &ReadOptions::default());
    }

    /// What a spreadsheet writes (any cells, quoted where needed, with comma, semicolon or
    /// tab) reads back cell for cell, and with a byte order mark too.
    #[test]
    fn written_rows_read_back_as_they_were(
        rows in rows(),
        delimiter in select(vec![b',', b';', b'\t']),
        bom in any::<bool>(),
    ) {
        let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        bytes.extend(write_csv(&rows, delimiter));
        prop_assert_eq!(read_back(&bytes, delimiter), Ok(rows));
    }

    /// A quote left open anywhere after the last complete row is an error that names its line,
    /// never a silent import of less.
    #[test]
    fn an_unclosed_quote_is_always_found(rows in rows(), tail in "[a-z ,\n]{0,20}") {
        let mut bytes = write_csv(&rows, b',');
        let opened_on = u64::try_from(bytes.iter().filter(|b| **b == b'\n').count()).unwrap_or(0) + 1;
        bytes.extend(b"\"");
        bytes.extend(tail.as_bytes());
        let read = read_back(&bytes, b',');
        prop_assert_eq!(read, Err(TextError::UnclosedQuote { line: opened_on }));
    }

    /// A defused cell never starts like a formula, and reads back as the text it was.
    #[test]
    fn defused_cells_never_start_a_formula(text in cell()) {
        let safe = defuse(&text);
        let start = safe.trim_start();
        prop_assert!(!safe.starts_with(['\t', '\r', '\n']), "{safe:?}");
        prop_assert!(!start.starts_with(['=', '+', '-', '@']), "{safe:?}");
        prop_assert_eq!(undefuse(&safe), text.as_str());
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// A do-not-text import of any file counts every data row once (added, already on the
    /// list or not a number), and its export imports back as the same list.
    #[test]
    fn a_do_not_text_import_always_adds_up(
        header in any::<bool>(),
        lines in vec(list_line(), 0..30),
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("store");
        let us = Country::parse("US").ok();
        let mut text = if header { "Phone,Reason\n".to_owned() } else { String::new() };
        for line in &lines {
            text.push_str(line);
            text.push('\n');
        }
        let data_rows = lines.iter().filter(|l| !l.trim().is_empty()).count();
        let report = store.import_opt_outs(text.as_bytes(), us).expect("imported");
        prop_assert_eq!(report.in_file, u64::try_from(data_rows).unwrap_or(0), "{:?}", text);
        prop_assert_eq!(report.added + report.already + report.not_numbers, report.in_file);
        let listed = store.opt_outs("").expect("list");
        prop_assert_eq!(u64::try_from(listed.len()).unwrap_or(0), report.added);

        let mut exported = Vec::new();
        store.export_opt_outs(&mut exported).expect("export");
        let other = tempfile::tempdir().expect("temp dir");
        let again = Store::open(other.path()).expect("store");
        let back = again.import_opt_outs(&exported, None).expect("the export imports");
        prop_assert_eq!(back.added, report.added);
        prop_assert_eq!(back.not_numbers, 0);
        let numbers = |s: &Store| {
            let mut n: Vec<(String, String)> = s
                .opt_outs("")
                .expect("list")
                .into_iter()
                .map(|e| (e.number, e.reason))
                .collect();
            n.sort();
            n
        };
        prop_assert_eq!(numbers(&again), numbers(&store));
    }
}
