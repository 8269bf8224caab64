//! Shared templates and business details (issue 13) against a real PostgreSQL: two desks on
//! two data folders, one manual clock, so which edit is later is the test's choice.

use std::sync::Arc;
use std::time::Duration;

use smsdesk::templates::{starter_templates, BusinessInfo, Template, TemplateDraft};
use smsdesk::time::ManualClock;
use test_postgres::Cluster;

use crate::TestDesk;

const SYNC: Duration = Duration::from_secs(5);

fn desk_at(clock: &Arc<ManualClock>) -> TestDesk {
    let clock = Arc::clone(clock);
    TestDesk::with(move |o| o.clock = clock)
}

fn draft(name: &str, body: &str) -> TemplateDraft {
    TemplateDraft {
        name: name.into(),
        body: body.into(),
        ..TemplateDraft::default()
    }
}

async fn names(t: &TestDesk) -> Vec<String> {
    let mut names: Vec<String> = t
        .desk
        .templates()
        .await
        .expect("templates")
        .into_iter()
        .map(|t| t.name)
        .collect();
    names.sort();
    names
}

async fn named(t: &TestDesk, name: &str) -> Vec<Template> {
    t.desk
        .templates()
        .await
        .expect("templates")
        .into_iter()
        .filter(|t| t.name == name)
        .collect()
}

