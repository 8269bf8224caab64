//! Every row checked and rendered before anything is sent. In this order, each problem said in
//! plain words and the row left out: `invalid` (no valid mobile number — a national number is
//! read in the default country —, a number that is only a fixed line, or a template field's
//! cell blank), `duplicate` (the same number earlier in the file: the first one is sent, unless
//! the person keeps both), `blocked` (on the do-not-text list). A number in another country
//! than the default is not a problem, only marked for a second look.
//!
//! A number whose leading 0 Excel dropped (`612345678` for `06 1234 5678` in Italy) is left
//! out and offered: when the person chooses to read those numbers with the 0
//! ([`PlanOptions::add_leading_zero`], one choice for all of them), each is read so and goes
//! through every other check like any row. Only numbers whose reading with a 0 is unambiguous
//! are offered ([`with_leading_zero`]).

use std::collections::{BTreeMap, HashSet};

use octopods::MAX_BODY_CHARS;
use serde::{Deserialize, Serialize};

use super::table::{phone_trap, with_leading_zero, PhoneTrap, Table};
use crate::do_not_text::OptOut;
use crate::draft::MAX_NAME_CHARS;
use crate::error::Error;
use crate::phone::{self, Country, NumberKind};
use crate::schedule::Lead;
use crate::segments;
use crate::states::RowOutcome;
use crate::templates::Compiled;
use crate::text_safety;

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

/// The person's choices for the rows, made in the preview: the start plans with the same ones,
/// so what was previewed is what is sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PlanOptions {
    /// Send every row of a number that appears twice (siblings sharing a parent's phone).
    pub keep_duplicates: bool,
    /// Read the numbers whose leading 0 Excel dropped with the 0 (only the ones whose reading
    /// is unambiguous).
    pub add_leading_zero: bool,
    /// Send a row even when the same message went to the same number in the last day (the
    /// same list opened twice). Left out by default in the app; the command line's checks are
    /// the file's own (its contract), so it sends them.
    pub send_repeats: bool,
}

/// A row's number lost its leading 0 to Excel, and reads as a number with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadingZero {
    /// Left out; reading it with the 0 is offered.
    Offered,
    /// Read with the 0 (the person chose so): `to` is that reading.
    Added,
}

/// The numbers of the file whose leading 0 Excel dropped: one choice for all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ZeroOffer {
    /// How many rows.
    pub rows: usize,
    /// The first one as it is in the file (`612345678`)...
    pub example_typed: String,
    /// ...and with its 0, as dialled in the country (`06 1234 5678`).
    pub example_with_zero: String,
    /// They are read with the 0 now.
    pub added: bool,
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
    /// The number lost its leading 0 to Excel: offered to be read with it, or read so.
    pub leading_zero: Option<LeadingZero>,
    /// When it goes (ms since the epoch), quiet hours taken into account; `None`: at once.
    /// Set by [`crate::bulk::timing`].
    pub due_at: Option<i64>,
}

/// The whole file, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub rows: Vec<PlannedRow>,
    /// Rows that will be sent, and their segments in all.
    pub messages: usize,
    pub segments: usize,
    /// Rows whose number lost its leading 0 to Excel, when there are any.
    pub leading_zero: Option<ZeroOffer>,
    /// When the rows go, once [`crate::bulk::timing::apply`] gave them their times.
    pub timing: Option<Timed>,
    /// Rows whose exact message another desk of the team sent to their number lately, when
    /// they are sent anyway (the command line's contract): one warning each, in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub team_repeats: Vec<String>,
}

/// What a plan's times came to, for the preview and the confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timed {
    /// The reminder rule, for a list sent relative to its appointments.
    #[serde(skip)]
    pub lead: Option<Lead>,
    /// The rule in words ("the day before at 10:00").
    pub lead_words: Option<String>,
    /// The clinic's zone, shown next to every time.
    pub zone: String,
    /// The first and last send time of the rows that will go (ms).
    pub first_at: Option<i64>,
    pub last_at: Option<i64>,
    /// Rows whose time had already passed: left out, or sent at once when the person chose so.
    pub past: usize,
    pub past_sent_now: bool,
    /// Rows moved to the next morning (or to the window's opening) by quiet hours.
    pub moved_by_quiet_hours: usize,
}

