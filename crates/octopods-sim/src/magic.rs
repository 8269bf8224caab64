//! Destination numbers that make the simulator misbehave on purpose.
//!
//! All of them are in the NANP fictional range 555-0100..0199, so they pass the app's own phone
//! validation and can never reach a real person.

use crate::faults::Fault;

/// Every magic number and what it does, for the Practice screen to list.
pub const MAGIC_NUMBERS: &[(&str, &str)] = &[
    (
        "+12015550140",
        "Refused: the number is a landline (error 4).",
    ),
    (
        "+12015550141",
        "Refused: the person opted out by replying STOP (error 4).",
    ),
    (
        "+12015550150",
        "Octopods has a server problem: you cannot tell if it was sent.",
    ),
    (
        "+12015550151",
        "Octopods answers with an error page: you cannot tell if it was sent.",
    ),
    (
        "+12015550152",
        "Octopods is busy (too many messages): not sent, safe to try again.",
    ),
    (
        "+12015550153",
        "The connection breaks after sending: you cannot tell if it was sent.",
    ),
    (
        "+12015550160",
        "Sent, but the phone company rejects it (delivery failed).",
    ),
    (
        "+12015550161",
        "Sent, but never delivered (the phone is switched off).",
    ),
];

/// How a send to a magic number ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Magic {
    /// `400` with `error_code` 4 and this text.
    SmsError(&'static str),
    /// Answered as if this fault had been set.
    Fault(Fault),
    /// Accepted; the delivery status ends with this final status.
    Accepted(FinalStatus),
}

/// The last stage of an accepted message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FinalStatus {
    Delivered,
    Failed(&'static str),
    Undelivered(&'static str),
}

/// What happens to a send to `phone` (an already validated E.164 number).
pub(crate) fn lookup(phone: &str) -> Magic {
    match phone {
        "+12015550140" => {
            Magic::SmsError("The destination number is a landline and cannot receive SMS.")
        }
        "+12015550141" => Magic::SmsError(
            "The recipient has opted out of messages from this number (replied STOP).",
        ),
        "+12015550150" => Magic::Fault(Fault::ServerError),
        "+12015550151" => Magic::Fault(Fault::BadGatewayHtml),
        "+12015550152" => Magic::Fault(Fault::RateLimited {
            retry_after: Some(2),
        }),
        "+12015550153" => Magic::Fault(Fault::DropConnection),
        "+12015550160" => Magic::Accepted(FinalStatus::Failed("Carrier rejected the message.")),
        "+12015550161" => Magic::Accepted(FinalStatus::Undelivered(
            "The phone was switched off or out of coverage.",
        )),
        _ => Magic::Accepted(FinalStatus::Delivered),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::is_e164;

    #[test]
    fn the_table_lists_exactly_the_numbers_that_behave_differently() {
        for (number, description) in MAGIC_NUMBERS {
            assert!(is_e164(number), "{number} must pass validation");
            assert_ne!(
                lookup(number),
                Magic::Accepted(FinalStatus::Delivered),
                "{number} is listed but behaves normally"
            );
            assert!(!description.is_empty());
        }
        for last in 100..200 {
            let number = format!("+1201555{last:04}");
            let listed = MAGIC_NUMBERS.iter().any(|(n, _)| *n == number);
            let special = lookup(&number) != Magic::Accepted(FinalStatus::Delivered);
            assert_eq!(listed, special, "{number}: table and behaviour disagree");
        }
    }
}
