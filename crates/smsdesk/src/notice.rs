//! A notice: something to tell the person when SMS Desk starts, in the shape of an error.

use serde::{Deserialize, Serialize};

/// One thing to tell the person, in the shape of an error: `{code, message, hint}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub code: String,
    pub message: String,
    pub hint: String,
}

/// A file of an older version that could not be read at the move into the store.
pub(crate) fn damaged_file_notice(name: &str, kept_as: &str) -> Notice {
    let (what, hint) = match name {
        "templates.json" => (
            "templates",
            "If you exported your templates, import that file again with Import… on the Templates screen.",
        ),
        _ => (
            "settings",
            "Check Settings: your country, channels, teammates and business details may need to be entered again.",
        ),
    };
    Notice {
        code: format!("file_damaged_{what}"),
        message: format!("Your {what} file could not be read. A copy was kept at {kept_as}."),
        hint: hint.into(),
    }
}
