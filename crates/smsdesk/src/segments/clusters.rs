//! What a person sees as one character: Twilio's calculator counts and packs graphemes.
//!
//! A port of `shouldBreak` from npm `grapheme-splitter` 1.0.4 (Unicode 10.0 rules, including its
//! look-ahead quirks), which Twilio's calculator runs before splitting `\r\n` in two
//! (`src/libs/textUtils.ts`). Classes are in `grapheme_table.rs`. A skin tone never leaves
//! its emoji, nor an accent its letter, so segment counts agree with Twilio's across boundaries.

use std::iter::Peekable;
use std::str::CharIndices;

use super::grapheme_table::{class, Gcb};

/// One cluster: its byte range in the text and its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cluster {
    pub start: usize,
    pub end: usize,
    /// Unicode scalar values in the cluster.
    pub scalars: usize,
    /// UTF-16 code units: what it costs in UCS-2.
    pub units: usize,
    pub first: char,
}

/// The clusters of a text, in order, without allocating.
pub(crate) struct Clusters<'a> {
    chars: Peekable<CharIndices<'a>>,
}

pub(crate) fn clusters(text: &str) -> Clusters<'_> {
    Clusters {
        chars: text.char_indices().peekable(),
    }
}

impl Iterator for Clusters<'_> {
    type Item = Cluster;

    fn next(&mut self) -> Option<Cluster> {
        let (start, first) = self.chars.next()?;
        let mut cluster = Cluster {
            start,
            end: start + first.len_utf8(),
            scalars: 1,
            units: first.len_utf16(),
            first,
        };
        let mut state = State::new(class(first));
        while let Some(&(at, c)) = self.chars.peek() {
            let next = class(c);
            if !state.joins(next) {
                break;
            }
            state.push(next);
            self.chars.next();
            cluster.end = at + c.len_utf8();
            cluster.scalars += 1;
            cluster.units += c.len_utf16();
        }
        Some(cluster)
    }
}

/// What `shouldBreak(start, mid, next)` looks at, kept as the cluster grows.
struct State {
    start: Gcb,
    /// The last class in the cluster and the one before it.
    prev: Gcb,
    before_prev: Option<Gcb>,
    /// Classes after `start`.
    mid_len: usize,
    mid_all_extend: bool,
    has_extend: bool,
    /// `mid` began with regional indicators and something else followed them.
    ri_run_closed: bool,
    ri_run_open: bool,
}

impl State {
    fn new(start: Gcb) -> Self {
        Self {
            start,
            prev: start,
            before_prev: None,
            mid_len: 0,
            mid_all_extend: true,
            has_extend: start == Gcb::Extend,
            ri_run_closed: false,
            ri_run_open: false,
        }
    }

    fn push(&mut self, next: Gcb) {
        let is_ri = next == Gcb::RegionalIndicator;
        if self.mid_len == 0 {
            self.ri_run_open = is_ri;
        } else if self.ri_run_open && !is_ri {
            self.ri_run_open = false;
            self.ri_run_closed = true;
        } else if self.ri_run_closed && is_ri {
            self.ri_run_closed = false;
        }
        self.mid_len += 1;
        self.mid_all_extend &= next == Gcb::Extend;
        self.has_extend |= next == Gcb::Extend;
        self.before_prev = Some(self.prev);
        self.prev = next;
    }

    fn joins(&self, next: Gcb) -> bool {
        use Gcb::*;
        let prev = self.prev;
        // Look-ahead terminators: a modifier after marks on no emoji base; anything after a
        // flag that was followed by something else.
        if next == EModifier
            && self.mid_len > 0
            && self.mid_all_extend
            && !matches!(self.start, Extend | EBase | EBaseGaz)
        {
            return false;
        }
        if self.ri_run_closed && !matches!(prev, Prepend | RegionalIndicator) {
            return false;
        }
        // GB4, GB5: controls, CR and LF stand alone.
        if prev == Control || next == Control {
            return false;
        }
        // GB6 to GB8: Hangul syllable sequences.
        if matches!(
            (prev, next),
            (L, L | V | Lv | Lvt) | (Lv | V, V | T) | (Lvt | T, T)
        ) {
            return true;
        }
        // GB9, GB9a, GB9b.
        if matches!(next, Extend | Zwj | SpacingMark) || prev == Prepend {
            return true;
        }
        // GB10: an emoji base, at most one mark, then a skin tone (as grapheme-splitter reads it).
        if next == EModifier {
            let base = if self.has_extend {
                if prev == Extend {
                    self.before_prev
                } else {
                    None
                }
            } else {
                Some(prev)
            };
            return matches!(base, Some(EBase | EBaseGaz));
        }
        // GB11: a joiner glues the pictographs Unicode 10 knew.
        if prev == Zwj && matches!(next, GlueAfterZwj | EBaseGaz) {
            return true;
        }
        // GB12, GB13: flags are pairs.
        self.mid_len == 0 && prev == RegionalIndicator && next == RegionalIndicator
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        clusters(text).map(|c| &text[c.start..c.end]).collect()
    }

    #[test]
    fn plain_text_is_one_cluster_per_character() {
        assert_eq!(
            split("Hi\r\n"),
            ["H", "i", "\r", "\n"],
            "CR LF split as Twilio does"
        );
        assert!(split("").is_empty());
    }

    #[test]
    fn marks_and_emoji_parts_stay_with_their_base() {
        assert_eq!(split("e\u{301}x"), ["e\u{301}", "x"]);
        assert_eq!(split("👍🏽!"), ["👍🏽", "!"]);
        assert_eq!(split("1\u{FE0F}\u{20E3}"), ["1\u{FE0F}\u{20E3}"], "keycap");
        assert_eq!(split("👩\u{200D}⚕\u{FE0F}a"), ["👩\u{200D}⚕\u{FE0F}", "a"]);
        assert_eq!(split("🏳️‍🌈"), ["🏳️‍🌈"]);
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(split(family), [family]);
        let scotland = "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
        assert_eq!(split(scotland), [scotland]);
        assert_eq!(split("नमस्ते"), ["न", "म", "स्", "ते"]);
        assert_eq!(
            split("\u{1100}\u{1161}\u{11A8}각"),
            ["\u{1100}\u{1161}\u{11A8}", "각"]
        );
    }

    #[test]
    fn unicode_10_limits_are_kept_as_twilio_has_them() {
        // 🤝 was not a Glue_After_Zwj pictograph in Unicode 10, nor 🫶 an emoji base.
        assert_eq!(
            split("🧑\u{200D}🤝\u{200D}🧑"),
            ["🧑\u{200D}", "🤝\u{200D}", "🧑"]
        );
        assert_eq!(split("a🏽"), ["a", "🏽"], "a skin tone needs an emoji base");
        assert_eq!(
            split("\n\u{301}"),
            ["\n", "\u{301}"],
            "nothing attaches to a control"
        );
    }

    #[test]
    fn flags_pair_up_and_joiners_only_glue_pictographs() {
        assert_eq!(split("🇮🇪🇮🇹🇫"), ["🇮🇪", "🇮🇹", "🇫"]);
        assert_eq!(split("a\u{200D}b"), ["a\u{200D}", "b"]);
    }

    #[test]
    fn sizes_are_scalars_and_utf16_units() {
        let c: Vec<Cluster> = clusters("a👍🏽").collect();
        assert_eq!((c[0].scalars, c[0].units), (1, 1));
        assert_eq!((c[1].scalars, c[1].units, c[1].first), (2, 4, '👍'));
    }
}
