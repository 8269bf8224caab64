//! The log file in the data folder: `<data dir>/logs/smsdesk.log`, one line per event, for a
//! person (or support) to read when something went wrong.
//!
//! - **What**: records of SMS Desk's own crates (targets starting with `smsdesk`: this crate,
//!   the app `smsdesk_app`, the command line) at info and above; every other crate (Tauri,
//!   reqwest, plugins) at warn and above.
//! - **How**: `2026-12-02T04:11:24.123Z INFO smsdesk::worker: job 3 started`, the time in UTC;
//!   each line written whole and flushed (a crash loses nothing already logged).
//! - **How much**: before a line would take the file past [`MAX_BYTES`] it is set aside as
//!   `smsdesk.1.log` (the older ones move up to `smsdesk.3.log`; the oldest is deleted), so
//!   the folder never holds more than four files.
//! - **Never a secret**: callers log ids, codes and counts only; as a safety net every message
//!   goes through [`redact`] (phone numbers, API keys) before it is written.
//! - **Never in the way**: a line that cannot be written is dropped; nothing here panics.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, SecondsFormat, Utc};
use log::{Level, LevelFilter, Log, Metadata, Record};

/// The folder in the data folder the log files are kept in.
pub const DIR: &str = "logs";
/// The file being written.
pub const FILE_NAME: &str = "smsdesk.log";
/// The size past which the file is set aside.
pub const MAX_BYTES: u64 = 1024 * 1024;
/// How many set-aside files are kept (`smsdesk.1.log`, newest, to `smsdesk.3.log`).
pub const KEEP: usize = 3;

/// What replaces an API key.
const KEY_HIDDEN: &str = "[key hidden]";
/// What replaces a phone number, before its last two digits.
const NUMBER_HIDDEN: &str = "•••";

/// Installs the log file of `data_dir` (`<data_dir>/logs/smsdesk.log`, the folder made if
/// needed) as the process's logger, and returns the file's path.
///
/// Once installed, a second call changes nothing and returns `Ok` with the path of the file
/// already in use (even for another `data_dir`). If another logger (not this module's) was
/// installed first, the error is of kind [`io::ErrorKind::AlreadyExists`]. A folder or file
/// that cannot be made is the I/O error. Never panics.
pub fn install(data_dir: &Path) -> io::Result<PathBuf> {
    static INSTALLED: Mutex<Option<PathBuf>> = Mutex::new(None);
    let mut installed = INSTALLED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(path) = installed.as_ref() {
        return Ok(path.clone());
    }
    let file = LogFile::open(&data_dir.join(DIR), MAX_BYTES, KEEP)?;
    let path = file.path();
    log::set_boxed_logger(Box::new(Logger(file))).map_err(|_| {
        io::Error::new(
            io::ErrorKind::AlreadyExists,
            "another logger is already installed",
        )
    })?;
    log::set_max_level(LevelFilter::Info);
    *installed = Some(path.clone());
    Ok(path)
}

/// The most detailed level logged for `target`: info for SMS Desk's own crates, warn for the
/// others.
pub fn level_for(target: &str) -> LevelFilter {
    if target.starts_with("smsdesk") {
        LevelFilter::Info
    } else {
        LevelFilter::Warn
    }
}

/// The global logger: filters by target, writes to the file.
struct Logger(LogFile);

impl Log for Logger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= level_for(metadata.target())
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            let message = record.args().to_string();
            self.0.write_line(record.level(), record.target(), &message);
        }
    }

    fn flush(&self) {
        self.0.flush();
    }
}

/// A log file in a folder, set aside past a size: the logger's core, usable without
/// installing it.
#[derive(Debug)]
pub struct LogFile {
    dir: PathBuf,
    max_bytes: u64,
    keep: usize,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// `None` after the file could not be reopened: tried again at the next line.
    file: Option<File>,
    /// Bytes in the file now.
    size: u64,
}

impl LogFile {
    /// Opens (appending; made if needed, with `dir`) `dir/smsdesk.log`; past `max_bytes` it is
    /// set aside, keeping `keep` older files. On Unix the folder is 0700 and the files 0600.
    pub fn open(dir: &Path, max_bytes: u64, keep: usize) -> io::Result<LogFile> {
        create_private_dir(dir)?;
        let mut log = LogFile {
            dir: dir.to_owned(),
            max_bytes,
            keep,
            state: Mutex::new(State {
                file: None,
                size: 0,
            }),
        };
        let (file, size) = log.open_current()?;
        *log.state.get_mut().unwrap_or_else(|p| p.into_inner()) = State {
            file: Some(file),
            size,
        };
        Ok(log)
    }

