//! The do-not-text list: numbers that replied STOP (or asked not to be texted).
//!
//! The send gate asks a [`DoNotText`] list, inside the transaction that writes the message's
//! row ([`crate::store::Store::begin`]), so a STOP recorded by another process can never fall
//! between the check and the send. [`LocalList`] is the list in this computer's store; a list
//! shared by several desks will implement the same trait.

use std::io::Write;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::phone::{self, Country};
use crate::phone_forms::same_phone;
use crate::spreadsheet::{defuse, undefuse, TextError, TextFile, TextOptions, TextRecord};
use crate::store::config::keys;
use crate::store::Store;
use crate::team::Action;
use crate::text_safety;
use crate::time::{local_date, local_time};

/// A list of numbers that must not be texted, asked inside the send's transaction.
pub trait DoNotText: Send + Sync {
    /// The entry for an E.164 number, if it is on the list.
    fn lookup(&self, conn: &Connection, e164: &str) -> Result<Option<OptOut>>;
}

/// The list kept in this computer's store (the `optouts` table).
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalList;

impl DoNotText for LocalList {
    /// The entry of `e164` or of another form of the same phone ([`same_phone`]).
    fn lookup(&self, conn: &Connection, e164: &str) -> Result<Option<OptOut>> {
        let mut stmt = conn.prepare_cached(
            "SELECT number, reason, added_at, message FROM optouts WHERE number = ?1",
        )?;
        for form in same_phone(e164) {
            if let Some(entry) = stmt.query_row([form], row_to_opt_out).optional()? {
                return Ok(Some(entry));
            }
        }
        Ok(None)
    }
}

/// A number on the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OptOut {
    /// E.164.
    pub number: String,
    /// The number grouped for reading (`+1 201-555-0123`).
    pub display: String,
    pub reason: String,
    /// Milliseconds since 1970.
    pub added_at: i64,
    /// The history row it was added from, if any.
    pub message: Option<i64>,
}

impl OptOut {
    /// The error a send to this number is refused with.
    pub fn refusal(&self) -> Error {
        Error::OptedOut {
            number: self.number.clone(),
            shown: self.display.clone(),
            reason: self.reason.clone(),
            since: local_date(self.added_at),
        }
    }
}

