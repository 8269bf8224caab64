//! New versions and help for support, in the real window.
//!
//! The update test serves a manifest (`latest.json`) and a newer "AppImage" from a web server on
//! loopback, signed the way the Tauri CLI signs (minisign, base64), with a key pair made for the
//! test (`SMSDESK_TEST_UPDATE_PUBKEY`, read by debug builds only). The app runs from a copy of
//! itself, as an AppImage is one file: the update replaces that copy. It sees the version and
//! its notes; refuses a package whose signature is not the key's (nothing replaced); refuses
//! while a scheduled message is due within the hour; and, with nothing waiting, installs it
//! (the copy now holds the new package's bytes) and starts again.
//!
//! The About test reads version, data folder and keychain, and the diagnostics after a send:
//! no phone number or message in them; the log file has the start, the send's history id and
//! outcome, and (as for every test, `harness::check_log`) nothing secret. The window's title
//! (the system's) names the channel messages go from.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use minisign::KeyPair;
use octopods_sim::{Sim, SimConfig, PRACTICE_KEY};

use crate::harness::{serial, wait_until, App};

const NEW_VERSION: &str = "9.9.9";
const NOTES: &str = "Reminders in Irish.\n\n- Faster lists\n- A clearer History";

/// A web server on loopback with two files: the manifest (changeable) and the package.
struct UpdateServer {
    base: String,
    manifest: Arc<Mutex<String>>,
}

impl UpdateServer {
    fn start(package: Vec<u8>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("its address"));
        let manifest = Arc::new(Mutex::new(String::new()));
        let served = Arc::clone(&manifest);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    continue;
                }
                // The headers, up to the blank line.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let (status, kind, body) = if path == "/latest.json" {
                    let text = served.lock().map(|m| m.clone()).unwrap_or_default();
                    ("200 OK", "application/json", text.into_bytes())
                } else if path.ends_with(".AppImage") {
                    ("200 OK", "application/octet-stream", package.clone())
                } else {
                    ("404 Not Found", "text/plain", b"not here".to_vec())
                };
                let mut stream = &stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            }
        });
        Self { base, manifest }
    }

    fn serve(&self, signature: &str) {
        let manifest = serde_json::json!({
            "version": NEW_VERSION,
            "notes": NOTES,
            "pub_date": "2026-11-30T10:00:00Z",
            "platforms": {
                "linux-x86_64": {
                    "signature": signature,
                    "url": format!("{}/SMS-Desk_{NEW_VERSION}_amd64.AppImage", self.base),
                }
            }
        });
        *self.manifest.lock().expect("the manifest") = manifest.to_string();
    }

    fn address(&self) -> String {
        format!("{}/latest.json", self.base)
    }
}

fn base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// The public key as `tauri signer generate` writes it (base64 of minisign's key file).
fn public_key(keys: &KeyPair) -> String {
    base64(&keys.pk.to_box().expect("the public key").to_string())
}

/// The signature as `tauri signer sign` writes it (base64 of minisign's .sig file), with the
/// version in the trusted comment as the CLI records it.
fn signature(keys: &KeyPair, data: &[u8]) -> String {
    let comment = format!("timestamp:1796032800\tfile:SMS-Desk.AppImage\tversion:{NEW_VERSION}");
    let signed =
        minisign::sign(Some(&keys.pk), &keys.sk, data, Some(&comment), None).expect("a signature");
    base64(&signed.to_string())
}

/// Size and modification time: whether a file was replaced.
fn stamp(path: &Path) -> (u64, std::time::SystemTime) {
    let meta = std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (meta.len(), meta.modified().expect("a modification time"))
}

/// An IANA zone (`Etc/GMT-8` is eight hours east) in which it is about midday now: the app and
/// the window's JavaScript read it alike (the harness's POSIX zone is not read by WebKit), and
/// a time twenty minutes away is inside the sending hours and today.
fn midday_zone() -> String {
    // The Etc zones' sign is the POSIX one: east of UTC is minus.
    let east = crate::harness::hours_east_for_midday();
    format!("Etc/GMT{:+}", -east).replace("+0", "")
}

