//! What Excel does to phone numbers and times, found in a cell's text: pure helpers for the
//! row checks.

use std::fmt;

use crate::phone::{self, Country};

/// A phone cell that Excel changed, so that it cannot be sent as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneTrap {
    /// `4.41E+11` or `4,41E+11`: Excel wrote the number in scientific notation and its last
    /// digits are lost. The row cannot be sent; the column must be fixed in the file.
    ScientificNotation,
    /// Digits only, not a valid number, but a valid one in the default country with a 0 in
    /// front: Excel read `07700...` as a number and dropped the 0. `e164` is that reading (it
    /// is unambiguous: the digits alone are no number).
    LeadingZeroDropped { e164: String },
}

impl PhoneTrap {
    /// The problem and its fix, in plain words, for the row.
    pub fn message(&self) -> String {
        match self {
            PhoneTrap::ScientificNotation => "Excel has turned this phone number into scientific notation (like 4.41E+11), which loses its last digits, so it cannot be sent. In Excel, select the phone column, choose Format Cells and then Text (or Number with 0 decimal places), check the numbers, save the file again and import it again.".to_owned(),
            PhoneTrap::LeadingZeroDropped { e164 } => format!(
                "This number is missing its leading 0: Excel drops it when a phone column is formatted as numbers. With the 0 it reads {}. To keep the 0, format the phone column as Text in Excel before you save the file.",
                phone::display(e164)
            ),
        }
    }
}

impl fmt::Display for PhoneTrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// What Excel did to the phone `cell`, if anything. `country` is the default country national
/// numbers are read in; without it only scientific notation can be told.
///
/// A valid number is never a trap: `7400123456` in GB is read as `+447400123456` by
/// [`phone::validate`] itself (the national 0 is optional there), so nothing is lost.
pub fn phone_trap(cell: &str, country: Option<Country>) -> Option<PhoneTrap> {
    if is_scientific(cell.trim()) {
        return Some(PhoneTrap::ScientificNotation);
    }
    let digits = national_digits(cell)?;
    if phone::validate_for_sending(digits, country).valid {
        return None;
    }
    let e164 = zero_reading(digits, country?)?;
    Some(PhoneTrap::LeadingZeroDropped { e164 })
}

/// The E.164 of `cell` read with a leading 0 in `country`, when that reading is valid and
/// unambiguous: the digits alone are no valid number, or the same one (GB: `7400123456` →
/// `+447400123456`). `None` for anything but digits, a cell that already starts with 0, or a
/// reading that is not valid.
pub fn with_leading_zero(cell: &str, country: Option<Country>) -> Option<String> {
    let digits = national_digits(cell)?;
    let e164 = zero_reading(digits, country?)?;
    let alone = phone::validate_for_sending(digits, country);
    match alone.e164 {
        Some(other) if alone.valid && other != e164 => None,
        _ => Some(e164),
    }
}

/// The trimmed cell when it is 4 to 16 ASCII digits and does not start with 0.
fn national_digits(cell: &str) -> Option<&str> {
    let digits = cell.trim();
    let plain = (4..=16).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    plain.then_some(digits)
}

/// `0` and `digits` read in `country`, when that is a valid number of `country` that keeps
/// every digit typed. Not where the 0 is read as something else: the international prefix
/// (Cape Verde, Samoa: `0298765432` is a Faroese number), or the start of a carrier code that
/// takes more digits with it (South Korea's `081...`).
fn zero_reading(digits: &str, country: Country) -> Option<String> {
    let check = phone::validate_for_sending(&format!("0{digits}"), Some(country));
    let home = check.region.as_deref() == Some(country.code().as_str());
    match check.e164 {
        Some(e164) if check.valid && home && e164.ends_with(digits) => Some(e164),
        _ => None,
    }
}

/// `4.41E+11`, `4,41E+11`, `4.41e11`, `4E+11`: a mantissa, `E`, an optional `+`, an exponent.
fn is_scientific(cell: &str) -> bool {
    let Some((mantissa, exponent)) = cell.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (whole, fraction) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !whole.is_empty()
        && all_digits(whole)
        && all_digits(fraction)
        && !exponent.is_empty()
        && all_digits(exponent)
}

/// A time of day typed as text, as `HH:MM` (24 h): `8:30:00 AM`, `8:30 AM`, `8:30am`,
/// `8 PM`, `14:30`, `14:30:00`, `8.30 a.m.`. `None` for anything else, or a time that does not
/// exist (`25:00`, `13:00 PM`).
pub fn normalize_time(cell: &str) -> Option<String> {
    let lowered = cell.trim().to_ascii_lowercase();
    let compact: String = lowered.chars().filter(|c| *c != ' ').collect();
    let (clock, meridiem) = if let Some(rest) = strip_meridiem(&compact, 'a') {
        (rest, Some(false))
    } else if let Some(rest) = strip_meridiem(&compact, 'p') {
        (rest, Some(true))
    } else {
        (compact.as_str(), None)
    };
    let mut parts = clock.split([':', '.']);
    let hour = number(parts.next()?, 1..=2)?;
    let minute = match parts.next() {
        Some(m) => number(m, 2..=2)?,
        None if meridiem.is_some() => 0,
        None => return None,
    };
    if let Some(second) = parts.next() {
        number(second, 2..=2).filter(|s| *s < 60)?;
    }
    if parts.next().is_some() || minute > 59 {
        return None;
    }
    let hour = match meridiem {
        None if hour <= 23 => hour,
        Some(pm) if (1..=12).contains(&hour) => hour % 12 + if pm { 12 } else { 0 },
        _ => return None,
    };
    Some(format!("{hour:02}:{minute:02}"))
}

