//! Sending later from the command line (issue 10): `send --at`, `bulk send --at/--before`,
//! `schedule list | cancel | send-now` — the contract outside scripts rely on: nothing is sent
//! at scheduling time, `{"scheduled_id","at"}`, exit 2 with nothing stored for a time that has
//! passed or cannot be read. Wall times are read on a zone the test sets (`TZ`, or a zone
//! saved in Settings), never on the machine's.
//!
//! The binary's clock cannot be moved, and waiting for a schedule is not allowed here: the
//! worker's test schedules through a desk in this process whose clock is set earlier, so the
//! worker binary finds a message already due (and one missed) the moment it starts.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use octopods_sim::PRACTICE_KEY;
use serde_json::Value;
use smsdesk::schedule::{ClinicZone, QuietHours};

use super::{code, json_lines, run, stderr, stdout, Env, MOBILE};

/// The keys of `schedule list --json`.
const LIST_KEYS: [&str; 9] = [
    "id", "at", "to", "rows", "missed", "kind", "channel", "file", "lead",
];

/// The keys of `bulk send --at/--before --json`.
const LATER_KEYS: [&str; 8] = [
    "scheduled_id",
    "at",
    "total",
    "scheduled",
    "invalid",
    "duplicate",
    "blocked",
    "past",
];

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn set<'a>(keys: &[&'a str]) -> BTreeSet<&'a str> {
    keys.iter().copied().collect()
}

fn utc() -> ClinicZone {
    ClinicZone::named("UTC").expect("UTC")
}

/// Milliseconds since 1970 now, to the second (RFC 3339 on the command line has seconds).
fn now_s() -> i64 {
    chrono::Utc::now().timestamp() * 1000
}

/// An instant of an RFC 3339 text.
fn instant(text: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text:?} is not RFC 3339: {e}"))
        .timestamp_millis()
}

/// The one JSON line a command printed.
fn one_line(output: &Output) -> Value {
    let mut lines = json_lines(output);
    assert_eq!(lines.len(), 1, "one JSON line: {output:?}");
    lines.remove(0)
}

impl Env {
    /// `smsdesk` with the clinic's clock in UTC (no zone is saved in these data folders).
    fn utc_cmd(&self) -> Command {
        let mut cmd = self.cmd();
        cmd.env("TZ", "UTC");
        cmd
    }

    /// `smsdesk send --json --at AT` with the practice key at the simulator, then `args`.
    fn send_at(&self, at: &str, args: &[&str]) -> Output {
        run(self
            .utc_cmd()
            .env("OCTOPODS_API_KEY", PRACTICE_KEY)
            .args(["send", "--json", "--base-url", &self.sim.base_url()])
            .args(["--to", MOBILE, "--body", "See you tomorrow at 10:00."])
            .args(["--at", at])
            .args(args))
    }

    /// `smsdesk schedule list --json`.
    fn waiting(&self) -> Vec<Value> {
        let output = run(self.utc_cmd().args(["schedule", "list", "--json"]));
        assert_eq!(code(&output), 0, "{output:?}");
        let lines = json_lines(&output);
        for line in &lines {
            assert_eq!(keys(line), set(&LIST_KEYS), "{line}");
        }
        lines
    }

    /// `smsdesk bulk list --json`: every job stored, whatever its kind.
    fn stored_jobs(&self) -> usize {
        let output = run(self.cmd().args(["bulk", "list", "--json"]));
        assert_eq!(code(&output), 0, "{output:?}");
        json_lines(&output).len()
    }

    fn list_file(&self, csv: &str) -> PathBuf {
        let path = self.dir.path().join("list.csv");
        std::fs::write(&path, csv).expect("write the list");
        path
    }

