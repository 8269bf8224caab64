//! `count` at every boundary, and Twilio's own test vectors.

use super::{count, Encoding, SegmentCount};

fn gsm(n: usize) -> String {
    "x".repeat(n)
}

/// `n` UTF-16 units of UCS-2: one `á` (not GSM-7) and then GSM letters.
fn ucs(n: usize) -> String {
    format!("á{}", "x".repeat(n - 1))
}

fn shape(c: &SegmentCount) -> (Encoding, usize, usize) {
    (c.encoding, c.segments, c.units)
}

#[test]
fn an_empty_message_is_one_gsm_segment_as_in_twilio() {
    let c = count("");
    assert_eq!(shape(&c), (Encoding::Gsm7, 1, 0));
    assert_eq!((c.characters, c.per_segment, c.remaining), (0, 160, 160));
    assert!(c.non_gsm.is_empty() && c.non_gsm_positions.is_empty());
}

#[test]
fn gsm_7_boundaries() {
    for (n, segments) in [
        (1, 1),
        (153, 1),
        (154, 1),
        (160, 1),
        (161, 2),
        (306, 2),
        (307, 3),
        (459, 3),
        (460, 4),
        (1600, 11),
    ] {
        let c = count(&gsm(n));
        assert_eq!(shape(&c), (Encoding::Gsm7, segments, n), "{n} septets");
        assert_eq!(c.characters, n);
    }
}

#[test]
fn ucs_2_boundaries() {
    for (n, segments) in [
        (1, 1),
        (67, 1),
        (68, 1),
        (70, 1),
        (71, 2),
        (134, 2),
        (135, 3),
        (201, 3),
        (202, 4),
        (1600, 24),
    ] {
        let c = count(&ucs(n));
        assert_eq!(shape(&c), (Encoding::Ucs2, segments, n), "{n} units");
    }
}

#[test]
fn per_segment_and_remaining() {
    let c = count(&gsm(143));
    assert_eq!((c.per_segment, c.remaining), (160, 17));
    let c = count(&gsm(160));
    assert_eq!((c.per_segment, c.remaining), (160, 0));
    let c = count(&gsm(161));
    assert_eq!(
        (c.per_segment, c.remaining),
        (153, 153 - 8),
        "8 septets in the second"
    );
    let c = count(&gsm(1600));
    assert_eq!(c.remaining, 153 * 11 - 1600);
    let c = count(&ucs(71));
    assert_eq!((c.per_segment, c.remaining), (67, 67 - 4));
}

#[test]
fn extension_characters_take_two_septets() {
    let c = count("{[€]}~^|\\\u{C}");
    assert_eq!(shape(&c), (Encoding::Gsm7, 1, 20));
    assert_eq!(c.characters, 10);
    let c = count(&format!("€{}", gsm(158)));
    assert_eq!((c.segments, c.units), (1, 160));
    let c = count(&format!("€{}", gsm(159)));
    assert_eq!((c.segments, c.units), (2, 161));
}

#[test]
fn an_escape_pair_is_never_split_across_segments() {
    // 152 septets, then € needs 2 but segment 1 has 1 left: it starts segment 2.
    let c = count(&format!("{}€{}", gsm(152), gsm(152)));
    assert_eq!(
        c.units, 306,
        "2 × 153 septets would fit if the pair could split"
    );
    assert_eq!(c.segments, 3);
    let c = count(&format!("{}€{}", gsm(151), gsm(153)));
    assert_eq!(c.segments, 2, "ends exactly on the boundary: no gap");
    // Twilio issue #39: 153 `]` are 306 septets but 76 pairs fit a segment → 3 segments.
    assert_eq!(count(&"]".repeat(152)).segments, 2);
    assert_eq!(count(&"]".repeat(153)).segments, 3);
}

#[test]
fn a_surrogate_pair_is_never_split_across_segments() {
    // 66 units, then 😀 (2 units) does not fit the 67 left: it starts segment 2.
    let c = count(&format!("{}😀{}", ucs(66), gsm(66)));
    assert_eq!(
        c.units, 134,
        "2 × 67 units would fit if the pair could split"
    );
    assert_eq!(c.segments, 3);
    assert_eq!(count(&format!("{}😀{}", ucs(65), gsm(65))).segments, 2);
}

#[test]
fn a_skin_tone_stays_with_its_emoji_across_a_boundary() {
    // 👍🏽 is 4 units; at 65 units only 2 are left, so all 4 move (Twilio packs graphemes).
    let c = count(&format!("{}👍🏽{}", ucs(65), gsm(65)));
    assert_eq!(c.units, 134);
    assert_eq!(c.segments, 3);
}

#[test]
fn one_emoji_makes_the_whole_message_ucs_2() {
    let text = format!("{}😀", gsm(99));
    let c = count(&text);
    assert_eq!(shape(&c), (Encoding::Ucs2, 2, 101));
    assert_eq!(c.characters, 100);
    assert_eq!(c.non_gsm, ["😀"]);
    assert_eq!(c.non_gsm_positions, [(99, 100)]);
    assert_eq!(count(&gsm(100)).encoding, Encoding::Gsm7);
}

