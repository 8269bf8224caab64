//! `smsdesk history`: the messages sent from this computer (by the app or the command line),
//! newest first.

use std::io::Write;

use serde::Serialize;
use smsdesk::desk::lists::MAX_PAGE;
use smsdesk::desk::Desk;
use smsdesk::history::{Entry, Filter, Page, STATUS_FILTERS};
use smsdesk::time::local_time;

use crate::args::{HistoryArgs, DEFAULT_HISTORY_LIMIT};
use crate::data::{self, Purpose};
use crate::error::{json_error, CliError, Result};
use crate::output;

/// One `--json` line; add fields, never remove or rename one.
#[derive(Serialize)]
struct JsonEntry<'a> {
    id: i64,
    /// RFC 3339 with this computer's offset.
    created_at: String,
    to: &'a str,
    name: &'a str,
    body: &'a str,
    channel_id: &'a str,
    /// The channel's name.
    channel: &'a str,
    /// The template's name, when it was sent from one.
    template: Option<&'a str>,
    /// `sending`, `accepted`, `rejected`, `unauthorized`, `not_sent`, `unknown` or `blocked`.
    outcome: &'a str,
    /// One word for what became of it: `sending`, `delivered`, `pending`, `accepted`,
    /// `failed`, `not_sent`, `unknown` or `blocked`.
    state: &'a str,
    /// The same in plain words.
    summary: &'a str,
    /// Delivery: `queued`, `sent`, `delivered`, `failed`, `undelivered`, ...
    status: Option<&'a str>,
    status_detail: Option<&'a str>,
    http_status: Option<u16>,
    request_id: Option<&'a str>,
    message_id: Option<&'a str>,
    error_code: Option<i64>,
    error: Option<&'a str>,
    problem: Option<&'a str>,
    hint: Option<&'a str>,
}

impl<'a> From<&'a Entry> for JsonEntry<'a> {
    fn from(e: &'a Entry) -> Self {
        JsonEntry {
            id: e.id,
            created_at: output::rfc3339(e.created_at),
            to: &e.to,
            name: &e.name,
            body: &e.body,
            channel_id: &e.channel_id,
            channel: &e.channel_name,
            template: e.template_name.as_deref(),
            outcome: e.outcome.as_str(),
            state: e.state.as_str(),
            summary: &e.summary,
            status: e.status.as_ref().map(|s| s.as_str()),
            status_detail: e.status_detail.as_deref(),
            http_status: e.http_status,
            request_id: e.request_id.as_deref(),
            message_id: e.message_id.as_deref(),
            error_code: e.error_code,
            error: e.error.as_deref(),
            problem: e.problem.as_deref(),
            hint: e.hint.as_deref(),
        }
    }
}

pub async fn run(args: &HistoryArgs) -> Result<u8> {
    let filter = Filter {
        search: args.search.clone().unwrap_or_default(),
        status: args.status.clone().unwrap_or_default(),
        ..Filter::default()
    };
    let status = filter.status.trim();
    if !status.is_empty()
        && !STATUS_FILTERS
            .iter()
            .any(|word| word.eq_ignore_ascii_case(status))
    {
        // Before the history is opened: a typo creates nothing.
        return Err(smsdesk::Error::UnknownStatusFilter(status.to_owned()).into());
    }
    let limit = args.limit.unwrap_or(DEFAULT_HISTORY_LIMIT);
    let desk = data::open(Purpose::Use, false).await?;
    let page = newest(&desk, &filter, limit).await?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        for entry in &page.entries {
            // Control characters escaped, also those serde_json leaves raw (DEL, C1).
            let line = output::json_line(&JsonEntry::from(entry)).map_err(json_error)?;
            writeln!(out, "{line}").map_err(CliError::Stdout)?;
        }
    } else {
        let filtered = !filter.search.trim().is_empty() || !filter.status.trim().is_empty();
        write_text(&mut out, &page.entries, page.total, filtered).map_err(CliError::Stdout)?;
    }
    out.flush().map_err(CliError::Stdout)?;
    Ok(crate::error::exit::OK)
}

