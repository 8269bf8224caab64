//! Which column is the phone, the name and each template field: guessed from the headers
//! ([`guess`]), named by the person ([`column`]), remembered per header layout
//! ([`header_key`]).

use std::collections::BTreeMap;

use super::table::clean_header;

/// The columns a bulk send reads, as indexes into [`super::table::Table::headers`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    pub phone: Option<usize>,
    pub name: Option<usize>,
    /// Placeholder name (as in the template, e.g. `first_name`) → column.
    pub fields: BTreeMap<String, usize>,
}

/// Headers that hold the phone to text, best first: a mobile before a number that may be a
/// landline. Compared folded ([`fold`]): lowercase, without accents, spaces or punctuation.
const PHONE: &[&str] = &[
    "mobile",
    "mobilenumber",
    "mobilephone",
    "mobileno",
    "cell",
    "cellphone",
    "cellnumber",
    "cellular",
    "handy",
    "handynummer",
    "mobil",
    "movil",
    "portable",
    "telephoneportable",
    "cellulare",
    "gsm",
    "sms",
    "smsnumber",
    "phone",
    "phonenumber",
    "phoneno",
    "telephone",
    "telephonenumber",
    "tel",
    "telno",
    "telefon",
    "telefono",
    "telefone",
    "contactnumber",
];

/// Words that make a header a phone column when the whole header is not in [`PHONE`]
/// ("Patient mobile", "Phone (home)"), best first.
const PHONE_WORDS: &[&str] = &[
    "mobile",
    "cell",
    "handy",
    "sms",
    "phone",
    "telephone",
    "tel",
];

/// Headers that hold the person's name, best first.
const NAME: &[&str] = &[
    "name",
    "fullname",
    "patientname",
    "clientname",
    "customername",
    "contactname",
    "patient",
    "client",
    "customer",
    "nom",
    "nombre",
    "firstname",
    "givenname",
    "forename",
    "prenom",
    "vorname",
];

/// Other headers a placeholder may be written as. The first entry of a group is the
/// placeholder's usual name; a placeholder equal to any entry looks for all of them, its own
/// name first.
const SYNONYMS: &[&[&str]] = &[
    &[
        "date",
        "appointmentdate",
        "apptdate",
        "appointmentday",
        "visitdate",
        "bookingdate",
        "day",
    ],
    &[
        "time",
        "appointmenttime",
        "appttime",
        "start",
        "starttime",
        "appointmentstart",
        "visittime",
        "from",
    ],
    &[
        "firstname",
        "first",
        "givenname",
        "forename",
        "prenom",
        "vorname",
    ],
    &["lastname", "surname", "familyname", "nachname"],
    &[
        "location", "clinic", "site", "branch", "venue", "place", "address",
    ],
    &[
        "doctor",
        "practitioner",
        "provider",
        "clinician",
        "dentist",
        "therapist",
        "with",
    ],
];

/// Guesses the phone, the name and each of `placeholders` from `headers`.
///
/// A placeholder maps to the header that is equal to it ignoring case, accents, spaces,
/// underscores and hyphens (`first_name` ↔ `First name`, `FIRST-NAME`), else to a synonym
/// (`date` ↔ `Appointment date`, `time` ↔ `Start`); `{{name}}` and `{{phone}}` fall back to
/// the name and phone guesses. A column is never both the phone and the name; a placeholder
/// may share the name's column (`{{first_name}}` and a `First name` column).
pub fn guess(headers: &[String], placeholders: &[String]) -> Mapping {
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    let phone = find(&folded, PHONE, None).or_else(|| by_word(headers, PHONE_WORDS));
    let name = find(&folded, NAME, phone);
    let mut fields = BTreeMap::new();
    for placeholder in placeholders {
        let key = fold(placeholder);
        let column = find(&folded, &[key.as_str()], None)
            .or_else(|| {
                let group = SYNONYMS.iter().find(|g| g.contains(&key.as_str()))?;
                find(&folded, group, None)
            })
            .or(match key.as_str() {
                "name" | "fullname" | "patientname" | "clientname" => name,
                "phone" | "mobile" | "phonenumber" | "mobilenumber" => phone,
                _ => None,
            });
        if let Some(column) = column {
            fields.insert(placeholder.clone(), column);
        }
    }
    Mapping {
        phone,
        name,
        fields,
    }
}

/// The first header (in `candidates` order) equal to a candidate, skipping `except`.
fn find(folded: &[String], candidates: &[&str], except: Option<usize>) -> Option<usize> {
    candidates.iter().find_map(|want| {
        folded
            .iter()
            .enumerate()
            .find(|(i, h)| Some(*i) != except && !h.is_empty() && h == want)
            .map(|(i, _)| i)
    })
}

