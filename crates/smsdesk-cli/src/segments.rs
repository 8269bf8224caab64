//! `smsdesk segments`: what a message will cost, before it is sent.
//!
//! The text is counted exactly as given: from standard input nothing is trimmed, so a trailing
//! newline counts as the character it is when sent.

use std::io::{Read, Write};

use serde::Serialize;
use smsdesk::segments::{self, Encoding, SegmentCount};

use crate::args::SegmentsArgs;
use crate::error::{exit, CliError, Result};

/// The `--json` line; the field set and order are part of the interface.
#[derive(Serialize)]
struct JsonCount<'a> {
    encoding: Encoding,
    segments: usize,
    characters: usize,
    non_gsm: &'a [String],
}

pub fn run(args: &SegmentsArgs) -> Result<u8> {
    if args.jsonl {
        return run_lines();
    }
    let text = match &args.text {
        Some(text) => text.clone(),
        None => read_stdin()?,
    };
    let count = segments::count(&text);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write_count(&mut out, &count, args.json).map_err(CliError::Stdout)?;
    Ok(exit::OK)
}

/// `--jsonl`: each line of standard input is a JSON string (the message, exactly); one count
/// per line, in order. A line that is not a JSON string (a blank line neither: skipping it
/// would shift every later result onto the wrong message) is a usage error (exit 2), said
/// with its line number; the lines before it were counted.
fn run_lines() -> Result<u8> {
    let text = read_stdin()?;
    for (i, line) in text.lines().enumerate() {
        let message: String = serde_json::from_str(line).map_err(|_| CliError::Invalid {
            message: format!("Line {} is not a JSON string.", i + 1),
            hint:
                "Give one message per line as a JSON string, such as \"Hi Ann, see you at 10:00.\""
                    .to_owned(),
        })?;
        let count = segments::count(&message);
        let mut out = Vec::new();
        write_count(&mut out, &count, true).map_err(CliError::Stdout)?;
        crate::output::line(String::from_utf8_lossy(&out).trim_end());
    }
    Ok(exit::OK)
}

fn read_stdin() -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(CliError::Stdin)?;
    String::from_utf8(bytes).map_err(|_| {
        CliError::Stdin(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the text is not UTF-8; save it as UTF-8 and try again",
        ))
    })
}

fn write_count(out: &mut impl Write, count: &SegmentCount, json: bool) -> std::io::Result<()> {
    if json {
        let line = JsonCount {
            encoding: count.encoding,
            segments: count.segments,
            characters: count.characters,
            non_gsm: &count.non_gsm,
        };
        // The non-GSM characters may be controls serde_json leaves raw (DEL, C1).
        let line = crate::output::json_line(&line).map_err(std::io::Error::other)?;
        writeln!(out, "{line}")?;
    } else {
        writeln!(
            out,
            "{} · {} · {}",
            plural(count.characters, "character"),
            plural(count.segments, "segment"),
            count.encoding.as_str()
        )?;
        if !count.non_gsm.is_empty() {
            let named: Vec<String> = count.non_gsm.iter().map(|c| name(c)).collect();
            writeln!(
                out,
                "Not in GSM-7, so the whole message is sent as UCS-2: {}",
                named.join(", ")
            )?;
        }
    }
    out.flush()
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A character as shown and by code point, e.g. `’ (U+2019)`; only the code point for one
/// nobody can see (a no-break space, a zero-width space, a tab).
fn name(character: &str) -> String {
    let codes: Vec<String> = character
        .chars()
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    let codes = codes.join(" ");
    if character.chars().all(invisible) {
        codes
    } else {
        format!("{} ({codes})", crate::output::safe(character))
    }
}

fn invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}