/// Sets New message's "Send later" to `minutes` from now on the window's own clock.
async fn schedule_in(app: &App, minutes: i64) {
    app.click("#nav-compose").await;
    app.type_into("#to", "+353 87 123 4567").await;
    app.wait_text("#to-check", "✓").await;
    app.type_into(
        "#body",
        "See you soon at the clinic. Reply STOP to opt out.",
    )
    .await;
    if !app.is_displayed("#send-later").await {
        app.click("#send-later-open").await;
    }
    app.wait_displayed("#send-later", true).await;
    app.client
        .execute(
            "const at = new Date(Date.now() + arguments[0] * 60000);
             const two = (n) => String(n).padStart(2, '0');
             const set = (id, value) => {
               const el = document.getElementById(id);
               el.value = value;
               el.dispatchEvent(new Event('input', {bubbles: true}));
               el.dispatchEvent(new Event('change', {bubbles: true}));
             };
             set('send-later-date', `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`);
             set('send-later-time', `${two(at.getHours())}:${two(at.getMinutes())}`);",
            vec![serde_json::json!(minutes)],
        )
        .await
        .expect("the time set");
    app.click("#schedule").await;
    app.wait_text("#send-result", "Scheduled to").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_is_shown_verified_held_while_a_message_is_due_and_installed() {
    let _one_at_a_time = serial().await;
    // The new "AppImage": any program will do (the updater checks it is one); this one ends
    // at once when SMS Desk starts it again after installing.
    let package = std::fs::read("/bin/true").expect("/bin/true");
    let keys = KeyPair::generate_unencrypted_keypair().expect("a key pair");
    let stranger = KeyPair::generate_unencrypted_keypair().expect("another key pair");
    let server = UpdateServer::start(package.clone());
    // First, a package signed by a key that is not SMS Desk's.
    server.serve(&signature(&stranger, &package));
    let (address, key, zone) = (server.address(), public_key(&keys), midday_zone());
    let app = App::launch_copy(&[
        ("SMSDESK_UPDATE_URL", &address),
        ("SMSDESK_TEST_UPDATE_PUBKEY", &key),
        ("TZ", &zone),
    ])
    .await;
    let copy = app.copy_path();
    let before = stamp(&copy);

    // Found at start: the banner says which version, and About what is new.
    let banner = app.wait_text("#update-banner-title", NEW_VERSION).await;
    assert!(
        banner.contains("is ready to install") && banner.contains("you have 0.1.0"),
        "{banner:?}"
    );
    assert!(app.is_displayed("#nav-about-badge").await);
    app.screenshot("update-banner.png", true).await;
    app.click("#update-banner-open").await;
    app.wait_text("#update-new-title", &format!("What’s new in {NEW_VERSION}"))
        .await;
    // Seen on About: the banner goes; the dot on the tab stays while the version waits.
    app.wait_displayed("#update-banner", false).await;
    assert!(app.is_displayed("#nav-about-badge").await);
    let notes = app.text("#update-notes").await;
    assert!(
        notes.contains("Reminders in Irish.") && notes.contains("Faster lists"),
        "{notes:?}"
    );
    assert_eq!(app.text("#update-new-date").await, "Published 2026-11-30");

    // A signature that is not SMS Desk's key: refused, and nothing replaced.
    app.click("#update-install").await;
    let refused = app.wait_text("#update-result", "Not installed").await;
    assert!(
        refused.contains("could not be verified") && refused.contains("Nothing has changed"),
        "{refused:?}"
    );
    assert_eq!(stamp(&copy), before, "the app was not replaced");

    // The right signature now; but a message is due in 20 minutes: it waits, in words.
    server.serve(&signature(&keys, &package));
    app.click("#update-check").await;
    app.wait_text("#update-state", "is ready to install").await;
    schedule_in(&app, 20).await;
    app.click("#nav-about").await;
    app.wait_displayed("#update-install", true).await;
    app.click("#update-install").await;
    let held = app.wait_text("#update-result", "Not installed").await;
    assert!(
        held.contains("A scheduled message is due") && held.contains("after it has gone"),
        "{held:?}"
    );
    app.screenshot("about-update-held.png", true).await;
    assert_eq!(stamp(&copy), before, "the app was not replaced");

    // Cancelled, nothing waits: installed over the copy, and SMS Desk starts again (the new
    // "version" ends at once, and so does this session).
    app.click("#nav-scheduled").await;
    app.click("#scheduled-list li:nth-child(1) [data-action='cancel']")
        .await;
    app.click("#scheduled-list li:nth-child(1) [data-action='yes']")
        .await;
    app.wait_text("#scheduled-result", "Cancelled").await;
    app.click("#nav-about").await;
    app.wait_displayed("#update-install", true).await;
    app.click("#update-install").await;
    wait_until(
        "the update to be installed",
        Duration::from_secs(60),
        || {
            let copy = copy.clone();
            let package = package.clone();
            async move {
                let now = std::fs::read(&copy).ok()?;
                (now == package).then_some(())
            }
        },
    )
    .await;
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&copy).expect("the copy").permissions(),
    );
    assert_ne!(mode & 0o111, 0, "the new version can be run");
    app.close().await;
}

