//! Starts the real app under `tauri-driver` and gives tests a few "what does the person see"
//! helpers.
//!
//! - The app is built once per test run (`cargo build -p smsdesk-app`).
//! - Each test gets its own `tauri-driver` on free ports, its own data folder and an in-memory
//!   keychain (`SMSDESK_DATA_DIR`, `SMSDESK_KEYSTORE=memory`: the app inherits tauri-driver's
//!   environment), so no test touches a real user's settings or keys.
//! - Tests take [`serial`] first: one app window at a time.
//! - Waiting is always a bounded poll on a condition, never a bare sleep.
//! - No update check leaves the machine (`SMSDESK_UPDATE_URL=off`, unless a test serves one).
//! - When a session ends, the app's log file ([`smsdesk::logfile`]) is read and must hold no
//!   phone number, message, key or other long text the test typed or the app stored
//!   ([`check_log`]): so every test run checks the log's redaction.

use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tempfile::TempDir;

/// How long to wait for the app to start, or for something to appear on screen.
const START_TIMEOUT: Duration = Duration::from_secs(60);
const WAIT_TIMEOUT: Duration = Duration::from_secs(20);
/// How long closing a session may take before its driver is stopped anyway.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(20);
const POLL_EVERY: Duration = Duration::from_millis(50);
/// How much of tauri-driver's and the app's output a failing test prints.
const LOG_TAIL_LINES: usize = 80;

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Held for a whole test: only one app (and one WebKitWebDriver) runs at a time.
pub async fn serial() -> tokio::sync::MutexGuard<'static, ()> {
    SERIAL.lock().await
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        _ => workspace_root().join("target"),
    }
}

/// The environment variable naming an installed app to drive instead of building one
/// (`scripts/test-package`: `/usr/bin/smsdesk-app` from the `.deb`).
pub const INSTALLED_APP_ENV: &str = "SMSDESK_INSTALLED_APP";

/// Builds the app (once per test run) and returns the binary's absolute path; or the
/// installed app named by [`INSTALLED_APP_ENV`], never built.
fn app_binary() -> &'static Path {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        if let Some(installed) = std::env::var_os(INSTALLED_APP_ENV) {
            let path = PathBuf::from(installed);
            return path
                .canonicalize()
                .map_err(|e| format!("the installed app {} is missing: {e}", path.display()));
        }
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "smsdesk-app"])
            .current_dir(workspace_root())
            .status()
            .map_err(|e| format!("could not run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("`cargo build -p smsdesk-app` failed: {status}"));
        }
        let binary = target_dir()
            .join("debug")
            .join(format!("smsdesk-app{}", std::env::consts::EXE_SUFFIX));
        binary
            .canonicalize()
            .map_err(|e| format!("the app was built but {} is missing: {e}", binary.display()))
    });
    match built {
        Ok(path) => path,
        Err(why) => panic!("cannot start the app: {why}"),
    }
}

/// `tauri-driver` from `TAURI_DRIVER`, the `PATH`, or Cargo's bin folder.
fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(path);
    }
    let name = format!("tauri-driver{}", std::env::consts::EXE_SUFFIX);
    let mut candidates: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join(&name)).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        candidates.push(PathBuf::from(home).join("bin").join(&name));
    }
    if let Some(home) = std::env::var_os("HOME") {
        candidates.push(PathBuf::from(home).join(".cargo/bin").join(&name));
    }
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("tauri-driver not found: cargo install tauri-driver --locked --version ^2")
        })
}

/// A fixed time zone in which it is about midday now, as the app's own (`TZ`): lists go out
/// only inside the sending window (08:00 to 21:00 on the clinic's clock, by default the
/// computer's), and no test may depend on the hour it runs at. A test can set its own `TZ`.
fn midday_zone() -> String {
    let east = hours_east_for_midday();
    // POSIX: "<+05>-5" is five hours east of UTC.
    format!("<{east:+03}>{}", -east)
}

