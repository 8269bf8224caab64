//! Bulk jobs against the simulator over real HTTP, with the clock injected: every row ends in
//! exactly one outcome whatever the server does, at most one request per row but 429 retries,
//! the rows paced, a refused key stops the job, a STOP recorded after the preview still
//! blocks, and a job resumed after a crash never sends a row twice.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use octopods_sim::{Fault, Sim, SimConfig, PRACTICE_KEY};
use smsdesk::bulk::job::Counts;
use smsdesk::bulk::plan::{Columns, LeadingZero, Plan, PlanOptions};
use smsdesk::bulk::table::{read_table, ReadOptions};
use smsdesk::desk::bulk::JobText;
use smsdesk::desk::schedule::SchedulingSettings;
use smsdesk::desk::Via;
use smsdesk::do_not_text::LocalList;
use smsdesk::history::{JobRow, NewMessage};
use smsdesk::states::{JobState, RowOutcome};
use smsdesk::store::Store;
use smsdesk::templates::Compiled;
use smsdesk::time::{InstantSleeper, ManualClock};
use smsdesk::worker::Stop;

use crate::TestDesk;

const TEMPLATE: &str = "Hi {{first_name}}, see you {{date}} at {{time}}.";

/// A desk whose pacing waits are instant (the injected clock moves instead).
fn paced_desk() -> (TestDesk, Arc<InstantSleeper>) {
    let clock = ManualClock::at(1_800_000_000_000);
    let sleeper = InstantSleeper::new(Arc::clone(&clock));
    let s = Arc::clone(&sleeper);
    let t = TestDesk::with(move |o| {
        o.clock = clock;
        o.sleeper = s;
    });
    (t, sleeper)
}

/// `n` rows of distinct US mobiles (the simulator accepts them).
fn csv(n: usize) -> String {
    let mut text = String::from("Mobile,First name,Date,Time\n");
    for i in 0..n {
        text.push_str(&format!(
            "+1 201 555 {:04},Zoë {i},Tue,10:{:02}\n",
            1000 + i,
            i % 60
        ));
    }
    text
}

async fn planned(t: &TestDesk, text: &str) -> Plan {
    let table = read_table("list.csv", text.as_bytes(), &ReadOptions::default()).expect("table");
    let columns = Columns {
        phone: 0,
        name: Some(1),
        fields: BTreeMap::from([
            ("first_name".to_owned(), 1),
            ("date".to_owned(), 2),
            ("time".to_owned(), 3),
        ]),
        constants: BTreeMap::new(),
    };
    let template = Compiled::new(TEMPLATE).expect("template");
    t.desk
        .plan_bulk(table, &template, columns, None, false)
        .await
        .expect("planned")
}

fn text() -> JobText {
    JobText {
        body: TEMPLATE.to_owned(),
        ..JobText::default()
    }
}

async fn run(t: &TestDesk, id: i64) -> Counts {
    t.desk
        .run_job(id, Via::Active, &Stop::new(), &|_| {})
        .await
        .expect("ran")
}

/// How many requests each destination got.
fn per_number(sim: &Sim) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for r in sim.requests().iter().filter(|r| r.method == "POST") {
        let to = r
            .body
            .as_ref()
            .and_then(|b| b["destination_phone"].as_str());
        *seen.entry(to.unwrap_or_default().to_owned()).or_default() += 1;
    }
    seen
}

