//! Properties (issue 12) of phone numbers, the segment counter and template syntax: they hold
//! for any input, not only for the examples in the unit tests.
//!
//! No property writes a `proptest-regressions` file (`failure_persistence: None`): a failure
//! prints its minimal input, which belongs in a unit test next to the code.

use std::collections::BTreeMap;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use smsdesk::do_not_text;
use smsdesk::phone::{self, Country, PhoneCheck};
use smsdesk::segments::{self, is_gsm7, Encoding};
use smsdesk::templates::{self, BusinessInfo, Compiled, TemplateError};

/// `cases` runs, nothing persisted.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

/// Real numbers: the numbering data's own example mobile and fixed-line numbers, as (country,
/// E.164, the digits dialled inside the country).
const EXAMPLES: &[(&str, &str, &str)] = &[
    ("US", "+12015550123", "2015550123"),
    ("CA", "+15062345678", "5062345678"),
    ("GB", "+447400123456", "07400123456"),
    ("GB", "+441212345678", "01212345678"),
    ("IE", "+353850123456", "0850123456"),
    ("IE", "+3532212345", "02212345"),
    ("FR", "+33612345678", "0612345678"),
    ("FR", "+33123456789", "0123456789"),
    ("DE", "+4915123456789", "015123456789"),
    ("DE", "+4930123456", "030123456"),
    ("IT", "+393123456789", "3123456789"),
    ("IT", "+390212345678", "0212345678"),
    ("ES", "+34612345678", "612345678"),
    ("ES", "+34810123456", "810123456"),
    ("PT", "+351912345678", "912345678"),
    ("PT", "+351212345678", "212345678"),
    ("NL", "+31612345678", "0612345678"),
    ("NL", "+31101234567", "0101234567"),
    ("BE", "+32450001234", "0450001234"),
    ("BE", "+3212345678", "012345678"),
    ("CH", "+41781234567", "0781234567"),
    ("CH", "+41212345678", "0212345678"),
    ("AT", "+43664123456", "0664123456"),
    ("AT", "+431234567890", "01234567890"),
    ("SE", "+46701234567", "0701234567"),
    ("SE", "+468123456", "08123456"),
    ("NO", "+4740612345", "40612345"),
    ("NO", "+4721234567", "21234567"),
    ("DK", "+4534412345", "34412345"),
    ("DK", "+4532123456", "32123456"),
    ("FI", "+358412345678", "0412345678"),
    ("FI", "+358131234567", "0131234567"),
    ("PL", "+48512345678", "512345678"),
    ("PL", "+48123456789", "123456789"),
    ("CZ", "+420601123456", "601123456"),
    ("CZ", "+420212345678", "212345678"),
    ("HU", "+36201234567", "06201234567"),
    ("HU", "+3612345678", "0612345678"),
    ("RO", "+40712034567", "0712034567"),
    ("RO", "+40211234567", "0211234567"),
    ("GR", "+306912345678", "6912345678"),
    ("GR", "+302123456789", "2123456789"),
    ("TR", "+905012345678", "05012345678"),
    ("TR", "+902123456789", "02123456789"),
    ("RU", "+79123456789", "89123456789"),
    ("RU", "+73011234567", "83011234567"),
    ("KZ", "+77710009998", "87710009998"),
    ("KZ", "+77123456789", "87123456789"),
    ("UA", "+380501234567", "0501234567"),
    ("UA", "+380311234567", "0311234567"),
    ("IL", "+972502345678", "0502345678"),
    ("IL", "+97221234567", "021234567"),
    ("SA", "+966512345678", "0512345678"),
    ("SA", "+966112345678", "0112345678"),
    ("AE", "+971501234567", "0501234567"),
    ("AE", "+97122345678", "022345678"),
    ("EG", "+201001234567", "01001234567"),
    ("EG", "+20234567890", "0234567890"),
    ("NG", "+2348021234567", "08021234567"),
    ("NG", "+2342033123456", "02033123456"),
    ("ZA", "+27711234567", "0711234567"),
    ("ZA", "+27101234567", "0101234567"),
    ("KE", "+254712123456", "0712123456"),
    ("KE", "+254202012345", "0202012345"),
    ("IN", "+918123456789", "08123456789"),
    ("IN", "+917410410123", "07410410123"),
    ("PK", "+923012345678", "03012345678"),
    ("PK", "+922123456789", "02123456789"),
    ("BD", "+8801812345678", "01812345678"),
    ("BD", "+88027111234", "027111234"),
    ("CN", "+8613123456789", "13123456789"),
    ("CN", "+861012345678", "01012345678"),
    ("JP", "+819012345678", "09012345678"),
    ("JP", "+81312345678", "0312345678"),
    ("KR", "+821020000000", "01020000000"),
    ("KR", "+8222123456", "022123456"),
    ("TW", "+886912345678", "0912345678"),
    ("TW", "+886221234567", "0221234567"),
    ("HK", "+85251234567", "51234567"),
    ("HK", "+85221234567", "21234567"),
    ("SG", "+6581234567", "81234567"),
    ("SG", "+6561234567", "61234567"),
    ("MY", "+60123456789", "0123456789"),
    ("MY", "+60323856789", "0323856789"),
    ("TH", "+66812345678", "0812345678"),
    ("TH", "+6621234567", "021234567"),
    ("VN", "+84912345678", "0912345678"),
    ("VN", "+842101234567", "02101234567"),
    ("ID", "+62812345678", "0812345678"),
    ("ID", "+62218350123", "0218350123"),
    ("PH", "+639051234567", "09051234567"),
    ("PH", "+63232345678", "0232345678"),
    ("AU", "+61412345678", "0412345678"),
    ("AU", "+61212345678", "0212345678"),
    ("NZ", "+64211234567", "0211234567"),
    ("NZ", "+6432345678", "032345678"),
    ("BR", "+5511961234567", "11961234567"),
    ("BR", "+551123456789", "1123456789"),
    ("AR", "+5491123456789", "0111523456789"),
    ("AR", "+541123456789", "01123456789"),
    ("MX", "+522221234567", "2221234567"),
    ("MX", "+522001234567", "2001234567"),
    ("CO", "+573211234567", "3211234567"),
    ("CO", "+576012345678", "6012345678"),
    ("CL", "+56221234567", "221234567"),
    ("CL", "+56600123456", "600123456"),
    ("PE", "+51912345678", "912345678"),
    ("PE", "+5111234567", "011234567"),
    ("VE", "+584121234567", "04121234567"),
    ("VE", "+582121234567", "02121234567"),
    ("IS", "+3546111234", "6111234"),
    ("IS", "+3544101234", "4101234"),
    ("LU", "+352628123456", "628123456"),
    ("LU", "+35227123456", "27123456"),
    ("MT", "+35696961234", "96961234"),
    ("MT", "+35621001234", "21001234"),
    ("CY", "+35796123456", "96123456"),
    ("CY", "+35722345678", "22345678"),
    ("JM", "+18762101234", "8762101234"),
    ("JM", "+18765230123", "8765230123"),
    ("PR", "+17872345678", "7872345678"),
    ("SM", "+37866661212", "66661212"),
    ("SM", "+3780549886377", "0549886377"),
];

