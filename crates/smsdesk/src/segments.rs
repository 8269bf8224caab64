//! What a message will cost: its encoding and how many SMS segments it is billed as.
//!
//! [`count`] mirrors Twilio's segment calculator, `TwilioDevEd/message-segment-calculator`
//! (the source of twilio.com's calculator and of npm `sms-segments-calculator` 1.3.0):
//!
//! - `src/libs/UnicodeToGSM.ts`: the GSM 03.38 basic and extension tables (`gsm.rs`).
//! - `src/libs/SegmentedMessage.ts`: one character outside GSM 03.38 makes the whole message
//!   UCS-2 (`_hasAnyUCSCharacters`); characters are graphemes as npm `grapheme-splitter` 1.0.4
//!   cuts them, with `\r\n` split in two (`textUtils.splitGraphemes`), ported in `clusters.rs`.
//! - `src/libs/Segment.ts` + `_buildSegments`: 140-octet segments; when a second one is needed,
//!   every segment carries a 6-octet header and the first gives back whole characters until it
//!   fits (`addHeader`). So GSM-7 is 160 septets or 153 per segment, UCS-2 70 or 67 UTF-16
//!   units, and neither an escape pair nor a grapheme (surrogate pairs included) is ever split.
//! - An empty message is one segment of GSM-7, as in Twilio (`segments` starts with one).
//! - Smart encoding is not applied here: it is the separate, visible [`lookalikes`] action.
//!
//! Test vectors from Twilio's `tests/index.test.js` and `tests/segments.test.js` are in this
//! module's tests.

mod clusters;
mod grapheme_table;
mod gsm;
mod lookalike_table;
mod lookalikes;
#[cfg(test)]
mod tests;

use std::collections::HashSet;

use serde::Serialize;

pub use gsm::is_gsm7;
pub use lookalikes::{lookalikes, replace_lookalikes, Replacement};

/// How the message's characters are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Encoding {
    /// GSM 03.38, 7 bits a character: 160 in one segment, 153 per segment when split.
    #[serde(rename = "GSM-7")]
    Gsm7,
    /// UTF-16, 16 bits a unit: 70 in one segment, 67 per segment when split.
    #[serde(rename = "UCS-2")]
    Ucs2,
}

impl Encoding {
    /// The name carriers and Twilio use: `GSM-7` or `UCS-2`.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }

    /// Units that fit in a message of one segment.
    pub fn single_segment(self) -> usize {
        match self {
            Encoding::Gsm7 => 160,
            Encoding::Ucs2 => 70,
        }
    }

    /// Units that fit in each segment of a split message (the rest is the joining header).
    pub fn per_split_segment(self) -> usize {
        match self {
            Encoding::Gsm7 => 153,
            Encoding::Ucs2 => 67,
        }
    }
}

/// What a message costs, as shown under the compose box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentCount {
    pub encoding: Encoding,
    /// SMS segments billed; 1 for an empty message.
    pub segments: usize,
    /// Unicode scalar values (what Rust's `chars()` counts).
    pub characters: usize,
    /// Septets (GSM-7: extension characters take 2) or UTF-16 code units (UCS-2).
    pub units: usize,
    /// Units a segment holds here: 160 or 153 (GSM-7), 70 or 67 (UCS-2).
    pub per_segment: usize,
    /// Units left in the last segment before another one starts.
    pub remaining: usize,
    /// The distinct characters that made the message UCS-2, in order of first appearance.
    /// A character is what a person sees: an emoji with its skin tone, a letter with its accent.
    pub non_gsm: Vec<String>,
    /// Every occurrence of those characters as a half-open range of `char` indices, in order.
    pub non_gsm_positions: Vec<(usize, usize)>,
}

/// Encoding, segments and the characters to blame, for the text exactly as it will be sent.
pub fn count(text: &str) -> SegmentCount {
    let mut gsm = Packer::new(Encoding::Gsm7);
    let mut ucs = Packer::new(Encoding::Ucs2);
    let (mut characters, mut septets, mut units) = (0, 0, 0);
    let mut non_gsm = Vec::new();
    let mut non_gsm_positions = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for cluster in clusters::clusters(text) {
        let cost = if cluster.scalars == 1 {
            usize::from(gsm::septets(cluster.first))
        } else {
            0
        };
        if cost == 0 {
            let shown = &text[cluster.start..cluster.end];
            if seen.insert(shown) {
                non_gsm.push(shown.to_owned());
            }
            non_gsm_positions.push((characters, characters + cluster.scalars));
        } else if non_gsm_positions.is_empty() {
            gsm.push(cost);
            septets += cost;
        }
        ucs.push(cluster.units);
        characters += cluster.scalars;
        units += cluster.units;
    }
    let (encoding, packer, units) = if non_gsm_positions.is_empty() {
        (Encoding::Gsm7, gsm, septets)
    } else {
        (Encoding::Ucs2, ucs, units)
    };
    SegmentCount {
        encoding,
        segments: packer.segments,
        characters,
        units,
        per_segment: packer.capacity(),
        remaining: packer.capacity().saturating_sub(packer.used),
        non_gsm,
        non_gsm_positions,
    }
}

/// Twilio's `_buildSegments` in units instead of bits: the same decisions, no per-character
/// allocation. A character that does not fit starts a new segment; at the first split the first
/// segment keeps the longest run of whole characters that fits beside the header.
struct Packer {
    single: usize,
    multi: usize,
    segments: usize,
    /// Units in the current (last) segment.
    used: usize,
    /// Units of the longest prefix of the first segment that fits in `multi`.
    first_fit: usize,
    split: bool,
}

impl Packer {
    fn new(encoding: Encoding) -> Self {
        Self {
            single: encoding.single_segment(),
            multi: encoding.per_split_segment(),
            segments: 1,
            used: 0,
            first_fit: 0,
            split: false,
        }
    }

    fn capacity(&self) -> usize {
        if self.split {
            self.multi
        } else {
            self.single
        }
    }

    fn push(&mut self, size: usize) {
        if self.used + size <= self.capacity() {
            self.used += size;
            if !self.split && self.used <= self.multi {
                self.first_fit = self.used;
            }
        } else if !self.split {
            self.split = true;
            self.segments = 2;
            self.used = self.used - self.first_fit + size;
        } else {
            self.segments += 1;
            self.used = size;
        }
    }
}
