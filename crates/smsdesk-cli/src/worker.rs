//! `smsdesk worker`: the app's background work without the app — asking Octopods about the
//! delivery of sent messages and recording the answers, sending the lists started from the app,
//! and sending what was scheduled (`send --at`, `bulk send --at/--before`) when its time comes
//! — until Ctrl+C or SIGTERM. One SMS Desk per data folder does it (the worker lock); a second
//! one waits and takes over.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use smsdesk::desk::Desk;
use smsdesk::worker::{Stop, Tick, Worker, TICK};

use crate::args::WorkerArgs;
use crate::data::{self, Purpose};
use crate::error::{exit, CliError, Result};
use crate::output;

pub async fn run(_args: &WorkerArgs) -> Result<u8> {
    // Listening before saying it started: a SIGTERM right after that line is a clean stop.
    let stop_signal = stop_signal().map_err(CliError::Runtime)?;
    let desk = Arc::new(data::open(Purpose::Use, false).await?);
    output::err(format_args!(
        "Tracking deliveries for messages in {}. Press Ctrl+C to stop.",
        desk.dir().display()
    ));
    // Jobs scheduled with OCTOPODS_API_KEY (never stored) are sent with the key given here.
    let key = crate::route::env_key()?;
    say_waiting(&desk, key.is_some()).await;
    let worker = Worker::with_key(Arc::clone(&desk), key);
    // The app's loop (`Worker::run_observed`: its injected sleeper, one tick at a time, the
    // lock let go at the end); a signal stops it after the tick under way (an answer being
    // recorded is recorded).
    let stop = Stop::new();
    let mut waiting = false;
    let mut last_error: Option<String> = None;
    let observe = |tick: &smsdesk::Result<Tick>| match tick {
        Ok(Tick::Waiting) => {
            if !waiting {
                output::err("Another SMS Desk is doing this work now; this one will take over when it stops.");
            }
            waiting = true;
            last_error = None;
        }
        Ok(Tick::Worked { .. }) => {
            if waiting {
                output::err("The other SMS Desk stopped; this one is tracking deliveries now.");
            }
            waiting = false;
            last_error = None;
        }
        Err(e) => {
            // Tried again at the next tick (a locked database, the network): said once.
            let text = e.to_string();
            if last_error.as_deref() != Some(text.as_str()) {
                output::err(format_args!(
                    "warning: {text} (trying again every {} s)",
                    TICK.as_secs()
                ));
            }
            last_error = Some(text);
        }
    };
    tokio::join!(worker.run_observed(&stop, observe), async {
        stop_signal.await;
        stop.stop();
    });
    Ok(exit::OK)
}

/// What is scheduled, said once at the start: how much waits and when the next goes, and the
/// jobs this worker cannot send by itself (scheduled with `OCTOPODS_API_KEY`, never stored).
async fn say_waiting(desk: &Desk, has_key: bool) {
    let (Ok(waiting), Ok(clinic)) = (desk.scheduled().await, desk.clinic().await) else {
        return;
    };
    let next = waiting.iter().filter_map(|j| j.next_at).min();
    if let Some(next) = next {
        output::err(format_args!(
            "{} scheduled {} waiting; the next goes {}.",
            waiting.len(),
            if waiting.len() == 1 {
                "send is"
            } else {
                "sends are"
            },
            clinic.zone.show(next)
        ));
    }
    let missed = waiting.iter().filter(|j| j.counts.missed > 0).count();
    if missed > 0 {
        output::err(format_args!(
            "{missed} scheduled {} missed while SMS Desk was not running: see smsdesk schedule list.",
            if missed == 1 { "send was" } else { "sends were" }
        ));
    }
    for job in waiting.iter().filter(|j| j.route == "key" && !has_key) {
        output::err(format_args!(
            "warning: job {} was scheduled with OCTOPODS_API_KEY, which SMS Desk never stores, and this worker has none: at its time it is held (paused). Run smsdesk worker with OCTOPODS_API_KEY set, or send it then: smsdesk bulk resume {}.",
            job.id, job.id
        ));
    }
}

type Signal = Pin<Box<dyn Future<Output = ()>>>;

/// Resolves at Ctrl+C or (on Unix) SIGTERM; the handlers are in place when this returns.
#[cfg(unix)]
fn stop_signal() -> std::io::Result<Signal> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(Box::pin(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    }))
}

#[cfg(windows)]
fn stop_signal() -> std::io::Result<Signal> {
    let mut interrupt = tokio::signal::windows::ctrl_c()?;
    Ok(Box::pin(async move {
        let _ = interrupt.recv().await;
    }))
}
