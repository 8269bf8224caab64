//! `smsdesk bulk` and `smsdesk segments --jsonl`: the command-line contract of issue 9, which
//! outside scripts rely on — one `--json` line of counts, one report object per data row,
//! exit 2 with nothing sent for bad input, faults and a kill never sending a row twice.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::time::Duration;

use octopods_sim::{Fault, PRACTICE_KEY};
use serde_json::{json, Value};

use super::crash::until_requests;
use super::{code, json_lines, run, segments_stdin, stderr, stdout, Env};

/// The keys of `bulk send --json` and `bulk resume --json`, all always present.
const COUNT_KEYS: [&str; 10] = [
    "job_id",
    "total",
    "accepted",
    "rejected",
    "unauthorized",
    "not_sent",
    "unknown",
    "blocked",
    "invalid",
    "duplicate",
];

/// The eight outcomes a row ends in.
const OUTCOMES: [&str; 8] = [
    "accepted",
    "rejected",
    "unauthorized",
    "not_sent",
    "unknown",
    "blocked",
    "invalid",
    "duplicate",
];

impl Env {
    /// Writes `bytes` to `name` in this test's temporary folder (the data folder).
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write the file");
        path
    }

    /// `smsdesk bulk send FILE --json` at the simulator with the practice key, fast
    /// (`--rate 50`), then `args`.
    fn bulk(&self, file: &std::path::Path, args: &[&str]) -> Output {
        run(self
            .cmd()
            .env("OCTOPODS_API_KEY", PRACTICE_KEY)
            .args(["bulk", "send"])
            .arg(file)
            .args(["--json", "--rate", "50", "--base-url", &self.sim.base_url()])
            .args(args))
    }

    /// `bulk report JOB --json`: one object per data row.
    fn report(&self, job: i64) -> Vec<Value> {
        let output = run(self
            .cmd()
            .args(["bulk", "report", &job.to_string(), "--json"]));
        assert_eq!(code(&output), 0, "{output:?}");
        json_lines(&output)
    }

    /// `bulk list --json`: one object per job.
    fn jobs(&self) -> Vec<Value> {
        let output = run(self.cmd().args(["bulk", "list", "--json"]));
        assert_eq!(code(&output), 0, "{output:?}");
        json_lines(&output)
    }

    /// The bodies of the send requests the simulator received, in arrival order.
    fn sent(&self) -> Vec<Value> {
        self.sim
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == octopods::MESSAGES_PATH)
            .map(|r| r.body.unwrap_or(Value::Null))
            .collect()
    }

    /// How many send requests each destination got.
    fn per_phone(&self) -> HashMap<String, usize> {
        let mut seen = HashMap::new();
        for body in self.sent() {
            let to = body["destination_phone"].as_str().unwrap_or("?").to_owned();
            *seen.entry(to).or_insert(0) += 1;
        }
        seen
    }

    /// The request body sent to `phone` (exactly one).
    fn sent_to(&self, phone: &str) -> Value {
        let mut to: Vec<Value> = self
            .sent()
            .into_iter()
            .filter(|b| b["destination_phone"] == phone)
            .collect();
        assert_eq!(to.len(), 1, "one request to {phone}: {to:?}");
        to.remove(0)
    }
}

/// The one `--json` line of `bulk send`/`bulk resume`: every key there, the eight counts
/// summing to `total`. Nothing else on stdout.
fn counts(output: &Output) -> Value {
    let out = stdout(output);
    assert_eq!(
        out.lines().count(),
        1,
        "exactly one line on stdout: {output:?}"
    );
    assert!(out.ends_with('\n'), "{out:?}");
    let line: Value = serde_json::from_str(&out).expect("one JSON object");
    let object = line.as_object().expect("an object");
    for key in COUNT_KEYS {
        assert!(object.contains_key(key), "{key} missing: {line}");
    }
    let sum: u64 = OUTCOMES
        .iter()
        .map(|k| line[*k].as_u64().unwrap_or_else(|| panic!("{k}: {line}")))
        .sum();
    assert_eq!(
        Some(sum),
        line["total"].as_u64(),
        "the counts sum to total: {line}"
    );
    line
}

