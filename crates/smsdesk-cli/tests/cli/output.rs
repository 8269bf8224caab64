//! Output that cannot be written never changes the exit code of something that happened: a
//! wrapper script reading 101 (a panic) might send the message again.

use std::process::{Command, Output, Stdio};

use octopods_sim::PRACTICE_KEY;

use super::{code, stderr, Env, MOBILE};

/// Standard output on a disk that is full.
fn full() -> Stdio {
    Stdio::from(std::fs::File::create("/dev/full").expect("/dev/full"))
}

/// Runs `cmd` with its standard output a pipe nobody reads: closed before it writes.
fn closed_stdout(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn smsdesk");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait")
}

fn send(env: &Env, json: bool) -> Command {
    let mut cmd = env.cmd();
    cmd.env("OCTOPODS_API_KEY", PRACTICE_KEY)
        .args(["send", "--base-url", &env.sim.base_url()])
        .args(["--to", MOBILE, "--body", "Hi"]);
    if json {
        cmd.arg("--json");
    }
    cmd
}

fn warnings(output: &Output) -> usize {
    stderr(output)
        .matches("warning: could not write the output")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_that_went_out_exits_0_when_stdout_is_full() {
    let env = Env::new().await;
    let output = send(&env, true)
        .stdout(full())
        .stderr(Stdio::piped())
        .output()
        .expect("smsdesk runs");
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(warnings(&output), 1, "said once: {output:?}");
    let rows = env.history(&[]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["outcome"], "accepted");
    assert_eq!(env.sim.requests().len(), 1);

    // Text output is several lines: one warning still.
    let text = send(&env, false)
        .stdout(full())
        .stderr(Stdio::piped())
        .output()
        .expect("smsdesk runs");
    assert_eq!(code(&text), 0, "{text:?}");
    assert_eq!(warnings(&text), 1, "{text:?}");
    assert_eq!(env.sim.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_that_went_out_exits_0_when_stdout_is_closed() {
    let env = Env::new().await;
    let output = closed_stdout(&mut send(&env, true));
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(warnings(&output), 1, "{output:?}");
    assert_eq!(env.history(&[])[0]["outcome"], "accepted");

    // A rejection keeps its own code.
    let mut rejected = env.cmd();
    rejected
        .env("OCTOPODS_API_KEY", PRACTICE_KEY)
        .args(["send", "--json", "--base-url", &env.sim.base_url()])
        .args(["--to", "+12015550140", "--body", "Hi"]);
    assert_eq!(code(&closed_stdout(&mut rejected)), 3);
    assert_eq!(env.sim.requests().len(), 2);
}

#[test]
fn a_change_to_the_list_exits_0_when_stdout_is_full() {
    let dir = tempfile::tempdir().expect("temp dir");
    let added = super::smsdesk(&dir)
        .args(["optout", "add", MOBILE])
        .stdout(full())
        .stderr(Stdio::piped())
        .output()
        .expect("smsdesk runs");
    assert_eq!(code(&added), 0, "the number was added: {added:?}");
    let removed = closed_stdout(super::smsdesk(&dir).args(["optout", "remove", MOBILE]));
    assert_eq!(code(&removed), 0, "and removed: {removed:?}");
}