/// A number on the list as it now stands, and whether it was there before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Added {
    #[serde(flatten)]
    pub entry: OptOut,
    /// The number was already on the list (it keeps its first date and reason).
    pub already: bool,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OptOutImport {
    /// The data rows in the file (blank lines and the header left out): always `added +
    /// already + not_numbers`.
    pub in_file: u64,
    pub added: u64,
    /// Numbers that were already on the list (left as they were).
    pub already: u64,
    /// Lines that were not numbers, with why.
    pub invalid: Vec<ImportProblem>,
    /// How many lines were not numbers (`invalid` reports the first ones only).
    pub not_numbers: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportProblem {
    /// 1-based line in the file.
    pub line: u64,
    pub text: String,
    pub reason: String,
}

/// A typed number as E.164, or why it is not a number.
pub fn normalize(typed: &str, country: Option<Country>) -> Result<String> {
    let check = phone::validate_for_sending(typed, country);
    match (check.valid, check.e164) {
        (true, Some(e164)) => Ok(e164),
        _ => Err(Error::InvalidPhone {
            reason: check
                .error
                .unwrap_or_else(|| "This number is not valid.".into()),
        }),
    }
}

fn row_to_opt_out(row: &rusqlite::Row<'_>) -> rusqlite::Result<OptOut> {
    let number: String = row.get("number")?;
    Ok(OptOut {
        display: phone::display(&number),
        number,
        reason: row.get("reason")?,
        added_at: row.get("added_at")?,
        message: row.get("message")?,
    })
}

/// The most an import reports line by line; the rest are counted in the last entry.
const MAX_REPORTED_PROBLEMS: usize = 50;

impl Store {
    /// Puts a number on the list (any format; stored as E.164). A number already there keeps
    /// its first date and reason. Returns the entry as it now stands, and whether it was
    /// there before.
    pub fn add_opt_out(
        &self,
        typed: &str,
        reason: &str,
        country: Option<Country>,
        from_message: Option<i64>,
    ) -> Result<Added> {
        let number = normalize(typed, country)?;
        if let Some(entry) = self.opt_out_for(&number)? {
            // On the list already, maybe in its other form (`same_phone`).
            return Ok(Added {
                entry,
                already: true,
            });
        }
        let reason = text_safety::line(reason.trim());
        let now = self.now();
        let team = self.team()?;
        let added = self.write(|tx| {
            let added = tx.execute(
                "INSERT OR IGNORE INTO optouts (number, reason, added_at, message) VALUES (?1, ?2, ?3, ?4)",
                params![number, &*reason, now, from_message],
            )? > 0;
            if let (true, Some(team)) = (added, &team) {
                Store::record_team_change(tx, &team.desk_id, &number, Action::Add, &reason, now)?;
            }
            Ok(added)
        })?;
        let entry = self
            .opt_out_for(&number)?
            .ok_or_else(|| Error::History("the number was not saved".into()))?;
        Ok(Added {
            entry,
            already: !added,
        })
    }

    /// Takes a number off the list (in every form of the same phone, [`same_phone`]); `false`
    /// when it was not on it.
    pub fn remove_opt_out(&self, typed: &str, country: Option<Country>) -> Result<bool> {
        let number = normalize(typed, country)?;
        let now = self.now();
        let team = self.team()?;
        self.write(|tx| {
            let mut removed = false;
            for form in same_phone(&number) {
                if tx.execute("DELETE FROM optouts WHERE number = ?1", [&form])? == 0 {
                    continue;
                }
                removed = true;
                if let Some(team) = &team {
                    let why = format!("Removed at {}", team.desk_name);
                    Store::record_team_change(tx, &team.desk_id, &form, Action::Remove, &why, now)?;
                }
            }
            Ok(removed)
        })
    }

    /// The list entry for an E.164 number, if it is on the list.
    pub fn opt_out_for(&self, e164: &str) -> Result<Option<OptOut>> {
        LocalList.lookup(&self.conn(), e164)
    }

    /// The person confirmed that the do-not-text list is complete after a damaged history:
    /// live sends go on. `true` when the list was marked incomplete.
    pub fn confirm_opt_outs_complete(&self) -> Result<bool> {
        self.remove_config(keys::OPT_OUTS_INCOMPLETE)
    }

    /// The list, newest first; `search` matches digits of the number or words of the reason.
    pub fn opt_outs(&self, search: &str) -> Result<Vec<OptOut>> {
        let search = search.trim();
        let digits: String = search.chars().filter(char::is_ascii_digit).collect();
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT number, reason, added_at, message FROM optouts
             WHERE ?1 = '' OR (?2 <> '' AND number LIKE '%' || ?2 || '%') OR reason LIKE '%' || ?1 || '%'
             ORDER BY added_at DESC, number",
        )?;
        let list = stmt
            .query_map(params![search, digits], row_to_opt_out)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    /// Adds the numbers in a CSV file (`bytes`, any encoding a spreadsheet writes, read by the
    /// reader the bulk import shares, [`TextFile`]): a column headed phone/number/mobile...
    /// (else the first column), an optional reason column (else the second column when there
    /// is no header). The header is recognised strictly: a first row
    /// that holds a phone number is data. A file that cannot be read whole (an unclosed quote,
    /// too many rows) adds nothing. A list marked incomplete after a damaged history counts as
    /// re-imported.
    pub fn import_opt_outs(&self, bytes: &[u8], country: Option<Country>) -> Result<OptOutImport> {
        let rows = read_opt_out_rows(bytes, country)?;
        let report = self.import_opt_out_rows(rows)?;
        self.remove_config(keys::OPT_OUTS_INCOMPLETE)?;
        Ok(report)
    }

    /// Adds the rows in one transaction: every row is counted once, as added, already on the
    /// list (a number twice in the file is added once) or not a number.
    fn import_opt_out_rows(&self, rows: Vec<ImportRow>) -> Result<OptOutImport> {
        let now = self.now();
        let mut report = OptOutImport {
            in_file: u64::try_from(rows.len()).unwrap_or(u64::MAX),
            ..OptOutImport::default()
        };
        let team = self.team()?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO optouts (number, reason, added_at, message) VALUES (?1, ?2, ?3, NULL)",
            )?;
            for row in rows {
                match row.number {
                    Ok(number) => {
                        if insert.execute(params![number, row.reason, now])? > 0 {
                            if let Some(team) = &team {
                                Store::record_team_change(
                                    &tx,
                                    &team.desk_id,
                                    &number,
                                    Action::Add,
                                    &row.reason,
                                    now,
                                )?;
                            }
                            report.added += 1;
                        } else {
                            report.already += 1;
                        }
                    }
                    Err(reason) => {
                        report.not_numbers += 1;
                        if report.invalid.len() < MAX_REPORTED_PROBLEMS {
                            report.invalid.push(ImportProblem {
                                line: row.line,
                                text: row.typed,
                                reason,
                            });
                        }
                    }
                }
            }
        }
        tx.commit()?;
        let unreported = report.not_numbers - u64::try_from(report.invalid.len()).unwrap_or(0);
        if unreported > 0 {
            report.invalid.push(ImportProblem {
                line: 0,
                text: String::new(),
                reason: format!("…and {unreported} more lines that are not phone numbers."),
            });
        }
        Ok(report)
    }

    /// The list as CSV (UTF-8 with a byte-order mark): number, reason, date added.
    pub fn export_opt_outs(&self, out: impl Write) -> Result<u64> {
        let list = self.opt_outs("")?;
        let mut out = out;
        let fail = |e: &dyn std::fmt::Display| Error::FileNotSaved {
            file: "the CSV file".into(),
            reason: e.to_string(),
        };
        out.write_all(b"\xEF\xBB\xBF").map_err(|e| fail(&e))?;
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        csv.write_record(["Number", "Reason", "Date added"])
            .map_err(|e| fail(&e))?;
        for entry in &list {
            csv.write_record([
                defuse(&entry.number).as_str(),
                defuse(&entry.reason).as_str(),
                local_time(entry.added_at).as_str(),
            ])
            .map_err(|e| fail(&e))?;
        }
        csv.flush().map_err(|e| fail(&e))?;
        Ok(u64::try_from(list.len()).unwrap_or(u64::MAX))
    }
}

