//! What review found about integrity and at-most-once sending, each shown failing on the old
//! code: a lost do-not-text list after damage holds live sends back (for every opener, until
//! resolved); the list is checked inside the transaction that writes the row; a store that
//! cannot be opened is an error, not a wait; a message whose outcome was unknown is not sent
//! again without a person confirming.

use std::sync::atomic::{AtomicBool, Ordering};

use octopods_sim::{Fault, Sim, SimConfig, PRACTICE_KEY};
use rusqlite::Connection;
use smsdesk::desk::Via;
use smsdesk::do_not_text::{DoNotText, LocalList, OptOut};
use smsdesk::draft::Draft;
use smsdesk::history::{Begun, NewMessage};
use smsdesk::states::Outcome;
use smsdesk::store::{Store, DB_FILE};
use smsdesk::{Error, UserError};

use crate::{TestDesk, MOBILE};

fn draft(to: &str) -> Draft {
    Draft {
        to: to.into(),
        body: "See you tomorrow at 10:00.".into(),
        ..Draft::default()
    }
}

/// A desk on a folder whose history file is not a database at all: nothing could be carried
/// over, the do-not-text list included.
async fn after_total_damage(sim: &Sim) -> TestDesk {
    let t = TestDesk::new();
    std::fs::write(t.dir.path().join(DB_FILE), b"a shopping list").expect("write");
    t.live(sim, PRACTICE_KEY).await;
    t
}

#[tokio::test]
async fn a_lost_do_not_text_list_holds_live_sends_until_it_is_confirmed() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let t = after_total_damage(&sim).await;
    let err = t
        .desk
        .send(Via::Active, draft(MOBILE), None, false)
        .await
        .expect_err("held back");
    assert!(matches!(err, Error::OptOutsIncomplete));
    assert_eq!(UserError::from(&err).code, "opt_outs_incomplete");
    assert!(sim.requests().is_empty(), "nothing reached Octopods");
    t.desk
        .send(Via::Practice, draft(MOBILE), None, false)
        .await
        .expect("practice texts nobody, so it goes on");

    // Another process (the command line, the app started later) knows it too.
    let later = t.again();
    assert!(matches!(
        later
            .send(
                Via::SavedChannel { base_url: None },
                draft(MOBILE),
                None,
                false
            )
            .await,
        Err(Error::OptOutsIncomplete)
    ));
    let notices = later.notices().await;
    assert!(
        notices.iter().any(|n| n.code == "opt_outs_incomplete"),
        "{notices:?}"
    );
    assert!(
        !later
            .dismiss_notice("opt_outs_incomplete")
            .await
            .expect("dismiss"),
        "it cannot be dismissed away"
    );

    assert!(later.confirm_opt_outs_complete().await.expect("confirmed"));
    assert!(!later
        .notices()
        .await
        .iter()
        .any(|n| n.code == "opt_outs_incomplete"));
    t.desk
        .send(Via::Active, draft(MOBILE), None, false)
        .await
        .expect("live sends go on");
    assert_eq!(sim.requests().len(), 1);
}

#[tokio::test]
async fn importing_the_list_again_resolves_it() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let t = after_total_damage(&sim).await;
    let file = t.dir.path().join("exported list.csv");
    std::fs::write(&file, "Number,Reason\n+12015550199,Replied STOP\n").expect("write");
    let report = t.desk.import_opt_outs(&file, None).await.expect("imported");
    assert_eq!(report.added, 1);
    t.desk
        .send(Via::Active, draft(MOBILE), None, false)
        .await
        .expect("live sends go on");
    assert!(matches!(
        t.desk
            .send(Via::Active, draft("+12015550199"), None, false)
            .await,
        Err(Error::OptedOut { .. })
    ));
}

/// A list whose lookup, like another process at the worst moment, tries to add a STOP while
/// the send is between its check and its row.
struct RacingStop {
    db: std::path::PathBuf,
    tried: AtomicBool,
    got_in: AtomicBool,
}