#[test]
fn accented_letters_in_the_table_stay_gsm_7() {
    let c = count("é ñ ü Ç à è ù ì ò Ä Ö Ñ Ü É Å å Ø ø Æ æ ß ¿ ¡ £ ¥ § ¤ Δ Ω");
    assert_eq!(c.encoding, Encoding::Gsm7, "{:?}", c.non_gsm);
}

#[test]
fn these_force_ucs_2() {
    for text in [
        "`", "ç", "á", "’", "“", "\u{A0}", "–", "\t", "Ê", "e\u{301}",
    ] {
        let c = count(&format!("Hello {text} there"));
        assert_eq!(c.encoding, Encoding::Ucs2, "{text:?}");
        assert_eq!(c.non_gsm, [text], "{text:?}");
        assert_eq!(c.non_gsm_positions, [(6, 6 + text.chars().count())]);
    }
}

#[test]
fn non_gsm_is_distinct_in_order_and_positions_cover_each_occurrence() {
    let c = count("a’b“c’d😀e“😀👍🏽");
    assert_eq!(c.non_gsm, ["’", "“", "😀", "👍🏽"]);
    assert_eq!(
        c.non_gsm_positions,
        [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (10, 11), (11, 13)]
    );
    assert_eq!(c.characters, 13);
}

#[test]
fn ucs_2_counts_gsm_extension_characters_once() {
    // Twilio issue #18 / "UCS2 message with special GSM characters".
    assert_eq!(count(&format!("😀{}", "]".repeat(68))).segments, 1);
    assert_eq!(count(&format!("😀{}", "]".repeat(69))).segments, 2);
}

/// Twilio's `tests/index.test.js` "Basic tests": (body, encoding, segments, unicode scalars).
const TWILIO_BASIC: &[(&str, Encoding, usize, usize)] = &[
    ("1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890", Encoding::Gsm7, 1, 160),
    ("12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901", Encoding::Gsm7, 2, 161),
    ("😜23456789012345678901234567890123456789012345678901234567890123456789", Encoding::Ucs2, 1, 69),
    ("😜234567890123456789012345678901234567890123456789012345678901234567890", Encoding::Ucs2, 2, 70),
    ("😜2345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234", Encoding::Ucs2, 3, 134),
    ("🇮🇹234567890123456789012345678901234567890123456789012345678901234567", Encoding::Ucs2, 1, 68),
    ("🇮🇹2345678901234567890123456789012345678901234567890123456789012345678", Encoding::Ucs2, 2, 69),
    ("🏳️‍🌈2345678901234567890123456789012345678901234567890123456789012345", Encoding::Ucs2, 1, 68),
    ("🏳️‍🌈23456789012345678901234567890123456789012345678901234567890123456", Encoding::Ucs2, 2, 69),
];

#[test]
fn twilio_basic_vectors() {
    for &(body, encoding, segments, scalars) in TWILIO_BASIC {
        let c = count(body);
        assert_eq!(
            (c.encoding, c.segments, c.characters),
            (encoding, segments, scalars),
            "{body}"
        );
    }
    let three = "1234567890".repeat(30) + "1234567";
    assert_eq!(shape(&count(&three)), (Encoding::Gsm7, 3, 307));
    // tests/segments.test.js: the third segment of the 134-character UCS-2 one holds only '4'.
    assert_eq!(count(TWILIO_BASIC[4].0).remaining, 66);
}

#[test]
fn twilio_escape_and_one_grapheme_vectors() {
    for escape in ['|', '^', '€', '{', '}', '[', ']', '~', '\\'] {
        let one = format!("{escape}{}", &"1234567890".repeat(16)[..158]);
        assert_eq!(shape(&count(&one)), (Encoding::Gsm7, 1, 160), "{escape}");
        let two = format!("{escape}{}", &"1234567890".repeat(16)[..159]);
        assert_eq!(count(&two).segments, 2, "{escape}");
    }
    for accented in ['Á', 'Ú', 'ú', 'ç', 'í', 'Í', 'ó', 'Ó'] {
        let c = count(&accented.to_string().repeat(70));
        assert_eq!((c.encoding, c.segments), (Encoding::Ucs2, 1), "{accented}");
        assert_eq!(c.non_gsm, [accented.to_string()]);
        assert_eq!(count(&accented.to_string().repeat(71)).segments, 2);
    }
    // "Line break styles": \r\n is two characters; CR and LF are GSM-7.
    assert_eq!(count("\rabcde\r\n123").units, 11);
    assert_eq!(count("\nabcde\n\n123\n").units, 12);
    // "Triple accents": one character of 4 scalars; 70 units fit one segment.
    let accents = "e\u{301}\u{301}\u{301}";
    assert_eq!(count(&format!("{accents}{}", "a".repeat(66))).segments, 1);
    assert_eq!(count(&format!("{accents}{}", "a".repeat(67))).segments, 2);
    assert_eq!(count(accents).non_gsm, [accents]);
}

#[test]
fn a_surrogate_pair_at_the_single_segment_limit() {
    // 69 units + an emoji (2 units) = 71: over 70, so split 67 + 4; the emoji is not cut.
    let text = format!("{}😀", ucs(69));
    let c = count(&text);
    assert_eq!((c.encoding, c.segments, c.units), (Encoding::Ucs2, 2, 71));
    // 68 units + an emoji = exactly 70: one segment.
    assert_eq!(count(&format!("{}😀", ucs(68))).segments, 1);
}