/// The job id of a `--json` line.
fn job_id(line: &Value) -> i64 {
    line["job_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("a job id: {line}"))
}

/// The report's rows by row number, checking each data row 1..=total is there once with an
/// outcome among the eight and a `to` that is E.164, or null exactly when invalid.
fn by_row(report: &[Value], total: usize) -> BTreeMap<u64, Value> {
    let mut rows = BTreeMap::new();
    for r in report {
        let row = r["row"].as_u64().unwrap_or_else(|| panic!("row: {r}"));
        let outcome = r["outcome"].as_str().unwrap_or_default();
        assert!(OUTCOMES.contains(&outcome), "one of the eight: {r}");
        if outcome == "invalid" {
            assert_eq!(r["to"], Value::Null, "no number for an invalid row: {r}");
        } else {
            let to = r["to"].as_str().unwrap_or_else(|| panic!("to: {r}"));
            assert!(
                to.starts_with('+') && to[1..].bytes().all(|b| b.is_ascii_digit()),
                "E.164: {r}"
            );
        }
        assert!(rows.insert(row, r.clone()).is_none(), "row {row} once");
    }
    let numbers: Vec<u64> = rows.keys().copied().collect();
    let expected: Vec<u64> = (1..=total as u64).collect();
    assert_eq!(numbers, expected, "one object per data row");
    rows
}

/// Each row's (to, outcome), in row order.
fn outcomes(rows: &BTreeMap<u64, Value>) -> Vec<(Value, String)> {
    rows.values()
        .map(|r| {
            (
                r["to"].clone(),
                r["outcome"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes
}

fn utf16be(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_counts_every_row_once_and_reports_each() {
    let env = Env::new().await;
    let added = run(env.cmd().args(["optout", "add", "+1 201 555 0125"]));
    assert_eq!(code(&added), 0, "{added:?}");
    let file = env.file(
        "tomorrow.csv",
        "Name,Phone,When\r\n\
         Ann,+12015550123,9:00\r\n\
         Bob,201 555 0124,\r\n\
         Cy,12,9:30\r\n\
         Dee,+44 20 7946 0000,9:30\r\n\
         Eve,(201) 555-0123,10:00\r\n\
         Fay,+12015550140,10:00\r\n\
         Gus,+1 201 555 0125,10:30\r\n\
         Hal,,11:00\r\n\
         Ida,2015550126,11:00\r\n\
         Jo,+12015550125,11:30\r\n",
    );
    let output = env.bulk(
        &file,
        &[
            "--template",
            "Hi {{Name}}, see you at {{when}}.",
            "--phone-column",
            "phone",
            "--name-column",
            "name",
            "--region",
            "US",
        ],
    );
    assert_eq!(code(&output), 0, "{output:?}");
    let line = counts(&output);
    let job = job_id(&line);
    assert_eq!(
        line,
        json!({
            "job_id": job, "total": 10, "accepted": 2, "rejected": 1, "unauthorized": 0,
            "not_sent": 0, "unknown": 0, "blocked": 1, "invalid": 4, "duplicate": 2
        }),
        "{}",
        stderr(&output)
    );
    let said = stderr(&output);
    assert!(
        said.contains(&format!("Job {job}: sending")),
        "progress on stderr: {said}"
    );

    let rows = by_row(&env.report(job), 10);
    let expected = [
        (json!("+12015550123"), "accepted"),
        (Value::Null, "invalid"),
        (Value::Null, "invalid"),
        (Value::Null, "invalid"),
        (json!("+12015550123"), "duplicate"),
        (json!("+12015550140"), "rejected"),
        (json!("+12015550125"), "blocked"),
        (Value::Null, "invalid"),
        (json!("+12015550126"), "accepted"),
        (json!("+12015550125"), "duplicate"),
    ]
    .map(|(to, outcome)| (to, outcome.to_owned()));
    assert_eq!(outcomes(&rows), expected);
    let sent: HashSet<String> = env.per_phone().into_keys().collect();
    assert_eq!(
        sent,
        HashSet::from(["+12015550123", "+12015550126", "+12015550140"].map(String::from)),
        "only the rows that pass every check reach Octopods"
    );
    assert_eq!(env.sent().len(), 3, "one request each");
    assert_eq!(
        env.sent_to("+12015550123"),
        json!({
            "body": "Hi Ann, see you at 9:00.",
            "destination_phone": "+12015550123",
            "destination_user_name": "Ann"
        })
    );

    let jobs = env.jobs();
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    assert_eq!(jobs[0]["job_id"], job);
    assert_eq!(jobs[0]["total"], 10);
    assert_eq!(jobs[0]["accepted"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_read_as_excel_and_booking_systems_write_them() {
    let env = Env::new().await;
    // Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated; headers matched ignoring
    // case (accented capitals too).
    let utf16 = env.file(
        "unicode.txt",
        utf16le("Nombre\tTeléfono\tDía\r\nZoë Ñúñez\t+12015550123\tmañana 9:30\r\n"),
    );
    let output = env.bulk(
        &utf16,
        &[
            "--template",
            "Hola {{día}}",
            "--phone-column",
            "TELÉFONO",
            "--name-column",
            "nombre",
        ],
    );
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(counts(&output)["accepted"], 1, "{output:?}");
    let sent = env.sent_to("+12015550123");
    assert_eq!(sent["destination_user_name"], "Zoë Ñúñez");
    assert_eq!(sent["body"], "Hola mañana 9:30");

    // UTF-16 big-endian with a BOM.
    let be = env.file("be.txt", utf16be("Phone\tName\r\n+12015550124\tChloé\r\n"));
    let output = env.bulk(
        &be,
        &[
            "--template",
            "Hi {{name}}",
            "--phone-column",
            "phone",
            "--name-column",
            "name",
        ],
    );
    assert_eq!(counts(&output)["accepted"], 1, "{output:?}");
    assert_eq!(
        env.sent_to("+12015550124")["destination_user_name"],
        "Chloé"
    );

    // Excel's plain "CSV": Windows-1252, not Latin-1 (0x80 is €, 0x93/0x94 are curly quotes).
    let cp1252 = env.file(
        "windows.csv",
        b"Name,Phone,Price\r\n\
          Jos\xe9 \xc1lvarez,+12015550125,10\x80\r\n\
          Adri\xe1n Pe\xf1a,+12015550126,\x93ok\x94\r\n",
    );
    let output = env.bulk(
        &cp1252,
        &[
            "--template",
            "{{Name}}: {{price}}",
            "--phone-column",
            "Phone",
            "--name-column",
            "Name",
        ],
    );
    assert_eq!(counts(&output)["accepted"], 2, "{output:?}");
    let jose = env.sent_to("+12015550125");
    assert_eq!(jose["destination_user_name"], "José Álvarez");
    assert_eq!(jose["body"], "José Álvarez: 10€");
    let adrian = env.sent_to("+12015550126");
    assert_eq!(adrian["destination_user_name"], "Adrián Peña");
    assert_eq!(adrian["body"], "Adrián Peña: “ok”");

    // UTF-8 with a BOM before the first header, semicolons, RFC 4180 quoting: doubled quotes,
    // the delimiter and a line break inside quotes, which does not start a row.
    let quoted = env.file(
        "quoted.csv",
        "\u{feff}MOBILE;Name;Note\r\n\
         +12015550127;\"Ann \"\"Annie\"\" O'Neil\";\"Line one\nline two; still the note\"\r\n\
         +44 20 7946 0000;Bob;x\r\n\
         +12015550128;\"Cy\";\"  spaced  \"\r\n",
    );
    let output = env.bulk(
        &quoted,
        &[
            "--template",
            "{{note}}",
            "--phone-column",
            "mobile",
            "--name-column",
            "NAME",
        ],
    );
    assert_eq!(code(&output), 0, "{output:?}");
    let line = counts(&output);
    assert_eq!(
        (&line["total"], &line["accepted"], &line["invalid"]),
        (&json!(3), &json!(2), &json!(1))
    );
    let ann = env.sent_to("+12015550127");
    assert_eq!(ann["destination_user_name"], "Ann \"Annie\" O'Neil");
    assert_eq!(ann["body"], "Line one\nline two; still the note");
    assert_eq!(
        env.sent_to("+12015550128")["body"],
        "  spaced  ",
        "a placeholder is the cell's text exactly"
    );
    let rows = by_row(&env.report(job_id(&line)), 3);
    assert_eq!(
        rows[&2]["outcome"], "invalid",
        "row 2 is the second record: {rows:?}"
    );
    assert_eq!(rows[&3]["to"], "+12015550128");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workbook_reads_its_first_sheet() {
    let env = Env::new().await;
    let path = env.dir.path().join("appointments.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Tomorrow").expect("name");
        for (col, header) in ["Patient", "Mobile", "Time"].into_iter().enumerate() {
            sheet.write_string(0, col as u16, header).expect("header");
        }
        sheet.write_string(1, 0, "Élodie Müller").expect("cell");
        sheet.write_string(1, 1, "+1 201 555 0123").expect("cell");
        sheet.write_string(1, 2, "9:30").expect("cell");
        sheet.write_string(2, 0, "Siân").expect("cell");
        sheet.write_number(2, 1, 2_015_550_124.0).expect("cell");
        sheet.write_string(2, 2, "10:00").expect("cell");
    }
    {
        let other = workbook.add_worksheet();
        other.set_name("Next week").expect("name");
        other.write_string(0, 0, "Mobile").expect("header");
        other.write_string(1, 0, "+12015550199").expect("cell");
    }
    workbook.save(&path).expect("save the workbook");

    let output = env.bulk(
        &path,
        &[
            "--template",
            "{{patient}}, {{TIME}}",
            "--phone-column",
            "mobile",
            "--name-column",
            "patient",
            "--region",
            "US",
        ],
    );
    assert_eq!(code(&output), 0, "{output:?}");
    let line = counts(&output);
    assert_eq!(line["total"], 2, "the first sheet only: {line}");
    assert_eq!(line["accepted"], 2, "{line} {}", stderr(&output));
    let elodie = env.sent_to("+12015550123");
    assert_eq!(elodie["destination_user_name"], "Élodie Müller");
    assert_eq!(elodie["body"], "Élodie Müller, 9:30");
    assert_eq!(env.sent_to("+12015550124")["body"], "Siân, 10:00");
    assert!(
        !env.per_phone().contains_key("+12015550199"),
        "not the second sheet"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn placeholders_read_columns_by_name_or_by_map() {
    let env = Env::new().await;
    let file = env.file(
        "list.csv",
        "First Name,Mobile,Appointment Time\n\
         Ann,+12015550123,9:30\n\
         Bob,+12015550124,10:00\n",
    );
    let output = env.bulk(
        &file,
        &[
            "--template",
            "Hi {{FIRST NAME}}, {{when}}",
            "--map",
            "when=appointment time",
            "--phone-column",
            "MOBILE",
        ],
    );
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(counts(&output)["accepted"], 2);
    assert_eq!(env.sent_to("+12015550123")["body"], "Hi Ann, 9:30");
    assert_eq!(env.sent_to("+12015550124")["body"], "Hi Bob, 10:00");

    // A template file is UTF-8, as it is (its characters and its line breaks).
    let template = env.file(
        "reminder.txt",
        "Héllo {{first name}} — it’s {{Appointment Time}} 😀\nReply STOP to opt out.",
    );
    let again = env.file(
        "again.csv",
        "First Name,Mobile,Appointment Time\nCéline,+12015550125,11:15\n",
    );
    // The address from OCTOPODS_BASE_URL, as for `smsdesk send`.
    let output = run(env
        .cmd()
        .env("OCTOPODS_API_KEY", PRACTICE_KEY)
        .env("OCTOPODS_BASE_URL", env.sim.base_url())
        .args(["bulk", "send"])
        .arg(&again)
        .args(["--json", "--rate", "50", "--phone-column", "mobile"])
        .arg("--template-file")
        .arg(&template));
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(counts(&output)["accepted"], 1);
    assert_eq!(
        env.sent_to("+12015550125")["body"],
        "Héllo Céline — it’s 11:15 😀\nReply STOP to opt out."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_sends_and_stores_nothing_and_counts_as_a_run_would() {
    let env = Env::new().await;
    let added = run(env.cmd().args(["optout", "add", "+12015550125"]));
    assert_eq!(code(&added), 0, "{added:?}");
    let file = env.file(
        "list.csv",
        "Phone,Name\n\
         +12015550123,Ann\n\
         +1 (201) 555-0123,Ann again\n\
         +12015550125,Stopped\n\
         not a number,Nobody\n\
         +12015550140,Landline at Octopods\n\
         +12015550124,Bob\n",
    );
    let args = ["--template", "Hi {{name}}", "--phone-column", "phone"];
    let output = env.bulk(&file, &[&args[..], &["--dry-run"]].concat());
    assert_eq!(code(&output), 0, "{output:?}");
    let dry = counts(&output);
    assert!(
        env.sim.requests().is_empty(),
        "zero requests: {:?}",
        env.sim.requests()
    );
    assert_eq!(dry["job_id"], Value::Null, "{dry}");
    assert_eq!(
        dry,
        json!({
            "job_id": null, "total": 6, "accepted": 0, "rejected": 0, "unauthorized": 0,
            "not_sent": 3, "unknown": 0, "blocked": 1, "invalid": 1, "duplicate": 1,
            "would_send": 3
        })
    );
    assert!(env.jobs().is_empty(), "nothing stored");
    assert!(env.history(&[]).is_empty(), "no history row");

    // The real run finds the same rows left out.
    let output = env.bulk(&file, &args);
    assert_eq!(code(&output), 0, "{output:?}");
    let real = counts(&output);
    for key in ["total", "invalid", "duplicate", "blocked"] {
        assert_eq!(real[key], dry[key], "{key}: {real} vs {dry}");
    }
    let sent = real["accepted"].as_u64().unwrap_or(0) + real["rejected"].as_u64().unwrap_or(0);
    assert_eq!(Some(sent), dry["would_send"].as_u64(), "{real}");
    assert_eq!(env.sent().len(), 3);
}

/// Every input error exits 2, sends nothing and stores no job.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_exits_2_with_nothing_sent() {
    let env = Env::new().await;
    let good = env.file("good.csv", "Phone,Name\n+12015550123,Ann\n");
    let png = env.file(
        "photo.csv",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\nIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82",
    );
    let empty = env.file("empty.csv", "");
    let missing = env.dir.path().join("nowhere.csv");
    let template_not_utf8 = env.file("latin.txt", b"Caf\xe9 {{name}}");
    let [good, png, empty, missing, latin] =
        [&good, &png, &empty, &missing, &template_not_utf8].map(|p| p.to_str().expect("path"));
    let hi = ["--template", "Hi", "--phone-column", "phone"];
    let with = |extra: &[&'static str]| [&hi[..], extra].concat();
    let cases: Vec<(&str, &str, Vec<&str>)> = vec![
        ("a missing file", missing, hi.to_vec()),
        ("a binary file", png, hi.to_vec()),
        ("an empty file", empty, hi.to_vec()),
        (
            "an unknown phone column",
            good,
            vec!["--template", "Hi", "--phone-column", "Mobile"],
        ),
        (
            "an unknown name column",
            good,
            with(&["--name-column", "Patient"]),
        ),
        (
            "a placeholder naming no column",
            good,
            vec!["--template", "Hi {{first_name}}", "--phone-column", "phone"],
        ),
        (
            "--map to no column",
            good,
            vec![
                "--template",
                "Hi {{who}}",
                "--map",
                "who=Patient",
                "--phone-column",
                "phone",
            ],
        ),
        (
            "--map without =",
            good,
            vec![
                "--template",
                "Hi {{name}}",
                "--map",
                "name",
                "--phone-column",
                "phone",
            ],
        ),
        (
            "an unclosed placeholder",
            good,
            vec!["--template", "Hi {{name", "--phone-column", "phone"],
        ),
        (
            "a blank template",
            good,
            vec!["--template", "  ", "--phone-column", "phone"],
        ),
        (
            "a template file that is not UTF-8",
            good,
            vec!["--template-file", latin, "--phone-column", "phone"],
        ),
        (
            "a missing template file",
            good,
            vec!["--template-file", missing, "--phone-column", "phone"],
        ),
        ("no template", good, vec!["--phone-column", "phone"]),
        (
            "two templates",
            good,
            with(&["--template-file", "reminder.txt"]),
        ),
        ("no phone column", good, vec!["--template", "Hi"]),
        ("--rate 0", good, with(&["--rate", "0"])),
        ("--rate -1", good, with(&["--rate", "-1"])),
        ("--rate=-1", good, with(&["--rate=-1"])),
        ("--rate NaN", good, with(&["--rate", "NaN"])),
        ("--rate inf", good, with(&["--rate", "inf"])),
        ("--rate fast", good, with(&["--rate", "fast"])),
        ("an unknown --region", good, with(&["--region", "XX"])),
    ];
    for (case, file, args) in &cases {
        let output = run(env
            .cmd()
            .env("OCTOPODS_API_KEY", PRACTICE_KEY)
            .args([
                "bulk",
                "send",
                file,
                "--json",
                "--base-url",
                &env.sim.base_url(),
            ])
            .args(args));
        assert_eq!(code(&output), 2, "{case}: {output:?}");
        assert!(
            output.stdout.is_empty(),
            "{case}: no counts line: {output:?}"
        );
        assert!(
            stderr(&output).contains("error"),
            "{case} says why: {output:?}"
        );
        assert!(env.sim.requests().is_empty(), "{case}: nothing sent");
    }
    assert!(env.jobs().is_empty(), "no job stored");
    assert!(env.history(&[]).is_empty());

    let no_job = run(env.cmd().args(["bulk", "report", "42", "--json"]));
    assert_eq!(code(&no_job), 2, "{no_job:?}");
    assert!(no_job.stdout.is_empty());
    let no_resume = run(env
        .cmd()
        .env("OCTOPODS_API_KEY", PRACTICE_KEY)
        .args(["bulk", "resume", "42", "--json"]));
    assert_eq!(code(&no_resume), 2, "{no_resume:?}");
    assert!(env.sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_give_each_row_one_outcome_and_only_429s_are_retried() {
    let env = Env::new().await;
    for fault in [
        Fault::ServerError,
        Fault::BadGatewayHtml,
        Fault::DropConnection,
        Fault::OkHtml,
        Fault::RateLimited {
            retry_after: Some(1),
        },
    ] {
        env.sim.push_fault(fault);
    }
    let phones: Vec<String> = (0..8).map(|n| format!("+1201555{:04}", 170 + n)).collect();
    let csv: String = std::iter::once("Phone".to_owned())
        .chain(phones.iter().cloned())
        .map(|l| l + "\n")
        .collect();
    let file = env.file("faults.csv", csv);
    let output = env.bulk(
        &file,
        &["--template", "Reminder", "--phone-column", "phone"],
    );
    assert_eq!(code(&output), 0, "the job ran: {output:?}");
    let line = counts(&output);
    assert_eq!(
        (
            &line["total"],
            &line["unknown"],
            &line["accepted"],
            &line["not_sent"]
        ),
        (&json!(8), &json!(4), &json!(4), &json!(0)),
        "500, 502 HTML, dropped, 200 HTML: unknown; the 429 retried and accepted: {line}"
    );
    assert_eq!(env.sent().len(), 9, "one request per row, and one retry");
    let per_phone = env.per_phone();
    let retried: Vec<&String> = per_phone
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(p, _)| p)
        .collect();
    assert_eq!(retried.len(), 1, "{per_phone:?}");
    assert_eq!(per_phone[retried[0]], 2, "{per_phone:?}");
    assert_eq!(per_phone.len(), 8, "every row was tried");

    let rows = by_row(&env.report(job_id(&line)), 8);
    let retried_row = rows
        .values()
        .find(|r| r["to"] == retried[0].as_str())
        .expect("the retried row");
    assert_eq!(retried_row["outcome"], "accepted", "{retried_row}");
    let unknown = rows.values().filter(|r| r["outcome"] == "unknown").count();
    assert_eq!(unknown, 4);
    assert!(
        stderr(&output).contains("outcome unknown"),
        "says to check them: {}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_still_rate_limited_after_its_retries_is_not_sent() {
    let env = Env::new().await;
    env.sim.set_fault(Some(Fault::RateLimited {
        retry_after: Some(0),
    }));
    let file = env.file("one.csv", "Phone\n+12015550123\n");
    let output = env.bulk(&file, &["--template", "Hi", "--phone-column", "phone"]);
    assert_eq!(code(&output), 0, "{output:?}");
    let line = counts(&output);
    assert_eq!(line["not_sent"], 1, "{line}");
    assert!(
        env.sent().len() >= 4,
        "tried at least 3 times again: {}",
        env.sent().len()
    );
    let rows = by_row(&env.report(job_id(&line)), 1);
    assert_eq!(rows[&1]["outcome"], "not_sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_stops_the_job() {
    let env = Env::new().await;
    let phones: Vec<String> = (0..6).map(|n| format!("+1201555{:04}", 170 + n)).collect();
    let csv: String = std::iter::once("Phone".to_owned())
        .chain(phones.iter().cloned())
        .map(|l| l + "\n")
        .collect();
    let file = env.file("list.csv", csv);
    // At 1 segment a second the first request goes alone; the job stops at its 401.
    let output = run(env
        .cmd()
        .env("OCTOPODS_API_KEY", "not-the-key")
        .args(["bulk", "send"])
        .arg(&file)
        .args(["--json", "--rate", "1", "--base-url", &env.sim.base_url()])
        .args(["--template", "Hi", "--phone-column", "phone"]));
    assert_eq!(code(&output), 0, "the job ran: {output:?}");
    let line = counts(&output);
    let unauthorized = line["unauthorized"].as_u64().unwrap_or(0);
    assert!(
        (1..=2).contains(&unauthorized),
        "the first row (and at most the one already in flight): {line}"
    );
    assert_eq!(line["not_sent"].as_u64(), Some(6 - unauthorized), "{line}");
    assert_eq!(line["accepted"], 0);
    assert_eq!(
        env.sent().len() as u64,
        unauthorized,
        "nothing sent after the refusal"
    );
    let rows = by_row(&env.report(job_id(&line)), 6);
    assert_eq!(rows[&1]["outcome"], "unauthorized", "{rows:?}");
    for row in 3..=6 {
        assert_eq!(rows[&row]["outcome"], "not_sent", "{rows:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_killed_mid_send_resumes_without_sending_a_row_twice() {
    let env = Env::new().await;
    let phones: Vec<String> = (0..5).map(|n| format!("+1201555{:04}", 170 + n)).collect();
    let csv: String = std::iter::once("Phone,Name".to_owned())
        .chain(phones.iter().map(|p| format!("{p},Zoë")))
        .map(|l| l + "\n")
        .collect();
    let file = env.file("list.csv", csv);
    env.sim
        .set_fault(Some(Fault::Latency(Duration::from_secs(30))));
    let mut child = env
        .cmd()
        .env("OCTOPODS_API_KEY", PRACTICE_KEY)
        .args(["bulk", "send"])
        .arg(&file)
        .args(["--json", "--rate", "1", "--base-url", &env.sim.base_url()])
        .args(["--template", "Hi {{name}}", "--phone-column", "phone"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn smsdesk bulk send");
    let said = child.stderr.take().expect("stderr");
    let (job, said) = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(said).lines();
        for line in lines.by_ref() {
            let line = line.expect("read stderr");
            if let Some((id, _)) = line
                .strip_prefix("Job ")
                .and_then(|rest| rest.split_once(": sending"))
            {
                return (id.parse::<i64>().expect("the job id"), lines);
            }
        }
        panic!("no \"Job N: sending\" line");
    })
    .await
    .expect("read the job id");
    until_requests(&env, 1).await;

    // While the first request is held, the job and all its rows are on disk; a row in flight
    // is never reported as not sent (a script would send it again).
    let during = by_row(&env.report(job), 5);
    let in_flight: HashSet<String> = env.per_phone().into_keys().collect();
    for row in during.values() {
        let to = row["to"].as_str().unwrap_or_default();
        if in_flight.contains(to) {
            assert_eq!(row["outcome"], "unknown", "in flight: {row}");
        }
        assert_ne!(row["outcome"], "accepted", "{row}");
    }
    assert!(
        child.try_wait().expect("try_wait").is_none(),
        "still sending"
    );

    child.kill().expect("kill -9");
    child.wait().expect("wait");
    drop(said);
    env.sim.set_fault(None);
    let before_resume = env.sent().len();
    assert!(before_resume >= 1);

    // Resuming needs the key again (it is never stored): nothing is sent without it.
    let no_key = run(env
        .cmd()
        .args(["bulk", "resume", &job.to_string(), "--json"]));
    assert_eq!(code(&no_key), 2, "{no_key:?}");
    assert!(no_key.stdout.is_empty());
    assert_eq!(env.sent().len(), before_resume);

    let resumed = run(env.cmd().env("OCTOPODS_API_KEY", PRACTICE_KEY).args([
        "bulk",
        "resume",
        &job.to_string(),
        "--json",
    ]));
    assert_eq!(code(&resumed), 0, "{resumed:?}");
    let line = counts(&resumed);
    assert_eq!(line["job_id"], job);
    assert_eq!(line["total"], 5, "over the whole job: {line}");
    let unknown = line["unknown"].as_u64().unwrap_or(0);
    let accepted = line["accepted"].as_u64().unwrap_or(0);
    assert!(unknown >= 1, "the row left in flight reads unknown: {line}");
    assert_eq!(unknown + accepted, 5, "{line}");
    let per_phone = env.per_phone();
    assert!(
        per_phone.values().all(|&n| n == 1),
        "no destination got two requests: {per_phone:?}"
    );
    // Two rows at most were in flight (1 segment a second: two requests at once), so at
    // least three were not tried, and resume sent them.
    assert!(accepted >= 3, "{line}");
    let rows = by_row(&env.report(job), 5);
    for row in rows.values().filter(|r| r["outcome"] == "accepted") {
        let to = row["to"].as_str().unwrap_or_default();
        assert_eq!(per_phone.get(to), Some(&1), "sent once, by resume: {row}");
        assert!(!in_flight.contains(to), "{row}");
    }
    for phone in &in_flight {
        let row = rows
            .values()
            .find(|r| r["to"] == phone.as_str())
            .expect("its row");
        assert_eq!(row["outcome"], "unknown", "sent before the kill: {row}");
    }

    // Once more: nothing is left to send.
    let again = run(env.cmd().env("OCTOPODS_API_KEY", PRACTICE_KEY).args([
        "bulk",
        "resume",
        &job.to_string(),
        "--json",
    ]));
    assert_eq!(code(&again), 0, "{again:?}");
    assert_eq!(counts(&again), line, "the same counts over the whole job");
    assert_eq!(env.per_phone(), per_phone, "nothing sent again");
    let jobs = env.jobs();
    assert_eq!(jobs[0]["job_id"], job);
    assert_eq!(jobs[0]["state"], "done");
}

#[test]
fn segments_jsonl_counts_one_message_per_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let messages = [
        "Hi Jane, see you at 10:00.".to_owned(),
        "Café {Ñandú} 20€ ¿sí?".to_owned(),
        "x".repeat(161),
        "Line one\nline two, with \"quotes\"".to_owned(),
        String::new(),
        "“Hi” 👍🏽 — see you".to_owned(),
    ];
    let input: String = messages
        .iter()
        .map(|m| serde_json::to_string(m).expect("json") + "\n")
        .collect();
    let output = segments_stdin(&dir, &["--jsonl"], input.as_bytes());
    assert_eq!(code(&output), 0, "{output:?}");
    let lines: Vec<&str> = std::str::from_utf8(&output.stdout)
        .expect("utf-8")
        .lines()
        .collect();
    assert_eq!(
        lines.len(),
        messages.len(),
        "one result per line: {output:?}"
    );
    for (message, line) in messages.iter().zip(&lines) {
        let one = run(super::smsdesk(&dir).args(["segments", "--json", "--", message]));
        assert_eq!(code(&one), 0);
        assert_eq!(
            format!("{line}\n"),
            stdout(&one),
            "the same shape as segments --json, in order"
        );
    }

    // Windows line endings and no final newline are fine.
    let crlf = segments_stdin(&dir, &["--jsonl"], b"\"a\"\r\n\"b\"");
    assert_eq!(code(&crlf), 0, "{crlf:?}");
    assert_eq!(json_lines(&crlf).len(), 2);
    assert_eq!(json_lines(&crlf)[0]["characters"], 1);
    let none = segments_stdin(&dir, &["--jsonl"], b"");
    assert_eq!(code(&none), 0);
    assert!(none.stdout.is_empty());

    for bad in [
        &b"\"ok\"\nnot json\n"[..],
        b"\"ok\"\n42\n",
        b"{\"text\":\"hi\"}\n",
        b"[\"hi\"]\n",
        b"\"ok\"\n\n\"after a blank line\"\n",
        b"\"caf\xe9\"\n",
    ] {
        let output = segments_stdin(&dir, &["--jsonl"], bad);
        assert_eq!(
            code(&output),
            2,
            "{:?}: {output:?}",
            String::from_utf8_lossy(bad)
        );
        assert!(!output.stderr.is_empty(), "says why");
    }
    // Usage errors, found before standard input is read (so none is given).
    let both = run(super::smsdesk(&dir).args(["segments", "--jsonl", "--json"]));
    assert_eq!(code(&both), 2, "--jsonl and --json are one or the other");
    let text = run(super::smsdesk(&dir).args(["segments", "--jsonl", "hi"]));
    assert_eq!(code(&text), 2, "--jsonl reads standard input only");
}

/// A row whose message is longer than Octopods takes (1,600 characters) is that row's
/// problem, not the job's: the rows after it are still sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_too_long_for_octopods_does_not_stop_the_job() {
    let env = Env::new().await;
    let long = "x".repeat(1_700);
    let file = env.file(
        "notes.csv",
        format!("Phone,Note\n+12015550123,{long}\n+12015550124,short\n+12015550125,short\n"),
    );
    // At 1 segment a second two rows are in flight at once: the third starts after the first
    // two have ended.
    let output = run(env
        .cmd()
        .env("OCTOPODS_API_KEY", PRACTICE_KEY)
        .args(["bulk", "send"])
        .arg(&file)
        .args(["--json", "--rate", "1", "--base-url", &env.sim.base_url()])
        .args(["--template", "{{note}}", "--phone-column", "phone"]));
    assert_eq!(code(&output), 0, "{output:?}");
    let line = counts(&output);
    assert_eq!(line["accepted"], 2, "the short rows are sent: {line}");
    let rows = by_row(&env.report(job_id(&line)), 3);
    let first = rows[&1]["outcome"].as_str().unwrap_or_default();
    assert!(["invalid", "not_sent"].contains(&first), "{rows:?}");
    assert!(rows[&1]["problem"].is_string(), "says why: {rows:?}");
    assert!(!env.per_phone().contains_key("+12015550123"));
}

/// A job the app started is resumed from the command line on the channel it was started on —
/// not on the channel that is active now: a Practice job never goes to a live channel.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_keeps_the_channel_the_job_was_started_on() {
    use smsdesk::bulk::plan::Columns;
    use smsdesk::bulk::table::{read_table, ReadOptions};
    use smsdesk::desk::bulk::JobText;
    use smsdesk::desk::Via;
    use smsdesk::templates::Compiled;

    let env = Env::new().await;
    let app = super::desk(env.dir.path());
    let table = read_table(
        "list.csv",
        b"Phone\n+12015550123\n+12015550124\n",
        &ReadOptions::default(),
    )
    .expect("read");
    let template = Compiled::lenient("See you tomorrow").expect("template");
    let columns = Columns {
        phone: 0,
        name: None,
        fields: BTreeMap::new(),
        constants: BTreeMap::new(),
    };
    let plan = app
        .plan_bulk(table, &template, columns, None, false)
        .await
        .expect("plan");
    let text = JobText {
        body: "See you tomorrow".into(),
        ..JobText::default()
    };
    // Started while Practice is the active channel, then a live channel is made active.
    let job = app
        .create_job(&Via::Active, "list.csv", &text, &plan, 50.0)
        .await
        .expect("the app's job");
    let live = app
        .add_channel("Main Street", PRACTICE_KEY, &env.sim.base_url())
        .await
        .expect("a live channel");
    app.set_active_channel(&live).await.expect("make it active");

    let resumed = run(env.cmd().env("OCTOPODS_API_KEY", PRACTICE_KEY).args([
        "bulk",
        "resume",
        &job.to_string(),
        "--json",
    ]));
    assert_eq!(code(&resumed), 0, "{resumed:?}");
    let line = counts(&resumed);
    assert_eq!(line["accepted"], 2, "{line}");
    assert!(
        env.sim.requests().is_empty(),
        "nothing went to the live channel: {:?}",
        env.sim.requests()
    );
    let rows = env.history(&[]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| r["channel"] == "Practice"), "{rows:?}");
}
