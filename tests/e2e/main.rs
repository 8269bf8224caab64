//! End-to-end tests: the real SMS Desk window, driven over WebDriver by `tauri-driver`.
//!
//! Needs a display and a session bus; run as
//! `xvfb-run -a dbus-run-session -- cargo test -p smsdesk-e2e`.
//! The app is built by the tests themselves; `tauri-driver` must be installed
//! (`cargo install tauri-driver --locked --version ^2`) and `WebKitWebDriver` on the `PATH`
//! (Debian/Ubuntu: `webkit2gtk-driver`). Tests run one app at a time (see `harness::serial`).
//! Screenshots go to `target/e2e-screenshots/`; with `SMSDESK_UPDATE_SCREENSHOTS=1` also to
//! `docs/screenshots/`.

mod bulk;
mod channels;
mod compose;
mod crash;
mod first_run;
mod harness;
mod history;
mod installed;
mod keychain;
mod live;
mod notices;
mod open_with;
mod optouts;
mod polish;
mod privilege;
mod schedule;
mod settings;
mod team;
mod templates;
mod tray;
mod updates;
