//! Checking templates and editing the list. Every edit works on the list in memory and leaves it
//! untouched when it fails; the caller saves the list afterwards.

use octopods::MAX_BODY_CHARS;

use super::error::TemplateError;
use super::naming::{new_id, unique_name, MAX_NAME_CHARS};
use super::syntax::placeholders;
use super::{Template, TemplateDraft};
use crate::teammates::MAX_TEAMMATE_ID_DIGITS;

/// Checks a template: a name (at most [`MAX_NAME_CHARS`]), a text (at most 1,600 characters)
/// with well-formed fields, and a teammate id that is digits only (at most
/// [`MAX_TEAMMATE_ID_DIGITS`]) when set.
pub fn validate(template: &Template) -> Result<(), TemplateError> {
    let name = template.name.trim();
    if name.is_empty() {
        return Err(TemplateError::BlankName);
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(TemplateError::NameTooLong {
            chars,
            max: MAX_NAME_CHARS,
        });
    }
    if template.body.trim().is_empty() {
        return Err(TemplateError::BlankBody);
    }
    let chars = template.body.chars().count();
    if chars > MAX_BODY_CHARS {
        return Err(TemplateError::BodyTooLong {
            chars,
            max: MAX_BODY_CHARS,
        });
    }
    placeholders(&template.body)?;
    if let Some(teammate) = template.teammate_id.as_deref().map(str::trim) {
        if teammate.len() > MAX_TEAMMATE_ID_DIGITS {
            let chars = teammate.chars().count();
            if chars > MAX_TEAMMATE_ID_DIGITS {
                return Err(TemplateError::TeammateTooLong {
                    chars,
                    max: MAX_TEAMMATE_ID_DIGITS,
                });
            }
        }
        if !teammate.chars().all(|c| c.is_ascii_digit()) {
            return Err(TemplateError::InvalidTeammate(teammate.to_owned()));
        }
    }
    Ok(())
}

/// Adds a new template at the end of the list, with a new id, and returns it.
pub fn create(list: &mut Vec<Template>, draft: TemplateDraft) -> Result<Template, TemplateError> {
    let template = draft.into_template(new_id(|id| list.iter().any(|t| t.id == id)));
    validate(&template)?;
    list.push(template.clone());
    Ok(template)
}

/// Replaces the fields of the template `id`, keeping its id and place, and returns it.
pub fn update(
    list: &mut [Template],
    id: &str,
    draft: TemplateDraft,
) -> Result<Template, TemplateError> {
    let index = find(list, id)?;
    let template = draft.into_template(id.to_owned());
    validate(&template)?;
    list[index] = template.clone();
    Ok(template)
}

/// Copies the template `id` as "Name (copy)" right after it, with a new id, and returns the copy.
pub fn duplicate(list: &mut Vec<Template>, id: &str) -> Result<Template, TemplateError> {
    let index = find(list, id)?;
    let original = &list[index];
    let copy = Template {
        id: new_id(|id| list.iter().any(|t| t.id == id)),
        name: unique_name(&original.name, "copy", list),
        ..original.clone()
    };
    list.insert(index + 1, copy.clone());
    Ok(copy)
}

/// Removes the template `id` and returns it.
pub fn delete(list: &mut Vec<Template>, id: &str) -> Result<Template, TemplateError> {
    let index = find(list, id)?;
    Ok(list.remove(index))
}

/// Puts the templates in the order of `ids`. Templates not named keep their order after the
/// named ones, so nothing is lost when the list changed meanwhile; a repeated id counts once.
pub fn reorder(list: &mut Vec<Template>, ids: &[String]) -> Result<(), TemplateError> {
    if let Some(unknown) = ids.iter().find(|id| !list.iter().any(|t| &t.id == *id)) {
        return Err(TemplateError::NotFound(unknown.clone()));
    }
    let mut rest = std::mem::take(list);
    for id in ids {
        if let Some(index) = rest.iter().position(|t| &t.id == id) {
            list.push(rest.remove(index));
        }
    }
    list.append(&mut rest);
    Ok(())
}

/// Moves the template `id` one place up (no change when it is first) and returns its new place.
pub fn move_up(list: &mut [Template], id: &str) -> Result<usize, TemplateError> {
    let index = find(list, id)?;
    let to = index.saturating_sub(1);
    list.swap(index, to);
    Ok(to)
}

/// Moves the template `id` one place down (no change when it is last) and returns its new place.
pub fn move_down(list: &mut [Template], id: &str) -> Result<usize, TemplateError> {
    let index = find(list, id)?;
    let to = (index + 1).min(list.len() - 1);
    list.swap(index, to);
    Ok(to)
}

