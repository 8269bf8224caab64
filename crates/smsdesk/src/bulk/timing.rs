//! When a list's rows go (issue 10): at once, all at one later time, or each relative to its
//! appointment ("the day before at 10:00"), always inside quiet hours. Applied to a checked
//! [`Plan`], so the preview shows each row's time and the job stores it.

use std::collections::HashSet;

use super::plan::Plan;
pub use super::plan::Timed;
use super::table::Table;
use crate::phone::Country;
use crate::schedule::{
    parse_date, parse_time, Appointment, ClinicZone, Lead, NeedsTime, QuietHours, TimeError,
};
use crate::states::RowOutcome;

/// When the rows go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// As soon as the job starts (still inside quiet hours).
    Now,
    /// Every row at this instant (ms), or at the next opening of quiet hours after it.
    At(i64),
    /// Each row `lead` before its appointment, read from the date column and, when there is
    /// one, the time column (else a time written in the date cell, if any).
    Before {
        lead: Lead,
        date_column: usize,
        time_column: Option<usize>,
    },
}

/// The clinic's rules for times: its zone, its quiet hours, the time now, how it writes
/// dates.
#[derive(Debug, Clone)]
pub struct Clinic {
    pub zone: ClinicZone,
    pub quiet: QuietHours,
    pub now: i64,
    /// `03/04/2026` is the 4th of March (the United States' custom), not the 3rd of April.
    pub month_first: bool,
}

impl Clinic {
    /// Whether dates are written month first in `country` (`None`: day first).
    pub fn month_first_in(country: Option<Country>) -> bool {
        const MONTH_FIRST: &[&str] = &[
            "US", "PR", "GU", "VI", "AS", "MP", "UM", "FM", "MH", "PW", "PH", "BZ",
        ];
        country.is_some_and(|c| MONTH_FIRST.contains(&c.code().as_str()))
    }
}

/// Gives every row that will be sent its time. Rows whose appointment cannot be read are left
/// out (`invalid`, saying why); rows whose time has passed are left out (`not_sent`) unless
/// `send_past_now`, when they go at once. A single time in the past is an error: nothing is
/// planned for it.
pub fn apply(
    plan: &mut Plan,
    table: &Table,
    when: &When,
    clinic: &Clinic,
    send_past_now: bool,
) -> Result<(), TimeError> {
    let mut timed = Timed {
        lead: None,
        lead_words: None,
        zone: clinic.zone.name().to_owned(),
        first_at: None,
        last_at: None,
        past: 0,
        past_sent_now: send_past_now,
        moved_by_quiet_hours: 0,
    };
    match when {
        When::Now => return Ok(()),
        When::At(at) => {
            if *at <= clinic.now {
                return Err(TimeError::InThePast(clinic.zone.show(*at)));
            }
            let due = clinic.quiet.next_open(*at, &clinic.zone)?;
            for row in plan
                .rows
                .iter_mut()
                .filter(|r| r.outcome == RowOutcome::Pending)
            {
                row.due_at = Some(due);
            }
            timed.moved_by_quiet_hours = usize::from(due != *at) * plan.messages;
        }
        When::Before {
            lead,
            date_column,
            time_column,
        } => {
            timed.lead = Some(*lead);
            timed.lead_words = Some(lead.describe());
            // A number twice in the file is one message when both reminders would go at the
            // same time (siblings on one phone); at different times (two appointments) each
            // appointment has its own reminder.
            let mut going: HashSet<(String, i64)> = HashSet::new();
            for (row, record) in plan.rows.iter_mut().zip(&table.rows) {
                let twice = row.outcome == RowOutcome::Duplicate;
                if row.outcome != RowOutcome::Pending && !twice {
                    continue;
                }
                let cell = |i: usize| record.cells.get(i).map_or("", |c| c.trim());
                let due = appointment(cell(*date_column), time_column.map(cell), clinic)
                    .and_then(|a| reminder_time(lead, a, clinic));
                let due = match due {
                    Ok(due) => due,
                    Err(_) if twice => continue,
                    Err(why) => {
                        row.outcome = RowOutcome::Invalid;
                        row.problem = Some(why);
                        continue;
                    }
                };
                let key = (row.to.clone().unwrap_or_default(), due.at);
                if going.contains(&key) {
                    continue;
                }
                if twice {
                    if due.at <= clinic.now && !send_past_now {
                        continue;
                    }
                    row.outcome = RowOutcome::Pending;
                    row.problem = None;
                }
                if due.moved {
                    timed.moved_by_quiet_hours += 1;
                }
                if due.at <= clinic.now {
                    timed.past += 1;
                    if send_past_now {
                        row.due_at = None;
                        going.insert(key);
                    } else {
                        row.outcome = RowOutcome::NotSent;
                        row.problem = Some(format!(
                            "Its reminder time, {}, has already passed.",
                            clinic.zone.show(due.at)
                        ));
                    }
                    continue;
                }
                row.due_at = Some(due.at);
                going.insert(key);
            }
        }
    }
    let going = plan
        .rows
        .iter()
        .filter(|r| r.outcome == RowOutcome::Pending);
    let (messages, segments) = going.fold((0, 0), |(m, s), r| (m + 1, s + r.segments));
    plan.messages = messages;
    plan.segments = segments;
    let times = plan
        .rows
        .iter()
        .filter(|r| r.outcome == RowOutcome::Pending)
        .map(|r| r.due_at.unwrap_or(clinic.now));
    timed.first_at = times.clone().min();
    timed.last_at = times.max();
    plan.timing = Some(timed);
    Ok(())
}

