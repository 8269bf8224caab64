//! The GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1), as const lookups.
//!
//! Same 127 + 10 characters as Twilio's `src/libs/UnicodeToGSM.ts` (`UnicodeToGsm`): the basic
//! table less the escape code, and the extension table less its reserved entries.

/// The basic table in code order, 0x00 to 0x7F. 0x1B is the escape to the extension table, not a
/// character: it is listed so positions stay readable and is skipped when the lookup is built.
const BASIC: [char; 128] = [
    '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å', // 0x00
    'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', ESC, 'Æ', 'æ', 'ß', 'É', // 0x10
    ' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', // 0x20
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?', // 0x30
    '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', // 0x40
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§', // 0x50
    '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', // 0x60
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à', // 0x70
];

const ESC: char = '\u{1B}';

/// The extension table: each is sent as escape + code, two septets. Form feed is 0x1B 0x0A.
const EXTENSION: [char; 10] = ['\u{0C}', '^', '{', '}', '\\', '[', '~', ']', '|', '€'];

/// Septets per character for U+0000 to U+00FF (0: not GSM-7).
const LATIN: [u8; 256] = latin();

/// Septets per character for U+0390 to U+03AF, the block holding GSM's Greek capitals.
const GREEK_START: u32 = 0x390;
const GREEK: [u8; 32] = greek();

const fn latin() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < BASIC.len() {
        let c = BASIC[i] as u32;
        if c < 256 && BASIC[i] != ESC {
            table[c as usize] = 1;
        }
        i += 1;
    }
    let mut i = 0;
    while i < EXTENSION.len() {
        let c = EXTENSION[i] as u32;
        if c < 256 {
            table[c as usize] = 2;
        }
        i += 1;
    }
    table
}

const fn greek() -> [u8; 32] {
    let mut table = [0u8; 32];
    let mut i = 0;
    while i < BASIC.len() {
        let c = BASIC[i] as u32;
        if c >= GREEK_START && c < GREEK_START + 32 {
            table[(c - GREEK_START) as usize] = 1;
        }
        i += 1;
    }
    table
}

/// Septets `c` takes in GSM-7: 1 (basic table), 2 (extension table), 0 (not in GSM 03.38).
#[inline]
pub(crate) fn septets(c: char) -> u8 {
    let code = c as u32;
    if code < 256 {
        LATIN[code as usize]
    } else if code.wrapping_sub(GREEK_START) < 32 {
        GREEK[(code - GREEK_START) as usize]
    } else if c == '€' {
        2
    } else {
        0
    }
}

/// Whether `c` can be sent in a GSM-7 message (basic or extension table).
#[inline]
pub fn is_gsm7(c: char) -> bool {
    septets(c) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_have_127_basic_and_10_extension_characters() {
        let all = (0..=0x10FFFF).filter_map(char::from_u32);
        let (mut one, mut two) = (0, 0);
        for c in all {
            match septets(c) {
                1 => one += 1,
                2 => two += 1,
                _ => {}
            }
        }
        assert_eq!((one, two), (127, 10), "GSM 03.38 less the escape code");
    }

    #[test]
    fn basic_table_positions_match_the_standard() {
        // Spot checks against 3GPP TS 23.038: the places people get wrong.
        assert_eq!(BASIC[0x00], '@');
        assert_eq!(BASIC[0x02], '$');
        assert_eq!(BASIC[0x09], 'Ç', "capital C cedilla, not ç");
        assert_eq!(BASIC[0x11], '_');
        assert_eq!(BASIC[0x24], '¤', "not $");
        assert_eq!(BASIC[0x40], '¡', "not @");
        assert_eq!(BASIC[0x60], '¿', "not the backtick");
        assert_eq!(BASIC[0x7F], 'à');
    }

    #[test]
    fn accented_letters_follow_the_table_not_intuition() {
        for c in "éèùìòÇØøÅåÆæßÉÄÖÑÜäöñüà¡¿£¥§¤ΔΦΓΛΩΠΨΣΘΞ".chars()
        {
            assert_eq!(septets(c), 1, "{c} is in the basic table");
        }
        for c in "çáíóúâêîôûãõÀÁÈÊÍÓÚΑαΒ`\u{A0}\u{2019}\u{2013}\t\u{1B}".chars()
        {
            assert_eq!(septets(c), 0, "U+{:04X} is not GSM-7", c as u32);
        }
        for c in "\u{0C}^{}\\[~]|€".chars() {
            assert_eq!(septets(c), 2, "{c:?} is escape + char");
        }
    }
}