fn find(list: &[Template], id: &str) -> Result<usize, TemplateError> {
    list.iter()
        .position(|t| t.id == id)
        .ok_or_else(|| TemplateError::NotFound(id.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, body: &str) -> TemplateDraft {
        TemplateDraft {
            name: name.into(),
            body: body.into(),
            ..TemplateDraft::default()
        }
    }

    fn three() -> Vec<Template> {
        let mut list = Vec::new();
        for name in ["A", "B", "C"] {
            create(&mut list, draft(name, "Hi {{first_name}}")).expect("valid");
        }
        list
    }

    fn names(list: &[Template]) -> Vec<&str> {
        list.iter().map(|t| t.name.as_str()).collect()
    }

    fn ids(list: &[Template]) -> Vec<String> {
        list.iter().map(|t| t.id.clone()).collect()
    }

    #[test]
    fn validation_names_each_problem() {
        let ok = Template {
            id: "x".into(),
            name: "Reminder".into(),
            body: "Hi {{first_name}}".into(),
            open_conversation: false,
            teammate_id: Some("814860".into()),
        };
        assert_eq!(validate(&ok), Ok(()));
        let with = |f: fn(&mut Template)| {
            let mut t = ok.clone();
            f(&mut t);
            validate(&t)
        };
        assert_eq!(with(|t| t.name = " ".into()), Err(TemplateError::BlankName));
        assert_eq!(with(|t| t.name = "n".repeat(80)), Ok(()));
        assert_eq!(
            with(|t| t.name = "é".repeat(81)),
            Err(TemplateError::NameTooLong { chars: 81, max: 80 })
        );
        assert_eq!(
            with(|t| t.body = "\n ".into()),
            Err(TemplateError::BlankBody)
        );
        assert_eq!(with(|t| t.body = "x".repeat(1600)), Ok(()));
        assert_eq!(
            with(|t| t.body = "x".repeat(1601)),
            Err(TemplateError::BodyTooLong {
                chars: 1601,
                max: 1600
            })
        );
        assert!(matches!(
            with(|t| t.body = "Hi {{First Name}}".into()),
            Err(TemplateError::InvalidFieldName { .. })
        ));
        assert_eq!(
            with(|t| t.teammate_id = Some("jane".into())),
            Err(TemplateError::InvalidTeammate("jane".into()))
        );
        assert_eq!(with(|t| t.teammate_id = Some(" ".into())), Ok(()));
        assert_eq!(with(|t| t.teammate_id = Some("1".repeat(20))), Ok(()));
        assert_eq!(
            with(|t| t.teammate_id = Some("1".repeat(21))),
            Err(TemplateError::TeammateTooLong { chars: 21, max: 20 })
        );
        assert!(matches!(
            with(|t| t.teammate_id = Some("jane".repeat(100_000))),
            Err(TemplateError::TeammateTooLong { .. })
        ));
        assert_eq!(with(|t| t.teammate_id = None), Ok(()));
    }

    #[test]
    fn create_adds_a_tidy_template_with_a_new_id() {
        let mut list = three();
        let ids = ids(&list);
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), 3, "ids are unique: {ids:?}");
        let made = create(&mut list, draft(" D ", " Hello ")).expect("valid");
        assert_eq!((made.name.as_str(), made.body.as_str()), ("D", "Hello"));
        assert_eq!(list.last(), Some(&made));
        let before = list.clone();
        assert_eq!(
            create(&mut list, draft("", "Hello")),
            Err(TemplateError::BlankName)
        );
        assert_eq!(list, before, "a refused template is not added");
    }

    #[test]
    fn update_keeps_id_and_place() {
        let mut list = three();
        let id = list[1].id.clone();
        let changed = update(&mut list, &id, draft("B2", "Bye")).expect("valid");
        assert_eq!(changed.id, id);
        assert_eq!(names(&list), ["A", "B2", "C"]);
        let before = list.clone();
        assert!(matches!(
            update(&mut list, &id, draft("B3", "{{")),
            Err(TemplateError::UnclosedField { .. })
        ));
        assert_eq!(
            update(&mut list, "gone", draft("B3", "Bye")),
            Err(TemplateError::NotFound("gone".into()))
        );
        assert_eq!(list, before);
    }

    #[test]
    fn duplicate_inserts_a_named_copy_after_the_original() {
        let mut list = three();
        let id = list[0].id.clone();
        let copy = duplicate(&mut list, &id).expect("exists");
        assert_ne!(copy.id, id);
        assert_eq!(copy.body, list[0].body);
        duplicate(&mut list, &id).expect("exists");
        assert_eq!(names(&list), ["A", "A (copy 2)", "A (copy)", "B", "C"]);
        let long = create(&mut list, draft(&"L".repeat(80), "x")).expect("valid");
        let copy = duplicate(&mut list, &long.id).expect("exists");
        assert_eq!(copy.name, format!("{} (copy)", "L".repeat(73)));
        assert!(validate(&copy).is_ok(), "the copy's name fits");
        assert_eq!(
            duplicate(&mut list, "gone"),
            Err(TemplateError::NotFound("gone".into()))
        );
    }

    #[test]
    fn delete_removes_and_returns() {
        let mut list = three();
        let id = list[1].id.clone();
        assert_eq!(delete(&mut list, &id).map(|t| t.name), Ok("B".into()));
        assert_eq!(names(&list), ["A", "C"]);
        assert_eq!(
            delete(&mut list, &id),
            Err(TemplateError::NotFound(id.clone()))
        );
    }

    #[test]
    fn reorder_and_moves() {
        let mut list = three();
        let [a, b, c] = [0, 1, 2].map(|i| list[i].id.clone());
        reorder(&mut list, &[c.clone(), a.clone(), b.clone()]).expect("known ids");
        assert_eq!(names(&list), ["C", "A", "B"]);
        reorder(&mut list, &[b.clone(), b.clone()]).expect("partial is fine");
        assert_eq!(names(&list), ["B", "C", "A"], "the rest keep their order");
        let before = list.clone();
        assert_eq!(
            reorder(&mut list, &[a.clone(), "gone".into()]),
            Err(TemplateError::NotFound("gone".into()))
        );
        assert_eq!(list, before, "a refused reorder changes nothing");

        assert_eq!(move_up(&mut list, &c), Ok(0));
        assert_eq!(names(&list), ["C", "B", "A"]);
        assert_eq!(move_up(&mut list, &c), Ok(0), "the first stays first");
        assert_eq!(move_down(&mut list, &b), Ok(2));
        assert_eq!(move_down(&mut list, &b), Ok(2), "the last stays last");
        assert_eq!(names(&list), ["C", "A", "B"]);
        assert_eq!(
            move_down(&mut list, "gone"),
            Err(TemplateError::NotFound("gone".into()))
        );
    }
}