/// The clock before `am`/`a.m.` (`letter` `a`) or `pm`/`p.m.` (`p`).
fn strip_meridiem(text: &str, letter: char) -> Option<&str> {
    for suffix in [
        format!("{letter}m"),
        format!("{letter}.m."),
        format!("{letter}.m"),
    ] {
        if let Some(rest) = text.strip_suffix(suffix.as_str()) {
            return Some(rest);
        }
    }
    None
}

fn number(text: &str, digits: std::ops::RangeInclusive<usize>) -> Option<u32> {
    let ok = digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(code: &str) -> Option<Country> {
        Some(Country::parse(code).expect("a known country"))
    }

    #[test]
    fn scientific_notation_is_a_trap() {
        for cell in ["4.41E+11", "4,41E+11", " 4.477E+11 ", "4E+11", "4.41e11"] {
            assert_eq!(
                phone_trap(cell, country("GB")),
                Some(PhoneTrap::ScientificNotation),
                "{cell}"
            );
            assert_eq!(phone_trap(cell, None), Some(PhoneTrap::ScientificNotation));
        }
        for cell in [
            "447700900123",
            "+44 7700 900123",
            "E+11",
            "4.41E",
            "4.41E-",
            "Eve",
        ] {
            assert_ne!(
                phone_trap(cell, None),
                Some(PhoneTrap::ScientificNotation),
                "{cell}"
            );
        }
        let message = PhoneTrap::ScientificNotation.message();
        assert!(
            message.contains("Format Cells") && message.contains("Text"),
            "{message}"
        );
    }

    #[test]
    fn a_dropped_leading_zero_is_read_only_when_unambiguous() {
        // GB: the national 0 is optional to the numbering plan, so nothing is lost.
        assert_eq!(
            with_leading_zero("7400123456", country("GB")).as_deref(),
            Some("+447400123456")
        );
        assert_eq!(phone_trap("7400123456", country("GB")), None);
        // Italy: the 0 of a fixed line is part of the number; without it, no number.
        let rome = "0612345678";
        assert!(phone::validate(rome, country("IT")).valid);
        assert!(!phone::validate(&rome[1..], country("IT")).valid);
        let e164 = with_leading_zero(&rome[1..], country("IT"));
        assert_eq!(e164.as_deref(), Some("+390612345678"));
        let trap = phone_trap(&rome[1..], country("IT"));
        assert_eq!(
            trap,
            Some(PhoneTrap::LeadingZeroDropped {
                e164: "+390612345678".into()
            })
        );
        let message = trap.map(|t| t.message()).unwrap_or_default();
        assert!(message.contains("+39 06 1234 5678"), "{message}");
        // Italy: a mobile (3...) is valid as it is, and also a fixed line with a 0 in front:
        // two readings, so none is offered and the number stays as typed.
        let mobile = "3123456789";
        assert!(phone::validate(mobile, country("IT")).valid);
        assert!(phone::validate(&format!("0{mobile}"), country("IT")).valid);
        assert_eq!(with_leading_zero(mobile, country("IT")), None);
        assert_eq!(phone_trap(mobile, country("IT")), None);
        // Not digits only, already a 0, no country, nothing valid with a 0.
        assert_eq!(with_leading_zero("7400 123456", country("GB")), None);
        assert_eq!(with_leading_zero("07400123456", country("GB")), None);
        assert_eq!(with_leading_zero("7400123456", None), None);
        assert_eq!(with_leading_zero("12", country("GB")), None);
        assert_eq!(phone_trap("612345678", None), None);
        // Côte d'Ivoire: the 0 is part of every number, mobiles included.
        assert_eq!(
            with_leading_zero("712345678", country("CI")).as_deref(),
            Some("+2250712345678")
        );
        // A 0 that is not a dropped 0: Cape Verde's international prefix (a Faroese number),
        // South Korea's carrier code 081 (it would swallow the 81).
        for (cell, code) in [("298765432", "CV"), ("81111111111", "KR")] {
            assert_eq!(
                with_leading_zero(cell, country(code)),
                None,
                "{code} {cell}"
            );
            assert_eq!(phone_trap(cell, country(code)), None, "{code} {cell}");
        }
    }

    #[test]
    fn typed_times_normalise() {
        let cases = [
            ("8:30:00 AM", "08:30"),
            ("8:30 AM", "08:30"),
            ("8:30am", "08:30"),
            ("08:30 a.m.", "08:30"),
            ("12:15 AM", "00:15"),
            ("12:15 PM", "12:15"),
            ("2:30 PM", "14:30"),
            ("8 PM", "20:00"),
            ("14:30", "14:30"),
            ("14:30:00", "14:30"),
            ("8.30", "08:30"),
            (" 9:05 ", "09:05"),
        ];
        for (typed, want) in cases {
            assert_eq!(normalize_time(typed).as_deref(), Some(want), "{typed}");
        }
        for typed in [
            "25:00", "13:00 PM", "0:30 AM", "8:3", "8:60", "14", "soon", "", "8:30:61",
        ] {
            assert_eq!(normalize_time(typed), None, "{typed}");
        }
    }
}
