//! `smsdesk send` records every message in the shared history; `smsdesk history` lists it.

use octopods_sim::PRACTICE_KEY;
use serde_json::Value;
use smsdesk::history::STATUS_FILTERS;

use super::{code, json_lines, run, smsdesk, stderr, stdout, Env, MOBILE};

const LANDLINE: &str = "+12015550140";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_are_recorded_as_they_turned_out() {
    let env = Env::new().await;
    assert!(
        env.history(&[]).is_empty(),
        "an empty history prints nothing"
    );
    let empty = run(env.cmd().arg("history"));
    assert_eq!(stdout(&empty), "No messages yet.\n");

    let (code_ok, sent) = env.send_json(
        PRACTICE_KEY,
        &[
            "--to",
            MOBILE,
            "--body",
            "Hi Jane, see you at 10:00.",
            "--name",
            "Jane",
        ],
    );
    assert_eq!(code_ok, 0, "{sent}");
    let (code_rejected, refused) =
        env.send_json(PRACTICE_KEY, &["--to", LANDLINE, "--body", "Hi Bob"]);
    assert_eq!(code_rejected, 3, "{refused}");

    let rows = env.history(&[]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let (rejected, accepted) = (&rows[0], &rows[1]);

    assert_eq!(accepted["id"], sent["history_id"]);
    assert_eq!(accepted["outcome"], "accepted");
    assert_eq!(accepted["to"], MOBILE);
    assert_eq!(accepted["name"], "Jane");
    assert_eq!(accepted["body"], "Hi Jane, see you at 10:00.");
    assert_eq!(accepted["request_id"], sent["request_id"]);
    assert_eq!(accepted["message_id"], sent["message_id"]);
    assert!(accepted["message_id"].is_string(), "{accepted}");
    assert_eq!(accepted["status"], Value::Null, "not asked about yet");
    assert_eq!(accepted["summary"], "Accepted, checking delivery…");
    assert_eq!(accepted["channel_id"], "command-line");
    assert_eq!(accepted["channel"], "Command line (OCTOPODS_API_KEY)");
    assert_eq!(accepted["template"], Value::Null);
    assert_eq!(accepted["error_code"], Value::Null);
    let created = accepted["created_at"].as_str().expect("created_at is text");
    chrono::DateTime::parse_from_rfc3339(created)
        .unwrap_or_else(|e| panic!("{created} is not RFC 3339: {e}"));

    assert_eq!(rejected["id"], refused["history_id"]);
    assert_eq!(rejected["outcome"], "rejected");
    assert_eq!(rejected["error_code"], 4);
    assert_eq!(rejected["http_status"], 400);
    assert_eq!(rejected["request_id"], refused["request_id"]);
    assert!(rejected["error"].is_string(), "{rejected}");
    assert_eq!(rejected["summary"], "Not sent: Octopods refused it");
    assert!(rejected["hint"].is_string(), "{rejected}");

    let keys: Vec<&str> = accepted
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "id",
        "created_at",
        "to",
        "name",
        "body",
        "channel",
        "template",
        "outcome",
        "status",
        "status_detail",
        "summary",
        "request_id",
        "message_id",
        "error_code",
        "error",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_filters_by_status_and_search_and_limits() {
    let env = Env::new().await;
    for (to, body) in [
        (MOBILE, "First"),
        (LANDLINE, "Second"),
        ("+12015550124", "Third"),
        (
            MOBILE,
            "Fourth, a long message that goes well past forty characters",
        ),
    ] {
        let output = env.send(PRACTICE_KEY, &["--to", to, "--body", body]);
        assert!(matches!(code(&output), 0 | 3), "{output:?}");
    }
    let bodies = |rows: Vec<Value>| -> Vec<String> {
        rows.iter()
            .map(|r| r["body"].as_str().unwrap_or("?").chars().take(6).collect())
            .collect()
    };
    assert_eq!(
        bodies(env.history(&[])),
        ["Fourth", "Third", "Second", "First"],
        "newest first"
    );
    assert_eq!(bodies(env.history(&["--limit", "2"])), ["Fourth", "Third"]);
    assert_eq!(bodies(env.history(&["--status", "rejected"])), ["Second"]);
    assert_eq!(bodies(env.history(&["--status", "REFUSED"])), ["Second"]);
    assert_eq!(
        bodies(env.history(&["--status", "accepted", "--limit", "5"])),
        ["Fourth", "Third", "First"]
    );
    assert_eq!(
        bodies(env.history(&["--search", "(201) 555-0123"])),
        ["Fourth", "First"],
        "a number matches in any format"
    );
    assert_eq!(bodies(env.history(&["--search", "thir"])), ["Third"]);
    assert!(env.history(&["--status", "delivered"]).is_empty());

    let text = run(env.cmd().args(["history", "--limit", "2"]));
    assert_eq!(code(&text), 0);
    let text = stdout(&text);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].contains(MOBILE), "{text}");
    assert!(lines[0].contains("Accepted, checking delivery…"), "{text}");
    assert!(
        lines[0].ends_with("Fourth, a long message that goes well p…"),
        "the first 40 characters of the message: {text}"
    );
    assert!(lines[1].contains("+12015550124"), "{text}");
    assert_eq!(
        lines[2],
        "Showing the newest 2 of 4. Use --limit to see more, or --search and --status to narrow them down."
    );
    let none = run(env.cmd().args(["history", "--search", "nobody"]));
    assert_eq!(stdout(&none), "No messages match.\n");

    let typo = run(env.cmd().args(["history", "--status", "deliverd"]));
    assert_eq!(code(&typo), 2);
    let said = stderr(&typo);
    assert!(said.contains("\"deliverd\" is not a status"), "{said}");
    for word in STATUS_FILTERS {
        assert!(said.contains(word), "{word} is listed: {said}");
    }
    assert!(typo.stdout.is_empty());
    let zero = run(env.cmd().args(["history", "--limit", "0"]));
    assert_eq!(code(&zero), 2, "{zero:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_updates_the_history_row() {
    let env = Env::new().await;
    let (_, sent) = env.send_json(PRACTICE_KEY, &["--to", MOBILE, "--body", "Hi"]);
    let id = sent["message_id"].as_str().expect("message id").to_owned();
    let status = || {
        run(env.cmd().env("OCTOPODS_API_KEY", PRACTICE_KEY).args([
            "status",
            &id,
            "--base-url",
            &env.sim.base_url(),
        ]))
    };
    assert_eq!(code(&status()), 0);
    let row = env.history(&[]).remove(0);
    assert_eq!(row["status"], "queued");
    assert_eq!(row["summary"], "Accepted, waiting to be sent");
    assert_eq!(code(&status()), 0);
    assert_eq!(code(&status()), 0);
    let row = env.history(&[]).remove(0);
    assert_eq!(row["status"], "delivered");
    assert_eq!(row["summary"], "Delivered");
    assert_eq!(
        json_lines(&run(env.cmd().args([
            "history",
            "--json",
            "--status",
            "delivered"
        ])))
        .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_history_means_no_send() {
    let env = Env::new().await;
    // A file where the data folder should be: the history cannot be created.
    let blocked = env.dir.path().join("not-a-folder");
    std::fs::write(&blocked, "x").expect("write");
    let output = run(env
        .cmd()
        .env("SMSDESK_DATA_DIR", &blocked)
        .env("OCTOPODS_API_KEY", PRACTICE_KEY)
        .args(["send", "--json", "--base-url", &env.sim.base_url()])
        .args(["--to", MOBILE, "--body", "Hi"]));
    assert_eq!(code(&output), 2, "{output:?}");
    let said = stderr(&output);
    assert!(
        said.contains("could not open its message history"),
        "{said}"
    );
    assert!(said.contains("Nothing was sent"), "{said}");
    assert!(output.stdout.is_empty());
    assert!(env.sim.requests().is_empty(), "not recorded, not sent");
}

/// An Octopods look-alike whose words hold terminal escape sequences: a refusal's `error`, the
/// ids, a delivery status and its reason (clear the screen, retitle the window, recolour,
/// a C1 CSI). The simulator only says its own fixed words, so this one is made here. Answers
/// `POST /api/v1/sms/messages` (refused for `LANDLINE`) and `GET .../m1`; returns its address.
async fn hostile_server() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            // The headers, then as much body as Content-Length says.
            let (head, body_len) = loop {
                let Ok(n) = socket.read(&mut buffer).await else {
                    break (String::new(), 0);
                };
                if n == 0 {
                    break (String::new(), 0);
                }
                request.extend_from_slice(&buffer[..n]);
                if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&request[..end]).into_owned();
                    let length = head
                        .lines()
                        .find_map(|l| {
                            let (name, value) = l.split_once(':')?;
                            name.eq_ignore_ascii_case("content-length")
                                .then(|| value.trim().parse::<usize>().ok())?
                        })
                        .unwrap_or(0);
                    break (head, end + 4 + length);
                }
            };
            while request.len() < body_len {
                match socket.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let text = String::from_utf8_lossy(&request).into_owned();
            let (status, answer) = if head.starts_with("POST ") && text.contains(LANDLINE) {
                (
                    "400 Bad Request",
                    serde_json::json!({
                        "request_id": "req-\u{1b}[8m1",
                        "error_code": 4,
                        "error": "\u{1b}[2J\u{1b}]0;pwned\u{7}The provider\nrefused it\u{9b}31m.\u{7f}",
                    }),
                )
            } else if head.starts_with("POST ") {
                (
                    "201 Created",
                    serde_json::json!({
                        "request_id": "req-\u{1b}[1m2",
                        "message_id": "m1",
                        "phone_number": MOBILE,
                    }),
                )
            } else {
                (
                    "200 OK",
                    serde_json::json!({
                        "message_id": "m1",
                        "status": "fail\u{1b}[0med",
                        "failure_reason": "\u{1b}[2JCarrier\r\nsaid no\u{9b}5m\u{1b}]8;;http://x\u{1b}\\",
                    }),
                )
            };
            let body = answer.to_string();
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(reply.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    format!("http://{address}")
}

/// No raw escape byte, C1 control or other control character but a line break.
fn assert_no_controls(what: &str, bytes: &[u8]) {
    assert!(
        !bytes.contains(&0x1b),
        "{what} holds an ESC byte: {:?}",
        String::from_utf8_lossy(bytes)
    );
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{what} holds a control character: {text:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_escape_sequences_never_reach_the_terminal() {
    let base = hostile_server().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let cmd = || {
        let mut cmd = smsdesk(&dir);
        cmd.env("OCTOPODS_API_KEY", "key-1");
        cmd
    };
    let refused = run(cmd().args([
        "send",
        "--base-url",
        &base,
        "--to",
        LANDLINE,
        "--body",
        "Hi",
    ]));
    assert_eq!(code(&refused), 3, "{refused:?}");
    assert!(
        stderr(&refused).contains("The provider refused it."),
        "{}",
        stderr(&refused)
    );
    assert_no_controls("send's error", &refused.stderr);
    assert_no_controls("send's output", &refused.stdout);
    let sent = run(cmd().args([
        "send",
        "--json",
        "--base-url",
        &base,
        "--to",
        MOBILE,
        "--body",
        "Hi",
        "--name",
        "Jane",
    ]));
    assert_eq!(code(&sent), 0, "{sent:?}");
    assert_no_controls("send's JSON", &sent.stdout);
    let status = run(cmd().args(["status", "m1", "--base-url", &base]));
    assert_eq!(code(&status), 0, "{status:?}");
    assert_no_controls("status", &status.stdout);
    assert_no_controls("status's warnings", &status.stderr);

    let text = run(smsdesk(&dir).arg("history"));
    assert_eq!(code(&text), 0, "{text:?}");
    assert_no_controls("history", &text.stdout);
    let shown = stdout(&text);
    assert!(shown.contains("Not delivered: Carrier said no"), "{shown}");
    assert!(shown.contains("Not sent: Octopods refused it"), "{shown}");
    let json = run(smsdesk(&dir).args(["history", "--json"]));
    assert_no_controls("history --json", &json.stdout);
    let rows = json_lines(&json);
    assert_eq!(rows[0]["status"], "failed");
    assert_eq!(rows[0]["status_detail"], "Carrier said no");
    assert_eq!(rows[1]["error"], "The provider refused it.");
    for row in &rows {
        for (field, value) in row.as_object().expect("an object") {
            if let Some(text) = value.as_str() {
                assert!(!text.chars().any(char::is_control), "{field}: {text:?}");
            }
        }
    }
}
