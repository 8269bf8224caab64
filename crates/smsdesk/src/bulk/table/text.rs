//! CSV and tab-separated text, through the reader the do-not-text import shares
//! ([`crate::spreadsheet::TextFile`]: the encoding, the delimiter, RFC 4180 records, an
//! unclosed quote found).

use crate::spreadsheet::{TextError, TextFile, TextOptions};

use super::{is_blank, Collect, ReadError, ReadOptions, Table};

impl From<TextError> for ReadError {
    fn from(e: TextError) -> Self {
        match e {
            TextError::Undecodable(encoding) => ReadError::Undecodable(encoding),
            TextError::NotText => ReadError::NotATable,
            TextError::Markup => ReadError::WebPage,
            TextError::UnclosedQuote { line } => ReadError::UnclosedQuote { line },
        }
    }
}

pub(super) fn read(bytes: &[u8], options: &ReadOptions) -> Result<Table, ReadError> {
    let file = TextFile::decode(
        bytes,
        TextOptions {
            encoding: options.encoding,
            delimiter: options.delimiter,
        },
    )?;
    let mut collect = Collect::new();
    file.records(|record| {
        if collect.has_header() && record.iter().all(is_blank) {
            collect.push_empty();
            Ok(())
        } else {
            collect.push(record.iter().map(str::to_owned).collect())
        }
    })?;
    let (headers, rows) = collect.finish()?;
    Ok(Table {
        headers,
        rows,
        encoding: Some(file.encoding),
        delimiter: Some(file.delimiter),
        sheets: Vec::new(),
        sheet: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spreadsheet::TextEncoding;

    const BOM_UTF8: &[u8] = &[0xEF, 0xBB, 0xBF];
    const BOM_UTF16LE: &[u8] = &[0xFF, 0xFE];

    fn read_default(bytes: &[u8]) -> Table {
        read(bytes, &ReadOptions::default()).expect("the text reads")
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        bytes
    }

    const ACCENTED: &str =
        "Name,Mobile,Note\r\nSiobhán,07700900123,€5 deposit\r\nZoë,07700900124,José's\r\n";

    fn assert_accented(table: &Table) {
        assert_eq!(table.headers, ["Name", "Mobile", "Note"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(
            table.rows[0].cells,
            ["Siobhán", "07700900123", "€5 deposit"]
        );
        assert_eq!(table.rows[1].cells, ["Zoë", "07700900124", "José's"]);
        assert_eq!(table.delimiter, Some(b','));
        assert!(table.sheets.is_empty() && table.sheet.is_none());
    }

    #[test]
    fn every_encoding_keeps_accents() {
        let utf8 = read_default(ACCENTED.as_bytes());
        assert_accented(&utf8);
        assert_eq!(utf8.encoding, Some(TextEncoding::Utf8));

        let with_bom = [BOM_UTF8, ACCENTED.as_bytes()].concat();
        let bom = read_default(&with_bom);
        assert_accented(&bom);
        assert_eq!(bom.encoding, Some(TextEncoding::Utf8Bom));

        let le = read_default(&utf16(&ACCENTED.replace(',', "\t"), false));
        assert_eq!(le.encoding, Some(TextEncoding::Utf16Le));
        assert_eq!(le.delimiter, Some(b'\t'));
        assert_eq!(le.rows[0].cells, ["Siobhán", "07700900123", "€5 deposit"]);

        let be = read_default(&utf16(ACCENTED, true));
        assert_accented(&be);
        assert_eq!(be.encoding, Some(TextEncoding::Utf16Be));

        // Windows-1252: 0xE1 á, 0xEB ë, 0x80 € (Latin-1 would make 0x80 a control character).
        let mut cp1252 = b"Name;Mobile;Note\r\nSiobh\xE1n;07700900123;\x805 deposit\r\n".to_vec();
        cp1252.extend_from_slice(b"Zo\xEB;07700900124;Jos\xE9's\r\n");
        let western = read_default(&cp1252);
        assert_eq!(western.encoding, Some(TextEncoding::Windows1252));
        assert_eq!(western.delimiter, Some(b';'));
        assert_eq!(
            western.rows[0].cells,
            ["Siobhán", "07700900123", "€5 deposit"]
        );
        assert_eq!(western.rows[1].cells, ["Zoë", "07700900124", "José's"]);
    }

    #[test]
    fn the_chosen_encoding_wins() {
        let text = "Name\nZoë\n";
        let as_western = ReadOptions {
            encoding: Some(TextEncoding::Windows1252),
            ..ReadOptions::default()
        };
        let table = read(text.as_bytes(), &as_western).expect("reads");
        assert_eq!(table.rows[0].cells, ["ZoÃ«"]);
        assert_eq!(table.encoding, Some(TextEncoding::Windows1252));
        let as_utf8 = ReadOptions {
            encoding: Some(TextEncoding::Utf8),
            ..ReadOptions::default()
        };
        let error = read(b"Name\nZo\xEB\n", &as_utf8);
        assert_eq!(error, Err(ReadError::Undecodable(TextEncoding::Utf8)));
        let odd_utf16 = [BOM_UTF16LE, b"N\0a\0m"].concat();
        let error = read(&odd_utf16, &ReadOptions::default());
        assert_eq!(error, Err(ReadError::Undecodable(TextEncoding::Utf16Le)));
    }

    #[test]
    fn delimiters_are_detected_from_the_header() {
        let comma = read_default(b"Name,Phone,Note\nJo,0770,\"a;b\"\n");
        assert_eq!(comma.delimiter, Some(b','));
        assert_eq!(comma.rows[0].cells, ["Jo", "0770", "a;b"]);
        // Decimal commas in a semicolon file.
        let semicolon = read_default(b"Name;Phone;Amount\nJo;0770;12,50\nAl;0771;3,5\n");
        assert_eq!(semicolon.delimiter, Some(b';'));
        assert_eq!(semicolon.rows[1].cells, ["Al", "0771", "3,5"]);
        let tab = read_default(b"Name\tPhone\tDate\nSmith, Jo\t0770\t2025-03-04\n");
        assert_eq!(tab.delimiter, Some(b'\t'));
        assert_eq!(tab.rows[0].cells, ["Smith, Jo", "0770", "2025-03-04"]);
        // A tie in the header ("Name, title" has a comma) goes to the one the data agrees with.
        let tie = read_default(b"Name, title\tPhone\nJo\t0770\nAl\t0771\n");
        assert_eq!(tie.delimiter, Some(b'\t'));
        assert_eq!(tie.headers, ["Name, title", "Phone"]);
        let single = read_default(b"Phone\n0770\n");
        assert_eq!(single.delimiter, Some(b','));
        let chosen = ReadOptions {
            delimiter: Some(b';'),
            ..ReadOptions::default()
        };
        let forced = read(b"a;b,c\n1;2,3\n", &chosen).expect("reads");
        assert_eq!(forced.headers, ["a", "b,c"]);
    }

    #[test]
    fn quoting_and_record_numbers() {
        let text = "\u{feff}Name,Phone,Note\r\n\
            \"Smith, Jo\",0770,\"She said \"\"hi\"\"\"\r\n\
            Al,0771,\"two\r\nlines\"\r\n\
            \r\n\
            Bea,0772,last\r\n";
        let table = read_default(text.as_bytes());
        assert_eq!(table.headers, ["Name", "Phone", "Note"]);
        let records: Vec<usize> = table.rows.iter().map(|r| r.record).collect();
        assert_eq!(
            records,
            [1, 2, 3],
            "a quoted line break and a blank line start no record"
        );
        assert_eq!(
            table.rows[0].cells,
            ["Smith, Jo", "0770", "She said \"hi\""]
        );
        assert_eq!(table.rows[1].cells, ["Al", "0771", "two\r\nlines"]);
        assert_eq!(table.rows[2].cells, ["Bea", "0772", "last"]);
    }

    #[test]
    fn blank_lines_and_trailing_empty_columns_are_ignored() {
        let text = "\n\nName;Phone;;;\n\nJo;0770;;;\n;;;;\nAl;0771\n\n\n";
        let table = read_default(text.as_bytes());
        assert_eq!(table.delimiter, Some(b';'));
        assert_eq!(table.headers, ["Name", "Phone"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].cells, ["Jo", "0770"]);
        assert_eq!(table.rows[1].cells, ["Al", "0771"]);
        assert_eq!(
            table.rows[1].record, 3,
            "the ;;;; row is a record, left out"
        );
    }

    #[test]
    fn binary_files_and_web_pages_are_refused() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
        assert_eq!(
            read(png, &ReadOptions::default()),
            Err(ReadError::NotATable)
        );
        let controls: Vec<u8> = (0..400u32).map(|i| (i % 8 + 1) as u8).collect();
        assert_eq!(
            read(&controls, &ReadOptions::default()),
            Err(ReadError::NotATable)
        );
        let page = b"<html><body><table><tr><td>Name</td></tr></table></body></html>";
        assert_eq!(read(page, &ReadOptions::default()), Err(ReadError::WebPage));
    }

    #[test]
    fn ten_thousand_rows_are_all_read() {
        let mut text = String::from("First name,Mobile,Date,Time\n");
        for i in 0..10_000 {
            text.push_str(&format!("Siobhán {i},07700{i:06},2025-03-04,08:30\n"));
        }
        // How fast: `cargo bench -p smsdesk --bench bulk` (figures in the README).
        let table = read_default(text.as_bytes());
        assert_eq!(table.rows.len(), 10_000);
        assert_eq!(table.rows[9_999].record, 10_000);
        assert_eq!(table.rows[9_999].cells[0], "Siobhán 9999");
    }
}