/// One data row of an import file, its number checked.
struct ImportRow {
    line: u64,
    typed: String,
    reason: String,
    /// E.164, or why it is not a number.
    number: std::result::Result<String, String>,
}

/// The most rows an import file may hold (a list of numbers that long is no do-not-text list).
pub const MAX_IMPORT_ROWS: usize = 200_000;

/// Every data row of the file, or why the file cannot be read whole (nothing is added then).
fn read_opt_out_rows(bytes: &[u8], country: Option<Country>) -> Result<Vec<ImportRow>> {
    let unreadable = |reason: String| Error::FileUnreadable {
        file: "the CSV file".into(),
        reason,
    };
    let file =
        TextFile::decode(bytes, TextOptions::default()).map_err(|e| unreadable(e.to_string()))?;
    let mut rows = Vec::new();
    let mut columns: Option<(usize, Option<usize>)> = None;
    file.records(|record| {
        if record.iter().all(|cell| cell.trim().is_empty()) {
            return Ok(());
        }
        let (number_col, reason_col) = match columns {
            Some(cols) => cols,
            None => {
                let found = header_columns(&record);
                columns = Some(found.unwrap_or((0, Some(1))));
                if found.is_some() {
                    return Ok(());
                }
                (0, Some(1))
            }
        };
        if rows.len() >= MAX_IMPORT_ROWS {
            return Err(ReadStop::TooManyRows);
        }
        // A list SMS Desk exported has its cells defused (`'+12015550123`): read back as typed.
        let cell = |c: usize| record.get(c).map(|v| undefuse(v.trim()));
        let typed = text_safety::line(cell(number_col).unwrap_or_default()).into_owned();
        let reason = reason_col
            .and_then(cell)
            .map(|r| text_safety::line(r).into_owned())
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "Imported".to_owned());
        let number = normalize(&typed, country).map_err(|e| e.to_string());
        rows.push(ImportRow {
            line: record.line,
            typed,
            reason,
            number,
        });
        Ok(())
    })
    .map_err(|e| match e {
        ReadStop::Text(e @ TextError::UnclosedQuote { .. }) => Error::ImportRefused {
            reason: e.to_string(),
        },
        ReadStop::Text(e) => unreadable(e.to_string()),
        ReadStop::TooManyRows => Error::ImportRefused {
            reason: format!(
                "the file has more than {MAX_IMPORT_ROWS} rows, too many for a list of numbers"
            ),
        },
    })?;
    Ok(rows)
}

