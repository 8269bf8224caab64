//! Reminders from a spreadsheet in the real window, in Practice: a CSV chosen through the file
//! dialog hook, its columns guessed, every message previewed with the rows left out said in
//! words, the totals repeated in the confirmation, the job sent and followed until done, the
//! report exported, the numbers that opted out put on the do-not-text list in one click, and
//! every message in History. Numbers whose leading 0 Excel removed are read with it in one
//! click (and undone), and sent so; a workbook with several sheets asks which one, and the
//! sheet picked keeps its accented names. A slower job is paused (nothing more is sent), resumed and
//! cancelled (the rest reads "not sent"); closing while a job is being sent asks first (also
//! with the window's real close button, when Python 3 is there to click it), and "Pause and
//! close" leaves the job paused with nothing in doubt, resumed in one click after a restart.

use std::path::Path;
use std::time::Duration;

use octopods_sim::{Sim, SimConfig, PRACTICE_KEY};

use crate::channels::add_channel;
use crate::harness::{serial, wait_until, App};
use crate::history::{open_history, wait_rows};

/// A day's appointments as a booking system exports them, with the traps of a real list: a
/// number that is not one, the same number twice, a number abroad, and two practice numbers
/// (one refused because the person opted out, one whose outcome cannot be known).
const APPOINTMENTS: &str = "\u{feff}First name,Last name,Mobile,Date,Time\r\n\
Ann,Murphy,+1 201 555 0123,Tue 2 Dec,9:00\r\n\
Bob,Ryan,(201) 555-0124,Tue 2 Dec,9:30\r\n\
Cara,Lee,12345,Tue 2 Dec,10:00\r\n\
Dan,Murphy,+1 201 555 0123,Tue 2 Dec,10:30\r\n\
Eve,Walsh,+44 7400 123456,Tue 2 Dec,11:00\r\n\
Finn,Byrne,+1 201 555 0141,Tue 2 Dec,11:30\r\n\
Gus,Kelly,+1 201 555 0150,Tue 2 Dec,12:00\r\n";

const REMINDER: &str = "starter-reminder";

pub(crate) async fn set_country(app: &App, code: &str) {
    app.click("#nav-settings").await;
    app.find(&format!("#default-country option[value='{code}']"))
        .await;
    app.find("#default-country")
        .await
        .select_by_value(code)
        .await
        .unwrap_or_else(|e| panic!("cannot pick {code}: {e}"));
    app.click("#save-settings").await;
    app.wait_text("#settings-result", "Settings saved.").await;
}

pub(crate) async fn save_business(app: &App, name: &str, address: &str) {
    app.click("#nav-settings").await;
    app.type_into("#business-name", name).await;
    app.type_into("#business-address", address).await;
    app.click("#save-business").await;
    app.wait_text("#business-result", "Business details saved.")
        .await;
}

/// Picks `value` in the `<select>` `select`, once that option is there.
pub(crate) async fn pick(app: &App, select: &str, value: &str) {
    app.find(&format!("{select} option[value='{value}']")).await;
    app.find(select)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("cannot pick {value} in {select}: {e}"));
}

/// Scrolls the element into the picture (for the screenshots).
pub(crate) async fn scroll_to(app: &App, css: &str) {
    app.client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot scroll to {css}: {e}"));
}

/// The number the job panel shows for a count (`accepted`, `notSent`...); 0 when not shown.
async fn count(app: &App, key: &str) -> u64 {
    app.text(&format!("#bulk-job-counts .count-{key} dd"))
        .await
        .replace(',', "")
        .parse()
        .unwrap_or(0)
}

/// Waits until the count `key` satisfies `ok`; returns it.
async fn wait_count(app: &App, key: &str, ok: impl Fn(u64) -> bool) -> u64 {
    wait_until(
        &format!("the count {key}"),
        Duration::from_secs(60),
        || async {
            let n = count(app, key).await;
            ok(n).then_some(n)
        },
    )
    .await
}

/// How many rows of the job have each outcome, read from the store.
fn outcomes(data_dir: &Path) -> std::collections::BTreeMap<String, u64> {
    let path = data_dir.join(smsdesk::store::DB_FILE);
    let conn =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    let mut statement = conn
        .prepare("SELECT outcome, count(*) FROM job_rows GROUP BY outcome")
        .expect("job_rows");
    let rows = statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, u64>(1)?))
        })
        .expect("outcomes");
    rows.map(|r| r.expect("an outcome")).collect()
}

/// Whether the job's sender has let it go (its last rows finished and recorded).
fn released(data_dir: &Path) -> bool {
    let path = data_dir.join(smsdesk::store::DB_FILE);
    rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .ok()
        .and_then(|conn| {
            conn.query_row("SELECT runner IS NULL FROM jobs", [], |row| row.get(0))
                .ok()
        })
        .unwrap_or(false)
}

/// Waits until the job's sender has let it go.
async fn wait_released(data_dir: &Path) {
    wait_until("the job to be let go", Duration::from_secs(30), || async {
        released(data_dir).then_some(())
    })
    .await;
}

/// How many messages the store holds (every attempt is a row in History).
fn messages(data_dir: &Path) -> u64 {
    let path = data_dir.join(smsdesk::store::DB_FILE);
    let conn =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    conn.query_row("SELECT count(*) FROM messages", [], |row| row.get(0))
        .expect("messages")
}

