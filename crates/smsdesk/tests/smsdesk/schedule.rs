//! Sending later (issue 10), on an injected clock: a scheduled message goes at its time (at the
//! worker's next tick) and once; a time missed while nothing ran waits for a person; the clock
//! may jump either way; a restart or a second worker never sends twice; quiet hours hold a list
//! at their end and let it go on in the morning; reminder times follow the calendar across
//! summer time; a list cancelled while one of its reminders is on its way records that one's
//! answer and sends no more.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use octopods_sim::{Fault, Sim, SimConfig, PRACTICE_KEY};
use smsdesk::bulk::plan::{Columns, Plan};
use smsdesk::bulk::table::{read_table, ReadOptions};
use smsdesk::bulk::timing::{self, When};
use smsdesk::desk::bulk::JobText;
use smsdesk::desk::schedule::SchedulingSettings;
use smsdesk::desk::{Desk, DeskOptions, Via};
use smsdesk::draft::Draft;
use smsdesk::schedule::Lead;
use smsdesk::states::{JobState, RowOutcome};
use smsdesk::templates::Compiled;
use smsdesk::time::{InstantSleeper, ManualClock};
use smsdesk::worker::Worker;
use smsdesk::Error;

use crate::{TestDesk, MOBILE, NO_WAIT};

fn utc(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>()
        .expect("timestamp")
        .as_millisecond()
}

/// Messages the simulator was asked to send (delivery questions are not counted).
fn sends(sim: &Sim) -> usize {
    sim.requests().iter().filter(|r| r.method == "POST").count()
}

/// Every message in History (newest first).
async fn history(t: &TestDesk) -> Vec<smsdesk::history::Entry> {
    t.store()
        .await
        .list(&smsdesk::history::Filter::default(), 0, 1_000)
        .expect("history")
        .entries
}

/// Tells the test when a job changed, so it waits for the worker's task without sleeping.
#[derive(Default)]
struct JobWatch(tokio::sync::Notify);

impl smsdesk::events::Events for JobWatch {
    fn changed(&self, change: smsdesk::events::Change) {
        if change.kind == smsdesk::events::ChangeKind::Job {
            self.0.notify_waiters();
        }
    }
}

/// A clinic in `zone` on a clock set at `now`, with a live channel at the simulator.
struct Clinic {
    t: TestDesk,
    clock: Arc<ManualClock>,
    watch: Arc<JobWatch>,
}

async fn clinic(sim: &Sim, zone: &str, now: &str) -> Clinic {
    let clock = ManualClock::at(utc(now));
    let sleeper = InstantSleeper::new(Arc::clone(&clock));
    let watch = Arc::new(JobWatch::default());
    let (c, w) = (Arc::clone(&clock), Arc::clone(&watch));
    let t = TestDesk::with(move |o| {
        o.clock = c;
        o.sleeper = sleeper;
        o.events = w;
    });
    t.live(sim, PRACTICE_KEY).await;
    t.desk
        .save_scheduling(SchedulingSettings {
            time_zone: Some(zone.to_owned()),
            ..SchedulingSettings::default()
        })
        .await
        .expect("scheduling saved");
    Clinic { t, clock, watch }
}

impl Clinic {
    /// Another desk on the same folder and clock: SMS Desk started again, or a second process.
    fn again(&self) -> Arc<Desk> {
        let mut options = DeskOptions::new(self.t.dir.path(), Ok(self.t.keys.clone()));
        options.poll = NO_WAIT;
        options.clock = Arc::clone(&self.clock) as _;
        options.sleeper = InstantSleeper::new(Arc::clone(&self.clock));
        options.events = Arc::clone(&self.watch) as _;
        Arc::new(Desk::new(options))
    }

    fn set(&self, at: &str) {
        self.clock.set(utc(at));
    }

    async fn schedule(&self, at: &str) -> i64 {
        let draft = Draft {
            to: MOBILE.to_owned(),
            body: "Your appointment is tomorrow at 10:00.".to_owned(),
            ..Draft::default()
        };
        self.t
            .desk
            .schedule_message(Via::Active, draft, None, utc(at))
            .await
            .expect("scheduled")
            .id
    }

    async fn row(&self, id: i64) -> RowOutcome {
        let rows = self.t.store().await.job_rows(id).expect("rows");
        rows[0].outcome
    }
}

