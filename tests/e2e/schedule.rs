//! Sending later in the real window, on a live channel (the simulator counts every request):
//! Settings › Sending's time zone and sending hours saved; a message from New message scheduled
//! for tomorrow at 10:00 (prefilled, on the clinic's clock) sends nothing and is listed under
//! Scheduled; a time in the past is refused in words; cancelled, it never goes; one whose time
//! passed while it could not go (the computer asleep: its time moved back in the store) is not
//! sent by itself but listed as missed, with a count on the tab, and goes once on "Send now".
//! A list of appointments "the day before at 10:00": each row's time in the preview, the row
//! whose time has passed left out (and offered), scheduled with nothing sent, listed with its
//! row count, and cancelled.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use octopods_sim::{Sim, SimConfig, PRACTICE_KEY};

use crate::bulk::{pick, scroll_to};
use crate::channels::add_channel;
use crate::harness::{serial, wait_until, App};

const REMINDER: &str = "starter-reminder";

/// The requests that would text someone (the key checks are GETs).
fn sends(sim: &Sim) -> usize {
    sim.requests().iter().filter(|r| r.method == "POST").count()
}

/// Sets a date or time picker as the person would pick it (WebDriver cannot type into them
/// reliably), telling the page it changed.
async fn set_value(app: &App, css: &str, value: &str) {
    app.find(css).await;
    app.client
        .execute(
            "const el = document.querySelector(arguments[0]);
             el.value = arguments[1];
             el.dispatchEvent(new Event('input', {bubbles: true}));
             el.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![serde_json::json!(css), serde_json::json!(value)],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot set {css}: {e}"));
}

/// The texts of History's "Waiting to be sent" rows.
async fn scheduled_rows(app: &App) -> Vec<String> {
    let texts = app
        .client
        .execute(
            "return [...document.querySelectorAll('#history-scheduled-list .history-scheduled-row')].map((r) => r.innerText);",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot read History's scheduled rows: {e}"));
    serde_json::from_value(texts).unwrap_or_default()
}

/// Writes a message in New message and opens "Send later…".
async fn write_for_later(app: &App, to: &str, body: &str) {
    app.click("#nav-compose").await;
    app.type_into("#to", to).await;
    app.wait_text("#to-check", "✓").await;
    app.type_into("#body", body).await;
    if !app.is_displayed("#send-later").await {
        app.click("#send-later-open").await;
    }
    app.wait_displayed("#send-later", true).await;
    app.wait_text("#send-later-zone", " time").await;
}

/// Moves every waiting row's time two hours back, as if the computer had been asleep at its
/// time: the running app finds it late at its next tick.
fn sleep_through(data_dir: &Path) {
    let path = data_dir.join(smsdesk::store::DB_FILE);
    let conn = rusqlite::Connection::open(&path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    conn.busy_timeout(Duration::from_secs(10))
        .expect("busy timeout");
    let now = now_ms();
    let moved = conn
        .execute(
            "UPDATE job_rows SET due_at = ?1 WHERE outcome = 'scheduled'",
            [now - 2 * 3600 * 1000],
        )
        .expect("rows moved back");
    assert_eq!(moved, 1, "one message waits");
}

/// Milliseconds since 1970, now.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The clinic's zone for the single-message test: Dublin, unless it is within two hours of
/// midnight there (sending hours 00:00–23:59 would not hold the time now, and "two hours
/// ago" would be yesterday), then New York, five hours behind.
fn clinic_zone() -> &'static str {
    let dublin = smsdesk::schedule::ClinicZone::named("Europe/Dublin").expect("a known zone");
    let hour = dublin.at(now_ms()).expect("now in Dublin").hour();
    if (3..=21).contains(&hour) {
        "Europe/Dublin"
    } else {
        "America/New_York"
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_sent_later_waits_is_cancelled_or_missed_and_sent_once_when_asked() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch().await;
    add_channel(&app, "Clinic", PRACTICE_KEY, &sim).await;

    // Settings › Sending: the clinic's zone, and sending hours all day (so that "Send now"
    // goes at once: the zone is one where it is not around midnight now).
    let zone = clinic_zone();
    app.click("#nav-settings").await;
    pick(&app, "#time-zone", zone).await;
    let computer = app.text("#time-zone-computer").await;
    assert!(
        computer.starts_with("This computer’s time zone ("),
        "{computer:?}"
    );
    set_value(&app, "#send-from", "00:00").await;
    set_value(&app, "#send-until", "23:59").await;
    app.click("#save-settings").await;
    let saved = app.wait_text("#settings-result", "Settings saved.").await;
    assert!(
        saved.contains(&format!("Times are on {zone} time"))
            && saved.contains("between 00:00 and 23:59"),
        "{saved:?}"
    );
    // Sending hours that end before they start are refused, in words, and nothing changes.
    set_value(&app, "#send-until", "07:00").await;
    set_value(&app, "#send-from", "08:00").await;
    app.click("#save-settings").await;
    let refused = app
        .wait_text("#settings-result", "The settings were not saved")
        .await;
    assert!(
        refused.contains("must start before they end"),
        "{refused:?}"
    );
    set_value(&app, "#send-from", "00:00").await;
    set_value(&app, "#send-until", "23:59").await;
    app.click("#save-settings").await;
    app.wait_text("#settings-result", "Settings saved.").await;
    scroll_to(&app, "#settings-form").await;
    app.screenshot("settings-sending.png", false).await;

    // Send later: tomorrow at 10:00 on the clinic's clock is offered.
    write_for_later(
        &app,
        "+1 201 555 0123",
        "Hi Ann, see you tomorrow at 10:30. Reply STOP to opt out.",
    )
    .await;
    let said = app.text("#send-later-zone").await;
    assert!(
        said.ends_with(&format!(" at 10:00, {zone} time")),
        "the day and time in words, and the zone: {said:?}"
    );
    assert_eq!(app.value("#send-later-time").await, "10:00");
    let tomorrow = app.value("#send-later-date").await;
    assert_eq!(tomorrow.len(), 10, "a date: {tomorrow:?}");
    assert_eq!(app.focused_id().await, "send-later-date");
    app.screenshot("compose-send-later.png", true).await;

    // A time in the past is refused where a send's problems are said; the message stays.
    set_value(&app, "#send-later-date", "2020-01-02").await;
    app.click("#schedule").await;
    let past = app.wait_text("#send-result", "Not scheduled").await;
    assert!(past.contains("has already passed"), "{past:?}");
    assert_eq!(app.value("#to").await, "+1 201 555 0123");
    assert_eq!(sends(&sim), 0);

    set_value(&app, "#send-later-date", &tomorrow).await;
    app.click("#schedule").await;
    let done = app
        .wait_text("#send-result", "Scheduled to +1 201-555-0123 for")
        .await;
    assert!(
        done.contains(", 10:00 ") && done.contains("even if this window is closed"),
        "{done:?}"
    );
    assert_eq!(
        app.value("#to").await,
        "",
        "the form is ready for the next one"
    );
    assert!(!app.is_displayed("#send-later").await);
    assert_eq!(sends(&sim), 0, "nothing is sent at scheduling time");

    // A second one, for the same time.
    write_for_later(
        &app,
        "+1 201 555 0124",
        "Hi Bob, see you tomorrow at 11:00.",
    )
    .await;
    app.click("#schedule").await;
    app.wait_text("#send-result", "Scheduled to +1 201-555-0124")
        .await;

    // History shows both as scheduled, above what was sent (nothing yet); a row opens
    // Scheduled. The status "Scheduled" shows only them.
    crate::history::open_history(&app).await;
    app.wait_displayed("#history-scheduled", true).await;
    let waiting = scheduled_rows(&app).await;
    assert_eq!(waiting.len(), 2, "{waiting:?}");
    assert!(
        waiting
            .iter()
            .all(|r| r.contains("Scheduled") && r.contains("Tomorrow at 10:00")),
        "{waiting:?}"
    );
    assert!(
        waiting
            .iter()
            .any(|r| r.contains("+1 201-555-0123") && r.contains("Hi Ann")),
        "{waiting:?}"
    );
    assert_eq!(app.text("#history-count").await, "2 waiting to be sent");
    assert!(!app.is_displayed("#history-empty").await);
    app.type_into("#history-search", "Bob").await;
    wait_until("the search to apply", Duration::from_secs(10), || async {
        (scheduled_rows(&app).await.len() == 1).then_some(())
    })
    .await;
    assert!(scheduled_rows(&app).await[0].contains("Hi Bob"));
    app.find("#history-search")
        .await
        .clear()
        .await
        .expect("search cleared");
    pick(&app, "#history-status", "delivered").await;
    app.wait_displayed("#history-scheduled", false).await;
    pick(&app, "#history-status", "scheduled").await;
    app.wait_displayed("#history-scheduled", true).await;
    assert_eq!(scheduled_rows(&app).await.len(), 2);
    app.screenshot("history-scheduled.png", false).await;
    pick(&app, "#history-status", "").await;
    app.click("#history-scheduled-list li:nth-child(1) .history-scheduled-row")
        .await;
    app.wait_displayed("#view-scheduled", true).await;

    // Both are listed, with when, to whom, from where, and their text.
    app.wait_displayed("#view-scheduled", true).await;
    let listed = app.wait_text("#scheduled-list", "To +1 201-555-0124").await;
    assert!(
        listed.contains("Tomorrow at 10:00")
            && listed.contains("To +1 201-555-0123")
            && listed.contains("From Clinic")
            && listed.contains("Hi Ann, see you tomorrow at 10:30."),
        "{listed:?}"
    );
    let intro = app.text("#scheduled-intro").await;
    assert!(intro.contains(&format!("{zone} time")), "{intro:?}");
    assert!(!app.is_displayed("#scheduled-missed").await);
    assert!(!app.is_displayed("#nav-scheduled-badge").await);

    // Cancel asks in the item first; then it is gone, and never sent.
    app.click("#scheduled-list li:nth-child(1) [data-action='cancel']")
        .await;
    let question = app
        .wait_text(
            "#scheduled-list li:nth-child(1) .scheduled-confirm",
            "Cancel this message to +1 201-555-0123?",
        )
        .await;
    assert!(question.contains("It will not be sent."), "{question:?}");
    app.click("#scheduled-list li:nth-child(1) [data-action='yes']")
        .await;
    app.wait_text(
        "#scheduled-result",
        "Cancelled: the message to +1 201-555-0123 will not be sent.",
    )
    .await;
    wait_until(
        "the cancelled one to go",
        Duration::from_secs(20),
        || async { (!app.text("#scheduled-list").await.contains("0123")).then_some(()) },
    )
    .await;
    assert_eq!(sends(&sim), 0);

    // The computer slept through the other one's time: it is not sent late by itself; it is
    // listed first, as missed, and the tab says so.
    sleep_through(app.data_dir());
    app.wait_text("#nav-scheduled-badge", "1 missed").await;
    app.wait_displayed("#scheduled-missed", true).await;
    let missed = app
        .wait_text("#scheduled-missed-list", "It was not sent.")
        .await;
    assert!(
        missed.contains("This message was due today at")
            && missed.contains("while this computer was off or SMS Desk was closed")
            && missed.contains("To +1 201-555-0124"),
        "{missed:?}"
    );
    assert!(app.is_displayed("#scheduled-empty").await);
    assert_eq!(sends(&sim), 0, "a missed message waits for a person");
    app.screenshot("scheduled-missed.png", false).await;

    // "Send now" asks, then sends it, once.
    app.click("#scheduled-missed-list [data-action='now']")
        .await;
    app.wait_text(
        "#scheduled-missed-list .scheduled-confirm",
        "Send this message to +1 201-555-0124 now?",
    )
    .await;
    app.click("#scheduled-missed-list [data-action='yes']")
        .await;
    app.wait_text("#scheduled-result", "Sending the message now.")
        .await;
    wait_until(
        "the message to be sent",
        Duration::from_secs(30),
        || async { (sends(&sim) == 1).then_some(()) },
    )
    .await;
    app.wait_displayed("#scheduled-missed", false).await;
    app.wait_displayed("#nav-scheduled-badge", false).await;
    crate::history::open_history(&app).await;
    let rows = crate::history::wait_rows(&app, 1).await;
    assert!(rows[0].contains("Hi Bob"), "{rows:?}");
    app.wait_displayed("#history-scheduled", false).await;
    assert_eq!(
        app.text("#history-count").await,
        "1–1 of 1 message",
        "once sent, it is a normal row, no longer waiting"
    );
    assert_eq!(sends(&sim), 1, "sent once");
    app.close().await;
}

/// The date `days` from today in Dublin (the app's zone in the list test), as booking systems
/// write it: `Thu 3 Dec 2026`.
fn appointment_day(days: i64) -> String {
    let zone = smsdesk::schedule::ClinicZone::named("Europe/Dublin").expect("a known zone");
    let now = now_ms();
    // Midday today plus `days` days: never across a midnight, summer time or not.
    let today = zone.at(now).expect("now in Dublin");
    let noon = now + (12 - i64::from(today.hour())) * 3_600_000;
    let day = zone.at(noon + days * 86_400_000).expect("a day in Dublin");
    day.strftime("%a %-d %b %Y").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_the_day_before_each_appointment_shows_each_time_and_waits_under_scheduled() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let scratch = tempfile::tempdir().expect("temp dir");
    let csv = scratch.path().join("appointments.csv");
    let csv_path = csv.to_str().expect("a UTF-8 temp path");
    let list = format!(
        "First name,Mobile,Date,Time\r\n\
         Ann,+1 201 555 0123,{in2},9:00\r\n\
         Bob,+1 201 555 0124,{in3},14:30\r\n\
         Cara,+1 201 555 0125,{today},11:00\r\n\
         Dan,+1 201 555 0126,{in2},10:00\r\n",
        in2 = appointment_day(2),
        in3 = appointment_day(3),
        today = appointment_day(0),
    );
    std::fs::write(&csv, list).unwrap_or_else(|e| panic!("cannot write {csv_path}: {e}"));
    let app = App::launch_with(&[
        ("SMSDESK_KEYSTORE", "memory"),
        ("SMSDESK_TEST_FILE_DIALOG", csv_path),
        ("TZ", "Europe/Dublin"),
    ])
    .await;
    add_channel(&app, "Clinic", PRACTICE_KEY, &sim).await;
    app.click("#nav-settings").await;
    app.type_into("#business-name", "Bright Smile Dental").await;
    app.type_into("#business-address", "12 Main St").await;
    app.click("#save-business").await;
    app.wait_text("#business-result", "Business details saved.")
        .await;

    // A single message for later, to see both kinds under Scheduled.
    write_for_later(
        &app,
        "+1 201 555 0199",
        "Your new glasses are ready to collect.",
    )
    .await;
    app.click("#schedule").await;
    app.wait_text("#send-result", "Scheduled to +1 201-555-0199")
        .await;

    // The list, its columns guessed, its messages shown.
    app.click("#nav-bulk").await;
    app.wait_displayed("#view-bulk", true).await;
    pick(&app, "#bulk-template", REMINDER).await;
    app.click("#bulk-choose").await;
    app.wait_displayed("#bulk-mapping", true).await;
    app.click("#bulk-preview-go").await;
    app.wait_displayed("#bulk-preview", true).await;
    app.wait_text(
        "#bulk-totals",
        "4 messages, 4 segments, from Clinic, at 1 segment per second",
    )
    .await;

    // Before each appointment: the day before at 10:00, from the Date and Time columns.
    app.click("#bulk-when-before").await;
    app.wait_displayed("#bulk-when-before-fields", true).await;
    assert_eq!(app.value("#bulk-lead").await, "day-before");
    assert_eq!(app.value("#bulk-lead-time").await, "10:00");
    assert_eq!(app.value("#bulk-date-column").await, "2", "Date");
    assert_eq!(app.value("#bulk-time-column").await, "3", "Time");
    let zone = app.text("#bulk-when-zone").await;
    assert!(zone.contains("Europe/Dublin time"), "{zone:?}");
    let totals = app
        .wait_text(
            "#bulk-totals",
            "the day before each appointment at 10:00, first on",
        )
        .await;
    assert!(
        totals.starts_with("3 messages, 3 segments, from Clinic,"),
        "{totals:?}"
    );
    let timing = app.text("#bulk-timing").await;
    assert!(
        timing.contains("The last goes on ")
            && timing.contains("Nothing is sent now: each goes at its time (Europe/Dublin time)"),
        "{timing:?}"
    );
    let left_out = app.text("#bulk-left-out").await;
    assert_eq!(
        left_out,
        "1 row is left out and will not be sent: 1 reminder time already passed."
    );
    // Each row's time; the row whose time has passed says so.
    let first_when = app.text("#bulk-rows tr:nth-child(1) .bulk-cell-when").await;
    let day_before = appointment_day(1);
    let short = day_before
        .rsplit_once(' ')
        .map_or(day_before.as_str(), |(d, _)| d);
    assert!(
        first_when.starts_with(&format!("{short}, 10:00 ")),
        "{first_when:?} is not the day before at 10:00 ({short})"
    );
    let past = app
        .text("#bulk-rows tr:nth-child(3) .bulk-cell-status")
        .await;
    assert!(
        past.starts_with("Left out:") && past.contains("has already passed"),
        "{past:?}"
    );
    assert!(app.is_displayed("#bulk-past").await);
    assert_eq!(
        app.text("#bulk-send-past-label").await,
        "Send the 1 reminder whose time has passed now"
    );
    assert_eq!(app.text("#bulk-send").await, "Schedule 3 reminders…");
    scroll_to(&app, "#bulk-preview").await;
    app.screenshot("bulk-timing.png", true).await;
    scroll_to(&app, "#bulk-table").await;
    app.screenshot("bulk-timing-rows.png", false).await;

    // Confirmed: scheduled, nothing sent.
    app.click("#bulk-send").await;
    app.wait_displayed("#bulk-confirm", true).await;
    let confirm = app.text("#bulk-confirm").await;
    assert!(
        confirm.contains("Schedule 3 reminders?")
            && confirm.contains("the day before each appointment at 10:00"),
        "{confirm:?}"
    );
    app.click("#bulk-confirm-send").await;
    app.wait_text("#bulk-file-result", "Scheduled: 3 reminders, first on")
        .await;
    app.wait_text("#bulk-job-done", "3 reminders wait for their time")
        .await;
    assert_eq!(sends(&sim), 0, "nothing is sent at scheduling time");

    // Under Scheduled: the list with its row count and rule, and the single message.
    app.click("#bulk-open-scheduled").await;
    app.wait_displayed("#view-scheduled", true).await;
    let listed = app
        .wait_text("#scheduled-list", "3 reminders from appointments.csv")
        .await;
    assert!(
        listed.contains("The day before each appointment at 10:00")
            && listed.contains("Next: tomorrow at 10:00")
            && listed.contains("To +1 201-555-0199"),
        "{listed:?}"
    );
    app.screenshot("scheduled.png", true).await;

    // Cancelled, the list never goes.
    let item = "#scheduled-list li.scheduled-item:not(.missed):nth-child(1)";
    let first = app.text(item).await;
    let list_item = if first.contains("appointments.csv") {
        item.to_owned()
    } else {
        "#scheduled-list li.scheduled-item:nth-child(2)".to_owned()
    };
    app.click(&format!("{list_item} [data-action='cancel']"))
        .await;
    app.wait_text(
        &format!("{list_item} .scheduled-confirm"),
        "Cancel these 3 reminders?",
    )
    .await;
    app.click(&format!("{list_item} [data-action='yes']")).await;
    app.wait_text(
        "#scheduled-result",
        "Cancelled: 3 reminders from appointments.csv will not be sent.",
    )
    .await;
    wait_until("the list to go", Duration::from_secs(20), || async {
        (!app
            .text("#scheduled-list")
            .await
            .contains("appointments.csv"))
        .then_some(())
    })
    .await;
    assert_eq!(sends(&sim), 0);
    app.close().await;
}
