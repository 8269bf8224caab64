//! Where `smsdesk send` goes: `--practice` (nobody is texted), `OCTOPODS_API_KEY`, or the app's
//! saved channel; never Practice by itself; never live while the do-not-text list may be
//! incomplete.

use octopods_sim::PRACTICE_KEY;
use serde_json::Value;

use super::{code, json_lines, run, stderr, stdout, Env, MOBILE};

/// The environment of a computer whose keychain cannot be reached: any attempt to open it
/// fails (with its own error, not `no_channel`).
fn without_keychain(cmd: &mut std::process::Command) -> &mut std::process::Command {
    cmd.env_remove("SMSDESK_KEYSTORE")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_key_and_no_channel_is_refused_without_asking_the_keychain() {
    let env = Env::new().await;
    let output = run(without_keychain(&mut env.cmd()).args([
        "send",
        "--to",
        MOBILE,
        "--body",
        "Hello",
        "--base-url",
        &env.sim.base_url(),
    ]));
    assert_eq!(code(&output), 2, "{output:?}");
    let said = stderr(&output);
    assert!(
        said.starts_with("error: No channel is set up to send from, and OCTOPODS_API_KEY is not set, so nothing was sent.\n"),
        "{said}"
    );
    assert!(said.contains("--practice"), "says how to try it: {said}");
    assert!(!said.to_lowercase().contains("keychain"), "{said}");
    assert!(output.stdout.is_empty(), "{output:?}");
    assert!(env.sim.requests().is_empty(), "nothing was sent");
    assert!(
        env.history(&[]).is_empty(),
        "no history row, not even a Practice one"
    );

    // The same computer with a saved channel does ask the keychain, and says so: the
    // refusal above came before any keychain access.
    super::desk(env.dir.path())
        .add_channel("Main Street", "", &env.sim.base_url())
        .await
        .expect("add a channel");
    let asked =
        run(without_keychain(&mut env.cmd()).args(["send", "--to", MOBILE, "--body", "Hello"]));
    assert_eq!(code(&asked), 2, "{asked:?}");
    let said = stderr(&asked);
    assert!(said.to_lowercase().contains("keychain"), "{said}");
    assert!(!said.contains("No channel is set up"), "{said}");
    assert!(env.sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn practice_texts_nobody_and_is_never_chosen_by_itself() {
    let env = Env::new().await;
    // A key and a server are set: --practice still sends to the practice server only.
    let output = run(env
        .cmd()
        .env("OCTOPODS_API_KEY", PRACTICE_KEY)
        .env("OCTOPODS_BASE_URL", env.sim.base_url())
        .args([
            "send",
            "--practice",
            "--json",
            "--to",
            MOBILE,
            "--body",
            "Hi",
        ]));
    assert_eq!(code(&output), 0, "{output:?}");
    let sent = json_lines(&output).remove(0);
    assert_eq!(sent["outcome"], "accepted");
    assert!(sent["message_id"].is_string(), "{sent}");
    assert!(env.sim.requests().is_empty(), "the real server saw nothing");
    let rows = env.history(&[]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["id"], sent["history_id"]);
    assert_eq!(rows[0]["channel"], "Practice");
    assert_eq!(rows[0]["channel_id"], "practice");
    assert_eq!(rows[0]["outcome"], "accepted");

    let text = run(env
        .cmd()
        .args(["send", "--practice", "--to", MOBILE, "--body", "Hi again"]));
    assert_eq!(code(&text), 0, "{text:?}");
    let said = stdout(&text);
    assert!(
        said.starts_with("Sent to +12015550123 (Practice: nobody was texted).\n"),
        "{said}"
    );
    assert!(
        !said.contains("smsdesk status"),
        "Practice ends with the command: {said}"
    );

    // The practice server's landline is refused as a real one would be.
    let landline = run(env.cmd().args([
        "send",
        "--practice",
        "--json",
        "--to",
        "+12015550140",
        "--body",
        "Hi",
    ]));
    assert_eq!(code(&landline), 3, "{landline:?}");
    assert_eq!(json_lines(&landline)[0]["outcome"], "rejected");

    let both = run(env.cmd().args([
        "send",
        "--practice",
        "--base-url",
        &env.sim.base_url(),
        "--to",
        MOBILE,
        "--body",
        "Hi",
    ]));
    assert_eq!(code(&both), 2, "--practice has no server address: {both:?}");

    // No key, no channel, no --practice: refused, not sent to Practice.
    let refused = run(env
        .cmd()
        .args(["send", "--json", "--to", MOBILE, "--body", "Hi"]));
    assert_eq!(code(&refused), 2, "{refused:?}");
    assert!(stderr(&refused).contains("No channel is set up"));
    assert!(refused.stdout.is_empty());
    assert_eq!(env.history(&[]).len(), 3, "no row for the refused send");
    assert!(env.sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_use_the_region_else_the_apps_country() {
    let env = Env::new().await;
    super::set_default_country(env.dir.path(), "US").await;
    let (code_us, _) = env.send_json(PRACTICE_KEY, &["--to", "201 555 0123", "--body", "Hi"]);
    assert_eq!(code_us, 0, "the app's country");
    let (code_ie, sent) = env.send_json(
        PRACTICE_KEY,
        &["--to", "083 123 4567", "--region", "IE", "--body", "Hi"],
    );
    assert_eq!(code_ie, 0, "{sent}");
    let to: Vec<Value> = env
        .sim
        .requests()
        .iter()
        .map(|r| {
            r.body
                .as_ref()
                .map_or(Value::Null, |b| b["destination_phone"].clone())
        })
        .collect();
    assert_eq!(to, ["+12015550123", "+353831234567"], "--region wins");
}

/// Replaces the history file with bytes that are not a database, as a disk fault might.
fn damage_history(dir: &std::path::Path) {
    std::fs::write(
        dir.join(smsdesk::store::DB_FILE),
        "this is not an SQLite database, and the do-not-text list in it is lost".repeat(100),
    )
    .expect("write");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_do_not_text_list_pauses_live_sends_until_confirmed() {
    let env = Env::new().await;
    damage_history(env.dir.path());

    let paused = env.send(PRACTICE_KEY, &["--to", MOBILE, "--body", "Hi"]);
    assert_eq!(code(&paused), 2, "{paused:?}");
    let said = stderr(&paused);
    assert!(
        said.contains("error: Messages to real numbers are paused"),
        "{said}"
    );
    assert!(
        said.contains("smsdesk optout confirm-complete"),
        "says how: {said}"
    );
    // The notice the app shows, as a warning: where the damaged file was kept.
    assert!(
        said.lines()
            .any(|l| l.starts_with("warning: ") && l.contains("history.sqlite3.damaged-")),
        "{said}"
    );
    assert!(paused.stdout.is_empty());
    assert!(env.sim.requests().is_empty(), "nothing was sent");

    let practice = run(env
        .cmd()
        .args(["send", "--practice", "--to", MOBILE, "--body", "Hi"]));
    assert_eq!(code(&practice), 0, "Practice still works: {practice:?}");

    let history = run(env.cmd().args(["history", "--json"]));
    assert_eq!(code(&history), 0);
    let warned = stderr(&history);
    let incomplete = warned
        .split("warning: ")
        .find(|w| w.contains("smsdesk optout import FILE"))
        .unwrap_or_else(|| panic!("the list's notice, with what to do here: {warned}"));
    assert!(incomplete.contains("do-not-text list"), "{warned}");
    assert!(
        incomplete.contains("smsdesk optout confirm-complete"),
        "{warned}"
    );

    let confirmed = run(env.cmd().args(["optout", "confirm-complete"]));
    assert_eq!(code(&confirmed), 0, "{confirmed:?}");
    assert_eq!(
        stdout(&confirmed),
        "Confirmed that the do-not-text list is complete: messages to real numbers are sent again.\n"
    );
    let again = run(env.cmd().args(["optout", "confirm-complete"]));
    assert_eq!(code(&again), 0);
    assert!(stdout(&again).contains("nothing changed"), "{again:?}");

    let (code_sent, sent) = env.send_json(PRACTICE_KEY, &["--to", MOBILE, "--body", "Hi"]);
    assert_eq!(code_sent, 0, "{sent}");
    assert_eq!(env.sim.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_the_list_again_resumes_live_sends() {
    let env = Env::new().await;
    damage_history(env.dir.path());
    let file = env.dir.path().join("exported.csv");
    std::fs::write(&file, "Number,Reason\n+12015550124,Replied STOP\n").expect("write");
    let imported = run(env.cmd().args(["optout", "import"]).arg(&file));
    assert_eq!(code(&imported), 0, "{imported:?}");
    assert_eq!(
        stdout(&imported),
        "1 number in the file, 1 added, 0 already on the list, 0 not numbers\n\
         The do-not-text list was imported again, so messages to real numbers are sent again.\n"
    );
    let (code_sent, sent) = env.send_json(PRACTICE_KEY, &["--to", MOBILE, "--body", "Hi"]);
    assert_eq!(code_sent, 0, "{sent}");
    let blocked = env.send(PRACTICE_KEY, &["--to", "+12015550124", "--body", "Hi"]);
    assert_eq!(
        code(&blocked),
        6,
        "an imported number is refused: {blocked:?}"
    );
    assert_eq!(env.sim.requests().len(), 1);
}

/// The app's send and the command line's, of the same input, make the same history row: both
/// go through `Desk::send`. (Practice both ways, so no keychain is involved; only the ids and
/// times differ.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_and_the_command_line_record_the_same_row() {
    let env = Env::new().await;
    let app = super::desk(env.dir.path());
    app.add_teammate("Ann", "814860").await.expect("a teammate");
    let draft = smsdesk::draft::Draft {
        to: "+1 201 555 0123".into(),
        body: "See you tomorrow at 10:00.".into(),
        name: "Jane Doe".into(),
        open_conversation: true,
        teammate_id: "814860".into(),
    };
    let sent = app
        .send(smsdesk::desk::Via::Active, draft, None, false)
        .await
        .expect("the app's practice send");
    let output = run(env.cmd().args([
        "send",
        "--practice",
        "--json",
        "--to",
        "+1 201 555 0123",
        "--body",
        "See you tomorrow at 10:00.",
        "--name",
        "Jane Doe",
        "--open-conversation",
        "--teammate",
        "814860",
    ]));
    assert_eq!(code(&output), 0, "{output:?}");
    let cli_id = json_lines(&output)[0]["history_id"]
        .as_i64()
        .expect("the row's id");
    let row = |id| {
        let app = &app;
        async move {
            let entry = app
                .history_entry(id)
                .await
                .expect("read")
                .expect("the row")
                .entry;
            let mut row = serde_json::to_value(entry).expect("json");
            for differs in [
                "id",
                "createdAt",
                "updatedAt",
                "requestId",
                "messageId",
                "nextPollAt",
            ] {
                row[differs] = Value::Null;
            }
            row
        }
    };
    let (from_app, from_cli) = (row(sent.history_id).await, row(cli_id).await);
    assert_eq!(from_app, from_cli);
    assert_eq!(from_cli["teammateName"], "Ann", "{from_cli}");
    assert_eq!(from_cli["channelName"], "Practice");
}