    /// The file being written.
    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    /// The `n`th set-aside file (`smsdesk.1.log` is the newest).
    pub fn old_path(&self, n: usize) -> PathBuf {
        self.dir.join(format!("smsdesk.{n}.log"))
    }

    /// Writes one line (the time now, `level`, `target`, `message` redacted), setting the file
    /// aside first when the line would take it past the size. An I/O error drops the line.
    pub fn write_line(&self, level: Level, target: &str, message: &str) {
        let text = line(Utc::now(), level, target, message);
        let mut state = self.lock();
        let len = u64::try_from(text.len()).unwrap_or(u64::MAX);
        if state.file.is_some() && state.size > 0 && state.size.saturating_add(len) > self.max_bytes
        {
            self.rotate(&mut state);
        }
        if state.file.is_none() {
            if let Ok((file, size)) = self.open_current() {
                state.file = Some(file);
                state.size = size;
            }
        }
        let Some(file) = state.file.as_mut() else {
            return;
        };
        if file.write_all(text.as_bytes()).is_ok() {
            let _ = file.flush();
            state.size = state.size.saturating_add(len);
        }
    }

    /// Flushes the file (each line is flushed already).
    pub fn flush(&self) {
        if let Some(file) = self.lock().file.as_mut() {
            let _ = file.flush();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn open_current(&self) -> io::Result<(File, u64)> {
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(self.path())?;
        let size = file.metadata()?.len();
        Ok((file, size))
    }

    /// `smsdesk.log` becomes `smsdesk.1.log`, each older one moves up, the oldest kept is
    /// deleted; a new `smsdesk.log` is started. Errors are ignored: at worst the file grows.
    fn rotate(&self, state: &mut State) {
        // Closed first: Windows does not rename an open file.
        state.file = None;
        if self.keep == 0 {
            let _ = std::fs::remove_file(self.path());
        } else {
            let _ = std::fs::remove_file(self.old_path(self.keep));
            for n in (1..self.keep).rev() {
                let _ = std::fs::rename(self.old_path(n), self.old_path(n + 1));
            }
            let _ = std::fs::rename(self.path(), self.old_path(1));
        }
        if let Ok((file, size)) = self.open_current() {
            state.file = Some(file);
            state.size = size;
        }
    }
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotADirectory,
            "the log folder is not a folder",
        ));
    }
    Ok(())
}

/// One line of the file, ending in a newline; the message redacted and kept on one line.
fn line(at: DateTime<Utc>, level: Level, target: &str, message: &str) -> String {
    let message = redact(message).replace(['\r', '\n'], " ");
    format!(
        "{} {level} {target}: {message}\n",
        at.to_rfc3339_opts(SecondsFormat::Millis, true)
    )
}

/// `text` with what looks like a phone number or an API key masked: the safety net under
/// every logged message (callers should not log such things in the first place).
///
/// - **API keys**: what follows `Bearer ` or `key=` (so `api_key=`, `apikey=`; any case) up to
///   a space, `&` or quote (inside the quotes for a quoted value); and any token (a maximal run of letters, digits, `_` and `-`) of
///   24 characters or more with both a letter and a digit: `[key hidden]`. A UUID is such a
///   token: it is hidden whole.
/// - **Phone numbers**: a run starting with `+` or a digit, of digits with a separator (a
///   space, `-`, `.`, `(` or `)`; or two of them when one is a bracket, as in `(87) 123`)
///   between groups, holding 7 digits or more: `•••` and its last two digits
///   (`+353 87 123 4567` → `•••67`). A bracket before the first digit stays in front.
/// - **Left as they are**: shorter runs (ids, counts, `10:30`: `:` and `T` never join), and
///   ISO dates `YYYY-MM-DD` (never joined to what is next to them, so `2026-12-02 10:30`
///   stays). Seven or more digits written with spaces or dots (`1 000 000`, a long IPv4
///   address, `3.14159265`) read as a number and are masked.
pub fn redact(text: &str) -> String {
    mask_numbers(&mask_long_tokens(&mask_after_prefixes(text)))
}

