//! Real workbook files written in the tests: `.xlsx` by `rust_xlsxwriter`, `.ods` as the zip
//! of XML that LibreOffice writes, `.xls` as a BIFF8 stream in an OLE2 compound file (no
//! registry crate writes `.xls`; this is the smallest file Excel 97–2003 format allows), and
//! the tests that read them through [`read_table`].

use std::io::{Cursor, Write};

use rust_xlsxwriter::{Format, Workbook};

use super::{read_table, ReadError, ReadOptions, Table};

/// Monday's sheet: a text name, a phone typed as a number, a date, a time, a date and time,
/// text a person typed as a time, a whole and a decimal number, a boolean. Then a second
/// sheet, a hidden one, and an empty row between the two data rows.
fn xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("hh:mm");
    let both = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let monday = book.add_worksheet();
    monday.set_name("Monday").expect("name");
    let headers = [
        "First name",
        " Mobile ",
        "Date",
        "Time",
        "When",
        "Typed",
        "Visits",
        "Fee",
        "Paid",
    ];
    for (col, header) in (0u16..).zip(headers) {
        monday.write_string(0, col, header).expect("header");
    }
    monday.write_string(1, 0, "Siobhán").expect("cell");
    monday.write_number(1, 1, 447_700_900_123.0).expect("cell");
    monday
        .write_number_with_format(1, 2, 45_720.0, &date)
        .expect("cell");
    monday
        .write_number_with_format(1, 3, 0.354_166_666_666_666_7, &time)
        .expect("cell");
    monday
        .write_number_with_format(1, 4, 45_720.604_166_666_664, &both)
        .expect("cell");
    monday.write_string(1, 5, "8:30:00 AM").expect("cell");
    monday.write_number(1, 6, 3.0).expect("cell");
    monday.write_number(1, 7, 12.5).expect("cell");
    monday.write_boolean(1, 8, true).expect("cell");
    monday.write_string(3, 0, "Zoë").expect("cell");
    monday.write_string(3, 1, "+353831234567").expect("cell");
    let tuesday = book.add_worksheet();
    tuesday.set_name("Tuesday").expect("name");
    tuesday.write_string(0, 1, "Phone").expect("cell");
    tuesday.write_string(1, 1, "07700900124").expect("cell");
    let hidden = book.add_worksheet();
    hidden.set_name("Lists").expect("name");
    hidden.write_string(0, 0, "internal").expect("cell");
    hidden.set_hidden(true);
    book.save_to_buffer().expect("the workbook is written")
}

const ODS_CONTENT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">
<office:body><office:spreadsheet>
<table:table table:name="Rendez-vous">
<table:table-row><table:table-cell office:value-type="string"><text:p>Prénom</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Téléphone</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Date</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Heure</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3"/></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>José</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="33612345678"><text:p>33612345678</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2025-03-04"><text:p>04/03/2025</text:p></table:table-cell><table:table-cell office:value-type="time" office:time-value="PT14H30M00S"><text:p>14:30</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="4"/></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Zoë</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>0612345678</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2025-03-05T09:15:00"><text:p>05/03/2025 09:15</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="1.5"><text:p>1,5</text:p></table:table-cell></table:table-row>
</table:table>
</office:spreadsheet></office:body></office:document-content>"#;

const ODS_MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#;

fn ods() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let files = [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", ODS_MANIFEST),
        ("content.xml", ODS_CONTENT),
    ];
    for (name, content) in files {
        zip.start_file(name, stored).expect("a zip entry");
        zip.write_all(content.as_bytes()).expect("written");
    }
    zip.finish().expect("the zip is written").into_inner()
}

/// One BIFF8 record: type, length, data.
fn record(stream: &mut Vec<u8>, typ: u16, data: &[u8]) {
    stream.extend_from_slice(&typ.to_le_bytes());
    let len = u16::try_from(data.len()).expect("a short record");
    stream.extend_from_slice(&len.to_le_bytes());
    stream.extend_from_slice(data);
}

fn bof(kind: u16) -> Vec<u8> {
    [&0x0600u16.to_le_bytes()[..], &kind.to_le_bytes(), &[0; 12]].concat()
}

fn cell_head(row: u16, col: u16, xf: u16) -> Vec<u8> {
    [row.to_le_bytes(), col.to_le_bytes(), xf.to_le_bytes()].concat()
}

/// UTF-16 text with its BIFF8 header (a 1-byte length for sheet names, 2 bytes for cells).
fn unicode(text: &str, long: bool) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let len = units.len();
    let mut out = if long {
        u16::try_from(len).expect("short").to_le_bytes().to_vec()
    } else {
        vec![u8::try_from(len).expect("short")]
    };
    out.push(1);
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    out
}