fn country(code: &str) -> Country {
    Country::parse(code).expect("a known country")
}

/// A default country as Settings holds it: none, or one of the examples' countries.
fn default_country() -> impl Strategy<Value = Option<Country>> {
    prop_oneof![
        1 => Just(None),
        4 => select(EXAMPLES).prop_map(|(code, _, _)| Some(country(code))),
    ]
}

/// How a person writes a number: the digits in groups, between them nothing or one separator,
/// the first group perhaps in brackets. At most 15 digits, so at most 40 characters.
#[derive(Debug, Clone)]
struct Layout {
    /// A separator (or none) for each gap between digits.
    gaps: Vec<usize>,
    /// Digits of the first group to put in brackets (0: none).
    bracketed: usize,
}

fn layout() -> impl Strategy<Value = Layout> {
    (vec(0..10usize, 16), 0..5usize).prop_map(|(gaps, bracketed)| Layout { gaps, bracketed })
}

impl Layout {
    fn write(&self, digits: &str) -> String {
        const SEPARATORS: [&str; 4] = [" ", "-", ".", " "];
        let mut out = String::new();
        let bracketed = if self.bracketed < digits.len() {
            self.bracketed
        } else {
            0
        };
        if bracketed > 0 {
            out.push('(');
        }
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && i == bracketed {
                out.push_str(") ");
            } else if i > 0 {
                if let Some(sep) = self.gaps.get(i).and_then(|g| g.checked_sub(6)) {
                    out.push_str(SEPARATORS[sep]);
                }
            }
            out.push(digit);
        }
        out
    }
}

/// The ways an example number is typed.
#[derive(Debug, Clone, Copy)]
enum Form {
    /// `+44 20…`: read the same under any default country.
    Plus,
    /// `0044 20…`: accepted from anywhere.
    DoubleZero,
    /// `020 …`: as dialled inside its own country.
    National,
}

/// An example number typed in some form, with the default country it is read under and the
/// E.164 it must come to.
fn typed_example() -> impl Strategy<Value = (String, Option<Country>, &'static str)> {
    (
        select(EXAMPLES),
        select(vec![Form::Plus, Form::DoubleZero, Form::National]),
        layout(),
        default_country(),
        any::<bool>(),
    )
        .prop_map(|((code, e164, national), form, layout, other, space)| {
            let home = country(code);
            let calling = home.calling_code().expect("calling code").to_string();
            let subscriber = &e164[1 + calling.len()..];
            let after_code = if space { " " } else { "" };
            match form {
                Form::Plus => (
                    format!("+{calling}{after_code}{}", layout.write(subscriber)),
                    other,
                    e164,
                ),
                Form::DoubleZero => (
                    format!("00{calling}{after_code}{}", layout.write(subscriber)),
                    None,
                    e164,
                ),
                Form::National => (layout.write(national), Some(home), e164),
            }
        })
}

