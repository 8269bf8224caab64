//! The filtered history as a CSV file that spreadsheet programs open correctly: UTF-8 with a
//! byte-order mark (Excel needs it to read accents and emoji), one row per message, local times.

use std::io::Write;

use super::entry::{Entry, COLUMNS};
use super::Filter;
use crate::error::{Error, Result};
use crate::spreadsheet::defuse as cell;
use crate::store::Store;
use crate::time::local_time;

const BOM: &[u8] = b"\xEF\xBB\xBF";

const HEADER: [&str; 15] = [
    "Date",
    "To",
    "Name",
    "Message",
    "Channel",
    "Teammate",
    "Template",
    "Result",
    "Delivery status",
    "Error",
    "Error code",
    "HTTP status",
    "Request id",
    "Message id",
    "History id",
];

fn record(e: &Entry) -> [String; 15] {
    let opt = |v: &Option<String>| v.as_deref().map(cell).unwrap_or_default();
    [
        local_time(e.created_at),
        // Defused like every cell: as text, Excel keeps the "+" and every digit (see `defuse`).
        cell(&e.to),
        cell(&e.name),
        cell(&e.body),
        cell(&e.channel_name),
        opt(&e.teammate_name),
        opt(&e.template_name),
        cell(&e.summary),
        e.status
            .as_ref()
            .map(|s| cell(s.as_str()))
            .unwrap_or_default(),
        opt(&e.problem.clone().or_else(|| e.error.clone())),
        e.error_code.map(|c| c.to_string()).unwrap_or_default(),
        e.http_status.map(|c| c.to_string()).unwrap_or_default(),
        opt(&e.request_id),
        opt(&e.message_id),
        e.id.to_string(),
    ]
}

impl Store {
    /// Writes every row matching `filter` (newest first) as CSV to `out`. Returns the count.
    pub fn export_csv(&self, filter: &Filter, out: impl Write) -> Result<u64> {
        self.recover()?;
        let (where_sql, params) = filter.to_sql()?;
        let mut out = out;
        out.write_all(BOM).map_err(export_error)?;
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        csv.write_record(HEADER).map_err(export_error)?;
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM messages {where_sql} ORDER BY id DESC"
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        let mut count = 0;
        while let Some(row) = rows.next()? {
            csv.write_record(record(&Entry::from_row(row)?))
                .map_err(export_error)?;
            count += 1;
        }
        csv.flush().map_err(export_error)?;
        Ok(count)
    }
}

fn export_error(e: impl std::fmt::Display) -> Error {
    Error::FileNotSaved {
        file: "the CSV file".into(),
        reason: e.to_string(),
    }
}