/// A one-sheet `.xls`: a header row, a name, a phone typed as a number, a date (format 14)
/// and a time (format 20).
fn xls() -> Vec<u8> {
    let sheet_name = unicode("Citas", false);
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    record(&mut globals, 0x0042, &1200u16.to_le_bytes());
    for format in [0u16, 14, 20] {
        let xf = [&[0u8, 0][..], &format.to_le_bytes(), &[0; 16]].concat();
        record(&mut globals, 0x00E0, &xf);
    }
    let sheet_at = globals.len() + 4 + 6 + sheet_name.len() + 4;
    let position = u32::try_from(sheet_at).expect("small");
    let bound = [&position.to_le_bytes()[..], &[0, 0], &sheet_name].concat();
    record(&mut globals, 0x0085, &bound);
    record(&mut globals, 0x000A, &[]);
    assert_eq!(globals.len(), sheet_at);

    let label = |row, col, text: &str| [cell_head(row, col, 0), unicode(text, true)].concat();
    let number =
        |row, col, xf, value: f64| [cell_head(row, col, xf), value.to_le_bytes().to_vec()].concat();
    let mut sheet = globals;
    record(&mut sheet, 0x0809, &bof(0x0010));
    for (col, header) in (0u16..).zip(["Nombre", "Móvil", "Fecha", "Hora"]) {
        record(&mut sheet, 0x0204, &label(0, col, header));
    }
    record(&mut sheet, 0x0204, &label(1, 0, "José"));
    record(&mut sheet, 0x0203, &number(1, 1, 0, 34_612_345_678.0));
    record(&mut sheet, 0x0203, &number(1, 2, 1, 45_720.0));
    record(
        &mut sheet,
        0x0203,
        &number(1, 3, 2, 0.354_166_666_666_666_7),
    );
    record(&mut sheet, 0x000A, &[]);

    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("a compound file");
    let mut stream = file.create_stream("/Workbook").expect("a stream");
    stream.write_all(&sheet).expect("written");
    drop(stream);
    file.flush().expect("flushed");
    file.into_inner().into_inner()
}

fn read(name: &str, bytes: &[u8], options: &ReadOptions) -> Table {
    read_table(name, bytes, options).expect("the workbook reads")
}

#[test]
fn xlsx_cells_read_as_shown() {
    let table = read("appointments.xlsx", &xlsx(), &ReadOptions::default());
    assert_eq!(
        table.sheets,
        ["Monday", "Tuesday"],
        "the hidden sheet is not offered"
    );
    assert_eq!(table.sheet.as_deref(), Some("Monday"));
    assert_eq!((table.encoding, table.delimiter), (None, None));
    assert_eq!(
        table.headers,
        [
            "First name",
            "Mobile",
            "Date",
            "Time",
            "When",
            "Typed",
            "Visits",
            "Fee",
            "Paid"
        ]
    );
    assert_eq!(
        table.rows[0].cells,
        [
            "Siobhán",
            "447700900123",
            "2025-03-04",
            "08:30",
            "2025-03-04 14:30",
            "8:30:00 AM",
            "3",
            "12.5",
            "TRUE"
        ]
    );
    assert_eq!(table.rows[0].record, 1);
    assert_eq!(
        table.rows[1].record, 3,
        "the empty sheet row 3 keeps its number"
    );
    assert_eq!(table.rows[1].cells[..2], ["Zoë", "+353831234567"]);
    assert!(table.rows[1].cells[2..].iter().all(String::is_empty));
}

#[test]
fn another_sheet_can_be_chosen() {
    let bytes = xlsx();
    let choose = |sheet: &str| ReadOptions {
        sheet: Some(sheet.into()),
        ..ReadOptions::default()
    };
    let tuesday = read("a.xlsx", &bytes, &choose(" tuesday"));
    assert_eq!(tuesday.sheet.as_deref(), Some("Tuesday"));
    assert_eq!(tuesday.headers, ["Phone"], "the sheet starts in column B");
    assert_eq!(tuesday.rows[0].cells, ["07700900124"]);
    let error = read_table("a.xlsx", &bytes, &choose("Friday"));
    assert_eq!(
        error,
        Err(ReadError::UnknownSheet {
            sheet: "Friday".into(),
            sheets: vec!["Monday".into(), "Tuesday".into()],
        })
    );
}

#[test]
fn ods_cells_read_as_shown() {
    let table = read("rendez-vous.ods", &ods(), &ReadOptions::default());
    assert_eq!(table.sheets, ["Rendez-vous"]);
    assert_eq!(table.headers, ["Prénom", "Téléphone", "Date", "Heure"]);
    assert_eq!(table.rows.len(), 2);
    assert_eq!(
        table.rows[0].cells,
        ["José", "33612345678", "2025-03-04", "14:30"]
    );
    assert_eq!(
        table.rows[1].cells,
        ["Zoë", "0612345678", "2025-03-05 09:15", "1.5"]
    );
    assert_eq!(table.rows[1].record, 4, "two empty rows between");
}

#[test]
fn xls_cells_read_as_shown() {
    let table = read("citas.xls", &xls(), &ReadOptions::default());
    assert_eq!(table.sheets, ["Citas"]);
    assert_eq!(table.headers, ["Nombre", "Móvil", "Fecha", "Hora"]);
    assert_eq!(
        table.rows[0].cells,
        ["José", "34612345678", "2025-03-04", "08:30"]
    );
}

#[test]
fn the_content_decides_not_the_name() {
    // A booking system's "xls" that is tab-separated text.
    let text = read(
        "export.xls",
        "Name\tPhone\nJosé\t0770\n".as_bytes(),
        &ReadOptions::default(),
    );
    assert_eq!(text.delimiter, Some(b'\t'));
    assert_eq!(text.rows[0].cells, ["José", "0770"]);
    // A workbook whose name says CSV.
    let book = read("export.csv", &xlsx(), &ReadOptions::default());
    assert_eq!(book.sheet.as_deref(), Some("Monday"));
    // A zip that is no workbook: refused, as a spreadsheet when its name says it is one.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("notes.txt", zip::write::SimpleFileOptions::default())
        .expect("entry");
    zip.write_all(b"hello").expect("written");
    let archive = zip.finish().expect("zip").into_inner();
    let options = ReadOptions::default();
    assert_eq!(
        read_table("notes.zip", &archive, &options),
        Err(ReadError::NotATable)
    );
    let damaged = read_table("notes.xlsx", &archive, &options).map_err(|e| e.code());
    assert_eq!(damaged, Err("spreadsheet_unreadable"));
    // A truncated workbook.
    let cut = &xlsx()[..200];
    assert!(read_table("cut.xlsx", cut, &options).is_err());
}
