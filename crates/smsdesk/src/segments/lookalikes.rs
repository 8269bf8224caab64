//! Look-alike replacement ("smart encoding"): one action, shown before it is applied.
//!
//! Curly quotes, dashes, odd spaces and accents outside GSM 03.38 turn a whole message into
//! UCS-2, which can double or triple its cost. [`lookalikes`] lists what would change;
//! [`replace_lookalikes`] changes it. The table is in `lookalike_table.rs`.
//!
//! Replacement goes by what a person sees as one character (see `clusters.rs`). A letter typed
//! with combining accents (`e` + U+0301, as pasted from a Mac) becomes the GSM letter they make
//! (`é`) or the bare letter (`a` + U+0301 → `a`). A cluster changes only as a whole and only when
//! what it becomes is all GSM-7, so emoji sequences, CJK, a pointed Hebrew letter and anything
//! else without a GSM-7 stand-in are left alone (and stay in `non_gsm`).

use serde::Serialize;

use super::clusters;
use super::gsm;
use super::lookalike_table::{compose, lookalike};

/// One kind of substitution and how often it would be made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replacement {
    /// The character as typed (an accented letter may be a letter plus a combining accent).
    pub from: String,
    /// What it becomes; empty when it is removed (zero-width and control characters).
    pub to: String,
    pub count: usize,
}

/// How many times replacement is run at most. Removing a character can join its neighbours
/// into a new cluster (a zero-width space between two regional indicators, Twilio's cluster
/// rules then splitting a lone accent off the flag they make); the next pass replaces what
/// that made, so what is left has nothing more to replace. Two passes reach that on every
/// text the property tests found; the bound keeps it finite for any text.
const MAX_PASSES: usize = 4;

/// Every distinct substitution [`replace_lookalikes`] would make, in order of first appearance.
pub fn lookalikes(text: &str) -> Vec<Replacement> {
    let mut found: Vec<Replacement> = Vec::new();
    let mut current = text.to_owned();
    for _ in 0..MAX_PASSES {
        let mut changed = false;
        let mut scratch = String::new();
        for cluster in clusters::clusters(&current) {
            let from = &current[cluster.start..cluster.end];
            scratch.clear();
            if !substitute(from, &mut scratch) {
                continue;
            }
            changed = true;
            match found.iter_mut().find(|r| r.from == from) {
                Some(known) => known.count += 1,
                None => found.push(Replacement {
                    from: from.to_owned(),
                    to: scratch.clone(),
                    count: 1,
                }),
            }
        }
        if !changed {
            break;
        }
        current = replace_once(&current);
    }
    found
}