/// Chooses the template and the file (the dialog answers with the test's file).
pub(crate) async fn open_list(app: &App) {
    app.click("#nav-bulk").await;
    app.wait_displayed("#view-bulk", true).await;
    pick(app, "#bulk-template", REMINDER).await;
    app.click("#bulk-choose").await;
    app.wait_displayed("#bulk-mapping", true).await;
}

#[tokio::test]
async fn a_list_is_checked_previewed_confirmed_and_sent_once() {
    let _one_at_a_time = serial().await;
    let scratch = tempfile::tempdir().expect("temp dir");
    let csv = scratch.path().join("appointments.csv");
    let csv_path = csv.to_str().expect("a UTF-8 temp path");
    std::fs::write(&csv, APPOINTMENTS).unwrap_or_else(|e| panic!("cannot write {csv_path}: {e}"));
    let app = App::launch_with(&[
        ("SMSDESK_KEYSTORE", "memory"),
        ("SMSDESK_TEST_FILE_DIALOG", csv_path),
    ])
    .await;
    set_country(&app, "US").await;

    // Step 1: the template and the file.
    app.click("#nav-bulk").await;
    app.wait_displayed("#view-bulk", true).await;
    app.wait_text("#bulk-jobs-empty", "None yet.").await;
    assert!(
        !app.is_displayed("#bulk-mapping").await,
        "no columns before a file"
    );
    open_list(&app).await;
    let summary = app.text("#bulk-file-summary").await;
    assert_eq!(summary, "appointments.csv: 7 rows, 5 columns.");
    assert_eq!(app.value("#bulk-encoding").await, "utf8_bom");
    assert_eq!(app.value("#bulk-delimiter").await, ",");
    assert!(
        !app.is_displayed("#bulk-sheet-field").await,
        "a CSV has no sheets"
    );

    // Step 2: the columns, guessed from the headings, with examples beside them.
    assert_eq!(app.value("#bulk-map-phone").await, "2", "Mobile");
    assert_eq!(app.value("#bulk-map-name").await, "0", "First name");
    assert_eq!(app.value("#bulk-map-first_name").await, "0");
    assert_eq!(app.value("#bulk-map-date").await, "3");
    assert_eq!(app.value("#bulk-map-time").await, "4");
    let samples = app.text("#bulk-map-phone-samples").await;
    assert_eq!(
        samples,
        "For example: +1 201 555 0123 · (201) 555-0124 · 12345"
    );
    assert!(app.is_displayed("#bulk-guessed").await);
    // Read with another separator, everything is in one column; back with commas, as guessed.
    pick(&app, "#bulk-delimiter", ";").await;
    app.wait_text("#bulk-file-summary", "7 rows, 1 column.")
        .await;
    assert_eq!(app.value("#bulk-delimiter").await, ";");
    pick(&app, "#bulk-delimiter", ",").await;
    app.wait_text("#bulk-file-summary", "7 rows, 5 columns.")
        .await;
    assert_eq!(app.value("#bulk-map-phone").await, "2");
    // The template uses business details that are not filled in: not yet.
    let business = app
        .wait_text(
            "#bulk-business-missing",
            "business name and business address",
        )
        .await;
    assert!(business.contains("not filled in yet"), "{business:?}");
    assert_eq!(
        app.text("#bulk-mapping-reason").await,
        "Fill in your business details in Settings first."
    );
    assert!(
        app.find("#bulk-preview-go")
            .await
            .prop("disabled")
            .await
            .ok()
            .flatten()
            .as_deref()
            == Some("true"),
        "the messages cannot be shown yet"
    );
    scroll_to(&app, "#bulk-mapping").await;
    app.screenshot("bulk-blocked.png", false).await;
    save_business(&app, "Bright Smile Dental", "12 Main St").await;
    app.click("#nav-bulk").await;
    app.wait_displayed("#bulk-business-missing", false).await;
    // Without the phone column there is nothing to send: the button says why.
    pick(&app, "#bulk-map-phone", "").await;
    app.wait_text(
        "#bulk-mapping-reason",
        "Choose the column with the mobile numbers first.",
    )
    .await;
    pick(&app, "#bulk-map-phone", "2").await;
    wait_until(
        "the button to be usable",
        Duration::from_secs(10),
        || async {
            app.text("#bulk-mapping-reason")
                .await
                .is_empty()
                .then_some(())
        },
    )
    .await;
    scroll_to(&app, "#bulk-start").await;
    app.screenshot("bulk-file.png", false).await;
    scroll_to(&app, "#bulk-mapping").await;
    app.screenshot("bulk-mapping.png", true).await;

    // Step 3: every row, the totals, the rows left out in words.
    app.click("#bulk-preview-go").await;
    app.wait_displayed("#bulk-preview", true).await;
    let totals = app.text("#bulk-totals").await;
    assert_eq!(
        totals,
        "5 messages, 5 segments, from Practice, at 1 segment per second, under a minute."
    );
    let left_out = app.text("#bulk-left-out").await;
    assert_eq!(
        left_out,
        "2 rows are left out and will not be sent: 1 number or details missing or wrong, 1 number already earlier in the list."
    );
    let table = app.text("#bulk-rows").await;
    assert!(
        table.contains(
            "Bright Smile Dental: Hi Ann, see you tomorrow, Tue 2 Dec at 9:00, at 12 Main St."
        ),
        "the message exactly as sent: {table:?}"
    );
    assert_eq!(
        app.client
            .execute(
                "return document.querySelectorAll('#bulk-rows tr').length;",
                vec![]
            )
            .await
            .expect("rows"),
        serde_json::json!(7),
        "every row"
    );
    let invalid = app
        .text("#bulk-rows tr:nth-child(3) .bulk-cell-status")
        .await;
    assert!(invalid.starts_with("Left out:"), "{invalid:?}");
    let abroad = app
        .text("#bulk-rows tr:nth-child(5) .bulk-cell-status")
        .await;
    assert!(abroad.starts_with("Abroad — check it."), "{abroad:?}");
    assert!(
        app.is_displayed("#bulk-keep-field").await,
        "a duplicate: keep both is offered"
    );
    scroll_to(&app, "#bulk-preview").await;
    app.screenshot("bulk-preview.png", true).await;

    // Only the rows with problems: left out, and the number abroad.
    app.click("#bulk-problems-only").await;
    wait_until("the filter", Duration::from_secs(10), || async {
        let n = app
            .client
            .execute(
                "return document.querySelectorAll('#bulk-rows tr').length;",
                vec![],
            )
            .await
            .ok()?;
        (n == serde_json::json!(3)).then_some(())
    })
    .await;
    app.screenshot("bulk-problems.png", false).await;
    app.click("#bulk-problems-only").await;

    // Keep both: the duplicate goes too; the totals follow.
    app.click("#bulk-keep-duplicates").await;
    app.wait_text("#bulk-totals", "6 messages, 6 segments")
        .await;
    app.click("#bulk-keep-duplicates").await;
    app.wait_text("#bulk-totals", "5 messages, 5 segments")
        .await;

    // A test to me: one message now, in History.
    app.type_into("#bulk-test-number", "+1 201 555 0199").await;
    app.click("#bulk-test").await;
    // The number grouped, as every other screen shows numbers.
    app.wait_text("#bulk-test-result", "Test sent to +1 201-555-0199.")
        .await;
    assert_eq!(messages(app.data_dir()), 1);

    // The confirmation repeats the totals and says Practice; "Not yet" sends nothing.
    app.type_into("#bulk-rate", "5").await;
    app.wait_text("#bulk-totals", "at 5 segments per second")
        .await;
    app.click("#bulk-send").await;
    app.wait_displayed("#bulk-confirm", true).await;
    let confirm = app.text("#bulk-confirm").await;
    assert!(confirm.contains("Send 5 reminders now?"), "{confirm:?}");
    assert!(
        confirm.contains(
            "5 messages, 5 segments, from Practice, at 5 segments per second, under a minute."
        ),
        "{confirm:?}"
    );
    assert!(
        confirm.contains("Practice: nobody is texted."),
        "{confirm:?}"
    );
    assert_eq!(app.focused_id().await, "bulk-confirm-question");
    app.screenshot("bulk-confirm.png", true).await;
    app.click("#bulk-confirm-cancel").await;
    app.wait_displayed("#bulk-confirm", false).await;
    assert_eq!(
        messages(app.data_dir()),
        1,
        "nothing sent without the confirmation"
    );

    // Sent: followed until done, by the back end's pushes.
    app.click("#bulk-send").await;
    app.wait_displayed("#bulk-confirm", true).await;
    app.click("#bulk-confirm-send").await;
    app.wait_displayed("#bulk-job", true).await;
    app.wait_text("#bulk-job-title", "Reminders from appointments.csv")
        .await;
    let done = app.wait_text("#bulk-job-done", "Done:").await;
    assert_eq!(done, "Done: 3 of 5 messages sent");
    for (key, n) in [
        ("accepted", 3),
        ("rejected", 1),
        ("unknown", 1),
        ("invalid", 1),
        ("duplicate", 1),
    ] {
        wait_count(&app, key, |c| c == n).await;
    }
    let unknown = app.text("#bulk-job-unknown").await;
    assert!(
        unknown.contains("It may or may not have been sent — check before sending it again."),
        "{unknown:?}"
    );
    // The rows to look at, with what the provider said.
    let attention = app
        .wait_text(
            "#bulk-attention-list",
            "SMS Desk cannot tell whether this message was sent",
        )
        .await;
    assert!(attention.contains("+1 201-555-0150"), "{attention:?}");
    assert!(
        attention.contains("+1 201-555-0141 Finn Refused by the provider.")
            && attention.contains("opted out"),
        "{attention:?}"
    );
    let add = app
        .wait_text(
            "#bulk-add-optouts",
            "Add 1 number that opted out to the do-not-text list",
        )
        .await;
    assert!(!add.is_empty());
    app.wait_text("#bulk-job-list", "appointments.csv — Reminder (day before)")
        .await;
    scroll_to(&app, "#bulk-job").await;
    app.screenshot("bulk-done.png", true).await;

    // One click puts the number that opted out on the do-not-text list.
    app.click("#bulk-add-optouts").await;
    app.wait_text(
        "#bulk-job-result",
        "1 number is on the do-not-text list now.",
    )
    .await;
    app.click("#nav-optouts").await;
    app.wait_text("#optout-list", "+1 201-555-0141").await;

    // The report, for a spreadsheet.
    app.click("#nav-bulk").await;
    app.click("#bulk-export").await;
    app.wait_text("#bulk-job-result", "Exported the report: 7 rows.")
        .await;
    let report = std::fs::read_to_string(&csv).expect("the report");
    assert!(
        report.starts_with(
            "\u{feff}Row,Number,Name,Message,Outcome,Problem,Message id,Delivery status\r\n"
        ),
        "{report:?}"
    );
    assert_eq!(report.lines().count(), 8, "{report:?}");

    // Every message is in History: the test and the five of the list.
    open_history(&app).await;
    let rows = wait_rows(&app, 6).await;
    assert!(
        rows.iter().any(|r| r.contains("Outcome unknown")),
        "{rows:?}"
    );
    let outcomes = outcomes(app.data_dir());
    assert_eq!(outcomes.get("accepted"), Some(&3), "{outcomes:?}");
    assert_eq!(outcomes.get("pending"), None, "{outcomes:?}");
    app.close().await;
}

