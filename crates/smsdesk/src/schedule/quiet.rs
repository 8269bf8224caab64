//! Quiet hours: the part of each day, on the clinic's clock, in which messages may go out.

use jiff::civil::Time;

use super::typed::on_clinic_clock;
use super::{ClinicZone, TimeError};

/// Messages go out from `start` (inclusive) to `end` (exclusive) each day, clinic time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    start: Time,
    end: Time,
}

impl Default for QuietHours {
    /// 08:00 to 21:00.
    fn default() -> Self {
        Self {
            start: Time::constant(8, 0, 0, 0),
            end: Time::constant(21, 0, 0, 0),
        }
    }
}

impl QuietHours {
    /// Sending from `start` to `end`; the window cannot be empty or cross midnight.
    pub fn new(start: Time, end: Time) -> Result<Self, TimeError> {
        if start >= end {
            return Err(TimeError::EmptyQuietHours);
        }
        Ok(Self { start, end })
    }

    pub fn start(&self) -> Time {
        self.start
    }

    pub fn end(&self) -> Time {
        self.end
    }

    /// Whether a message may go out at `ms`.
    pub fn is_open(&self, ms: i64, zone: &ClinicZone) -> bool {
        zone.at(ms)
            .map(|z| (self.start..self.end).contains(&z.time()))
            .unwrap_or(false)
    }

    /// The first instant at or after `ms` at which messages may go out: `ms` itself inside the
    /// window, else the next opening (this morning's, or tomorrow's after the evening's end).
    pub fn next_open(&self, ms: i64, zone: &ClinicZone) -> Result<i64, TimeError> {
        let local = zone.at(ms)?;
        let time = local.time();
        if (self.start..self.end).contains(&time) {
            return Ok(ms);
        }
        let day = if time < self.start {
            local.date()
        } else {
            local.date().tomorrow().map_err(|_| TimeError::OutOfRange)?
        };
        on_clinic_clock(day.to_datetime(self.start), zone)
    }

    /// When the window open at `ms` closes (today's end), for "sending stops at 21:00".
    pub fn closes_at(&self, ms: i64, zone: &ClinicZone) -> Result<i64, TimeError> {
        let local = zone.at(ms)?;
        on_clinic_clock(local.date().to_datetime(self.end), zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::time;
    use jiff::Timestamp;

    fn utc(text: &str) -> i64 {
        text.parse::<Timestamp>()
            .expect("timestamp")
            .as_millisecond()
    }

    #[test]
    fn both_edges_of_the_window() {
        let dublin = ClinicZone::named("Europe/Dublin").expect("zone");
        let hours = QuietHours::default();
        // Winter: Dublin is on UTC.
        assert!(!hours.is_open(utc("2026-12-02T07:59:59Z"), &dublin));
        assert!(hours.is_open(utc("2026-12-02T08:00:00Z"), &dublin));
        assert!(hours.is_open(utc("2026-12-02T20:59:59Z"), &dublin));
        assert!(!hours.is_open(utc("2026-12-02T21:00:00Z"), &dublin));
        assert_eq!(
            hours.next_open(utc("2026-12-02T06:00:00Z"), &dublin),
            Ok(utc("2026-12-02T08:00:00Z"))
        );
        assert_eq!(
            hours.next_open(utc("2026-12-02T12:00:00Z"), &dublin),
            Ok(utc("2026-12-02T12:00:00Z"))
        );
        assert_eq!(
            hours.next_open(utc("2026-12-02T21:00:00Z"), &dublin),
            Ok(utc("2026-12-03T08:00:00Z"))
        );
        assert_eq!(
            hours.closes_at(utc("2026-12-02T12:00:00Z"), &dublin),
            Ok(utc("2026-12-02T21:00:00Z"))
        );
    }

    #[test]
    fn the_next_morning_after_summer_time_begins_is_08_00_local() {
        // Dublin goes to UTC+1 at 01:00 UTC on Sun 29 Mar 2026.
        let dublin = ClinicZone::named("Europe/Dublin").expect("zone");
        let hours = QuietHours::default();
        assert_eq!(
            hours.next_open(utc("2026-03-28T22:00:00Z"), &dublin),
            Ok(utc("2026-03-29T07:00:00Z"))
        );
    }

    #[test]
    fn an_empty_window_is_refused() {
        assert_eq!(
            QuietHours::new(time(21, 0, 0, 0), time(8, 0, 0, 0)),
            Err(TimeError::EmptyQuietHours)
        );
        assert!(QuietHours::new(time(9, 0, 0, 0), time(17, 30, 0, 0)).is_ok());
    }
}
