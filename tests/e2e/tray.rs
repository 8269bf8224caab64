//! SMS Desk keeps running in the tray while something is scheduled (issue 10): the close
//! button hides the window instead of quitting, the process (and its worker) goes on, a second
//! launch on the same data folder brings the window back and ends, and once nothing waits the
//! close button quits. The tray menu itself cannot be clicked here: under Xvfb there is no
//! panel to show the icon in (its menu's words are unit tests in src-tauri/src/tray.rs).

use std::path::Path;
use std::time::Duration;

use smsdesk::desk::{Desk, DeskOptions, Via};
use smsdesk::draft::Draft;

use crate::bulk::{app_pid, click_close_button};
use crate::harness::{serial, wait_until, App};

/// Prints 1 when a top-level X window whose title starts with "SMS Desk" (the title goes on
/// with the channel: "SMS Desk · Practice") of the process given as the argument
/// is on screen (mapped), else 0: what the person sees, which WebDriver cannot tell; then, on
/// a second line, that window's title.
const WINDOW_SHOWN: &str = r#"
import ctypes, sys
from ctypes import c_int, c_ulong, c_long, c_void_p, c_char_p, c_uint, POINTER, byref
x = ctypes.cdll.LoadLibrary('libX11.so.6')
x.XOpenDisplay.restype = c_void_p
x.XOpenDisplay.argtypes = [c_char_p]
x.XDefaultRootWindow.restype = c_ulong
x.XDefaultRootWindow.argtypes = [c_void_p]
x.XInternAtom.restype = c_ulong
x.XInternAtom.argtypes = [c_void_p, c_char_p, c_int]
x.XQueryTree.argtypes = [c_void_p, c_ulong, POINTER(c_ulong), POINTER(c_ulong), POINTER(POINTER(c_ulong)), POINTER(c_uint)]
x.XFetchName.argtypes = [c_void_p, c_ulong, POINTER(c_char_p)]
x.XGetWindowProperty.argtypes = [c_void_p, c_ulong, c_ulong, c_long, c_long, c_int, c_ulong,
    POINTER(c_ulong), POINTER(c_int), POINTER(c_ulong), POINTER(c_ulong), POINTER(c_void_p)]
class Attributes(ctypes.Structure):
    _fields_ = [('x', c_int), ('y', c_int), ('width', c_int), ('height', c_int),
                ('border_width', c_int), ('depth', c_int), ('visual', c_void_p), ('root', c_ulong),
                ('c_class', c_int), ('bit_gravity', c_int), ('win_gravity', c_int),
                ('backing_store', c_int), ('backing_planes', c_ulong), ('backing_pixel', c_ulong),
                ('save_under', c_int), ('colormap', c_ulong), ('map_installed', c_int),
                ('map_state', c_int), ('all_event_masks', c_long), ('your_event_mask', c_long),
                ('do_not_propagate_mask', c_long), ('override_redirect', c_int), ('screen', c_void_p)]
x.XGetWindowAttributes.argtypes = [c_void_p, c_ulong, POINTER(Attributes)]
d = x.XOpenDisplay(None)
root = x.XDefaultRootWindow(d)
def walk(w):
    r, p, kids, n = c_ulong(), c_ulong(), POINTER(c_ulong)(), c_uint()
    if not x.XQueryTree(d, w, byref(r), byref(p), byref(kids), byref(n)):
        return
    for i in range(n.value):
        yield kids[i]
        yield from walk(kids[i])
want_pid = int(sys.argv[1])
net_wm_pid = x.XInternAtom(d, b'_NET_WM_PID', 0)
def pid_of(w):
    kind, fmt, n, after, data = c_ulong(), c_int(), c_ulong(), c_ulong(), c_void_p()
    if x.XGetWindowProperty(d, w, net_wm_pid, 0, 1, 0, 0, byref(kind), byref(fmt), byref(n), byref(after), byref(data)) != 0:
        return None
    if not data.value or n.value < 1:
        return None
    return ctypes.cast(data, POINTER(c_long))[0]