/// One tick of `worker`, then waits until the jobs it started are done (the worker sends on
/// tasks of its own). `_id` names the job the test is about, for the reader.
async fn tick_and_settle(worker: &Worker, _desk: &Desk, watch: &JobWatch, _id: i64) {
    worker.tick().await.expect("tick");
    while worker.sending() > 0 {
        let changed = watch.0.notified();
        if worker.sending() == 0 {
            break;
        }
        // A job's task tells each row it finishes; the timeout only guards the last one.
        let _ = tokio::time::timeout(Duration::from_millis(20), changed).await;
    }
}

#[tokio::test]
async fn a_message_scheduled_for_a_time_goes_at_that_time_and_once() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let c = clinic(&sim, "Europe/Dublin", "2026-12-02T09:00:00Z").await;
    let id = c.schedule("2026-12-02T10:00:00Z").await;
    assert_eq!(sends(&sim), 0, "nothing is sent at scheduling time");
    let worker = Worker::new(Arc::clone(&c.t.desk));

    c.set("2026-12-02T09:59:59Z");
    tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;
    assert_eq!(sends(&sim), 0, "not a second early");
    assert_eq!(c.row(id).await, RowOutcome::Scheduled);

    c.set("2026-12-02T10:00:00Z");
    tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;
    assert_eq!(sends(&sim), 1, "sent at its time");
    assert_eq!(c.row(id).await, RowOutcome::Accepted);
    let job = c.t.desk.job(id).await.expect("job");
    assert_eq!(job.state, JobState::Done);
    assert!(c.t.desk.scheduled().await.expect("list").is_empty());

    for later in ["2026-12-02T10:00:05Z", "2026-12-02T11:00:00Z"] {
        c.set(later);
        tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;
    }
    assert_eq!(sends(&sim), 1, "never twice");
    assert_eq!(history(&c.t).await.len(), 1, "one row in History");
}

#[tokio::test]
async fn a_time_missed_while_nothing_ran_waits_for_a_person() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let c = clinic(&sim, "Europe/Dublin", "2026-12-02T09:00:00Z").await;
    let late = c.schedule("2026-12-02T10:00:00Z").await;
    let in_grace = c.schedule("2026-12-02T10:10:00Z").await;
    // The computer was off from 09:00 to 10:16; the grace period is 15 minutes.
    c.set("2026-12-02T10:16:00Z");
    let worker = Worker::new(Arc::clone(&c.t.desk));
    tick_and_settle(&worker, &c.t.desk, &c.watch, in_grace).await;
    assert_eq!(
        c.row(late).await,
        RowOutcome::Missed,
        "16 minutes late: not by itself"
    );
    assert_eq!(
        c.row(in_grace).await,
        RowOutcome::Accepted,
        "6 minutes late: still sent"
    );
    assert_eq!(sends(&sim), 1);
    let waiting = c.t.desk.scheduled().await.expect("list");
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].id, late);
    assert_eq!(waiting[0].missed_at, Some(utc("2026-12-02T10:00:00Z")));

    c.set("2026-12-02T12:00:00Z");
    tick_and_settle(&worker, &c.t.desk, &c.watch, late).await;
    assert_eq!(sends(&sim), 1, "a missed message never goes by itself");

    c.t.desk.send_scheduled_now(late).await.expect("send now");
    tick_and_settle(&worker, &c.t.desk, &c.watch, late).await;
    assert_eq!(c.row(late).await, RowOutcome::Accepted);
    assert_eq!(sends(&sim), 2);
}

#[tokio::test]
async fn a_missed_message_can_be_rescheduled_or_cancelled() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let c = clinic(&sim, "Europe/Dublin", "2026-12-02T09:00:00Z").await;
    let moved = c.schedule("2026-12-02T10:00:00Z").await;
    let dropped = c.schedule("2026-12-02T10:00:00Z").await;
    c.set("2026-12-02T11:00:00Z");
    let worker = Worker::new(Arc::clone(&c.t.desk));
    tick_and_settle(&worker, &c.t.desk, &c.watch, moved).await;
    assert_eq!(c.row(moved).await, RowOutcome::Missed);

    let past =
        c.t.desk
            .reschedule(moved, utc("2026-12-02T10:30:00Z"))
            .await;
    assert!(matches!(past, Err(Error::Time(_))), "{past:?}");
    // 22:00 is in quiet hours: it goes at 08:00 the next morning, and says so.
    let again =
        c.t.desk
            .reschedule(moved, utc("2026-12-02T22:00:00Z"))
            .await
            .expect("rescheduled");
    assert_eq!(again.at, utc("2026-12-03T08:00:00Z"));
    assert!(again.moved);
    assert_eq!(again.at_shown, "Thu 3 Dec 2026, 08:00 GMT");
    c.t.desk.cancel_scheduled(dropped).await.expect("cancelled");
    assert!(matches!(
        c.t.desk.cancel_scheduled(dropped).await,
        Err(Error::NotScheduled(_))
    ));

    c.set("2026-12-03T08:00:00Z");
    tick_and_settle(&worker, &c.t.desk, &c.watch, moved).await;
    assert_eq!(c.row(moved).await, RowOutcome::Accepted);
    assert_eq!(
        c.row(dropped).await,
        RowOutcome::NotSent,
        "a cancelled one never goes"
    );
    assert_eq!(sends(&sim), 1);
}