#[tokio::test]
async fn every_row_ends_in_exactly_one_outcome_whatever_the_server_does() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let (t, _) = paced_desk();
    t.live(&sim, PRACTICE_KEY).await;
    let plan = planned(&t, &csv(10)).await;
    assert_eq!(plan.messages, 10);
    let id = t
        .desk
        .create_job(&Via::Active, "list.csv", &text(), &plan, 50.0)
        .await
        .expect("stored");
    assert_eq!(
        sim.requests().len(),
        0,
        "the job is stored before any request"
    );
    for fault in [
        Fault::ServerError,
        Fault::BadGatewayHtml,
        Fault::DropConnection,
        Fault::RateLimited {
            retry_after: Some(1),
        },
    ] {
        sim.push_fault(fault);
    }
    let counts = run(&t, id).await;
    assert_eq!(
        (
            counts.unknown,
            counts.rejected,
            counts.accepted,
            counts.open()
        ),
        (3, 0, 7, 0),
        "500, 502 HTML and a dropped connection may have gone out; the 429 was retried: {counts:?}"
    );
    let posts = sim.requests().iter().filter(|r| r.method == "POST").count();
    assert_eq!(posts, 11, "one request a row, and one more for the 429");
    let twice: Vec<_> = per_number(&sim)
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .collect();
    assert_eq!(
        twice.len(),
        1,
        "only the rate-limited row was asked twice: {twice:?}"
    );
    let rows = t.desk.job_report(id).await.expect("report");
    assert_eq!(rows.len(), 10);
    for r in &rows {
        let message = r.row.message.expect("every row went through the send gate");
        let entry = t.row(message).await;
        assert_eq!(entry.job, Some(id), "the history row is linked to its job");
        assert_eq!(
            RowOutcome::from_outcome(entry.outcome),
            r.row.outcome,
            "the row follows its message"
        );
    }
    assert_eq!(t.desk.job(id).await.expect("job").state, JobState::Done);

    // The provider's refusals: a landline, and a number that replied STOP.
    let refused = "Mobile,First name,Date,Time\n+12015550140,Landline,Tue,11:00\n+12015550141,Opted out,Tue,11:30\n";
    let plan = planned(&t, refused).await;
    let id = t
        .desk
        .create_job(&Via::Active, "refused.csv", &text(), &plan, 50.0)
        .await
        .expect("stored");
    assert_eq!(run(&t, id).await.rejected, 2);
    assert_eq!(
        t.desk.opted_out_in_job(id).await.expect("refusals"),
        ["+12015550141"],
        "the refusal that says the person opted out is offered for the list"
    );
    assert_eq!(t.desk.add_opted_out_in_job(id).await.expect("added"), 1);
    assert!(t
        .desk
        .opt_outs("")
        .await
        .expect("list")
        .iter()
        .any(|o| o.number == "+12015550141"));
}

#[tokio::test]
async fn the_rows_are_paced_at_the_jobs_rate() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let (t, sleeper) = paced_desk();
    t.live(&sim, PRACTICE_KEY).await;
    let plan = planned(&t, &csv(5)).await;
    let id = t
        .desk
        .create_job(&Via::Active, "list.csv", &text(), &plan, 1.0)
        .await
        .expect("stored");
    let counts = run(&t, id).await;
    assert_eq!(counts.accepted, 5);
    let waited: u128 = sleeper.pauses().iter().map(|p| p.as_millis()).sum();
    assert!(
        waited >= 4_000,
        "5 one-segment messages at 1 per second wait at least 4 s in all: {:?}",
        sleeper.pauses()
    );
}

#[tokio::test]
async fn a_refused_key_stops_the_job() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let (t, _) = paced_desk();
    t.live(&sim, "a-key-octopods-does-not-know").await;
    let plan = planned(&t, &csv(30)).await;
    let id = t
        .desk
        .create_job(&Via::Active, "list.csv", &text(), &plan, 1.0)
        .await
        .expect("stored");
    let counts = run(&t, id).await;
    assert!(counts.unauthorized >= 1, "{counts:?}");
    assert_eq!(counts.unauthorized + counts.not_sent, 30, "{counts:?}");
    assert!(
        sim.requests().len() < 5,
        "it stops at the first 401, not after every row: {}",
        sim.requests().len()
    );
}

#[tokio::test]
async fn a_stop_recorded_after_the_preview_still_blocks_its_row() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let (t, _) = paced_desk();
    t.live(&sim, PRACTICE_KEY).await;
    let plan = planned(&t, &csv(3)).await;
    let id = t
        .desk
        .create_job(&Via::Active, "list.csv", &text(), &plan, 50.0)
        .await
        .expect("stored");
    t.desk
        .add_opt_out("+1 201 555 1001", "Replied STOP", None, None)
        .await
        .expect("listed");
    let counts = run(&t, id).await;
    assert_eq!((counts.accepted, counts.blocked), (2, 1), "{counts:?}");
    assert!(!per_number(&sim).contains_key("+12015551001"));
}

