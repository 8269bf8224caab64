//! Issue 12, hardening: bounds on what a person types or a file holds, and control characters
//! (NUL, escape sequences, C1 controls) kept out of messages, names, templates and the history,
//! through the façade as the app and the command line use it.

use octopods::{Rejected, SendOutcome};
use octopods_sim::{Sim, SimConfig, PRACTICE_KEY};
use smsdesk::desk::Via;
use smsdesk::do_not_text::LocalList;
use smsdesk::draft::Draft;
use smsdesk::history::{Begun, Entry, Filter, NewMessage};
use smsdesk::phone::{self, Country};
use smsdesk::report::SendReport;
use smsdesk::store::DB_FILE;
use smsdesk::templates::{BusinessInfo, TemplateDraft};
use smsdesk::UserError;

use crate::{temp_history, TestDesk, MOBILE};

/// Every C0 control but line feed and tab, DEL, and every C1 control.
fn has_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\n')
}

/// Every text field of a history row, with its name.
fn texts(e: &Entry) -> Vec<(&'static str, String)> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    vec![
        ("name", e.name.clone()),
        ("body", e.body.clone()),
        ("channel_name", e.channel_name.clone()),
        ("teammate_name", opt(&e.teammate_name)),
        ("template_name", opt(&e.template_name)),
        ("error", opt(&e.error)),
        ("problem", opt(&e.problem)),
        ("hint", opt(&e.hint)),
        (
            "status",
            e.status
                .as_ref()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
        ),
        ("status_detail", opt(&e.status_detail)),
        ("summary", e.summary.clone()),
    ]
}

fn assert_clean(e: &Entry) {
    for (field, text) in texts(e) {
        assert!(
            !has_control(&text),
            "{field} holds a control character: {text:?}"
        );
    }
}

fn code(result: Result<impl std::fmt::Debug, smsdesk::Error>) -> &'static str {
    UserError::from(result.expect_err("refused")).code
}

#[tokio::test]
async fn a_ten_megabyte_number_is_refused_before_it_is_parsed() {
    let huge = "1".repeat(10 * 1024 * 1024);
    let us = Country::parse("US").ok();
    let said = |check: phone::PhoneCheck| check.error.unwrap_or_default();
    for error in [
        said(phone::validate(&huge, us)),
        said(phone::validate_for_sending(&huge, us)),
        said(phone::validate_many_for_sending(&[huge.as_str()], us).remove(0)),
    ] {
        assert!(
            error.starts_with("That is too long to be a phone number (10485760 characters)"),
            "{error}"
        );
    }
    // Every way a typed number comes in: the compose form's check, a send, the do-not-text list.
    let t = TestDesk::new();
    let check = t
        .desk
        .check_number(&huge, Some("US"))
        .await
        .expect("checked");
    assert!(!check.valid);
    assert!(said(check).contains("too long to be a phone number"));
    let draft = Draft {
        to: format!("+1 201 555 0123 {huge}"),
        body: "Hi".into(),
        ..Draft::default()
    };
    let refused = t.desk.send(Via::Practice, draft, None, false).await;
    let refused = UserError::from(refused.expect_err("refused"));
    assert_eq!(refused.code, "invalid_phone");
    assert!(
        refused.message.contains("too long to be a phone number"),
        "{refused:?}"
    );
    let listed = t.desk.add_opt_out(&huge, "", Some("US"), None).await;
    let listed = listed.expect_err("refused").to_string();
    assert!(listed.contains("too long to be a phone number"), "{listed}");
    assert!(
        listed.len() < 300,
        "the number is not repeated in the error"
    );
    // A number people really type, with spaces, brackets and an extension, still fits.
    assert!(phone::validate("+1 (201) 555-0123 ext. 1234", None)
        .error
        .is_none_or(|e| !e.contains("too long to be")));
}

