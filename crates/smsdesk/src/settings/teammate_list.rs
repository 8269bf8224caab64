//! Teammate edits on the settings: add, remove, and the one preselected in New message.

use super::Settings;
use crate::error::{Error, Result};
use crate::teammates::{tidy_id, Teammate, MAX_TEAMMATE_NAME_CHARS};
use crate::text_safety;

impl Settings {
    /// Adds a teammate (the name tidied: control characters removed, spaces collapsed; the id
    /// checked); an id already listed is refused.
    pub fn add_teammate(&mut self, name: &str, id: &str) -> Result<Teammate> {
        let name = text_safety::line(name)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            return Err(Error::TeammateNameBlank);
        }
        if name.chars().count() > MAX_TEAMMATE_NAME_CHARS {
            return Err(Error::TeammateNameTooLong {
                max: MAX_TEAMMATE_NAME_CHARS,
            });
        }
        let id = tidy_id(id)?;
        if let Some(same) = self.teammates.iter().find(|t| t.id == id) {
            return Err(Error::TeammateTaken {
                id,
                name: same.name.clone(),
            });
        }
        let teammate = Teammate { id, name };
        self.teammates.push(teammate.clone());
        Ok(teammate)
    }

    /// Removes a teammate; if they were the default, the workspace default applies again.
    pub fn remove_teammate(&mut self, id: &str) -> Result<Teammate> {
        let at = self
            .teammates
            .iter()
            .position(|t| t.id == id)
            .ok_or_else(|| Error::TeammateNotFound(id.to_owned()))?;
        if self.default_teammate.as_deref() == Some(id) {
            self.default_teammate = None;
        }
        Ok(self.teammates.remove(at))
    }

    /// The teammate preselected in Compose; `None` for the workspace's default sender.
    pub fn set_default_teammate(&mut self, id: Option<&str>) -> Result<()> {
        match id.map(str::trim).filter(|id| !id.is_empty()) {
            None => self.default_teammate = None,
            Some(id) if self.teammates.iter().any(|t| t.id == id) => {
                self.default_teammate = Some(id.to_owned());
            }
            Some(id) => return Err(Error::TeammateNotFound(id.to_owned())),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teammates_are_checked_listed_and_defaulted() {
        let mut s = Settings::default();
        let ann = s.add_teammate("  Ann  Lee ", " 814860 ").expect("added");
        assert_eq!(
            ann,
            Teammate {
                id: "814860".into(),
                name: "Ann Lee".into()
            }
        );
        assert!(matches!(
            s.add_teammate("Bob", "jane"),
            Err(Error::TeammateIdInvalid(_))
        ));
        assert!(matches!(
            s.add_teammate("Bob", ""),
            Err(Error::TeammateIdInvalid(_))
        ));
        assert!(matches!(
            s.add_teammate(" ", "1"),
            Err(Error::TeammateNameBlank)
        ));
        assert!(matches!(
            s.add_teammate("Bob", "814860"),
            Err(Error::TeammateTaken { .. })
        ));
        s.add_teammate("Bob", "42").expect("added");
        s.set_default_teammate(Some("42")).expect("default");
        assert_eq!(s.default_teammate.as_deref(), Some("42"));
        assert!(
            s.set_default_teammate(Some("7")).is_err(),
            "only listed teammates"
        );
        s.remove_teammate("42").expect("removed");
        assert_eq!(s.default_teammate, None, "the default goes with them");
        s.set_default_teammate(Some("")).expect("workspace default");
        assert!(s.remove_teammate("42").is_err());
        assert_eq!(s.teammates.len(), 1);
    }

    #[test]
    fn names_lose_control_characters_and_ids_are_bounded() {
        let mut s = Settings::default();
        let ann = s
            .add_teammate("Ann\u{1b}[31m\u{0}\r\nLee\u{9b}", "1")
            .expect("added");
        assert_eq!(ann.name, "Ann[31m Lee");
        assert!(matches!(
            s.add_teammate("\u{1b}\u{7}", "2"),
            Err(Error::TeammateNameBlank)
        ));
        assert!(matches!(
            s.add_teammate("Bob", &"9".repeat(21)),
            Err(Error::TeammateIdTooLong { chars: 21, max: 20 })
        ));
        assert_eq!(s.teammates.len(), 1);
    }
}
