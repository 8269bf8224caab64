//! A send cut off mid-request is never lost and never resent; several senders at once lose
//! nothing.

use std::collections::HashSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use octopods::SendOutcome;
use octopods_sim::{Fault, PRACTICE_KEY};
use smsdesk::do_not_text::LocalList;
use smsdesk::history::{Begun, Filter, NewMessage};
use smsdesk::report::SendReport;
use smsdesk::states::Outcome;
use smsdesk::store::Store;

use super::{code, Env, MOBILE};

/// Waits (up to 10 s) until the simulator has received `count` requests.
pub(super) async fn until_requests(env: &Env, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while env.sim.requests().len() < count {
        assert!(
            Instant::now() < deadline,
            "the simulator saw {} requests, not {count}",
            env.sim.requests().len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_killed_mid_request_reads_unknown_and_is_not_resent() {
    let env = Env::new().await;
    env.sim.push_fault(Fault::Latency(Duration::from_secs(30)));
    let mut child = env
        .cmd()
        .env("OCTOPODS_API_KEY", PRACTICE_KEY)
        .args(["send", "--json", "--base-url", &env.sim.base_url()])
        .args(["--to", MOBILE, "--body", "Your appointment is at 10:00."])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn smsdesk send");
    until_requests(&env, 1).await;

    // While the request is in flight, the row is already on disk, in `sending`; another
    // process opening the history leaves it alone, since its sender is still running.
    {
        let history = Store::open(env.dir.path()).expect("open the history");
        let page = history.list(&Filter::default(), 0, 10).expect("list");
        assert_eq!(page.entries.len(), 1, "{page:?}");
        assert_eq!(page.entries[0].outcome, Outcome::Sending);
        assert_eq!(page.entries[0].to, MOBILE);
    }
    assert!(
        child.try_wait().expect("try_wait").is_none(),
        "still waiting for the answer"
    );

    child.kill().expect("kill");
    child.wait().expect("wait");

    let rows = env.history(&[]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["outcome"], "unknown");
    assert_eq!(rows[0]["summary"], "Outcome unknown: it may have been sent");
    let problem = rows[0]["problem"].as_str().unwrap_or_default();
    assert!(problem.contains("stopped while sending"), "{problem}");
    assert_eq!(env.history(&["--status", "unknown"]).len(), 1);
    assert_eq!(env.sim.requests().len(), 1, "never sent again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_senders_lose_nothing() {
    const SENDERS: usize = 4;
    const IN_PROCESS: usize = 20;
    let env = Env::new().await;
    let children: Vec<_> = (0..SENDERS)
        .map(|n| {
            env.cmd()
                .env("OCTOPODS_API_KEY", PRACTICE_KEY)
                .args(["send", "--json", "--base-url", &env.sim.base_url()])
                .args(["--to", MOBILE, "--body", &format!("From process {n}")])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn smsdesk send")
        })
        .collect();
    // Meanwhile this process writes too, as the app would.
    let dir = env.dir.path().to_owned();
    let writer = std::thread::spawn(move || {
        let history = Store::open(&dir).expect("open the history");
        let report = SendReport::new(
            &SendOutcome::NotSent {
                reason: "test".into(),
            },
            1,
        );
        (0..IN_PROCESS)
            .map(|n| {
                let begun = history
                    .begin(
                        &NewMessage {
                            to: MOBILE.into(),
                            body: format!("From the test {n}"),
                            channel_id: "test".into(),
                            channel_name: "Test".into(),
                            ..NewMessage::default()
                        },
                        &LocalList,
                        false,
                    )
                    .expect("begin");
                let Begun::Sending(id) = begun else {
                    panic!("not begun: {begun:?}");
                };
                history
                    .finish(id, &report, true, Duration::from_secs(5))
                    .expect("finish");
                id
            })
            .collect::<Vec<i64>>()
    });
    let mut sent_ids = Vec::new();
    for child in children {
        let output = child.wait_with_output().expect("wait");
        assert_eq!(code(&output), 0, "{output:?}");
        let line: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("one JSON line");
        sent_ids.push(line["history_id"].as_i64().expect("history_id"));
    }
    let written = writer.join().expect("the writer thread");

    let rows = env.history(&["--limit", "1000"]);
    assert_eq!(rows.len(), SENDERS + IN_PROCESS, "every row is there");
    let ids: HashSet<i64> = rows.iter().filter_map(|r| r["id"].as_i64()).collect();
    assert_eq!(ids.len(), rows.len(), "ids are distinct");
    for id in sent_ids.iter().chain(&written) {
        assert!(ids.contains(id), "row {id} is listed");
    }
    let bodies: HashSet<&str> = rows.iter().filter_map(|r| r["body"].as_str()).collect();
    for n in 0..SENDERS {
        assert!(bodies.contains(format!("From process {n}").as_str()));
    }
    for n in 0..IN_PROCESS {
        assert!(bodies.contains(format!("From the test {n}").as_str()));
    }
    assert_eq!(
        env.history(&["--status", "accepted", "--limit", "100"])
            .len(),
        SENDERS
    );
    assert_eq!(
        env.history(&["--status", "not_sent", "--limit", "100"])
            .len(),
        IN_PROCESS
    );
    assert_eq!(env.sim.requests().len(), SENDERS, "one request per message");
}
