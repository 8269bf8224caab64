//! Least privilege, in the real window (issue 12): the page may call SMS Desk's own commands and
//! listen to the events the app pushes, and nothing else of Tauri's; it cannot leave SMS Desk's
//! own pages (a link, `location`, a form, a `<base>`); and its content security policy has
//! `object-src 'none'; base-uri 'none'; form-action 'none'`.
//!
//! A call the window is not granted is refused by Tauri before it runs, with "... not allowed"
//! (debug builds name the permissions that would allow it). A navigation away is refused by the
//! app, which writes one line to its log: the test waits for that line, then checks the page
//! is still the same document (never a sleep).

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::harness::{serial, wait_until, App};

/// The line the app logs when it keeps the window on its own pages (`src-tauri/src/lib.rs`).
const KEPT_HERE: &str = "kept the window on SMS Desk's own pages";

/// Calls each command from the page and answers `{name: "allowed" | "refused: <why>"}`.
const CALLS: &str = r#"
const done = arguments[arguments.length - 1];
const internals = window.__TAURI_INTERNALS__;
const why = (e) => 'refused: ' + (typeof e === 'string' ? e : JSON.stringify(e));
const call = (command, args) => internals.invoke(command, args || {}).then(() => 'allowed', why);
(async () => {
  const Channel = window.__TAURI__.core.Channel;
  return {
    menuNew: await call('plugin:menu|new', {kind: 'MenuItem', options: {text: 'Injected'}, handler: new Channel()}),
    windowTitle: await call('plugin:window|title', {label: 'main'}),
    windowSetTitle: await call('plugin:window|set_title', {label: 'main', value: 'Injected'}),
    webviews: await call('plugin:webview|get_all_webviews'),
    appVersion: await call('plugin:app|version'),
    resourcesClose: await call('plugin:resources|close', {rid: 4242}),
    emit: await call('plugin:event|emit', {event: 'desk-changed', payload: {kind: 'templates', id: null}}),
    listen: await window.__TAURI__.event.listen('desk-changed', () => {})
      .then(async (stop) => { await stop(); return 'allowed'; }, why),
    command: await call('is_first_run'),
  };
})().then(done, (e) => done({failed: String(e)}));
"#;

#[tokio::test]
async fn the_window_may_call_only_the_apps_commands_and_listen_to_its_events() {
    let _one_at_a_time = serial().await;
    let app = App::launch().await;
    let answers = app
        .client
        .execute_async(CALLS, vec![])
        .await
        .unwrap_or_else(|e| panic!("cannot call from the page: {e}"));
    let answer = |name: &str| answers[name].as_str().unwrap_or_default().to_owned();
    for refused in [
        "menuNew",
        "windowTitle",
        "windowSetTitle",
        "webviews",
        "appVersion",
        "resourcesClose",
        "emit",
    ] {
        let text = answer(refused);
        assert!(
            text.starts_with("refused: ") && text.contains("not allowed"),
            "{refused} must be refused by the ACL: {text:?} (all: {answers})"
        );
    }
    assert_eq!(answer("listen"), "allowed", "{answers}");
    assert_eq!(answer("command"), "allowed", "{answers}");
    app.close().await;
}

/// Inserts a `<base>` to another site and submits a form to one, and answers what the page's
/// CSP reported: `{directives, policy, baseUri, href}`, within ten seconds.
const BASE_AND_FORM: &str = r#"
const done = arguments[arguments.length - 1];
const seen = new Set();
let policy = '';
let finished = false;
const base = document.createElement('base');
const form = document.createElement('form');
let baseUri = '';
const finish = () => {
  if (finished) return;
  finished = true;
  base.remove();
  form.remove();
  done({directives: [...seen], policy, baseUri, href: location.href});
};
document.addEventListener('securitypolicyviolation', (e) => {
  seen.add(e.effectiveDirective || e.violatedDirective);
  policy = e.originalPolicy;
  if (seen.has('base-uri') && seen.has('form-action')) finish();
});
setTimeout(finish, 10000);
base.href = 'https://example.com/';
document.head.append(base);
baseUri = document.baseURI;
form.action = 'https://example.com/collect';
form.method = 'post';
form.hidden = true;
document.body.append(form);
form.submit();
"#;