#[tokio::test]
async fn a_job_resumed_after_a_crash_never_sends_a_row_twice() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let (t, _) = paced_desk();
    t.live(&sim, PRACTICE_KEY).await;
    let plan = planned(&t, &csv(4)).await;
    let id = t
        .desk
        .create_job(&Via::Active, "list.csv", &text(), &plan, 50.0)
        .await
        .expect("stored");
    // Another process began row 1 (its row is in `sending`) and died before the answer.
    {
        let other = Store::open(t.dir.path()).expect("another process");
        let row = &plan.rows[0];
        let message = NewMessage {
            to: row.to.clone().expect("valid"),
            body: row.body.clone().expect("rendered"),
            channel_id: "x".into(),
            channel_name: "Clinic".into(),
            job: Some(JobRow { job: id, row: 1 }),
            ..NewMessage::default()
        };
        other.begin(&message, &LocalList, true).expect("in flight");
    }
    let counts = run(&t, id).await;
    assert_eq!(
        (counts.unknown, counts.accepted),
        (1, 3),
        "the row in flight reads unknown and is not sent again: {counts:?}"
    );
    assert!(!per_number(&sim).contains_key("+12015551000"));
    assert_eq!(sim.requests().len(), 3);
    let again = run(&t, id).await;
    assert_eq!(again, counts, "resuming a finished job sends nothing");
    assert_eq!(sim.requests().len(), 3);
}

#[tokio::test]
async fn checks_come_before_anything_is_stored() {
    let (t, _) = paced_desk();
    let list = "Mobile,First name,Date,Time\n\
        +1 201 555 0123,Ann,Tue,10:00\n\
        +1 (201) 555-0123,Ann again,Tue,10:30\n\
        +44 20 7946 0000,Landline,Tue,11:00\n\
        4.41E+11,Excel,Tue,11:30\n\
        +1 201 555 0124,,Tue,12:00\n\
        +353 86 123 4567,Abroad,Tue,12:30\n";
    let plan = planned(&t, list).await;
    let words: Vec<&str> = plan.rows.iter().map(|r| r.outcome.as_str()).collect();
    assert_eq!(
        words,
        [
            "pending",
            "duplicate",
            "invalid",
            "invalid",
            "invalid",
            "pending"
        ]
    );
    assert!(plan.rows[3]
        .problem
        .as_deref()
        .is_some_and(|p| p.contains("scientific notation")));
    assert!(plan.rows[4]
        .problem
        .as_deref()
        .is_some_and(|p| p.contains("First name")));
    assert!(plan.rows[5].foreign || plan.rows[5].to.as_deref() == Some("+353861234567"));
    assert_eq!(
        plan.rows[0].body.as_deref(),
        Some("Hi Ann, see you Tue at 10:00.")
    );
    assert!(
        t.desk.jobs().await.expect("jobs").is_empty(),
        "a preview stores nothing"
    );
}

/// Tells a test when a job changed (the worker runs it on a task of its own).
#[derive(Default)]
struct JobWatch(tokio::sync::Notify);

impl smsdesk::events::Events for JobWatch {
    fn changed(&self, change: smsdesk::events::Change) {
        if change.kind == smsdesk::events::ChangeKind::Job {
            self.0.notify_waiters();
        }
    }
}

