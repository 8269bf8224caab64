//! Look-alikes and the GSM-7 text that stands in for them.
//!
//! Punctuation, symbols, spaces and fullwidth forms follow Twilio's Smart Encoding list: the
//! calculator's `src/libs/SmartEncodingMap.ts` (npm `sms-segments-calculator` 1.3.0), which is
//! twilio.com/docs/messaging/services/smart-encoding-char-list. Where we differ, on purpose:
//! - Unicode spaces, tab and line/paragraph separators become one space (Twilio: two spaces for
//!   most, seven for tab), so a no-break space costs what a space costs.
//! - `‹ ›` become `'` (Twilio: `< >`), as `« »` become `"`.
//! - Added: primes, non-breaking/figure hyphens, minus sign, small em dash, bullets and middle
//!   dot → `-`, `‥`, soft hyphen, invisible operators and variation selectors removed, all C0/C1
//!   controls removed (Twilio turns a few C1 into spaces), fullwidth lowercase letters.
//! - Accented letters outside GSM 03.38 become their base letter (`á` → `a`, `ç` → `c`,
//!   `Œ` → `OE`); Twilio's list has none. Letters already in GSM (`é ñ ü Ç ...`) never change.

/// What replaces `c`, if it is a look-alike (`Some("")`: removed). Never called for GSM-7.
pub(crate) fn lookalike(c: char) -> Option<&'static str> {
    if let Some(ascii) = fullwidth(c) {
        return Some(ascii);
    }
    let to = match c {
        // Quotation marks, primes, apostrophes.
        '\u{AB}' | '\u{BB}' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2BA}'
        | '\u{2EE}' | '\u{275D}' | '\u{275E}' | '\u{301D}' | '\u{301E}' | '\u{2033}'
        | '\u{2036}' => "\"",
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2B9}' | '\u{2BB}' | '\u{2BC}' | '\u{2BD}'
        | '\u{2C8}' | '\u{2CA}' | '\u{2CB}' | '\u{B4}' | '`' | '\u{275B}' | '\u{275C}'
        | '\u{313}' | '\u{314}' | '\u{FE10}' | '\u{FE11}' | '\u{2032}' | '\u{2035}'
        | '\u{2039}' | '\u{203A}' => "'",
        '\u{2034}' => "'''",
        '\u{201A}' | '\u{326}' | '\u{FE50}' | '\u{FE51}' | '\u{FF64}' | '\u{3001}' => ",",
        // Dashes, hyphens, minus, bullets.
        '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{2043}'
        | '\u{23BC}'
        | '\u{23BD}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{2022}'
        | '\u{2023}'
        | '\u{2219}'
        | '\u{25E6}'
        | '\u{B7}' => "-",
        '\u{2026}' => "...",
        '\u{2025}' => "..",
        '\u{3002}' | '\u{FE52}' | '\u{FF61}' => ".",
        // Spaces, and characters nobody sees.
        '\t'
        | '\u{A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}'
        | '\u{2028}'
        | '\u{2029}' => " ",
        '\u{200B}'..='\u{200D}'
        | '\u{2060}'..='\u{2064}'
        | '\u{FEFF}'
        | '\u{AD}'
        | '\u{180E}'
        | '\u{FE00}'..='\u{FE0F}' => "",
        c if c.is_control() && !matches!(c, '\n' | '\r' | '\u{0C}') => "",
        // Other symbols from Twilio's list.
        '\u{F7}' | '\u{29F8}' | '\u{337}' | '\u{338}' | '\u{2044}' | '\u{2215}' => "/",
        '\u{BC}' => "1/4",
        '\u{BD}' => "1/2",
        '\u{BE}' => "3/4",
        '\u{29F9}' | '\u{29F5}' | '\u{20E5}' | '\u{FE68}' => "\\",
        '\u{332}' | '\u{2017}' => "_",
        '\u{20D2}' | '\u{20D3}' | '\u{2223}' | '\u{23B8}' | '\u{23B9}' | '\u{23D0}'
        | '\u{239C}' | '\u{239F}' => "|",
        '\u{FE6B}' => "@",
        '\u{FE69}' => "$",
        '\u{1C3}' | '\u{FE15}' | '\u{FE57}' => "!",
        '\u{203C}' => "!!",
        '\u{FE5F}' => "#",
        '\u{FE6A}' => "%",
        '\u{FE60}' => "&",
        '\u{2768}' | '\u{276A}' | '\u{FE59}' | '\u{27EE}' | '\u{2985}' => "(",
        '\u{2769}' | '\u{276B}' | '\u{FE5A}' | '\u{27EF}' | '\u{2986}' => ")",
        '\u{204E}'
        | '\u{2217}'
        | '\u{229B}'
        | '\u{2722}'..='\u{2725}'
        | '\u{2731}'..='\u{2733}'
        | '\u{273A}'..='\u{273D}'
        | '\u{2743}'
        | '\u{2749}'..='\u{274B}'
        | '\u{29C6}'
        | '\u{FE61}' => "*",
        '\u{2D6}' | '\u{FE62}' => "+",
        '\u{2D0}' | '\u{2F8}' | '\u{2982}' | '\u{A789}' | '\u{FE13}' => ":",
        '\u{204F}' | '\u{FE14}' | '\u{FE54}' => ";",
        '\u{FE64}' => "<",
        '\u{347}' | '\u{A78A}' | '\u{FE66}' => "=",
        '\u{FE65}' => ">",
        '\u{FE16}' | '\u{FE56}' => "?",
        '\u{2C6}' | '\u{302}' | '\u{1DCD}' => "^",
        '\u{2774}' | '\u{FE5B}' => "{",
        '\u{2775}' | '\u{FE5C}' => "}",
        '\u{2DC}' | '\u{2F7}' | '\u{303}' | '\u{330}' | '\u{334}' | '\u{223C}' => "~",
        // Any other accent on its own.
        '\u{300}'..='\u{36F}' => "",
        _ => return letter(c),
    };
    Some(to)
}