/// The text with every look-alike replaced by its GSM-7 stand-in.
pub fn replace_lookalikes(text: &str) -> String {
    let mut current = replace_once(text);
    for _ in 1..MAX_PASSES {
        let next = replace_once(&current);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

fn replace_once(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for cluster in clusters::clusters(text) {
        let from = &text[cluster.start..cluster.end];
        if !substitute(from, &mut out) {
            out.push_str(from);
        }
    }
    out
}

/// Appends the stand-in for one cluster to `out` and says so; appends nothing if it stays.
fn substitute(cluster: &str, out: &mut String) -> bool {
    let mut chars = cluster.chars();
    let Some(base) = chars.next() else {
        return false;
    };
    if chars.as_str().is_empty() {
        if gsm::is_gsm7(base) {
            return false;
        }
        return match lookalike(base) {
            Some(to) => {
                out.push_str(to);
                true
            }
            None => false,
        };
    }
    let start = out.len();
    let mut marks = chars.peekable();
    let accented_letter = base.is_ascii_alphabetic();
    match marks.peek().and_then(|&m| compose(base, m)) {
        Some(letter) => {
            out.push(letter);
            marks.next();
        }
        None => push_mapped(out, base),
    }
    for mark in marks {
        if accented_letter && is_accent(mark) {
            continue;
        }
        push_mapped(out, mark);
    }
    let result = &out[start..];
    if result != cluster && result.chars().all(gsm::is_gsm7) {
        true
    } else {
        out.truncate(start);
        false
    }
}

fn push_mapped(out: &mut String, c: char) {
    match lookalike(c) {
        Some(to) if !gsm::is_gsm7(c) => out.push_str(to),
        _ => out.push(c),
    }
}

fn is_accent(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F)
}

#[cfg(test)]
mod tests {
    use super::super::{count, Encoding};
    use super::*;

    fn replaced(text: &str) -> String {
        replace_lookalikes(text)
    }

    #[test]
    fn what_a_replacement_joins_is_replaced_too() {
        // The zero-width space goes; the two indicators then make a flag, and Twilio's
        // clusters split the second accent off it: a second pass removes that too.
        let text = "🇮\u{200b}🇮\u{301}\u{301}👍";
        let once = replaced(text);
        assert_eq!(lookalikes(&once), Vec::new(), "{once:?}");
        assert!(lookalikes(text).iter().any(|r| r.from == "\u{200b}"));
    }

    #[test]
    fn quotes_and_primes() {
        assert_eq!(
            replaced("“Don’t” ‘x’ „y‟ ′ ″ ‛"),
            "\"Don't\" 'x' \"y\" ' \" '"
        );
        assert_eq!(replaced("«oui» ‹non› `tick`"), "\"oui\" 'non' 'tick'");
    }

    #[test]
    fn dashes_bullets_and_ellipsis() {
        assert_eq!(replaced("9–5 — x−1 ‐ ‑ ‒ ― ﹣"), "9-5 - x-1 - - - - -");
        assert_eq!(
            replaced("• one\n‣ two\n◦ three · four"),
            "- one\n- two\n- three - four"
        );
        assert_eq!(replaced("Wait…"), "Wait...");
    }

    #[test]
    fn spaces_and_invisible_characters() {
        let spaces = "a\u{A0}b\u{202F}c\u{2009}d\u{2007}e\u{3000}f\u{2003}g\th";
        assert_eq!(replaced(spaces), "a b c d e f g h");
        let invisible = "\u{FEFF}a\u{200B}b\u{200C}c\u{2060}d\u{AD}e x\u{200D}y";
        assert_eq!(replaced(invisible), "abcde xy");
        assert_eq!(
            replaced("a\u{7}b\u{85}c\r\n\u{C}"),
            "abc\r\n\u{C}",
            "GSM controls stay"
        );
    }

    #[test]
    fn fullwidth_and_symbols() {
        assert_eq!(
            replaced("ＡＢＣ ｘｙｚ １２３！？＠（）［］｛｝～＼｀"),
            "ABC xyz 123!?@()[]{}~\\'"
        );
        assert_eq!(replaced("½ ÷ ✱ ‼ 、 。"), "1/2 / * !! , .");
    }

    #[test]
    fn accented_letters_outside_gsm_lose_only_the_accent() {
        assert_eq!(
            replaced("á í ó ú â ê î ô û ç ã õ"),
            "a i o u a e i o u c a o"
        );
        assert_eq!(
            replaced("São João, Ørsted, Łódź, Œuvre"),
            "Sao Joao, Ørsted, Lodz, OEuvre"
        );
        assert_eq!(
            replaced("é ñ ü Ç à É Ñ Ü ø ß"),
            "é ñ ü Ç à É Ñ Ü ø ß",
            "GSM stays"
        );
    }

    #[test]
    fn decomposed_accents_compose_into_gsm_letters_or_drop() {
        assert_eq!(replaced("Jose\u{301} Nin\u{303}o"), "José Niño");
        assert_eq!(
            replaced("Sa\u{303}o Franc\u{327}ois C\u{327}a"),
            "Sao Francois Ça"
        );
        assert_eq!(replaced("e\u{301}\u{301}\u{301}"), "é", "extra accents go");
    }

    #[test]
    fn what_has_no_gsm_stand_in_is_left_alone() {
        for text in [
            "👍🏽",
            "👩\u{200D}⚕\u{FE0F}",
            "🇮🇪",
            "1\u{FE0F}\u{20E3}",
            "日本",
            "Ωμέγα",
            "שָׁלוֹם",
            "❤\u{FE0F}",
        ] {
            assert_eq!(replaced(text), text);
            assert!(lookalikes(text).is_empty(), "{text}");
        }
        assert_eq!(replaced("“Hi” 😀"), "\"Hi\" 😀");
    }

    #[test]
    fn the_report_lists_each_distinct_substitution_in_order() {
        let report = lookalikes("It’s 9–5… it’s\u{A0}late, Zoë\u{200B}!");
        let rows: Vec<(&str, &str, usize)> = report
            .iter()
            .map(|r| (r.from.as_str(), r.to.as_str(), r.count))
            .collect();
        assert_eq!(
            rows,
            [
                ("’", "'", 2),
                ("–", "-", 1),
                ("…", "...", 1),
                ("\u{A0}", " ", 1),
                ("ë", "e", 1),
                ("\u{200B}", "", 1),
            ]
        );
        assert!(lookalikes("Plain GSM text: é ñ €").is_empty());
    }

    #[test]
    fn a_text_of_only_lookalikes_becomes_gsm_7() {
        let text = "“Smart” quotes – dashes…\u{A0}spaces\u{200B}, Ｆｕｌｌ, façade, crème brûlée";
        assert_eq!(count(text).encoding, Encoding::Ucs2);
        let fixed = replaced(text);
        assert_eq!(
            fixed,
            "\"Smart\" quotes - dashes... spaces, Full, facade, crème brulée"
        );
        let after = count(&fixed);
        assert_eq!(after.encoding, Encoding::Gsm7, "{:?}", after.non_gsm);
        assert!(after.non_gsm.is_empty());
    }

    #[test]
    fn every_lookalike_maps_a_non_gsm_character_to_gsm() {
        let mut mapped = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if let Some(to) = lookalike(c) {
                if gsm::is_gsm7(c) {
                    continue; // never looked up: GSM-7 is checked first
                }
                mapped += 1;
                assert!(to.chars().all(gsm::is_gsm7), "U+{:04X} → {to:?}", c as u32);
                assert_eq!(replaced(&c.to_string()), to, "U+{:04X}", c as u32);
            }
        }
        assert!(
            mapped > 350,
            "the table covers Twilio's list and more: {mapped}"
        );
    }

    /// Every key of Twilio's `SmartEncodingMap.ts` (npm `sms-segments-calculator` 1.3.0), in its
    /// order. Each becomes GSM-7 here; where the text differs from Twilio's is listed in
    /// `lookalike_table.rs`.
    #[rustfmt::skip]
    const TWILIO_SMART_ENCODING: &str = "\
        \u{AB}\u{BB}\u{201C}\u{201D}\u{2BA}\u{2EE}\u{201F}\u{201E}\u{275D}\u{275E}\u{301D}\u{301E}\
        \u{FF02}\u{2018}\u{2019}\u{2BB}\u{2C8}\u{2BC}\u{2BD}\u{2B9}\u{201B}\u{FF07}\u{B4}\u{2CA}\
        \u{60}\u{2CB}\u{275B}\u{275C}\u{313}\u{314}\u{FE10}\u{FE11}\u{F7}\u{BC}\u{BD}\u{BE}\
        \u{29F8}\u{337}\u{338}\u{2044}\u{2215}\u{FF0F}\u{29F9}\u{29F5}\u{20E5}\u{FE68}\u{FF3C}\u{332}\
        \u{FF3F}\u{20D2}\u{20D3}\u{2223}\u{FF5C}\u{23B8}\u{23B9}\u{23D0}\u{239C}\u{239F}\u{23BC}\u{23BD}\
        \u{2015}\u{FE63}\u{FF0D}\u{2010}\u{2043}\u{FE6B}\u{FF20}\u{FE69}\u{FF04}\u{1C3}\u{FE15}\u{FE57}\
        \u{FF01}\u{FE5F}\u{FF03}\u{FE6A}\u{FF05}\u{FE60}\u{FF06}\u{201A}\u{326}\u{FE50}\u{FE51}\u{FF0C}\
        \u{FF64}\u{2768}\u{276A}\u{FE59}\u{FF08}\u{27EE}\u{2985}\u{2769}\u{276B}\u{FE5A}\u{FF09}\u{27EF}\
        \u{2986}\u{204E}\u{2217}\u{229B}\u{2722}\u{2723}\u{2724}\u{2725}\u{2731}\u{2732}\u{2733}\u{273A}\
        \u{273B}\u{273C}\u{273D}\u{2743}\u{2749}\u{274A}\u{274B}\u{29C6}\u{FE61}\u{FF0A}\u{2D6}\u{FE62}\
        \u{FF0B}\u{3002}\u{FE52}\u{FF0E}\u{FF61}\u{FF10}\u{FF11}\u{FF12}\u{FF13}\u{FF14}\u{FF15}\u{FF16}\
        \u{FF17}\u{FF18}\u{FF19}\u{2D0}\u{2F8}\u{2982}\u{A789}\u{FE13}\u{FF1A}\u{204F}\u{FE14}\u{FE54}\
        \u{FF1B}\u{FE64}\u{FF1C}\u{347}\u{A78A}\u{FE66}\u{FF1D}\u{FE65}\u{FF1E}\u{FE16}\u{FE56}\u{FF1F}\
        \u{FF21}\u{1D00}\u{FF22}\u{299}\u{FF23}\u{1D04}\u{FF24}\u{1D05}\u{FF25}\u{1D07}\u{FF26}\u{A730}\
        \u{FF27}\u{262}\u{FF28}\u{29C}\u{FF29}\u{26A}\u{FF2A}\u{1D0A}\u{FF2B}\u{1D0B}\u{FF2C}\u{29F}\
        \u{FF2D}\u{1D0D}\u{FF2E}\u{274}\u{FF2F}\u{1D0F}\u{FF30}\u{1D18}\u{FF31}\u{FF32}\u{280}\u{FF33}\
        \u{A731}\u{FF34}\u{1D1B}\u{FF35}\u{1D1C}\u{FF36}\u{1D20}\u{FF37}\u{1D21}\u{FF38}\u{FF39}\u{28F}\
        \u{FF3A}\u{1D22}\u{2C6}\u{302}\u{FF3E}\u{1DCD}\u{2774}\u{FE5B}\u{FF5B}\u{2775}\u{FE5C}\u{FF5D}\
        \u{FF3B}\u{FF3D}\u{2DC}\u{2F7}\u{303}\u{330}\u{334}\u{223C}\u{FF5E}\u{A0}\u{2000}\u{2002}\
        \u{2003}\u{2004}\u{2005}\u{2006}\u{2007}\u{2008}\u{2009}\u{200A}\u{202F}\u{205F}\u{3000}\u{8D}\
        \u{9F}\u{80}\u{90}\u{9B}\u{10}\u{9}\u{0}\u{3}\u{4}\u{17}\u{19}\u{11}\
        \u{12}\u{13}\u{14}\u{2060}\u{2017}\u{2014}\u{2013}\u{2039}\u{203A}\u{203C}\u{2028}\u{2029}\
        \u{2026}\u{2001}\u{200B}\u{200C}\u{3001}\u{FEFF}\u{2022}";

    #[test]
    fn twilio_smart_encoding_list_is_covered() {
        assert_eq!(TWILIO_SMART_ENCODING.chars().count(), 271);
        for c in TWILIO_SMART_ENCODING.chars() {
            let fixed = replaced(&c.to_string());
            assert_ne!(fixed, c.to_string(), "U+{:04X} is replaced", c as u32);
            assert!(
                fixed.chars().all(gsm::is_gsm7),
                "U+{:04X} → {fixed:?}",
                c as u32
            );
        }
    }
}