/// Up to `limit` messages matching `filter`, newest first, and how many match in all: page
/// after page, since one page holds at most [`MAX_PAGE`] rows.
async fn newest(desk: &Desk, filter: &Filter, limit: u64) -> Result<Page> {
    let first = desk.history(filter.clone(), 0, limit).await?;
    let (total, mut entries) = (first.total, first.entries);
    let mut offset = u64::try_from(entries.len()).unwrap_or(u64::MAX);
    let count = |entries: &Vec<Entry>| u64::try_from(entries.len()).unwrap_or(u64::MAX);
    while count(&entries) < limit && offset < total {
        let Some(last) = entries.last().map(|e| e.id) else {
            break;
        };
        let want = (limit - count(&entries)).min(MAX_PAGE);
        let page = desk.history(filter.clone(), offset, want).await?;
        if page.entries.is_empty() {
            break;
        }
        offset = offset.saturating_add(u64::try_from(page.entries.len()).unwrap_or(u64::MAX));
        // Rows sent meanwhile push older ones down a page: skip what is already listed.
        entries.extend(page.entries.into_iter().filter(|e| e.id < last));
    }
    entries.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(Page {
        entries,
        total,
        offset: 0,
    })
}

/// The summary column's width; longer summaries are cut with `…`.
const SUMMARY_WIDTH: usize = 47;
/// How much of the message is shown.
const BODY_PREVIEW: usize = 40;

fn write_text(
    out: &mut impl Write,
    entries: &[Entry],
    total: u64,
    filtered: bool,
) -> std::io::Result<()> {
    if entries.is_empty() {
        let words = if filtered {
            "No messages match."
        } else {
            "No messages yet."
        };
        return writeln!(out, "{words}");
    }
    for e in entries {
        let when = local_time(e.created_at);
        // Minutes are enough to find a message; the seconds are in --json.
        let when = when.get(..16).unwrap_or(&when);
        // What is stored is shown without controls already; escaped all the same, so no row
        // (whoever wrote it) can act on the terminal.
        writeln!(
            out,
            "{when}  {:<16}  {}  {}",
            output::safe(&e.to),
            pad(
                &cut(&output::safe(&e.summary), SUMMARY_WIDTH),
                SUMMARY_WIDTH
            ),
            cut(&output::safe(&one_line(&e.body)), BODY_PREVIEW)
        )?;
    }
    let shown = u64::try_from(entries.len()).unwrap_or(u64::MAX);
    if total > shown {
        writeln!(
            out,
            "Showing the newest {shown} of {total}. Use --limit to see more, or --search and --status to narrow them down."
        )?;
    }
    Ok(())
}

/// Line breaks and tabs as spaces, so that one message is one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters, the last one `…` when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `text` followed by spaces up to `width` characters.
fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_and_padded_by_characters() {
        assert_eq!(cut("Héllo wörld", 5), "Héll…");
        assert_eq!(cut("Hé", 5), "Hé");
        assert_eq!(pad("Hé", 4), "Hé  ");
        assert_eq!(one_line("Hi\r\nJane\tsee  you"), "Hi Jane see you");
    }

    /// A row as an older version may have left it (read without the store's tidying).
    fn raw_row() -> Entry {
        use smsdesk::states::{Outcome, RowState, Tracking};
        Entry {
            id: 1,
            created_at: 0,
            updated_at: 0,
            to: "+12015550123\u{1b}[8m".into(),
            to_display: String::new(),
            name: "Jane\u{1b}]0;x\u{7}".into(),
            body: "Hi\u{1b}[2J\u{9b}31m there\r".into(),
            channel_id: "practice".into(),
            channel_name: "Practice\u{7f}".into(),
            practice: true,
            workspace: smsdesk::channels::Workspace::Intercom,
            teammate_id: None,
            teammate_name: None,
            template_id: None,
            template_name: None,
            open_conversation: false,
            outcome: Outcome::Rejected,
            attempts: 1,
            http_status: Some(400),
            request_id: Some("r\u{1b}c".into()),
            message_id: None,
            error_code: Some(4),
            error: Some("\u{1b}[31mno\u{202e}".into()),
            problem: None,
            hint: None,
            status: None,
            status_detail: None,
            status_at: None,
            tracking: Tracking::None,
            next_poll_at: None,
            job: None,
            state: RowState::NotSent,
            summary: "Not sent\u{1b}[1A".into(),
        }
    }

    #[test]
    fn a_row_with_control_characters_prints_none() {
        let mut out = Vec::new();
        write_text(&mut out, &[raw_row()], 1, false).expect("written");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(text.contains("Not sent\\u001b[1A"), "{text}");
        assert!(text.contains("Hi\\u001b[2J\\u009b31m there"), "{text}");
        let line = output::json_line(&JsonEntry::from(&raw_row())).expect("json");
        assert!(
            !line.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{line}"
        );
        let back: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(
            back["error"], "\u{1b}[31mno\u{202e}",
            "the same value, escaped"
        );
    }
}
