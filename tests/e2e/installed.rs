//! The installed Linux package, for real (issue 11): `scripts/test-package` builds the `.deb`,
//! makes the "previous version" of it, installs that with apt-get, and runs this test with
//! [`crate::harness::INSTALLED_APP_ENV`] naming the installed binary and [`NEXT_PACKAGE_ENV`]
//! the new `.deb`. The installed app is started as a person starts it: on its default data
//! folder (under the scratch `XDG_DATA_HOME` of `scripts/test`) and the system keychain (the
//! session's throwaway keyring). It is ignored in the ordinary run, which has no package.
//!
//! 1. The previous version: the welcome, a Practice send, History shows it; a live channel is
//!    added (its key goes to the keychain).
//! 2. The new version is installed over it with apt-get (an upgrade).
//! 3. The new version starts on the same data: no welcome, the Practice message still in
//!    History, the channel there and its key still in the keychain (Octopods accepts it, and a
//!    live send goes).
//! 4. Uninstalled, the binary is gone and the data folder is still there.

use std::path::PathBuf;
use std::process::Command;

use octopods_sim::{Sim, SimConfig, PRACTICE_KEY};

use crate::channels::pick_channel;
use crate::harness::{serial, App, INSTALLED_APP_ENV};
use crate::history::{open_history, wait_rows};

/// The `.deb` to upgrade to, installed by the test itself.
const NEXT_PACKAGE_ENV: &str = "SMSDESK_NEXT_PACKAGE";

/// The Debian package's name (`dpkg -s`), from the `.deb` itself.
const PACKAGE_NAME_ENV: &str = "SMSDESK_PACKAGE_NAME";

fn package() -> String {
    std::env::var(PACKAGE_NAME_ENV).unwrap_or_else(|_| {
        panic!("{PACKAGE_NAME_ENV} is not set: run this test through scripts/test-package")
    })
}

fn env_path(name: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{name} is not set: run this test through scripts/test-package"))
}

/// The installed app's data folder: `$XDG_DATA_HOME/app.smsdesk.desktop`.
fn default_data_folder() -> PathBuf {
    env_path("XDG_DATA_HOME").join(smsdesk::paths::APP_IDENTIFIER)
}

fn installed_version() -> String {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", &package()])
        .output()
        .unwrap_or_else(|e| panic!("cannot run dpkg-query: {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn apt_get(args: &[&str]) {
    let status = Command::new("apt-get")
        .args(["-y", "-qq"])
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .unwrap_or_else(|e| panic!("cannot run apt-get: {e}"));
    assert!(status.success(), "apt-get {args:?} failed: {status}");
}

/// Sends `body` to `to` from New message and waits for the answer.
async fn send(app: &App, to: &str, body: &str) -> String {
    app.click("#nav-compose").await;
    app.type_into("#to", to).await;
    app.wait_text("#to-check", "✓").await;
    app.type_into("#body", body).await;
    app.click("#send").await;
    app.wait_text("#send-result", "Sent to").await
}

/// History opens with the Practice message sent in step 1 as its newest row.
async fn history_shows_the_practice_send(app: &App) {
    open_history(app).await;
    let rows = wait_rows(app, 1).await;
    assert!(
        rows[0].contains("Practice from the installed app."),
        "{rows:?}"
    );
}

fn channel_item(name: &str) -> String {
    format!("#channel-list li[data-name=\"{name}\"]")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "drives the installed .deb: run by scripts/test-package"]
async fn the_installed_app_starts_sends_and_keeps_its_data_and_keys_across_an_upgrade() {
    let _one_at_a_time = serial().await;
    let binary = env_path(INSTALLED_APP_ENV);
    let next = env_path(NEXT_PACKAGE_ENV);
    let previous = installed_version();
    assert!(!previous.is_empty(), "{} is installed", package());
    let folder = default_data_folder();
    assert!(
        !folder.exists(),
        "a first start: {} is new",
        folder.display()
    );
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");

    // 1. The previous version, as a person meets it.
    let app = App::launch_on_default_folder(&[]).await;
    app.wait_displayed("#welcome", true).await;
    app.click("#welcome-practice-start").await;
    app.wait_displayed("#welcome", false).await;
    let sent = send(&app, "+1 201 555 0123", "Practice from the installed app.").await;
    assert!(
        sent.contains("Practice — nothing was really sent."),
        "{sent:?}"
    );
    history_shows_the_practice_send(&app).await;
    app.click("#nav-settings").await;
    app.type_into("#new-channel-name", "Clinic").await;
    app.type_into("#api-key", PRACTICE_KEY).await;
    app.type_into("#new-channel-url", &sim.base_url()).await;
    app.click("#add-channel").await;
    app.wait_text("#channels-result", "Channel “Clinic” added.")
        .await;
    app.close().await;
    assert!(
        folder.join(smsdesk::store::DB_FILE).exists(),
        "the installed app keeps its data in {}",
        folder.display()
    );

    // 2. The new version over it.
    let next = next.to_str().expect("a UTF-8 package path");
    apt_get(&["install", next]);
    let upgraded = installed_version();
    assert_ne!(upgraded, previous, "the new version is installed");

    // 3. Everything is still there, the key too.
    let app = App::launch_on_default_folder(&[]).await;
    assert!(!app.is_displayed("#welcome").await, "no second welcome");
    history_shows_the_practice_send(&app).await;
    app.click("#nav-settings").await;
    let clinic = channel_item("Clinic");
    app.click(&format!("{clinic} [data-action=\"test\"]")).await;
    app.wait_text(&format!("{clinic} .channel-result"), "Valid")
        .await;
    pick_channel(&app, "Clinic").await;
    let sent = send(&app, "+1 201 555 0124", "Live from the upgraded app.").await;
    assert!(!sent.contains("Practice"), "sent for real: {sent:?}");
    assert_eq!(
        sim.requests().iter().filter(|r| r.method == "POST").count(),
        1,
        "the live send reached Octopods with the kept key"
    );
    app.close().await;

    // 4. Uninstalled: the program goes, the person's data stays.
    apt_get(&["remove", &package()]);
    assert!(!binary.exists(), "{} is removed", binary.display());
    assert!(
        folder.join(smsdesk::store::DB_FILE).exists(),
        "the data folder is kept when SMS Desk is uninstalled"
    );
}