#[tokio::test]
async fn the_app_opens_a_file_previews_it_and_the_worker_sends_it() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let clock = ManualClock::at(1_800_000_000_000);
    let sleeper = InstantSleeper::new(Arc::clone(&clock));
    let watch = Arc::new(JobWatch::default());
    let (w, s) = (Arc::clone(&watch), Arc::clone(&sleeper));
    let t = TestDesk::with(move |o| {
        o.clock = clock;
        o.sleeper = s;
        o.events = w;
    });
    t.live(&sim, PRACTICE_KEY).await;
    // The worker sends inside the sending window, on the clinic's clock: 08:00 UTC is in it.
    t.desk
        .save_scheduling(SchedulingSettings {
            time_zone: Some("UTC".to_owned()),
            ..SchedulingSettings::default()
        })
        .await
        .expect("scheduling saved");
    t.desk
        .save_business(smsdesk::templates::BusinessInfo {
            business_name: "Bright Smile Dental".into(),
            business_phone: "01 234 5678".into(),
            business_address: "1 Main Street".into(),
        })
        .await
        .expect("business");
    let file = t.dir.path().join("tomorrow.csv");
    std::fs::write(
        &file,
        "\u{feff}First name;Mobile;Date;Time\nSiobhán;+1 201 555 1000;Tue 14 May;10:00\nBob;+1 201 555 1001;Tue 14 May;10:30\n",
    )
    .expect("write");
    let opened = t
        .desk
        .open_bulk_file(
            &file,
            ReadOptions::default(),
            Some("starter-reminder".into()),
        )
        .await
        .expect("opened");
    assert_eq!(opened.delimiter.as_deref(), Some(";"));
    assert_eq!(opened.rows, 2);
    assert_eq!(opened.mapping.phone, Some(1), "the phone column is guessed");
    assert_eq!(opened.samples[0][0], "Siobhán");
    assert!(!opened.remembered);
    let preview = t
        .desk
        .preview_bulk(
            opened.draft,
            "starter-reminder",
            &opened.mapping,
            PlanOptions::default(),
            1.0,
        )
        .await
        .expect("preview");
    assert_eq!(preview.plan.messages, 2, "{:?}", preview.plan.rows);
    assert!(preview.plan.rows[0]
        .body
        .as_deref()
        .is_some_and(|b| b.starts_with("Bright Smile Dental") && b.contains("Siobhán")));
    assert_eq!(preview.channel_name, "Clinic");
    assert!(!preview.practice);
    assert!(sim.requests().is_empty(), "a preview sends nothing");

    let test = t
        .desk
        .send_bulk_test(
            opened.draft,
            "starter-reminder",
            &opened.mapping,
            PlanOptions::default(),
            "+1 201 555 0199",
        )
        .await
        .expect("a test to me");
    assert!(test.sent.report.is_accepted());
    assert_eq!(
        test.shown_to, "+1 201-555-0199",
        "grouped as every screen shows it"
    );
    assert_eq!(sim.requests().len(), 1);

    let changed = watch.0.notified();
    let id = t
        .desk
        .start_bulk(
            opened.draft,
            "starter-reminder",
            &opened.mapping,
            PlanOptions::default(),
            1.0,
        )
        .await
        .expect("started");
    changed.await;
    let worker = smsdesk::worker::Worker::new(Arc::clone(&t.desk));
    loop {
        let changed = watch.0.notified();
        worker.tick().await.expect("tick");
        if t.desk.job(id).await.expect("job").state == JobState::Done {
            break;
        }
        changed.await;
    }
    let job = t.desk.job(id).await.expect("job");
    assert_eq!(job.counts.accepted, 2);
    assert_eq!(job.template_name.as_deref(), Some("Reminder (day before)"));
    let posts = sim.requests().iter().filter(|r| r.method == "POST").count();
    assert_eq!(posts, 3, "the test message and the two rows, each once");

    let again = t
        .desk
        .open_bulk_file(&file, ReadOptions::default(), None)
        .await
        .expect("opened again");
    assert!(
        again.remembered,
        "the columns chosen are remembered for these headers"
    );
    assert_eq!(again.mapping, opened.mapping);
    // The same list opened again the same day: every row already went, so none is sent twice
    // (unless the person says so).
    let repeat = t
        .desk
        .preview_bulk(
            again.draft,
            "starter-reminder",
            &again.mapping,
            PlanOptions::default(),
            1.0,
        )
        .await
        .expect("preview");
    assert_eq!(repeat.plan.messages, 0, "{:?}", repeat.plan.rows);
    assert!(repeat
        .plan
        .rows
        .iter()
        .all(|r| r.outcome == RowOutcome::Duplicate
            && r.problem
                .as_deref()
                .is_some_and(|p| p.contains("already went to this number"))));
    let anyway = t
        .desk
        .preview_bulk(
            again.draft,
            "starter-reminder",
            &again.mapping,
            PlanOptions {
                send_repeats: true,
                ..PlanOptions::default()
            },
            1.0,
        )
        .await
        .expect("preview");
    assert_eq!(anyway.plan.messages, 2);

    let report = t.dir.path().join("report.csv");
    assert_eq!(t.desk.export_job(id, &report).await.expect("exported"), 2);
    let text = std::fs::read_to_string(&report).expect("read");
    assert!(text.starts_with("\u{feff}Row,Number,"), "{text}");
    assert!(text.contains("Siobhán") && text.contains("accepted"));
}

