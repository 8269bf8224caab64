//! Text from people, files and servers, made safe before it reaches a message, the history, the
//! window or a terminal. One place decides, so every entry point treats a character the same.
//!
//! Control characters are the C0 set (U+0000–U+001F), DEL (U+007F) and the C1 set
//! (U+0080–U+009F): exactly [`char::is_control`]. None of them means anything to a person
//! reading a text message, a name or a history row; in a terminal, ESC (U+001B) and CSI
//! (U+009B) start sequences that recolour, clear, retitle or rewrite the screen.
//!
//! - [`message`]: a message body, a template's text, a value typed into a field. Line breaks
//!   from other programs (CR LF and a lone CR from Windows and old Macs, U+000B — Word's
//!   Shift+Enter line break —, form feed — Word's page break —, NEL U+0085, and the Unicode
//!   line and paragraph separators U+2028/U+2029) become one line feed; a tab becomes a space;
//!   every other control character is removed. Form feed is a GSM-7 extension character (two
//!   septets), but nobody means a page break in a text message and phones show it as a line
//!   break, a box or nothing: a line feed is what was meant and costs one septet. A tab is not
//!   GSM-7, so a single pasted one would send the whole message as UCS-2 (twice the cost) for a
//!   character phones show as a space.
//! - [`line`]: one-line text (a recipient's or a teammate's name, a template's name, a business
//!   detail, a channel's name): line breaks and tabs become a space, other controls are removed.
//! - [`from_server`]: what a server says (errors, failure reasons, statuses): terminal escape
//!   sequences are removed whole (so `ESC[31m` leaves nothing behind), then as [`line`].
//! - [`for_terminal`]: text about to be printed: every control character but line feed and
//!   tab, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
//!   U+2066–U+2069, which reorder the rest of a terminal line), are written as `\uXXXX`. The
//!   same form is a valid JSON escape, so a JSON line stays valid JSON with the same value.
//!
//! Removing rather than refusing: these characters are invisible where they are typed or
//! pasted, so an error pointing at one would ask the person to find what they cannot see; once
//! removed, what is sent is what the person sees. Bidirectional controls are kept in messages
//! and names (Arabic and Hebrew text uses them; they cannot act on a terminal) and escaped only
//! for the terminal.

use std::borrow::Cow;

/// A line break written by another program (CR is handled with a following LF).
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Embeddings, overrides and isolates: they reorder what follows them on a line.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `text` holds anything [`line`] changes (with `keep_line_feed`, [`message`]).
fn needs_cleaning(text: &str, keep_line_feed: bool) -> bool {
    text.chars()
        .any(|c| (c.is_control() || is_line_break(c)) && !(keep_line_feed && c == '\n'))
}

/// Message text: line breaks as one line feed, a tab as a space, other control characters
/// removed. Unchanged (borrowed) when there is nothing to change.
pub fn message(text: &str) -> Cow<'_, str> {
    clean(text, "\n")
}

/// One-line text: line breaks and tabs as a space, other control characters removed.
pub fn line(text: &str) -> Cow<'_, str> {
    clean(text, " ")
}

fn clean<'a>(text: &'a str, line_break: &str) -> Cow<'a, str> {
    if !needs_cleaning(text, line_break == "\n") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            chars.next_if_eq(&'\n');
            out.push_str(line_break);
        } else if is_line_break(c) {
            out.push_str(line_break);
        } else if c == '\t' {
            out.push(' ');
        } else if !c.is_control() {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// What a server said, for a person: escape sequences (CSI `ESC [`…, OSC `ESC ]`… up to BEL or
/// ST, the other string sequences, two- and three-character escapes, and their C1 forms)
/// removed whole; then line breaks and tabs as a space and other controls removed ([`line`]).
pub fn from_server(text: &str) -> Cow<'_, str> {
    if !needs_cleaning(text, false) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let sequence = match c {
            '\u{1B}' => match chars.peek().copied() {
                Some('[') => {
                    chars.next();
                    Some(Sequence::Csi)
                }
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    chars.next();
                    Some(Sequence::Text)
                }
                _ => Some(Sequence::Escape),
            },
            '\u{9B}' => Some(Sequence::Csi),
            '\u{90}' | '\u{98}' | '\u{9D}' | '\u{9E}' | '\u{9F}' => Some(Sequence::Text),
            _ => None,
        };
        match sequence {
            Some(Sequence::Csi) => {
                // Parameters and intermediates, then one final byte.
                while chars
                    .next_if(|c| ('\u{20}'..='\u{3F}').contains(c))
                    .is_some()
                {}
                chars.next_if(|c| ('\u{40}'..='\u{7E}').contains(c));
            }
            Some(Sequence::Text) => {
                // Up to BEL or ST (ESC \ or U+009C), or the end.
                while let Some(c) = chars.next() {
                    if c == '\u{07}' || c == '\u{9C}' {
                        break;
                    }
                    if c == '\u{1B}' && chars.next_if_eq(&'\\').is_some() {
                        break;
                    }
                }
            }
            Some(Sequence::Escape) => {
                // ESC, intermediates (such as `(` in `ESC ( B`), one final character.
                while chars
                    .next_if(|c| ('\u{20}'..='\u{2F}').contains(c))
                    .is_some()
                {}
                chars.next_if(|c| ('\u{30}'..='\u{7E}').contains(c));
            }
            None if c == '\r' => {
                chars.next_if_eq(&'\n');
                out.push(' ');
            }
            None if is_line_break(c) || c == '\t' => out.push(' '),
            None if c.is_control() => {}
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

enum Sequence {
    /// A control sequence: `ESC [` or CSI, parameters, a final byte.
    Csi,
    /// A string: OSC, DCS, SOS, PM or APC, up to its terminator.
    Text,
    /// Any other escape.
    Escape,
}

/// Whether a terminal must not be given `c` as it is.
fn unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// Text for a terminal (or a JSON line): every control character but line feed and tab, and
/// the bidirectional embeddings, overrides and isolates, written as `\uXXXX` (lowercase hex,
/// also a JSON escape). Unchanged (borrowed) when there is nothing to escape.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_for_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_for_terminal(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text (as `serde_json` writes it, compact) with every control and bidirectional control
/// character escaped: `serde_json` escapes U+0000–U+001F itself, but leaves DEL, the C1 set
/// and the bidirectional controls raw. The value it reads back as is the same.
pub fn json(text: &str) -> Cow<'_, str> {
    // Compact JSON has no raw line feed or tab, so the terminal form is the JSON form.
    for_terminal(text)
}