/// `n` different valid numbers, one a row (none of them a practice number that misbehaves).
fn long_list(n: usize) -> String {
    let mut text = String::from("Name,Phone,Date,Time\n");
    for i in 0..n {
        let area = [202, 212, 312, 415, 617][i / 100];
        text.push_str(&format!(
            "Patient {i},+1 {area} 555 01{:02},Wed 3 Dec,9:00\n",
            i % 100
        ));
    }
    text
}

/// Opens the list, maps `{{first_name}}` to the Name column, and sends it at 1 a second.
async fn start_long_list(app: &App, rows: usize) {
    open_list(app).await;
    pick(app, "#bulk-map-first_name", "0").await;
    app.click("#bulk-preview-go").await;
    app.wait_text("#bulk-totals", &format!("{rows} messages"))
        .await;
    app.click("#bulk-send").await;
    app.wait_displayed("#bulk-confirm", true).await;
    app.click("#bulk-confirm-send").await;
    app.wait_displayed("#bulk-job", true).await;
}

#[tokio::test]
async fn a_job_pauses_resumes_and_cancels_and_closing_asks_first() {
    let _one_at_a_time = serial().await;
    let scratch = tempfile::tempdir().expect("temp dir");
    let csv = scratch.path().join("wednesday.csv");
    let csv_path = csv.to_str().expect("a UTF-8 temp path");
    std::fs::write(&csv, long_list(300)).unwrap_or_else(|e| panic!("cannot write {csv_path}: {e}"));
    let app = App::launch_with(&[
        ("SMSDESK_KEYSTORE", "memory"),
        ("SMSDESK_TEST_FILE_DIALOG", csv_path),
    ])
    .await;
    save_business(&app, "Bright Smile Dental", "12 Main St").await;
    start_long_list(&app, 300).await;
    app.wait_text("#bulk-job-done", "left").await;
    app.wait_text("#nav-bulk-badge", "sending").await;
    assert!(app.is_displayed("#bulk-pause").await);
    assert!(
        !app.is_displayed("#bulk-export").await,
        "no report while sending"
    );

    // Paused: what was on its way finishes, then nothing more is sent.
    app.click("#bulk-pause").await;
    app.wait_text("#bulk-job-state", "Paused").await;
    let paused = app.wait_text("#bulk-job-done", "paused, ").await;
    assert!(paused.contains("messages waiting"), "{paused:?}");
    wait_released(app.data_dir()).await;
    let sent = messages(app.data_dir());
    assert!(sent < 300, "paused at once: {sent}");
    wait_count(&app, "accepted", |n| n == sent).await;
    assert_eq!(
        outcomes(app.data_dir()).get("pending").copied(),
        Some(300 - sent),
        "the rest waits"
    );
    app.wait_displayed("#bulk-resume", true).await;
    scroll_to(&app, "#bulk-job").await;
    app.screenshot("bulk-paused.png", true).await;

    // Resumed: it goes on.
    app.click("#bulk-resume").await;
    app.wait_text("#bulk-job-state", "Sending").await;
    wait_count(&app, "accepted", |n| n > sent).await;

    // (Closing the window while a list is sent: the_close_button_asks_while_a_list_is_sent_...)

    // Cancel asks first; then the rest reads "not sent", and nothing more is sent.
    app.click("#bulk-cancel").await;
    let question = app
        .wait_text("#bulk-cancel-question", "Cancel the rest")
        .await;
    assert!(question.contains("will not be sent"), "{question:?}");
    assert_eq!(app.focused_id().await, "bulk-cancel-no");
    app.screenshot("bulk-cancel.png", false).await;
    app.click("#bulk-cancel-yes").await;
    app.wait_text("#bulk-job-done", "Cancelled:").await;
    app.wait_text("#bulk-job-state", "Cancelled").await;
    let not_sent = wait_count(&app, "notSent", |n| n > 0).await;
    wait_released(app.data_dir()).await;
    let outcomes = outcomes(app.data_dir());
    let accepted = outcomes.get("accepted").copied().unwrap_or(0);
    assert_eq!(
        outcomes.get("not_sent").copied(),
        Some(300 - accepted),
        "{outcomes:?}"
    );
    assert_eq!(messages(app.data_dir()), accepted, "{outcomes:?}");
    assert!(not_sent > 0);
    app.wait_displayed("#bulk-export", true).await;
    app.wait_text("#bulk-job-list", "Cancelled").await;

    // The same headings again: the columns chosen last time are remembered.
    app.click("#bulk-choose").await;
    app.wait_displayed("#bulk-remembered", true).await;
    assert_eq!(app.value("#bulk-map-first_name").await, "0");
    assert_eq!(app.value("#bulk-map-phone").await, "1");
    app.close().await;
}

