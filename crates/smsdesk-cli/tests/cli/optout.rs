//! `smsdesk optout`: the do-not-text list, and sends to a listed number refused.

use octopods_sim::PRACTICE_KEY;
use serde_json::Value;

use super::{code, json_lines, run, stderr, stdout, Env, MOBILE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listed_number_is_never_sent_to() {
    let env = Env::new().await;
    let empty = run(env.cmd().args(["optout", "list"]));
    assert_eq!(stdout(&empty), "The do-not-text list is empty.\n");

    let added = run(env.cmd().args([
        "optout",
        "add",
        "(201) 555-0123",
        "--region",
        "us",
        "--reason",
        "Replied STOP",
    ]));
    assert_eq!(code(&added), 0, "{added:?}");
    let said = stdout(&added);
    assert!(
        said.starts_with("Added +12015550123 to the do-not-text list on 20"),
        "{said}"
    );
    assert!(said.contains("(Replied STOP)"), "{said}");

    let again = run(env.cmd().args(["optout", "add", "+1 201-555-0123"]));
    assert_eq!(code(&again), 0);
    assert!(
        stdout(&again).contains("was already on the do-not-text list"),
        "{again:?}"
    );

    let blocked = env.send(PRACTICE_KEY, &["--to", "+1 (201) 555 0123", "--body", "Hi"]);
    assert_eq!(code(&blocked), 6, "{blocked:?}");
    let said = stderr(&blocked);
    assert!(
        said.contains("+1 201-555-0123 is on the do-not-text list"),
        "{said}"
    );
    assert!(said.contains("Replied STOP"), "{said}");
    assert!(said.contains("asked not to be texted"), "the hint: {said}");
    assert!(
        said.contains("smsdesk optout remove +12015550123"),
        "says how to undo it: {said}"
    );
    assert!(blocked.stdout.is_empty(), "{blocked:?}");
    assert!(env.sim.requests().is_empty(), "nothing was sent");

    let rows = env.history(&[]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["outcome"], "blocked");
    assert_eq!(rows[0]["to"], MOBILE);
    assert_eq!(env.history(&["--status", "blocked"]).len(), 1);

    let list = json_lines(&run(env.cmd().args(["optout", "list", "--json"])));
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["number"], MOBILE);
    assert_eq!(list[0]["reason"], "Replied STOP");
    let added_at = list[0]["added_at"].as_str().expect("added_at");
    chrono::DateTime::parse_from_rfc3339(added_at)
        .unwrap_or_else(|e| panic!("{added_at} is not RFC 3339: {e}"));
    let text = stdout(&run(env.cmd().args(["optout", "list"])));
    assert!(text.starts_with("+12015550123      added 20"), "{text}");
    assert!(text.trim_end().ends_with("Replied STOP"), "{text}");

    let removed = run(env
        .cmd()
        .args(["optout", "remove", "201 555 0123", "--region", "US"]));
    assert_eq!(code(&removed), 0, "{removed:?}");
    assert!(
        stdout(&removed).contains("Took +12015550123 off"),
        "{removed:?}"
    );
    let not_there = run(env.cmd().args(["optout", "remove", MOBILE]));
    assert_eq!(code(&not_there), 1, "not on the list");
    assert!(stderr(&not_there).contains("was not on the do-not-text list"));

    let (code_sent, sent) = env.send_json(PRACTICE_KEY, &["--to", MOBILE, "--body", "Hi"]);
    assert_eq!(code_sent, 0, "{sent}");
    assert_eq!(env.sim.requests().len(), 1);
    assert!(json_lines(&run(env.cmd().args(["optout", "list", "--json"]))).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn optout_numbers_use_the_apps_country_and_refuse_nonsense() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cmd = || super::smsdesk(&dir);

    let no_country = run(cmd().args(["optout", "add", "201-555-0124"]));
    assert_eq!(code(&no_country), 2, "{no_country:?}");
    let said = stderr(&no_country);
    assert!(said.contains("--region"), "says what to do: {said}");

    super::set_default_country(dir.path(), "US").await;
    let added = run(cmd().args([
        "optout",
        "add",
        "201-555-0124",
        "--reason",
        "Asked at the desk",
    ]));
    assert_eq!(code(&added), 0, "{added:?}");
    let ie = run(cmd().args(["optout", "add", "083 123 4567", "--region", "IE"]));
    assert_eq!(code(&ie), 0, "--region wins over the app's country: {ie:?}");

    for nonsense in ["12", "not a number", ""] {
        let output = run(cmd().args(["optout", "add", nonsense]));
        assert_eq!(code(&output), 2, "{nonsense:?}: {output:?}");
        assert!(stderr(&output).contains("The list was not changed."));
    }
    let bad_region = run(cmd().args(["optout", "add", "201-555-0125", "--region", "XX"]));
    assert_eq!(code(&bad_region), 2);

    let list = json_lines(&run(cmd().args(["optout", "list", "--json"])));
    let numbers: Vec<&Value> = list.iter().map(|l| &l["number"]).collect();
    assert_eq!(numbers.len(), 2, "{list:?}");
    assert!(numbers.contains(&&Value::from("+12015550124")));
    assert!(numbers.contains(&&Value::from("+353831234567")));
    let found = json_lines(&run(
        cmd().args(["optout", "list", "--json", "--search", "desk"])
    ));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["number"], "+12015550124");
    let none = run(cmd().args(["optout", "list", "--search", "555 9999"]));
    assert_eq!(
        stdout(&none),
        "No number on the do-not-text list matches \"555 9999\".\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_file_is_imported_and_its_bad_lines_named() {
    let env = Env::new().await;
    env.cmd()
        .args(["optout", "add", MOBILE])
        .output()
        .expect("smsdesk runs");
    let file = env.dir.path().join("stop list.csv");
    std::fs::write(
        &file,
        "\u{feff}Name,Mobile phone,Reason\n\
         Jane,(201) 555-0123,Replied STOP\n\
         Bob,not a number,\n\
         Al,201 555 0124,\n\
         Cy,12,\n\
         Di,+353 83 123 4567,Asked at the desk\n",
    )
    .expect("write");

    let text = run(env
        .cmd()
        .args(["optout", "import", "--region", "US"])
        .arg(&file));
    assert_eq!(code(&text), 0, "{text:?}");
    assert_eq!(
        stdout(&text),
        "5 numbers in the file, 2 added, 1 already on the list, 2 not numbers\n"
    );
    let said = stderr(&text);
    let bad: Vec<&str> = said.lines().collect();
    assert_eq!(bad.len(), 2, "{said}");
    assert!(bad[0].starts_with("line 3: \"not a number\": "), "{said}");
    assert!(bad[1].starts_with("line 5: \"12\": "), "{said}");

    let numbers: Vec<Value> = json_lines(&run(env.cmd().args(["optout", "list", "--json"])))
        .iter()
        .map(|l| l["number"].clone())
        .collect();
    assert_eq!(numbers.len(), 3, "{numbers:?}");
    for number in ["+12015550123", "+12015550124", "+353831234567"] {
        assert!(
            numbers.contains(&Value::from(number)),
            "{number} in {numbers:?}"
        );
    }

    let json = run(env
        .cmd()
        .args(["optout", "import", "--json", "--region", "US"])
        .arg(&file));
    assert_eq!(code(&json), 0, "{json:?}");
    let report = json_lines(&json).remove(0);
    assert_eq!(report["in_file"], 5, "{report}");
    assert_eq!(report["added"], 0, "{report}");
    assert_eq!(report["already"], 3, "{report}");
    assert_eq!(report["not_numbers"], 2, "{report}");
    assert_eq!(report["invalid"][0]["line"], 3, "{report}");
    assert_eq!(report["invalid"][0]["text"], "not a number", "{report}");
    assert!(report["invalid"][0]["reason"].is_string(), "{report}");
    assert_eq!(report["invalid"][1]["line"], 5, "{report}");
    assert!(stderr(&json).is_empty(), "--json says it all: {json:?}");

    let missing = run(env
        .cmd()
        .args(["optout", "import"])
        .arg(env.dir.path().join("nowhere.csv")));
    assert_eq!(code(&missing), 2, "{missing:?}");
    assert!(stderr(&missing).contains("nowhere.csv"), "{missing:?}");
    assert!(missing.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_with_an_unclosed_quote_imports_nothing_and_names_the_line() {
    let env = Env::new().await;
    let file = env.dir.path().join("stop list.csv");
    std::fs::write(
        &file,
        "+12015550123,Appointment cancelled\n\
         +12015550124,\"Said stop\n\
         +12015550125,Replied STOP\n",
    )
    .expect("write");
    let refused = run(env.cmd().args(["optout", "import"]).arg(&file));
    assert_eq!(code(&refused), 2, "{refused:?}");
    let said = stderr(&refused);
    assert!(said.contains("The file cannot be imported"), "{said}");
    assert!(said.contains("line 2"), "{said}");
    assert!(refused.stdout.is_empty(), "{refused:?}");
    let listed = run(env.cmd().args(["optout", "list", "--json"]));
    assert!(stdout(&listed).is_empty(), "nothing was added: {listed:?}");

    std::fs::write(&file, "+12015550123,Appointment cancelled\n").expect("write");
    let imported = run(env.cmd().args(["optout", "import", "--json"]).arg(&file));
    let report = json_lines(&imported).remove(0);
    assert_eq!(
        (report["in_file"].as_u64(), report["added"].as_u64()),
        (Some(1), Some(1)),
        "a first row with a number is data, not a header: {report}"
    );
}
