//! Phone numbers as people type them, checked and normalised to E.164.
//!
//! The parsing library (`rlibphonenumber`, a port of Google's libphonenumber) is used only in
//! this module, so it can be swapped in one place.

use rlibphonenumber::{
    enums::Region, ParseError, PhoneNumber, PhoneNumberFormat, PhoneNumberType, ValidationError,
    PHONE_NUMBER_UTIL,
};
use serde::Serialize;

use crate::error::{Error, Result};

/// The longest typed number read, in characters (spaces, dashes, brackets and "ext. 1234"
/// included; E.164 is at most 15 digits). Anything longer is refused before it is parsed.
pub const MAX_INPUT_CHARS: usize = 64;

/// What kind of line a number is, as far as the numbering plan tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberKind {
    Mobile,
    FixedLine,
    FixedLineOrMobile,
    TollFree,
    PremiumRate,
    SharedCost,
    Voip,
    PersonalNumber,
    Pager,
    Uan,
    Voicemail,
    Unknown,
}

impl NumberKind {
    fn from_lib(kind: PhoneNumberType) -> Self {
        match kind {
            PhoneNumberType::Mobile => NumberKind::Mobile,
            PhoneNumberType::FixedLine => NumberKind::FixedLine,
            PhoneNumberType::FixedLineOrMobile => NumberKind::FixedLineOrMobile,
            PhoneNumberType::TollFree => NumberKind::TollFree,
            PhoneNumberType::PremiumRate => NumberKind::PremiumRate,
            PhoneNumberType::SharedCost => NumberKind::SharedCost,
            PhoneNumberType::VoIP => NumberKind::Voip,
            PhoneNumberType::PersonalNumber => NumberKind::PersonalNumber,
            PhoneNumberType::Pager => NumberKind::Pager,
            PhoneNumberType::UAN => NumberKind::Uan,
            PhoneNumberType::VoiceMail => NumberKind::Voicemail,
            PhoneNumberType::Unknown => NumberKind::Unknown,
        }
    }

    /// A warning for kinds that usually cannot receive a text message.
    fn warning(self) -> Option<&'static str> {
        match self {
            NumberKind::FixedLine => Some(
                "This looks like a landline. Landlines usually cannot receive text messages: ask for a mobile number.",
            ),
            NumberKind::TollFree | NumberKind::PremiumRate | NumberKind::SharedCost | NumberKind::Uan => Some(
                "This is a business service number (toll-free, premium or shared-cost). It probably cannot receive text messages.",
            ),
            NumberKind::Pager | NumberKind::Voicemail => {
                Some("This number is a pager or voicemail service and cannot receive text messages.")
            }
            _ => None,
        }
    }
}

/// The verdict on one typed number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneCheck {
    /// Exactly what was typed.
    pub input: String,
    pub valid: bool,
    /// `+` and digits, what is sent to Octopods.
    pub e164: Option<String>,
    /// As dialled inside its country, e.g. `(415) 555-2671`.
    pub national: Option<String>,
    /// As written for the world, e.g. `+1 415-555-2671`.
    pub international: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<NumberKind>,
    /// The number's country (ISO 3166 code), e.g. `US`.
    pub region: Option<String>,
    /// Why the number is not valid, in plain words.
    pub error: Option<String>,
    /// A valid number that probably cannot receive SMS (a landline, a toll-free number...).
    pub warning: Option<String>,
}

/// A stored number (+E.164) as people read it, grouped: `+1 201-555-0123`. Unchanged when it
/// cannot be parsed.
pub fn display(e164: &str) -> String {
    validate(e164, None)
        .international
        .unwrap_or_else(|| e164.to_owned())
}

/// A default country, checked: `US`, `gb`... (ISO 3166 two-letter code, any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country(Region);

impl Country {
    pub fn parse(code: &str) -> Result<Self> {
        let unknown = || Error::UnknownCountry(code.trim().to_owned());
        let region = Region::from_code(code.trim()).map_err(|_| unknown())?;
        PHONE_NUMBER_UTIL
            .get_country_code_for_region(region)
            .ok_or_else(unknown)?;
        Ok(Self(region))
    }

    pub fn code(self) -> String {
        self.0.as_region_str().to_string()
    }

    /// The international calling code, e.g. 44 for GB.
    pub fn calling_code(self) -> Option<i32> {
        PHONE_NUMBER_UTIL.get_country_code_for_region(self.0)
    }
}

