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
use crate::spreadsheet::defuse;
use crate::store::config::keys;
use crate::store::Store;
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
    fn lookup(&self, conn: &Connection, e164: &str) -> Result<Option<OptOut>> {
        Ok(conn
            .prepare_cached(
                "SELECT number, reason, added_at, message FROM optouts WHERE number = ?1",
            )?
            .query_row([e164], row_to_opt_out)
            .optional()?)
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
        let added = self.insert_opt_out(&number, reason.trim(), self.now(), from_message)?;
        let entry = self
            .opt_out_for(&number)?
            .ok_or_else(|| Error::History("the number was not saved".into()))?;
        Ok(Added {
            entry,
            already: !added,
        })
    }

    /// `true` when it was added, `false` when it was already on the list.
    fn insert_opt_out(
        &self,
        number: &str,
        reason: &str,
        added_at: i64,
        message: Option<i64>,
    ) -> Result<bool> {
        let added = self.conn().execute(
            "INSERT OR IGNORE INTO optouts (number, reason, added_at, message) VALUES (?1, ?2, ?3, ?4)",
            params![number, reason, added_at, message],
        )?;
        Ok(added > 0)
    }

    /// Takes a number off the list; `false` when it was not on it.
    pub fn remove_opt_out(&self, typed: &str, country: Option<Country>) -> Result<bool> {
        let number = normalize(typed, country)?;
        let removed = self
            .conn()
            .execute("DELETE FROM optouts WHERE number = ?1", [number])?;
        Ok(removed > 0)
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

    /// Adds the numbers in a CSV file: a column headed phone/number/mobile (else the first
    /// column), an optional reason column (else the second column when there is no header).
    /// A list marked incomplete after a damaged history counts as re-imported.
    pub fn import_opt_outs(&self, text: &str, country: Option<Country>) -> Result<OptOutImport> {
        let report = self.import_opt_out_lines(text, country)?;
        self.remove_config(keys::OPT_OUTS_INCOMPLETE)?;
        Ok(report)
    }

    fn import_opt_out_lines(&self, text: &str, country: Option<Country>) -> Result<OptOutImport> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut report = OptOutImport::default();
        let mut columns: Option<(usize, Option<usize>)> = None;
        let now = self.now();
        let mut not_reported = 0u64;
        for (index, record) in reader.records().enumerate() {
            let line = u64::try_from(index).unwrap_or(u64::MAX).saturating_add(1);
            let record = record.map_err(|e| Error::FileUnreadable {
                file: "the CSV file".into(),
                reason: e.to_string(),
            })?;
            if record.iter().all(str::is_empty) {
                continue;
            }
            let (number_col, reason_col) = match columns {
                Some(cols) => cols,
                None => {
                    let found = header_columns(&record);
                    columns = Some(found.unwrap_or((0, Some(1))));
                    if found.is_some() {
                        continue;
                    }
                    (0, Some(1))
                }
            };
            let typed = record.get(number_col).unwrap_or_default();
            let reason = reason_col
                .and_then(|c| record.get(c))
                .filter(|r| !r.is_empty())
                .unwrap_or("Imported");
            let number = normalize(typed, country);
            if number.is_err() {
                report.not_numbers += 1;
            }
            match number {
                Ok(number) => {
                    if self.insert_opt_out(&number, reason, now, None)? {
                        report.added += 1;
                    } else {
                        report.already += 1;
                    }
                }
                Err(e) if report.invalid.len() < MAX_REPORTED_PROBLEMS => {
                    report.invalid.push(ImportProblem {
                        line,
                        text: typed.to_owned(),
                        reason: e.to_string(),
                    });
                }
                Err(_) => not_reported += 1,
            }
        }
        if not_reported > 0 {
            report.invalid.push(ImportProblem {
                line: 0,
                text: String::new(),
                reason: format!("…and {not_reported} more lines that are not phone numbers."),
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
                entry.number.as_str(),
                defuse(&entry.reason).as_str(),
                local_time(entry.added_at).as_str(),
            ])
            .map_err(|e| fail(&e))?;
        }
        csv.flush().map_err(|e| fail(&e))?;
        Ok(u64::try_from(list.len()).unwrap_or(u64::MAX))
    }
}

/// A header row's number and reason columns, if `record` is a header row.
fn header_columns(record: &csv::StringRecord) -> Option<(usize, Option<usize>)> {
    let find = |names: &[&str]| {
        record.iter().position(|cell| {
            let cell = cell.to_ascii_lowercase();
            names.iter().any(|name| cell.contains(name))
        })
    };
    let number = find(&["phone", "number", "mobile", "cell", "tel"])?;
    Some((number, find(&["reason", "note", "comment"])))
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
        let report = history.import_opt_outs(text, us()).expect("import");
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
            .import_opt_outs("+12015550125,Complained\n", us())
            .expect("import");
        assert_eq!(headerless.added, 1);

        let mut out = Vec::new();
        assert_eq!(history.export_opt_outs(&mut out).expect("export"), 3);
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("\u{feff}Number,Reason,Date added\r\n"));
        assert!(text.contains("+12015550125,Complained,"));
    }
}