#[tokio::test]
async fn pause_and_close_leaves_the_job_paused_to_resume() {
    let _one_at_a_time = serial().await;
    let scratch = tempfile::tempdir().expect("temp dir");
    let csv = scratch.path().join("thursday.csv");
    let csv_path = csv.to_str().expect("a UTF-8 temp path");
    std::fs::write(&csv, long_list(100)).unwrap_or_else(|e| panic!("cannot write {csv_path}: {e}"));
    let app = App::launch_with(&[
        ("SMSDESK_KEYSTORE", "memory"),
        ("SMSDESK_TEST_FILE_DIALOG", csv_path),
    ])
    .await;
    save_business(&app, "Bright Smile Dental", "12 Main St").await;
    start_long_list(&app, 100).await;
    wait_count(&app, "accepted", |n| n > 0).await;

    // The window is closed while the job is being sent: asked, then paused and closed.
    assert_eq!(click_close_button(&app).as_deref(), Some("1"));
    app.wait_displayed("#close-confirm", true).await;
    let pid = app_pid(app.data_dir());
    app.click("#close-pause").await;
    wait_until("SMS Desk to quit", Duration::from_secs(30), || async {
        (!Path::new(&format!("/proc/{pid}")).exists()).then_some(())
    })
    .await;
    let data_dir = app.data_dir().to_path_buf();
    wait_until("the job to be paused", Duration::from_secs(30), || async {
        let o = outcomes(&data_dir);
        let paused = rusqlite::Connection::open_with_flags(
            data_dir.join(smsdesk::store::DB_FILE),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .ok()?
        .query_row("SELECT state FROM jobs", [], |r| r.get::<_, String>(0))
        .ok()?;
        (paused == "paused" && !o.contains_key("sending")).then_some(())
    })
    .await;

    // Started again: the job waits, paused, with nothing in doubt; Resume sends the rest.
    let app = app.relaunch(&[]).await;
    // The tab says so from the start, whatever screen is open.
    app.wait_text("#nav-bulk-badge", "1 paused").await;
    app.click("#nav-bulk").await;
    let listed = app.wait_text("#bulk-job-list", "thursday.csv").await;
    assert!(listed.contains("Paused"), "{listed:?}");
    assert!(!listed.contains("outcome unknown"), "{listed:?}");
    let outcomes = outcomes(app.data_dir());
    assert_eq!(outcomes.get("unknown"), None, "{outcomes:?}");
    app.screenshot("bulk-jobs.png", false).await;
    let before = messages(app.data_dir());
    app.click("#bulk-job-list [data-action='resume']").await;
    app.wait_text("#bulk-job-state", "Sending").await;
    wait_count(&app, "accepted", |n| n > before).await;
    assert!(
        !app.is_displayed("#bulk-job-problem").await,
        "one Resume is enough"
    );
    app.click("#bulk-cancel").await;
    app.click("#bulk-cancel-yes").await;
    app.wait_text("#bulk-job-state", "Cancelled").await;
    app.close().await;
}

/// What a window manager sends when the person clicks a window's close button
/// (`WM_DELETE_WINDOW` to the windows whose title starts with "SMS Desk" of the process given as the argument),
/// through Xlib from Python; prints how many windows it was sent to.
const CLOSE_BUTTON: &str = r#"
# Sends WM_DELETE_WINDOW to every top-level X window whose title starts with "SMS Desk" (what a window manager
# does when the person clicks the close button).
import ctypes
from ctypes import c_int, c_ulong, c_long, c_void_p, c_char_p, c_uint, POINTER, byref
x = ctypes.cdll.LoadLibrary('libX11.so.6')
x.XOpenDisplay.restype = c_void_p
x.XOpenDisplay.argtypes = [c_char_p]
x.XDefaultRootWindow.restype = c_ulong
x.XDefaultRootWindow.argtypes = [c_void_p]
x.XInternAtom.restype = c_ulong
x.XInternAtom.argtypes = [c_void_p, c_char_p, c_int]
x.XQueryTree.argtypes = [c_void_p, c_ulong, POINTER(c_ulong), POINTER(c_ulong), POINTER(POINTER(c_ulong)), POINTER(c_uint)]
x.XFetchName.argtypes = [c_void_p, c_ulong, POINTER(c_char_p)]
x.XSendEvent.argtypes = [c_void_p, c_ulong, c_int, c_long, c_void_p]
x.XFlush.argtypes = [c_void_p]
class XClientMessageEvent(ctypes.Structure):
    _fields_ = [('type', c_int), ('serial', c_ulong), ('send_event', c_int), ('display', c_void_p),
                ('window', c_ulong), ('message_type', c_ulong), ('format', c_int), ('l', c_long * 5)]
class XEvent(ctypes.Union):
    _fields_ = [('xclient', XClientMessageEvent), ('pad', c_long * 24)]
d = x.XOpenDisplay(None)
root = x.XDefaultRootWindow(d)
def walk(w):
    r, p, kids, n = c_ulong(), c_ulong(), POINTER(c_ulong)(), c_uint()
    if not x.XQueryTree(d, w, byref(r), byref(p), byref(kids), byref(n)):
        return
    for i in range(n.value):
        yield kids[i]
        yield from walk(kids[i])
import sys
x.XGetWindowProperty.argtypes = [c_void_p, c_ulong, c_ulong, c_long, c_long, c_int, c_ulong,
    POINTER(c_ulong), POINTER(c_int), POINTER(c_ulong), POINTER(c_ulong), POINTER(c_void_p)]
want_pid = int(sys.argv[1])
net_wm_pid = x.XInternAtom(d, b'_NET_WM_PID', 0)
def pid_of(w):
    kind, fmt, n, after, data = c_ulong(), c_int(), c_ulong(), c_ulong(), c_void_p()
    if x.XGetWindowProperty(d, w, net_wm_pid, 0, 1, 0, 0, byref(kind), byref(fmt), byref(n), byref(after), byref(data)) != 0:
        return None
    if not data.value or n.value < 1:
        return None
    return ctypes.cast(data, POINTER(c_long))[0]
protocols = x.XInternAtom(d, b'WM_PROTOCOLS', 0)
delete = x.XInternAtom(d, b'WM_DELETE_WINDOW', 0)
sent = 0
for w in walk(root):
    name = c_char_p()
    if x.XFetchName(d, w, byref(name)) and name.value.startswith(b'SMS Desk') and pid_of(w) == want_pid:
        ev = XEvent()
        ev.xclient.type = 33
        ev.xclient.window = w
        ev.xclient.message_type = protocols
        ev.xclient.format = 32
        ev.xclient.l[0] = delete
        ev.xclient.l[1] = 0
        x.XSendEvent(d, w, 0, 0, byref(ev))
        sent += 1
x.XFlush(d)
print(sent)
"#;

/// The process id of the app running on `data_dir` (found by its environment).
pub(crate) fn app_pid(data_dir: &Path) -> u32 {
    let wanted = format!("SMSDESK_DATA_DIR={}", data_dir.display());
    let is_app = |pid: &u32| {
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        comm.trim() == "smsdesk-app" && env.split(|&b| b == 0).any(|v| v == wanted.as_bytes())
    };
    // The parent's pid: field 4 of /proc/PID/stat, after the name in parentheses.
    let parent = |pid: &u32| -> Option<u32> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        stat.rsplit_once(')')?
            .1
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    let apps: Vec<u32> = std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(is_app)
        .collect();
    // Not a child the app forked (still named like it for a moment before it runs another
    // program): the app itself.
    let found = apps
        .iter()
        .copied()
        .find(|pid| parent(pid).is_none_or(|p| !apps.contains(&p)));
    found.unwrap_or_else(|| panic!("no smsdesk-app runs on {}", data_dir.display()))
}

/// Clicks the close button of the app's window (with Python 3, which `scripts/setup --test`
/// installs); `None` when Python 3 is not there to do it.
pub(crate) fn click_close_button(app: &App) -> Option<String> {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(CLOSE_BUTTON)
        .arg(app_pid(app.data_dir()).to_string())
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "the close button could not be clicked: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[tokio::test]
async fn the_close_button_asks_while_a_list_is_sent_and_closes_when_none_is() {
    let _one_at_a_time = serial().await;
    let scratch = tempfile::tempdir().expect("temp dir");
    let csv = scratch.path().join("friday.csv");
    let csv_path = csv.to_str().expect("a UTF-8 temp path");
    std::fs::write(&csv, long_list(100)).unwrap_or_else(|e| panic!("cannot write {csv_path}: {e}"));
    let app = App::launch_with(&[
        ("SMSDESK_KEYSTORE", "memory"),
        ("SMSDESK_TEST_FILE_DIALOG", csv_path),
    ])
    .await;
    save_business(&app, "Bright Smile Dental", "12 Main St").await;
    start_long_list(&app, 100).await;
    app.wait_text("#bulk-job-state", "Sending").await;

    // While it is sent, from another screen: the window stays and asks, on Reminders.
    app.click("#nav-compose").await;
    assert_eq!(click_close_button(&app).as_deref(), Some("1"));
    app.wait_displayed("#close-confirm", true).await;
    assert!(app.is_displayed("#view-bulk").await);
    let status = app
        .wait_text("#close-confirm-status", "Not sent yet:")
        .await;
    assert!(status.contains("of friday.csv"), "{status:?}");
    app.screenshot("bulk-close-button.png", false).await;
    // With a tray icon the default answer keeps sending with the window hidden in the tray.
    let keep = app.text("#close-keep").await;
    assert_eq!(keep, "Keep sending in the background");
    assert_eq!(app.focused_id().await, "close-keep");
    let pid = app_pid(app.data_dir());
    app.click("#close-keep").await;
    crate::tray::wait_shown(pid, false).await;
    let accepted = |dir: &Path| outcomes(dir).get("accepted").copied().unwrap_or(0);
    let sent = accepted(app.data_dir());
    wait_until(
        "more to be sent while hidden",
        Duration::from_secs(30),
        || async { (accepted(app.data_dir()) > sent).then_some(()) },
    )
    .await;
    // Opened again (a second launch brings the window back): the list went on meanwhile.
    crate::tray::launch_again(pid, app.data_dir()).await;
    crate::tray::wait_shown(pid, true).await;
    app.wait_displayed("#close-confirm", false).await;

    // Paused, nothing is being sent: the close button closes at once.
    app.click("#bulk-pause").await;
    app.wait_text("#bulk-job-done", "paused, ").await;
    assert_eq!(click_close_button(&app).as_deref(), Some("1"));
    // SMS Desk quits: nothing stays behind holding the worker's lock.
    wait_until("SMS Desk to quit", Duration::from_secs(20), || async {
        (!Path::new(&format!("/proc/{pid}")).exists()).then_some(())
    })
    .await;
    app.close().await;
}

/// A day's list in Côte d'Ivoire (the 0 is part of every number there, mobiles too), saved
/// by Excel with the phone column as numbers: three numbers lost their leading 0.
const ABIDJAN: &str = "First name,Mobile,Date,Time\r\n\
Aya,712345678,Tue 2 Dec,9:00\r\n\
Koffi,07 98 76 54 32,Tue 2 Dec,9:30\r\n\
Awa,512345678,Tue 2 Dec,10:00\r\n\
Yao,112345678,Tue 2 Dec,10:30\r\n";

/// The numbers the simulator was asked to text, sorted.
fn destinations(sim: &Sim) -> Vec<String> {
    let mut to: Vec<String> = sim
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .filter_map(|r| Some(r.body.as_ref()?["destination_phone"].as_str()?.to_owned()))
        .collect();
    to.sort();
    to
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_excel_removed_the_0_of_are_read_with_it_in_one_click() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let scratch = tempfile::tempdir().expect("temp dir");
    let csv = scratch.path().join("abidjan.csv");
    let csv_path = csv.to_str().expect("a UTF-8 temp path");
    std::fs::write(&csv, ABIDJAN).unwrap_or_else(|e| panic!("cannot write {csv_path}: {e}"));
    let app = App::launch_with(&[
        ("SMSDESK_KEYSTORE", "memory"),
        ("SMSDESK_TEST_FILE_DIALOG", csv_path),
    ])
    .await;
    add_channel(&app, "Clinic", PRACTICE_KEY, &sim).await;
    set_country(&app, "CI").await;
    save_business(&app, "Clinique du Plateau", "Rue 12, Abidjan").await;
    open_list(&app).await;
    app.click("#bulk-preview-go").await;
    app.wait_displayed("#bulk-preview", true).await;

    // As read: one message; the three numbers are left out, and one line says why and offers
    // one button for all of them.
    app.wait_text("#bulk-totals", "1 message, 1 segment").await;
    let offer = app.wait_text("#bulk-zero-text", "leading 0").await;
    // (07 12 34 5678: Côte d'Ivoire's numbers as the numbering data groups them.)
    assert_eq!(
        offer,
        "3 numbers look like Excel removed their leading 0 (712345678 → 07 12 34 5678)."
    );
    assert_eq!(app.text("#bulk-zero-action").await, "Read them with the 0");
    let first = app
        .text("#bulk-rows tr:nth-child(1) .bulk-cell-status")
        .await;
    assert!(
        first.starts_with("Left out:") && first.contains("missing its leading 0"),
        "{first:?}"
    );
    scroll_to(&app, "#bulk-preview").await;
    app.screenshot("bulk-leading-zero.png", true).await;

    // One click: they join the list (the totals follow), each read with its 0.
    app.click("#bulk-zero-action").await;
    app.wait_text("#bulk-totals", "4 messages, 4 segments")
        .await;
    let added = app
        .wait_text("#bulk-zero-text", "read with the leading 0")
        .await;
    assert_eq!(
        added,
        "3 numbers are read with the leading 0 that Excel removed (712345678 → 07 12 34 5678)."
    );
    assert_eq!(app.text("#bulk-zero-action").await, "Undo");
    assert_eq!(
        app.focused_id().await,
        "bulk-zero-action",
        "the focus stays"
    );
    let number = app
        .text("#bulk-rows tr:nth-child(1) .bulk-cell-number")
        .await;
    assert!(
        number.contains("712345678") && number.contains("+2250712345678 (with the 0)"),
        "{number:?}"
    );
    assert_eq!(
        app.text("#bulk-rows tr:nth-child(1) .bulk-cell-status")
            .await,
        "Will be sent"
    );
    assert!(
        !app.is_displayed("#bulk-left-out").await,
        "no row is left out now"
    );
    app.screenshot("bulk-leading-zero-added.png", false).await;

    // Undo puts things back as they were; and again with the 0.
    app.click("#bulk-zero-action").await;
    app.wait_text("#bulk-totals", "1 message, 1 segment").await;
    app.wait_text("#bulk-zero-action", "Read them with the 0")
        .await;
    app.click("#bulk-zero-action").await;
    app.wait_text("#bulk-totals", "4 messages, 4 segments")
        .await;
    assert!(destinations(&sim).is_empty(), "a preview sends nothing");

    // Sent as previewed: the numbers with their 0, each once.
    app.click("#bulk-send").await;
    app.wait_displayed("#bulk-confirm", true).await;
    let confirm = app.text("#bulk-confirm").await;
    assert!(confirm.contains("Send 4 reminders now?"), "{confirm:?}");
    app.click("#bulk-confirm-send").await;
    app.wait_displayed("#bulk-job", true).await;
    app.wait_text("#bulk-job-done", "Done:").await;
    wait_count(&app, "accepted", |n| n == 4).await;
    assert_eq!(
        destinations(&sim),
        [
            "+2250112345678",
            "+2250512345678",
            "+2250712345678",
            "+2250798765432"
        ]
    );
    app.close().await;
}

/// A workbook as a front desk keeps it: a sheet of notes first, then tomorrow's appointments
/// (names with accents, numbers typed as text).
fn two_sheets() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("Notes").expect("name");
    notes
        .write_string(0, 0, "Notes for reception")
        .expect("cell");
    notes
        .write_string(1, 0, "Dr Ó Briain is away on Friday.")
        .expect("cell");
    let tomorrow = book.add_worksheet();
    tomorrow.set_name("Tomorrow").expect("name");
    for (col, header) in (0u16..).zip(["First name", "Mobile", "Date", "Time"]) {
        tomorrow.write_string(0, col, header).expect("header");
    }
    let rows = [
        ("Siobhán", "+1 201 555 0160", "9:00"),
        ("Zoë", "+1 201 555 0161", "9:30"),
        ("José", "+1 201 555 0162", "10:00"),
    ];
    for (row, (name, phone, time)) in (1u32..).zip(rows) {
        for (col, cell) in (0u16..).zip([name, phone, "Wed 3 Dec", time]) {
            tomorrow.write_string(row, col, cell).expect("cell");
        }
    }
    book.save_to_buffer().expect("the workbook")
}

#[tokio::test]
async fn a_workbook_with_several_sheets_asks_which_one_and_keeps_its_accents() {
    let _one_at_a_time = serial().await;
    let scratch = tempfile::tempdir().expect("temp dir");
    let book = scratch.path().join("tomorrow.xlsx");
    let book_path = book.to_str().expect("a UTF-8 temp path");
    std::fs::write(&book, two_sheets()).unwrap_or_else(|e| panic!("cannot write {book_path}: {e}"));
    let app = App::launch_with(&[
        ("SMSDESK_KEYSTORE", "memory"),
        ("SMSDESK_TEST_FILE_DIALOG", book_path),
    ])
    .await;
    save_business(&app, "Bright Smile Dental", "12 Main St").await;
    open_list(&app).await;

    // The first sheet is read, and the picker offers both, in the workbook's order.
    assert_eq!(
        app.text("#bulk-file-summary").await,
        "tomorrow.xlsx: 1 row, 1 column."
    );
    app.wait_displayed("#bulk-sheet-field", true).await;
    assert_eq!(app.value("#bulk-sheet").await, "Notes");
    let sheets = app
        .client
        .execute(
            "return [...document.querySelectorAll('#bulk-sheet option')].map((o) => o.textContent);",
            vec![],
        )
        .await
        .expect("the sheets offered");
    assert_eq!(sheets, serde_json::json!(["Notes", "Tomorrow"]));
    assert_eq!(
        app.text("#bulk-sheet-help").await,
        "This workbook has several sheets: pick the one with the appointments."
    );
    assert!(
        !app.is_displayed("#bulk-encoding-field").await,
        "a workbook has no encoding to choose"
    );
    assert_eq!(
        app.text("#bulk-mapping-reason").await,
        "Choose the column with the mobile numbers first."
    );
    scroll_to(&app, "#bulk-start").await;
    app.screenshot("bulk-sheet-picker.png", true).await;

    // Tomorrow: its own columns, guessed, with the names as typed.
    pick(&app, "#bulk-sheet", "Tomorrow").await;
    app.wait_text("#bulk-file-summary", "tomorrow.xlsx: 3 rows, 4 columns.")
        .await;
    assert_eq!(app.value("#bulk-sheet").await, "Tomorrow");
    app.wait_text("#bulk-map-first_name-samples", "Siobhán")
        .await;
    assert_eq!(
        app.text("#bulk-map-first_name-samples").await,
        "For example: Siobhán · Zoë · José"
    );
    assert_eq!(app.value("#bulk-map-phone").await, "1", "Mobile");
    app.click("#bulk-preview-go").await;
    app.wait_text("#bulk-totals", "3 messages").await;
    let names: Vec<String> = {
        let mut names = Vec::new();
        for row in 1..=3 {
            names.push(
                app.text(&format!("#bulk-rows tr:nth-child({row}) .bulk-cell-name"))
                    .await,
            );
        }
        names
    };
    assert_eq!(names, ["Siobhán", "Zoë", "José"]);
    let table = app.text("#bulk-rows").await;
    assert!(
        table.contains(
            "Bright Smile Dental: Hi Siobhán, see you tomorrow, Wed 3 Dec at 9:00, at 12 Main St."
        ),
        "{table:?}"
    );
    app.screenshot("bulk-sheet-picked.png", false).await;
    app.close().await;
}
