//! A file a person picked, read as a table of text: `.xlsx`, `.xlsm`, `.xls`, `.ods` through
//! `calamine`, anything else as CSV or tab-separated text in the encodings booking systems and
//! Excel write (see [`read_table`]).
//!
//! Cells are the text a person sees in the spreadsheet program; nothing is trimmed but the
//! headers. The row checks that need Excel's habits in mind (numbers in scientific notation, a
//! leading 0 dropped, times typed as `8:30:00 AM`) are the pure helpers [`phone_trap`],
//! [`with_leading_zero`] and [`normalize_time`].

mod sheet;
mod text;
mod traps;

#[cfg(test)]
mod fixtures;

use thiserror::Error;

pub use crate::spreadsheet::TextEncoding;
pub use traps::{normalize_time, phone_trap, with_leading_zero, PhoneTrap};

/// The largest file read: far more than a day's appointments (a front desk's day is tens to
/// hundreds of rows; a group of clinics exporting a week is thousands). The front ends read
/// at most this many bytes of a file (`files::read_capped`), so a larger one is never read
/// whole into memory.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;
/// The most data rows read (entirely empty rows are not counted).
pub const MAX_ROWS: usize = 100_000;
/// The most columns read: a booking system's export has tens. A row whose last value is
/// further right is refused, since every row is padded to the widest one.
pub const MAX_COLUMNS: usize = 1_000;
/// The most a workbook (a zip: `.xlsx`, `.ods`) may unpack to, by the sizes its directory
/// declares (the zip reader refuses an entry that unpacks to more than it declares): a
/// 100,000-row sheet is about 100 MB of XML, and a "zip bomb" of a few kilobytes that
/// unpacks to gigabytes is refused before anything is unpacked.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// What the person chose instead of what is detected. `Default`: everything detected, the
/// first sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Text files only: the encoding to read with.
    pub encoding: Option<TextEncoding>,
    /// Text files only: the delimiter byte (`b','`, `b';'`, `b'\t'`...).
    pub delimiter: Option<u8>,
    /// Spreadsheets only: the sheet to read, by name (exact, else ignoring case).
    pub sheet: Option<String>,
}

/// A file as read: a header row and the data rows under it.
///
/// Every row has exactly `headers.len()` cells: the width is the last column with a header or
/// a value in any row (trailing empty columns are dropped), shorter rows are padded with empty
/// cells, and a column with values but no header has the header `""`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The first non-empty row, each cell trimmed and without a byte order mark.
    pub headers: Vec<String>,
    /// The data rows, entirely empty rows left out.
    pub rows: Vec<Row>,
    /// The encoding the text was read with; `None` for spreadsheets.
    pub encoding: Option<TextEncoding>,
    /// The delimiter the text was split on; `None` for spreadsheets.
    pub delimiter: Option<u8>,
    /// All the workbook's visible worksheets, in tab order, for a picker; empty for text.
    pub sheets: Vec<String>,
    /// The sheet read; `None` for text.
    pub sheet: Option<String>,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The 1-based data record, as the command line's `row` (issue 9): the header is not
    /// counted and a line break inside quotes does not start a record.
    ///
    /// The choice for empty rows: a truly blank line of a text file is no record at all (as
    /// for any CSV reader), while a row whose cells are all empty (`,,,` in a CSV, an empty
    /// row inside a sheet) is a record that is left out of [`Table::rows`] but keeps its
    /// number. So numbers are those a CSV reader gives, and in a sheet whose header is on row
    /// 1 record N is the sheet's row N + 1, as the person sees it; a gap in the numbers is an
    /// empty row.
    pub record: usize,
    /// The cells' text, exactly as in the file (not trimmed).
    pub cells: Vec<String>,
}