impl DoNotText for RacingStop {
    fn lookup(&self, conn: &Connection, e164: &str) -> smsdesk::Result<Option<OptOut>> {
        let other = Connection::open(&self.db).expect("another process's connection");
        other
            .busy_timeout(std::time::Duration::ZERO)
            .expect("no waiting");
        let added = other.execute(
            "INSERT INTO optouts (number, reason, added_at) VALUES (?1, 'Replied STOP', 0)",
            [e164],
        );
        self.tried.store(true, Ordering::SeqCst);
        self.got_in.store(added.is_ok(), Ordering::SeqCst);
        LocalList.lookup(conn, e164)
    }
}

#[test]
fn a_stop_from_another_process_cannot_fall_between_the_check_and_the_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open");
    let racing = RacingStop {
        db: dir.path().join(DB_FILE),
        tried: AtomicBool::new(false),
        got_in: AtomicBool::new(false),
    };
    let message = NewMessage {
        to: MOBILE.into(),
        body: "Hello".into(),
        channel_id: "practice".into(),
        channel_name: "Practice".into(),
        ..NewMessage::default()
    };
    let begun = store.begin(&message, &racing, false).expect("begin");
    assert!(racing.tried.load(Ordering::SeqCst));
    assert!(
        !racing.got_in.load(Ordering::SeqCst),
        "the other writer must wait until the row is written: check and row are one transaction"
    );
    assert!(matches!(begun, Begun::Sending(_)));
    // Once the row is written, the STOP goes in and the next send is refused.
    store
        .add_opt_out(MOBILE, "Replied STOP", None, None)
        .expect("listed");
    assert!(matches!(
        store.begin(&message, &LocalList, true).expect("begin"),
        Begun::Blocked { .. }
    ));
}

#[tokio::test]
async fn a_store_that_cannot_be_opened_is_an_error_not_a_wait() {
    let parent = tempfile::tempdir().expect("temp dir");
    let not_a_folder = parent.path().join("file");
    std::fs::write(&not_a_folder, "").expect("write");
    let desk = smsdesk::desk::Desk::new(smsdesk::desk::DeskOptions::new(
        &not_a_folder,
        smsdesk::secrets::KeyStore::in_memory(),
    ));
    let err = desk
        .send(Via::Practice, draft(MOBILE), None, false)
        .await
        .expect_err("no history, no send");
    assert_eq!(UserError::from(&err).code, "history_unavailable");
    assert!(desk.history(Default::default(), 0, 10).await.is_err());
    let notices = desk.notices().await;
    assert_eq!(notices[0].code, "history_unavailable", "{notices:?}");
}

#[tokio::test]
async fn an_unknown_outcome_is_not_sent_again_without_a_confirmation() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let t = TestDesk::new();
    t.live(&sim, PRACTICE_KEY).await;
    sim.push_fault(Fault::ServerError);
    let first = t
        .desk
        .send(Via::Active, draft(MOBILE), None, false)
        .await
        .expect("sent, outcome unknown");
    assert_eq!(first.report.outcome, Outcome::Unknown);
    let mut again = draft(MOBILE);
    again.body.push('\n'); // Enter in the message box
    let err = t
        .desk
        .send(Via::Active, again.clone(), None, false)
        .await
        .expect_err("asks first");
    assert!(matches!(err, Error::MaybeSent { previous, .. } if previous == first.history_id));
    assert_eq!(UserError::from(&err).code, "maybe_sent");
    assert_eq!(sim.requests().len(), 1, "no second request");
    t.desk
        .send(Via::Active, draft("+12015550124"), None, false)
        .await
        .expect("another number is another message");
    t.desk
        .send(Via::Active, again, None, true)
        .await
        .expect("sent once the person confirmed");
    assert_eq!(sim.requests().len(), 3);
}