/// Fullwidth ASCII (U+FF01 to U+FF5E) as ASCII; the fullwidth backtick as `'`.
fn fullwidth(c: char) -> Option<&'static str> {
    const ASCII: &str = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_'abcdefghijklmnopqrstuvwxyz{|}~";
    let i = (c as u32).checked_sub(0xFF01)? as usize;
    ASCII.get(i..i + 1)
}

/// Latin letters outside GSM 03.38 as their base letter (Latin-1, Latin Extended-A, Romanian),
/// and small capitals as capitals.
fn letter(c: char) -> Option<&'static str> {
    let to = match c {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ā' | 'Ă' | 'Ą' => "A",
        'á' | 'â' | 'ã' | 'ā' | 'ă' | 'ą' => "a",
        'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'Ð' | 'Ď' | 'Đ' => "D",
        'ð' | 'ď' | 'đ' => "d",
        'È' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'Ĥ' | 'Ħ' => "H",
        'ĥ' | 'ħ' => "h",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
        'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'Ĳ' => "IJ",
        'ĳ' => "ij",
        'Ĵ' => "J",
        'ĵ' => "j",
        'Ķ' => "K",
        'ķ' | 'ĸ' => "k",
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "L",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'Ń' | 'Ņ' | 'Ň' | 'Ŋ' => "N",
        'ń' | 'ņ' | 'ň' | 'ŋ' => "n",
        'ŉ' => "'n",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ō' | 'Ŏ' | 'Ő' => "O",
        'ó' | 'ô' | 'õ' | 'ō' | 'ŏ' | 'ő' => "o",
        'Œ' => "OE",
        'œ' => "oe",
        'Ŕ' | 'Ŗ' | 'Ř' => "R",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => "S",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' | 'ș' => "s",
        'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => "T",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'Þ' => "Th",
        'þ' => "th",
        'Ù' | 'Ú' | 'Û' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ú' | 'û' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'Ŵ' => "W",
        'ŵ' => "w",
        '×' => "x",
        'Ý' | 'Ŷ' | 'Ÿ' => "Y",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ź' | 'ż' | 'ž' => "z",
        // Small capitals (Twilio's list).
        '\u{1D00}' => "A",
        '\u{299}' => "B",
        '\u{1D04}' => "C",
        '\u{1D05}' => "D",
        '\u{1D07}' => "E",
        '\u{A730}' => "F",
        '\u{262}' => "G",
        '\u{29C}' => "H",
        '\u{26A}' => "I",
        '\u{1D0A}' => "J",
        '\u{1D0B}' => "K",
        '\u{29F}' => "L",
        '\u{1D0D}' => "M",
        '\u{274}' => "N",
        '\u{1D0F}' => "O",
        '\u{1D18}' => "P",
        '\u{280}' => "R",
        '\u{A731}' => "S",
        '\u{1D1B}' => "T",
        '\u{1D1C}' => "U",
        '\u{1D20}' => "V",
        '\u{1D21}' => "W",
        '\u{28F}' => "Y",
        '\u{1D22}' => "Z",
        _ => return None,
    };
    Some(to)
}

/// The GSM-7 letter an ASCII letter and one combining accent make (decomposed text), if any.
pub(crate) fn compose(base: char, mark: char) -> Option<char> {
    let composed = match (base, mark) {
        ('a', '\u{300}') => 'à',
        ('e', '\u{300}') => 'è',
        ('i', '\u{300}') => 'ì',
        ('o', '\u{300}') => 'ò',
        ('u', '\u{300}') => 'ù',
        ('e', '\u{301}') => 'é',
        ('E', '\u{301}') => 'É',
        ('n', '\u{303}') => 'ñ',
        ('N', '\u{303}') => 'Ñ',
        ('a', '\u{308}') => 'ä',
        ('o', '\u{308}') => 'ö',
        ('u', '\u{308}') => 'ü',
        ('A', '\u{308}') => 'Ä',
        ('O', '\u{308}') => 'Ö',
        ('U', '\u{308}') => 'Ü',
        ('a', '\u{30A}') => 'å',
        ('A', '\u{30A}') => 'Å',
        ('C', '\u{327}') => 'Ç',
        _ => return None,
    };
    Some(composed)
}
