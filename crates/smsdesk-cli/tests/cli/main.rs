//! The `smsdesk` binary against the simulator over real HTTP, as a script would run it.

mod bulk;
mod crash;
mod history;
mod network;
mod optout;
mod output;
mod routes;
mod schedule;
mod team;
mod worker;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use octopods_sim::{Fault, Sim, SimConfig, DEPRECATED_KEY, PRACTICE_KEY};
use serde_json::Value;

const MOBILE: &str = "+12015550123";

/// A command with a clean environment: no real keychain, no real data folder.
fn smsdesk(data_dir: &tempfile::TempDir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_smsdesk"));
    cmd.env("SMSDESK_KEYSTORE", "memory")
        .env("SMSDESK_DATA_DIR", data_dir.path())
        .env_remove("OCTOPODS_API_KEY")
        .env_remove("OCTOPODS_BASE_URL");
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("smsdesk runs")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

struct Env {
    sim: Sim,
    dir: tempfile::TempDir,
}

impl Env {
    async fn new() -> Self {
        Self {
            sim: Sim::start(SimConfig::default()).await.expect("sim"),
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn send(&self, key: &str, args: &[&str]) -> Output {
        run(smsdesk(&self.dir)
            .env("OCTOPODS_API_KEY", key)
            .args(["send", "--json", "--base-url", &self.sim.base_url()])
            .args(args))
    }

    fn send_json(&self, key: &str, args: &[&str]) -> (i32, Value) {
        let output = self.send(key, args);
        let mut lines = json_lines(&output);
        assert_eq!(lines.len(), 1, "one JSON line: {output:?}");
        (code(&output), lines.remove(0))
    }

    /// `smsdesk` in this environment's data folder.
    fn cmd(&self) -> Command {
        smsdesk(&self.dir)
    }

    /// `smsdesk history --json ARGS`: the rows, newest first.
    fn history(&self, args: &[&str]) -> Vec<Value> {
        let output = run(self.cmd().args(["history", "--json"]).args(args));
        assert_eq!(code(&output), 0, "{output:?}");
        json_lines(&output)
    }
}

/// The desk on `dir`, as the app opens it (keys in memory): to set up what the app would have
/// saved.
fn desk(dir: &std::path::Path) -> smsdesk::desk::Desk {
    use smsdesk::desk::{Desk, DeskOptions};
    Desk::new(DeskOptions::new(
        dir,
        smsdesk::secrets::KeyStore::in_memory(),
    ))
}

/// Saves `code` as the app's default country in `dir`, as its Settings screen does.
async fn set_default_country(dir: &std::path::Path, code: &str) {
    let sending = smsdesk::settings::SendingSettings {
        default_country: Some(code.to_owned()),
    };
    desk(dir)
        .save_sending(sending)
        .await
        .expect("save the country");
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn validate_numbers_from_arguments() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = run(smsdesk(&dir).args([
        "validate",
        "--json",
        "--region",
        "US",
        "(415) 555-2671",
        "+44 (0) 20 7946 0958",
        "00353 83 123 4567",
        "555-12",
    ]));
    assert_eq!(code(&output), 1, "one number is invalid");
    insta::assert_snapshot!("validate_json", stdout(&output));

    let all_valid = run(smsdesk(&dir).args(["validate", "--region", "gb", "07400 123456"]));
    assert_eq!(code(&all_valid), 0);
    assert_eq!(
        stdout(&all_valid),
        "07400 123456\tvalid\t+447400123456\tmobile\tGB\n"
    );
}

#[test]
fn validate_reads_standard_input_in_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = smsdesk(&dir)
        .args(["validate", "--json", "--region", "IE"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"0831234567\r\nnot a number\n\n+1 201 555 0123\n")
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    let lines = json_lines(&output);
    let inputs: Vec<&str> = lines
        .iter()
        .map(|l| l["input"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(
        inputs,
        ["0831234567", "not a number", "", "+1 201 555 0123"]
    );
    let valid: Vec<bool> = lines
        .iter()
        .map(|l| l["valid"] == Value::Bool(true))
        .collect();
    assert_eq!(valid, [true, false, false, true]);
    assert_eq!(lines[0]["e164"], "+353831234567");
    assert_eq!(lines[0]["type"], "mobile");
    assert_eq!(lines[1]["type"], Value::Null);
    assert_eq!(code(&output), 1);
}

#[test]
fn validate_answers_each_number_before_the_next_arrives() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = smsdesk(&dir)
        .args(["validate", "--region", "US"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut answers = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    // A program that writes a number and waits for its answer: the answer comes while
    // standard input is still open (batching must not hold it back).
    for (number, verdict) in [("(415) 555-2671", "valid"), ("555-12", "invalid")] {
        writeln!(stdin, "{number}").expect("write");
        stdin.flush().expect("flush");
        let mut line = String::new();
        answers.read_line(&mut line).expect("an answer");
        assert!(
            line.starts_with(&format!("{number}\t{verdict}\t")),
            "{line:?}"
        );
    }
    drop(stdin);
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn validate_answers_a_long_list_in_order() {
    // More numbers than one batch, so several batches and all cores take part.
    let dir = tempfile::tempdir().expect("temp dir");
    let numbers: Vec<String> = (0..9_000)
        .map(|i| match i % 3 {
            0 => format!("(201) 555-{:04}", i % 10_000),
            1 => format!("+44 7400 {:06}", i),
            _ => format!("12-{i}"),
        })
        .collect();
    let mut child = smsdesk(&dir)
        .args(["validate", "--json", "--region", "US"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let text = numbers.join("\n");
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child.wait_with_output().expect("wait");
    writer.join().expect("writer").expect("write");
    let lines = json_lines(&output);
    let inputs: Vec<&str> = lines
        .iter()
        .map(|l| l["input"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(inputs, numbers);
    for (line, i) in lines.iter().zip(0..) {
        assert_eq!(line["valid"] == Value::Bool(true), i % 3 != 2, "{line}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad_region = run(smsdesk(&dir).args(["validate", "--region", "XX", "+14155552671"]));
    assert_eq!(code(&bad_region), 2);
    assert!(String::from_utf8_lossy(&bad_region.stderr).contains("XX"));
    let no_args = run(smsdesk(&dir).args(["send", "--to", MOBILE]));
    assert_eq!(code(&no_args), 2, "--body is required");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_send() {
    let env = Env::new().await;
    let (code, json) = env
        .send(
            PRACTICE_KEY,
            &[
                "--to",
                "(201) 555-0123",
                "--region",
                "US",
                "--body",
                "Hi Jane, see you at 10:00.",
                "--name",
                "Jane Doe",
                "--open-conversation",
                "--teammate",
                "814860",
            ],
        )
        .pipe(|o| (code(&o), json_lines(&o).remove(0)));
    assert_eq!(code, 0);
    insta::assert_json_snapshot!("send_accepted", json, {".request_id" => "[request id]"});
    let requests = env.sim.requests();
    assert_eq!(requests.len(), 1);
    insta::assert_json_snapshot!("send_accepted_request_body", requests[0].body);
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl Pipe for Output {}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_input_sends_nothing() {
    let env = Env::new().await;
    for args in [
        ["--to", "12", "--body", "Hello"],
        ["--to", MOBILE, "--body", "   "],
        ["--to", "0831234567", "--body", "Hello"],
    ] {
        let output = env.send(PRACTICE_KEY, &args);
        assert_eq!(code(&output), 2, "{args:?}: {output:?}");
        assert!(!output.stderr.is_empty(), "{args:?} says why on stderr");
    }
    let long = "x".repeat(1601);
    let output = env.send(PRACTICE_KEY, &["--to", MOBILE, "--body", &long]);
    assert_eq!(code(&output), 2);
    assert!(env.sim.requests().is_empty(), "no request for bad input");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_key_anywhere_is_a_clear_error() {
    let env = Env::new().await;
    let output = run(smsdesk(&env.dir).args([
        "send",
        "--to",
        MOBILE,
        "--body",
        "Hello",
        "--base-url",
        &env.sim.base_url(),
    ]));
    assert_eq!(code(&output), 2);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("No channel is set up"), "{stderr}");
    assert!(
        stderr.contains("OCTOPODS_API_KEY"),
        "says what to do: {stderr}"
    );
    assert!(env.sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejections_exit_3() {
    let env = Env::new().await;
    let (code, json) = env.send_json(PRACTICE_KEY, &["--to", "+12015550140", "--body", "Hi"]);
    assert_eq!(code, 3);
    insta::assert_json_snapshot!("send_rejected_landline", json, {".request_id" => "[request id]"});

    let (code, json) = env.send_json(DEPRECATED_KEY, &["--to", MOBILE, "--body", "Hi"]);
    assert_eq!(code, 3);
    assert_eq!(json["error_code"], 5);

    let (code, json) = env.send_json("unknown-key", &["--to", MOBILE, "--body", "Hi"]);
    assert_eq!(code, 3);
    assert_eq!(json["outcome"], "unauthorized");
    assert_eq!(json["http_status"], 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_outcomes_exit_4_after_exactly_one_request() {
    for fault in [
        Fault::ServerError,
        Fault::DropConnection,
        Fault::BadGatewayHtml,
    ] {
        let env = Env::new().await;
        env.sim.push_fault(fault.clone());
        let (code, json) = env.send_json(PRACTICE_KEY, &["--to", MOBILE, "--body", "Hi"]);
        assert_eq!(code, 4, "{fault:?}: {json}");
        assert_eq!(json["outcome"], "unknown");
        assert_eq!(env.sim.requests().len(), 1, "{fault:?} is never resent");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_is_retried_and_then_accepted() {
    let env = Env::new().await;
    env.sim.push_fault(Fault::RateLimited {
        retry_after: Some(0),
    });
    let (code, json) = env.send_json(PRACTICE_KEY, &["--to", MOBILE, "--body", "Hi"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["outcome"], "accepted");
    assert_eq!(env.sim.requests().len(), 2, "the 429 and the retry");
}

#[test]
fn an_unreachable_server_is_not_sent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let output = run(smsdesk(&dir)
        .env("OCTOPODS_API_KEY", PRACTICE_KEY)
        .env("OCTOPODS_BASE_URL", format!("http://{addr}"))
        .args(["send", "--json", "--to", MOBILE, "--body", "Hi"]));
    assert_eq!(code(&output), 5, "{output:?}");
    assert_eq!(json_lines(&output)[0]["outcome"], "not_sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_follows_the_message_to_delivery() {
    let env = Env::new().await;
    let (_, sent) = env.send_json(PRACTICE_KEY, &["--to", MOBILE, "--body", "Hi"]);
    let id = sent["message_id"].as_str().expect("message id").to_owned();
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let output = run(smsdesk(&env.dir)
            .env("OCTOPODS_API_KEY", PRACTICE_KEY)
            .args(["status", &id, "--json", "--base-url", &env.sim.base_url()]));
        assert_eq!(code(&output), 0);
        let json = json_lines(&output).remove(0);
        statuses.push((json["status"].clone(), json["final"].clone()));
    }
    assert_eq!(
        statuses,
        [
            (Value::from("queued"), Value::from(false)),
            (Value::from("sent"), Value::from(false)),
            (Value::from("delivered"), Value::from(true)),
        ]
    );
    let missing = run(smsdesk(&env.dir)
        .env("OCTOPODS_API_KEY", PRACTICE_KEY)
        .args(["status", "424242", "--base-url", &env.sim.base_url()]));
    assert_eq!(code(&missing), 3, "an unknown id is refused");
}

/// `smsdesk segments` with `input` on standard input.
fn segments_stdin(dir: &tempfile::TempDir, args: &[&str], input: &[u8]) -> Output {
    let mut child = smsdesk(dir)
        .arg("segments")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write");
    child.wait_with_output().expect("wait")
}

#[test]
fn segments_counts_the_text_argument() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = run(smsdesk(&dir).args(["segments", "Hi Jane, see you at 10:00."]));
    assert_eq!(code(&output), 0);
    assert_eq!(stdout(&output), "26 characters · 1 segment · GSM-7\n");

    let gsm_extras = run(smsdesk(&dir).args(["segments", "Café {Ñandú} 20€ ¿sí?"]));
    assert_eq!(
        stdout(&gsm_extras),
        "21 characters · 1 segment · UCS-2\n\
         Not in GSM-7, so the whole message is sent as UCS-2: ú (U+00FA), í (U+00ED)\n",
        "é and Ñ are GSM-7; ú and í are not"
    );

    let text = format!("It’s 9–5\u{a0}{}😀", "x".repeat(90));
    let output = run(smsdesk(&dir).args(["segments", &text]));
    assert_eq!(code(&output), 0);
    insta::assert_snapshot!(stdout(&output), @r"
    100 characters · 2 segments · UCS-2
    Not in GSM-7, so the whole message is sent as UCS-2: ’ (U+2019), – (U+2013), U+00A0, 😀 (U+1F600)
    ");
}

#[test]
fn segments_json_has_exactly_these_keys_in_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = run(smsdesk(&dir).args(["segments", "--json", "“Hi” 👍🏽 — see you"]));
    assert_eq!(code(&output), 0);
    assert_eq!(
        stdout(&output),
        "{\"encoding\":\"UCS-2\",\"segments\":1,\"characters\":17,\"non_gsm\":[\"“\",\"”\",\"👍🏽\",\"—\"]}\n",
        "one line, keys encoding, segments, characters, non_gsm"
    );
    let gsm = json_lines(&run(smsdesk(&dir).args([
        "segments",
        "--json",
        &"x".repeat(161),
    ])));
    assert_eq!(
        gsm,
        [serde_json::json!({"encoding": "GSM-7", "segments": 2, "characters": 161, "non_gsm": []})]
    );
}

#[test]
fn segments_reads_all_of_standard_input_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let exact = "x".repeat(160);
    let output = segments_stdin(&dir, &["--json"], exact.as_bytes());
    assert_eq!(code(&output), 0);
    assert_eq!(json_lines(&output)[0]["segments"], 1);

    let with_newline = format!("{exact}\n");
    let output = segments_stdin(&dir, &["--json"], with_newline.as_bytes());
    let json = json_lines(&output).remove(0);
    assert_eq!(
        json["characters"], 161,
        "the trailing newline is sent, so it counts"
    );
    assert_eq!(json["segments"], 2);

    let lines = segments_stdin(&dir, &[], "Line one\r\nLine two é\n\n".as_bytes());
    assert_eq!(stdout(&lines), "22 characters · 1 segment · GSM-7\n");

    let empty = segments_stdin(&dir, &["--json"], b"");
    assert_eq!(
        stdout(&empty),
        "{\"encoding\":\"GSM-7\",\"segments\":1,\"characters\":0,\"non_gsm\":[]}\n",
        "an empty message is one segment, as Twilio's calculator says"
    );
}

#[test]
fn segments_usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let unknown = run(smsdesk(&dir).args(["segments", "--bogus", "Hi"]));
    assert_eq!(code(&unknown), 2);
    let two_texts = run(smsdesk(&dir).args(["segments", "Hi", "there"]));
    assert_eq!(code(&two_texts), 2, "one TEXT: quote the message");
    let dash = run(smsdesk(&dir).args(["segments", "--", "-10% today"]));
    assert_eq!(stdout(&dash), "10 characters · 1 segment · GSM-7\n");

    let not_utf8 = segments_stdin(&dir, &[], b"caf\xe9");
    assert_eq!(code(&not_utf8), 2);
    let stderr = String::from_utf8_lossy(&not_utf8.stderr);
    assert!(stderr.contains("not UTF-8"), "{stderr}");
    assert!(not_utf8.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_uses_the_apps_active_channel_address() {
    let env = Env::new().await;
    let settings = serde_json::json!({
        "settings": {
            "channels": [
                {"id": "ch-1", "name": "Other clinic", "baseUrl": "https://other.invalid"},
                {"id": "ch-2", "name": "Main Street", "baseUrl": env.sim.base_url()}
            ],
            "activeChannel": "ch-2"
        }
    });
    std::fs::write(env.dir.path().join("settings.json"), settings.to_string()).expect("write");
    let output = run(smsdesk(&env.dir)
        .env("OCTOPODS_API_KEY", PRACTICE_KEY)
        .args(["send", "--json", "--to", MOBILE, "--body", "Hi"]));
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(
        env.sim.requests().len(),
        1,
        "with no --base-url, the app's active channel's address is used"
    );
}
