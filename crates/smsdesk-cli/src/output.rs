//! What a command prints. Printing never changes the exit code of something that happened: a
//! send that went out exits with its outcome's code even when standard output is closed or the
//! disk is full (`println!` would panic, exit 101, and a wrapper script might send again).

use std::fmt::Display;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{Local, SecondsFormat, TimeZone, Utc};

/// Set once a line could not be written, so the warning is given once.
static STDOUT_FAILED: AtomicBool = AtomicBool::new(false);

/// Writes one line to standard output. If it cannot be written, says so once on standard error
/// and carries on: the command's exit code stays what happened.
pub fn line(text: impl Display) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = writeln!(out, "{text}").and_then(|()| out.flush());
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
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
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