net_wm_name = x.XInternAtom(d, b'_NET_WM_NAME', 0)
utf8_string = x.XInternAtom(d, b'UTF8_STRING', 0)
def title_of(w, fallback):
    kind, fmt, n, after, data = c_ulong(), c_int(), c_ulong(), c_ulong(), c_void_p()
    if x.XGetWindowProperty(d, w, net_wm_name, 0, 1024, 0, utf8_string, byref(kind), byref(fmt), byref(n), byref(after), byref(data)) != 0:
        return fallback.decode('latin-1')
    if not data.value or n.value < 1:
        return fallback.decode('latin-1')
    return ctypes.string_at(data.value, n.value).decode('utf-8', 'replace')
shown, title = 0, ''
for w in walk(root):
    name = c_char_p()
    if x.XFetchName(d, w, byref(name)) and name.value.startswith(b'SMS Desk') and pid_of(w) == want_pid:
        title = title_of(w, name.value)
        a = Attributes()
        if x.XGetWindowAttributes(d, w, byref(a)) and a.map_state == 2:  # IsViewable
            shown = 1
print(shown)
print(title)
"#;

/// Whether the app's window is on screen, and its title; `None` when Python 3 is not there
/// to tell.
fn look_at_window(pid: u32) -> Option<(bool, String)> {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(WINDOW_SHOWN)
        .arg(pid.to_string())
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "the window could not be looked at: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines();
    let shown = lines.next().map(str::trim) == Some("1");
    Some((shown, lines.next().unwrap_or_default().trim().to_owned()))
}

/// Whether the app's window is on screen; `None` when Python 3 is not there to tell.
fn window_shown(pid: u32) -> Option<bool> {
    look_at_window(pid).map(|(shown, _)| shown)
}

/// Waits until the window of process `pid` has this title (the system's, not the page's);
/// nothing is checked when Python 3 is not there to look.
pub(crate) async fn wait_title(pid: u32, title: &str) {
    wait_until(
        &format!("the window's title to be {title:?}"),
        Duration::from_secs(20),
        || async {
            match look_at_window(pid) {
                None => Some(()),
                Some((_, now)) => (now == title).then_some(()),
            }
        },
    )
    .await;
}

/// Starts SMS Desk again on `data_dir` (the binary of process `pid`), as a person opening it
/// once more would; checks that this second one ends at once, quietly.
pub(crate) async fn launch_again(pid: u32, data_dir: &Path) {
    let binary = std::fs::read_link(format!("/proc/{pid}/exe")).expect("the app's binary");
    let data_dir = data_dir.to_path_buf();
    let second = tokio::task::spawn_blocking(move || {
        std::process::Command::new(&binary)
            .env("SMSDESK_DATA_DIR", data_dir)
            .env("SMSDESK_KEYSTORE", "memory")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
    });
    let status = tokio::time::timeout(Duration::from_secs(30), second)
        .await
        .expect("the second launch ends at once")
        .expect("the second launch was waited for")
        .expect("the second launch started");
    assert!(status.success(), "the second launch ends quietly: {status}");
}

/// Waits until the window of process `pid` is on screen (`true`) or hidden (`false`).
pub(crate) async fn wait_shown(pid: u32, shown: bool) {
    let what = if shown { "shown" } else { "hidden" };
    wait_until(
        &format!("the window to be {what}"),
        Duration::from_secs(20),
        || async { (window_shown(pid) == Some(shown)).then_some(()) },
    )
    .await;
}