#[tokio::test]
async fn the_clock_going_back_sends_nothing_early_and_nothing_twice() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let c = clinic(&sim, "America/New_York", "2026-12-02T14:00:00Z").await;
    let id = c.schedule("2026-12-02T15:00:00Z").await;
    let worker = Worker::new(Arc::clone(&c.t.desk));
    c.set("2026-12-02T14:30:00Z");
    tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;
    // Someone sets the clock back an hour and a half, then it comes right.
    c.set("2026-12-02T13:00:00Z");
    tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;
    assert_eq!(sends(&sim), 0);
    c.set("2026-12-02T15:00:00Z");
    tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;
    assert_eq!(sends(&sim), 1);
    c.set("2026-12-02T14:00:00Z");
    tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;
    c.set("2026-12-02T15:00:01Z");
    tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;
    assert_eq!(sends(&sim), 1, "sent once, whatever the clock did");
}

#[tokio::test]
async fn after_a_restart_and_with_two_workers_it_is_sent_once() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let c = clinic(&sim, "Europe/Dublin", "2026-12-02T09:00:00Z").await;
    let id = c.schedule("2026-12-02T10:00:00Z").await;
    // SMS Desk closed and opened again; a second process (smsdesk worker) on the same folder.
    let (app, headless) = (c.again(), c.again());
    let first = Worker::new(Arc::clone(&app));
    let second = Worker::new(Arc::clone(&headless));
    c.set("2026-12-02T10:00:00Z");
    for _ in 0..3 {
        tick_and_settle(&first, &app, &c.watch, id).await;
        tick_and_settle(&second, &headless, &c.watch, id).await;
    }
    assert_eq!(sends(&sim), 1, "one worker per data folder sends it");
    assert_eq!(c.row(id).await, RowOutcome::Accepted);
}

const LIST: &str = "Name,Mobile,Date,Time\n\
    Aoife,+1 201 555 0101,2026-12-03,09:30\n\
    Seán,+1 201 555 0102,2026-12-03,11:00\n\
    Zoë,+1 201 555 0103,2026-12-03,14:00\n\
    José,+1 201 555 0104,2026-12-03,16:00\n";

async fn list_plan(c: &Clinic, csv: &str, when: &When) -> Plan {
    let table = read_table("list.csv", csv.as_bytes(), &ReadOptions::default()).expect("csv");
    let template = Compiled::new("Hi {{name}}, see you at {{time}}.").expect("template");
    let columns = Columns {
        phone: 1,
        name: Some(0),
        fields: BTreeMap::from([("name".to_owned(), 0), ("time".to_owned(), 3)]),
        constants: BTreeMap::new(),
    };
    let mut plan =
        c.t.desk
            .plan_bulk(table.clone(), &template, columns, None, false)
            .await
            .expect("planned");
    let clinic = c.t.desk.clinic().await.expect("clinic");
    timing::apply(&mut plan, &table, when, &clinic, false).expect("timed");
    plan
}

async fn start_list(c: &Clinic, plan: &Plan) -> i64 {
    let text = JobText {
        body: "Hi {{name}}, see you at {{time}}.".to_owned(),
        ..JobText::default()
    };
    let id =
        c.t.desk
            .create_job(&Via::Active, "list.csv", &text, plan, 1.0)
            .await
            .expect("job");
    c.t.desk.resume_job(id).await.expect("handed to the worker");
    id
}

/// When the simulator was asked for each message, on the desk's clock (History's times).
async fn sent_at(c: &Clinic) -> Vec<i64> {
    let mut at: Vec<i64> = history(&c.t).await.iter().map(|m| m.created_at).collect();
    at.sort_unstable();
    at
}