#[tokio::test]
async fn the_recipient_name_the_teammate_id_and_business_details_are_bounded() {
    let t = TestDesk::new();
    let draft = |name: &str, teammate: &str| Draft {
        to: MOBILE.into(),
        body: "Hi".into(),
        name: name.into(),
        teammate_id: teammate.into(),
        ..Draft::default()
    };
    let long_name = "n".repeat(101);
    let refused = t
        .desk
        .send(Via::Practice, draft(&long_name, ""), None, false)
        .await;
    let refused = UserError::from(refused.expect_err("too long"));
    assert_eq!(refused.code, "name_too_long");
    assert_eq!(
        refused.message,
        "The recipient's name is 101 characters long; the most is 100."
    );
    assert!(!refused.message.contains(&long_name));
    let sent = t
        .desk
        .send(Via::Practice, draft(&"n".repeat(100), ""), None, false)
        .await
        .expect("100 characters is a name");
    assert_eq!(t.row(sent.history_id).await.name, "n".repeat(100));

    let long_id = "1".repeat(21);
    assert_eq!(
        code(
            t.desk
                .send(Via::Practice, draft("Jane", &long_id), None, false)
                .await
        ),
        "teammate_id_too_long"
    );
    assert_eq!(
        code(t.desk.add_teammate("Ann", &long_id).await),
        "teammate_id_too_long"
    );
    let huge_id = "x".repeat(1024 * 1024);
    let said = t
        .desk
        .add_teammate("Ann", &huge_id)
        .await
        .expect_err("refused");
    assert!(
        said.to_string().len() < 300,
        "not quoted back: {}",
        said.to_string().len()
    );
    t.desk
        .add_teammate("Ann", &"1".repeat(20))
        .await
        .expect("20 digits is an id");
    let template = TemplateDraft {
        name: "Reminder".into(),
        body: "Hi".into(),
        teammate_id: Some(long_id.clone()),
        ..TemplateDraft::default()
    };
    assert_eq!(
        code(t.desk.save_template(None, template).await),
        "template_teammate_too_long"
    );

    let business = BusinessInfo {
        business_name: "b".repeat(101),
        ..BusinessInfo::default()
    };
    let refused = UserError::from(t.desk.save_business(business).await.expect_err("too long"));
    assert_eq!(refused.code, "business_detail_too_long");
    assert_eq!(
        refused.message,
        "The business name is 101 characters long; the most is 100."
    );
    for (phone, address) in [
        ("p".repeat(41), String::new()),
        (String::new(), "a".repeat(201)),
    ] {
        let business = BusinessInfo {
            business_name: "Bright Smile".into(),
            business_phone: phone,
            business_address: address,
        };
        assert_eq!(
            code(t.desk.save_business(business).await),
            "business_detail_too_long"
        );
    }
    assert_eq!(
        t.desk.business().await.expect("read"),
        BusinessInfo::default(),
        "nothing saved"
    );
}

#[tokio::test]
async fn control_characters_never_reach_the_message_or_the_history() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let t = TestDesk::new();
    t.live(&sim, PRACTICE_KEY).await;
    let draft = Draft {
        to: MOBILE.into(),
        // Word's line break (VT), Windows line ends, a page break, an escape sequence, NUL,
        // DEL, a C1 CSI, a tab.
        body:
            "Hi Jane,\r\nsee you\u{0B}at 10:00.\u{0C}\u{1b}[31mBring\u{0}\u{7f}\u{9b} your\tcard.\r"
                .into(),
        name: " Jane\u{1b}]0;owned\u{7}\tDoe\n".into(),
        ..Draft::default()
    };
    let sent = t
        .desk
        .send(Via::Active, draft, None, false)
        .await
        .expect("sent");
    let expected_body = "Hi Jane,\nsee you\nat 10:00.\n[31mBring your card.\n";
    let posted = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .and_then(|r| r.body)
        .expect("a send");
    assert_eq!(posted["body"], expected_body);
    assert_eq!(posted["destination_user_name"], "Jane]0;owned Doe");
    let row = t.row(sent.history_id).await;
    assert_eq!(row.body, expected_body, "the history holds what was sent");
    assert_eq!(row.name, "Jane]0;owned Doe");
    assert_clean(&row);

    // A body of nothing but control characters is an empty message.
    let blank = Draft {
        to: MOBILE.into(),
        body: "\u{0}\u{1b}\u{7}\r\n".into(),
        ..Draft::default()
    };
    assert_eq!(
        code(t.desk.send(Via::Active, blank, None, false).await),
        "empty_body"
    );

    // The preview shows exactly what is sent.
    let preview = t
        .desk
        .preview("Hi\r\nJane\u{1b}\u{0B}!", None)
        .await
        .expect("preview");
    assert_eq!(preview.text, "Hi\nJane\n!");
    assert_eq!(preview.count.characters, 9);
}

