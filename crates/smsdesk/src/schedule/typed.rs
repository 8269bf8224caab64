//! Dates and times as people type them and booking systems export them.

use jiff::civil::{Date, DateTime, Time};
use jiff::Timestamp;

use super::{ClinicZone, TimeError};

/// A send time: RFC 3339 (`2026-12-02T10:00:00+00:00`, `Z` allowed, seconds optional) is that
/// instant; `YYYY-MM-DD HH:MM[:SS]` (or with `T`) is read on the clinic's clock. A wall time
/// that summer time skips (02:30 on the spring-forward night) is read as the same length
/// after the jump (03:30); one it repeats (01:30 on the fall-back night) as the first of the
/// two — the usual calendar rule (RFC 5545).
pub fn parse_at(text: &str, zone: &ClinicZone) -> Result<i64, TimeError> {
    let text = text.trim();
    let unreadable = || TimeError::UnreadableTime(text.to_owned());
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts.as_millisecond());
    }
    let (date, time) = text
        .split_once([' ', 'T', 't'])
        .map(|(d, t)| (d.trim(), t.trim()))
        .ok_or_else(unreadable)?;
    let date = iso_date(date).ok_or_else(unreadable)?;
    let time = clock_time(time).ok_or_else(unreadable)?;
    on_clinic_clock(date.to_datetime(time), zone)
}

/// The instant of a wall time on the clinic's clock (gaps and folds as [`parse_at`] says).
pub(crate) fn on_clinic_clock(dt: DateTime, zone: &ClinicZone) -> Result<i64, TimeError> {
    zone.tz()
        .to_ambiguous_zoned_datetime(dt)
        .compatible()
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|_| TimeError::OutOfRange)
}

/// A date cell: `2026-12-02` (also what SMS Desk makes of an Excel date), `2026/12/02`,
/// `02/12/2026`, `02.12.2026`, `2-12-26`, `2 Dec 2026`, `Wed 2 December 2026`, `Dec 2, 2026`.
/// Numeric dates with the day and month both 12 or under are read month first when
/// `month_first` (the United States and a few others), else day first.
pub fn parse_date(text: &str, month_first: bool) -> Result<Date, TimeError> {
    let unreadable = || TimeError::UnreadableDate(text.trim().to_owned());
    let t = text.trim();
    if let Some(date) = iso_date(t) {
        return Ok(date);
    }
    numeric_date(t, month_first)
        .or_else(|| named_month_date(t))
        .ok_or_else(unreadable)
}

/// A time-of-day cell: `08:30`, `8:30`, `08:30:00`, `8.30`, `8:30 AM`, `8:30:00 pm`, `8am`
/// (also what SMS Desk makes of an Excel time).
pub fn parse_time(text: &str) -> Result<Time, TimeError> {
    clock_time(text.trim()).ok_or_else(|| TimeError::UnreadableTimeOfDay(text.trim().to_owned()))
}

fn iso_date(t: &str) -> Option<Date> {
    let parts: Vec<&str> = t.split(['-', '/']).collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => make_date(num(y)?, num(m)?, num(d)?),
        _ => None,
    }
}

fn numeric_date(t: &str, month_first: bool) -> Option<Date> {
    let parts: Vec<&str> = t.split(['/', '.', '-']).map(str::trim).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let (a, b) = (num(a)?, num(b)?);
    let year = full_year(y)?;
    // Unambiguous when one part cannot be a month; else the country's custom.
    let (day, month) = if a > 12 || (b <= 12 && !month_first) {
        (a, b)
    } else {
        (b, a)
    };
    make_date(year, month, day)
}

fn named_month_date(t: &str) -> Option<Date> {
    let words: Vec<String> = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .filter(|w| weekday(w).is_none())
        .collect();
    let [x, y, year] = words.as_slice() else {
        return None;
    };
    let year = full_year(year)?;
    // "2 Dec 2026" or "Dec 2 2026"; an ordinal suffix ("2nd") is allowed.
    let (day, month) = match (month(x), month(y)) {
        (None, Some(m)) => (day_number(x)?, m),
        (Some(m), None) => (day_number(y)?, m),
        _ => return None,
    };
    make_date(year, month, day)
}

fn clock_time(t: &str) -> Option<Time> {
    let lower = t.to_lowercase();
    let (clock, half) = if let Some(rest) = lower.strip_suffix("am").or(lower.strip_suffix("a.m."))
    {
        (rest.trim(), Some(false))
    } else if let Some(rest) = lower.strip_suffix("pm").or(lower.strip_suffix("p.m.")) {
        (rest.trim(), Some(true))
    } else {
        (lower.trim(), None)
    };
    let parts: Vec<&str> = clock.split([':', '.']).collect();
    let (hour, minute, second) = match parts.as_slice() {
        [h] if half.is_some() => (num(h)?, 0, 0),
        [h, m] if m.len() == 2 => (num(h)?, num(m)?, 0),
        [h, m, s] if m.len() == 2 && s.len() == 2 => (num(h)?, num(m)?, num(s)?),
        _ => return None,
    };
    let hour = match half {
        Some(pm) if (1..=12).contains(&hour) => hour % 12 + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => hour,
    };
    Time::new(
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        0,
    )
    .ok()
}