#[tokio::test]
async fn quiet_hours_stop_a_list_at_nine_and_it_goes_on_at_eight() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let c = clinic(&sim, "Europe/Dublin", "2026-12-02T20:59:58Z").await;
    let plan = list_plan(&c, LIST, &When::Now).await;
    let id = start_list(&c, &plan).await;
    let worker = Worker::new(Arc::clone(&c.t.desk));
    tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;
    let evening = sends(&sim);
    assert!(
        (1..4).contains(&evening),
        "some went before 21:00, not all: {evening}"
    );
    let job = c.t.desk.job(id).await.expect("job");
    assert_eq!(
        job.state,
        JobState::Running,
        "waiting for the morning, not paused"
    );
    assert_eq!(
        job.counts.pending,
        4 - u64::try_from(evening).expect("count")
    );

    for night in ["2026-12-02T23:00:00Z", "2026-12-03T07:59:59Z"] {
        c.set(night);
        worker.tick().await.expect("tick");
        assert_eq!(sends(&sim), evening, "nothing at night ({night})");
    }
    c.set("2026-12-03T08:00:00Z");
    let mut ticks = 0;
    while c.t.desk.job(id).await.expect("job").state != JobState::Done {
        tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;
        ticks += 1;
        assert!(ticks < 10, "the list finishes in the morning");
    }
    assert_eq!(sends(&sim), 4);
    let window = |ms: i64| {
        let open = utc("2026-12-02T08:00:00Z")..utc("2026-12-02T21:00:00Z");
        let next = utc("2026-12-03T08:00:00Z")..utc("2026-12-03T21:00:00Z");
        open.contains(&ms) || next.contains(&ms)
    };
    let times = sent_at(&c).await;
    assert!(
        times.iter().all(|t| window(*t)),
        "every message inside the window: {times:?}"
    );
}

#[tokio::test]
async fn reminders_the_day_before_follow_the_calendar_across_summer_time() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    for (zone, now, appointment, due) in [
        // Dublin springs forward on Sun 29 Mar 2026: 10:00 IST is 09:00 UTC.
        (
            "Europe/Dublin",
            "2026-03-27T12:00:00Z",
            "2026-03-30",
            "2026-03-29T09:00:00Z",
        ),
        // ...and falls back on Sun 25 Oct: 10:00 GMT is 10:00 UTC.
        (
            "Europe/Dublin",
            "2026-10-23T12:00:00Z",
            "2026-10-26",
            "2026-10-25T10:00:00Z",
        ),
        // New York springs forward on Sun 8 Mar 2026: 10:00 EDT is 14:00 UTC.
        (
            "America/New_York",
            "2026-03-06T17:00:00Z",
            "2026-03-09",
            "2026-03-08T14:00:00Z",
        ),
        // ...and falls back on Sun 1 Nov: 10:00 EST is 15:00 UTC.
        (
            "America/New_York",
            "2026-10-30T17:00:00Z",
            "2026-11-02",
            "2026-11-01T15:00:00Z",
        ),
    ] {
        let c = clinic(&sim, zone, now).await;
        let before = sends(&sim);
        let csv = format!("Name,Mobile,Date,Time\nAoife,+1 201 555 0101,{appointment},09:00\n");
        let when = When::Before {
            lead: Lead::parse("1 day at 10:00").expect("rule"),
            date_column: 2,
            time_column: Some(3),
        };
        let plan = list_plan(&c, &csv, &when).await;
        assert_eq!(plan.rows[0].due_at, Some(utc(due)), "{zone} {appointment}");
        let id = start_list(&c, &plan).await;
        let worker = Worker::new(Arc::clone(&c.t.desk));
        c.clock.set(utc(due) - 1_000);
        tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;
        assert_eq!(sends(&sim), before, "{zone}: not a second early");
        c.set(due);
        tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;
        assert_eq!(
            sends(&sim),
            before + 1,
            "{zone}: at 10:00 local the day before"
        );
        let job = c.t.desk.job(id).await.expect("job");
        assert_eq!(job.lead.as_deref(), Some("the day before at 10:00"));
        assert_eq!(job.state, JobState::Done);
    }
}

