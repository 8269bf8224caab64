//! The templates a new install starts with.
//!
//! Written the way good reminder services write them: the business name first (the number alone
//! does not say who is texting), the appointment, one clear action, and the opt-out. Plain ASCII
//! only (no curly quotes, dashes or emoji), so each stays in the cheap GSM-7 encoding, and short
//! enough for one 160-character segment with typical details. The address comes from Settings
//! (`{{business_address}}`), so nobody types it for each reminder.

use super::Template;

/// The four starter templates: confirmation, reminder the day before, moved, cancelled.
pub fn starter_templates() -> Vec<Template> {
    [
        (
            "starter-confirmation",
            "Appointment confirmation",
            "{{business_name}}: Hi {{first_name}}, your appointment is booked for {{date}} at {{time}}. To change it, reply to this text. Reply STOP to opt out.",
        ),
        (
            "starter-reminder",
            "Reminder (day before)",
            "{{business_name}}: Hi {{first_name}}, see you tomorrow, {{date}} at {{time}}, at {{business_address}}. Can't make it? Reply to this text. Reply STOP to opt out.",
        ),
        (
            "starter-reschedule",
            "Appointment moved",
            "{{business_name}}: Hi {{first_name}}, your appointment has moved to {{date}} at {{time}}. Can't make it? Reply to this text. Reply STOP to opt out.",
        ),
        (
            "starter-cancellation",
            "Appointment cancelled",
            "{{business_name}}: Hi {{first_name}}, your appointment on {{date}} at {{time}} is cancelled. To book a new time, reply to this text. Reply STOP to opt out.",
        ),
    ]
    .into_iter()
    .map(|(id, name, body)| Template {
        id: id.to_owned(),
        name: name.to_owned(),
        body: body.to_owned(),
        open_conversation: false,
        teammate_id: None,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;
    use crate::templates::{placeholders, render, validate, BusinessInfo};

    fn example_business() -> BusinessInfo {
        BusinessInfo {
            business_name: "Bright Smile Dental".into(),
            business_phone: "01632 960123".into(),
            business_address: "12 High Street".into(),
        }
    }

    fn example_values() -> BTreeMap<String, String> {
        [
            ("first_name", "Maria"),
            ("date", "Tue 14 May"),
            ("time", "3:30 PM"),
            ("location", "12 High Street"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    #[derive(Serialize)]
    struct Rendered {
        id: String,
        name: String,
        message: String,
        characters: usize,
    }

    fn rendered() -> Vec<Rendered> {
        starter_templates()
            .into_iter()
            .map(|t| {
                let message = render(&t.body, &example_values(), &example_business())
                    .expect("starter templates render with the example values");
                Rendered {
                    characters: message.chars().count(),
                    id: t.id,
                    name: t.name,
                    message,
                }
            })
            .collect()
    }

    #[test]
    fn starter_templates_read_well() {
        insta::assert_json_snapshot!(rendered());
    }

    #[test]
    fn starter_templates_fit_one_cheap_segment() {
        for r in rendered() {
            assert!(
                r.message.is_ascii() && !r.message.contains('`'),
                "{} must stay GSM-7 (plain ASCII, no backtick): {}",
                r.id,
                r.message
            );
            assert!(
                !r.message
                    .contains(['[', ']', '{', '}', '\\', '^', '~', '|']),
                "{} has a GSM extension character, which counts double",
                r.id
            );
            assert!(
                r.characters <= 160,
                "{} is {} characters with the example details: more than one segment",
                r.id,
                r.characters
            );
        }
    }

    #[test]
    fn starter_templates_are_valid_and_ask_only_for_appointment_details() {
        let list = starter_templates();
        let ids: std::collections::HashSet<_> = list.iter().map(|t| &t.id).collect();
        assert_eq!(ids.len(), list.len(), "ids are unique");
        for t in &list {
            assert_eq!(validate(t), Ok(()), "{}", t.id);
            assert!(t.body.starts_with("{{business_name}}: "), "{}", t.id);
            assert!(t.body.ends_with("Reply STOP to opt out."), "{}", t.id);
            let typed: Vec<String> = placeholders(&t.body)
                .expect("valid markup")
                .into_iter()
                .filter(|p| !p.from_business)
                .map(|p| p.name)
                .collect();
            assert_eq!(typed, ["first_name", "date", "time"], "{}", t.id);
        }
    }
}
