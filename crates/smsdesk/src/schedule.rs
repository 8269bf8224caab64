//! When things are sent (issue 10): the clinic's time zone, the times people type, reminders
//! relative to an appointment, and quiet hours. Rules only, no I/O: the store keeps what is
//! scheduled and the worker sends it.
//!
//! Every instant is milliseconds since the Unix epoch, as everywhere in the store; every wall
//! time is read in the clinic's zone ([`ClinicZone`]), never in UTC and never as "24 hours per
//! day": "the day before at 10:00" is 10:00 on the clinic's calendar, summer time or not.

mod lead;
mod quiet;
mod typed;
mod zone;

pub use lead::{Appointment, Lead, NeedsTime};
pub use quiet::QuietHours;
pub use typed::{parse_at, parse_date, parse_time};
pub use zone::ClinicZone;

use thiserror::Error;

/// Why a time, a zone or a reminder rule could not be used, for a receptionist.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimeError {
    #[error("\"{0}\" is not a time zone this computer knows. Use a name such as Europe/Dublin or America/New_York.")]
    UnknownZone(String),
    #[error("\"{0}\" is not a date and time SMS Desk can read. Write it as 2026-12-02 10:00.")]
    UnreadableTime(String),
    #[error("\"{0}\" is not a date SMS Desk can read. Write it as 2026-12-02 (or as the booking system shows dates).")]
    UnreadableDate(String),
    #[error("\"{0}\" is not a time of day SMS Desk can read. Write it as 10:00 or 10:00 AM.")]
    UnreadableTimeOfDay(String),
    #[error("\"{0}\" is not a reminder rule SMS Desk can read. Write it as \"1 day at 10:00\", \"2 hours\" or \"on the day at 08:30\".")]
    UnreadableLead(String),
    #[error("{0} has already passed. Choose a time from now on.")]
    InThePast(String),
    #[error("The grace period must be between 1 minute and 24 hours.")]
    Grace,
    #[error("That time is out of range.")]
    OutOfRange,
    #[error("Quiet hours must start before they end, for example 08:00 to 21:00.")]
    EmptyQuietHours,
}
