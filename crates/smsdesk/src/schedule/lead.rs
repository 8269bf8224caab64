//! Reminders relative to the appointment: "1 day at 10:00", "2 hours", "on the day at 08:30".

use jiff::civil::{Date, Time};
use jiff::SignedDuration;

use super::typed::{on_clinic_clock, parse_time};
use super::{ClinicZone, TimeError};

/// An appointment as a row gives it: its date, and its time when there is a time column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appointment {
    pub date: Date,
    pub time: Option<Time>,
}

/// How long before the appointment its reminder goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// `days` calendar days before the appointment's date, at a wall time: "1 day at 10:00" is
    /// 10:00 the day before on the clinic's clock, however long that day is.
    DaysBefore { days: u16, at: Time },
    /// A span before the appointment's instant: "2 hours" (needs the appointment's time).
    Before(SignedDuration),
}

impl Lead {
    /// Reads `1 day at 10:00`, `2 days at 9:30 AM`, `the day before at 10:00`,
    /// `on the day at 08:30` (also `0 days at 08:30`, `the morning of at 08:30`), `2 hours`,
    /// `90 minutes`, `1 hour 30 minutes`, `2h`, `30 min`.
    pub fn parse(text: &str) -> Result<Self, TimeError> {
        let unreadable = || TimeError::UnreadableLead(text.trim().to_owned());
        let lower = text.trim().to_lowercase();
        let lower = lower
            .strip_suffix("before")
            .map_or(lower.as_str(), str::trim);
        if let Some((days, at)) = lower.split_once(" at ") {
            let at = parse_time(at).map_err(|_| unreadable())?;
            let days = match days.trim() {
                "the day before" | "a day" => 1,
                "on the day" | "the day of" | "the morning of" | "on the morning of"
                | "same day" | "the same day" => 0,
                other => {
                    let count = other.strip_suffix(" before").unwrap_or(other);
                    count_of(count, &["day", "days"]).ok_or_else(unreadable)?
                }
            };
            let days = u16::try_from(days).map_err(|_| unreadable())?;
            if days > 60 {
                return Err(unreadable());
            }
            return Ok(Lead::DaysBefore { days, at });
        }
        let minutes = span_minutes(lower).ok_or_else(unreadable)?;
        if minutes == 0 || minutes > 60 * 24 * 60 {
            return Err(unreadable());
        }
        Ok(Lead::Before(SignedDuration::from_mins(minutes)))
    }

    /// When the reminder for `appointment` goes, on the clinic's clock.
    pub fn send_time(&self, appointment: Appointment, zone: &ClinicZone) -> Result<i64, NeedsTime> {
        match *self {
            Lead::DaysBefore { days, at } => {
                let day = appointment
                    .date
                    .checked_sub(jiff::Span::new().days(i64::from(days)))
                    .map_err(|_| NeedsTime::OutOfRange)?;
                on_clinic_clock(day.to_datetime(at), zone).map_err(|_| NeedsTime::OutOfRange)
            }
            Lead::Before(span) => {
                let time = appointment.time.ok_or(NeedsTime::NoTime)?;
                let at = on_clinic_clock(appointment.date.to_datetime(time), zone)
                    .map_err(|_| NeedsTime::OutOfRange)?;
                let before = i64::try_from(span.as_millis()).map_err(|_| NeedsTime::OutOfRange)?;
                Ok(at - before)
            }
        }
    }

    /// The rule in words, for the preview: "the day before at 10:00", "2 hours before".
    pub fn describe(&self) -> String {
        match *self {
            Lead::DaysBefore { days: 0, at } => format!("on the day at {}", hh_mm(at)),
            Lead::DaysBefore { days: 1, at } => format!("the day before at {}", hh_mm(at)),
            Lead::DaysBefore { days, at } => format!("{days} days before at {}", hh_mm(at)),
            Lead::Before(span) => {
                let minutes = span.as_mins();
                let (h, m) = (minutes / 60, minutes % 60);
                let hours = match h {
                    0 => String::new(),
                    1 => "1 hour".to_owned(),
                    n => format!("{n} hours"),
                };
                let mins = match m {
                    0 => String::new(),
                    1 => "1 minute".to_owned(),
                    n => format!("{n} minutes"),
                };
                let both = [hours, mins]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                format!("{both} before")
            }
        }
    }
}

/// Why a row's reminder time cannot be worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedsTime {
    /// "2 hours before" and the row has no appointment time.
    NoTime,
    OutOfRange,
}

