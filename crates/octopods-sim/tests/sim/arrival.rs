//! Every recorded request carries its arrival time on the simulator's own clock, taken before
//! any fault: what a pacing measurement reads.

use std::time::{Duration, Instant};

use octopods_sim::{Fault, PRACTICE_KEY};
use reqwest::Method;
use serde_json::Value;

use crate::{client, message, raw, sim, PHONE};

const LATENCY_MS: u64 = 30;

#[tokio::test]
async fn arrival_times_are_recorded_and_increase() {
    let started = Instant::now();
    let sim = sim().await;
    sim.set_fault(Some(Fault::Latency(Duration::from_millis(LATENCY_MS))));
    let client = client(&sim, PRACTICE_KEY);
    for _ in 0..3 {
        assert_eq!(client.send(&message(PHONE)).await.kind(), "accepted");
    }
    let elapsed = u64::try_from(started.elapsed().as_millis()).expect("a short test");

    let arrivals: Vec<u64> = sim.requests().iter().map(|r| r.received_ms).collect();
    assert_eq!(arrivals.len(), 3);
    for pair in arrivals.windows(2) {
        // One send at a time: the next arrives only after the last one's latency.
        assert!(
            pair[1] >= pair[0] + LATENCY_MS,
            "arrivals {arrivals:?} are {LATENCY_MS} ms apart at least"
        );
    }
    assert!(
        arrivals[2] + LATENCY_MS <= elapsed,
        "the last arrival {arrivals:?} is before its latency, within the test's {elapsed} ms"
    );

    let listed = raw(&sim, Method::GET, "/_sim/requests", None, None).await;
    let Some(Value::Array(items)) = listed.json else {
        panic!("a JSON array: {}", listed.text);
    };
    let over_http: Vec<Option<u64>> = items.iter().map(|i| i["received_ms"].as_u64()).collect();
    assert_eq!(
        over_http,
        arrivals.iter().copied().map(Some).collect::<Vec<_>>()
    );
    assert_eq!(items[0]["body"]["destination_phone"], PHONE);
}
