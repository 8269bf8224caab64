//! CSV files, both ways: the one reader of CSV and tab-separated text that the bulk import
//! ([`crate::bulk::table`]) and the do-not-text import ([`crate::do_not_text`]) share, and the
//! defusing of cells written for spreadsheet programs.
//!
//! **Reading** ([`TextFile::decode`], then [`TextFile::records`]): the encoding is the byte
//! order mark's (UTF-8, UTF-16 LE/BE), else UTF-8 when the bytes are valid UTF-8, else
//! Windows-1252 (what Excel's plain "CSV" writes in Western Europe and the Americas); the
//! delimiter is the one among comma, semicolon and tab that splits the first row into the
//! most columns (ties: the one that splits the next rows into as many); quoting is RFC 4180's,
//! through the `csv` crate. Both can be chosen instead ([`TextOptions`]). A file with NUL bytes
//! or many control characters is [`TextError::NotText`], a web page [`TextError::Markup`].
//!
//! A quote that opens a cell and is never closed makes the `csv` crate read every later line
//! into that one cell, silently: [`TextFile::records`] finds it (only the last record can hold
//! it, since it runs to the end) and answers [`TextError::UnclosedQuote`] with the line where
//! the quote opened, after the records, so a caller that keeps what it read until the end
//! imports nothing from such a file.
//!
//! **Writing** ([`defuse`]): a cell that Excel, LibreOffice or Google Sheets would run as a
//! formula gets a leading apostrophe; [`undefuse`] takes it off again when such a file is
//! read back.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// How a text file's bytes are turned into characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 without a byte order mark.
    Utf8,
    /// UTF-8 starting with a byte order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little-endian with a byte order mark (Excel's "Unicode text" on Windows).
    Utf16Le,
    /// UTF-16 big-endian with a byte order mark.
    Utf16Be,
    /// Windows-1252, what Excel's plain "CSV" writes in Western Europe and the Americas.
    Windows1252,
}

impl TextEncoding {
    /// Every encoding, in the order a picker shows them.
    pub const ALL: [TextEncoding; 5] = [
        TextEncoding::Utf8,
        TextEncoding::Utf8Bom,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16Be,
        TextEncoding::Windows1252,
    ];

    /// The encoding's name in plain words, for the screen.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (with BOM)",
            TextEncoding::Utf16Le => "Unicode (UTF-16)",
            TextEncoding::Utf16Be => "Unicode (UTF-16 big-endian)",
            TextEncoding::Windows1252 => "Western (Windows-1252)",
        }
    }
}

/// What the person chose instead of what is detected (`Default`: both detected).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextOptions {
    pub encoding: Option<TextEncoding>,
    /// The delimiter byte (`b','`, `b';'`, `b'\t'`...).
    pub delimiter: Option<u8>,
}

/// Why a text file cannot be read as a table. Each caller says it in its own words (what to
/// do differs for a list of appointments and a do-not-text list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TextError {
    #[error("the file cannot be read as {} text", .0.label())]
    Undecodable(TextEncoding),
    #[error("the file is not text (it has NUL bytes or many control characters)")]
    NotText,
    #[error("the file is a web page or an XML file")]
    Markup,
    /// A quote mark opened a cell on this line (1-based) and is never closed.
    #[error("the quote mark (\") on line {line} is never closed")]
    UnclosedQuote { line: u64 },
}

const BOM_UTF8: &[u8] = &[0xEF, 0xBB, 0xBF];
const BOM_UTF16LE: &[u8] = &[0xFF, 0xFE];
const BOM_UTF16BE: &[u8] = &[0xFE, 0xFF];

/// The delimiters tried, in the order a tie is decided.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];
/// How many records after the first the delimiter detection looks at.
const SAMPLE_RECORDS: usize = 20;
/// How many characters the binary check looks at.
const SNIFF_CHARS: usize = 64 * 1024;

/// A text file decoded, with the delimiter its records are split on.
#[derive(Debug, Clone)]
pub struct TextFile<'a> {
    text: Cow<'a, str>,
    pub encoding: TextEncoding,
    pub delimiter: u8,
}

/// One record (one row, which may span lines inside quotes).
#[derive(Debug, Clone, Copy)]
pub struct TextRecord<'r> {
    /// The 1-based line of the file the record starts on.
    pub line: u64,
    /// The 1-based record number; blank lines are no record.
    pub number: u64,
    fields: &'r csv::StringRecord,
}

impl<'r> TextRecord<'r> {
    /// The cells, exactly as in the file (unquoted, not trimmed).
    pub fn iter(&self) -> impl Iterator<Item = &'r str> {
        self.fields.iter()
    }

    pub fn get(&self, index: usize) -> Option<&'r str> {
        self.fields.get(index)
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

