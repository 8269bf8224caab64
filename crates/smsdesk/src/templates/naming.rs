//! New ids, and names that do not clash with the list's.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::Template;

/// The longest template name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// A new id such as `tpl-18f6d2a4b1c-0`: the time in milliseconds and a counter, so ids made on
/// other computers (and imported later) rarely clash; `taken` rules out the ones in use.
pub(crate) fn new_id(taken: impl Fn(&str) -> bool) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    loop {
        let id = format!("tpl-{millis:x}-{}", COUNTER.fetch_add(1, Ordering::Relaxed));
        if !taken(&id) {
            return id;
        }
    }
}

/// `name (suffix)`, or `name (suffix 2)`, `(suffix 3)`... when taken (compared ignoring case),
/// shortening `name` to stay within [`MAX_NAME_CHARS`].
pub(crate) fn unique_name(name: &str, suffix: &str, list: &[Template]) -> String {
    let taken = |candidate: &str| {
        list.iter()
            .any(|t| t.name.trim().eq_ignore_ascii_case(candidate))
    };
    let name = name.trim();
    (1..)
        .map(|n| {
            let tail = match n {
                1 => format!(" ({suffix})"),
                n => format!(" ({suffix} {n})"),
            };
            let room = MAX_NAME_CHARS.saturating_sub(tail.chars().count());
            let head: String = name.chars().take(room).collect();
            format!("{}{tail}", head.trim_end())
        })
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| format!("{name} ({suffix})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_avoid_the_ones_taken() {
        let first = new_id(|_| false);
        assert!(first.starts_with("tpl-"), "{first}");
        let next = new_id(|id| !id.ends_with('9'));
        assert!(next.ends_with('9'), "skips taken ids: {next}");
    }

    #[test]
    fn names_get_a_numbered_suffix_when_taken() {
        let named = |name: &str| Template {
            id: name.into(),
            name: name.into(),
            body: "x".into(),
            open_conversation: false,
            teammate_id: None,
        };
        let list = vec![named("Reminder"), named("reminder (copy)")];
        assert_eq!(unique_name("Reminder", "copy", &list), "Reminder (copy 2)");
        assert_eq!(unique_name("Other ", "imported", &list), "Other (imported)");
    }
}
