//! Team desks (issue 13) against a real PostgreSQL: a throwaway cluster (`test-postgres`),
//! two desks on two data folders sharing it. Clocks are manual, so which change is newer is
//! decided by the test, not by the machine's timing.

use std::sync::Arc;
use std::time::Duration;

use octopods_sim::{Sim, SimConfig, PRACTICE_KEY};
use smsdesk::desk::Via;
use smsdesk::draft::Draft;
use smsdesk::time::ManualClock;
use smsdesk::UserError;
use test_postgres::Cluster;

use crate::TestDesk;

const STOPPED: &str = "+12015550123";
const OTHER: &str = "+12015550124";

fn hello(to: &str) -> Draft {
    Draft {
        to: to.into(),
        body: "Your appointment is tomorrow at 10:00.".into(),
        ..Draft::default()
    }
}

/// A desk whose clock starts at `at` (ms).
fn desk_at(clock: &Arc<ManualClock>) -> TestDesk {
    let clock = Arc::clone(clock);
    TestDesk::with(move |o| o.clock = clock)
}

async fn refused_code(t: &TestDesk, to: &str) -> Option<&'static str> {
    t.desk
        .send(Via::Active, hello(to), None, false)
        .await
        .err()
        .map(|e| UserError::from(e).code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opt_out_at_one_desk_blocks_a_send_at_the_other() {
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let clock = ManualClock::at(1_800_000_000_000);
    let (a, b) = (desk_at(&clock), desk_at(&clock));
    b.live(&sim, PRACTICE_KEY).await;
    a.desk.team_join(&url, "Front desk").await.expect("a joins");
    b.desk.team_join(&url, "Branch").await.expect("b joins");

    a.desk
        .add_opt_out(STOPPED, "Replied STOP", None, None)
        .await
        .expect("listed at a");
    let status = a.desk.team_status().await.expect("status");
    assert_eq!(status.pending, 0, "pushed at once: {status:?}");
    assert!(status.last_sync.is_some(), "{status:?}");

    // B's live send refreshes the team list first: refused, no request.
    assert_eq!(refused_code(&b, STOPPED).await, Some("opted_out"));
    assert!(sim.requests().is_empty(), "nothing reached Octopods");
    b.desk
        .send(Via::Active, hello(OTHER), None, false)
        .await
        .expect("another number goes");
    assert_eq!(sim.requests().len(), 1);

    // A desk's name is its own.
    let c = desk_at(&clock);
    let taken = c
        .desk
        .team_join(&url, "front DESK")
        .await
        .expect_err("taken");
    assert_eq!(UserError::from(taken).code, "team_desk_name_taken");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joining_merges_both_lists_and_the_later_change_wins() {
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let clock = ManualClock::at(1_800_000_000_000);
    let (a, b) = (desk_at(&clock), desk_at(&clock));
    a.desk
        .add_opt_out(STOPPED, "STOP at A", None, None)
        .await
        .expect("a");
    b.desk
        .add_opt_out(OTHER, "STOP at B", None, None)
        .await
        .expect("b");
    a.desk.team_join(&url, "A").await.expect("a joins");
    b.desk.team_join(&url, "B").await.expect("b joins");
    a.desk
        .team_sync(Duration::from_secs(5))
        .await
        .expect("a pulls");
    for t in [&a, &b] {
        let list: Vec<String> = t
            .desk
            .opt_outs("")
            .await
            .expect("list")
            .into_iter()
            .map(|e| e.number)
            .collect();
        assert!(
            list.contains(&STOPPED.to_owned()) && list.contains(&OTHER.to_owned()),
            "{list:?}"
        );
    }

    // B removes it (later); A's older addition does not bring it back.
    clock.advance(Duration::from_secs(60));
    assert!(b.desk.remove_opt_out(STOPPED, None).await.expect("removed"));
    b.desk
        .team_sync(Duration::from_secs(5))
        .await
        .expect("b pushes");
    a.desk
        .team_sync(Duration::from_secs(5))
        .await
        .expect("a pulls");
    assert!(
        a.desk.opt_outs(STOPPED).await.expect("list").is_empty(),
        "the explicit removal, newer, wins at A"
    );
    // A new STOP at A, later still, wins over the removal.
    clock.advance(Duration::from_secs(60));
    a.desk
        .add_opt_out(STOPPED, "Replied STOP again", None, None)
        .await
        .expect("again");
    a.desk
        .team_sync(Duration::from_secs(5))
        .await
        .expect("a pushes");
    b.desk
        .team_sync(Duration::from_secs(5))
        .await
        .expect("b pulls");
    assert_eq!(b.desk.opt_outs(STOPPED).await.expect("list").len(), 1);
    let removal = pg.psql(
        "clinic",
        "SELECT reason FROM smsdesk_optout_changes WHERE action = 'remove'",
    );
    assert_eq!(
        String::from_utf8_lossy(&removal.stdout).trim(),
        "Removed at B",
        "who removed it is recorded"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_offline_keeps_its_list_and_catches_up() {
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let clock = ManualClock::at(1_800_000_000_000);
    let (a, b) = (desk_at(&clock), desk_at(&clock));
    b.live(&sim, PRACTICE_KEY).await;
    a.desk.team_join(&url, "A").await.expect("a joins");
    b.desk.team_join(&url, "B").await.expect("b joins");
    b.desk
        .add_opt_out(OTHER, "STOP at B", None, None)
        .await
        .expect("b");
    b.desk
        .team_sync(Duration::from_secs(5))
        .await
        .expect("b pushes");

    pg.stop();
    // Offline: A records a STOP (queued), B still refuses its own cached entry and sends others.
    a.desk
        .add_opt_out(STOPPED, "Replied STOP", None, None)
        .await
        .expect("a, offline");
    let offline = a
        .desk
        .team_sync(Duration::from_secs(2))
        .await
        .expect_err("offline");
    assert_eq!(UserError::from(offline).code, "team_unreachable");
    assert_eq!(refused_code(&b, OTHER).await, Some("opted_out"));
    b.desk
        .send(Via::Active, hello(STOPPED), None, false)
        .await
        .expect("not known at B yet: sent on the last copy");

    pg.start();
    a.desk
        .team_sync(Duration::from_secs(5))
        .await
        .expect("a catches up");
    assert_eq!(
        refused_code(&b, STOPPED).await,
        Some("opted_out"),
        "b catches up before the send"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_repeated_after_a_kill_duplicates_nothing() {
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let clock = ManualClock::at(1_800_000_000_000);
    let a = desk_at(&clock);
    a.desk.team_join(&url, "A").await.expect("a joins");
    pg.stop();
    a.desk
        .add_opt_out(STOPPED, "STOP", None, None)
        .await
        .expect("a, offline");
    assert_eq!(
        a.desk.team_status().await.expect("status").pending,
        1,
        "queued"
    );
    pg.start();
    // The push reached the server, then the desk was killed before it cleared its outbox:
    // the same changes are pushed again.
    let store = a.store().await;
    let membership = store.team().expect("read").expect("joined");
    let outbox = store.team_outbox(&membership.desk_id).expect("outbox");
    let target = smsdesk::team::connection::Target::parse(&url).expect("url");
    let mut client = target
        .connect(Duration::from_secs(5))
        .await
        .expect("connect");
    let changes: Vec<_> = outbox.iter().map(|(_, c)| c.clone()).collect();
    smsdesk::team::server::push(&mut client, &changes)
        .await
        .expect("pushed once");
    a.desk
        .team_sync(Duration::from_secs(5))
        .await
        .expect("pushed again");
    let count = pg.psql("clinic", "SELECT count(*) FROM smsdesk_optout_changes");
    assert_eq!(String::from_utf8_lossy(&count.stdout).trim(), "1");
    assert_eq!(a.desk.team_status().await.expect("status").pending, 0);
}

/// A list of one row: `to`, with the message `hello` sends.
async fn list_of(t: &TestDesk, to: &str, send_repeats: bool) -> smsdesk::bulk::plan::Plan {
    use smsdesk::bulk::plan::{Columns, PlanOptions};
    use smsdesk::bulk::table::{read_table, ReadOptions};
    let text = format!("Mobile,Note\n{to},x\n");
    let table = read_table("list.csv", text.as_bytes(), &ReadOptions::default()).expect("table");
    let columns = Columns {
        phone: 0,
        name: None,
        fields: Default::default(),
        constants: Default::default(),
    };
    let template = smsdesk::templates::Compiled::new(&hello(to).body).expect("template");
    let options = PlanOptions {
        send_repeats,
        ..PlanOptions::default()
    };
    t.desk
        .plan_bulk_with(table, &template, columns, None, options)
        .await
        .expect("planned")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_history_answers_from_any_desk_and_a_list_leaves_out_a_double_reminder() {
    use smsdesk::states::RowOutcome;
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let clock = ManualClock::at(1_800_000_000_000);
    let (a, b) = (desk_at(&clock), desk_at(&clock));
    a.live(&sim, PRACTICE_KEY).await;
    b.live(&sim, PRACTICE_KEY).await;
    a.desk.team_join(&url, "Front desk").await.expect("a joins");
    b.desk.team_join(&url, "Branch").await.expect("b joins");

    b.desk
        .send(Via::Active, hello(OTHER), None, false)
        .await
        .expect("b sends");
    let synced = b
        .desk
        .team_sync(Duration::from_secs(5))
        .await
        .expect("b pushes");
    assert!(synced.sends_pushed >= 1, "{synced:?}");
    // The same sync repeated sends nothing twice to the server.
    b.desk
        .team_sync(Duration::from_secs(5))
        .await
        .expect("again");
    let rows = pg.psql("clinic", "SELECT count(*) FROM smsdesk_sends");
    assert_eq!(String::from_utf8_lossy(&rows.stdout).trim(), "1");
    let words = pg.psql(
        "clinic",
        "SELECT count(*) FROM smsdesk_sends s WHERE s::text LIKE '%appointment%'",
    );
    assert_eq!(
        String::from_utf8_lossy(&words.stdout).trim(),
        "0",
        "the words stay at the desk"
    );

    // A's list of the same message to the same number: left out, naming the desk.
    let plan = list_of(&a, OTHER, false).await;
    assert_eq!(plan.rows[0].outcome, RowOutcome::Duplicate, "{plan:?}");
    let problem = plan.rows[0].problem.clone().unwrap_or_default();
    assert!(problem.contains("\"Branch\" already sent"), "{problem}");
    assert_eq!(plan.messages, 0);
    // Sent anyway (the command line's contract): kept, with a warning.
    let plan = list_of(&a, OTHER, true).await;
    assert_eq!(plan.rows[0].outcome, RowOutcome::Pending);
    assert_eq!(plan.team_repeats.len(), 1, "{plan:?}");
    // Another number is not a repeat.
    let plan = list_of(&a, STOPPED, false).await;
    assert_eq!(plan.rows[0].outcome, RowOutcome::Pending);

    // "Did the patient get it?", answered at A.
    let seen = a
        .desk
        .team_history(Some("(201) 555-0124"), Some("US"), 10)
        .await
        .expect("history");
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].desk_name, "Branch");
    assert_eq!(seen[0].number, OTHER);
    assert_eq!(seen[0].outcome, "accepted");

    // As the window's History shows it: by number (in any format), not by words.
    let shown = a
        .desk
        .team_history_shown("+1 (201) 555-0124", 50)
        .await
        .expect("shown")
        .expect("in a team, a number");
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].desk, "Branch");
    assert_eq!(shown[0].shown_number, "+1 201-555-0124");
    assert_eq!(shown[0].state.as_str(), "accepted");
    let latest = a.desk.team_history_shown("", 10).await.expect("shown");
    assert!(
        latest.is_some_and(|l| l.iter().all(|s| s.desk == "Branch")),
        "only the other desks' sends"
    );
    assert_eq!(
        a.desk
            .team_history_shown("tomorrow", 10)
            .await
            .expect("shown"),
        None,
        "the words never left the branch: no answer to a search by text"
    );
    let alone = TestDesk::new();
    assert_eq!(
        alone.desk.team_history_shown("", 10).await.expect("shown"),
        None,
        "not in a team"
    );

    // A day later it is no longer a double reminder.
    clock.advance(Duration::from_secs(25 * 60 * 60));
    let plan = list_of(&a, OTHER, false).await;
    assert_eq!(plan.rows[0].outcome, RowOutcome::Pending);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_list_waits_for_a_confirmation_when_the_team_list_is_old() {
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let clock = ManualClock::at(1_800_000_000_000);
    let a = desk_at(&clock);
    a.live(&sim, PRACTICE_KEY).await;
    a.desk.team_join(&url, "Front desk").await.expect("a joins");
    let text = smsdesk::desk::bulk::JobText {
        body: hello(OTHER).body,
        ..Default::default()
    };
    let plan = list_of(&a, OTHER, false).await;
    a.desk
        .create_job(&Via::Active, "list.csv", &text, &plan, 1.0)
        .await
        .expect("fresh: the list is made");

    pg.stop();
    clock.advance(Duration::from_secs(61 * 60));
    let status = a.desk.team_status().await.expect("status");
    assert!(status.stale, "{status:?}");
    let plan = list_of(&a, STOPPED, false).await;
    let refused = a
        .desk
        .create_job(&Via::Active, "list.csv", &text, &plan, 1.0)
        .await
        .expect_err("old copy");
    let refused = UserError::from(refused);
    assert_eq!(refused.code, "team_list_stale");
    assert!(refused.message.contains("as of"), "{}", refused.message);
    // A single message still goes on the last copy.
    a.desk
        .send(Via::Active, hello(STOPPED), None, false)
        .await
        .expect("a single send goes");

    a.desk.confirm_stale_team_list().await.expect("confirmed");
    a.desk
        .create_job(&Via::Active, "list.csv", &text, &plan, 1.0)
        .await
        .expect("confirmed: the list is made");
    // The confirmation lasts the limit, not for ever.
    clock.advance(Duration::from_secs(61 * 60));
    let again = a
        .desk
        .create_job(&Via::Active, "list.csv", &text, &plan, 1.0)
        .await
        .expect_err("old again");
    assert_eq!(UserError::from(again).code, "team_list_stale");
    // Back online: synced, fresh.
    pg.start();
    a.desk
        .team_sync(Duration::from_secs(5))
        .await
        .expect("synced");
    assert!(!a.desk.team_status().await.expect("status").stale);
}
