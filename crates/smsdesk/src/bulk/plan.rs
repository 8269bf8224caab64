//! Every row checked and rendered before anything is sent. In this order, each problem said in
//! plain words and the row left out: `invalid` (no valid mobile number — a national number is
//! read in the default country —, a number that is only a fixed line, or a template field's
//! cell blank), `duplicate` (the same number earlier in the file: the first one is sent, unless
//! the person keeps both), `blocked` (on the do-not-text list). A number in another country
//! than the default is not a problem, only marked for a second look.

use std::collections::{BTreeMap, HashSet};

use octopods::MAX_BODY_CHARS;
use serde::Serialize;

use super::table::{phone_trap, Table};
use crate::do_not_text::OptOut;
use crate::phone::{self, Country, NumberKind};
use crate::segments;
use crate::states::RowOutcome;
use crate::templates::Compiled;

/// What the rows are read with.
#[derive(Debug, Clone)]
pub struct Columns {
    /// The phone column (index in the table's headers).
    pub phone: usize,
    /// The recipient's name, sent as the contact's name when a conversation is opened.
    pub name: Option<usize>,
    /// Each template field's column.
    pub fields: BTreeMap<String, usize>,
    /// Fields filled with the same text on every row (the business details of Settings).
    pub constants: BTreeMap<String, String>,
}

/// One row as it will be sent, or why it will not be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedRow {
    /// The 1-based data record in the file.
    pub row: usize,
    /// E.164, when the number is valid.
    pub to: Option<String>,
    /// The cell as typed.
    pub typed: String,
    pub name: String,
    /// The message exactly as it will be sent (`None` when a field is blank).
    pub body: Option<String>,
    pub segments: usize,
    /// `Pending` (will be sent), `Invalid`, `Duplicate` or `Blocked`.
    pub outcome: RowOutcome,
    /// Why it will not be sent, in plain words.
    pub problem: Option<String>,
    /// The number is in another country than the default one: worth a second look.
    pub foreign: bool,
}

/// The whole file, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub rows: Vec<PlannedRow>,
    /// Rows that will be sent, and their segments in all.
    pub messages: usize,
    pub segments: usize,
}

/// Checks and renders every row of `table`. `blocked` says whether an E.164 number is on the
/// do-not-text list; `keep_duplicates` sends every row of a number that appears twice.
pub fn plan(
    table: &Table,
    template: &Compiled,
    columns: &Columns,
    country: Option<Country>,
    keep_duplicates: bool,
    blocked: &dyn Fn(&str) -> Option<OptOut>,
) -> Plan {
    let header = |i: usize| table.headers.get(i).map_or("", String::as_str);
    let mut seen: HashSet<String> = HashSet::new();
    let mut rows = Vec::with_capacity(table.rows.len());
    for record in &table.rows {
        let cell = |i: usize| record.cells.get(i).map_or("", String::as_str);
        let typed = cell(columns.phone).to_owned();
        let name = columns
            .name
            .map(|i| cell(i).trim().to_owned())
            .unwrap_or_default();
        let mut planned = PlannedRow {
            row: record.record,
            to: None,
            typed: typed.clone(),
            name,
            body: None,
            segments: 0,
            outcome: RowOutcome::Pending,
            problem: None,
            foreign: false,
        };
        let body = template.fill(|field| {
            if let Some(text) = columns.constants.get(field) {
                return Some(text.as_str()).filter(|v| !v.trim().is_empty());
            }
            let i = *columns.fields.get(field)?;
            Some(cell(i)).filter(|v| !v.trim().is_empty())
        });
        match check_number(&typed, country) {
            Err(why) => refuse(&mut planned, RowOutcome::Invalid, why),
            Ok((e164, foreign)) => {
                planned.to = Some(e164);
                planned.foreign = foreign;
            }
        }
        match body {
            Ok(body) => {
                planned.segments = segments::count(&body).segments;
                let chars = body.chars().count();
                if chars > MAX_BODY_CHARS && planned.outcome == RowOutcome::Pending {
                    refuse(
                        &mut planned,
                        RowOutcome::Invalid,
                        format!("The message is {chars} characters long; the most Octopods accepts is {MAX_BODY_CHARS}."),
                    );
                }
                planned.body = Some(body);
            }
            Err(field)
                if planned.outcome == RowOutcome::Pending
                    && columns.constants.contains_key(field) =>
            {
                refuse(
                    &mut planned,
                    RowOutcome::Invalid,
                    format!("{{{{{field}}}}} is empty in Settings (business details), so it cannot be filled."),
                );
            }
            Err(field) if planned.outcome == RowOutcome::Pending => {
                let column = columns.fields.get(field).map_or("", |&i| header(i));
                refuse(
                    &mut planned,
                    RowOutcome::Invalid,
                    format!("The {column} cell is empty, so {{{{{field}}}}} cannot be filled."),
                );
            }
            Err(_) => {}
        }
        if let (RowOutcome::Pending, Some(e164)) = (planned.outcome, planned.to.clone()) {
            if !seen.insert(e164.clone()) && !keep_duplicates {
                refuse(
                    &mut planned,
                    RowOutcome::Duplicate,
                    "The same number is on an earlier row, which is sent; this one is not (keep both if two people share the phone).".to_owned(),
                );
            } else if let Some(entry) = blocked(&e164) {
                refuse(
                    &mut planned,
                    RowOutcome::Blocked,
                    entry.refusal().to_string(),
                );
            }
        }
        rows.push(planned);
    }
    let sent = rows.iter().filter(|r| r.outcome == RowOutcome::Pending);
    let (messages, segments) = sent.fold((0, 0), |(m, s), r| (m + 1, s + r.segments));
    Plan {
        rows,
        messages,
        segments,
    }
}

fn refuse(row: &mut PlannedRow, outcome: RowOutcome, why: String) {
    row.outcome = outcome;
    row.problem = Some(why);
}

/// The number as E.164 and whether it is abroad, or why it cannot be texted.
fn check_number(typed: &str, country: Option<Country>) -> Result<(String, bool), String> {
    if typed.trim().is_empty() {
        return Err("There is no phone number on this row.".to_owned());
    }
    if let Some(trap) = phone_trap(typed, country) {
        return Err(trap.to_string());
    }
    let check = phone::validate(typed, country);
    let e164 = match (check.valid, check.e164) {
        (true, Some(e164)) => e164,
        _ => {
            return Err(check
                .error
                .unwrap_or_else(|| "This is not a valid phone number.".to_owned()))
        }
    };
    if check.kind == Some(NumberKind::FixedLine) {
        return Err("This is a landline number: it cannot receive text messages.".to_owned());
    }
    let home = country.map(Country::code);
    let foreign = home.is_some() && check.region.is_some() && check.region != home;
    Ok((e164, foreign))
}