/// What follows `Bearer ` or `key=` (any case), up to a space, `&` or quote.
fn mask_after_prefixes(text: &str) -> String {
    const PREFIXES: [&str; 2] = ["bearer ", "key="];
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        let rest = &lower.as_bytes()[i..];
        let Some(prefix) = PREFIXES.iter().find(|p| rest.starts_with(p.as_bytes())) else {
            i += 1;
            continue;
        };
        let mut start = i + prefix.len();
        // A quoted value (`apikey="..."`): what is inside the quotes.
        if bytes.get(start).is_some_and(|b| matches!(b, b'"' | b'\'')) {
            start += 1;
        }
        let end = bytes[start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'&' | b'"' | b'\''))
            .map_or(bytes.len(), |n| start + n);
        if end > start {
            out.push_str(&text[copied..start]);
            out.push_str(KEY_HIDDEN);
            copied = end;
        }
        i = end.max(start);
    }
    out.push_str(&text[copied..]);
    out
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Tokens of 24 characters or more with a letter and a digit.
fn mask_long_tokens(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        if !is_token_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_token_byte(bytes[i]) {
            i += 1;
        }
        let token = &bytes[start..i];
        if token.len() >= 24
            && token.iter().any(u8::is_ascii_alphabetic)
            && token.iter().any(u8::is_ascii_digit)
        {
            out.push_str(&text[copied..start]);
            out.push_str(KEY_HIDDEN);
            copied = i;
        }
    }
    out.push_str(&text[copied..]);
    out
}

fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'.' | b'(' | b')')
}

/// Whether an ISO date (`YYYY-MM-DD`, a plausible one, not inside a longer run of digits)
/// starts at `i`.
fn date_at(bytes: &[u8], i: usize) -> bool {
    let Some(d) = bytes.get(i..i + 10) else {
        return false;
    };
    let digits = |r: std::ops::Range<usize>| d[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && d[4] == b'-' && digits(5..7) && d[7] == b'-' && digits(8..10)) {
        return false;
    }
    let number =
        |r: std::ops::Range<usize>| d[r].iter().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    let plausible = (1900..=2199).contains(&number(0..4))
        && (1..=12).contains(&number(5..7))
        && (1..=31).contains(&number(8..10));
    let before = i.checked_sub(1).map(|p| bytes[p]);
    let after = bytes.get(i + 10).copied();
    let next = bytes.get(i + 11).copied();
    let digit = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_digit());
    // Not inside a longer run: no digit right before or after, nor `-` and a digit after.
    let inside = digit(before) || digit(after) || (after == Some(b'-') && digit(next));
    plausible && !inside
}

/// The separators between two digit groups starting at `i`: how many, when they may join.
fn joining_separators(bytes: &[u8], i: usize) -> Option<usize> {
    let first = *bytes.get(i)?;
    if !is_separator(first) {
        return None;
    }
    let next = *bytes.get(i + 1)?;
    if next.is_ascii_digit() {
        return Some(1);
    }
    let bracket = |b: u8| b == b'(' || b == b')';
    let third = *bytes.get(i + 2)?;
    (is_separator(next) && (bracket(first) || bracket(next)) && third.is_ascii_digit()).then_some(2)
}

