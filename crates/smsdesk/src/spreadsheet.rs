//! Cells of CSV files that spreadsheet programs open: text that Excel or LibreOffice would run
//! as a formula is defused with a leading apostrophe.

/// `text`, with a leading apostrophe when it starts like a formula (`=`, `+`, `-`, `@`, a tab
/// or a carriage return).
pub fn defuse(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("-5 off"), "'-5 off");
        assert_eq!(defuse("\tcmd"), "'\tcmd");
        assert_eq!(defuse("Hi Jane"), "Hi Jane");
    }
}