/// Why a file could not be read, for a receptionist: what happened and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReadError {
    #[error("This file is not a spreadsheet or a CSV file. Choose the list you exported from your booking system: a CSV or text file, an Excel workbook (.xlsx or .xls) or an OpenDocument spreadsheet (.ods).")]
    NotATable,
    #[error("This file cannot be read as {} text. Choose another encoding, or save the file again from Excel as \"CSV UTF-8\".", .0.label())]
    Undecodable(TextEncoding),
    #[error("This file is a web page or an XML file with a spreadsheet's name, which SMS Desk cannot read. Open it in Excel, save it as \"Excel Workbook (.xlsx)\" or \"CSV UTF-8\", and choose the new file.")]
    WebPage,
    #[error("This spreadsheet is protected by a password. Open it in Excel, remove the password, save it, and choose it again.")]
    Password,
    #[error("This spreadsheet could not be opened: it may be damaged or in a format SMS Desk does not know. Open it in Excel or LibreOffice, save it again as \"Excel Workbook (.xlsx)\", and choose the new file.")]
    Spreadsheet {
        /// What the reader said, for the log (not for the screen).
        detail: String,
    },
    #[error(
        "This spreadsheet has no sheet with a table in it. Check that you chose the right file."
    )]
    NoSheets,
    #[error("This spreadsheet has no sheet called \"{sheet}\". Its sheets are: {}.", sheet_list(.sheets))]
    UnknownSheet { sheet: String, sheets: Vec<String> },
    #[error("This file is empty: it has no header row and no appointments. Check that you chose the right file and that the export has the appointments in it.")]
    Empty,
    #[error("This file is too large ({} MB; at most {} MB are read). Export only the appointments you want to remind, and choose the new file.", .bytes.div_ceil(1024 * 1024), MAX_BYTES / (1024 * 1024))]
    TooLarge { bytes: usize },
    #[error("This file has more than 100,000 rows. Export only the appointments you want to remind, and choose the new file.")]
    TooManyRows,
    #[error("This file has more than 1,000 columns. Export only the columns the reminders need (the phone number, the name, the appointment), and choose the new file.")]
    TooManyColumns,
    #[error("This spreadsheet unpacks to more than {} MB, far more than a list of appointments. Export only the appointments you want to remind (or save the sheet as \"CSV UTF-8\"), and choose the new file.", MAX_UNPACKED_BYTES / (1024 * 1024))]
    TooLargeUnpacked,
    #[error("The quote mark (\") on line {line} is never closed, so every line after it would be read as one cell. Nothing was read: correct line {line} in a text editor (or open the file in Excel and save it again as \"CSV UTF-8\"), and choose it again.")]
    UnclosedQuote { line: u64 },
}

impl ReadError {
    /// A stable word for the front ends to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::NotATable => "not_a_table",
            ReadError::Undecodable(_) => "undecodable",
            ReadError::WebPage => "web_page",
            ReadError::Password => "password",
            ReadError::Spreadsheet { .. } => "spreadsheet_unreadable",
            ReadError::NoSheets => "no_sheets",
            ReadError::UnknownSheet { .. } => "unknown_sheet",
            ReadError::Empty => "empty",
            ReadError::TooLarge { .. } => "too_large",
            ReadError::TooManyRows => "too_many_rows",
            ReadError::TooManyColumns => "too_many_columns",
            ReadError::TooLargeUnpacked => "too_large_unpacked",
            ReadError::UnclosedQuote { .. } => "unclosed_quote",
        }
    }
}

fn sheet_list(sheets: &[String]) -> String {
    let quoted: Vec<String> = sheets.iter().map(|s| format!("\"{s}\"")).collect();
    quoted.join(", ")
}

/// Reads the file `name` (used for its extension only) whose content is `bytes`.
///
/// What the bytes are decides, then the name: a zip or an OLE2 compound file is a workbook
/// (`.xlsx`, `.xlsm`, `.ods`, `.xls`, `.xlsb`); anything else is text, so a "`.xls`" that a
/// booking system wrote as tab-separated text is read as text, and one that is a web page is
/// [`ReadError::WebPage`].
///
/// Text: the encoding is the byte order mark's (UTF-8, UTF-16 LE/BE), else UTF-8 when the
/// bytes are valid UTF-8, else Windows-1252; the delimiter is the one among comma, semicolon
/// and tab that splits the header row into the most columns (ties: the one that splits the
/// first data rows into as many); quoting is RFC 4180's. Both can be chosen in `options`. A
/// file with NUL bytes or many control characters is [`ReadError::NotATable`].
///
/// Workbooks: the first visible worksheet, or `options.sheet`; see [`Table`] for the shape.
pub fn read_table(name: &str, bytes: &[u8], options: &ReadOptions) -> Result<Table, ReadError> {
    if bytes.len() > MAX_BYTES {
        return Err(ReadError::TooLarge { bytes: bytes.len() });
    }
    if sheet::is_workbook(bytes) {
        sheet::read(name, bytes, options)
    } else {
        text::read(bytes, options)
    }
}

/// Gathers rows as they are read: finds the header, numbers the records, drops trailing empty
/// cells and empty rows, and pads every row to one width at the end.
struct Collect {
    headers: Option<Vec<String>>,
    rows: Vec<Row>,
    records: usize,
    width: usize,
}

fn is_blank(cell: &str) -> bool {
    cell.trim().is_empty()
}

