//! The clinic's time zone: an IANA name from Settings, else the computer's own.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

use super::TimeError;

/// The zone every wall time is read and shown in.
#[derive(Debug, Clone)]
pub struct ClinicZone {
    name: String,
    tz: TimeZone,
}

impl PartialEq for ClinicZone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl ClinicZone {
    /// A zone by its IANA name (`Europe/Dublin`); `UTC` is accepted too.
    pub fn named(name: &str) -> Result<Self, TimeError> {
        let name = name.trim();
        let tz = TimeZone::get(name).map_err(|_| TimeError::UnknownZone(name.to_owned()))?;
        Ok(Self {
            name: tz.iana_name().unwrap_or(name).to_owned(),
            tz,
        })
    }

    /// The computer's zone; UTC when it cannot be told.
    pub fn system() -> Self {
        let tz = TimeZone::try_system().unwrap_or(TimeZone::UTC);
        // A zone without a name (a rule in TZ, a fixed offset) is named by its offset now.
        let name = tz.iana_name().map(str::to_owned).unwrap_or_else(|| {
            let offset = tz.to_offset(Timestamp::now());
            format!("UTC{offset}")
        });
        Self { name, tz }
    }

    /// The zone from Settings when there is one it knows, else the computer's.
    pub fn from_setting(name: Option<&str>) -> Self {
        name.and_then(|n| Self::named(n).ok())
            .unwrap_or_else(Self::system)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// The instant `ms` on the clinic's clock.
    pub fn at(&self, ms: i64) -> Result<ZonedDateTime, TimeError> {
        let ts = Timestamp::from_millisecond(ms).map_err(|_| TimeError::OutOfRange)?;
        Ok(ts.to_zoned_datetime(self.tz.clone()))
    }

    /// `Wed 2 Dec 2026, 10:00 GMT`: how a time is shown to people, with the zone's
    /// abbreviation so that nobody wonders which clock it is.
    pub fn show(&self, ms: i64) -> String {
        match self.at(ms) {
            Ok(z) => format!("{}", z.strftime("%a %-d %b %Y, %H:%M %Z")),
            Err(_) => "an unknown time".to_owned(),
        }
    }

    /// RFC 3339 with the clinic's offset, `2026-12-02T10:00:00+00:00`: for the command line.
    pub fn rfc3339(&self, ms: i64) -> String {
        match self.at(ms) {
            Ok(z) => format!("{}", z.strftime("%Y-%m-%dT%H:%M:%S%:z")),
            Err(_) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_found_by_name_and_unknown_ones_explained() {
        let dublin = ClinicZone::named(" Europe/Dublin ").expect("known");
        assert_eq!(dublin.name(), "Europe/Dublin");
        let err = ClinicZone::named("Mars/Olympus").expect_err("unknown");
        assert!(err.to_string().contains("Mars/Olympus"));
        assert_eq!(
            ClinicZone::from_setting(Some("Nowhere/Else")),
            ClinicZone::system()
        );
    }

    #[test]
    fn times_are_shown_on_the_clinics_clock_with_its_abbreviation() {
        let ny = ClinicZone::named("America/New_York").expect("known");
        // 2026-12-02T15:00:00Z is 10:00 in New York (EST, UTC-5).
        let ms = 1_796_223_600_000;
        assert_eq!(ny.show(ms), "Wed 2 Dec 2026, 10:00 EST");
        assert_eq!(ny.rfc3339(ms), "2026-12-02T10:00:00-05:00");
    }
}