fn num(s: &str) -> Option<u32> {
    let s = s.trim();
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn full_year(s: &str) -> Option<u32> {
    let s = s.trim();
    match s.len() {
        4 => num(s),
        2 => num(s).map(|y| 2000 + y),
        _ => None,
    }
}

fn day_number(s: &str) -> Option<u32> {
    let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &s[digits.len()..];
    matches!(suffix, "" | "st" | "nd" | "rd" | "th")
        .then(|| num(digits))
        .flatten()
}

fn make_date(year: u32, month: u32, day: u32) -> Option<Date> {
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(word: &str) -> Option<u32> {
    let word = if word == "sept" { "sep" } else { word };
    MONTHS
        .iter()
        .position(|m| word.len() >= 3 && m.starts_with(word))
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn weekday(word: &str) -> Option<usize> {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    DAYS.iter()
        .position(|d| word.len() >= 3 && d.starts_with(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn zone(name: &str) -> ClinicZone {
        ClinicZone::named(name).expect("known zone")
    }

    fn utc(text: &str) -> i64 {
        text.parse::<Timestamp>()
            .expect("timestamp")
            .as_millisecond()
    }

    #[test]
    fn send_times_are_rfc3339_or_the_clinics_wall_clock() {
        let dublin = zone("Europe/Dublin");
        assert_eq!(
            parse_at("2026-12-02T10:00:00+00:00", &dublin),
            Ok(utc("2026-12-02T10:00:00Z"))
        );
        assert_eq!(
            parse_at("2026-12-02T10:00Z", &dublin),
            Ok(utc("2026-12-02T10:00:00Z"))
        );
        // Summer time in Dublin is UTC+1: 10:00 on the wall is 09:00 UTC.
        assert_eq!(
            parse_at("2026-07-02 10:00", &dublin),
            Ok(utc("2026-07-02T09:00:00Z"))
        );
        assert_eq!(
            parse_at("2026-07-02T10:00:30", &dublin),
            Ok(utc("2026-07-02T09:00:30Z"))
        );
        for bad in [
            "",
            "tomorrow",
            "2026-13-02 10:00",
            "2026-12-02 25:00",
            "2026-12-02",
        ] {
            assert!(parse_at(bad, &dublin).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn skipped_and_repeated_wall_times_are_read_by_the_calendar_rule() {
        let ny = zone("America/New_York");
        // 2026-03-08 02:30 does not exist in New York: read as 03:30 EDT.
        assert_eq!(
            parse_at("2026-03-08 02:30", &ny),
            Ok(utc("2026-03-08T07:30:00Z"))
        );
        // 2026-11-01 01:30 happens twice: the first (EDT).
        assert_eq!(
            parse_at("2026-11-01 01:30", &ny),
            Ok(utc("2026-11-01T05:30:00Z"))
        );
    }

    #[test]
    fn dates_as_booking_systems_write_them() {
        let d = date(2026, 12, 2);
        for text in [
            "2026-12-02",
            "2026/12/02",
            "02/12/2026",
            "2.12.2026",
            "02-12-26",
            "2 Dec 2026",
            "Wed 2 December 2026",
            "Dec 2, 2026",
            "Wednesday, 2nd Dec 2026",
            "2 Sept 2026",
        ] {
            let expected = if text.contains("Sept") {
                date(2026, 9, 2)
            } else {
                d
            };
            assert_eq!(parse_date(text, false), Ok(expected), "{text}");
        }
        // Month first where that is the custom, but never against the digits.
        assert_eq!(parse_date("12/02/2026", true), Ok(d));
        assert_eq!(parse_date("12/02/2026", false), Ok(date(2026, 2, 12)));
        assert_eq!(parse_date("25/12/2026", true), Ok(date(2026, 12, 25)));
        assert_eq!(parse_date("12/25/2026", false), Ok(date(2026, 12, 25)));
        for bad in [
            "",
            "soon",
            "31/02/2026",
            "2026-12",
            "13/13/2026",
            "2 Foo 2026",
        ] {
            assert!(parse_date(bad, false).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn times_of_day_in_24_and_12_hour_forms() {
        for (text, expected) in [
            ("08:30", time(8, 30, 0, 0)),
            ("8:30", time(8, 30, 0, 0)),
            ("08:30:00", time(8, 30, 0, 0)),
            ("8.30", time(8, 30, 0, 0)),
            ("8:30 AM", time(8, 30, 0, 0)),
            ("8:30:00 PM", time(20, 30, 0, 0)),
            ("12:15 am", time(0, 15, 0, 0)),
            ("12:15 PM", time(12, 15, 0, 0)),
            ("8am", time(8, 0, 0, 0)),
            ("17:45", time(17, 45, 0, 0)),
        ] {
            assert_eq!(parse_time(text), Ok(expected), "{text}");
        }
        for bad in ["", "8", "25:00", "8:5", "13:00 PM", "noon"] {
            assert!(parse_time(bad).is_err(), "{bad:?}");
        }
    }
}