/// How many hours east of UTC (-11 to 12) it is about midday now.
pub fn hours_east_for_midday() -> i64 {
    let hour = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 3600 % 24);
    let east = (12 - i64::try_from(hour).unwrap_or(0)).rem_euclid(24);
    if east > 12 {
        east - 24
    } else {
        east
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free local port: {e}"))
}

/// A running `tauri-driver`; stopped with SIGTERM on drop so that it also stops its
/// WebKitWebDriver (SIGKILL would leave that running, holding the test's output open).
struct Driver {
    child: Child,
    log: PathBuf,
    /// The port of the WebKitWebDriver that tauri-driver starts and forwards to.
    native_port: u16,
}

impl Driver {
    /// Starts tauri-driver, its log in `log_dir`; the app it starts uses `data_dir` when one is
    /// given (`SMSDESK_DATA_DIR`), else the default data folder, as an installed app does.
    fn start(log_dir: &Path, data_dir: Option<&Path>, port: u16, env: &[(&str, &str)]) -> Self {
        let log = log_dir.join("tauri-driver.log");
        let out = std::fs::File::create(&log)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", log.display()));
        let err = out
            .try_clone()
            .unwrap_or_else(|e| panic!("cannot reopen {}: {e}", log.display()));
        let native_port = free_port();
        let mut command = Command::new(tauri_driver());
        command
            .arg("--port")
            .arg(port.to_string())
            .arg("--native-port")
            .arg(native_port.to_string());
        match data_dir {
            Some(dir) => command.env(smsdesk::paths::DATA_DIR_ENV, dir),
            None => command.env_remove(smsdesk::paths::DATA_DIR_ENV),
        };
        let child = command
            .env("TZ", midday_zone())
            .env("SMSDESK_UPDATE_URL", "off")
            // tauri-driver logs every connection WebKitWebDriver closes; without this each
            // comes with a backtrace and a failing test's own message is lost under them.
            .env("RUST_LIB_BACKTRACE", "0")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start tauri-driver: {e}"));
        Self {
            child,
            log,
            native_port,
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(POLL_EVERY);
        }
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if std::thread::panicking() {
            if let Ok(text) = std::fs::read_to_string(&self.log) {
                // The end of it: what led to the failure, not the whole session.
                let lines: Vec<&str> = text.lines().collect();
                let tail = &lines[lines.len().saturating_sub(LOG_TAIL_LINES)..];
                eprintln!(
                    "--- tauri-driver and app output (last {} lines) ---\n{}",
                    tail.len(),
                    tail.join("\n")
                );
            }
        }
    }
}

/// The app's window, driven over WebDriver.
pub struct App {
    pub client: Client,
    // Dropped after the client is closed: the driver, then the data folder.
    _driver: Driver,
    data_dir: TempDir,
    /// The app runs on its default data folder, not `data_dir` (which then holds the log).
    default_folder: bool,
    /// What the test typed into the window: none of it may be in the app's log.
    typed: std::sync::Mutex<Vec<String>>,
}

impl App {
    /// Starts the app with an empty data folder and an empty in-memory keychain, and waits
    /// until it is ready.
    pub async fn launch() -> Self {
        Self::launch_with(&[("SMSDESK_KEYSTORE", "memory")]).await
    }

