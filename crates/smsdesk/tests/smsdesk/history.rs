//! The history against real SQLite in a temporary folder and the simulator over real HTTP:
//! migrations, the row written before the request, rows left by a dead process, a damaged
//! file, delivery tracking (and after a restart), the do-not-text list on the send path,
//! concurrent writers, search and export.

use std::sync::Arc;
use std::time::Duration;

use octopods::{Accepted, SendOutcome};
use octopods_sim::{Fault, Sim, SimConfig, HUBSPOT_KEY, PRACTICE_KEY};
use smsdesk::desk::Via;
use smsdesk::do_not_text::LocalList;
use smsdesk::draft::Draft;
use smsdesk::history::{Begun, Entry, Filter, NewMessage};
use smsdesk::outbox::{self, RetryPolicy, Route};
use smsdesk::report::SendReport;
use smsdesk::states::{Outcome, RowState, Tracking};
use smsdesk::store::{Store, DB_FILE, SCHEMA_VERSION};
use smsdesk::{Error, UserError};

use crate::{temp_history, TestDesk, MOBILE};

fn draft(to: &str) -> Draft {
    Draft {
        to: to.into(),
        body: "Your appointment is tomorrow at 10:00.".into(),
        name: "Jane Doe".into(),
        ..Draft::default()
    }
}

fn message(to: &str, name: &str, body: &str) -> NewMessage {
    NewMessage {
        to: to.into(),
        name: name.into(),
        body: body.into(),
        channel_id: "practice".into(),
        channel_name: "Practice".into(),
        practice: true,
        workspace: smsdesk::channels::Workspace::Intercom,
        ..NewMessage::default()
    }
}

/// Writes the `sending` row for `m`; returns its id.
fn begin(history: &Store, m: &NewMessage) -> i64 {
    match history.begin(m, &LocalList, true).expect("begin") {
        Begun::Sending(id) => id,
        other => panic!("not begun: {other:?}"),
    }
}

fn accepted(message_id: &str) -> SendReport {
    SendReport::new(
        &SendOutcome::Accepted(Accepted {
            http_status: 201,
            request_id: Some(format!("req-{message_id}")),
            message_id: Some(message_id.into()),
            phone_number: None,
            raw: serde_json::json!({"request_id": format!("req-{message_id}"), "message_id": message_id}),
        }),
        1,
    )
}

/// One row, as the list shows it.
fn entry(history: &Store, id: i64) -> Entry {
    history.get(id).expect("read").expect("row").entry
}

/// Every row, newest first.
fn all(history: &Store) -> Vec<Entry> {
    history
        .list(&Filter::default(), 0, 10_000)
        .expect("list")
        .entries
}

fn status(row: &Entry) -> Option<&str> {
    row.status.as_ref().map(|s| s.as_str())
}

#[test]
fn migrations_run_from_empty_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let history = Store::open(dir.path()).expect("new database");
    assert!(history.damaged().expect("read").is_none());
    assert!(all(&history).is_empty());
    drop(history);
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).expect("sqlite");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("version");
    assert_eq!(version, SCHEMA_VERSION, "every migration ran");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("journal mode");
    assert_eq!(mode, "wal");
    drop(conn);
    let again = Store::open(dir.path()).expect("reopened");
    assert!(
        again.damaged().expect("read").is_none(),
        "an up-to-date file is left alone"
    );
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    drop(Store::open(dir.path()).expect("create"));
    let path = dir.path().join(DB_FILE);
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.pragma_update(None, "user_version", 99).expect("bump");
    drop(conn);
    let err = Store::open(dir.path()).expect_err("too new");
    assert!(matches!(
        err,
        Error::HistoryTooNew {
            found: 99,
            known: SCHEMA_VERSION
        }
    ));
    assert_eq!(UserError::from(&err).code, "history_too_new");
    assert!(path.exists(), "not moved aside: it is not damaged");
}

#[test]
fn a_damaged_database_is_kept_and_a_new_one_begun() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(DB_FILE);
    std::fs::write(&path, b"this is not a database, it is a shopping list").expect("write");
    let history = Store::open(dir.path()).expect("opens anyway");
    let damaged = history
        .damaged()
        .expect("read")
        .expect("the damage is reported");
    assert_eq!(
        (damaged.recovered_opt_outs, damaged.recovered_messages),
        (None, None)
    );
    assert_eq!(
        std::fs::read(&damaged.kept_as).expect("the copy is kept"),
        b"this is not a database, it is a shopping list"
    );
    assert!(damaged.kept_as.contains("history.sqlite3.damaged-"));
    let id = begin(&history, &message(MOBILE, "Jane", "Hello"));
    assert_eq!(all(&history)[0].id, id);
}

