//! Nothing here: the tests are in `main.rs` (run `cargo test -p smsdesk-e2e`).