#[tokio::test]
async fn a_base_or_a_form_cannot_point_the_window_elsewhere_and_the_csp_says_so() {
    let _one_at_a_time = serial().await;
    let app = App::launch().await;
    let reported = app
        .client
        .execute_async(BASE_AND_FORM, vec![])
        .await
        .unwrap_or_else(|e| panic!("cannot try a <base> and a form: {e}"));
    let directives: Vec<&str> = reported["directives"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(directives.contains(&"base-uri"), "{reported}");
    assert!(directives.contains(&"form-action"), "{reported}");
    let policy = reported["policy"].as_str().unwrap_or_default();
    for directive in ["object-src 'none'", "base-uri 'none'", "form-action 'none'"] {
        assert!(policy.contains(directive), "{directive} in {policy:?}");
    }
    let base_uri = reported["baseUri"].as_str().unwrap_or_default();
    assert!(base_uri.starts_with("tauri://localhost"), "{reported}");
    assert!(
        reported["href"]
            .as_str()
            .unwrap_or_default()
            .starts_with("tauri://localhost"),
        "{reported}"
    );
    app.wait_displayed("#view-compose", true).await;
    app.close().await;
}

/// The app's log file in `data_dir`, as written so far.
fn log_text(data_dir: &Path) -> String {
    let path = data_dir
        .join(smsdesk::logfile::DIR)
        .join(smsdesk::logfile::FILE_NAME);
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Waits until the app has logged [`KEPT_HERE`] `count` times.
async fn kept_here(app: &App, count: usize) {
    let dir = app.data_dir().to_path_buf();
    wait_until(
        "the app to refuse the navigation",
        Duration::from_secs(20),
        || async { (log_text(&dir).matches(KEPT_HERE).count() >= count).then_some(()) },
    )
    .await;
}

/// Whether the page is still the document the test marked, on SMS Desk's own address.
async fn still_here(app: &App) {
    let probe = app
        .client
        .execute(
            "return [window.__privilegeProbe || '', location.href, document.body.dataset.ready || ''];",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("the page does not answer: {e}"));
    assert_eq!(probe[0], "same document", "{probe}");
    assert!(
        probe[1]
            .as_str()
            .unwrap_or_default()
            .starts_with("tauri://localhost"),
        "{probe}"
    );
    assert_eq!(probe[2], "true", "{probe}");
    let url = app
        .client
        .current_url()
        .await
        .unwrap_or_else(|e| panic!("no current URL: {e}"));
    assert_eq!(url.scheme(), "tauri", "{url}");
}

#[tokio::test]
async fn the_window_never_leaves_the_apps_own_pages() {
    let _one_at_a_time = serial().await;
    let app = App::launch().await;
    app.client
        .execute(
            "window.__privilegeProbe = 'same document'; window.location.href = 'https://example.com/';",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot set location: {e}"));
    kept_here(&app, 1).await;
    still_here(&app).await;

    // A link to another site, clicked.
    app.client
        .execute(
            "const a = document.createElement('a'); a.href = 'http://example.org/help';\
             a.textContent = 'help'; document.body.append(a); a.click(); a.remove();",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot click a link: {e}"));
    kept_here(&app, 2).await;
    still_here(&app).await;

    // The app's own page is still reachable (a fragment: the skip link).
    app.client
        .execute("document.querySelector('.skip-link').click();", vec![])
        .await
        .unwrap_or_else(|e| panic!("cannot follow the skip link: {e}"));
    still_here(&app).await;
    app.wait_displayed("#view-compose", true).await;
    app.close().await;
}

/// The shipped configuration has the three directives (the window test above sees them at run
/// time, as WebKit reports them).
#[test]
fn the_configured_csp_has_the_three_directives() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src-tauri/tauri.conf.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let config: Value = serde_json::from_str(&text).expect("tauri.conf.json is JSON");
    let csp = config["app"]["security"]["csp"]
        .as_str()
        .expect("a CSP string");
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    for directive in ["object-src 'none'", "base-uri 'none'", "form-action 'none'"] {
        assert!(directives.contains(&directive), "{directive} in {csp:?}");
    }
    assert!(directives.contains(&"default-src 'self'"), "{csp:?}");
}
