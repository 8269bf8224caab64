//! Settings › Team in the window (issue 13), against a real throwaway PostgreSQL: a
//! connection that cannot be made is explained, "Test connection" says what is there, a desk
//! joins by name, and then every screen says how old the team list is. Another desk (a second
//! SMS Desk on its own data folder, in this process) adds a STOP: it appears on this window's
//! Do not text screen by itself, through the server's LISTEN/NOTIFY, and its send appears in
//! History under the other desks (its words do not). With the server gone and
//! the copy older than the limit, the line turns into a warning, and a live list waits until
//! the person confirms it may go on this copy.

use std::sync::Arc;
use std::time::Duration;

use octopods_sim::{Sim, SimConfig, PRACTICE_KEY};
use smsdesk::desk::{Desk, DeskOptions, Via};
use smsdesk::draft::Draft;
use smsdesk::secrets::KeyStore;
use smsdesk::templates::TemplateDraft;
use test_postgres::Cluster;

use crate::bulk::{open_list, pick, save_business, set_country};
use crate::channels::add_channel;
use crate::harness::{serial, wait_until, App};
use crate::history::open_history;

const STOPPED: &str = "+12015550188";
const BRANCH_PATIENT: &str = "+12015550177";
const CONFIRMATION: &str = "starter-confirmation";
const LIST: &str = "First name,Mobile,Date,Time\n\
Ann,+1 201 555 0123,Tue 2 Dec,9:00\n\
Bob,+1 201 555 0124,Tue 2 Dec,9:30\n";

/// A second desk: its own data folder and in-memory keychain.
fn other_desk(dir: &std::path::Path) -> Arc<Desk> {
    let keys = KeyStore::in_memory().expect("memory keychain");
    Arc::new(Desk::new(DeskOptions::new(dir, Ok(keys))))
}