fn starter_names() -> Vec<String> {
    starter_templates().into_iter().map(|t| t.name).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_template_and_the_business_details_edited_at_one_desk_reach_the_other() {
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let clock = ManualClock::at(1_800_000_000_000);
    let (a, b) = (desk_at(&clock), desk_at(&clock));
    a.desk.team_join(&url, "Front desk").await.expect("a joins");
    b.desk.team_join(&url, "Branch").await.expect("b joins");

    clock.advance(Duration::from_secs(60));
    let made = a
        .desk
        .save_template(
            None,
            draft("Recall", "Time for your check-up, {{first_name}}."),
        )
        .await
        .expect("created at a");
    b.desk.team_sync(SYNC).await.expect("b pulls");
    let there = named(&b, "Recall").await;
    assert_eq!(there.len(), 1, "{:?}", names(&b).await);
    assert_eq!(there[0].id, made.id);
    assert_eq!(there[0].body, "Time for your check-up, {{first_name}}.");

    clock.advance(Duration::from_secs(60));
    a.desk
        .save_template(
            Some(made.id.clone()),
            draft("Recall", "Your check-up is due, {{first_name}}."),
        )
        .await
        .expect("edited at a");
    b.desk.team_sync(SYNC).await.expect("b pulls");
    assert_eq!(
        named(&b, "Recall").await[0].body,
        "Your check-up is due, {{first_name}}."
    );

    clock.advance(Duration::from_secs(60));
    a.desk.delete_template(&made.id).await.expect("deleted");
    b.desk.team_sync(SYNC).await.expect("b pulls");
    assert!(named(&b, "Recall").await.is_empty());
    let mut expected = starter_names();
    expected.sort();
    assert_eq!(names(&b).await, expected, "the starters, once each");

    let business = BusinessInfo {
        business_name: "Bright Smile Dental".into(),
        business_phone: "+12015550100".into(),
        business_address: "1 Main St".into(),
    };
    b.desk
        .save_business(business.clone())
        .await
        .expect("saved at b");
    a.desk.team_sync(SYNC).await.expect("a pulls");
    assert_eq!(a.desk.business().await.expect("business"), business);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joining_merges_both_desks_templates_and_copies_no_starter() {
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let clock = ManualClock::at(1_800_000_000_000);
    let (a, b) = (desk_at(&clock), desk_at(&clock));
    a.desk
        .save_template(None, draft("Only at A", "Hello from A."))
        .await
        .expect("a's own");
    b.desk
        .save_template(None, draft("Only at B", "Hello from B."))
        .await
        .expect("b's own");
    a.desk.team_join(&url, "A").await.expect("a joins");
    b.desk.team_join(&url, "B").await.expect("b joins");
    a.desk.team_sync(SYNC).await.expect("a pulls");

    let mut expected = starter_names();
    expected.push("Only at A".into());
    expected.push("Only at B".into());
    expected.sort();
    for t in [&a, &b] {
        assert_eq!(names(t).await, expected, "each once, nothing lost");
    }
    let order = |list: Vec<Template>| list.into_iter().map(|t| t.id).collect::<Vec<_>>();
    assert_eq!(
        order(a.desk.templates().await.expect("a")),
        order(b.desk.templates().await.expect("b")),
        "the same order at both desks"
    );
    let rows = pg.psql(
        "clinic",
        "SELECT count(*) FROM smsdesk_documents WHERE kind = 'template'",
    );
    assert_eq!(String::from_utf8_lossy(&rows.stdout).trim(), "6");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_template_edits_keep_the_later_and_a_copy_of_the_other() {
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let clock = ManualClock::at(1_800_000_000_000);
    let (a, b) = (desk_at(&clock), desk_at(&clock));
    a.desk.team_join(&url, "Front desk").await.expect("a joins");
    b.desk.team_join(&url, "Branch").await.expect("b joins");
    let id = "starter-reminder".to_owned();

    // Offline from each other: B edits first, A later; A syncs first, then B.
    pg.stop();
    clock.advance(Duration::from_secs(60));
    b.desk
        .save_template(Some(id.clone()), draft("Reminder", "B's words."))
        .await
        .expect("b edits");
    clock.advance(Duration::from_secs(60));
    a.desk
        .save_template(Some(id.clone()), draft("Reminder", "A's words."))
        .await
        .expect("a edits");
    pg.start();
    let at_a = a.desk.team_sync(SYNC).await.expect("a pushes");
    assert!(at_a.crossings.is_empty(), "{:?}", at_a.crossings);
    let at_b = b.desk.team_sync(SYNC).await.expect("b crosses");
    assert_eq!(at_b.crossings.len(), 1, "{:?}", at_b.crossings);
    let crossing = &at_b.crossings[0];
    assert_eq!(crossing.other_desk, "Front desk");
    assert_eq!(
        crossing.kept_as.as_deref(),
        Some("Reminder (Branch's version)")
    );
    assert!(
        crossing
            .message
            .contains("Front desk and this desk changed \"Reminder\""),
        "{}",
        crossing.message
    );
    let notices = b.desk.notices().await;
    assert!(
        notices.iter().any(|n| n.message == crossing.message),
        "kept as a notice: {notices:?}"
    );
    a.desk.team_sync(SYNC).await.expect("a pulls the copy");

    for t in [&a, &b] {
        let list = t.desk.templates().await.expect("templates");
        let kept = list.iter().position(|t| t.id == id).expect("kept");
        assert_eq!(list[kept].body, "A's words.", "the later edit wins");
        assert_eq!(
            list[kept + 1].name,
            "Reminder (Branch's version)",
            "right after"
        );
        assert_eq!(list[kept + 1].body, "B's words.", "the other is not lost");
        assert_eq!(list.len(), 5);
    }

    // The business details: B's later change wins, A's values are in the report.
    pg.stop();
    clock.advance(Duration::from_secs(60));
    a.desk
        .save_business(BusinessInfo {
            business_name: "A Dental".into(),
            ..BusinessInfo::default()
        })
        .await
        .expect("a saves");
    clock.advance(Duration::from_secs(60));
    b.desk
        .save_business(BusinessInfo {
            business_name: "B Dental".into(),
            ..BusinessInfo::default()
        })
        .await
        .expect("b saves");
    pg.start();
    a.desk.team_sync(SYNC).await.expect("a pushes");
    let at_b = b.desk.team_sync(SYNC).await.expect("b crosses");
    assert_eq!(at_b.crossings.len(), 1, "{:?}", at_b.crossings);
    assert!(
        at_b.crossings[0].message.contains("\"A Dental\""),
        "the losing values are reported: {}",
        at_b.crossings[0].message
    );
    a.desk.team_sync(SYNC).await.expect("a pulls");
    for t in [&a, &b] {
        assert_eq!(
            t.desk.business().await.expect("business").business_name,
            "B Dental"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_template_push_repeated_after_a_kill_duplicates_nothing() {
    let pg = Cluster::start_new();
    let url = pg.database("clinic");
    let clock = ManualClock::at(1_800_000_000_000);
    let a = desk_at(&clock);
    a.desk.team_join(&url, "A").await.expect("a joins");
    pg.stop();
    clock.advance(Duration::from_secs(60));
    a.desk
        .save_template(
            Some("starter-reminder".into()),
            draft("Reminder", "New words."),
        )
        .await
        .expect("a, offline");
    pg.start();
    // The push reached the server, then the desk was killed before it recorded it.
    let store = a.store().await;
    let membership = store.team().expect("read").expect("joined");
    let outgoing = store.team_outgoing_documents().expect("outgoing");
    assert_eq!(outgoing.len(), 1, "{outgoing:?}");
    let target = smsdesk::team::connection::Target::parse(&url).expect("url");
    let mut client = target.connect(SYNC).await.expect("connect");
    smsdesk::team::documents::push(
        &mut client,
        &membership.desk_id,
        &membership.desk_name,
        &outgoing,
    )
    .await
    .expect("pushed once");
    let synced = a.desk.team_sync(SYNC).await.expect("pushed again");
    assert!(synced.crossings.is_empty(), "{:?}", synced.crossings);
    let rows = pg.psql(
        "clinic",
        "SELECT count(*), max(version) FROM smsdesk_documents WHERE kind = 'template'",
    );
    assert_eq!(String::from_utf8_lossy(&rows.stdout).trim(), "4|2");
    assert_eq!(a.desk.templates().await.expect("templates").len(), 4);
    assert!(store
        .team_outgoing_documents()
        .expect("outgoing")
        .is_empty());
}