impl<'a> TextFile<'a> {
    /// `bytes` as text: the encoding and the delimiter detected (or as chosen), a file that
    /// is no text refused.
    pub fn decode(bytes: &'a [u8], options: TextOptions) -> Result<Self, TextError> {
        let (text, encoding) = match options.encoding {
            Some(chosen) => (decode_as(bytes, chosen)?, chosen),
            None => detect_and_decode(bytes)?,
        };
        if looks_binary(&text) {
            return Err(TextError::NotText);
        }
        if looks_like_markup(&text) {
            return Err(TextError::Markup);
        }
        let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(&text));
        Ok(Self {
            text,
            encoding,
            delimiter,
        })
    }

    /// The decoded text (without a byte order mark).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Gives every record to `visit`, in order, then says whether the file ends inside a
    /// quoted cell ([`TextError::UnclosedQuote`]). `visit` may stop the reading with its own
    /// error. Keep what `visit` gathers until this returns `Ok`, to import nothing from a
    /// file whose end is inside quotes.
    pub fn records<E: From<TextError>>(
        &self,
        mut visit: impl FnMut(TextRecord<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let text: &str = &self.text;
        let mut reader = reader(text, self.delimiter);
        let mut fields = csv::StringRecord::new();
        let mut lines = LineCounter::new(text);
        let mut last_start = None;
        let mut number = 0u64;
        loop {
            match reader.read_record(&mut fields) {
                Ok(true) => {}
                Ok(false) => break,
                // The input is a `str` and every delimiter is ASCII: a record cannot fail to
                // be UTF-8, and the reader is flexible; there is nothing else to fail.
                Err(_) => return Err(TextError::Undecodable(self.encoding).into()),
            }
            let at = fields
                .position()
                .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
            // A record's position may be on the line break(s) before it.
            let start = skip_line_breaks(text, at);
            last_start = Some(start);
            number += 1;
            visit(TextRecord {
                line: lines.line_at(start),
                number,
                fields: &fields,
            })?;
        }
        if let Some(start) = last_start {
            if let Some(quote) = unclosed_quote(text, start, self.delimiter) {
                let line = LineCounter::new(text).line_at(quote);
                return Err(TextError::UnclosedQuote { line }.into());
            }
        }
        Ok(())
    }
}

fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

