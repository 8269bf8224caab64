//! Generates the app's context from the root `tauri.conf.json` and one `allow-*` permission
//! per command (listed in `COMMANDS`, the same names as in `generate_handler!`).

const COMMANDS: &[&str] = &[
    "validate_phone",
    "send_message",
    "set_api_key",
    "add_channel",
    "rename_channel",
    "delete_channel",
    "set_active_channel",
    "set_channel_key",
    "test_channel_key",
    "add_teammate",
    "delete_teammate",
    "set_default_teammate",
    "get_settings",
    "save_settings",
    "get_status",
    "list_countries",
    "get_business",
    "save_business",
    "list_templates",
    "save_template",
    "duplicate_template",
    "delete_template",
    "move_template",
    "import_templates",
    "export_templates",
    "get_template_help",
    "preview_message",
    "render_message",
    "count_segments",
    "find_lookalikes",
    "replace_lookalikes",
    "is_first_run",
    "finish_first_run",
    "guess_country",
    "list_history",
    "get_history_entry",
    "list_history_channels",
    "export_history",
    "refresh_delivery",
    "list_opt_outs",
    "add_opt_out",
    "remove_opt_out",
    "import_opt_outs",
    "export_opt_outs",
    "get_notices",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