fn running(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// A desk on the app's data folder, as `smsdesk` on the command line would open it.
fn desk_on(dir: &Path) -> Desk {
    let keys: smsdesk::desk::KeyOpener = std::sync::Arc::new(|| {
        Err(smsdesk::Error::KeychainUnavailable(
            "not needed for practice".to_owned(),
        ))
    });
    Desk::new(DeskOptions::with_key_opener(dir, keys))
}

/// Schedules a practice message a month from now; returns the job's number.
async fn schedule_one(desk: &Desk) -> i64 {
    let draft = Draft {
        to: "+353861234567".to_owned(),
        body: "Your appointment is next month.".to_owned(),
        name: String::new(),
        open_conversation: false,
        teammate_id: String::new(),
    };
    let at = smsdesk::time::now_ms() + 30 * 24 * 3_600_000;
    desk.schedule_message(Via::Practice, draft, None, at)
        .await
        .unwrap_or_else(|e| panic!("cannot schedule: {e}"))
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_while_something_is_scheduled_keeps_sms_desk_in_the_tray() {
    assert!(
        window_shown(0).is_some(),
        "python3 clicks the close button and sees the window: scripts/setup --test installs it"
    );
    let _one_at_a_time = serial().await;
    let app = App::launch().await;
    let desk = desk_on(app.data_dir());
    let id = schedule_one(&desk).await;
    let pid = app_pid(app.data_dir());
    assert_eq!(window_shown(pid), Some(true));

    // Closed: the window hides, SMS Desk goes on running (its worker holds the lock).
    assert_eq!(click_close_button(&app).as_deref(), Some("1"));
    wait_shown(pid, false).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        running(pid),
        "SMS Desk keeps running while a message is scheduled"
    );
    assert_eq!(window_shown(pid), Some(false));

    // Started again on the same folder: the first window comes back, the second ends.
    launch_again(pid, app.data_dir()).await;
    wait_shown(pid, true).await;
    assert!(running(pid));
    // The same window, still driven: the page was never reloaded.
    app.find("body[data-ready='true']").await;
    app.screenshot("tray-back.png", false).await;

    // Nothing waits any more: the close button quits.
    desk.cancel_scheduled(id)
        .await
        .unwrap_or_else(|e| panic!("cannot cancel: {e}"));
    assert_eq!(click_close_button(&app).as_deref(), Some("1"));
    wait_until("SMS Desk to quit", Duration::from_secs(20), || async {
        (!running(pid)).then_some(())
    })
    .await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_end_of_a_test_session_ends_sms_desk_even_with_something_scheduled() {
    let _one_at_a_time = serial().await;
    let app = App::launch().await;
    let desk = desk_on(app.data_dir());
    schedule_one(&desk).await;
    let pid = app_pid(app.data_dir());
    // WebDriver's end of session closes the window its own way; nothing is left running (the
    // other tests schedule things too, each on a folder deleted afterwards).
    app.close().await;
    wait_until("SMS Desk to end", Duration::from_secs(20), || async {
        (!running(pid)).then_some(())
    })
    .await;
}

#[tokio::test]
async fn settings_turn_the_start_at_login_on_and_off() {
    let _one_at_a_time = serial().await;
    // The login start is written under the home folder: a scratch one.
    let home = tempfile::tempdir().expect("temp dir");
    let home_path = home.path().to_str().expect("a UTF-8 temp path");
    let config = home.path().join(".config");
    let config_path = config.to_str().expect("a UTF-8 temp path");
    // XDG_CONFIG_HOME too: where it is set, it wins over HOME, and would be the real one.
    let app = App::launch_with(&[
        ("SMSDESK_KEYSTORE", "memory"),
        ("HOME", home_path),
        ("XDG_CONFIG_HOME", config_path),
    ])
    .await;
    let entry = config.join("autostart/SMS Desk.desktop");
    app.click("#nav-settings").await;
    wait_until("the box to be ready", Duration::from_secs(20), || async {
        let box_ = app.find("#autostart").await;
        box_.is_enabled().await.unwrap_or(false).then_some(())
    })
    .await;
    assert_eq!(
        app.find("#autostart")
            .await
            .prop("checked")
            .await
            .ok()
            .flatten()
            .as_deref(),
        Some("false")
    );

    app.click("#autostart").await;
    app.wait_text("#autostart-result", "will start when you log in")
        .await;
    let text = std::fs::read_to_string(&entry)
        .unwrap_or_else(|e| panic!("no login start at {}: {e}", entry.display()));
    let exec = text
        .lines()
        .find(|l| l.starts_with("Exec="))
        .unwrap_or_else(|| panic!("no Exec line: {text}"));
    assert!(
        exec.ends_with(" --minimized"),
        "it starts in the tray: {exec}"
    );
    app.screenshot("settings-autostart.png", false).await;

    app.click("#autostart").await;
    app.wait_text("#autostart-result", "will not start by itself")
        .await;
    assert!(!entry.exists(), "the login start is removed");
    app.close().await;
}