/// The first byte at or after `at` that is not a line break (a char boundary: line breaks are
/// ASCII).
fn skip_line_breaks(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = at.min(bytes.len());
    while i < bytes.len() && matches!(bytes[i], b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// Line numbers of byte offsets asked in increasing order: CR LF, a lone LF and a lone CR each
/// end a line, as text editors count them.
struct LineCounter<'t> {
    bytes: &'t [u8],
    at: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line of byte `offset` (not before the last one asked).
    fn line_at(&mut self, offset: usize) -> u64 {
        let end = offset.min(self.bytes.len());
        while self.at < end {
            match self.bytes[self.at] {
                b'\n' => self.line += 1,
                b'\r' if self.bytes.get(self.at + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
            self.at += 1;
        }
        self.line
    }
}

/// Where the quote that opens a cell and is never closed is, in the record starting at
/// `start` (the last one): the quoting rules of the `csv` crate's reader (RFC 4180, `""`
/// inside quotes is one quote, a quote inside an unquoted cell is an ordinary character).
fn unclosed_quote(text: &str, start: usize, delimiter: u8) -> Option<usize> {
    #[derive(Clone, Copy)]
    enum State {
        /// At the start of a cell.
        Start,
        /// Inside an unquoted cell.
        Plain,
        /// Inside a quoted cell opened at this byte.
        Quoted(usize),
        /// Just after a quote inside a quoted cell opened at this byte: the end of the
        /// quotes, or the first of `""`.
        QuoteInQuoted(usize),
    }
    let mut state = State::Start;
    for (i, &byte) in text.as_bytes().iter().enumerate().skip(start) {
        state = match (state, byte) {
            (State::Start, b'"') => State::Quoted(i),
            (State::Quoted(open), b'"') => State::QuoteInQuoted(open),
            (State::Quoted(open), _) => State::Quoted(open),
            (State::QuoteInQuoted(open), b'"') => State::Quoted(open),
            (_, b'\r' | b'\n') => State::Start,
            (_, b) if b == delimiter => State::Start,
            _ => State::Plain,
        };
    }
    match state {
        State::Quoted(open) => Some(open),
        _ => None,
    }
}

/// The byte order mark's encoding, else UTF-8 when the bytes are valid UTF-8, else
/// Windows-1252.
fn detect_and_decode(bytes: &[u8]) -> Result<(Cow<'_, str>, TextEncoding), TextError> {
    let encoding = if bytes.starts_with(BOM_UTF8) {
        TextEncoding::Utf8Bom
    } else if bytes.starts_with(BOM_UTF16LE) {
        TextEncoding::Utf16Le
    } else if bytes.starts_with(BOM_UTF16BE) {
        TextEncoding::Utf16Be
    } else if std::str::from_utf8(bytes).is_ok() {
        TextEncoding::Utf8
    } else {
        TextEncoding::Windows1252
    };
    Ok((decode_as(bytes, encoding)?, encoding))
}

/// `bytes` read as `encoding`, without its byte order mark; strict except for Windows-1252,
/// where every byte is a character.
fn decode_as(bytes: &[u8], encoding: TextEncoding) -> Result<Cow<'_, str>, TextError> {
    let (lib, bom): (&'static Encoding, &[u8]) = match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => (UTF_8, BOM_UTF8),
        TextEncoding::Utf16Le => (UTF_16LE, BOM_UTF16LE),
        TextEncoding::Utf16Be => (UTF_16BE, BOM_UTF16BE),
        TextEncoding::Windows1252 => {
            return Ok(WINDOWS_1252.decode_without_bom_handling(bytes).0);
        }
    };
    let body = bytes.strip_prefix(bom).unwrap_or(bytes);
    lib.decode_without_bom_handling_and_without_replacement(body)
        .ok_or(TextError::Undecodable(encoding))
}

/// NUL characters, or more than 1 in 100 control characters other than tab, line breaks and
/// form feed: a program's file, not text.
fn looks_binary(text: &str) -> bool {
    let mut chars = 0usize;
    let mut controls = 0usize;
    for c in text.chars().take(SNIFF_CHARS) {
        if c == '\0' {
            return true;
        }
        chars += 1;
        let control = (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
            || c == char::REPLACEMENT_CHARACTER;
        if control {
            controls += 1;
        }
    }
    controls * 100 > chars
}

/// A web page or an XML spreadsheet saved as `.xls` (booking systems and old Excel do it).
fn looks_like_markup(text: &str) -> bool {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if !start.starts_with('<') {
        return false;
    }
    let head: String = start.chars().take(2048).collect::<String>().to_lowercase();
    ["<html", "<table", "<!doctype", "<?xml", "<workbook"]
        .iter()
        .any(|tag| head.contains(tag))
}

/// The delimiter that splits the first row into the most columns; a tie goes to the one
/// whose next records have as many fields as the first, then to the earlier in comma,
/// semicolon, tab. A single column is read with commas.
fn detect_delimiter(text: &str) -> u8 {
    let mut best = (b',', 1usize, 0usize);
    for delimiter in DELIMITERS {
        let (columns, agreeing) = sample(text, delimiter);
        if columns > best.1 || (columns == best.1 && columns > 1 && agreeing > best.2) {
            best = (delimiter, columns, agreeing);
        }
    }
    best.0
}

fn is_blank(cell: &str) -> bool {
    cell.trim().is_empty()
}

/// The first row's column count (trailing empty cells left out) and how many of the next
/// records have that many fields or more, when split on `delimiter`.
fn sample(text: &str, delimiter: u8) -> (usize, usize) {
    let mut reader = reader(text, delimiter);
    let mut record = csv::StringRecord::new();
    let mut header: Option<usize> = None;
    let mut agreeing = 0;
    let mut seen = 0;
    while seen < SAMPLE_RECORDS && reader.read_record(&mut record).unwrap_or(false) {
        let filled = record
            .iter()
            .enumerate()
            .filter(|(_, c)| !is_blank(c))
            .last()
            .map_or(0, |(i, _)| i + 1);
        match header {
            None if filled == 0 => {}
            None => header = Some(filled),
            Some(columns) => {
                seen += 1;
                if filled == 0 {
                    continue;
                }
                if record.len() >= columns {
                    agreeing += 1;
                }
            }
        }
    }
    (header.unwrap_or(0), agreeing)
}

/// The characters that make a spreadsheet program read a cell as a formula: `=`, `+`, `-`,
/// `@`, and their full-width forms, which Excel in Chinese, Japanese and Korean takes as the
/// same.
const FORMULA_STARTS: [char; 8] = [
    '=', '+', '-', '@', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// Whether a spreadsheet program could read `text` as a formula (or as its "text" prefix):
/// it starts with a tab, a carriage return or a line feed (Excel drops them and reads what
/// follows), with an apostrophe (Excel's prefix: escaped so that [`undefuse`] gives the text
/// back exactly), or with a formula character after any leading spaces (Google Sheets and
/// LibreOffice trim spaces on import, and Excel reads ` =1+1` typed into a cell as a formula
/// too).
fn needs_defusing(text: &str) -> bool {
    if text.starts_with(['\t', '\r', '\n', '\'']) {
        return true;
    }
    text.trim_start().starts_with(FORMULA_STARTS)
}

/// `text`, with a leading apostrophe when a spreadsheet program could run it as a formula
/// (see `needs_defusing`): the apostrophe is Excel's "this is text" prefix, which it hides. A
/// phone number `+12015550123` is defused too: `+` starts a formula (a grouped
/// `+1 201 555 0123` is a `#NULL!` error in Excel), and as text Excel keeps its `+` and all
/// its digits instead of showing `1.20156E+10`.
pub fn defuse(text: &str) -> String {
    if needs_defusing(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// A cell of a file [`defuse`] wrote, as it was before: the apostrophe taken off where
/// `defuse` would have put it. Any other text is unchanged.
pub fn undefuse(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_defusing(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Result<Vec<(u64, Vec<String>)>, TextError> {
        let file = TextFile::decode(text.as_bytes(), TextOptions::default())?;
        let mut all = Vec::new();
        file.records(|r| {
            all.push((r.line, r.iter().map(str::to_owned).collect()));
            Ok::<(), TextError>(())
        })?;
        Ok(all)
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("-5 off"), "'-5 off");
        assert_eq!(defuse("\tcmd"), "'\tcmd");
        assert_eq!(defuse("\r=1+1"), "'\r=1+1");
        assert_eq!(defuse("\n=1+1"), "'\n=1+1");
        assert_eq!(defuse("  =1+1"), "'  =1+1", "after leading spaces");
        assert_eq!(defuse("\u{a0}@SUM(A1)"), "'\u{a0}@SUM(A1)");
        assert_eq!(defuse("\u{FF1D}1+1"), "'\u{FF1D}1+1", "full-width =");
        assert_eq!(defuse("+12015550123"), "'+12015550123");
        assert_eq!(defuse("'quoted"), "''quoted");
        assert_eq!(defuse("Hi Jane"), "Hi Jane");
        assert_eq!(defuse("Jane = Bob"), "Jane = Bob");
        assert_eq!(defuse(""), "");
    }

    #[test]
    fn undefuse_gives_the_text_back() {
        for text in [
            "=1+1",
            "+12015550123",
            "'",
            "''",
            "'=x",
            " -3",
            "\t",
            "plain",
            "",
            "don't",
        ] {
            assert_eq!(undefuse(&defuse(text)), text, "{text:?}");
        }
        assert_eq!(undefuse("'plain"), "'plain", "not written by defuse");
    }

    #[test]
    fn an_unclosed_quote_is_found_with_its_line() {
        let text = "Phone,Reason\n+12015550123,\"Replied STOP\n+12015550124,x\n+12015550125,y\n";
        assert_eq!(records(text), Err(TextError::UnclosedQuote { line: 2 }));
        let crlf = "Phone,Reason\r\n\r\n+1,ok\r\n+2,\"a \"\"b\"\" c\r\n+3,x\r\n";
        assert_eq!(records(crlf), Err(TextError::UnclosedQuote { line: 4 }));
        let semicolon = "a;b\n1;\"x;y\n";
        assert_eq!(
            records(semicolon),
            Err(TextError::UnclosedQuote { line: 2 })
        );
        assert_eq!(records("\"open"), Err(TextError::UnclosedQuote { line: 1 }));
    }

    #[test]
    fn closed_and_literal_quotes_are_fine() {
        let text = "a,b\n\"x\ny\",\"say \"\"hi\"\"\"\nplain \"quote,z\n\"closed\"after,w";
        let read = records(text).expect("reads");
        assert_eq!(read.len(), 4);
        assert_eq!(
            read[1],
            (2, vec!["x\ny".to_owned(), "say \"hi\"".to_owned()])
        );
        assert_eq!(
            read[2],
            (4, vec!["plain \"quote".to_owned(), "z".to_owned()])
        );
        assert_eq!(read[3].0, 5);
        assert_eq!(records("a,\"\"").expect("an empty quoted cell").len(), 1);
        assert_eq!(records("").expect("nothing").len(), 0);
    }

    #[test]
    fn lines_count_blank_lines_and_every_line_break() {
        let read = records("\n\na\r\n\r\nb\rc\n").expect("reads");
        let lines: Vec<u64> = read.iter().map(|r| r.0).collect();
        assert_eq!(lines, [3, 5, 6]);
    }

    #[test]
    fn what_is_not_text_is_refused() {
        let decode = |b: &[u8]| TextFile::decode(b, TextOptions::default()).map(|_| ());
        assert_eq!(decode(b"PK\x03\x04\0\0"), Err(TextError::NotText));
        assert_eq!(
            decode(b"<html><table></table></html>"),
            Err(TextError::Markup)
        );
        assert_eq!(
            decode(&[0xFF, 0xFE, b'a']),
            Err(TextError::Undecodable(TextEncoding::Utf16Le))
        );
    }
}