/// Waits until the words of `css` (its `textContent`: a heading's capitals and a row cut with
/// an ellipsis are as written) contain `needle`; returns them.
async fn wait_words(app: &App, css: &str, needle: &str) -> String {
    let script = format!("return document.querySelector({css:?})?.textContent ?? '';");
    wait_until(
        &format!("{css} to say {needle:?}"),
        Duration::from_secs(20),
        || async {
            let words = app.client.execute(&script, vec![]).await.ok()?;
            let words = words
                .as_str()?
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            words.contains(needle).then_some(words)
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_joins_in_settings_and_every_screen_says_how_old_the_team_list_is() {
    let _one_at_a_time = serial().await;
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let scratch = tempfile::tempdir().expect("temp dir");
    let csv = scratch.path().join("tuesday.csv");
    std::fs::write(&csv, LIST).expect("the list");
    let app = App::launch_with(&[
        ("SMSDESK_KEYSTORE", "memory"),
        (
            "SMSDESK_TEST_FILE_DIALOG",
            csv.to_str().expect("UTF-8 path"),
        ),
    ])
    .await;
    set_country(&app, "US").await;
    save_business(&app, "Main Street Clinic", "1 Main Street").await;
    add_channel(&app, "Main number", PRACTICE_KEY, &sim).await;
    assert!(!app.is_displayed("#team-banner").await, "not in a team");

    // A server that does not answer is explained; nothing is joined.
    app.click("#nav-settings").await;
    app.type_into(
        "#team-connection",
        "postgresql://desk@127.0.0.1:1/clinic?sslmode=disable",
    )
    .await;
    app.click("#team-test").await;
    app.wait_text("#team-result", "Could not connect").await;

    // The right one: what is there, changing nothing.
    app.type_into("#team-connection", &url).await;
    app.click("#team-test").await;
    let said = app
        .wait_text("#team-result", "Connected to PostgreSQL")
        .await;
    assert!(said.contains("No desk has joined yet"), "{said:?}");
    app.click("#team-join").await;
    app.wait_text("#team-result", "Give this desk a name").await;
    assert_eq!(app.focused_id().await, "team-desk-name");

    app.type_into("#team-desk-name", "Front desk").await;
    app.click("#team-join").await;
    app.wait_text("#team-result", "Joined the team as Front desk.")
        .await;
    app.wait_displayed("#team-joined", true).await;
    assert_eq!(app.text("#team-desk").await, "Front desk");
    assert!(app.text("#team-server").await.contains("/clinic"));
    assert!(!app.is_displayed("#team-join-form").await);
    assert_eq!(
        app.value("#team-connection").await,
        "",
        "the string left the page"
    );
    let banner = app.wait_text("#team-banner", "Team list as of").await;
    assert!(banner.contains("shared with the other desks"), "{banner:?}");
    app.screenshot("settings-team.png", true).await;

    // Another desk joins and records a STOP: it reaches this window's list by itself.
    let other_dir = tempfile::tempdir().expect("temp dir");
    let other = other_desk(other_dir.path());
    other
        .team_join(&url, "Branch")
        .await
        .expect("the branch joins");
    app.click("#nav-optouts").await;
    other
        .add_opt_out(STOPPED, "Replied STOP at the branch", None, None)
        .await
        .expect("listed at the branch");
    app.wait_text("#optout-list", "Replied STOP at the branch")
        .await;
    assert!(app.is_displayed("#team-banner").await, "on every screen");

    // The branch sends a reminder: History here shows it under the other desks, by itself,
    // and a search for the number says what the branch sent it (not its words).
    open_history(&app).await;
    let channel = other
        .add_channel("Branch number", PRACTICE_KEY, &sim.base_url())
        .await
        .expect("the branch's channel");
    other
        .set_active_channel(&channel)
        .await
        .expect("active at the branch");
    other
        .send(
            Via::Active,
            Draft {
                to: BRANCH_PATIENT.into(),
                body: "Private words of the branch".into(),
                ..Draft::default()
            },
            None,
            false,
        )
        .await
        .expect("sent at the branch");
    other
        .team_sync(Duration::from_secs(10))
        .await
        .expect("the branch syncs");
    wait_words(&app, "#history-team", "Latest from other desks").await;
    app.type_into("#history-search", "201 555 0177").await;
    let theirs = wait_words(
        &app,
        "#history-team",
        "Sent to this number from other desks",
    )
    .await;
    assert!(theirs.contains("from Branch"), "{theirs:?}");
    assert!(theirs.contains("+1 201-555-0177"), "{theirs:?}");
    assert!(!theirs.contains("Private words"), "{theirs:?}");
    app.screenshot("history-other-desks.png", true).await;
    app.type_into("#history-search", "").await;

    // The server is away while both desks change the same template: once it is back, the
    // later edit (the branch's) is kept, this desk's is kept as a copy, and a notice says so.
    pg.stop();
    app.click("#nav-templates").await;
    app.click(&format!(
        "#template-list li[data-id='{CONFIRMATION}'] [data-action='edit']"
    ))
    .await;
    app.type_into("#tpl-name", "Confirmation (front desk)")
        .await;
    app.click("#save-template").await;
    app.wait_text("#templates-result", "saved.").await;
    let theirs = TemplateDraft {
        name: "Confirmation (branch)".into(),
        body: "{{business_name}}: see you on {{date}} at {{time}}.".into(),
        open_conversation: false,
        teammate_id: None,
    };
    other
        .save_template(Some(CONFIRMATION.into()), theirs)
        .await
        .expect("edited at the branch, offline");
    pg.start();
    other
        .team_sync(Duration::from_secs(10))
        .await
        .expect("the branch syncs first");
    app.click("#nav-settings").await;
    app.click("#team-sync").await;
    app.wait_text("#team-result", "The team list is up to date.")
        .await;
    let told = app.wait_text("#notices", "and this desk changed").await;
    assert!(told.contains("Front desk's version"), "{told:?}");
    app.click("#nav-templates").await;
    let list = app
        .wait_text("#template-list", "Confirmation (branch)")
        .await;
    assert!(
        list.contains("Confirmation (front desk) (Front desk's version)"),
        "{list:?}"
    );
    app.screenshot("team-crossing.png", true).await;

    // The server goes away, and this desk's copy is two hours old: every screen warns.
    pg.stop();
    let db = app.data_dir().join(smsdesk::store::DB_FILE);
    let two_hours_ago = smsdesk::time::now_ms() - 2 * 60 * 60 * 1000;
    let conn = rusqlite::Connection::open(&db).expect("the app's store");
    conn.busy_timeout(Duration::from_secs(10))
        .expect("busy timeout");
    conn.execute(
        "UPDATE config SET value = json_set(value, '$.last_sync', ?1) WHERE key = 'team'",
        [two_hours_ago],
    )
    .expect("an old copy");
    drop(conn);
    app.click("#nav-bulk").await;
    let warning = app.wait_text("#team-banner", "older than 60 minutes").await;
    assert!(warning.contains("cannot reach the team"), "{warning:?}");

    // A live list waits for a confirmation; confirmed, it starts.
    open_list(&app).await;
    pick(&app, "#bulk-map-first_name", "0").await;
    pick(&app, "#bulk-map-date", "2").await;
    pick(&app, "#bulk-map-time", "3").await;
    app.click("#bulk-preview-go").await;
    app.wait_text("#bulk-totals", "2 messages").await;
    app.click("#bulk-send").await;
    app.wait_displayed("#bulk-confirm", true).await;
    app.click("#bulk-confirm-send").await;
    let refused = app
        .wait_text(
            "#bulk-send-result",
            "The list was not started: the team list is old",
        )
        .await;
    assert!(
        refused.contains("Send it on this copy anyway"),
        "{refused:?}"
    );
    assert!(!app.is_displayed("#bulk-job").await, "nothing started");
    app.screenshot("team-list-old.png", true).await;
    app.click("#team-confirm-stale").await;
    app.wait_displayed("#bulk-job", true).await;
    app.wait_text("#team-banner", "go on this copy, as you confirmed")
        .await;
    wait_until("both reminders to go", Duration::from_secs(30), || async {
        (sim.requests().len() >= 3).then_some(())
    })
    .await;
    assert_eq!(
        sim.requests().len(),
        3,
        "the branch's one, and each reminder once"
    );
    app.close().await;
}