/// Anything a person, a spreadsheet or a paste can put in the number box.
fn typed_anything() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "(?s).{0,80}",
        "[0-9]{0,400}",
        "[+]{0,40}[0-9]{0,20}[+]{0,5}",
        "[0-9 +().\\-/\t\u{a0}\u{2011}\u{2013}\u{3000}０-９٠-٩۰-۹xX#*;,]{0,70}",
        "(\\+|00|011)?[0-9]{1,4}[ .-]?[0-9]{1,14}( ?(x|ext\\.?|#) ?[0-9]{1,6})?",
        typed_example().prop_map(|(typed, _, _)| typed),
        typed_example().prop_map(|(typed, _, _)| format!("{typed}{typed}")),
    ]
}

/// The answer for a sending check: the full check without its two display forms.
fn lean(check: &PhoneCheck) -> PhoneCheck {
    PhoneCheck {
        national: None,
        international: None,
        ..check.clone()
    }
}

fn is_e164(text: &str) -> bool {
    text.strip_prefix('+').is_some_and(|digits| {
        (2..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

proptest! {
    #![proptest_config(config(256))]

    /// Any text is answered, the same way each time, and the answer is consistent with itself:
    /// valid exactly when it has an E.164 form and no error; the sending check is the full one
    /// without the display forms; the do-not-text list reads it the same.
    #[test]
    fn any_typed_text_gets_a_consistent_answer(
        typed in typed_anything(),
        default in default_country(),
    ) {
        let check = phone::validate(&typed, default);
        prop_assert_eq!(&check, &phone::validate(&typed, default), "deterministic");
        prop_assert_eq!(&check.input, &typed);
        prop_assert_eq!(check.valid, check.e164.is_some());
        prop_assert_eq!(check.valid, check.error.is_none());
        prop_assert_eq!(check.valid, check.kind.is_some());
        prop_assert_eq!(check.valid, check.international.is_some());
        prop_assert_eq!(check.valid, check.national.is_some());
        prop_assert!(check.warning.is_none() || check.valid);
        prop_assert!(check.error.as_deref().is_none_or(|e| !e.trim().is_empty()));
        prop_assert_eq!(phone::validate_for_sending(&typed, default), lean(&check));
        match do_not_text::normalize(&typed, default) {
            Ok(e164) => prop_assert_eq!(Some(e164), check.e164.clone()),
            Err(smsdesk::Error::InvalidPhone { reason }) => {
                prop_assert!(!check.valid);
                prop_assert_eq!(Some(reason), check.error.clone());
            }
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
        if let Some(e164) = &check.e164 {
            prop_assert!(is_e164(e164), "{e164:?}");
            let again = phone::validate(e164, None);
            prop_assert_eq!(again.e164.as_ref(), Some(e164), "E.164 reads back as itself");
            // The display form, with " ext. N" when one was typed (which E.164 has no room for).
            let international = check.international.clone().unwrap_or_default();
            prop_assert!(international.starts_with(&phone::display(e164)), "{international:?}");
        }
        // A stored number that cannot be read is shown as it is.
        let shown = phone::display(&typed);
        if !phone::validate(&typed, None).valid {
            prop_assert_eq!(shown, typed);
        }
    }

    /// Real numbers, however they are spaced, dashed, dotted or bracketed, come to their E.164
    /// form; that form, its display form and its national form (under its country) all come
    /// back to it, under any default country.
    #[test]
    fn real_numbers_round_trip_through_every_form(
        (typed, default, e164) in typed_example(),
        other in default_country(),
    ) {
        let check = phone::validate(&typed, default);
        prop_assert!(check.valid, "{typed:?} under {default:?}: {check:?}");
        prop_assert_eq!(check.e164.as_deref(), Some(e164), "{:?}", typed);

        let shown = phone::display(e164);
        prop_assert_eq!(Some(&shown), check.international.as_ref());
        for form in [e164, shown.as_str()] {
            let again = phone::validate(form, other);
            prop_assert_eq!(again.e164.as_deref(), Some(e164), "{:?} under {:?}", form, other);
            prop_assert_eq!(again.kind, check.kind);
        }
        let home = check.region.as_deref().map(country);
        let national = check.national.clone().unwrap_or_default();
        let again = phone::validate(&national, home);
        prop_assert_eq!(again.e164.as_deref(), Some(e164), "{:?} under {:?}", national, home);
        prop_assert_eq!(phone::display(&shown), shown.clone(), "display is idempotent");
    }

    /// A country code is read in any case and comes back as itself; anything else is refused,
    /// never a panic.
    #[test]
    fn country_codes_read_back_as_themselves(code in prop_oneof![
        "[A-Za-z]{2}",
        " ?[a-zA-Z]{1,3} ?",
        any::<String>(),
    ]) {
        match Country::parse(&code) {
            Ok(found) => {
                let written = found.code();
                prop_assert_eq!(&written, &code.trim().to_ascii_uppercase());
                prop_assert_eq!(Country::parse(&written).ok(), Some(found));
                prop_assert_eq!(Country::parse(&written.to_lowercase()).ok(), Some(found));
                prop_assert!(found.calling_code().is_some());
                let listed = phone::countries();
                prop_assert!(listed.contains(&(written, found.calling_code().unwrap_or(0))));
            }
            Err(smsdesk::Error::UnknownCountry(_)) => {}
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
    }
}

proptest! {
    #![proptest_config(config(12))]

    /// A list is answered as its numbers are one by one, in order, whether it is checked on
    /// one thread or shared between the cores (from 128 numbers).
    #[test]
    fn a_list_is_answered_as_its_numbers_one_by_one(
        typed in vec(typed_anything(), 0..300),
        default in default_country(),
    ) {
        let one_by_one: Vec<PhoneCheck> = typed
            .iter()
            .map(|t| phone::validate_for_sending(t, default))
            .collect();
        prop_assert_eq!(phone::validate_many_for_sending(&typed, default), one_by_one);
    }
}

// ---------------------------------------------------------------------------------------------
// Segments
// ---------------------------------------------------------------------------------------------

/// GSM 03.38's basic table (without the escape code) and its extension table.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION: &str = "\u{C}^{}\\[~]|€";
/// Characters outside GSM 03.38, each one character on its own (no accents to combine, no
/// joiners): in the Basic Multilingual Plane, then outside it (two UTF-16 units each).
const NOT_GSM: &str = "çáíóúÊ`’“”–—\u{A0}\tАжΑα中ãõ";
const ASTRAL: &str = "😀🚀𝄞😜🎉";

fn chars_of(set: &'static str) -> Vec<char> {
    set.chars().collect()
}

/// Text of GSM-7 characters only, long enough to split.
fn gsm_text() -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        6 => select(chars_of(GSM_BASIC)),
        1 => select(chars_of(GSM_EXTENSION)),
    ];
    vec(chars, 0..500).prop_map(|c| c.into_iter().collect())
}

/// Text where every character stands alone (what a person sees is one `char`), GSM-7 or not.
fn simple_text() -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        12 => select(chars_of(GSM_BASIC)),
        2 => select(chars_of(GSM_EXTENSION)),
        1 => select(chars_of(NOT_GSM)),
        1 => select(chars_of(ASTRAL)),
    ];
    vec(chars, 0..400).prop_map(|c| c.into_iter().collect())
}

/// Pieces that combine into one character or sit at a grapheme boundary: accents, skin tones,
/// joiners, flags, variation selectors, Hangul jamo, prepended marks, CR LF.
const TRICKY: &[&str] = &[
    "e",
    "a",
    "E",
    "\u{301}",
    "\u{300}",
    "\u{308}",
    "\u{20DD}",
    "👍",
    "🏽",
    "\u{200D}",
    "❤",
    "\u{FE0F}",
    "🏳",
    "🌈",
    "🇮",
    "🇹",
    "🇬",
    "\u{1100}",
    "\u{1161}",
    "\u{11A8}",
    "가",
    "\u{600}",
    "\u{903}",
    "\r",
    "\n",
    "\r\n",
    "]",
    "€",
    "x",
    " ",
    "ç",
    "😀",
    "\u{200B}",
    "\u{2028}",
    "\u{0}",
    "\u{1B}",
    "\u{E0067}",
    "\u{E007F}",
    "\u{1F3F4}",
];

fn tricky_text() -> impl Strategy<Value = String> {
    vec(select(TRICKY), 0..300).prop_map(|pieces| pieces.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "(?s).{0,300}",
        simple_text(),
        tricky_text(),
    ]
}

fn is_extension(c: char) -> bool {
    GSM_EXTENSION.contains(c)
}

/// The cost as the spec says it (octopods-api.md, "Segments and encoding"), for text whose
/// characters each stand alone: (encoding, units, segments, units left in the last segment).
/// GSM-7 when every character is GSM 03.38, extension characters two septets; else UCS-2,
/// characters outside the BMP two units. One segment up to 160 (70), else segments of 153 (67)
/// filled in order, a character never split: it starts the next segment when it does not fit.
fn expected_cost(text: &str) -> (Encoding, usize, usize, usize) {
    let gsm = text.chars().all(is_gsm7);
    let (encoding, sizes): (Encoding, Vec<usize>) = if gsm {
        (
            Encoding::Gsm7,
            text.chars()
                .map(|c| if is_extension(c) { 2 } else { 1 })
                .collect(),
        )
    } else {
        (Encoding::Ucs2, text.chars().map(char::len_utf16).collect())
    };
    let units: usize = sizes.iter().sum();
    let (single, multi) = match encoding {
        Encoding::Gsm7 => (160, 153),
        Encoding::Ucs2 => (70, 67),
    };
    if units <= single {
        return (encoding, units, 1, single - units);
    }
    let (mut segments, mut used) = (1, 0);
    for size in sizes {
        if used + size > multi {
            segments += 1;
            used = 0;
        }
        used += size;
    }
    (encoding, units, segments, multi - used)
}

proptest! {
    #![proptest_config(config(512))]

    /// GSM-7 text without extension characters: one segment up to 160, then ceil(n / 153).
    #[test]
    fn plain_gsm_text_costs_by_the_formula(n in 0..2000usize, c in select(chars_of(GSM_BASIC))) {
        let text = c.to_string().repeat(n);
        let count = segments::count(&text);
        let formula = if n <= 160 { 1 } else { n.div_ceil(153) };
        prop_assert_eq!(
            (count.encoding, count.segments, count.units, count.characters),
            (Encoding::Gsm7, formula, n, n)
        );
    }

    /// GSM-7 text with extension characters: two septets each, and a pair never split.
    #[test]
    fn gsm_text_costs_as_the_spec_says(text in gsm_text()) {
        let count = segments::count(&text);
        let (encoding, units, segments, remaining) = expected_cost(&text);
        prop_assert_eq!(
            (count.encoding, count.units, count.segments, count.remaining),
            (encoding, units, segments, remaining),
            "{:?}", text
        );
        prop_assert_eq!(count.encoding, Encoding::Gsm7);
        prop_assert!(count.non_gsm.is_empty());
        let no_pairs = !text.chars().any(is_extension);
        if no_pairs && units > 160 {
            prop_assert_eq!(count.segments, units.div_ceil(153));
        }
    }

    /// Mixed text: GSM-7 while every character is GSM 03.38, else UCS-2 at 70 / 67 with
    /// characters outside the BMP as two units, never split.
    #[test]
    fn mixed_text_costs_as_the_spec_says(text in simple_text()) {
        let count = segments::count(&text);
        let (encoding, units, segments, remaining) = expected_cost(&text);
        prop_assert_eq!(
            (count.encoding, count.units, count.segments, count.remaining),
            (encoding, units, segments, remaining),
            "{:?}", text
        );
        prop_assert_eq!(count.characters, text.chars().count());
        let per_segment = match (encoding, segments) {
            (Encoding::Gsm7, 1) => 160,
            (Encoding::Gsm7, _) => 153,
            (Encoding::Ucs2, 1) => 70,
            (Encoding::Ucs2, _) => 67,
        };
        prop_assert_eq!(count.per_segment, per_segment);
        // Each distinct character outside GSM-7 is named once, in order, and every occurrence
        // is pointed at.
        let mut distinct: Vec<String> = Vec::new();
        let mut positions = Vec::new();
        for (i, c) in text.chars().enumerate() {
            if !is_gsm7(c) {
                if !distinct.contains(&c.to_string()) {
                    distinct.push(c.to_string());
                }
                positions.push((i, i + 1));
            }
        }
        prop_assert_eq!(&count.non_gsm, &distinct);
        prop_assert_eq!(&count.non_gsm_positions, &positions);
    }

    /// Any text is counted: its encoding flips to UCS-2 exactly when a character outside
    /// GSM 03.38 is present, the units are septets or UTF-16 units, and the figures agree.
    #[test]
    fn any_text_is_counted_consistently(text in any_text()) {
        let count = segments::count(&text);
        let gsm = text.chars().all(is_gsm7);
        prop_assert_eq!(count.encoding == Encoding::Gsm7, gsm, "{:?}", text);
        prop_assert_eq!(count.non_gsm.is_empty(), gsm);
        prop_assert_eq!(count.non_gsm_positions.is_empty(), gsm);
        prop_assert_eq!(count.characters, text.chars().count());
        let units = if gsm {
            text.chars().map(|c| if is_extension(c) { 2 } else { 1 }).sum()
        } else {
            text.encode_utf16().count()
        };
        prop_assert_eq!(count.units, units);
        let (single, multi) = match count.encoding {
            Encoding::Gsm7 => (160, 153),
            Encoding::Ucs2 => (70, 67),
        };
        prop_assert_eq!(count.segments == 1, units <= single);
        prop_assert_eq!(
            count.per_segment,
            if count.segments == 1 { single } else { multi }
        );
        prop_assert!(count.remaining <= count.per_segment);
        if count.segments == 1 {
            prop_assert_eq!(count.remaining, single - units);
        }
        if gsm {
            prop_assert!(count.segments * multi >= units, "GSM-7 segments hold the text");
        }
        // The blamed characters: each range is one of them and holds a character outside
        // GSM-7; ranges are in order, apart, and within the text.
        let chars: Vec<char> = text.chars().collect();
        let mut last_end = 0;
        for &(start, end) in &count.non_gsm_positions {
            prop_assert!(last_end <= start && start < end && end <= chars.len());
            let shown: String = chars[start..end].iter().collect();
            prop_assert!(count.non_gsm.contains(&shown), "{shown:?}");
            last_end = end;
        }
        for (i, c) in chars.iter().enumerate() {
            if !is_gsm7(*c) {
                prop_assert!(
                    count.non_gsm_positions.iter().any(|&(s, e)| (s..e).contains(&i)),
                    "U+{:04X} at {i} is pointed at", *c as u32
                );
            }
        }
    }

    /// Typing one more character, anywhere, never makes a message cheaper.
    #[test]
    fn adding_a_character_never_lowers_the_count(
        text in any_text(),
        extra in prop_oneof![
            any::<char>(),
            select(chars_of(GSM_BASIC)),
            select(chars_of(GSM_EXTENSION)),
            select(chars_of(NOT_GSM)),
            select(chars_of(ASTRAL)),
            select(chars_of("\u{301}\u{200D}🏽🇮\u{FE0F}\u{1161}\u{600}")),
        ],
        at in any::<prop::sample::Index>(),
    ) {
        let before = segments::count(&text).segments;
        let appended = format!("{text}{extra}");
        prop_assert!(segments::count(&appended).segments >= before, "{appended:?}");
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let i = boundaries[at.index(boundaries.len())];
        let inserted = format!("{}{extra}{}", &text[..i], &text[i..]);
        prop_assert!(segments::count(&inserted).segments >= before, "{inserted:?}");
    }

    /// Look-alike replacement: suggested exactly when it changes something, each suggestion
    /// a non-GSM character becoming GSM-7 (or nothing), GSM-7 text left alone, and what it
    /// leaves has nothing more to suggest.
    #[test]
    fn lookalikes_are_suggested_exactly_when_they_change_the_text(text in any_text()) {
        let suggested = segments::lookalikes(&text);
        let replaced = segments::replace_lookalikes(&text);
        prop_assert_eq!(suggested.is_empty(), replaced == text, "{:?}", text);
        if text.chars().all(is_gsm7) {
            prop_assert!(suggested.is_empty());
        }
        for r in &suggested {
            prop_assert!(r.count >= 1);
            prop_assert!(r.to.chars().all(is_gsm7), "{r:?}");
            prop_assert!(r.from.chars().any(|c| !is_gsm7(c)), "{r:?}");
            prop_assert!(text.contains(&r.from));
        }
        let after = segments::count(&replaced);
        if suggested.is_empty() {
            prop_assert_eq!(after, segments::count(&text));
        }
        prop_assert_eq!(
            segments::lookalikes(&replaced),
            Vec::new(),
            "replacing once leaves nothing to replace: {:?} -> {:?}", text, replaced
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

/// Text a person types, without control characters or line breaks other than `\n` (which
/// message text is tidied of), and with no `{{` or `}}`: every piece starts and ends with a
/// character that is no brace, so pieces (and fields) put side by side never make a pair.
fn plain_text(max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => "[^{}\\p{Cc}\u{85}\u{2028}\u{2029}]",
        1 => Just("\n".to_owned()),
        1 => "[^{}\\p{Cc}\u{85}\u{2028}\u{2029}][{}][^{}\\p{Cc}\u{85}\u{2028}\u{2029}]",
        1 => select(vec!["é", "😀", "’", "€", " {x} ", " } { ", " { } ", "]"]).prop_map(str::to_owned),
    ];
    vec(piece, 0..max).prop_map(|p| p.concat())
}

/// A field's name: made up, a business detail, or the STOP footer.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-z][a-z0-9_]{0,10}",
        1 => select(vec![
            "business_name",
            "business_phone",
            "business_address",
            "stop_footer",
            "first_name",
            "date",
        ])
        .prop_map(str::to_owned),
    ]
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    /// A field, with the spaces written inside its braces.
    Field {
        name: String,
        before: String,
        after: String,
    },
}

/// A well-formed template: text and fields in any order (fields may touch).
fn template_parts() -> impl Strategy<Value = Vec<Part>> {
    let part = prop_oneof![
        plain_text(12).prop_map(Part::Text),
        (field_name(), "[ \t]{0,2}", "[ \t]{0,2}").prop_map(|(name, before, after)| {
            Part::Field {
                name,
                before,
                after,
            }
        }),
    ];
    vec(part, 0..10)
}

/// The template's text: fields with their spaces, or printed plainly (`{{name}}`).
fn write(parts: &[Part], plainly: bool) -> String {
    let mut body = String::new();
    for part in parts {
        match part {
            Part::Text(text) => body.push_str(text),
            Part::Field { name, .. } if plainly => body.push_str(&format!("{{{{{name}}}}}")),
            Part::Field {
                name,
                before,
                after,
            } => body.push_str(&format!("{{{{{before}{name}{after}}}}}")),
        }
    }
    body
}

/// The fields, each once, in order of first appearance.
fn fields_of(parts: &[Part]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for part in parts {
        if let Part::Field { name, .. } = part {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
}

/// A field's value as a message gets it: business fields from Settings, the others as typed;
/// spaces around removed; blank is nothing.
fn value_for<'a>(
    name: &str,
    values: &'a BTreeMap<String, String>,
    business: &'a BusinessInfo,
) -> Option<&'a str> {
    business
        .get(name)
        .or_else(|| values.get(name).map(String::as_str))
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Values someone types, for some of the names (any text, braces and all, spaces around).
fn typed_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[ ]{0,2}[^\\p{Cc}\u{85}\u{2028}\u{2029}]{0,10}[ ]{0,2}",
        1 => select(vec!["{{date}}", "}}", "{{", " ", "", "[First name]", "😀"])
            .prop_map(str::to_owned),
    ]
}

fn typed_values(names: Vec<String>) -> impl Strategy<Value = BTreeMap<String, String>> {
    let count = names.len();
    vec(proptest::option::of(typed_value()), count).prop_map(move |values| {
        names
            .iter()
            .zip(values)
            .filter_map(|(name, value)| Some((name.clone(), value?)))
            .collect()
    })
}

fn business() -> impl Strategy<Value = BusinessInfo> {
    (typed_value(), typed_value(), typed_value()).prop_map(|(name, phone, address)| BusinessInfo {
        business_name: name,
        business_phone: phone,
        business_address: address,
    })
}

/// A template with values for some of its fields (and some names it does not use).
fn filled_template() -> impl Strategy<Value = (Vec<Part>, BTreeMap<String, String>, BusinessInfo)> {
    template_parts().prop_flat_map(|parts| {
        let mut names = fields_of(&parts);
        names.push("unused".to_owned());
        (Just(parts), typed_values(names), business())
    })
}

/// Where an error points: (line, column) from 1, columns in characters; `None` if past the end.
fn at_position(body: &str, line: usize, column: usize) -> Option<&str> {
    let mut offset = 0;
    for (n, text) in body.split('\n').enumerate() {
        if n + 1 == line {
            let within = text.char_indices().map(|(i, _)| i).chain([text.len()]);
            return within
                .into_iter()
                .nth(column - 1)
                .map(|i| &body[offset + i..]);
        }
        offset += text.len() + 1;
    }
    None
}

/// Any text in a template editor: free text, near-misses of fields, broken braces.
fn any_body() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "(?s).{0,6}",
        select(vec![
            "{{",
            "}}",
            "{",
            "}",
            "{{{",
            "}}}",
            "{{x}}",
            "{{ first_name }}",
            "{{First}}",
            "{{}}",
            "{{ }}",
            "\n",
            "é",
            "😀",
            "{{1}}",
            "{{a b}}",
            "{{_}}",
            "\r\n",
        ])
        .prop_map(str::to_owned),
    ];
    prop_oneof![
        any::<String>(),
        vec(piece, 0..20).prop_map(|p| p.concat()),
        template_parts().prop_map(|parts| write(&parts, false)),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    /// Any text is read without a panic, and every reader agrees on whether it is well formed;
    /// an error points at the braces it is about.
    #[test]
    fn any_template_text_is_answered_and_errors_point_at_their_braces(
        body in any_body(),
        values in typed_values(vec!["x".into(), "first_name".into()]),
        business in business(),
    ) {
        let read = templates::placeholders(&body);
        let compiled = Compiled::new(&body);
        let lenient = Compiled::lenient(&body);
        let rendered = templates::render(&body, &values, &business);
        let preview = templates::render_preview(&body, &values, &business);
        let message = templates::preview_message(&body, Some(&values), &business);
        let free = templates::preview_message(&body, None, &business);
        prop_assert!(free.is_ok(), "free text is never refused");
        let blank = body.trim().is_empty();
        match &read {
            Ok(found) => {
                prop_assert!(preview.is_ok() && message.is_ok());
                let names: Vec<&str> = found.iter().map(|p| p.name.as_str()).collect();
                if blank {
                    prop_assert_eq!(compiled.as_ref().err(), Some(&TemplateError::BlankBody));
                } else {
                    let compiled = compiled.as_ref().expect("well formed");
                    prop_assert_eq!(compiled.fields(), names.clone());
                    prop_assert_eq!(lenient.as_ref().ok(), Some(compiled), "lenient agrees");
                }
            }
            Err(e) => {
                prop_assert_eq!(preview.as_ref().err(), Some(e));
                prop_assert_eq!(message.as_ref().err(), Some(e));
                if !blank {
                    prop_assert_eq!(compiled.as_ref().err(), Some(e));
                    prop_assert_eq!(rendered.as_ref().err(), Some(e));
                }
                let (pointed, braces) = match e {
                    TemplateError::UnclosedField { text, line, column }
                    | TemplateError::EmptyField { text, line, column }
                    | TemplateError::InvalidFieldName { text, line, column } => {
                        prop_assert!(text.starts_with("{{"), "{e:?}");
                        if !matches!(e, TemplateError::EmptyField { .. }) {
                            prop_assert!(text.chars().count() <= 30, "{e:?}");
                        }
                        (at_position(&body, *line, *column), "{{")
                    }
                    TemplateError::StrayClose { line, column } => {
                        (at_position(&body, *line, *column), "}}")
                    }
                    other => {
                        prop_assert!(false, "not a syntax error: {other:?}");
                        (None, "")
                    }
                };
                prop_assert!(
                    pointed.is_some_and(|rest| rest.starts_with(braces)),
                    "{e:?} in {body:?}"
                );
            }
        }
        if blank {
            prop_assert_eq!(rendered.err(), Some(TemplateError::BlankBody));
        }
        if let Err(e) = &lenient {
            prop_assert!(matches!(
                e,
                TemplateError::BlankBody
                    | TemplateError::UnclosedField { .. }
                    | TemplateError::EmptyField { .. }
            ), "{e:?}");
        }
    }

    /// Text without fields is sent exactly as written, whatever values are given.
    #[test]
    fn text_without_fields_renders_to_itself(
        body in plain_text(40),
        values in typed_values(vec!["first_name".into(), "date".into()]),
        business in business(),
    ) {
        prop_assume!(!body.trim().is_empty());
        prop_assert_eq!(templates::placeholders(&body), Ok(Vec::new()));
        prop_assert_eq!(templates::render(&body, &values, &business), Ok(body.clone()));
        prop_assert_eq!(templates::render_preview(&body, &values, &business), Ok(body.clone()));
        let compiled = Compiled::new(&body).expect("no fields");
        prop_assert_eq!(compiled.fill(|_| None), Ok(body.clone()));
        let preview = templates::preview_message(&body, Some(&values), &business)
            .expect("no fields");
        prop_assert!(preview.complete && preview.fields.is_empty());
        prop_assert_eq!(&preview.text, &body);
        let free = templates::preview_message(&body, None, &business).expect("free text");
        prop_assert_eq!(&free.text, &body);
        prop_assert_eq!(free.count, segments::count(&body));
    }

    /// A well-formed template: its fields are found in order, once each; each value goes in
    /// verbatim (spaces around removed) exactly where its field was, never read as a field; a
    /// missing one stops the message and is named; the preview shows the same message.
    #[test]
    fn values_go_in_verbatim_where_their_fields_were(
        (parts, values, business) in filled_template(),
    ) {
        let body = write(&parts, false);
        prop_assume!(!body.trim().is_empty());
        let names = fields_of(&parts);
        let found = templates::placeholders(&body).expect("well formed");
        let found_names: Vec<&String> = found.iter().map(|p| &p.name).collect();
        prop_assert_eq!(found_names, names.iter().collect::<Vec<_>>());

        let mut expected = String::new();
        let mut shown = String::new();
        let mut missing: Vec<String> = Vec::new();
        for part in &parts {
            match part {
                Part::Text(text) => {
                    expected.push_str(text);
                    shown.push_str(text);
                }
                Part::Field { name, .. } => match value_for(name, &values, &business) {
                    Some(value) => {
                        expected.push_str(value);
                        shown.push_str(value);
                    }
                    None => {
                        if !missing.contains(name) {
                            missing.push(name.clone());
                        }
                        let label = found.iter().find(|p| &p.name == name).map(|p| &p.label);
                        shown.push_str(&format!("[{}]", label.expect("a label")));
                    }
                },
            }
        }
        let rendered = templates::render(&body, &values, &business);
        if missing.is_empty() {
            prop_assert_eq!(rendered.as_ref(), Ok(&expected));
        } else {
            let named: Vec<String> = match &rendered {
                Err(TemplateError::MissingValues(m)) => m.iter().map(|p| p.name.clone()).collect(),
                other => {
                    prop_assert!(false, "expected missing values, got {other:?}");
                    Vec::new()
                }
            };
            prop_assert_eq!(&named, &missing);
        }
        prop_assert_eq!(templates::render_preview(&body, &values, &business), Ok(shown.clone()));

        let preview = templates::preview_message(&body, Some(&values), &business)
            .expect("well formed");
        prop_assert_eq!(&preview.text, &shown);
        prop_assert_eq!(preview.complete, missing.is_empty());
        let preview_missing: Vec<String> = preview.missing.iter().map(|p| p.name.clone()).collect();
        prop_assert_eq!(&preview_missing, &missing);
        let runs: String = preview.runs.iter().map(|r| r.text.as_str()).collect();
        prop_assert_eq!(&runs, &shown);
        if missing.is_empty() {
            prop_assert_eq!(&preview.count, &segments::count(&expected));
        }

        // A bulk job fills the parsed template with the same values: the same message.
        let compiled = Compiled::new(&body).expect("well formed");
        let filled = compiled.fill(|name| value_for(name, &values, &business));
        if missing.is_empty() {
            prop_assert_eq!(filled.as_ref(), Ok(&expected));
        } else {
            prop_assert_eq!(filled.err(), missing.first().map(String::as_str));
        }
    }

    /// Parse → print → parse: printing the fields plainly (`{{name}}`) gives a template with
    /// the same fields that prints to itself, and a value that is a field's own braces
    /// (`{{name}}`) gives back that plain form.
    #[test]
    fn parse_print_parse_is_a_fixed_point(parts in template_parts()) {
        let body = write(&parts, false);
        prop_assume!(!body.trim().is_empty());
        let plain = write(&parts, true);
        let compiled = Compiled::new(&body).expect("well formed");
        let braces: BTreeMap<String, String> = fields_of(&parts)
            .into_iter()
            .map(|name| {
                let printed = format!("{{{{{name}}}}}");
                (name, printed)
            })
            .collect();
        let print = |c: &Compiled| c.fill(|name| braces.get(name).map(String::as_str)).map_err(str::to_owned);
        prop_assert_eq!(print(&compiled), Ok(plain.clone()));
        let again = Compiled::new(&plain).expect("the printed form is well formed");
        prop_assert_eq!(again.fields(), compiled.fields());
        prop_assert_eq!(print(&again), Ok(plain.clone()));
        prop_assert_eq!(templates::placeholders(&plain), templates::placeholders(&body));
    }
}