    /// `smsdesk bulk send FILE --json` with the practice key at the simulator, then `args`.
    fn bulk_later(&self, file: &std::path::Path, args: &[&str]) -> Output {
        run(self
            .utc_cmd()
            .env("OCTOPODS_API_KEY", PRACTICE_KEY)
            .args(["bulk", "send"])
            .arg(file)
            .args(["--base-url", &self.sim.base_url()])
            .args(["--template", "Hi {{Name}}, see you on {{Date}}."])
            .args(["--phone-column", "mobile"])
            .args(args))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_an_hour_ahead_is_stored_listed_and_cancelled_never_sent() {
    let env = Env::new().await;
    let asked = now_s() + 3_600_000;
    // Quiet hours (08:00 to 21:00 UTC here) move a time outside them to the next opening.
    let due = QuietHours::default()
        .next_open(asked, &utc())
        .expect("a time");
    let output = env.send_at(&utc().rfc3339(asked), &[]);
    assert_eq!(code(&output), 0, "{output:?}");
    let json = one_line(&output);
    assert_eq!(keys(&json), set(&["scheduled_id", "at"]), "{json}");
    let id = json["scheduled_id"].as_i64().expect("a number");
    let at = json["at"].as_str().expect("RFC 3339");
    assert_eq!(instant(at), due, "{at}");
    assert_eq!(at, utc().rfc3339(due));
    assert!(
        stderr(&output).contains("OCTOPODS_API_KEY, which SMS Desk never stores"),
        "a key route is said to need the key again: {}",
        stderr(&output)
    );
    assert!(env.sim.requests().is_empty(), "nothing is sent now");
    assert!(env.history(&[]).is_empty(), "nothing is in the history");

    let waiting = env.waiting();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    let item = &waiting[0];
    assert_eq!(item["id"], id);
    assert_eq!(item["at"], at);
    assert_eq!(item["to"], MOBILE);
    assert_eq!(item["rows"], 1);
    assert_eq!(item["missed"], 0);
    assert_eq!(item["kind"], "single");
    assert_eq!(item["channel"], "Command line (OCTOPODS_API_KEY)");
    assert_eq!(item["file"], Value::Null);
    assert_eq!(item["lead"], Value::Null);

    let cancel = run(env.utc_cmd().args(["schedule", "cancel", &id.to_string()]));
    assert_eq!(code(&cancel), 0, "{cancel:?}");
    assert!(
        stdout(&cancel).starts_with(&format!("Cancelled job {id}: the message to {MOBILE}")),
        "{}",
        stdout(&cancel)
    );
    assert!(env.waiting().is_empty(), "cancelled: no longer waiting");

    let again = run(env.utc_cmd().args(["schedule", "cancel", &id.to_string()]));
    assert_eq!(code(&again), 2, "{again:?}");
    let said = stderr(&again);
    assert!(
        said.contains(&format!("There is nothing scheduled with the number {id}.")),
        "{said}"
    );
    assert!(said.contains("smsdesk schedule list"), "the hint: {said}");
    let unknown = run(env.utc_cmd().args(["schedule", "cancel", "4242"]));
    assert_eq!(code(&unknown), 2, "{unknown:?}");
    assert!(stdout(&unknown).is_empty());

    assert!(env.sim.requests().is_empty(), "it never went");
    assert!(env.history(&[]).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wall_times_are_read_on_the_clinics_clock_and_quiet_hours_say_so() {
    let env = Env::new().await;
    let dublin = |args: &[&str]| {
        run(env
            .cmd()
            .env("TZ", "Europe/Dublin")
            .args(["send", "--practice", "--to", MOBILE, "--body", "Hi"])
            .args(args))
    };
    // Summer time in Dublin: 10:00 on the wall is 09:00 UTC.
    let summer = dublin(&["--json", "--at", "2099-07-02 10:00"]);
    assert_eq!(code(&summer), 0, "{summer:?}");
    let json = one_line(&summer);
    assert_eq!(keys(&json), set(&["scheduled_id", "at"]));
    assert_eq!(json["at"], "2099-07-02T10:00:00+01:00");
    assert!(
        stderr(&summer).is_empty(),
        "Practice needs no key: {summer:?}"
    );

    // 22:30 is after the sending window: it goes at 08:00 the next morning, and says why.
    let late = dublin(&["--at", "2099-07-02 22:30:15"]);
    assert_eq!(code(&late), 0, "{late:?}");
    let line = stdout(&late);
    assert_eq!(line.lines().count(), 1, "one line: {line:?}");
    let id = json["scheduled_id"].as_i64().expect("id") + 1;
    assert_eq!(
        line.trim_end(),
        format!(
            "Scheduled the message to {MOBILE} (job {id}; Practice: nobody will be texted): it goes Fri 3 Jul 2099, 08:00 IST. Thu 2 Jul 2099, 22:30 IST is outside the sending window (08:00 to 21:00), so it waits for the window's next opening. Nothing was sent now. Keep SMS Desk or \"smsdesk worker\" running."
        )
    );

    let list = run(env
        .cmd()
        .env("TZ", "Europe/Dublin")
        .args(["schedule", "list"]));
    assert_eq!(code(&list), 0, "{list:?}");
    assert_eq!(
        stdout(&list),
        format!(
            "{:>4}  Thu 2 Jul 2099, 10:00 IST  {MOBILE}  Practice\n{:>4}  Fri 3 Jul 2099, 08:00 IST  {MOBILE}  Practice\n",
            id - 1,
            id
        )
    );
    assert!(env.history(&[]).is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_time_in_the_past_or_unreadable_stores_nothing() {
    let env = Env::new().await;
    let an_hour_ago = utc().rfc3339(now_s() - 3_600_000);
    for (at, says) in [
        (an_hour_ago.as_str(), "has already passed"),
        ("2020-01-02 10:00", "has already passed"),
        ("tomorrow", "is not a date and time SMS Desk can read"),
        (
            "2099-13-02 10:00",
            "is not a date and time SMS Desk can read",
        ),
        ("2099-12-02", "is not a date and time SMS Desk can read"),
    ] {
        let output = env.send_at(at, &[]);
        assert_eq!(code(&output), 2, "{at}: {output:?}");
        assert!(stdout(&output).is_empty(), "{at}: {output:?}");
        assert!(stderr(&output).contains(says), "{at}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("Nothing was scheduled."),
            "{at}: {}",
            stderr(&output)
        );
    }
    let file = env.list_file("Name,Mobile,Date\nAoife,+12015550123,2099-12-02\n");
    for at in [an_hour_ago.as_str(), "soon"] {
        let output = env.bulk_later(&file, &["--json", "--at", at]);
        assert_eq!(code(&output), 2, "{at}: {output:?}");
        assert!(stdout(&output).is_empty());
    }
    assert!(env.waiting().is_empty(), "nothing is waiting");
    assert_eq!(env.stored_jobs(), 0, "nothing was stored");
    assert!(env.sim.requests().is_empty());
}

/// A list of appointments in two and three days, one unreadable date, one yesterday; the
/// first reminder's time (the day before the first appointment at 10:00, UTC).
fn appointments() -> (String, i64) {
    let today = chrono::Utc::now().date_naive();
    let day = |n: i64| {
        today
            .checked_add_signed(chrono::TimeDelta::days(n))
            .expect("a date")
            .format("%Y-%m-%d")
            .to_string()
    };
    let csv = format!(
        "Name,Mobile,Date,Time\n\
         Aoife,+12015550123,{},09:30\n\
         Seán,+12015550124,{},2:30 PM\n\
         Niamh,+12015550125,someday,10:00\n\
         Cian,+12015550126,{},10:00\n",
        day(2),
        day(3),
        day(-1)
    );
    let first = instant(&format!("{}T10:00:00Z", day(1)));
    (csv, first)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_goes_the_day_before_each_appointment_and_nothing_now() {
    let env = Env::new().await;
    let (csv, first) = appointments();
    let file = env.list_file(&csv);
    let before = [
        "--before",
        "1 day at 10:00",
        "--date-column",
        "Date",
        "--time-column",
        "time",
    ];
    let output = env.bulk_later(&file, &[&["--json"][..], &before].concat());
    assert_eq!(code(&output), 0, "{output:?}");
    let json = one_line(&output);
    assert_eq!(keys(&json), set(&LATER_KEYS), "{json}");
    let id = json["scheduled_id"].as_i64().expect("id");
    assert_eq!(json["at"], utc().rfc3339(first));
    assert_eq!(
        [
            &json["total"],
            &json["scheduled"],
            &json["invalid"],
            &json["duplicate"],
            &json["blocked"],
            &json["past"]
        ],
        [4, 2, 1, 0, 0, 1]
    );
    let said = stderr(&output);
    assert!(
        said.contains("row 3: invalid — The appointment date \"someday\""),
        "{said}"
    );
    assert!(said.contains("row 4: past — Its reminder time"), "{said}");
    assert!(env.sim.requests().is_empty(), "nothing is sent now");
    assert!(env.history(&[]).is_empty());

    let waiting = env.waiting();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    let item = &waiting[0];
    assert_eq!(item["id"], id);
    assert_eq!(item["at"], utc().rfc3339(first));
    assert_eq!(item["to"], Value::Null);
    assert_eq!(item["rows"], 2);
    assert_eq!(item["missed"], 0);
    assert_eq!(item["kind"], "list");
    assert_eq!(item["file"], "list.csv");
    assert_eq!(item["lead"], "the day before at 10:00");

    // Each row waits with its own time; the report keeps the eight outcome words.
    let report = run(env
        .utc_cmd()
        .args(["bulk", "report", &id.to_string(), "--json"]));
    assert_eq!(code(&report), 0, "{report:?}");
    let rows = json_lines(&report);
    let outcomes: Vec<&str> = rows
        .iter()
        .map(|r| r["outcome"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(outcomes, ["not_sent", "not_sent", "invalid", "not_sent"]);
    assert_eq!(instant(rows[0]["due_at"].as_str().expect("due")), first);
    assert_eq!(
        instant(rows[1]["due_at"].as_str().expect("due")),
        first + 86_400_000
    );
    assert_eq!(rows[3]["due_at"], Value::Null);

    // The text: one line, times on the clinic's clock.
    let text = env.bulk_later(&file, &before);
    assert_eq!(code(&text), 0, "{text:?}");
    let line = stdout(&text);
    assert_eq!(
        line.trim_end(),
        format!(
            "Scheduled 2 reminders (job {}): the first goes {}, the day before each appointment at 10:00 (the last {}). 1 row is not sent: its time had already passed. 1 row is left out (1 invalid, 0 duplicate, 0 blocked). Nothing was sent now. Keep SMS Desk or \"smsdesk worker\" running.",
            id + 1,
            utc().show(first),
            utc().show(first + 86_400_000)
        )
    );
    let cancel = run(env.utc_cmd().args(["schedule", "cancel", &id.to_string()]));
    assert_eq!(code(&cancel), 0, "{cancel:?}");
    assert_eq!(
        stdout(&cancel),
        format!("Cancelled job {id} (list.csv): its 2 reminders not sent yet will not be sent.\n")
    );
    let left: Vec<i64> = env
        .waiting()
        .iter()
        .filter_map(|w| w["id"].as_i64())
        .collect();
    assert_eq!(left, [id + 1]);
    assert!(env.sim.requests().is_empty(), "nothing was ever sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_at_one_time_and_a_dry_run_of_one() {
    let env = Env::new().await;
    let (csv, first) = appointments();
    let file = env.list_file(&csv);
    // Every row at one time: the unreadable date does not matter without --before.
    let at = utc().rfc3339(first);
    let output = env.bulk_later(&file, &["--json", "--at", &at]);
    assert_eq!(code(&output), 0, "{output:?}");
    let json = one_line(&output);
    assert_eq!(keys(&json), set(&LATER_KEYS), "{json}");
    assert_eq!(json["at"], at);
    assert_eq!((&json["scheduled"], &json["past"]), (&4.into(), &0.into()));
    assert_eq!(env.waiting()[0]["rows"], 4);

    // A dry run stores nothing and adds the first time and the rows past to the usual line.
    let jobs = env.stored_jobs();
    let dry = env.bulk_later(
        &file,
        &[
            "--json",
            "--dry-run",
            "--before",
            "1 day at 10:00",
            "--date-column",
            "DATE",
        ],
    );
    assert_eq!(code(&dry), 0, "{dry:?}");
    let json = one_line(&dry);
    let mut expected = set(&[
        "job_id",
        "total",
        "accepted",
        "rejected",
        "unauthorized",
        "not_sent",
        "unknown",
        "blocked",
        "invalid",
        "duplicate",
        "would_send",
    ]);
    expected.extend(["at", "past"]);
    assert_eq!(keys(&json), expected, "{json}");
    assert_eq!(json["job_id"], Value::Null);
    assert_eq!(json["at"], at);
    assert_eq!(
        [
            &json["would_send"],
            &json["past"],
            &json["not_sent"],
            &json["invalid"]
        ],
        [2, 1, 3, 1]
    );
    assert_eq!(env.stored_jobs(), jobs, "a dry run stores nothing");
    assert!(env.sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_rules_columns_and_lists_with_nothing_to_send_store_nothing() {
    let env = Env::new().await;
    let (csv, _) = appointments();
    let file = env.list_file(&csv);
    let today = chrono::Utc::now().date_naive();
    let past_only = env.dir.path().join("past.csv");
    std::fs::write(
        &past_only,
        format!(
            "Name,Mobile,Date\nAoife,+12015550123,{}\nSeán,+12015550124,bad\n",
            today.format("%Y-%m-%d")
        ),
    )
    .expect("write");
    let cases: [(&std::path::Path, &[&str], &str); 8] = [
        (
            &file,
            &["--at", "2099-01-01 10:00", "--before", "2 hours", "--date-column", "Date"],
            "cannot be used with",
        ),
        (&file, &["--before", "2 hours"], "--date-column"),
        (&file, &["--time-column", "Time"], "--before"),
        (&file, &["--date-column", "Date"], "--before"),
        (
            &file,
            &["--before", "1 day at 10:00", "--date-column", "When"],
            "The file has no column called \"When\".",
        ),
        (
            &file,
            &["--before", "1 day at 10:00", "--date-column", "Date", "--time-column", "Hour"],
            "The file has no column called \"Hour\".",
        ),
        (
            &file,
            &["--before", "soonish", "--date-column", "Date"],
            "\"soonish\" is not a reminder rule",
        ),
        // The day before today: every row past or invalid.
        (
            &past_only,
            &["--before", "1 day at 10:00", "--date-column", "Date"],
            "No row of past.csv would be sent: of its 2 rows, 1 past (their time had already passed), 1 invalid, 0 duplicate, 0 blocked.",
        ),
    ];
    for (file, args, says) in cases {
        let output = env.bulk_later(file, &[&["--json"][..], args].concat());
        assert_eq!(code(&output), 2, "{args:?}: {output:?}");
        assert!(stdout(&output).is_empty(), "{args:?}: {output:?}");
        assert!(
            stderr(&output).contains(says),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert_eq!(env.stored_jobs(), 0, "nothing was stored");
    assert!(env.waiting().is_empty());
    assert!(env.sim.requests().is_empty());
}

#[test]
fn schedule_list_says_when_nothing_waits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = run(super::smsdesk(&dir).args(["schedule", "list"]));
    assert_eq!(code(&text), 0, "{text:?}");
    assert_eq!(stdout(&text), "Nothing is scheduled.\n");
    let json = run(super::smsdesk(&dir).args(["schedule", "list", "--json"]));
    assert_eq!(code(&json), 0, "{json:?}");
    assert!(stdout(&json).is_empty(), "no line at all");
    let bad = run(super::smsdesk(&dir).args(["schedule", "cancel", "seven"]));
    assert_eq!(code(&bad), 2, "{bad:?}");
    let send_now = run(super::smsdesk(&dir).args(["schedule", "send-now", "7"]));
    assert_eq!(code(&send_now), 2, "{send_now:?}");
    assert!(
        stderr(&send_now).contains("There is nothing scheduled with the number 7."),
        "{}",
        stderr(&send_now)
    );
}

/// A zone in which it is about noon now (`Etc/GMT-N` is UTC+N), so that the default sending
/// window (08:00 to 21:00) is open for hours around this test whenever it runs.
fn a_zone_at_noon() -> String {
    use chrono::Timelike;
    let offset = 12 - i64::from(chrono::Utc::now().hour());
    match offset {
        0 => "Etc/GMT".to_owned(),
        n if n > 0 => format!("Etc/GMT-{n}"),
        n => format!("Etc/GMT+{}", -n),
    }
}

/// The worker binary, started with a message already due (scheduled through a desk in this
/// process whose clock reads an hour ago) and one missed long ago: it sends the first through
/// the practice server at once, lists the second as missed, and stops cleanly on SIGTERM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_sends_what_is_due_and_lists_what_was_missed() {
    use smsdesk::desk::schedule::SchedulingSettings;
    use smsdesk::desk::{Desk, DeskOptions, Via};
    use smsdesk::draft::Draft;
    use smsdesk::time::ManualClock;

    let env = Env::new().await;
    let real_now = now_s();
    let mut options = DeskOptions::new(env.dir.path(), smsdesk::secrets::KeyStore::in_memory());
    options.clock = ManualClock::at(real_now - 3_600_000);
    let desk = Desk::new(options);
    desk.save_scheduling(SchedulingSettings {
        time_zone: Some(a_zone_at_noon()),
        ..SchedulingSettings::default()
    })
    .await
    .expect("save the zone");
    let draft = |body: &str| Draft {
        to: MOBILE.to_owned(),
        body: body.to_owned(),
        name: String::new(),
        open_conversation: false,
        teammate_id: String::new(),
    };
    // Due a minute ago (inside the 15 minutes' grace), and forty minutes ago (missed).
    let due = desk
        .schedule_message(Via::Practice, draft("Due now."), None, real_now - 60_000)
        .await
        .expect("schedule");
    let missed = desk
        .schedule_message(Via::Practice, draft("Missed."), None, real_now - 2_400_000)
        .await
        .expect("schedule");
    assert!(!due.moved && !missed.moved, "inside the sending window");
    assert_eq!(env.waiting().len(), 2);

    let mut worker = env
        .cmd()
        .arg("worker")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn smsdesk worker");
    let stderr_pipe = worker.stderr.take().expect("stderr");
    let lines = std::thread::spawn(move || {
        BufReader::new(stderr_pipe)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<String>>()
    });
    // The worker's first tick: the due message is sent, the other is marked missed.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let sent = desk.job(due.id).await.expect("job").counts.accepted;
        let late = desk.job(missed.id).await.expect("job").counts.missed;
        if sent == 1 && late == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "in 30 s the worker sent {sent} and marked {late} missed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let killed = Command::new("kill")
        .arg("-TERM")
        .arg(worker.id().to_string())
        .status()
        .expect("run kill");
    assert!(killed.success());
    let status = worker.wait().expect("wait for the worker");
    let said = lines.join().expect("the reader");
    assert_eq!(status.code(), Some(0), "{said:?}");
    assert!(
        said.iter()
            .any(|l| l.starts_with("2 scheduled sends are waiting; the next goes ")),
        "{said:?}"
    );

    let history = env.history(&[]);
    assert_eq!(history.len(), 1, "exactly one message went: {history:?}");
    assert_eq!(history[0]["body"], "Due now.");
    assert_eq!(history[0]["channel"], "Practice");
    assert_eq!(history[0]["outcome"], "accepted");

    // What was missed waits for a person, first in the list, with what to do.
    let waiting = env.waiting();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0]["id"], missed.id);
    assert_eq!(waiting[0]["missed"], 1);
    assert_eq!(waiting[0]["rows"], 0);
    assert_eq!(instant(waiting[0]["at"].as_str().expect("at")), missed.at);
    let text = run(env.cmd().args(["schedule", "list"]));
    let line = stdout(&text);
    assert!(line.contains("MISSED"), "{line}");
    assert!(
        line.contains(&format!("smsdesk schedule cancel {}", missed.id)),
        "{line}"
    );
    let cancel = run(env
        .cmd()
        .args(["schedule", "cancel", &missed.id.to_string()]));
    assert_eq!(code(&cancel), 0, "{cancel:?}");
    assert!(env.waiting().is_empty());
    assert_eq!(env.history(&[]).len(), 1, "the missed one never went");
}
