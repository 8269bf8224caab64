//! The commands the webview may call, grouped by area. Each one delegates to
//! [`smsdesk::desk::Desk`]; errors cross the IPC as [`smsdesk::UserError`]. The names are
//! declared in `build.rs` (`COMMANDS`, which also grants them to the window) and registered
//! in `lib.rs` (`generate_handler!`); the test below keeps those two and `ui/js/api.js` the
//! same.

pub mod about;
pub mod autostart;
pub mod background;
pub mod bulk;
pub mod channels;
pub mod first_run;
pub mod history;
pub mod message;
pub mod notices;
pub mod optouts;
pub mod phone;
pub mod schedule;
pub mod send;
pub mod settings;
pub mod startup;
pub mod team;
pub mod teammates;
pub mod templates;

/// Today in this computer's time zone, `YYYY-MM-DD`, for the file names exports suggest.
fn today() -> String {
    smsdesk::time::local_date(smsdesk::time::now_ms())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    fn read(relative: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// The text between `start` and the first `end` after it.
    fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
        let (_, rest) = text
            .split_once(start)
            .unwrap_or_else(|| panic!("{start:?} not found"));
        let (inside, _) = rest
            .split_once(end)
            .unwrap_or_else(|| panic!("no {end:?} after {start:?}"));
        inside
    }

    /// The names, checked to be listed once each.
    fn set(what: &str, names: Vec<String>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        for name in names {
            assert!(seen.insert(name.clone()), "{what} lists {name} twice");
        }
        assert!(!seen.is_empty(), "{what} lists no commands");
        seen
    }

    /// `generate_handler![commands::phone::validate_phone, …]`: the last part of each path.
    fn registered() -> BTreeSet<String> {
        let lib = read("src/lib.rs");
        let list = between(&lib, "generate_handler![", "]");
        let names = list
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| p.rsplit("::").next().unwrap_or(p).to_owned())
            .collect();
        set("generate_handler! in src/lib.rs", names)
    }

    /// `const COMMANDS: &[&str] = &["validate_phone", …];`
    fn declared() -> BTreeSet<String> {
        let build = read("build.rs");
        let list = between(&build, "const COMMANDS: &[&str] = &[", "];");
        let names = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.strip_prefix('"')
                    .and_then(|s| s.strip_suffix('"'))
                    .unwrap_or_else(|| panic!("build.rs: {s:?} is not a quoted name"))
                    .to_owned()
            })
            .collect();
        set("COMMANDS in build.rs", names)
    }

    /// Every `invoke('name'` (or `invoke("name"`) in the front end's one IPC module.
    fn called() -> BTreeSet<String> {
        let api = read("../ui/js/api.js");
        let mut names = Vec::new();
        for quote in ['\'', '"'] {
            let opening = format!("invoke({quote}");
            for (at, _) in api.match_indices(&opening) {
                let rest = &api[at + opening.len()..];
                let name = rest.split(quote).next().unwrap_or_default();
                names.push(name.to_owned());
            }
        }
        set("invoke(…) in ui/js/api.js", names)
    }

    #[test]
    fn the_declared_registered_and_called_commands_are_the_same() {
        let declared = declared();
        let registered = registered();
        let called = called();
        assert_eq!(
            declared, registered,
            "build.rs COMMANDS and lib.rs generate_handler! differ"
        );
        assert_eq!(
            declared, called,
            "build.rs COMMANDS and the commands ui/js/api.js invokes differ"
        );
    }

    #[test]
    fn the_window_may_only_listen_to_events_and_call_the_apps_commands() {
        let capability: serde_json::Value =
            serde_json::from_str(&read("capabilities/default.json"))
                .unwrap_or_else(|e| panic!("capabilities/default.json: {e}"));
        let build = read("build.rs");
        let set_name = between(&build, "const COMMAND_SET: &str = \"", "\"");
        assert_eq!(
            capability["permissions"],
            serde_json::json!([
                "core:event:allow-listen",
                "core:event:allow-unlisten",
                set_name
            ]),
        );
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
    }
}