#[tokio::test]
async fn templates_teammates_and_business_details_are_saved_without_control_characters() {
    let t = TestDesk::new();
    let saved = t
        .desk
        .save_template(
            None,
            TemplateDraft {
                name: "Remind\u{1b}[2Jer\u{0}\t(day before)".into(),
                body: "Hi {{first_name}},\r\nsee you {{date}}.\u{9b}\u{0B}Bye\u{7f}".into(),
                ..TemplateDraft::default()
            },
        )
        .await
        .expect("saved");
    assert_eq!(saved.name, "Remind[2Jer (day before)");
    assert_eq!(saved.body, "Hi {{first_name}},\nsee you {{date}}.\nBye");
    let listed = t.desk.templates().await.expect("read");
    assert!(listed
        .iter()
        .all(|t| !has_control(&t.name) && !has_control(&t.body)));

    let settings = t
        .desk
        .add_teammate("Ann\u{1b}[5m\u{0} Lee", "814860")
        .await
        .expect("added");
    assert_eq!(settings.teammates[0].name, "Ann[5m Lee");

    let business = t
        .desk
        .save_business(BusinessInfo {
            business_name: "Bright\u{1b}[8m Smile\u{0}".into(),
            business_phone: "01632\t960123\u{7}".into(),
            business_address: "1 High St,\r\nLeeds\u{85}".into(),
        })
        .await
        .expect("saved");
    assert_eq!(business.business_name, "Bright[8m Smile");
    assert_eq!(business.business_phone, "01632 960123");
    assert_eq!(business.business_address, "1 High St, Leeds");
    assert_eq!(t.desk.business().await.expect("read"), business);
}

fn rejected_with(error: &str) -> SendReport {
    SendReport::new(
        &SendOutcome::Rejected(Rejected {
            http_status: 400,
            request_id: Some("req-1".into()),
            error_code: Some(4),
            code: Some(octopods::ErrorCode::SmsError),
            error: error.into(),
            raw: serde_json::json!({"request_id": "req-1", "error_code": 4, "error": error}),
        }),
        1,
    )
}

#[test]
fn the_servers_words_are_stored_without_control_characters() {
    let (dir, history) = temp_history();
    let message = NewMessage {
        to: MOBILE.into(),
        name: "Jane\u{1b}[1m".into(),
        body: "Hello\r\n\u{0}there".into(),
        channel_id: "practice".into(),
        channel_name: "Front\u{9b}2J desk".into(),
        practice: true,
        template_name: Some("Remind\u{7}er".into()),
        teammate_name: Some("Ann\u{0}".into()),
        ..NewMessage::default()
    };
    let id = match history.begin(&message, &LocalList, true).expect("begin") {
        Begun::Sending(id) => id,
        other => panic!("not begun: {other:?}"),
    };
    let nasty = "\u{1b}[2J\u{1b}]0;pwned\u{7}Carrier\nrejected\u{9b}31m it\u{0}\u{7f}.";
    history
        .finish(id, &rejected_with(nasty), true, std::time::Duration::ZERO)
        .expect("finish");
    // What is in the file itself, not only what is read back.
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).expect("sqlite");
    let stored: Vec<Option<String>> = conn
        .query_row(
            "SELECT recipient_name, body, channel_name, template_name, teammate_name, error,
                problem, hint, raw_response FROM messages WHERE id = ?1",
            [id],
            |row| (0..9).map(|i| row.get(i)).collect(),
        )
        .expect("row");
    for text in stored.iter().flatten() {
        assert!(
            !has_control(text),
            "stored with a control character: {text:?}"
        );
    }
    let events: Vec<String> = conn
        .prepare("SELECT what FROM events WHERE message = ?1")
        .expect("events")
        .query_map([id], |row| row.get(0))
        .expect("events")
        .collect::<rusqlite::Result<_>>()
        .expect("events");
    assert!(events.iter().all(|e| !has_control(e)), "{events:?}");
    let raw = stored[8].clone().expect("raw answer");
    let raw: serde_json::Value = serde_json::from_str(&raw).expect("still JSON");
    assert_eq!(
        raw["error"], nasty,
        "the raw answer keeps the server's words, escaped"
    );
    let row = history.get(id).expect("read").expect("row").entry;
    assert_eq!(row.error.as_deref(), Some("Carrier rejected it."));
    assert_eq!(row.body, "Hello\nthere");
    assert_clean(&row);
}