impl Collect {
    fn new() -> Self {
        Self {
            headers: None,
            rows: Vec::new(),
            records: 0,
            width: 0,
        }
    }

    /// Whether a header row has been seen (the next row is a data record).
    fn has_header(&self) -> bool {
        self.headers.is_some()
    }

    /// Counts a row that is known to be entirely empty, without building it.
    fn push_empty(&mut self) {
        if self.headers.is_some() {
            self.records += 1;
        }
    }

    fn push(&mut self, mut cells: Vec<String>) -> Result<(), ReadError> {
        while cells.last().is_some_and(|c| is_blank(c)) {
            cells.pop();
        }
        if self.headers.is_none() {
            if cells.len() > MAX_COLUMNS {
                return Err(ReadError::TooManyColumns);
            }
            if !cells.is_empty() {
                self.width = cells.len();
                self.headers = Some(cells.iter().map(|h| clean_header(h)).collect());
            }
            return Ok(());
        }
        self.records += 1;
        if cells.is_empty() {
            return Ok(());
        }
        if self.rows.len() >= MAX_ROWS {
            return Err(ReadError::TooManyRows);
        }
        if cells.len() > MAX_COLUMNS {
            return Err(ReadError::TooManyColumns);
        }
        self.width = self.width.max(cells.len());
        self.rows.push(Row {
            record: self.records,
            cells,
        });
        Ok(())
    }

    /// The header and the rows, all `width` cells wide.
    fn finish(self) -> Result<(Vec<String>, Vec<Row>), ReadError> {
        let Some(mut headers) = self.headers else {
            return Err(ReadError::Empty);
        };
        let width = self.width;
        headers.resize(width, String::new());
        let mut rows = self.rows;
        for row in &mut rows {
            row.cells.resize(width, String::new());
        }
        Ok((headers, rows))
    }
}

/// A header as matched and shown: trimmed, without byte order marks.
pub(crate) fn clean_header(header: &str) -> String {
    let trimmed = header.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.contains('\u{feff}') {
        trimmed.replace('\u{feff}', "")
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn records_count_empty_rows_but_leave_them_out() {
        let mut collect = Collect::new();
        for row in [
            cells(&[]),
            cells(&["\u{feff} Name ", "Phone", " ", ""]),
            cells(&["Zoë", "0770"]),
            cells(&["", "  ", ""]),
            cells(&["José", "0771", "", "note", ""]),
        ] {
            collect.push(row).expect("push");
        }
        let (headers, rows) = collect.finish().expect("finish");
        assert_eq!(headers, ["Name", "Phone", "", ""]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].record, 1);
        assert_eq!(rows[0].cells, ["Zoë", "0770", "", ""]);
        assert_eq!(rows[1].record, 3, "the empty row keeps its number");
        assert_eq!(rows[1].cells, ["José", "0771", "", "note"]);
    }

    #[test]
    fn rows_are_capped() {
        let mut collect = Collect::new();
        collect.push(cells(&["Phone"])).expect("header");
        for _ in 0..MAX_ROWS {
            collect.push(cells(&["0770"])).expect("under the cap");
        }
        assert_eq!(collect.push(cells(&["0770"])), Err(ReadError::TooManyRows));
    }

    #[test]
    fn nothing_at_all_is_empty() {
        let mut collect = Collect::new();
        collect.push(cells(&["", " "])).expect("push");
        assert_eq!(collect.finish(), Err(ReadError::Empty));
        let error = read_table("x.csv", b"", &ReadOptions::default());
        assert_eq!(error, Err(ReadError::Empty));
    }

    #[test]
    fn messages_say_what_to_do() {
        let unknown = ReadError::UnknownSheet {
            sheet: "Tuesday".into(),
            sheets: cells(&["Monday", "Wednesday"]),
        };
        assert_eq!(
            unknown.to_string(),
            "This spreadsheet has no sheet called \"Tuesday\". Its sheets are: \"Monday\", \"Wednesday\"."
        );
        let large = ReadError::TooLarge {
            bytes: 60 * 1024 * 1024,
        };
        assert!(
            large.to_string().contains("(60 MB; at most 50 MB"),
            "{large}"
        );
        assert!(ReadError::Undecodable(TextEncoding::Utf16Le)
            .to_string()
            .contains("Unicode (UTF-16)"));
        let too_big = vec![b'a'; MAX_BYTES + 1];
        let error = read_table("big.csv", &too_big, &ReadOptions::default());
        assert_eq!(error.map_err(|e| e.code()), Err("too_large"));
    }
}