/// Runs of 7 digits or more (ISO dates left out) as `•••` and their last two digits.
fn mask_numbers(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        let plus = bytes[i] == b'+';
        let first = if plus { i + 1 } else { i };
        if !bytes.get(first).is_some_and(u8::is_ascii_digit) {
            i += 1;
            continue;
        }
        if date_at(bytes, first) {
            i = first + 10;
            continue;
        }
        let (start, mut j) = (i, first);
        let mut digits: Vec<u8> = Vec::new();
        loop {
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                digits.push(bytes[j]);
                j += 1;
            }
            match joining_separators(bytes, j) {
                Some(n) if !date_at(bytes, j + n) => j += n,
                _ => break,
            }
        }
        if digits.len() >= 7 {
            out.push_str(&text[copied..start]);
            out.push_str(NUMBER_HIDDEN);
            for &d in &digits[digits.len() - 2..] {
                out.push(char::from(d));
            }
            copied = j;
        }
        i = j;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_default()
    }

    #[test]
    fn a_line_has_the_time_in_utc_the_level_and_the_target() {
        let at = DateTime::from_timestamp_millis(1_796_184_684_123).expect("time");
        assert_eq!(
            line(at, Level::Info, "smsdesk::worker", "job 3 started"),
            "2026-12-02T04:11:24.123Z INFO smsdesk::worker: job 3 started\n"
        );
        assert_eq!(
            line(at, Level::Warn, "tauri", "two\nlines"),
            "2026-12-02T04:11:24.123Z WARN tauri: two lines\n"
        );
    }

    #[test]
    fn lines_are_appended_and_flushed_with_their_format() {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = LogFile::open(dir.path(), MAX_BYTES, KEEP).expect("open");
        log.write_line(
            Level::Info,
            "smsdesk::outbox",
            "message 42 accepted (practice)",
        );
        log.write_line(Level::Error, "smsdesk_app", "worker: history_unavailable");
        let text = read(&dir.path().join(FILE_NAME));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        let (time, rest) = lines[0].split_once(' ').expect("a time");
        assert_eq!(time.len(), "2026-12-02T04:11:24.123Z".len(), "{time}");
        assert!(time.ends_with('Z') && time.as_bytes()[10] == b'T', "{time}");
        assert!(DateTime::parse_from_rfc3339(time).is_ok(), "{time}");
        assert_eq!(rest, "INFO smsdesk::outbox: message 42 accepted (practice)");
        assert!(lines[1].ends_with(" ERROR smsdesk_app: worker: history_unavailable"));
        drop(log);
        // Reopened: appended, not replaced.
        let log = LogFile::open(dir.path(), MAX_BYTES, KEEP).expect("reopen");
        log.write_line(Level::Info, "smsdesk", "third");
        assert_eq!(read(&log.path()).lines().count(), 3);
    }

    #[test]
    fn levels_are_filtered_by_target() {
        let dir = tempfile::tempdir().expect("temp dir");
        let logger = Logger(LogFile::open(dir.path(), MAX_BYTES, KEEP).expect("open"));
        for (target, level) in [
            ("smsdesk::worker", Level::Info),
            ("smsdesk::worker", Level::Debug),
            ("smsdesk_app::tray", Level::Info),
            ("smsdesk_app", Level::Trace),
            ("tauri::manager", Level::Info),
            ("reqwest::connect", Level::Warn),
            ("tauri_plugin_updater", Level::Error),
            ("hyper", Level::Debug),
        ] {
            logger.log(
                &Record::builder()
                    .target(target)
                    .level(level)
                    .args(format_args!("{level} from {target}"))
                    .build(),
            );
        }
        let text = read(&logger.0.path());
        let kept: Vec<&str> = text
            .lines()
            .filter_map(|l| l.split_once(": "))
            .map(|(_, m)| m)
            .collect();
        assert_eq!(
            kept,
            [
                "INFO from smsdesk::worker",
                "INFO from smsdesk_app::tray",
                "WARN from reqwest::connect",
                "ERROR from tauri_plugin_updater",
            ]
        );
        assert_eq!(level_for("smsdesk_cli"), LevelFilter::Info);
        assert_eq!(level_for("rusqlite"), LevelFilter::Warn);
    }

    #[test]
    fn the_file_is_set_aside_keeping_three_old_ones() {
        let dir = tempfile::tempdir().expect("temp dir");
        // Each line is about 60 bytes: three to a file.
        let log = LogFile::open(dir.path(), 200, KEEP).expect("open");
        for n in 0..30 {
            log.write_line(Level::Info, "smsdesk::worker", &format!("line {n:02}"));
        }
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "smsdesk.1.log",
                "smsdesk.2.log",
                "smsdesk.3.log",
                "smsdesk.log"
            ]
        );
        let current = read(&log.path());
        assert!(current.ends_with("line 29\n"), "{current}");
        assert!(current.len() <= 200);
        for n in 1..=KEEP {
            let old = read(&log.old_path(n));
            assert!(!old.is_empty() && old.len() <= 200, "{n}: {old}");
        }
        // Newest first: each set-aside file's lines come before the newer one's.
        let last = |text: String| {
            text.lines()
                .last()
                .and_then(|l| l.rsplit(' ').next().map(str::to_owned))
                .unwrap_or_default()
        };
        let (one, two, three) = (
            last(read(&log.old_path(1))),
            last(read(&log.old_path(2))),
            last(read(&log.old_path(3))),
        );
        assert!(three < two && two < one, "{three} {two} {one}");
        assert!(
            !read(&log.old_path(3)).contains("line 00"),
            "the oldest is gone"
        );
    }

    #[test]
    fn what_is_written_is_redacted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = LogFile::open(dir.path(), MAX_BYTES, KEEP).expect("open");
        log.write_line(
            Level::Warn,
            "smsdesk::outbox",
            "to +353 87 123 4567 with Bearer abc.def key abcdefghij0123456789KLMNOP",
        );
        let text = read(&log.path());
        assert!(
            text.ends_with(
                "WARN smsdesk::outbox: to •••67 with Bearer [key hidden] key [key hidden]\n"
            ),
            "{text}"
        );
        assert!(!text.contains("4567") && !text.contains("abcdefghij"));
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().expect("temp dir");
        let blocker = dir.path().join("data");
        std::fs::write(&blocker, "a file, not a folder").expect("write");
        assert!(LogFile::open(&blocker.join(DIR), MAX_BYTES, KEEP).is_err());
        assert!(LogFile::open(&blocker, MAX_BYTES, KEEP).is_err());
    }

    #[test]
    fn a_line_that_cannot_be_written_is_dropped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = dir.path().join("logs");
        let log = LogFile::open(&folder, 100, KEEP).expect("open");
        std::fs::remove_dir_all(&folder).expect("remove");
        // Set aside into a folder that is gone, reopened in vain: nothing panics.
        for n in 0..5 {
            log.write_line(Level::Info, "smsdesk", &format!("line {n}"));
        }
        log.flush();
    }

    #[test]
    fn installing_twice_keeps_the_first_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = install(dir.path()).expect("install");
        assert_eq!(path, dir.path().join("logs").join("smsdesk.log"));
        let other = tempfile::tempdir().expect("temp dir");
        assert_eq!(install(other.path()).expect("again"), path);
        assert!(!other.path().join("logs").exists());
        log::info!(target: "smsdesk::logfile", "installed for 0871234567");
        assert!(read(&path).contains("INFO smsdesk::logfile: installed for •••67"));
    }

    #[test]
    fn phone_numbers_keep_only_their_last_two_digits() {
        for (text, shown) in [
            ("+353 87 123 4567", "•••67"),
            ("08712345678", "•••78"),
            ("to +353871234567.", "to •••67."),
            ("(087) 123-4567", "(•••67"),
            ("+353 (87) 123 4567", "•••67"),
            ("+1.415.555.0100 and 087 123 4567", "•••00 and •••67"),
            ("call 555-0100-22", "call •••22"),
            ("at 2026-12-02, +44 7700 900123", "at 2026-12-02, •••23"),
        ] {
            assert_eq!(redact(text), shown, "{text}");
        }
    }

    #[test]
    fn ids_counts_times_and_dates_stay() {
        for text in [
            "message 42 accepted (practice)",
            "job 1234 finished: 12 accepted, 3 rejected, 0 not_sent",
            "released 5 rows at 10:30",
            "2026-12-02",
            "due 2026-12-02 10:30:15",
            "2026-12-02T04:11:24.123Z",
            "from 2026-12-02 to 2026-12-09",
            "history ids 123456, 123457",
            "version 0.4.35 on 127.0.0.1:8080",
            "channel ch-2 renamed",
            "+12345",
        ] {
            assert_eq!(redact(text), text, "{text}");
        }
    }

    #[test]
    fn a_phone_number_shaped_like_a_date_but_not_one_is_masked() {
        assert_eq!(redact("0871-23-45-67"), "•••67");
        assert_eq!(redact("0871-23-45"), "•••45");
        assert_eq!(redact("12026-12-02"), "•••02");
    }

    #[test]
    fn api_keys_are_hidden() {
        for (text, shown) in [
            ("key OCTO_live_4f9a8b7c6d5e4f3a2b1c0d9e", "key [key hidden]"),
            (
                "Authorization: Bearer sk-12",
                "Authorization: Bearer [key hidden]",
            ),
            ("bearer abc def", "bearer [key hidden] def"),
            (
                "GET /v1/status?api_key=s3cr3t&id=42",
                "GET /v1/status?api_key=[key hidden]&id=42",
            ),
            ("apikey=\"abc\" x", "apikey=\"[key hidden]\" x"),
            ("KEY=abc", "KEY=[key hidden]"),
            ("key= nothing", "key= nothing"),
            // A UUID is a long token with letters and digits: hidden whole.
            (
                "request 550e8400-e29b-41d4-a716-446655440000 done",
                "request [key hidden] done",
            ),
        ] {
            assert_eq!(redact(text), shown, "{text}");
        }
        // Long words without digits, and long numbers (masked as numbers), are not keys.
        assert_eq!(
            redact("could_not_reach_the_octopods_server"),
            "could_not_reach_the_octopods_server"
        );
        assert_eq!(redact("123456789012345678901234567"), "•••67");
    }

    #[test]
    fn other_text_is_kept_as_it_is() {
        assert_eq!(redact(""), "");
        assert_eq!(redact("Ünïcödé — ok • 3"), "Ünïcödé — ok • 3");
        assert_eq!(redact("+ - . ( )"), "+ - . ( )");
        assert_eq!(redact("Bearer "), "Bearer ");
    }
}
