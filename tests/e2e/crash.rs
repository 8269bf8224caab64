//! The app killed while a message is on its way: on the next start the message is in History
//! as "outcome unknown", and it was not sent again.

use std::path::Path;
use std::time::Duration;

use octopods_sim::{Fault, Sim, SimConfig, PRACTICE_KEY};

use crate::channels::add_channel;
use crate::harness::{serial, App};
use crate::history::{open_history, wait_rows};
use crate::live::send_and_wait_for_the_request;

/// Kills (SIGKILL: no chance to clean up) every app process started for `data_dir`.
fn kill_app(data_dir: &Path) -> usize {
    let needle = format!("SMSDESK_DATA_DIR={}", data_dir.display());
    let mut killed = 0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let proc_dir = entry.path();
        let is_app = std::fs::read_link(proc_dir.join("exe"))
            .ok()
            .and_then(|exe| exe.file_name().map(|n| n.to_string_lossy().into_owned()))
            .is_some_and(|name| name == "smsdesk-app");
        let ours = std::fs::read(proc_dir.join("environ"))
            .map(|env| env.split(|&b| b == 0).any(|var| var == needle.as_bytes()))
            .unwrap_or(false);
        if is_app && ours {
            let pid = entry.file_name().to_string_lossy().into_owned();
            let status = std::process::Command::new("kill")
                .args(["-KILL", &pid])
                .status();
            if status.is_ok_and(|s| s.success()) {
                killed += 1;
            }
        }
    }
    killed
}

fn posts(sim: &Sim) -> usize {
    sim.requests().iter().filter(|r| r.method == "POST").count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_cut_off_by_a_crash_reads_unknown_and_is_not_resent() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch().await;
    add_channel(&app, "Main number", PRACTICE_KEY, &sim).await;
    // Octopods takes a minute to answer: the app is killed while it waits.
    sim.push_fault(Fault::Latency(Duration::from_secs(60)));
    send_and_wait_for_the_request(&app, &sim, "Your appointment is tomorrow at 10:00.").await;
    assert_eq!(
        kill_app(app.data_dir()),
        1,
        "the app process was found and killed"
    );

    let app = app.relaunch(&[]).await;
    open_history(&app).await;
    let rows = wait_rows(&app, 1).await;
    assert!(
        rows[0].contains("Outcome unknown"),
        "the message is kept, as unknown: {rows:?}"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(posts(&sim), 1, "it was not sent again");
    app.close().await;
}