    /// Starts the app with an empty data folder and these extra environment variables. The
    /// first-run welcome is marked as done beforehand, so tests start on the compose form.
    pub async fn launch_with(env: &[(&str, &str)]) -> Self {
        let data_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
        let settings = data_dir.path().join("settings.json");
        std::fs::write(&settings, r#"{"firstRunDone": true}"#)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", settings.display()));
        Self::start(data_dir, env).await
    }

    /// Starts the app (in-memory keychain, welcome done) on a data folder that already holds
    /// these files, as an older SMS Desk left them.
    pub async fn launch_seeded(files: &[(&str, &str)]) -> Self {
        let data_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
        let settings = data_dir.path().join("settings.json");
        std::fs::write(&settings, r#"{"firstRunDone": true}"#)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", settings.display()));
        for (name, text) in files {
            std::fs::write(data_dir.path().join(name), text)
                .unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
        }
        Self::start(data_dir, &[("SMSDESK_KEYSTORE", "memory")]).await
    }

    /// Starts the app as a person sees it the very first time: an empty data folder (so the
    /// welcome is shown), an in-memory keychain and these extra environment variables.
    pub async fn launch_first_run(env: &[(&str, &str)]) -> Self {
        let data_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
        let mut all = vec![("SMSDESK_KEYSTORE", "memory")];
        all.extend_from_slice(env);
        Self::start(data_dir, &all).await
    }

    /// Closes the app and starts it again on the same data folder, with these environment
    /// variables (the keychain is in memory, so it starts empty again).
    pub async fn relaunch(self, env: &[(&str, &str)]) -> Self {
        self.relaunch_after(env, |_| {}).await
    }

    /// Closes the app, lets `prepare` change its data folder while nothing runs, and starts
    /// it again on that folder.
    pub async fn relaunch_after(self, env: &[(&str, &str)], prepare: impl FnOnce(&Path)) -> Self {
        let data_dir = self.shut_down().await;
        prepare(data_dir.path());
        let mut all = vec![("SMSDESK_KEYSTORE", "memory")];
        all.extend_from_slice(env);
        Self::start(data_dir, &all).await
    }

    /// Starts the app (in-memory keychain, welcome done) with these command-line arguments, as
    /// a file manager's "Open with SMS Desk" starts it: `smsdesk-app /path/to/list.csv`.
    pub async fn launch_with_args(args: &[&str]) -> Self {
        let data_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
        let settings = data_dir.path().join("settings.json");
        std::fs::write(&settings, r#"{"firstRunDone": true}"#)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", settings.display()));
        Self::start_with_args(data_dir, &[("SMSDESK_KEYSTORE", "memory")], args).await
    }

    async fn start(data_dir: TempDir, env: &[(&str, &str)]) -> Self {
        Self::start_with_args(data_dir, env, &[]).await
    }

    /// Starts the app as a person starts an installed copy: on its default data folder (under
    /// `XDG_DATA_HOME`, which the caller points at a scratch folder) and the system keychain
    /// (the test session's throwaway keyring), with these extra environment variables.
    pub async fn launch_on_default_folder(env: &[(&str, &str)]) -> Self {
        let log_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
        Self::open(log_dir, true, env, &[]).await
    }

    /// Starts the app; `args` go on its command line (tauri-driver hands them to
    /// WebKitWebDriver, which starts the app with them).
    async fn start_with_args(data_dir: TempDir, env: &[(&str, &str)], args: &[&str]) -> Self {
        Self::open(data_dir, false, env, args).await
    }

    /// Starts a copy of the app (in-memory keychain, welcome done) made for this test at
    /// [`App::copy_path`], as an AppImage is one file a person can replace: the update test
    /// installs over it.
    pub async fn launch_copy(env: &[(&str, &str)]) -> Self {
        let data_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
        let settings = data_dir.path().join("settings.json");
        std::fs::write(&settings, r#"{"firstRunDone": true}"#)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", settings.display()));
        let copy = Self::copy_in(data_dir.path());
        if let Some(folder) = copy.parent() {
            std::fs::create_dir_all(folder)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", folder.display()));
        }
        std::fs::copy(app_binary(), &copy)
            .unwrap_or_else(|e| panic!("cannot copy the app to {}: {e}", copy.display()));
        let mut all = vec![("SMSDESK_KEYSTORE", "memory")];
        all.extend_from_slice(env);
        Self::open_binary(data_dir, false, &all, &[], &copy).await
    }

    fn copy_in(data_dir: &Path) -> PathBuf {
        data_dir.join("app").join("smsdesk-app")
    }

    /// The copy [`App::launch_copy`] started.
    pub fn copy_path(&self) -> PathBuf {
        Self::copy_in(self.data_dir.path())
    }

    async fn open(
        data_dir: TempDir,
        default_folder: bool,
        env: &[(&str, &str)],
        args: &[&str],
    ) -> Self {
        Self::open_binary(data_dir, default_folder, env, args, app_binary()).await
    }

    async fn open_binary(
        data_dir: TempDir,
        default_folder: bool,
        env: &[(&str, &str)],
        args: &[&str],
        application: &Path,
    ) -> Self {
        let port = free_port();
        let app_folder = (!default_folder).then_some(data_dir.path());
        let driver = Driver::start(data_dir.path(), app_folder, port, env);
        // tauri-driver listens at once but forwards the new session to the WebKitWebDriver it
        // has just started; on a busy machine that one may not listen yet, and the session
        // request then fails with "connection refused". Wait for both.
        let native_port = driver.native_port;
        wait_until(
            "tauri-driver and WebKitWebDriver to accept connections",
            START_TIMEOUT,
            || async {
                (TcpStream::connect(("127.0.0.1", port)).is_ok()
                    && TcpStream::connect(("127.0.0.1", native_port)).is_ok())
                .then_some(())
            },
        )
        .await;
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert(
            "tauri:options".into(),
            json!({ "application": application, "args": args }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("cannot open a WebDriver session on the app: {e}"));
        let app = Self {
            client,
            _driver: driver,
            data_dir,
            default_folder,
            typed: std::sync::Mutex::default(),
        };
        app.wait_for("body[data-ready='true']", START_TIMEOUT).await;
        app
    }

    /// The app's data folder for this test (`SMSDESK_DATA_DIR`). Not for an app started on
    /// its default folder ([`App::launch_on_default_folder`]): see `smsdesk::paths::data_dir`.
    pub fn data_dir(&self) -> &Path {
        assert!(
            !self.default_folder,
            "this app runs on its default data folder"
        );
        self.data_dir.path()
    }

    /// What the app saved in its store (the data folder's SQLite file), in the shape the old
    /// settings file had: `{"settings": {...}, "business": {...}, "templates": [...],
    /// "firstRunDone": true}` (an entry never saved is null).
    pub fn saved_config(&self) -> serde_json::Value {
        let path = self.data_dir().join(smsdesk::store::DB_FILE);
        let conn = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
        let read = |key: &str| -> serde_json::Value {
            let text: Option<String> = conn
                .query_row("SELECT value FROM config WHERE key = ?1", [key], |row| {
                    row.get(0)
                })
                .ok();
            text.and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(serde_json::Value::Null)
        };
        serde_json::json!({
            "settings": read("settings"),
            "business": read("business"),
            "templates": read("templates"),
            "firstRunDone": read("first_run_done"),
        })
    }

    /// The text of every file in the data folder (settings, logs...), with its path.
    pub fn data_files(&self) -> Vec<(PathBuf, String)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    out.push((path, String::from_utf8_lossy(&bytes).into_owned()));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.data_dir(), &mut out);
        out
    }

    /// Ends the session (closing the app) before the driver is stopped.
    pub async fn close(self) {
        drop(self.shut_down().await);
    }

    /// Ends the session, then stops the driver; hands back the data folder.
    async fn shut_down(self) -> TempDir {
        let App {
            client,
            _driver,
            data_dir,
            default_folder,
            typed,
        } = self;
        // An app that has already quit (a test that closes its window) may leave the session
        // unanswered: the driver is stopped after a while regardless, which ends the app.
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, client.close()).await;
        drop(_driver);
        if !default_folder && !std::thread::panicking() {
            let typed = typed.into_inner().unwrap_or_else(|e| e.into_inner());
            check_log(data_dir.path(), &typed);
        }
        data_dir
    }

    async fn wait_for(&self, css: &str, timeout: Duration) -> fantoccini::elements::Element {
        wait_until(&format!("{css} to appear"), timeout, || async {
            self.client.find(Locator::Css(css)).await.ok()
        })
        .await
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.wait_for(css, WAIT_TIMEOUT).await
    }

    /// The text the person sees in `css` (empty when it is hidden).
    pub async fn text(&self, css: &str) -> String {
        match self.client.find(Locator::Css(css)).await {
            Ok(el) => el.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits until the visible text of `css` contains `needle`; returns the whole text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let what = format!("{css} to show \"{needle}\"");
        let found = wait_until_or(&what, WAIT_TIMEOUT, || async {
            let text = self.text(css).await;
            text.contains(needle).then_some(text)
        })
        .await;
        match found {
            Ok(text) => text,
            Err(()) => panic!(
                "timed out waiting for {what}; it shows: {:?}",
                self.text(css).await
            ),
        }
    }

    pub async fn is_displayed(&self, css: &str) -> bool {
        match self.client.find(Locator::Css(css)).await {
            Ok(el) => el.is_displayed().await.unwrap_or(false),
            Err(_) => false,
        }
    }

    /// Waits until `css` is shown (`true`) or hidden (`false`).
    pub async fn wait_displayed(&self, css: &str, shown: bool) {
        let what = format!("{css} to be {}", if shown { "shown" } else { "hidden" });
        wait_until(&what, WAIT_TIMEOUT, || async {
            (self.is_displayed(css).await == shown).then_some(())
        })
        .await;
    }

    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        // A click goes to a point on the screen: while an answer still moves the form (a
        // check, a preview), it could land beside the element. Wait (briefly) until the
        // element has stood still for a few frames.
        let _ = self
            .client
            .execute_async(STAND_STILL, vec![serde_json::json!(css)])
            .await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
    }

    /// Replaces the content of a field, as if typed.
    pub async fn type_into(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("cannot clear {css}: {e}"));
        if !text.is_empty() {
            self.typed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(text.to_owned());
            field
                .send_keys(text)
                .await
                .unwrap_or_else(|e| panic!("cannot type into {css}: {e}"));
        }
    }

    /// A field's current value.
    pub async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// The id of the element that has the keyboard focus.
    pub async fn focused_id(&self) -> String {
        match self.client.active_element().await {
            Ok(el) => el.attr("id").await.ok().flatten().unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Saves a screenshot of the window to `target/e2e-screenshots/<name>` (to look at after a
    /// run), and, for the README's pictures (`for_docs`), also to `docs/screenshots/<name>`
    /// when `SMSDESK_UPDATE_SCREENSHOTS=1`.
    pub async fn screenshot(&self, name: &str, for_docs: bool) {
        // WebKitWebDriver takes the picture after the page's next repaint, and a page with
        // nothing changing (no caret blinking) may never repaint: keep one pixel, hidden
        // under the header, changing for a few seconds.
        self.client
            .execute(KEEP_PAINTING, vec![])
            .await
            .unwrap_or_else(|e| panic!("cannot prepare the screenshot: {e}"));
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("cannot take a screenshot: {e}"));
        let mut dirs = vec![target_dir().join("e2e-screenshots")];
        if for_docs && std::env::var_os("SMSDESK_UPDATE_SCREENSHOTS").is_some_and(|v| v == "1") {
            dirs.push(workspace_root().join("docs/screenshots"));
        }
        for dir in dirs {
            let path = dir.join(name);
            std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(&path, &png))
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        }
    }
}

/// See [`App::click`]: scrolls the element into view and calls back once its place on the
/// screen has not changed for 3 frames (at most about a second, also when no frame comes).
const STAND_STILL: &str = "
    const [css, done] = arguments;
    const el = document.querySelector(css);
    if (!el) { done(false); return; }
    el.scrollIntoView({ block: 'nearest' });
    let last = '';
    let still = 0;
    let frames = 0;
    const look = () => {
        const r = el.getBoundingClientRect();
        const now = [r.x, r.y, r.width, r.height].join(',');
        still = now === last ? still + 1 : 0;
        last = now;
        frames += 1;
        if (still >= 3 || frames > 60) done(true);
        else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
    // A window that is not drawn (hidden to the tray) has no frames: do not wait for them.
    setTimeout(() => done(true), 1000);
";

/// See [`App::screenshot`]: repaints an invisible pixel for about three seconds.
const KEEP_PAINTING: &str = "
    const dot = document.createElement('div');
    dot.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;z-index:-1;pointer-events:none';
    document.body.append(dot);
    let frames = 0;
    const tick = () => {
      dot.style.background = frames % 2 ? '#000' : '#fff';
      if (++frames < 180) requestAnimationFrame(tick);
      else dot.remove();
    };
    requestAnimationFrame(tick);
";

/// What must never be in the log: every phone number the app stored (its digits, and its
/// last nine digits: the national number without separators), every message's words, and
/// what the test typed that is a number, a key or a message (six digits or more, or twenty
/// characters or more).
fn secrets(data_dir: &Path, typed: &[String]) -> Vec<String> {
    let mut secrets: Vec<String> = typed
        .iter()
        .map(|t| t.trim().to_owned())
        // A channel's address (the simulator's, on loopback) is not a secret.
        .filter(|t| !t.starts_with("http://") && !t.starts_with("https://"))
        .filter(|t| t.chars().filter(char::is_ascii_digit).count() >= 6 || t.chars().count() >= 20)
        .collect();
    let path = data_dir.join(smsdesk::store::DB_FILE);
    if let Ok(conn) =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    {
        let column = |sql: &str| -> Vec<String> {
            conn.prepare(sql)
                .and_then(|mut q| {
                    q.query_map([], |row| row.get::<_, String>(0))?
                        .collect::<Result<_, _>>()
                })
                .unwrap_or_default()
        };
        for sql in [
            "SELECT to_number FROM messages",
            "SELECT number FROM optouts",
            "SELECT to_number FROM job_rows WHERE to_number IS NOT NULL",
        ] {
            for number in column(sql) {
                let digits: String = number.chars().filter(char::is_ascii_digit).collect();
                if digits.len() >= 7 {
                    secrets.push(digits[digits.len().saturating_sub(9)..].to_owned());
                    secrets.push(digits);
                }
            }
        }
        secrets.extend(
            column("SELECT body FROM messages")
                .into_iter()
                .filter(|b| b.trim().chars().count() >= 12),
        );
    }
    secrets.sort();
    secrets.dedup();
    secrets
}

/// Reads the app's log files in `data_dir` and fails the test when one holds a secret
/// ([`secrets`]).
fn check_log(data_dir: &Path, typed: &[String]) {
    let Ok(files) = std::fs::read_dir(data_dir.join("logs")) else {
        return;
    };
    let secrets = secrets(data_dir, typed);
    for file in files.flatten() {
        let text = std::fs::read_to_string(file.path()).unwrap_or_default();
        for secret in &secrets {
            if let Some(line) = text.lines().find(|l| l.contains(secret.as_str())) {
                panic!(
                    "the log {} holds {secret:?}, which must never be logged:\n{line}",
                    file.path().display()
                );
            }
        }
    }
}

/// Polls `probe` until it gives a value, or panics after `timeout`.
pub async fn wait_until<T, F, Fut>(what: &str, timeout: Duration, probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    match wait_until_or(what, timeout, probe).await {
        Ok(value) => value,
        Err(()) => panic!("timed out after {timeout:?} waiting for {what}"),
    }
}

async fn wait_until_or<T, F, Fut>(_what: &str, timeout: Duration, mut probe: F) -> Result<T, ()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = probe().await {
            return Ok(value);
        }
        if Instant::now() >= deadline {
            return Err(());
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
}
