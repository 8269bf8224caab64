//! Numbers that are one phone written two ways, so that the do-not-text list holds a phone
//! whichever way it was typed.
//!
//! Argentina's mobiles have two valid international forms: `+54 9 11 2345-6789` (with the 9
//! for mobiles, which libphonenumber reads as a mobile, `+5491123456789`) and
//! `+54 11 2345-6789` (without it, read as a fixed line, `+541123456789`). Both are valid
//! E.164 numbers, different strings, and a text to either can reach the same phone, so a STOP
//! recorded under one must refuse the other.
//!
//! Mexico's old mobile prefix (`+52 1 55…`, dropped in 2019) is not such a case:
//! libphonenumber refuses it as too long, so a Mexican phone has one form only.

use crate::phone;

/// `e164` and every other form of the same phone (valid numbers only), `e164` first.
pub fn same_phone(e164: &str) -> Vec<String> {
    let mut forms = vec![e164.to_owned()];
    if let Some(national) = e164.strip_prefix("+54") {
        let other = match national.strip_prefix('9') {
            Some(without_nine) => format!("+54{without_nine}"),
            None => format!("+549{national}"),
        };
        if phone::validate(&other, None).e164.as_deref() == Some(other.as_str()) {
            forms.push(other);
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phone::{validate, Country};

    #[test]
    fn argentinas_two_forms_of_a_mobile_are_one_phone() {
        let ar = Country::parse("AR").ok();
        let mobile = validate("+54 9 11 2345-6789", None).e164.expect("valid");
        let without_nine = validate("+54 11 2345-6789", None).e164.expect("valid");
        let national = validate("011 15 2345-6789", ar).e164.expect("valid");
        assert_eq!(mobile, "+5491123456789");
        assert_eq!(without_nine, "+541123456789");
        assert_eq!(national, mobile, "the national 15 form is the mobile form");
        assert_eq!(same_phone(&mobile), [mobile.clone(), without_nine.clone()]);
        assert_eq!(same_phone(&without_nine), [without_nine, mobile]);
        assert_eq!(
            same_phone("+5493512345678"),
            ["+5493512345678", "+543512345678"]
        );
    }

    #[test]
    fn other_countries_have_one_form() {
        assert_eq!(same_phone("+12015550123"), ["+12015550123"]);
        assert_eq!(same_phone("+525512345678"), ["+525512345678"]);
        assert!(
            !validate("+52 1 55 1234 5678", None).valid,
            "Mexico's old mobile 1 is refused, not a second form"
        );
    }
}