fn hh_mm(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// `2 days`, `1 day`, `a day` → the count when the unit is one of `units`.
fn count_of(text: &str, units: &[&str]) -> Option<i64> {
    let (n, unit) = text.trim().split_once(' ')?;
    let n = if n == "a" || n == "an" {
        1
    } else {
        n.parse().ok()?
    };
    units.contains(&unit.trim()).then_some(n)
}

/// `2 hours`, `90 minutes`, `1 hour 30 minutes`, `1h30`, `2h`, `30 min` → minutes.
fn span_minutes(text: &str) -> Option<i64> {
    let mut total = 0i64;
    let mut rest = text.trim();
    let mut any = false;
    while !rest.is_empty() {
        let digits_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (n, after) = if digits_end == 0 {
            let (word, after) = rest.split_once(' ')?;
            if word != "a" && word != "an" {
                return None;
            }
            (1, after.trim_start())
        } else {
            (
                rest[..digits_end].parse::<i64>().ok()?,
                rest[digits_end..].trim_start(),
            )
        };
        let unit_end = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let per = match &after[..unit_end] {
            "h" | "hr" | "hrs" | "hour" | "hours" => 60,
            "m" | "min" | "mins" | "minute" | "minutes" => 1,
            // "1h30": minutes after hours without a unit.
            "" if any => 1,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(per)?)?;
        any = true;
        rest = after[unit_end..]
            .trim_start_matches([' ', ','])
            .trim_start();
        rest = rest.strip_prefix("and ").unwrap_or(rest);
    }
    any.then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};
    use jiff::Timestamp;

    fn utc(text: &str) -> i64 {
        text.parse::<Timestamp>()
            .expect("timestamp")
            .as_millisecond()
    }

    fn zone(name: &str) -> ClinicZone {
        ClinicZone::named(name).expect("known zone")
    }

    #[test]
    fn rules_are_read_as_people_write_them() {
        let ten = time(10, 0, 0, 0);
        for (text, lead) in [
            ("1 day at 10:00", Lead::DaysBefore { days: 1, at: ten }),
            (
                "the day before at 10:00",
                Lead::DaysBefore { days: 1, at: ten },
            ),
            ("2 days at 10:00 AM", Lead::DaysBefore { days: 2, at: ten }),
            (
                "On the day at 08:30",
                Lead::DaysBefore {
                    days: 0,
                    at: time(8, 30, 0, 0),
                },
            ),
            (
                "the morning of at 08:30",
                Lead::DaysBefore {
                    days: 0,
                    at: time(8, 30, 0, 0),
                },
            ),
            (
                "1 day before at 10:00",
                Lead::DaysBefore { days: 1, at: ten },
            ),
            ("2 hours", Lead::Before(SignedDuration::from_hours(2))),
            (
                "2 hours before",
                Lead::Before(SignedDuration::from_hours(2)),
            ),
            ("90 minutes", Lead::Before(SignedDuration::from_mins(90))),
            (
                "1 hour 30 minutes",
                Lead::Before(SignedDuration::from_mins(90)),
            ),
            ("1h30", Lead::Before(SignedDuration::from_mins(90))),
            ("2h", Lead::Before(SignedDuration::from_hours(2))),
            ("30 min", Lead::Before(SignedDuration::from_mins(30))),
            ("an hour", Lead::Before(SignedDuration::from_hours(1))),
        ] {
            assert_eq!(Lead::parse(text), Ok(lead), "{text}");
        }
        for bad in [
            "",
            "soon",
            "2 weeks",
            "1 day",
            "1 day at noon",
            "0 minutes",
            "-2 hours",
            "x days at 10:00",
        ] {
            assert!(Lead::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_day_before_is_a_calendar_day_across_summer_time() {
        // Dublin: clocks go forward on Sun 29 Mar 2026 and back on Sun 25 Oct 2026.
        let dublin = zone("Europe/Dublin");
        let lead = Lead::parse("1 day at 10:00").expect("rule");
        let monday = |d| Appointment {
            date: d,
            time: Some(time(9, 0, 0, 0)),
        };
        // The reminder for Mon 30 Mar is Sun 29 Mar 10:00 IST (UTC+1) = 09:00 UTC.
        assert_eq!(
            lead.send_time(monday(date(2026, 3, 30)), &dublin),
            Ok(utc("2026-03-29T09:00:00Z"))
        );
        // The reminder for Mon 26 Oct is Sun 25 Oct 10:00 GMT = 10:00 UTC.
        assert_eq!(
            lead.send_time(monday(date(2026, 10, 26)), &dublin),
            Ok(utc("2026-10-25T10:00:00Z"))
        );
        let ny = zone("America/New_York");
        // New York: forward on 8 Mar 2026. Reminder for 9 Mar is 8 Mar 10:00 EDT = 14:00 UTC.
        assert_eq!(
            lead.send_time(monday(date(2026, 3, 9)), &ny),
            Ok(utc("2026-03-08T14:00:00Z"))
        );
        // Back on 1 Nov 2026: reminder for 2 Nov is 1 Nov 10:00 EST = 15:00 UTC.
        assert_eq!(
            lead.send_time(monday(date(2026, 11, 2)), &ny),
            Ok(utc("2026-11-01T15:00:00Z"))
        );
    }

    #[test]
    fn hours_before_are_real_hours_and_need_the_appointments_time() {
        let ny = zone("America/New_York");
        let lead = Lead::parse("2 hours").expect("rule");
        // 03:30 EDT on 8 Mar 2026 is 07:30 UTC; two real hours earlier is 05:30 UTC (00:30 EST).
        let early = Appointment {
            date: date(2026, 3, 8),
            time: Some(time(3, 30, 0, 0)),
        };
        assert_eq!(lead.send_time(early, &ny), Ok(utc("2026-03-08T05:30:00Z")));
        let no_time = Appointment {
            date: date(2026, 3, 8),
            time: None,
        };
        assert_eq!(lead.send_time(no_time, &ny), Err(NeedsTime::NoTime));
    }

    #[test]
    fn rules_are_described_in_words() {
        for (text, words) in [
            ("1 day at 10:00", "the day before at 10:00"),
            ("on the day at 8:30", "on the day at 08:30"),
            ("3 days at 17:00", "3 days before at 17:00"),
            ("2 hours", "2 hours before"),
            ("90 minutes", "1 hour 30 minutes before"),
        ] {
            assert_eq!(
                Lead::parse(text).map(|l| l.describe()),
                Ok(words.to_owned()),
                "{text}"
            );
        }
    }
}
