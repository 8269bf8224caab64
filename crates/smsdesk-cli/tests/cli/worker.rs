//! `smsdesk worker`: runs until SIGTERM and then exits 0; one SMS Desk per data folder does the
//! work, and a second one waits and takes over.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use smsdesk::worker::WorkerLock;

use super::smsdesk;

const STARTED: &str = "Press Ctrl+C to stop.";
const WAITING: &str =
    "Another SMS Desk is doing this work now; this one will take over when it stops.";
const TOOK_OVER: &str = "this one is tracking deliveries now";

/// A running `smsdesk worker` and the lines of its standard error, as they come.
struct Running {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(dir: &tempfile::TempDir) -> Self {
        let mut child = smsdesk(dir)
            .arg("worker")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn smsdesk worker");
        let stderr = child.stderr.take().expect("stderr");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits (up to 30 s) for a line containing `text`; returns it.
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no line with {text:?} in 30 s: {:?}", self.seen)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the worker ended without {text:?}: {:?}", self.seen)
                }
            }
        }
    }

    /// Sends SIGTERM and waits for the worker to end; its exit code and every line it said.
    fn terminate(mut self) -> (Option<i32>, Vec<String>) {
        let killed = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(killed.success(), "kill -TERM failed");
        let status = self.child.wait().expect("wait for the worker");
        // The reader thread ends at the end of standard error.
        self.seen.extend(self.lines.iter());
        (status.code(), self.seen)
    }
}

#[test]
fn the_worker_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut worker = Running::start(&dir);
    let started = worker.wait_for(STARTED);
    assert_eq!(
        started,
        format!(
            "Tracking deliveries for messages in {}. Press Ctrl+C to stop.",
            dir.path().display()
        )
    );
    let (code, lines) = worker.terminate();
    assert_eq!(code, Some(0), "{lines:?}");
    assert!(
        !lines.iter().any(|l| l.contains(WAITING)),
        "it was the only one: {lines:?}"
    );
}

#[test]
fn a_second_worker_waits_and_takes_over() {
    let dir = tempfile::tempdir().expect("temp dir");
    // This test is "the app": it holds the data folder's worker lock.
    let lock = WorkerLock::acquire(dir.path()).expect("take the worker lock");
    let mut worker = Running::start(&dir);
    worker.wait_for(STARTED);
    worker.wait_for(WAITING);
    drop(lock);
    worker.wait_for(TOOK_OVER);
    let (code, lines) = worker.terminate();
    assert_eq!(code, Some(0), "{lines:?}");
    assert_eq!(
        lines.iter().filter(|l| l.contains(WAITING)).count(),
        1,
        "said once: {lines:?}"
    );
    // Now it holds the lock; once it has stopped, the lock is free again.
    WorkerLock::acquire(dir.path()).expect("the lock is released when the worker stops");
}

#[test]
fn a_worker_that_is_waiting_still_stops_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let _lock = WorkerLock::acquire(dir.path()).expect("take the worker lock");
    let mut worker = Running::start(&dir);
    worker.wait_for(WAITING);
    let (code, lines) = worker.terminate();
    assert_eq!(code, Some(0), "{lines:?}");
}