#[test]
fn rows_stored_by_an_older_version_are_read_without_control_characters() {
    let (dir, history) = temp_history();
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).expect("sqlite");
    // As an older version wrote them: the person's text and the server's, unfiltered.
    conn.execute_batch(&format!(
        "INSERT INTO messages (created_at, updated_at, to_number, recipient_name, body,
            channel_id, channel_name, practice, workspace, outcome, error, problem, hint,
            status, status_detail, tracking, teammate_name, template_name)
         VALUES (1, 1, '{MOBILE}', 'Jane' || char(27) || '[31m', 'Hi' || char(0) || char(13, 10) || 'there',
            'practice', 'Practice' || char(155), 1, 'intercom', 'accepted',
            char(27) || ']0;x' || char(7) || 'oops', 'Problem' || char(127), 'Hint' || char(27) || 'c',
            'fail' || char(27) || '[0med', char(27) || '[2JCarrier' || char(10) || 'said no', 'done',
            'Ann' || char(0), 'Tpl' || char(7));
         INSERT INTO events (message, at, what)
            VALUES (last_insert_rowid(), 1, 'Delivery status: x (' || char(27) || '[1mbad)');"
    ))
    .expect("an old row");
    drop(conn);
    let rows = history
        .list(&Filter::default(), 0, 10)
        .expect("list")
        .entries;
    assert_eq!(rows.len(), 1);
    assert_clean(&rows[0]);
    assert_eq!(rows[0].status_detail.as_deref(), Some("Carrier said no"));
    assert_eq!(rows[0].status.as_ref().map(|s| s.as_str()), Some("failed"));
    assert_eq!(rows[0].error.as_deref(), Some("oops"));
    let detail = history.get(rows[0].id).expect("read").expect("row");
    assert_clean(&detail.entry);
    assert!(
        detail.events.iter().all(|e| !has_control(&e.what)),
        "{:?}",
        detail.events
    );
}

/// Argentina's mobiles have two valid forms (`+54 9 11…` and `+54 11…`): a STOP recorded under
/// either refuses a send to the other, with no request.
#[tokio::test]
async fn a_phone_on_the_list_in_one_form_cannot_be_texted_in_its_other() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let t = TestDesk::new();
    t.live(&sim, PRACTICE_KEY).await;
    for (listed, sent) in [
        ("+54 9 11 2345-6789", "+54 11 2345-6789"),
        ("+54 351 234-5678", "+54 9 351 234-5678"),
    ] {
        t.desk
            .add_opt_out(listed, "Replied STOP", None, None)
            .await
            .expect("listed");
        let refused = t.desk.send(Via::Active, hello(sent), None, false).await;
        assert_eq!(code(refused), "opted_out", "{sent} through {listed}");
        let again = t
            .desk
            .add_opt_out(sent, "Asked again", None, None)
            .await
            .expect("listed");
        assert!(again.already, "{sent} is {listed}: already on the list");
        assert!(
            t.desk.remove_opt_out(sent, None).await.expect("removed"),
            "taken off through its other form"
        );
        t.desk
            .send(Via::Active, hello(listed), None, false)
            .await
            .expect("off the list in both forms: sent");
    }
    assert_eq!(sim.requests().len(), 2, "only the two sends after removal");
}

fn hello(to: &str) -> Draft {
    Draft {
        to: to.into(),
        body: "Hi".into(),
        ..Draft::default()
    }
}