#[tokio::test]
async fn a_job_whose_sender_died_is_offered_again_not_restarted() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let (t, _) = paced_desk();
    t.live(&sim, PRACTICE_KEY).await;
    let plan = planned(&t, &csv(2)).await;
    let id = t
        .desk
        .create_job(&Via::Active, "list.csv", &text(), &plan, 50.0)
        .await
        .expect("stored");
    {
        // Another process claimed it and died.
        let other = Store::open(t.dir.path()).expect("another process");
        other.claim_job(id).expect("claimed");
    }
    assert!(t.desk.jobs_to_run().await.expect("jobs").is_empty());
    let job = t.desk.job(id).await.expect("job");
    assert_eq!(job.state, JobState::Paused, "offered for resumption");
    assert!(job.problem.is_some_and(|p| p.contains("resume")));
    assert!(sim.requests().is_empty(), "nothing sent by itself");
    t.desk.resume_job(id).await.expect("resumed");
    assert_eq!(t.desk.jobs_to_run().await.expect("jobs").len(), 1);
    t.desk.cancel_job(id).await.expect("cancelled");
    let job = t.desk.job(id).await.expect("job");
    assert_eq!((job.state, job.counts.not_sent), (JobState::Cancelled, 2));
    assert!(t.desk.jobs_to_run().await.expect("jobs").is_empty());
}

/// Côte d'Ivoire, where the 0 is part of every number (mobiles too): Excel dropped it from
/// rows 1 and 3. Row 3's number is on the do-not-text list; row 4 is row 1's number typed
/// with its 0.
const IVORY_COAST: &str = "Mobile,First name,Date,Time\n\
712345678,Aya,Tue 14 May,10:00\n\
0512345678,Koffi,Tue 14 May,10:30\n\
512345679,Awa,Tue 14 May,11:00\n\
0712345678,Yao,Tue 14 May,11:30\n";

#[tokio::test]
async fn numbers_excel_dropped_the_0_of_are_offered_and_sent_with_it_when_chosen() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let (t, _) = paced_desk();
    t.live(&sim, PRACTICE_KEY).await;
    t.desk
        .save_sending(smsdesk::settings::SendingSettings {
            default_country: Some("CI".into()),
        })
        .await
        .expect("country");
    t.desk
        .save_business(smsdesk::templates::BusinessInfo {
            business_name: "Clinique du Plateau".into(),
            business_phone: "27 20 00 00 00".into(),
            business_address: "Rue 12, Abidjan".into(),
        })
        .await
        .expect("business");
    t.desk
        .add_opt_out("+225 05 12 34 56 79", "Asked us to stop", None, None)
        .await
        .expect("opted out");
    let file = t.dir.path().join("lundi.csv");
    std::fs::write(&file, IVORY_COAST).expect("write");
    let opened = t
        .desk
        .open_bulk_file(
            &file,
            ReadOptions::default(),
            Some("starter-reminder".into()),
        )
        .await
        .expect("opened");
    let preview = |options| {
        let desk = Arc::clone(&t.desk);
        let mapping = opened.mapping.clone();
        async move {
            desk.preview_bulk(opened.draft, "starter-reminder", &mapping, options, 1.0)
                .await
                .expect("preview")
                .plan
        }
    };

    // As typed: the two are left out, said so, and offered as one choice.
    let plan = preview(PlanOptions::default()).await;
    let outcomes: Vec<_> = plan.rows.iter().map(|r| r.outcome).collect();
    use RowOutcome::{Blocked, Duplicate, Invalid, Pending};
    assert_eq!(outcomes, [Invalid, Pending, Invalid, Pending], "{plan:?}");
    assert_eq!(plan.messages, 2);
    let zeros: Vec<_> = plan.rows.iter().map(|r| r.leading_zero).collect();
    let offered = Some(LeadingZero::Offered);
    assert_eq!(zeros, [offered, None, offered, None]);
    let problem = plan.rows[0].problem.as_deref().unwrap_or_default();
    assert!(problem.contains("missing its leading 0"), "{problem}");
    let offer = plan.leading_zero.clone().expect("offered");
    assert_eq!((offer.rows, offer.added), (2, false));
    assert_eq!(offer.example_typed, "712345678");
    let digits: String = offer
        .example_with_zero
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    assert_eq!(digits, "0712345678", "{offer:?}");

    // Read with the 0: row 1 is sent as +225 07..., row 3 is on the do-not-text list, and row
    // 4 is now row 1's number again.
    let with_zero = PlanOptions {
        add_leading_zero: true,
        ..PlanOptions::default()
    };
    let plan = preview(with_zero).await;
    let outcomes: Vec<_> = plan.rows.iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, [Pending, Pending, Blocked, Duplicate], "{plan:?}");
    assert_eq!(plan.rows[0].to.as_deref(), Some("+2250712345678"));
    assert_eq!(plan.rows[0].typed, "712345678", "the cell as typed is kept");
    assert_eq!(plan.rows[2].to.as_deref(), Some("+2250512345679"));
    let added = Some(LeadingZero::Added);
    let zeros: Vec<_> = plan.rows.iter().map(|r| r.leading_zero).collect();
    assert_eq!(zeros, [added, None, added, None]);
    assert_eq!(
        plan.leading_zero.as_ref().map(|o| (o.rows, o.added)),
        Some((2, true))
    );
    assert!(sim.requests().is_empty(), "a preview sends nothing");

    // Started with the same choice: what was previewed is what is stored and sent.
    let id = t
        .desk
        .start_bulk(
            opened.draft,
            "starter-reminder",
            &opened.mapping,
            with_zero,
            1.0,
        )
        .await
        .expect("started");
    let report = t.desk.job_report(id).await.expect("report");
    let stored: Vec<_> = report
        .iter()
        .map(|r| (r.row.to.clone(), r.row.outcome))
        .collect();
    let previewed: Vec<_> = plan
        .rows
        .iter()
        .map(|r| (r.to.clone(), r.outcome))
        .collect();
    assert_eq!(stored, previewed);
    let counts = run(&t, id).await;
    assert_eq!(
        (counts.accepted, counts.blocked, counts.duplicate),
        (2, 1, 1)
    );
    let sent = per_number(&sim);
    assert_eq!(
        sent,
        HashMap::from([
            ("+2250712345678".to_owned(), 1),
            ("+2250512345678".to_owned(), 1),
        ]),
        "the number on the do-not-text list is never texted"
    );
}