/// The log's lines, all files.
fn log_text(dir: &Path) -> String {
    let mut text = String::new();
    if let Ok(files) = std::fs::read_dir(dir.join("logs")) {
        for file in files.flatten() {
            let mut part = String::new();
            if let Ok(mut f) = std::fs::File::open(file.path()) {
                let _ = f.read_to_string(&mut part);
            }
            text.push_str(&part);
        }
    }
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn about_shows_this_copy_and_diagnostics_without_numbers_or_messages() {
    let _one_at_a_time = serial().await;
    let app = App::launch().await;
    let body = "Hi Ann, your appointment is tomorrow at 10:30. Reply STOP to opt out.";
    crate::history::send(&app, "+353 87 765 4321", None, body, "Sent").await;

    app.click("#nav-about").await;
    app.wait_text("#about-version", "0.1.0").await;
    assert_eq!(app.text("#about-built").await.len(), 10, "a date");
    assert_eq!(
        app.text("#about-folder").await,
        app.data_dir().display().to_string()
    );
    assert!(app.text("#about-log").await.ends_with("smsdesk.log"));
    assert!(app.text("#about-keychain").await.starts_with("memory only"));
    assert_eq!(
        app.text("#update-state").await,
        "This copy does not look for new versions: whoever looks after this computer installs them."
    );
    let diagnostics = wait_until("the diagnostics", Duration::from_secs(20), || async {
        let text = app.value("#diagnostics").await;
        text.contains("Recent problems").then_some(text)
    })
    .await;
    for expected in [
        "SMS Desk 0.1.0 (built ",
        "Keychain: memory only",
        "Sending from: Practice",
    ] {
        assert!(
            diagnostics.contains(expected),
            "{expected:?} in {diagnostics}"
        );
    }
    for secret in [
        "877654321",
        "87 765 4321",
        "765 4321",
        "appointment is tomorrow",
    ] {
        assert!(!diagnostics.contains(secret), "{secret:?} in {diagnostics}");
    }
    app.click("#diagnostics-copy").await;
    app.wait_text("#diagnostics-result", "Cop").await;
    crate::bulk::scroll_to(&app, "#about-heading").await;
    app.screenshot("about.png", true).await;

    // The window's title names the channel messages go from, and follows it.
    let pid = crate::bulk::app_pid(app.data_dir());
    crate::tray::wait_title(pid, "SMS Desk \u{b7} Practice").await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    crate::channels::add_channel(&app, "Front desk", PRACTICE_KEY, &sim).await;
    crate::tray::wait_title(pid, "SMS Desk \u{b7} Front desk").await;

    // The log: the start, and the send by its history id and outcome (its number and words
    // are checked absent by the harness when the session ends).
    let log = log_text(app.data_dir());
    assert!(log.contains("SMS Desk 0.1.0 (built "), "{log}");
    assert!(
        log.lines()
            .any(|l| l.contains("message 1") && l.contains("accepted")),
        "{log}"
    );
    app.close().await;
}
