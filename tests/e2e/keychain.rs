//! The real system keychain (Secret Service on Linux), in the private D-Bus session and
//! throwaway keyring that `scripts/test` starts: a key set, read back, replaced and removed.

use smsdesk::secrets::{ApiKey, KeyStore};

#[test]
fn the_system_keychain_keeps_a_key_per_channel() {
    let store = KeyStore::system().expect(
        "the Secret Service is reachable (run the tests through scripts/test, which starts one)",
    );
    assert!(!store.is_in_memory());
    let channel = format!("e2e-test-{}", std::process::id());
    let key = ApiKey::new("e2e-secret-key-1").expect("key");
    store.set(&channel, &key).expect("set");
    assert_eq!(store.get(&channel).expect("get"), Some(key));
    let replacement = ApiKey::new("e2e-secret-key-2").expect("key");
    store.set(&channel, &replacement).expect("replace");
    assert_eq!(store.get(&channel).expect("get"), Some(replacement));
    assert!(!store.has("e2e-no-such-channel").expect("has"));
    store.delete(&channel).expect("delete");
    store
        .delete(&channel)
        .expect("deleting a missing key is fine");
    assert_eq!(store.get(&channel).expect("get"), None);
}
