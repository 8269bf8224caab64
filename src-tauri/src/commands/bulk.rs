//! Reminders from a spreadsheet (bulk jobs): the file chosen in the system's open dialog and
//! read again with another encoding, delimiter or sheet (the desk keeps the path: the window
//! never names one), the preview with its totals, a test to the person's own number, the job
//! started on the worker, paused, resumed, cancelled, its report exported; and closing the
//! window anyway while a job is being sent (lib.rs asks first).

use std::path::PathBuf;
use std::sync::Arc;

use smsdesk::bulk::job::{Job, ReportRow};
use smsdesk::bulk::plan::PlanOptions;
use smsdesk::bulk::table::{ReadOptions, TextEncoding};
use smsdesk::desk::bulk_app::{BulkPreview, BulkTiming, ColumnChoice, OpenedFile, TestSent};
use smsdesk::desk::lists::Exported;
use smsdesk::desk::Desk;
use smsdesk::worker::Worker;
use smsdesk::UserError;
use tauri::{AppHandle, State, WebviewWindow};

use crate::file_dialog::{self, FileKind};

const TABLE_OPEN: FileKind = FileKind {
    title: "Choose the appointment list",
    filter: "Spreadsheet or CSV",
    extension: "csv",
};
/// What booking systems and spreadsheet programs export.
const TABLE_EXTENSIONS: &[&str] = &["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "ods"];
const REPORT_EXPORT: FileKind = FileKind {
    title: "Export the report",
    filter: "CSV spreadsheet",
    extension: "csv",
};

/// Shows the open dialog and reads the file picked, its columns guessed for `template_id`'s
/// fields (or remembered for these headers); `None` when the person cancels.
#[tauri::command]
pub async fn choose_bulk_file(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    template_id: Option<String>,
) -> Result<Option<OpenedFile>, UserError> {
    let path = file_dialog::pick_file_of(&app, TABLE_OPEN, TABLE_EXTENSIONS).await?;
    open_picked(&desk, path, template_id).await
}

/// Reads the file picked — in the dialog, or given on the command line (`startup.rs`) — with
/// what is detected; `None` when there is none.
pub(super) async fn open_picked(
    desk: &Desk,
    path: Option<PathBuf>,
    template_id: Option<String>,
) -> Result<Option<OpenedFile>, UserError> {
    let Some(path) = path else {
        return Ok(None);
    };
    Ok(Some(
        desk.open_bulk_file(&path, ReadOptions::default(), template_id)
            .await?,
    ))
}

/// Reads the opened file `draft` again: with this encoding, delimiter (`,`, `;`, `tab`) or
/// sheet, or for another template. The old draft is dropped.
#[tauri::command]
pub async fn reopen_bulk_file(
    desk: State<'_, Arc<Desk>>,
    draft: u64,
    encoding: Option<TextEncoding>,
    delimiter: Option<String>,
    sheet: Option<String>,
    template_id: Option<String>,
) -> Result<OpenedFile, UserError> {
    let options = read_options(encoding, delimiter.as_deref(), sheet)?;
    Ok(desk.reopen_bulk_file(draft, options, template_id).await?)
}

/// Every row checked and rendered with the person's `options` (keep both duplicates, read
/// the numbers Excel dropped the leading 0 of with it) and given its time by `timing` (now,
/// at a time, before each appointment), with the totals; nothing is stored or sent.
#[tauri::command]
pub async fn preview_bulk(
    desk: State<'_, Arc<Desk>>,
    draft: u64,
    template_id: String,
    choice: ColumnChoice,
    options: PlanOptions,
    timing: BulkTiming,
    rate: f64,
) -> Result<BulkPreview, UserError> {
    Ok(desk
        .preview_bulk_timed(draft, &template_id, &choice, options, &timing, rate)
        .await?)
}

/// "Send a test to me": the first message that would go out, sent now to `number`.
#[tauri::command]
pub async fn send_bulk_test(
    desk: State<'_, Arc<Desk>>,
    draft: u64,
    template_id: String,
    choice: ColumnChoice,
    options: PlanOptions,
    timing: BulkTiming,
    number: String,
) -> Result<TestSent, UserError> {
    Ok(desk
        .send_bulk_test_timed(draft, &template_id, &choice, options, &timing, &number)
        .await?)
}

/// Stores the job (rows with a later time wait for it) and hands it to the worker (woken at
/// once); returns the job's id.
#[tauri::command]
// Each is a named argument of the window's call (ui/js/api.js startBulk), as for the preview.
#[allow(clippy::too_many_arguments)]
pub async fn start_bulk(
    desk: State<'_, Arc<Desk>>,
    worker: State<'_, Arc<Worker>>,
    draft: u64,
    template_id: String,
    choice: ColumnChoice,
    options: PlanOptions,
    timing: BulkTiming,
    rate: f64,
) -> Result<i64, UserError> {
    let id = desk
        .start_bulk_timed(draft, &template_id, &choice, options, &timing, rate)
        .await?;
    worker.wake();
    Ok(id)
}

/// Drops an opened file that will not be sent.
#[tauri::command]
pub async fn forget_bulk_file(desk: State<'_, Arc<Desk>>, draft: u64) -> Result<(), UserError> {
    desk.forget_draft(draft);
    Ok(())
}

/// Every job, newest first, with its counts.
#[tauri::command]
pub async fn list_jobs(desk: State<'_, Arc<Desk>>) -> Result<Vec<Job>, UserError> {
    Ok(desk.jobs().await?)
}

#[tauri::command]
pub async fn get_job(desk: State<'_, Arc<Desk>>, id: i64) -> Result<Job, UserError> {
    Ok(desk.job(id).await?)
}

/// Every row of the job, in file order, with its outcome and what became of its message.
#[tauri::command]
pub async fn get_job_report(
    desk: State<'_, Arc<Desk>>,
    id: i64,
) -> Result<Vec<ReportRow>, UserError> {
    Ok(desk.job_report(id).await?)
}

#[tauri::command]
pub async fn pause_job(desk: State<'_, Arc<Desk>>, id: i64) -> Result<(), UserError> {
    Ok(desk.pause_job(id).await?)
}

/// Hands a paused (or interrupted) job back to the worker, woken at once.
#[tauri::command]
pub async fn resume_job(
    desk: State<'_, Arc<Desk>>,
    worker: State<'_, Arc<Worker>>,
    id: i64,
) -> Result<(), UserError> {
    desk.resume_job(id).await?;
    worker.wake();
    Ok(())
}

/// No new sends; the rows not tried read "not sent".
#[tauri::command]
pub async fn cancel_job(desk: State<'_, Arc<Desk>>, id: i64) -> Result<(), UserError> {
    Ok(desk.cancel_job(id).await?)
}

/// Asks where to save, then writes the job's report as CSV; `None` when the person cancels.
#[tauri::command]
pub async fn export_job(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    id: i64,
) -> Result<Option<Exported>, UserError> {
    let name = format!("SMS Desk reminders {} (job {id}).csv", super::today());
    let Some(path) = file_dialog::pick_save(&app, REPORT_EXPORT, &name).await? else {
        return Ok(None);
    };
    let count = desk.export_job(id, &path).await?;
    Ok(Some(Exported {
        count,
        path: path.display().to_string(),
    }))
}

/// The numbers whose messages the provider refused because the person opted out.
#[tauri::command]
pub async fn opted_out_in_job(
    desk: State<'_, Arc<Desk>>,
    id: i64,
) -> Result<Vec<String>, UserError> {
    Ok(desk.opted_out_in_job(id).await?)
}

/// Puts those numbers on the do-not-text list; how many.
#[tauri::command]
pub async fn add_opted_out_in_job(desk: State<'_, Arc<Desk>>, id: i64) -> Result<usize, UserError> {
    Ok(desk.add_opted_out_in_job(id).await?)
}

/// The person said to close the window although a job is being sent (lib.rs asked first):
/// the rest of the job waits, paused, until it is resumed.
#[tauri::command]
pub async fn close_anyway(window: WebviewWindow) -> Result<(), UserError> {
    window.destroy().map_err(|e| {
        UserError::new(
            "close_failed",
            format!("SMS Desk could not close its window: {e}"),
            "Try again. If it keeps happening, restart the computer.",
        )
    })
}

/// The person's choices as the desk reads them; the delimiter as the screen names it.
fn read_options(
    encoding: Option<TextEncoding>,
    delimiter: Option<&str>,
    sheet: Option<String>,
) -> Result<ReadOptions, UserError> {
    let delimiter = match delimiter {
        None | Some("") => None,
        Some("tab") => Some(b'\t'),
        Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
        Some(other) => {
            return Err(UserError::new(
                "bad_delimiter",
                format!("SMS Desk cannot split columns on \u{201c}{other}\u{201d}."),
                "Choose comma, semicolon or tab.",
            ))
        }
    };
    Ok(ReadOptions {
        encoding,
        delimiter,
        sheet,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_read_as_the_screen_names_them() {
        let read = |d: Option<&str>| read_options(None, d, None).map(|o| o.delimiter);
        assert_eq!(read(None).ok(), Some(None));
        assert_eq!(read(Some("")).ok(), Some(None));
        assert_eq!(read(Some(",")).ok(), Some(Some(b',')));
        assert_eq!(read(Some(";")).ok(), Some(Some(b';')));
        assert_eq!(read(Some("tab")).ok(), Some(Some(b'\t')));
        assert!(read(Some("comma")).is_err());
    }
}