/// Why the reading of an import file stopped.
enum ReadStop {
    Text(TextError),
    TooManyRows,
}

impl From<TextError> for ReadStop {
    fn from(e: TextError) -> Self {
        ReadStop::Text(e)
    }
}

/// The words a number column's heading is made of (whole words, any case).
const NUMBER_HEADINGS: [&str; 10] = [
    "phone",
    "number",
    "mobile",
    "cell",
    "cellphone",
    "tel",
    "telephone",
    "msisdn",
    "e164",
    "sms",
];
const REASON_HEADINGS: [&str; 5] = ["reason", "note", "notes", "comment", "comments"];

/// The number and reason columns, when the first row is a header row: no cell holds a digit
/// (so no phone number), and one cell is a heading of at most three words, one of them such as
/// "phone" or "tel" ("Mobile phone", "Tel."; whole words: "Appointment cancelled" is no heading).
fn header_columns(record: &TextRecord<'_>) -> Option<(usize, Option<usize>)> {
    if record
        .iter()
        .any(|cell| cell.chars().any(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let find = |names: &[&str]| {
        record.iter().position(|cell| {
            let words: Vec<String> = cell
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            words.len() <= 3 && words.iter().any(|w| names.contains(&w.as_str()))
        })
    };
    let number = find(&NUMBER_HEADINGS)?;
    Some((number, find(&REASON_HEADINGS)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us() -> Option<Country> {
        Country::parse("US").ok()
    }

    #[test]
    fn numbers_are_stored_once_as_e164() {
        let dir = tempfile::tempdir().expect("temp dir");
        let history = Store::open(dir.path()).expect("open");
        let first = history
            .add_opt_out("(201) 555-0123", "Replied STOP", us(), None)
            .expect("add");
        assert_eq!(first.entry.number, "+12015550123");
        assert!(!first.already);
        let again = history
            .add_opt_out("+1 201 555 0123", "Asked by phone", us(), None)
            .expect("add again");
        assert_eq!(
            again.entry, first.entry,
            "the first date and reason are kept"
        );
        assert!(again.already);
        assert!(history.add_opt_out("12", "", us(), None).is_err());
        assert_eq!(history.opt_outs("555-01").expect("search").len(), 1);
        assert_eq!(history.opt_outs("stop").expect("search").len(), 1);
        assert!(history.opt_outs("phone").expect("search").is_empty());
        assert!(history.remove_opt_out("2015550123", us()).expect("remove"));
        assert!(!history.remove_opt_out("2015550123", us()).expect("gone"));
    }

    #[test]
    fn csv_import_finds_the_columns_and_reports_bad_lines() {
        let dir = tempfile::tempdir().expect("temp dir");
        let history = Store::open(dir.path()).expect("open");
        let text = "\u{feff}Name,Mobile phone,Reason\nJane,(201) 555-0123,Replied STOP\nBob,not a number,\n\nAl,+1 201 555 0124,\nJane again,201-555-0123,dup\n";
        let report = history
            .import_opt_outs(text.as_bytes(), us())
            .expect("import");
        assert_eq!(report.in_file, 4);
        assert_eq!(report.added, 2);
        assert_eq!(report.already, 1);
        assert_eq!(report.invalid.len(), 1);
        assert_eq!(report.invalid[0].line, 3);
        assert_eq!(report.not_numbers, 1);
        let jane = history
            .opt_out_for("+12015550123")
            .expect("read")
            .expect("on the list");
        assert_eq!(jane.reason, "Replied STOP");
        let al = history
            .opt_out_for("+12015550124")
            .expect("read")
            .expect("on the list");
        assert_eq!(al.reason, "Imported");

        let headerless = history
            .import_opt_outs(b"+12015550125,Complained\n", us())
            .expect("import");
        assert_eq!(headerless.added, 1);

        let mut out = Vec::new();
        assert_eq!(history.export_opt_outs(&mut out).expect("export"), 3);
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("\u{feff}Number,Reason,Date added\r\n"));
        assert!(text.contains("'+12015550125,Complained,"), "{text}");
        let again = history
            .import_opt_outs(text.as_bytes(), us())
            .expect("an exported list reads back");
        assert_eq!((again.in_file, again.already), (3, 3), "{again:?}");
    }

    #[test]
    fn a_first_row_with_a_number_is_data_even_when_it_says_cell() {
        let dir = tempfile::tempdir().expect("temp dir");
        let history = Store::open(dir.path()).expect("open");
        let text = "+12015550123,Appointment cancelled\n+12015550124,Tel. asked\n";
        let report = history
            .import_opt_outs(text.as_bytes(), us())
            .expect("import");
        assert_eq!((report.in_file, report.added), (2, 2), "{report:?}");
        let first = history
            .opt_out_for("+12015550123")
            .expect("read")
            .expect("the first row is kept");
        assert_eq!(first.reason, "Appointment cancelled", "nothing shifted");

        for heading in [
            "Cell",
            "Tel.",
            "Mobile phone",
            "PHONE NUMBER",
            "Patient,Telephone",
        ] {
            let file = format!("{heading}\n+12015550125\n");
            let report = history
                .import_opt_outs(file.as_bytes(), us())
                .expect("import");
            assert_eq!(report.in_file, 1, "{heading:?} is a header: {report:?}");
        }
        let not_heading = history
            .import_opt_outs(b"Cancelled by cellphone call\n", us())
            .expect("import");
        assert_eq!(
            (not_heading.in_file, not_heading.not_numbers),
            (1, 1),
            "a long sentence is no heading: it is counted, not dropped"
        );
    }

    #[test]
    fn an_unclosed_quote_is_an_error_with_its_line_and_adds_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let history = Store::open(dir.path()).expect("open");
        let text = "Phone,Reason\n+12015550123,Replied STOP\n+12015550124,\"Said \n+12015550125,x\n+12015550126,y\n";
        let error = history
            .import_opt_outs(text.as_bytes(), us())
            .expect_err("an unclosed quote");
        let said = error.to_string();
        assert!(said.contains("line 3"), "{said}");
        assert!(said.contains("never closed"), "{said}");
        assert!(
            history.opt_outs("").expect("list").is_empty(),
            "nothing imported from a file read wrong"
        );
    }

    #[test]
    fn the_counts_always_add_up() {
        let dir = tempfile::tempdir().expect("temp dir");
        let history = Store::open(dir.path()).expect("open");
        history
            .add_opt_out("+12015550123", "STOP", us(), None)
            .expect("add");
        let text = "Number\n+12015550123\n+12015550124\n+12015550124\nnope\n\n12\n";
        let r = history
            .import_opt_outs(text.as_bytes(), us())
            .expect("import");
        assert_eq!(r.in_file, 5, "{r:?}");
        assert_eq!((r.added, r.already, r.not_numbers), (1, 2, 2), "{r:?}");
        assert_eq!(r.added + r.already + r.not_numbers, r.in_file);
    }

    #[test]
    fn every_cell_that_could_start_a_formula_is_defused_on_export() {
        let dir = tempfile::tempdir().expect("temp dir");
        let history = Store::open(dir.path()).expect("open");
        for (number, reason) in [
            ("+12015550123", "=HYPERLINK(\"http://x\")"),
            ("+12015550124", "\t=1+1"),
            ("+12015550125", "\r@SUM(A1)"),
            ("+12015550126", "-2+3"),
        ] {
            history
                .conn()
                .execute(
                    "INSERT INTO optouts (number, reason, added_at) VALUES (?1, ?2, 0)",
                    params![number, reason],
                )
                .expect("insert");
        }
        let mut out = Vec::new();
        history.export_opt_outs(&mut out).expect("export");
        let text = String::from_utf8(out).expect("utf-8");
        let file = TextFile::decode(text.as_bytes(), TextOptions::default()).expect("reads");
        let mut cells = Vec::new();
        file.records(|r| {
            cells.extend(r.iter().map(str::to_owned));
            Ok::<(), TextError>(())
        })
        .expect("records");
        for cell in cells.iter().skip(3) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {text}"
            );
        }
    }
}