#[test]
fn a_row_left_sending_by_a_process_that_is_gone_reads_unknown() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = Store::open(dir.path()).expect("open");
    let id = begin(&first, &message(MOBILE, "Jane", "Hello"));
    let second = Store::open(dir.path()).expect("a second process");
    assert_eq!(
        all(&second)[0].outcome,
        Outcome::Sending,
        "its owner is alive: still being sent"
    );
    drop(first); // the process ends without recording an outcome
    let row = &all(&second)[0];
    assert_eq!((row.id, row.outcome), (id, Outcome::Unknown));
    assert_eq!(row.state, RowState::Unknown);
    assert_eq!(row.summary, "Outcome unknown: it may have been sent");
    assert!(row
        .problem
        .as_deref()
        .is_some_and(|p| p.contains("stopped while sending")));
    let detail = second.get(id).expect("read").expect("the row");
    assert_eq!(detail.events.len(), 2, "sending, then the unknown outcome");
    assert_eq!(second.recover().expect("recover"), 0, "once only");
}

#[tokio::test]
async fn the_row_exists_while_the_request_is_in_flight() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    sim.push_fault(Fault::Latency(Duration::from_millis(800)));
    let (dir, history) = temp_history();
    let client = octopods::Client::new(
        &sim.base_url(),
        &octopods::ApiKey::new(PRACTICE_KEY).expect("key"),
    )
    .expect("client");
    let prepared = draft(MOBILE).prepare(None).expect("valid");
    let sending = tokio::spawn({
        let history = Arc::clone(&history);
        async move {
            let route = Route {
                client: &client,
                retry: &RetryPolicy::default(),
                sleeper: &smsdesk::time::TokioSleeper,
                list: Arc::new(LocalList),
                trackable: true,
                first_poll: Duration::ZERO,
                begun: &|_| {},
                pace: None,
            };
            outbox::send_recorded(
                &history,
                route,
                &prepared.request,
                message(MOBILE, "Jane", "Hello"),
                false,
            )
            .await
        }
    });
    while sim.requests().is_empty() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let other = Store::open(dir.path()).expect("another reader");
    assert_eq!(
        all(&other)[0].outcome,
        Outcome::Sending,
        "written before the answer"
    );
    let (report, id) = sending.await.expect("task").expect("sent");
    assert!(report.is_accepted());
    let row = other.get(id).expect("read").expect("row");
    assert_eq!(row.entry.outcome, Outcome::Accepted);
    assert_eq!(row.entry.tracking, Tracking::Active);
    assert!(row.raw_response.is_some_and(|r| r.contains("message_id")));
    assert_eq!(sim.requests().len(), 1);
}

#[tokio::test]
async fn delivery_is_tracked_to_the_end_and_failures_are_explained() {
    let t = TestDesk::new();
    let desk = &t.desk;
    let ok = desk
        .send(Via::Active, draft(MOBILE), None, false)
        .await
        .expect("sent");
    let fails = desk
        .send(Via::Active, draft("+12015550160"), None, false)
        .await
        .expect("sent");
    let history = t.store().await;
    let mut seen = Vec::new();
    for _ in 0..3 {
        assert_eq!(desk.poll_due().await.expect("poll"), 2);
        let row = entry(&history, ok.history_id);
        seen.push(status(&row).unwrap_or_default().to_owned());
    }
    assert_eq!(seen, ["queued", "sent", "delivered"]);
    assert_eq!(
        desk.poll_due().await.expect("poll"),
        0,
        "final statuses are not asked about again"
    );
    let delivered = history.get(ok.history_id).expect("read").expect("row");
    assert_eq!(
        (delivered.entry.state, delivered.entry.summary.as_str()),
        (RowState::Delivered, "Delivered")
    );
    assert_eq!(delivered.entry.tracking, Tracking::Done);
    assert!(delivered.raw_status.is_some());
    let whats: Vec<&str> = delivered.events.iter().map(|e| e.what.as_str()).collect();
    assert_eq!(
        whats,
        [
            "Sending",
            "Accepted by Octopods",
            "Delivery status: queued",
            "Delivery status: sent",
            "Delivery status: delivered"
        ]
    );
    let failed = entry(&history, fails.history_id);
    assert_eq!(failed.state, RowState::Failed);
    assert!(
        failed.summary.starts_with("Not delivered: "),
        "{}",
        failed.summary
    );
    assert!(failed.status_detail.is_some(), "the reason is kept");
}

#[tokio::test]
async fn tracking_resumes_after_a_restart() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let t = TestDesk::new();
    t.live(&sim, PRACTICE_KEY).await;
    let sent = t
        .desk
        .send(Via::Active, draft(MOBILE), None, false)
        .await
        .expect("sent");
    t.desk.poll_due().await.expect("poll");
    // The app closes with the message still "queued"; a new one opens the same folder.
    let after = t.again();
    assert_eq!(after.poll_due().await.expect("poll"), 1);
    assert_eq!(after.poll_due().await.expect("poll"), 1);
    let row = entry(&after.store().await.expect("store"), sent.history_id);
    assert_eq!(status(&row), Some("delivered"));
    let status_reads = sim.requests().iter().filter(|r| r.method == "GET").count();
    assert_eq!(status_reads, 3);
    assert_eq!(
        sim.requests().len(),
        4,
        "one send, three status reads: no resend"
    );
}