struct Due {
    at: i64,
    moved: bool,
}

fn appointment(date: &str, time: Option<&str>, clinic: &Clinic) -> Result<Appointment, String> {
    if date.is_empty() {
        return Err("There is no appointment date on this row.".to_owned());
    }
    let unreadable_date =
        || {
            format!(
            "The appointment date \"{date}\" cannot be read. Dates are read as 2026-12-02 or {}.",
            if clinic.month_first { "12/02/2026" } else { "02/12/2026" }
        )
        };
    // The date alone, or a date and a time in one cell ("2026-12-02 08:30").
    let (date, time_in_date) = match parse_date(date, clinic.month_first) {
        Ok(d) => (d, None),
        Err(_) => {
            let (d, t) = date.split_once([' ', 'T']).ok_or_else(unreadable_date)?;
            let d = parse_date(d, clinic.month_first).map_err(|_| unreadable_date())?;
            let t = parse_time(t).map_err(|_| unreadable_date())?;
            (d, Some(t))
        }
    };
    let time = match time.filter(|t| !t.is_empty()) {
        Some(t) => Some(parse_time(t).map_err(|_| {
            format!(
                "The appointment time \"{t}\" cannot be read. Times are read as 14:30 or 2:30 PM."
            )
        })?),
        None => time_in_date,
    };
    Ok(Appointment { date, time })
}

