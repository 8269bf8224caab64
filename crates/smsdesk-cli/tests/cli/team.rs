//! `smsdesk team` (issue 13), exactly as the issue writes it, against a real PostgreSQL
//! (a throwaway cluster) with two desks: two data folders, two processes.

use serde_json::Value;
use test_postgres::Cluster;

use super::{code, json_lines, run, stdout, Env};
use octopods_sim::PRACTICE_KEY;

fn status(env: &Env) -> Value {
    let out = run(env.cmd().args(["team", "status", "--json"]));
    assert_eq!(code(&out), 0, "{out:?}");
    json_lines(&out).remove(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desks_share_the_list_and_the_password_stays_out_of_the_settings() {
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    // Trust authentication ignores the password; it must still go to the keychain only.
    let with_password = url.replacen("smsdesk@", "smsdesk:s3cret-pw@", 1);
    let (a, b) = (Env::new().await, Env::new().await);

    let before = status(&a);
    assert_eq!(
        before,
        serde_json::json!({"joined": false, "desk": null, "server": null, "last_sync": null, "pending": 0, "stale": false})
    );
    let joined = run(a
        .cmd()
        .args(["team", "join", &with_password, "--desk", "Front desk"]));
    assert_eq!(code(&joined), 0, "{joined:?}");
    let joined = run(b.cmd().args(["team", "join", &url, "--desk", "Branch"]));
    assert_eq!(code(&joined), 0, "{joined:?}");

    let s = status(&a);
    assert_eq!(s["joined"], true, "{s}");
    assert_eq!(s["desk"], "Front desk", "{s}");
    assert_eq!(
        s["server"],
        url.as_str(),
        "the string without its password: {s}"
    );
    assert!(s["last_sync"].is_string(), "{s}");
    assert_eq!(s["pending"], 0, "{s}");
    for entry in walk(a.dir.path()) {
        let bytes = std::fs::read(&entry).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("s3cret-pw"),
            "the password is in {}",
            entry.display()
        );
    }

    // An opt-out at A (pushed at once) blocks B's send: exit 6, no request.
    let added = run(a
        .cmd()
        .args(["optout", "add", "+12015550123", "--reason", "Replied STOP"]));
    assert_eq!(code(&added), 0, "{added:?}");
    let refused = b.send(PRACTICE_KEY, &["--to", "+12015550123", "--body", "Hi"]);
    assert_eq!(code(&refused), 6, "{refused:?}");
    assert!(b.sim.requests().is_empty(), "no request");

    // B's send of another number reaches the team's history: A answers "did they get it?".
    let sent = b.send(PRACTICE_KEY, &["--to", "+12015550124", "--body", "Hi"]);
    assert_eq!(code(&sent), 0, "{sent:?}");

    // Sync: 0, or 5 when the server cannot be reached.
    let synced = run(b.cmd().args(["team", "sync"]));
    assert_eq!(code(&synced), 0, "{synced:?}");
    let synced = run(a.cmd().args(["team", "sync"]));
    assert_eq!(code(&synced), 0, "{synced:?}");
    let seen = run(a
        .cmd()
        .args(["team", "history", "+1 201 555 0124", "--json"]));
    assert_eq!(code(&seen), 0, "{seen:?}");
    let seen = json_lines(&seen);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["desk"], "Branch", "{seen:?}");
    assert_eq!(seen[0]["to"], "+12015550124", "{seen:?}");
    assert_eq!(seen[0]["outcome"], "accepted", "{seen:?}");
    let none = run(a.cmd().args(["team", "history", "+12015550199", "--json"]));
    assert!(json_lines(&none).is_empty(), "{none:?}");
    pg.stop();
    let offline = run(b.cmd().args(["team", "sync"]));
    assert_eq!(code(&offline), 5, "{offline:?}");
    assert!(
        String::from_utf8_lossy(&offline.stderr).contains("could not reach the team's server"),
        "{offline:?}"
    );
    pg.start();

    let left = run(a.cmd().args(["team", "leave"]));
    assert_eq!(code(&left), 0, "{left:?}");
    assert!(stdout(&left).starts_with("Left the team."), "{left:?}");
    assert_eq!(status(&a)["joined"], false);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// What `sql` answers (one value) on the team's database.
fn answer(pg: &Cluster, sql: &str) -> String {
    let out = pg.psql("clinic", sql);
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Polls until `sql` answers `expected` (a guard of 30 s against a hang: it returns as soon
/// as the server is in that state).
fn wait_for(pg: &Cluster, sql: &str, expected: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while answer(pg, sql) != expected {
        assert!(
            std::time::Instant::now() < deadline,
            "the server never answered {expected:?} to {sql}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

const WAITING_DESKS: &str = "SELECT count(*) FROM pg_stat_activity \
     WHERE application_name = 'SMS Desk' AND wait_event_type = 'Lock'";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_mid_push_loses_nothing_and_duplicates_nothing() {
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let a = Env::new().await;
    let joined = run(a.cmd().args(["team", "join", &url, "--desk", "Front desk"]));
    assert_eq!(code(&joined), 0, "{joined:?}");

    // Another session holds the change log's lock: a push waits inside its transaction.
    let holder = pg.psql_in_background(
        "clinic",
        "BEGIN; LOCK TABLE smsdesk_optout_changes IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120);",
    );
    wait_for(
        &pg,
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
         WHERE c.relname = 'smsdesk_optout_changes' AND l.mode = 'AccessExclusiveLock' AND l.granted",
        "1",
    );
    // The opt-out is kept here; its push at once gives up after the short bound.
    let added = run(a
        .cmd()
        .args(["optout", "add", "+12015550123", "--reason", "Replied STOP"]));
    assert_eq!(code(&added), 0, "{added:?}");
    assert_eq!(status(&a)["pending"], 1);

    // `team sync` is killed (SIGKILL) while its push waits in the server's transaction.
    let before: u32 = answer(&pg, WAITING_DESKS).parse().expect("a count");
    let mut sync = a
        .cmd()
        .args(["team", "sync"])
        .spawn()
        .expect("smsdesk runs");
    wait_for(&pg, WAITING_DESKS, &(before + 1).to_string());
    sync.kill().expect("killed");
    let killed = sync.wait().expect("it ends");
    assert!(!killed.success(), "{killed:?}");
    answer(
        &pg,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()",
    );
    let mut holder = holder;
    let _ = holder.wait();

    // Nothing lost: the change still waits here, and goes up once; again, nothing twice.
    assert_eq!(status(&a)["pending"], 1, "kept through the kill");
    let count = "SELECT count(*) FROM smsdesk_optout_changes WHERE number = '+12015550123'";
    assert_eq!(answer(&pg, count), "0", "the killed push left nothing");
    for _ in 0..2 {
        let synced = run(a.cmd().args(["team", "sync"]));
        assert_eq!(code(&synced), 0, "{synced:?}");
    }
    assert_eq!(answer(&pg, count), "1", "stored once");
    assert_eq!(status(&a)["pending"], 0);

    // Leaving while the server is away says what the other desks will not get.
    pg.stop();
    let added = run(a.cmd().args([
        "optout",
        "add",
        "+12015550124",
        "--reason",
        "Asked at the desk",
    ]));
    assert_eq!(code(&added), 0, "{added:?}");
    let left = run(a.cmd().args(["team", "leave"]));
    assert_eq!(code(&left), 0, "{left:?}");
    assert!(stdout(&left).starts_with("Left the team."), "{left:?}");
    let warned = String::from_utf8_lossy(&left.stderr).into_owned();
    assert!(
        warned.contains("warning: 1 change made at this desk had not reached the team"),
        "{warned:?}"
    );
    pg.start();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_server_over_tls_is_verified_by_default() {
    let pg = Cluster::start_new();
    let ca = pg.use_tls();
    pg.database("clinic");
    // As a managed server's string reads: no sslmode, so verify-full.
    let url = pg.tls_url("clinic");
    let a = Env::new().await;

    // A certificate this computer does not trust: refused in plain words, nothing joined.
    let refused = run(a.cmd().env_remove("SSL_CERT_FILE").args([
        "team",
        "join",
        &url,
        "--desk",
        "Front desk",
    ]));
    assert_eq!(code(&refused), 5, "{refused:?}");
    let said = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert!(said.contains("certificate"), "{said:?}");
    assert_eq!(status(&a)["joined"], false);

    // Its authority trusted (as IT would install it): joined, over TLS (the server takes
    // nothing else over the network).
    let joined =
        run(a
            .cmd()
            .env("SSL_CERT_FILE", &ca)
            .args(["team", "join", &url, "--desk", "Front desk"]));
    assert_eq!(code(&joined), 0, "{joined:?}");
    let synced = run(a.cmd().env("SSL_CERT_FILE", &ca).args(["team", "sync"]));
    assert_eq!(code(&synced), 0, "{synced:?}");
}