#[tokio::test]
async fn a_message_scheduled_with_a_command_line_key_goes_from_a_worker_given_that_key() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let c = clinic(&sim, "Europe/Dublin", "2026-12-02T09:00:00Z").await;
    let key = octopods::ApiKey::new(PRACTICE_KEY).expect("key");
    let via = Via::Key {
        key: key.clone(),
        base_url: sim.base_url(),
    };
    let draft = Draft {
        to: MOBILE.to_owned(),
        body: "See you tomorrow.".to_owned(),
        ..Draft::default()
    };
    let schedule = |at: &'static str| {
        let (desk, via, draft) = (Arc::clone(&c.t.desk), via.clone(), draft.clone());
        async move {
            desk.schedule_message(via, draft, None, utc(at))
                .await
                .expect("scheduled")
                .id
        }
    };
    let sent = schedule("2026-12-02T10:00:00Z").await;
    // smsdesk worker with OCTOPODS_API_KEY set sends it at its time.
    c.set("2026-12-02T10:00:00Z");
    let with_key = Worker::with_key(c.again(), Some(key));
    tick_and_settle(&with_key, &c.t.desk, &c.watch, sent).await;
    drop(with_key);
    assert_eq!(c.row(sent).await, RowOutcome::Accepted);
    assert_eq!(sends(&sim), 1);

    // The app's worker has no key (SMS Desk never stores it): the job is held, saying why.
    let held = schedule("2026-12-02T11:00:00Z").await;
    c.set("2026-12-02T11:00:00Z");
    let keyless = Worker::new(Arc::clone(&c.t.desk));
    tick_and_settle(&keyless, &c.t.desk, &c.watch, held).await;
    let job = c.t.desk.job(held).await.expect("job");
    assert_eq!(job.state, JobState::Paused);
    assert!(
        job.problem
            .as_deref()
            .is_some_and(|p| p.contains("OCTOPODS_API_KEY")),
        "{job:?}"
    );
    assert_eq!(sends(&sim), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_cancelled_while_a_reminder_is_on_its_way_records_it_and_sends_no_more() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let c = clinic(&sim, "Europe/Dublin", "2026-12-03T09:00:00Z").await;
    // Two hours before each appointment: 10:00, 11:00 and 13:00 (GMT).
    let csv = "Name,Mobile,Date,Time\n\
        Aoife,+1 201 555 0101,2026-12-03,12:00\n\
        Seán,+1 201 555 0102,2026-12-03,13:00\n\
        Zoë,+1 201 555 0103,2026-12-03,15:00\n";
    let when = When::Before {
        lead: Lead::parse("2 hours").expect("rule"),
        date_column: 2,
        time_column: Some(3),
    };
    let plan = list_plan(&c, csv, &when).await;
    let id = start_list(&c, &plan).await;
    // The first reminder's request takes a while to be answered: it is on its way when the
    // person cancels.
    sim.push_fault(Fault::Latency(Duration::from_secs(3)));
    let worker = Worker::new(Arc::clone(&c.t.desk));
    c.set("2026-12-03T10:00:00Z");
    worker.tick().await.expect("tick");
    loop {
        let changed = c.watch.0.notified();
        let job = c.t.desk.job(id).await.expect("job");
        if job.counts.sending == 1 {
            break;
        }
        assert_eq!(job.counts.accepted, 0, "cancelled before the answer came");
        let _ = tokio::time::timeout(Duration::from_millis(50), changed).await;
    }
    c.t.desk
        .cancel_scheduled(id)
        .await
        .expect("cancelled while a reminder is on its way");
    tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;

    let job = c.t.desk.job(id).await.expect("job");
    assert_eq!(job.state, JobState::Cancelled);
    assert_eq!(
        (
            job.counts.accepted,
            job.counts.sending,
            job.counts.scheduled
        ),
        (1, 0, 0),
        "the one on its way has its answer; nothing else waits: {:?}",
        job.counts
    );
    let rows = c.t.store().await.job_rows(id).expect("rows");
    assert_eq!(
        rows.iter().map(|r| r.outcome).collect::<Vec<_>>(),
        [
            RowOutcome::Accepted,
            RowOutcome::NotSent,
            RowOutcome::NotSent
        ]
    );
    assert_eq!(history(&c.t).await.len(), 1, "its row is in History");
    // The later times come and go: nothing more is sent.
    for later in ["2026-12-03T11:00:00Z", "2026-12-03T13:00:00Z"] {
        c.set(later);
        tick_and_settle(&worker, &c.t.desk, &c.watch, id).await;
    }
    assert_eq!(sends(&sim), 1, "sent once, and nothing after the cancel");
}
