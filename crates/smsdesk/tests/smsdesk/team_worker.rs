//! The worker's side of a team (issue 13), against a real PostgreSQL: it listens on the
//! team's server, so an opt-out made at another desk reaches this desk's list without a send
//! or a sync asked for; and it syncs by itself every minute, so what waited while the server
//! was away goes up once it is back. Clocks are manual and the worker's sleeper is stepped by
//! hand: nothing waits for a real minute.

use std::sync::Arc;
use std::time::Duration;

use smsdesk::time::ManualClock;
use smsdesk::worker::{Stop, Worker, TEAM_SYNC_EVERY};
use test_postgres::Cluster;

use crate::worker::StepSleeper;
use crate::TestDesk;

const STOPPED: &str = "+12015550123";
/// A guard against a hang only: each wait ends as soon as what it waits for happens.
const AT_MOST: Duration = Duration::from_secs(30);

async fn listed(t: &TestDesk, number: &str) -> bool {
    t.desk
        .opt_outs("")
        .await
        .expect("list")
        .iter()
        .any(|o| o.number == number)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opt_out_at_another_desk_reaches_a_listening_desk_by_itself() {
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let clock = ManualClock::at(1_800_000_000_000);
    let sleeper = Arc::new(StepSleeper::default());
    let a = {
        let clock = Arc::clone(&clock);
        TestDesk::with(move |o| o.clock = clock)
    };
    let b = {
        let (clock, sleeper) = (Arc::clone(&clock), Arc::clone(&sleeper));
        TestDesk::with(move |o| {
            o.clock = clock;
            o.sleeper = sleeper;
        })
    };
    a.desk.team_join(&url, "Front desk").await.expect("a joins");
    b.desk.team_join(&url, "Branch").await.expect("b joins");

    // B's worker: its first tick listens on the server and syncs; then it sleeps, and the
    // test never lets the sleeper go: only a word from the server wakes it.
    let worker = Worker::new(Arc::clone(&b.desk));
    let stop = Stop::new();
    let first_tick = sleeper.asleep.notified();
    let running = {
        let (worker, stop) = (Arc::clone(&worker), stop.clone());
        tokio::spawn(async move { worker.run(&stop, |e| panic!("tick failed: {e}")).await })
    };
    tokio::time::timeout(AT_MOST, first_tick)
        .await
        .expect("the first tick");
    assert!(!listed(&b, STOPPED).await);

    let next_tick = sleeper.asleep.notified();
    a.desk
        .add_opt_out(STOPPED, "Replied STOP", None, None)
        .await
        .expect("listed at a");
    tokio::time::timeout(AT_MOST, next_tick)
        .await
        .expect("b's worker woken by the server");
    assert!(
        listed(&b, STOPPED).await,
        "on b's list without a send or a sync asked for"
    );
    let status = b.desk.team_status().await.expect("status");
    assert_eq!(status.as_of.as_deref().map(str::len), Some(5), "{status:?}");

    stop.stop();
    tokio::time::timeout(AT_MOST, running)
        .await
        .expect("the worker ends when told")
        .expect("the worker's task");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_pushes_what_waited_once_the_server_is_back() {
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let clock = ManualClock::at(1_800_000_000_000);
    let a = {
        let clock = Arc::clone(&clock);
        TestDesk::with(move |o| o.clock = clock)
    };
    let b = {
        let clock = Arc::clone(&clock);
        TestDesk::with(move |o| o.clock = clock)
    };
    a.desk.team_join(&url, "A").await.expect("a joins");
    b.desk.team_join(&url, "B").await.expect("b joins");
    let worker = Worker::new(Arc::clone(&a.desk));
    // The first tick syncs (and listens).
    assert!(matches!(worker.sync_team().await, Some(Ok(_))));
    assert!(worker.sync_team().await.is_none(), "not due again yet");

    pg.stop();
    a.desk
        .add_opt_out(STOPPED, "Replied STOP", None, None)
        .await
        .expect("a, offline");
    assert_eq!(a.desk.team_status().await.expect("status").pending, 1);
    clock.advance(TEAM_SYNC_EVERY);
    let away = worker.sync_team().await.expect("due");
    assert_eq!(
        smsdesk::UserError::from(away.expect_err("server away")).code,
        "team_unreachable"
    );

    pg.start();
    clock.advance(TEAM_SYNC_EVERY / 2);
    assert!(
        worker.sync_team().await.is_none(),
        "tried again a minute later, not at once"
    );
    assert_eq!(a.desk.team_status().await.expect("status").pending, 1);
    clock.advance(TEAM_SYNC_EVERY / 2);
    let synced = worker.sync_team().await.expect("due").expect("back");
    assert_eq!(synced.pushed, 1);
    assert_eq!(a.desk.team_status().await.expect("status").pending, 0);
    b.desk
        .team_sync(Duration::from_secs(5))
        .await
        .expect("b syncs");
    assert!(listed(&b, STOPPED).await, "it reached the other desk");
}

#[tokio::test]
async fn a_desk_not_in_a_team_never_syncs() {
    let t = TestDesk::new();
    let worker = Worker::new(Arc::clone(&t.desk));
    assert!(worker.sync_team().await.is_none());
}