#[tokio::test]
async fn a_number_valid_with_and_without_a_0_is_never_offered() {
    let t = TestDesk::new();
    let italy = smsdesk::phone::Country::parse("IT").ok();
    // A mobile (3...), which is also a landline with a 0 in front; a Rome landline without its 0.
    let text =
        "Mobile,First name,Date,Time\n3123456789,Giulia,Mar,10:00\n612345678,Marco,Mar,10:30\n";
    let plan = |options| {
        let table = read_table("lista.csv", text.as_bytes(), &ReadOptions::default());
        let columns = Columns {
            phone: 0,
            name: Some(1),
            fields: BTreeMap::from([
                ("first_name".to_owned(), 1),
                ("date".to_owned(), 2),
                ("time".to_owned(), 3),
            ]),
            constants: BTreeMap::new(),
        };
        let desk = Arc::clone(&t.desk);
        async move {
            let template = Compiled::new(TEMPLATE).expect("template");
            desk.plan_bulk_with(table.expect("table"), &template, columns, italy, options)
                .await
                .expect("planned")
        }
    };
    for add_leading_zero in [false, true] {
        let options = PlanOptions {
            add_leading_zero,
            ..PlanOptions::default()
        };
        let plan = plan(options).await;
        let mobile = &plan.rows[0];
        assert_eq!(mobile.to.as_deref(), Some("+393123456789"), "as typed");
        assert_eq!(
            (mobile.outcome, mobile.leading_zero),
            (RowOutcome::Pending, None)
        );
        let offer = plan.leading_zero.expect("the Rome number is offered");
        assert_eq!(offer.rows, 1, "only the unambiguous one");
        assert_eq!(offer.example_with_zero, "06 1234 5678");
        // Read with its 0 it is a landline: left out all the same, saying what it reads as.
        let rome = &plan.rows[1];
        assert_eq!(rome.outcome, RowOutcome::Invalid);
        let problem = rome.problem.as_deref().unwrap_or_default();
        if add_leading_zero {
            assert_eq!(rome.leading_zero, Some(LeadingZero::Added));
            assert!(
                problem.contains("+39 06 1234 5678") && problem.contains("landline"),
                "{problem}"
            );
        } else {
            assert_eq!(rome.leading_zero, Some(LeadingZero::Offered));
            assert!(problem.contains("missing its leading 0"), "{problem}");
        }
    }
}