/// The first header with one of `words` as a word, in `words` order.
fn by_word(headers: &[String], words: &[&str]) -> Option<usize> {
    let split: Vec<Vec<String>> = headers
        .iter()
        .map(|h| {
            h.split(|c: char| !c.is_alphanumeric())
                .map(fold)
                .filter(|w| !w.is_empty())
                .collect()
        })
        .collect();
    words
        .iter()
        .find_map(|word| split.iter().position(|ws| ws.iter().any(|w| w == word)))
}

/// A stable key of a header layout, to remember a mapping per layout: the headers lowercased
/// and trimmed (without byte order marks), joined with U+001F.
pub fn header_key(headers: &[String]) -> String {
    let cleaned: Vec<String> = headers
        .iter()
        .map(|h| clean_header(h).to_lowercase())
        .collect();
    cleaned.join("\u{1f}")
}

/// The column named `name` (the command line's `--phone-column COL`): the first header equal
/// to it ignoring case, after trimming and removing byte order marks on both sides.
pub fn column(headers: &[String], name: &str) -> Option<usize> {
    let wanted = clean_header(name).to_lowercase();
    headers
        .iter()
        .position(|h| clean_header(h).to_lowercase() == wanted)
}

/// Lowercase ASCII letters and digits only, accents folded: `Téléphone` → `telephone`,
/// `First-Name` → `firstname`.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => out.push('a'),
            'ç' | 'č' | 'ć' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ī' => out.push('i'),
            'ñ' | 'ń' | 'ň' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ß' => out.push_str("ss"),
            'š' | 'ś' => out.push('s'),
            'ž' | 'ź' | 'ż' => out.push('z'),
            'ł' => out.push('l'),
            'ř' => out.push('r'),
            c if c.is_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn phone_and_name_are_guessed() {
        let cases: &[(&[&str], Option<usize>, Option<usize>)] = &[
            (&["Name", "Mobile"], Some(1), Some(0)),
            (&["Patient", "Phone number", "Date"], Some(1), Some(0)),
            (&["Client", "Cell phone"], Some(1), Some(0)),
            (&["Customer", "Telephone"], Some(1), Some(0)),
            (&["Full name", "Tel"], Some(1), Some(0)),
            (&["Vorname", "Handy"], Some(1), Some(0)),
            (&["Nom", " TÉLÉPHONE "], Some(1), Some(0)),
            (&["First name", "MOBILE NUMBER"], Some(1), Some(0)),
            (&["Home phone", "Name", "Mobile"], Some(2), Some(1)),
            (&["Patient name", "Patient mobile (SMS)"], Some(1), Some(0)),
            (&["Phone (home)", "Who"], Some(0), None),
            (&["Date", "Time"], None, None),
        ];
        for (headers, phone, name) in cases {
            let mapping = guess(&strings(headers), &[]);
            assert_eq!(mapping.phone, *phone, "phone in {headers:?}");
            assert_eq!(mapping.name, *name, "name in {headers:?}");
        }
    }

    #[test]
    fn placeholders_are_guessed() {
        let headers = strings(&[
            "First name",
            "Mobile",
            "Appointment date",
            "Start",
            "LOCATION",
            "Dr",
        ]);
        let placeholders = strings(&["first_name", "date", "time", "location", "doctor", "name"]);
        let mapping = guess(&headers, &placeholders);
        assert_eq!(mapping.name, Some(0));
        let fields: Vec<(&str, usize)> = mapping
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(
            fields,
            [
                ("date", 2),
                ("first_name", 0),
                ("location", 4),
                ("name", 0),
                ("time", 3)
            ]
        );
        let spelled = strings(&["FIRST-NAME", "Appt date", "Time", "Date"]);
        let mapping = guess(&spelled, &strings(&["first_name", "date", "time"]));
        assert_eq!(mapping.fields.get("first_name"), Some(&0));
        assert_eq!(
            mapping.fields.get("date"),
            Some(&3),
            "the exact name wins over a synonym"
        );
        assert_eq!(mapping.fields.get("time"), Some(&2));
        let none = guess(&strings(&["Phone"]), &strings(&["voucher"]));
        assert!(none.fields.is_empty());
    }

    #[test]
    fn columns_are_named_and_layouts_keyed() {
        let headers = strings(&["\u{feff}Mobile", " First Name ", "Date"]);
        assert_eq!(column(&headers, "mobile"), Some(0));
        assert_eq!(column(&headers, "FIRST NAME"), Some(1));
        assert_eq!(column(&headers, " date\u{feff}"), Some(2));
        assert_eq!(
            column(&headers, "first_name"),
            None,
            "the CLI's match is exact"
        );
        assert_eq!(header_key(&headers), "mobile\u{1f}first name\u{1f}date");
        let same = strings(&["MOBILE", "first name", "DATE "]);
        assert_eq!(header_key(&same), header_key(&headers));
    }
}
