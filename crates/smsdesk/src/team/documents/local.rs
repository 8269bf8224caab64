//! This desk's side of the shared templates and business details, in its SQLite store: which
//! ones were changed here since the last push (`team_documents.dirty`, an edit counter), the
//! server's version each one started from, and the last shared document pulled.
//!
//! An edit is marked in the same transaction as the templates or business details it changes,
//! so a change is never saved without being marked for the team (and pushed later, even after
//! a kill). A pushed change is unmarked only if it was not edited again meanwhile.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, OptionalExtension, Transaction};

use super::{parse_template, Document, Outgoing, Pushed, BUSINESS, TEMPLATE};
use crate::error::{Error, Result};
use crate::notice::Notice;
use crate::store::config::{self, keys};
use crate::store::Store;
use crate::templates::{starter_templates, BusinessInfo, Template};

/// Migration 7 of the store (see [`crate::store`]'s schema).
pub(crate) const LOCAL_MIGRATION: &str = "
    CREATE TABLE team_documents (
        kind         TEXT NOT NULL,
        id           TEXT NOT NULL,
        base_version INTEGER NOT NULL DEFAULT 0,
        base_body    TEXT,
        position     INTEGER NOT NULL DEFAULT 0,
        dirty        INTEGER NOT NULL DEFAULT 0,
        made_at      INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (kind, id)
    );
    CREATE TABLE team_documents_cursor (
        one      INTEGER PRIMARY KEY CHECK (one = 1),
        last_seq INTEGER NOT NULL
    );
    ";

/// What applying the server's documents changed here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    pub templates: bool,
    pub business: bool,
}

impl Store {
    /// Reads the templates (the starters when none were saved), lets `change` change them and
    /// saves them, in one transaction; in a team, every template added, changed, moved or
    /// deleted is marked for the team in the same transaction.
    pub(crate) fn edit_templates_for_team<T>(
        &self,
        change: impl FnOnce(&mut Vec<Template>) -> Result<T>,
    ) -> Result<T> {
        let now = self.now();
        self.write(|tx| {
            let mut list: Vec<Template> =
                config::read(tx, keys::TEMPLATES)?.unwrap_or_else(starter_templates);
            let before = list.clone();
            let value = change(&mut list)?;
            config::write(tx, keys::TEMPLATES, &list, now)?;
            if in_team(tx)? {
                mark_templates(tx, &before, &list, now)?;
            }
            Ok(value)
        })
    }

    /// Saves the business details; in a team, marks them for the team when they changed.
    pub(crate) fn save_business_for_team(&self, business: &BusinessInfo) -> Result<()> {
        let now = self.now();
        self.write(|tx| {
            let before: Option<BusinessInfo> = config::read(tx, keys::BUSINESS)?;
            config::write(tx, keys::BUSINESS, business, now)?;
            if in_team(tx)? && before.as_ref() != Some(business) {
                mark(tx, BUSINESS, BUSINESS, 0, now)?;
            }
            Ok(())
        })
    }

    /// On joining a team for the first time: every template, and the business details when
    /// any were saved, go to the team (merged with the team's: nothing lost either way).
    pub(crate) fn queue_documents_for_team(&self) -> Result<()> {
        let now = self.now();
        self.write(|tx| {
            tx.execute("DELETE FROM team_documents", [])?;
            tx.execute("DELETE FROM team_documents_cursor", [])?;
            let list: Vec<Template> =
                config::read(tx, keys::TEMPLATES)?.unwrap_or_else(starter_templates);
            for (at, t) in list.iter().enumerate() {
                mark(tx, TEMPLATE, &t.id, index(at), now)?;
            }
            let business: Option<BusinessInfo> = config::read(tx, keys::BUSINESS)?;
            if business.is_some_and(|b| b != BusinessInfo::default()) {
                mark(tx, BUSINESS, BUSINESS, 0, now)?;
            }
            Ok(())
        })
    }

