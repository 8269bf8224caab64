//! What a command prints. Printing never changes the exit code of something that happened: a
//! send that went out exits with its outcome's code even when standard output is closed or the
//! disk is full (`println!` would panic, exit 101, and a wrapper script might send again).
//!
//! Nothing reaches the terminal raw that could act on it: every line is written through
//! [`safe`] (control characters but line feed and tab, and the bidirectional overrides, as
//! `\uXXXX`: also a JSON escape, so a JSON line stays valid JSON with the same value).

use std::fmt::Display;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{Local, SecondsFormat, TimeZone, Utc};
use serde::Serialize;
use smsdesk::text_safety;

/// Set once a line could not be written, so the warning is given once.
static STDOUT_FAILED: AtomicBool = AtomicBool::new(false);

/// Writes one line to standard output. If it cannot be written, says so once on standard error
/// and carries on: the command's exit code stays what happened.
pub fn line(text: impl Display) {
    let text = text.to_string();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = writeln!(out, "{}", safe(&text)).and_then(|()| out.flush());
    if let Err(error) = written {
        if !STDOUT_FAILED.swap(true, Ordering::Relaxed) {
            err(format_args!(
                "warning: could not write the output ({error}); the exit code still says what happened."
            ));
        }
    }
}

/// Writes one line to standard error; a standard error that cannot be written is ignored.
pub fn err(text: impl Display) {
    let text = text.to_string();
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    let _ = writeln!(out, "{}", safe(&text));
    let _ = out.flush();
}

/// `text` as it may be printed: control characters (but line feed and tab) and bidirectional
/// overrides written as `\uXXXX` ([`text_safety::for_terminal`]).
pub fn safe(text: &str) -> std::borrow::Cow<'_, str> {
    text_safety::for_terminal(text)
}

/// `value` as one JSON line that is safe to print: `serde_json` escapes U+0000–U+001F itself;
/// DEL, the C1 controls and the bidirectional overrides are escaped too (the same value).
pub fn json_line(value: &impl Serialize) -> serde_json::Result<String> {
    let text = serde_json::to_string(value)?;
    Ok(text_safety::json(&text).into_owned())
}

/// Milliseconds since 1970 as RFC 3339 in this computer's time zone, e.g.
/// `2026-11-27T15:57:21.123+01:00`.
pub fn rfc3339(ms: i64) -> String {
    match Local.timestamp_millis_opt(ms).single() {
        Some(t) => t.to_rfc3339_opts(SecondsFormat::Millis, false),
        None => Utc
            .timestamp_millis_opt(ms)
            .single()
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, false))
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_printed_can_act_on_the_terminal() {
        assert_eq!(safe("ok\u{1b}[2J\r\u{9b}"), "ok\\u001b[2J\\u000d\\u009b");
        assert_eq!(safe("a\tb\nc"), "a\tb\nc");
        let line =
            json_line(&serde_json::json!({"error": "x\u{1b}\u{9b}\u{7f}\u{202e}"})).expect("json");
        assert!(
            !line.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{line}"
        );
        let back: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(back["error"], "x\u{1b}\u{9b}\u{7f}\u{202e}");
    }
}