/// Every country the numbering data knows, with its calling code, sorted by code.
pub fn countries() -> Vec<(String, i32)> {
    let mut list: Vec<(String, i32)> = PHONE_NUMBER_UTIL
        .get_supported_regions()
        .filter_map(|r| {
            let country = Country(r);
            Some((country.code(), country.calling_code()?))
        })
        .collect();
    list.sort();
    list
}

/// Loads the numbering data, so that the first number a person types is answered at once.
/// Call it on a background thread at startup.
pub fn warm_up() {
    let _ = validate("+14155552671", None);
}

/// Checks a number as a person typed it. Numbers without `+` are read as dialled in
/// `default_country`; `00` followed by a country code is accepted from anywhere.
pub fn validate(input: &str, default_country: Option<Country>) -> PhoneCheck {
    check(input, default_country, Forms::Display)
}

/// [`validate`] without the two display forms (`national` and `international` stay `None`):
/// what sending, a list's row checks and `smsdesk validate` need. Formatting is about a
/// sixth of a check's time, so a list of thousands is checked this way.
pub fn validate_for_sending(input: &str, default_country: Option<Country>) -> PhoneCheck {
    check(input, default_country, Forms::E164Only)
}

/// [`validate_for_sending`] for many numbers at once, answered in the same order, on every
/// processor core (a list's numbers are independent; regular-expression matching is the cost,
/// so the cores share it evenly). Few numbers are checked on the calling thread.
pub fn validate_many_for_sending<S: AsRef<str> + Sync>(
    inputs: &[S],
    default_country: Option<Country>,
) -> Vec<PhoneCheck> {
    const WORTH_A_THREAD: usize = 64;
    let one = |input: &S| validate_for_sending(input.as_ref(), default_country);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || inputs.len() < 2 * WORTH_A_THREAD {
        return inputs.iter().map(one).collect();
    }
    let chunk = inputs.len().div_ceil(threads).max(WORTH_A_THREAD);
    std::thread::scope(|scope| {
        let mut parts = inputs.chunks(chunk);
        // The calling thread takes the first part itself rather than wait idle.
        let first = parts.next().unwrap_or_default();
        let others: Vec<_> = parts
            .map(|part| scope.spawn(move || part.iter().map(one).collect::<Vec<_>>()))
            .collect();
        let mut all: Vec<PhoneCheck> = first.iter().map(one).collect();
        for (handle, part) in others.into_iter().zip(inputs.chunks(chunk).skip(1)) {
            match handle.join() {
                Ok(checks) => all.extend(checks),
                // A thread that panicked: its part is checked again here, so every number
                // still gets its answer (and a real bug panics again, visibly).
                Err(_) => all.extend(part.iter().map(one)),
            }
        }
        all
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Forms {
    Display,
    E164Only,
}

fn check(input: &str, default_country: Option<Country>, forms: Forms) -> PhoneCheck {
    let trimmed = input.trim();
    let mut check = PhoneCheck {
        input: input.to_owned(),
        valid: false,
        e164: None,
        national: None,
        international: None,
        kind: None,
        region: None,
        error: None,
        warning: None,
    };
    if trimmed.is_empty() {
        check.error = Some("Enter a phone number.".into());
        return check;
    }
    // Before the parser: it has no bound of its own, and its cost grows with the input.
    let chars = trimmed.chars().count();
    if chars > MAX_INPUT_CHARS {
        check.error = Some(format!(
            "That is too long to be a phone number ({chars} characters). A phone number has at most 15 digits: check that only the number was pasted."
        ));
        return check;
    }
    let region = default_country.map(|c| c.0);
    // A number is valid exactly when the numbering plan gives it a type (that is how the
    // library's own `is_valid` decides), so the type is asked once and says both.
    let mut parsed = PHONE_NUMBER_UTIL.parse(trimmed, region).map(typed);
    if !parsed.as_ref().is_ok_and(|(_, kind)| kind.is_some()) {
        // "00" is the international prefix in most of the world, even where the default
        // country uses another (011 in North America).
        if let Some(rest) = trimmed.strip_prefix("00") {
            let retry = PHONE_NUMBER_UTIL
                .parse(format!("+{rest}"), region)
                .map(typed);
            if retry.as_ref().is_ok_and(|(_, kind)| kind.is_some()) {
                parsed = retry;
            }
        }
    }
    match parsed {
        Ok((number, Some(kind))) => fill_valid(&mut check, &number, kind, forms),
        Ok((number, None)) => check.error = Some(invalid_reason(&number)),
        Err(e) => check.error = Some(parse_reason(&e, trimmed, region.is_some())),
    }
    check
}

/// The number with its type, `None` when the numbering plan knows no such number.
fn typed(number: PhoneNumber) -> (PhoneNumber, Option<PhoneNumberType>) {
    let kind = number.get_type();
    let known = (kind != PhoneNumberType::Unknown).then_some(kind);
    (number, known)
}

fn fill_valid(check: &mut PhoneCheck, number: &PhoneNumber, kind: PhoneNumberType, forms: Forms) {
    let kind = NumberKind::from_lib(kind);
    check.valid = true;
    check.e164 = Some(number.format_as(PhoneNumberFormat::E164).into_owned());
    if forms == Forms::Display {
        check.national = Some(number.format_as(PhoneNumberFormat::National).into_owned());
        check.international = Some(
            number
                .format_as(PhoneNumberFormat::International)
                .into_owned(),
        );
    }
    check.kind = Some(kind);
    check.region = number
        .get_region_code()
        .map(|r| r.as_region_str().to_string());
    check.warning = kind.warning().map(str::to_owned).or_else(|| {
        // E.164 has no extension: the text goes to the number without it.
        number
            .extension
            .as_deref()
            .filter(|ext| !ext.is_empty())
            .map(|ext| format!("A text message cannot reach an extension: it goes to the number without \"ext. {ext}\"."))
    });
}

fn parse_reason(e: &ParseError, input: &str, has_default: bool) -> String {
    let digits = input.chars().filter(char::is_ascii_digit).count();
    match e {
        ParseError::InvalidCountryCode if !has_default && !input.starts_with('+') => {
            "Add the country code (for example +1 or +44), or choose your country in Settings.".into()
        }
        ParseError::InvalidCountryCode => "The country code is not valid. Check the digits after the +.".into(),
        ParseError::NotANumber(_) if digits == 0 => "That is not a phone number: it has no digits.".into(),
        ParseError::NotANumber(_) => "That is not a phone number. Use digits, spaces, brackets, dashes and an optional + only.".into(),
        ParseError::TooShortAfterIdd | ParseError::TooShortNsn => {
            "The number is too short. Check that no digits are missing.".into()
        }
        ParseError::TooLongNsn => "The number is too long. Check for extra digits.".into(),
    }
}

fn invalid_reason(number: &PhoneNumber) -> String {
    match number.is_possible_with_reason() {
        Err(ValidationError::InvalidCountryCode) => {
            "The country code is not valid. Check the digits after the +.".into()
        }
        Err(ValidationError::TooShort) => "The number is too short for its country. Check that no digits are missing.".into(),
        Err(ValidationError::TooLong) => "The number is too long for its country. Check for extra digits.".into(),
        Err(ValidationError::InvalidLength) => {
            "The number has the wrong number of digits for its country.".into()
        }
        Ok(_) => "This number does not exist in its country. Check the digits and that the country is right.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(code: &str) -> Option<Country> {
        Some(Country::parse(code).expect("known country"))
    }

    #[test]
    fn many_numbers_are_answered_in_order_as_one_by_one() {
        let typed: Vec<String> = (0..1_000)
            .map(|i| match i % 4 {
                0 => format!("07400 {:06}", i),
                1 => format!("+1 201 555 {:04}", i),
                2 => format!("0033 6 12 34 {:02} {:02}", i % 100, i / 100),
                _ => format!("{i}"),
            })
            .collect();
        let one_by_one: Vec<PhoneCheck> = typed
            .iter()
            .map(|t| validate_for_sending(t, country("GB")))
            .collect();
        assert_eq!(validate_many_for_sending(&typed, country("GB")), one_by_one);
        assert!(one_by_one.iter().any(|c| c.valid) && one_by_one.iter().any(|c| !c.valid));
        let none: [&str; 0] = [];
        assert!(validate_many_for_sending(&none, None).is_empty());
    }

    #[test]
    fn sending_checks_leave_out_only_the_display_forms() {
        for typed in [
            "07400 123456",
            "+44 20 7946 0958",
            "0044 7400 123456",
            "12",
            "x",
        ] {
            let full = validate(typed, country("GB"));
            let lean = validate_for_sending(typed, country("GB"));
            assert_eq!(lean.national, None);
            assert_eq!(lean.international, None);
            assert_eq!(
                PhoneCheck {
                    national: None,
                    international: None,
                    ..full.clone()
                },
                lean
            );
            assert_eq!(full.valid, full.international.is_some(), "{typed}");
        }
    }

    #[test]
    fn typed_forms_normalise_to_e164() {
        let cases = [
            ("(415) 555-2671", "US", "+14155552671"),
            ("0831234567", "IE", "+353831234567"),
            ("+44 (0) 20 7946 0958", "US", "+442079460958"),
            ("00353 83 123 4567", "US", "+353831234567"),
            ("00353 83 123 4567", "IE", "+353831234567"),
            ("+5511961234567", "US", "+5511961234567"),
            ("+24106031234", "NL", "+24106031234"),
            ("07400 123456", "GB", "+447400123456"),
        ];
        for (input, cc, e164) in cases {
            let check = validate(input, country(cc));
            assert!(check.valid, "{input} under {cc} should be valid: {check:?}");
            assert_eq!(check.e164.as_deref(), Some(e164), "{input} under {cc}");
        }
    }

    #[test]
    fn kinds_and_warnings() {
        let mobile = validate("07400 123456", country("GB"));
        assert_eq!(mobile.kind, Some(NumberKind::Mobile));
        assert_eq!(mobile.warning, None);
        assert_eq!(mobile.region.as_deref(), Some("GB"));
        let landline = validate("+44 20 7946 0958", None);
        assert_eq!(landline.kind, Some(NumberKind::FixedLine));
        assert!(landline.warning.is_some(), "landlines carry a warning");
        assert!(landline.valid, "a landline is still a valid number");
        let us = validate("+1 201-555-0123", None);
        assert_eq!(us.kind, Some(NumberKind::FixedLineOrMobile));
    }

    #[test]
    fn invalid_numbers_say_why() {
        let empty = validate("  ", country("US"));
        assert_eq!(empty.error.as_deref(), Some("Enter a phone number."));
        let short = validate("555-12", country("US"));
        assert!(!short.valid);
        assert!(
            short.error.as_deref().is_some_and(|e| e.contains("short")),
            "{short:?}"
        );
        let words = validate("call me", country("US"));
        assert!(!words.valid);
        let no_country = validate("0831234567", None);
        assert!(!no_country.valid);
        assert!(
            no_country
                .error
                .as_deref()
                .is_some_and(|e| e.contains("country code")),
            "{no_country:?}"
        );
        assert!(!validate("+999 123 456", None).valid);
        assert!(!validate("+1 555 555 5555", None).valid);
    }

    #[test]
    fn overlong_input_is_refused_before_it_is_parsed() {
        let huge = "1".repeat(10 * 1024 * 1024);
        for check in [
            validate(&huge, country("US")),
            validate_for_sending(&huge, None),
            validate_many_for_sending(&[huge.as_str()], None).remove(0),
        ] {
            assert!(!check.valid);
            assert_eq!(
                check.error.as_deref(),
                Some("That is too long to be a phone number (10485760 characters). A phone number has at most 15 digits: check that only the number was pasted.")
            );
        }
        let said = |typed: &str| validate(typed, None).error.unwrap_or_default();
        let at_most = "x".repeat(MAX_INPUT_CHARS);
        assert!(
            !said(&format!("  {at_most}  ")).contains("too long to be"),
            "64 are read"
        );
        assert!(
            said(&format!("{at_most}é")).contains("(65 characters)"),
            "characters, not bytes"
        );
        let extension = validate("  +1 (201) 555-0123 ext. 1234  ", None);
        assert!(extension.valid);
        assert!(
            extension
                .warning
                .as_deref()
                .is_some_and(|w| w.contains("ext. 1234")),
            "{extension:?}"
        );
    }

    #[test]
    fn countries_are_checked() {
        assert_eq!(Country::parse("gb").expect("gb").code(), "GB");
        assert!(Country::parse("ZZ").is_err());
        assert!(Country::parse("USA").is_err());
        assert!(countries().iter().any(|(c, cc)| c == "IE" && *cc == 353));
    }

    #[test]
    fn stored_numbers_are_shown_grouped() {
        assert_eq!(display("+12015550123"), "+1 201-555-0123");
        assert_eq!(display("+447400123456"), "+44 7400 123456");
        assert_eq!(display("not a number"), "not a number");
    }
}