#[tokio::test]
async fn hubspot_and_restarted_practice_say_why_there_is_no_tracking() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let t = TestDesk::new();
    let channel = t.live(&sim, HUBSPOT_KEY).await;
    // The first send teaches the desk that this is a HubSpot workspace (no message id).
    let first = t
        .desk
        .send(Via::Active, draft(MOBILE), None, false)
        .await
        .expect("sent");
    let history = t.store().await;
    let row = entry(&history, first.history_id);
    assert_eq!(row.tracking, Tracking::Unavailable);
    assert_eq!(row.summary, "Accepted by Octopods (tracking not available)");

    let practice = t
        .desk
        .send(Via::Practice, draft("+12015550124"), None, false)
        .await
        .expect("practice send");
    t.desk.remove_channel(&channel).await.expect("removed");
    let restarted = t.again();
    restarted.poll_due().await.expect("poll");
    let row = entry(&history, practice.history_id);
    assert_eq!(row.tracking, Tracking::Stopped);
    assert!(
        row.summary
            .contains("tracked only while SMS Desk stays open"),
        "{}",
        row.summary
    );
}

#[tokio::test]
async fn a_number_on_the_do_not_text_list_is_refused_with_no_request() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let t = TestDesk::new();
    t.live(&sim, PRACTICE_KEY).await;
    t.desk
        .add_opt_out("+1 (201) 555-0123", "Replied STOP", None, None)
        .await
        .expect("listed");
    let err = t
        .desk
        .send(Via::Active, draft("+1 201 555 0123"), None, false)
        .await
        .expect_err("refused");
    let user = UserError::from(&err);
    assert_eq!(user.code, "opted_out");
    assert!(user
        .message
        .starts_with("+1 201-555-0123 is on the do-not-text list"));
    assert!(user.message.contains("Replied STOP"));
    assert!(sim.requests().is_empty(), "nothing reached Octopods");
    let history = t.store().await;
    let row = &all(&history)[0];
    assert_eq!(
        (row.outcome, row.state),
        (Outcome::Blocked, RowState::Blocked)
    );
    assert_eq!(row.problem.as_deref(), Some(user.message.as_str()));
    assert!(row
        .hint
        .as_deref()
        .is_some_and(|h| h.contains("asked not to be texted")));

    t.desk
        .remove_opt_out("+12015550123", None)
        .await
        .expect("removed");
    t.desk
        .send(Via::Active, draft(MOBILE), None, false)
        .await
        .expect("sent once removed");
    assert_eq!(sim.requests().len(), 1);
}