/// The characters of `text` after spaces around it are removed, keeping the borrow.
pub(crate) fn trimmed(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(s) if s.trim().len() == s.len() => Cow::Owned(s),
        Cow::Owned(s) => Cow::Owned(s.trim().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_control(text: &str) -> bool {
        text.chars().any(|c| c.is_control() && c != '\n')
    }

    #[test]
    fn message_line_breaks_become_one_line_feed() {
        assert_eq!(
            message("a\r\nb\rc\u{0B}d\u{0C}e\u{85}f\u{2028}g\u{2029}h"),
            "a\nb\nc\nd\ne\nf\ng\nh"
        );
        assert_eq!(message("a\r\n\r\nb"), "a\n\nb", "a blank line stays");
        assert_eq!(message("a\tb"), "a b");
        assert_eq!(
            message("a\u{0}b\u{1b}[31mc\u{7f}d\u{9b}e\u{7}"),
            "ab[31mcde"
        );
        assert!(matches!(message("Hi Jane,\nsee you"), Cow::Borrowed(_)));
        assert_eq!(
            message("\u{202E}\u{200F}שלום"),
            "\u{202E}\u{200F}שלום",
            "bidi kept"
        );
    }

    #[test]
    fn every_control_character_is_removed_or_turned_into_a_break() {
        let all: String = (0u32..=0x9F).filter_map(char::from_u32).collect();
        for cleaned in [message(&all), line(&all), from_server(&all)] {
            assert!(!has_control(&cleaned), "{cleaned:?}");
        }
        assert!(!line(&all).contains('\n'));
        assert!(!from_server(&all).contains('\n'));
    }

    #[test]
    fn one_line_text_has_no_breaks() {
        assert_eq!(line(" Jane\r\nDoe\t\u{0B}Jr\u{1b}\u{0} "), " Jane Doe  Jr ");
        assert!(matches!(line("Jane Doe"), Cow::Borrowed(_)));
    }

    #[test]
    fn server_text_loses_whole_escape_sequences() {
        let cases = [
            ("\u{1b}[31mRed\u{1b}[0m", "Red"),
            ("\u{1b}[2J\u{1b}[1;1HCleared", "Cleared"),
            ("\u{1b}]0;title\u{7}after", "after"),
            ("\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\", "link"),
            ("\u{9b}31mC1\u{9b}0m", "C1"),
            ("\u{9d}0;t\u{9c}ok", "ok"),
            ("\u{1b}(Bcharset\u{1b}c", "charset"),
            ("\u{1b}Phidden", ""),
            ("Carrier\nrejected\r\nit\t.", "Carrier rejected it ."),
            ("nul\u{0}del\u{7f}bel\u{7}", "nuldelbel"),
            ("plain words", "plain words"),
        ];
        for (server, shown) in cases {
            assert_eq!(from_server(server), shown, "{server:?}");
        }
    }

    #[test]
    fn a_terminal_gets_escapes_instead_of_controls() {
        assert_eq!(for_terminal("a\u{1b}[2Jb"), "a\\u001b[2Jb");
        assert_eq!(for_terminal("r\rx\u{7f}\u{9b}"), "r\\u000dx\\u007f\\u009b");
        assert_eq!(for_terminal("line\nnext\tcol"), "line\nnext\tcol");
        assert_eq!(for_terminal("\u{202E}evil"), "\\u202eevil");
        assert_eq!(
            for_terminal("مرحبا\u{200F}"),
            "مرحبا\u{200F}",
            "marks are harmless"
        );
        assert!(matches!(for_terminal("Delivered"), Cow::Borrowed(_)));
    }

    #[test]
    fn escaped_json_reads_back_as_the_same_value() {
        let value = serde_json::json!({"error": "a\u{1b}b\u{7f}c\u{9b}d\u{202e}e\\\u{85}"});
        let text = serde_json::to_string(&value).expect("json");
        let escaped = json(&text);
        assert!(!escaped.chars().any(unsafe_for_terminal), "{escaped}");
        let back: serde_json::Value = serde_json::from_str(&escaped).expect("still JSON");
        assert_eq!(back, value);
    }

    #[test]
    fn trimming_keeps_what_it_can_borrow() {
        assert_eq!(trimmed(Cow::Borrowed("  a ")), "a");
        assert_eq!(trimmed(message(" a\u{0} ")), "a");
    }
}