fn reminder_time(lead: &Lead, appointment: Appointment, clinic: &Clinic) -> Result<Due, String> {
    let at = lead
        .send_time(appointment, &clinic.zone)
        .map_err(|why| match why {
            NeedsTime::NoTime => format!(
                "\"{}\" needs the appointment's time, and this row has none.",
                lead.describe()
            ),
            NeedsTime::OutOfRange => "The appointment's date is out of range.".to_owned(),
        })?;
    let open = clinic
        .quiet
        .next_open(at, &clinic.zone)
        .map_err(|e| e.to_string())?;
    Ok(Due {
        at: open,
        moved: open != at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::plan::{plan, Columns};
    use crate::bulk::table::{read_table, ReadOptions};
    use crate::templates::Compiled;
    use jiff::Timestamp;

    fn utc(text: &str) -> i64 {
        text.parse::<Timestamp>()
            .expect("timestamp")
            .as_millisecond()
    }

    fn clinic(now: &str) -> Clinic {
        Clinic {
            zone: ClinicZone::named("Europe/Dublin").expect("zone"),
            quiet: QuietHours::default(),
            now: utc(now),
            month_first: false,
        }
    }

    fn planned(csv: &str) -> (Plan, Table) {
        let table = read_table("list.csv", csv.as_bytes(), &ReadOptions::default()).expect("csv");
        let template = Compiled::new("Hi {{name}}, see you on {{date}}").expect("template");
        let columns = Columns {
            phone: 1,
            name: Some(0),
            fields: [("name", 0), ("date", 2)]
                .into_iter()
                .map(|(f, i)| (f.to_owned(), i))
                .collect(),
            constants: Default::default(),
        };
        let country = Country::parse("IE").ok();
        (
            plan(&table, &template, &columns, country, false, &|_| None),
            table,
        )
    }

    const LIST: &str = "Name,Mobile,Date,Time\n\
        Aoife,083 123 4567,2026-12-03,09:30\n\
        Seán,083 123 4568,03/12/2026,2:30 PM\n\
        Zoë,083 123 4569,2026-12-02,08:00\n\
        Niamh,083 123 4570,someday,10:00\n\
        Cian,083 123 4571,2026-12-04,\n";

    #[test]
    fn each_row_goes_the_day_before_at_ten_and_past_ones_are_left_out() {
        let (mut plan, table) = planned(LIST);
        let when = When::Before {
            lead: Lead::parse("1 day at 10:00").expect("rule"),
            date_column: 2,
            time_column: Some(3),
        };
        // Now: Wed 2 Dec 2026, 12:00 in Dublin (UTC in winter).
        apply(
            &mut plan,
            &table,
            &when,
            &clinic("2026-12-02T12:00:00Z"),
            false,
        )
        .expect("applied");
        let due: Vec<Option<i64>> = plan.rows.iter().map(|r| r.due_at).collect();
        let outcomes: Vec<RowOutcome> = plan.rows.iter().map(|r| r.outcome).collect();
        assert_eq!(
            outcomes,
            [
                RowOutcome::NotSent, // the day before the 3rd at 10:00 is this morning: passed
                RowOutcome::NotSent,
                RowOutcome::NotSent, // its appointment is today
                RowOutcome::Invalid, // "someday"
                RowOutcome::Pending, // the 4th, no time needed for "the day before at"
            ]
        );
        assert_eq!(due[4], Some(utc("2026-12-03T10:00:00Z")));
        assert!(plan.rows[0]
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("has already passed")));
        assert!(plan.rows[3]
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("\"someday\"")));
        let timed = plan.timing.as_ref().expect("timed");
        assert_eq!((timed.past, plan.messages), (3, 1));
        assert_eq!(timed.lead_words.as_deref(), Some("the day before at 10:00"));
    }

    #[test]
    fn a_number_booked_on_two_days_gets_a_reminder_for_each_appointment_to_come() {
        let list = "Name,Mobile,Date,Time\n\
            Aoife,083 123 4567,2026-12-02,09:30\n\
            Aoife,083 123 4567,2026-12-09,09:30\n\
            Aoife,083 123 4567,2026-12-16,09:30\n";
        let (mut plan, table) = planned(list);
        let outcomes: Vec<RowOutcome> = plan.rows.iter().map(|r| r.outcome).collect();
        assert_eq!(
            outcomes[1],
            RowOutcome::Duplicate,
            "as the file's checks say"
        );
        let when = When::Before {
            lead: Lead::parse("1 day at 10:00").expect("rule"),
            date_column: 2,
            time_column: Some(3),
        };
        apply(
            &mut plan,
            &table,
            &when,
            &clinic("2026-12-02T12:00:00Z"),
            false,
        )
        .expect("applied");
        let outcomes: Vec<RowOutcome> = plan.rows.iter().map(|r| r.outcome).collect();
        assert_eq!(
            outcomes,
            [
                RowOutcome::NotSent,
                RowOutcome::Pending,
                RowOutcome::Pending
            ],
            "each appointment still to come has its reminder"
        );
        assert_eq!(plan.rows[1].due_at, Some(utc("2026-12-08T10:00:00Z")));
        assert_eq!(plan.rows[2].due_at, Some(utc("2026-12-15T10:00:00Z")));
        assert_eq!(plan.messages, 2);
        // Siblings booked the same morning share one reminder (the default).
        let siblings = "Name,Mobile,Date,Time\n\
            Aoife,083 123 4567,2026-12-09,09:30\n\
            Cian,083 123 4567,2026-12-09,10:00\n";
        let (mut plan, table) = planned(siblings);
        apply(
            &mut plan,
            &table,
            &when,
            &clinic("2026-12-02T12:00:00Z"),
            false,
        )
        .expect("applied");
        let outcomes: Vec<RowOutcome> = plan.rows.iter().map(|r| r.outcome).collect();
        assert_eq!(outcomes, [RowOutcome::Pending, RowOutcome::Duplicate]);
    }

    #[test]
    fn past_rows_go_at_once_when_the_person_says_so() {
        let (mut plan, table) = planned(LIST);
        let when = When::Before {
            lead: Lead::parse("1 day at 10:00").expect("rule"),
            date_column: 2,
            time_column: Some(3),
        };
        apply(
            &mut plan,
            &table,
            &when,
            &clinic("2026-12-02T12:00:00Z"),
            true,
        )
        .expect("applied");
        let due: Vec<Option<i64>> = plan.rows.iter().map(|r| r.due_at).collect();
        assert_eq!(plan.messages, 4);
        assert_eq!(due[..3], [None, None, None]);
    }

    #[test]
    fn hours_before_need_a_time_and_quiet_hours_move_early_ones() {
        let (mut plan, table) = planned(LIST);
        let when = When::Before {
            lead: Lead::parse("2 hours").expect("rule"),
            date_column: 2,
            time_column: Some(3),
        };
        apply(
            &mut plan,
            &table,
            &when,
            &clinic("2026-12-01T12:00:00Z"),
            false,
        )
        .expect("applied");
        // 09:30 on the 3rd minus 2 h is 07:30, before quiet hours end: moved to 08:00.
        assert_eq!(plan.rows[0].due_at, Some(utc("2026-12-03T08:00:00Z")));
        // 14:30 on the 3rd (day first: 03/12) minus 2 h.
        assert_eq!(plan.rows[1].due_at, Some(utc("2026-12-03T12:30:00Z")));
        assert_eq!(plan.rows[4].outcome, RowOutcome::Invalid);
        assert!(plan.rows[4]
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("needs the appointment's time")));
        let timed = plan.timing.as_ref().expect("timed");
        assert_eq!(timed.moved_by_quiet_hours, 2); // Aoife, and Zoë at 06:00 on the 2nd
    }

    #[test]
    fn one_later_time_for_every_row_and_never_in_the_past() {
        let (mut plan, table) = planned(LIST);
        let now = clinic("2026-12-01T12:00:00Z");
        // 22:00 is in quiet hours: the rows go at 08:00 the next morning.
        apply(
            &mut plan,
            &table,
            &When::At(utc("2026-12-01T22:00:00Z")),
            &now,
            false,
        )
        .expect("applied");
        let pending: Vec<Option<i64>> = plan
            .rows
            .iter()
            .filter(|r| r.outcome == RowOutcome::Pending)
            .map(|r| r.due_at)
            .collect();
        assert_eq!(pending, vec![Some(utc("2026-12-02T08:00:00Z")); 5]);
        let (mut again, table) = planned(LIST);
        assert!(matches!(
            apply(
                &mut again,
                &table,
                &When::At(utc("2026-12-01T11:00:00Z")),
                &now,
                false
            ),
            Err(TimeError::InThePast(_))
        ));
    }
}