#[test]
fn two_writers_at_once_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let path = dir.path().to_owned();
            std::thread::spawn(move || {
                // Each thread is its own "process": its own connection and lock.
                let history = Store::open(&path).expect("open");
                (0..150)
                    .map(|i| {
                        let id = begin(
                            &history,
                            &message(MOBILE, &format!("w{w}"), &format!("m{i}")),
                        );
                        history
                            .finish(id, &accepted(&format!("{w}-{i}")), true, Duration::ZERO)
                            .expect("finish");
                        id
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut ids: Vec<i64> = writers
        .into_iter()
        .flat_map(|w| w.join().expect("writer"))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 450);
    let history = Store::open(dir.path()).expect("open");
    let rows = all(&history);
    assert_eq!(rows.len(), 450);
    assert!(rows.iter().all(|r| r.outcome == Outcome::Accepted));
}

#[test]
fn search_filters_pages_and_export() {
    let (_dir, history) = temp_history();
    let rows = [
        ("+12015550123", "Jane Doe", "Hi Jane, see you at 10:00."),
        ("+12015550124", "Bob", "=HYPERLINK(\"http://x\") 100% off_"),
        ("+353851234567", "Siobhán", "Dia duit 👋 — reminder"),
    ];
    let mut ids = Vec::new();
    for (to, name, body) in rows {
        let id = begin(&history, &message(to, name, body));
        ids.push(id);
    }
    history
        .finish(ids[0], &accepted("1"), true, Duration::ZERO)
        .expect("finish");
    let find = |search: &str| -> Vec<i64> {
        let filter = Filter {
            search: search.into(),
            ..Filter::default()
        };
        history
            .list(&filter, 0, 50)
            .expect("list")
            .entries
            .iter()
            .map(|e| e.id)
            .collect()
    };
    assert_eq!(find("(201) 555-0123"), [ids[0]], "a number in any format");
    assert_eq!(find("555 012"), [ids[1], ids[0]], "newest first");
    assert_eq!(find("jane"), [ids[0]], "name or text, any case");
    assert_eq!(find("100%"), [ids[1]], "% is literal");
    assert_eq!(find("0%"), [ids[1]]);
    assert_eq!(find("siobhán"), [ids[2]]);
    assert!(find("nobody").is_empty());

    let status = |s: &str| Filter {
        status: s.into(),
        ..Filter::default()
    };
    assert_eq!(
        history.list(&status("pending"), 0, 50).expect("list").total,
        1
    );
    assert_eq!(
        history.list(&status("sending"), 0, 50).expect("list").total,
        2
    );
    let page = history.list(&Filter::default(), 1, 1).expect("page");
    assert_eq!(
        (page.total, page.entries.len(), page.entries[0].id),
        (3, 1, ids[1])
    );
    let future = Filter {
        from: Some(smsdesk::time::now_ms() + 60_000),
        ..Filter::default()
    };
    assert_eq!(history.list(&future, 0, 50).expect("list").total, 0);

    let mut csv = Vec::new();
    assert_eq!(
        history
            .export_csv(&Filter::default(), &mut csv)
            .expect("export"),
        3
    );
    let text = String::from_utf8(csv).expect("utf-8");
    assert!(
        text.starts_with("\u{feff}Date,To,Name,Message,"),
        "BOM, then the header"
    );
    assert!(text.contains("Siobhán"));
    assert!(text.contains("👋"));
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://x\"\") 100% off_\""),
        "formula defused"
    );
    assert_eq!(text.matches("\r\n").count(), 4);
    let mut only_jane = Vec::new();
    let jane = Filter {
        search: "jane".into(),
        ..Filter::default()
    };
    assert_eq!(
        history.export_csv(&jane, &mut only_jane).expect("export"),
        1
    );
}

#[tokio::test]
async fn a_replaced_key_pauses_tracking_until_the_new_key_is_saved() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let t = TestDesk::new();
    let id = t.live(&sim, PRACTICE_KEY).await;
    let sent = t
        .desk
        .send(Via::Active, draft(MOBILE), None, false)
        .await
        .expect("sent");
    t.desk
        .set_channel_key(&id, octopods_sim::DEPRECATED_KEY)
        .await
        .expect("the key is replaced in Octopods, and the old one pasted by mistake");
    t.desk.poll_due().await.expect("poll");
    let history = t.store().await;
    let row = entry(&history, sent.history_id);
    assert_eq!(
        row.tracking,
        Tracking::Active,
        "error 5 is not the end of tracking"
    );
    assert_eq!(row.status, None);
    t.desk
        .set_channel_key(&id, PRACTICE_KEY)
        .await
        .expect("fixed");
    for _ in 0..3 {
        t.desk.poll_due().await.expect("poll");
    }
    let row = entry(&history, sent.history_id);
    assert_eq!(status(&row), Some("delivered"));
}

#[test]
fn what_can_be_read_from_a_damaged_file_is_carried_over() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let history = Store::open(dir.path()).expect("create");
        history
            .add_opt_out("+1 201 555 0199", "Replied STOP", None, None)
            .expect("listed");
        let id = begin(&history, &message(MOBILE, "Jane", "Hello"));
        history
            .finish(id, &accepted("7"), true, Duration::ZERO)
            .expect("finish");
    }
    // Damage the file: one index's page is overwritten with garbage (a bad sector, a crash
    // in the middle of a disk write), while the tables themselves can still be read.
    let path = dir.path().join(DB_FILE);
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    let (root, page_size): (u64, u64) = conn
        .query_row(
            "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master WHERE name = 'messages_to'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("root page");
    drop(conn);
    let mut bytes = std::fs::read(&path).expect("read");
    let start = usize::try_from((root - 1) * page_size).expect("offset");
    let end = start + usize::try_from(page_size).expect("size");
    bytes[start..end].fill(0xA5);
    std::fs::write(&path, bytes).expect("write");

    let history = Store::open(dir.path()).expect("opens anyway");
    let damaged = history
        .damaged()
        .expect("read")
        .expect("the damage is found");
    assert_eq!(damaged.recovered_opt_outs, Some(1), "{damaged:?}");
    assert_eq!(damaged.recovered_messages, Some(1), "{damaged:?}");
    assert!(
        history.opt_out_for("+12015550199").expect("read").is_some(),
        "the do-not-text list survives the damage"
    );
    let rows = all(&history);
    assert_eq!((rows.len(), rows[0].outcome), (1, Outcome::Accepted));
    assert_eq!(
        history
            .get(rows[0].id)
            .expect("read")
            .expect("row")
            .events
            .len(),
        2
    );
}
