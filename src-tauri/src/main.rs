// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK's DMA-BUF renderer keeps GPU-style buffers that a form-based app does not
    // need: without it the app's processes use about 85 MB less memory (scripts/measure-app),
    // and it avoids the blank windows some Linux graphics drivers show. Set before any thread
    // starts; a value the person set themselves wins.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    smsdesk_app::run();
}