/// Checks and renders every row of `table`. `blocked` says whether an E.164 number is on the
/// do-not-text list; `keep_duplicates` sends every row of a number that appears twice.
/// Numbers whose leading 0 Excel dropped are left out (see [`plan_with`]).
pub fn plan(
    table: &Table,
    template: &Compiled,
    columns: &Columns,
    country: Option<Country>,
    keep_duplicates: bool,
    blocked: &dyn Fn(&str) -> Option<OptOut>,
) -> Plan {
    let options = PlanOptions {
        keep_duplicates,
        ..PlanOptions::default()
    };
    plan_with(table, template, columns, country, options, blocked)
}

/// [`plan`] with the person's choices (`options`: keep both duplicates, read the numbers
/// Excel dropped the leading 0 of with it).
pub fn plan_with(
    table: &Table,
    template: &Compiled,
    columns: &Columns,
    country: Option<Country>,
    options: PlanOptions,
    blocked: &dyn Fn(&str) -> Option<OptOut>,
) -> Plan {
    let header = |i: usize| table.headers.get(i).map_or("", String::as_str);
    let mut seen: HashSet<String> = HashSet::new();
    let mut rows = Vec::with_capacity(table.rows.len());
    for record in &table.rows {
        let cell = |i: usize| record.cells.get(i).map_or("", String::as_str);
        let typed = cell(columns.phone).to_owned();
        // The name and the message tidied as a send tidies them (`Draft::prepare`), so the row
        // stored is the request sent: control characters out, line breaks as line feeds.
        let name = columns
            .name
            .map(|i| text_safety::trimmed(text_safety::line(cell(i))).into_owned())
            .unwrap_or_default();
        let name_chars = name.chars().count();
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
            leading_zero: None,
            due_at: None,
        };
        let body = template.fill(|field| {
            if let Some(text) = columns.constants.get(field) {
                return Some(text.as_str()).filter(|v| !v.trim().is_empty());
            }
            let i = *columns.fields.get(field)?;
            Some(cell(i)).filter(|v| !v.trim().is_empty())
        });
        let (checked, zero) = read_number(&typed, country, options.add_leading_zero);
        planned.leading_zero = zero;
        match checked {
            Err(why) => refuse(&mut planned, RowOutcome::Invalid, why),
            Ok((e164, foreign)) => {
                planned.to = Some(e164);
                planned.foreign = foreign;
            }
        }
        if name_chars > MAX_NAME_CHARS && planned.outcome == RowOutcome::Pending {
            let why = Error::NameTooLong {
                chars: name_chars,
                max: MAX_NAME_CHARS,
            };
            refuse(&mut planned, RowOutcome::Invalid, why.to_string());
        }
        let body = body.map(|body| text_safety::message(&body).into_owned());
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
            if !seen.insert(e164.clone()) && !options.keep_duplicates {
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
    let leading_zero = zero_offer(&rows, country, options.add_leading_zero);
    Plan {
        rows,
        messages,
        segments,
        leading_zero,
        timing: None,
        team_repeats: Vec::new(),
    }
}

/// The rows whose number lost its leading 0, counted, with the first one as the example.
fn zero_offer(rows: &[PlannedRow], country: Option<Country>, added: bool) -> Option<ZeroOffer> {
    let mut offered = rows.iter().filter(|r| r.leading_zero.is_some());
    let first = offered.next()?;
    let example_typed = first.typed.trim().to_owned();
    let e164 = with_leading_zero(&example_typed, country)?;
    let example_with_zero = phone::validate(&e164, country)
        .national
        .unwrap_or_else(|| format!("0{example_typed}"));
    Some(ZeroOffer {
        rows: 1 + offered.count(),
        example_typed,
        example_with_zero,
        added,
    })
}

/// The cell checked as typed ([`check_number`]), or read with the leading 0 Excel dropped
/// when the person chose it (`add_zero`) and that reading is unambiguous; and whether the
/// cell is such a number.
fn read_number(
    typed: &str,
    country: Option<Country>,
    add_zero: bool,
) -> (Result<(String, bool), String>, Option<LeadingZero>) {
    if typed.trim().is_empty() {
        return (
            Err("There is no phone number on this row.".to_owned()),
            None,
        );
    }
    match phone_trap(typed, country) {
        None => (check_number(typed, country), None),
        Some(trap @ PhoneTrap::LeadingZeroDropped { .. }) => {
            match with_leading_zero(typed, country) {
                Some(e164) if add_zero => {
                    // Left out all the same (a landline...): say which number it was read as.
                    let checked = check_number(&e164, country).map_err(|why| {
                        format!("With its 0 this number is {}. {why}", phone::display(&e164))
                    });
                    (checked, Some(LeadingZero::Added))
                }
                Some(_) => (Err(trap.to_string()), Some(LeadingZero::Offered)),
                None => (Err(trap.to_string()), None),
            }
        }
        Some(trap) => (Err(trap.to_string()), None),
    }
}

fn refuse(row: &mut PlannedRow, outcome: RowOutcome, why: String) {
    row.outcome = outcome;
    row.problem = Some(why);
}

/// A number that is no trap of Excel's, as E.164 and whether it is abroad, or why it cannot be
/// texted.
fn check_number(number: &str, country: Option<Country>) -> Result<(String, bool), String> {
    let check = phone::validate_for_sending(number, country);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::table::Row;

    fn table(rows: &[[&str; 3]]) -> Table {
        Table {
            headers: vec!["Name".into(), "Mobile".into(), "Date".into()],
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, cells)| Row {
                    record: i + 1,
                    cells: cells.iter().map(|c| (*c).to_owned()).collect(),
                })
                .collect(),
            encoding: None,
            delimiter: None,
            sheets: Vec::new(),
            sheet: None,
        }
    }

    fn planned(rows: &[[&str; 3]]) -> Plan {
        let template = Compiled::new("Hi {{name}},\r\nsee you {{date}}.").expect("template");
        let columns = Columns {
            phone: 1,
            name: Some(0),
            fields: [("name", 0), ("date", 2)]
                .into_iter()
                .map(|(f, i)| (f.to_owned(), i))
                .collect(),
            constants: BTreeMap::new(),
        };
        plan(
            &table(rows),
            &template,
            &columns,
            Country::parse("US").ok(),
            false,
            &|_| None,
        )
    }

    #[test]
    fn names_and_messages_lose_control_characters() {
        let plan = planned(&[[
            " Jane\u{1b}[31m\r\nDoe\u{0} ",
            "+1 201 555 0123",
            "Tue\u{0B}10:00\u{9b}\u{7f}",
        ]]);
        let row = &plan.rows[0];
        assert_eq!(row.outcome, RowOutcome::Pending, "{:?}", row.problem);
        assert_eq!(row.name, "Jane[31m Doe");
        assert_eq!(
            row.body.as_deref(),
            Some("Hi  Jane[31m\nDoe ,\nsee you Tue\n10:00."),
            "the cells are inserted as they are, their controls out"
        );
    }

    #[test]
    fn an_overlong_name_leaves_its_row_out() {
        let long = "n".repeat(101);
        let plan = planned(&[
            [&long, "+1 201 555 0123", "Tue"],
            [&"n".repeat(100), "+1 201 555 0124", "Tue"],
        ]);
        assert_eq!(plan.rows[0].outcome, RowOutcome::Invalid);
        assert_eq!(
            plan.rows[0].problem.as_deref(),
            Some("The recipient's name is 101 characters long; the most is 100.")
        );
        assert_eq!(plan.rows[1].outcome, RowOutcome::Pending);
        assert_eq!(plan.messages, 1);
    }
}