    /// The documents changed here and not pushed yet.
    pub fn team_outgoing_documents(&self) -> Result<Vec<Outgoing>> {
        let conn = self.conn();
        let list: Vec<Template> =
            config::read(&conn, keys::TEMPLATES)?.unwrap_or_else(starter_templates);
        let business: Option<BusinessInfo> = config::read(&conn, keys::BUSINESS)?;
        let mut stmt = conn.prepare_cached(
            "SELECT kind, id, base_version, base_body, position, made_at, dirty
             FROM team_documents WHERE dirty > 0 ORDER BY kind DESC, position, id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(
                |(kind, id, base_version, base_body, position, made_at, edit)| {
                    let body = if kind == BUSINESS {
                        business.as_ref().map(json).transpose()?
                    } else {
                        list.iter().find(|t| t.id == id).map(json).transpose()?
                    };
                    Ok(Outgoing {
                        kind,
                        id,
                        body,
                        position,
                        base_version,
                        base_body,
                        made_at,
                        edit,
                    })
                },
            )
            .collect()
    }

    /// Takes what a push decided: the server's version of each document (this desk's, or the
    /// other desk's when it won a crossing), the copies kept of losing versions, and a notice
    /// for each crossing. A document edited again meanwhile stays marked.
    pub(crate) fn apply_pushed_documents(&self, pushed: &[Pushed]) -> Result<Applied> {
        let now = self.now();
        self.write(|tx| {
            let mut docs = Docs::read(tx)?;
            let mut notices = Vec::new();
            for p in pushed {
                let edit: i64 = tx
                    .query_row(
                        "SELECT dirty FROM team_documents WHERE kind = ?1 AND id = ?2",
                        [&p.now.kind, &p.now.id],
                        |r| r.get(0),
                    )
                    .optional()?
                    .unwrap_or(0);
                if edit == p.edit {
                    docs.put(&p.now)?;
                    remember(tx, &p.now, 0)?;
                } else {
                    tx.execute(
                        "UPDATE team_documents SET base_version = ?3, base_body = ?4
                         WHERE kind = ?1 AND id = ?2",
                        params![p.now.kind, p.now.id, p.now.version, p.now.body],
                    )?;
                }
                if let Some(copy) = &p.copy {
                    docs.put_after(copy, &p.now.id)?;
                    remember(tx, copy, 0)?;
                }
                if let Some(c) = &p.crossing {
                    notices.push(Notice {
                        code: format!("team_edits_crossed_{}", uuid::Uuid::new_v4().simple()),
                        message: c.message.clone(),
                        hint: match c.kind.as_str() {
                            BUSINESS => "Check the business details in Settings.".into(),
                            _ => "Both versions are on the Templates screen: keep the one you want and delete the other.".into(),
                        },
                    });
                }
            }
            if !notices.is_empty() {
                let mut kept: Vec<Notice> = config::read(tx, keys::NOTICES)?.unwrap_or_default();
                kept.extend(notices);
                config::write(tx, keys::NOTICES, &kept, now)?;
            }
            docs.save(tx, now)
        })
    }

    /// The last shared document pulled (its sequence number; 0: none).
    pub fn team_documents_cursor(&self) -> Result<i64> {
        let seq: Option<i64> = self
            .conn()
            .query_row(
                "SELECT last_seq FROM team_documents_cursor WHERE one = 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(seq.unwrap_or(0))
    }

    /// Applies documents pulled from the server (oldest first), all or nothing: one changed
    /// here and not pushed yet is left to the next push (which decides the crossing), one
    /// this desk already has is skipped. Templates are put in the team's order.
    pub(crate) fn apply_pulled_documents(&self, pulled: &[(i64, Document)]) -> Result<Applied> {
        let now = self.now();
        self.write(|tx| {
            let mut docs = Docs::read(tx)?;
            let mut last = None;
            for (seq, d) in pulled {
                last = Some(*seq);
                let known: Option<(i64, i64)> = tx
                    .query_row(
                        "SELECT base_version, dirty FROM team_documents WHERE kind = ?1 AND id = ?2",
                        [&d.kind, &d.id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                if let Some((version, dirty)) = known {
                    if dirty > 0 || version >= d.version {
                        continue;
                    }
                }
                docs.put(d)?;
                remember(tx, d, 0)?;
                if d.kind == TEMPLATE {
                    docs.reorder = true;
                }
            }
            if let Some(seq) = last {
                tx.execute(
                    "INSERT INTO team_documents_cursor (one, last_seq) VALUES (1, ?1)
                     ON CONFLICT (one) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)",
                    [seq],
                )?;
            }
            docs.save(tx, now)
        })
    }
}

/// The templates and business details being changed by a push's or a pull's result.
struct Docs {
    list: Vec<Template>,
    list_before: Vec<Template>,
    business: Option<BusinessInfo>,
    business_before: Option<BusinessInfo>,
    reorder: bool,
}

impl Docs {
    fn read(tx: &Transaction<'_>) -> Result<Self> {
        let list: Vec<Template> =
            config::read(tx, keys::TEMPLATES)?.unwrap_or_else(starter_templates);
        let business: Option<BusinessInfo> = config::read(tx, keys::BUSINESS)?;
        Ok(Self {
            list_before: list.clone(),
            list,
            business_before: business.clone(),
            business,
            reorder: false,
        })
    }

    /// Makes this desk's copy of `d` the server's.
    fn put(&mut self, d: &Document) -> Result<()> {
        if d.kind == BUSINESS {
            if let Some(body) = &d.body {
                let b: BusinessInfo =
                    serde_json::from_str(body).map_err(|e| Error::TeamServer {
                        reason: format!("the shared business details cannot be read ({e})"),
                    })?;
                self.business = Some(b);
            }
            return Ok(());
        }
        if d.kind != TEMPLATE {
            return Ok(());
        }
        let at = self.list.iter().position(|t| t.id == d.id);
        match (&d.body, at) {
            (None, Some(i)) => {
                self.list.remove(i);
            }
            (None, None) => {}
            (Some(body), at) => {
                let mut t = parse_template(body)?;
                t.id.clone_from(&d.id);
                match at {
                    Some(i) => self.list[i] = t,
                    None => self.list.push(t),
                }
            }
        }
        Ok(())
    }

    /// Adds the template `d` right after the template `after` (at the end when it is gone).
    fn put_after(&mut self, d: &Document, after: &str) -> Result<()> {
        let Some(body) = &d.body else { return Ok(()) };
        let mut t = parse_template(body)?;
        t.id.clone_from(&d.id);
        self.list.retain(|x| x.id != d.id);
        let at = self
            .list
            .iter()
            .position(|x| x.id == after)
            .map_or(self.list.len(), |i| i + 1);
        self.list.insert(at, t);
        Ok(())
    }

    fn save(mut self, tx: &Transaction<'_>, now: i64) -> Result<Applied> {
        if self.reorder {
            let positions: HashMap<String, i64> = {
                let mut stmt =
                    tx.prepare("SELECT id, position FROM team_documents WHERE kind = 'template'")?;
                let rows = stmt
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                rows
            };
            let mut keyed: Vec<(i64, Template)> = self
                .list
                .drain(..)
                .enumerate()
                .map(|(at, t)| (positions.get(&t.id).copied().unwrap_or(index(at)), t))
                .collect();
            // Ties (two desks added one at the same place) go by id: the same order at every desk.
            keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
            self.list = keyed.into_iter().map(|(_, t)| t).collect();
        }
        let applied = Applied {
            templates: self.list != self.list_before,
            business: self.business != self.business_before,
        };
        if applied.templates {
            config::write(tx, keys::TEMPLATES, &self.list, now)?;
        }
        if applied.business {
            if let Some(b) = &self.business {
                config::write(tx, keys::BUSINESS, b, now)?;
            }
        }
        Ok(applied)
    }
}

fn in_team(tx: &Transaction<'_>) -> Result<bool> {
    Ok(config::read::<serde_json::Value>(tx, keys::TEAM)?.is_some())
}

/// Marks the templates added, changed, moved or deleted between `before` and `after`.
fn mark_templates(
    tx: &Transaction<'_>,
    before: &[Template],
    after: &[Template],
    now: i64,
) -> Result<()> {
    let old: HashMap<&str, (usize, &Template)> = before
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), (i, t)))
        .collect();
    let new: HashMap<&str, (usize, &Template)> = after
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), (i, t)))
        .collect();
    let ids: HashSet<&str> = old.keys().chain(new.keys()).copied().collect();
    for id in ids {
        let (was, is) = (old.get(id), new.get(id));
        if was != is {
            let at = is.or(was).map_or(0, |(i, _)| index(*i));
            mark(tx, TEMPLATE, id, at, now)?;
        }
    }
    Ok(())
}

/// Marks one document as changed here (a new edit number each time).
fn mark(tx: &Transaction<'_>, kind: &str, id: &str, position: i64, now: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO team_documents (kind, id, position, dirty, made_at) VALUES (?1, ?2, ?3, 1, ?4)
         ON CONFLICT (kind, id) DO UPDATE SET position = excluded.position,
             dirty = team_documents.dirty + 1, made_at = excluded.made_at",
        params![kind, id, position, now],
    )?;
    Ok(())
}

/// Records `d` as the server's version this desk has.
fn remember(tx: &Transaction<'_>, d: &Document, dirty: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO team_documents (kind, id, base_version, base_body, position, dirty)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (kind, id) DO UPDATE SET base_version = excluded.base_version,
             base_body = excluded.base_body, position = excluded.position, dirty = excluded.dirty",
        params![d.kind, d.id, d.version, d.body, d.position, dirty],
    )?;
    Ok(())
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::History(e.to_string()))
}

fn index(at: usize) -> i64 {
    i64::try_from(at).unwrap_or(i64::MAX)
}
