//! Templates and business details shared by the team's desks (issue 13): on the server, one
//! row per template (and one for the business details), each with a version number.
//!
//! **Last edit wins, and a crossing is reported, not lost.** A desk marks what it changed
//! (see [`local`]) with the version it started from. A push writes a change as the next
//! version when the server still has that version. When another desk changed it meanwhile,
//! the two edits crossed: the one made later (by the desks' clocks; at the same moment the
//! desk whose id sorts first) is kept, and the other is not thrown away — a losing template
//! is kept as a copy named after its desk ("Reminder (Front desk's version)"), shared like
//! any other, and losing business details are written out in the report. A change that only
//! moved a template, or that gives the same text as the server's, is not a crossing.
//!
//! Pushes take the table's write lock and every write takes the next number of one sequence,
//! so that a pull (`seq >` the last one seen) never skips a row, as for the do-not-text list.
//! A push that reached the server but was not recorded here (the desk was killed) is pushed
//! again and finds its own text there: nothing is written twice.

pub mod local;

use serde::Serialize;
use tokio_postgres::{Client, Transaction};

use super::connection::plain;
use crate::error::{Error, Result};
use crate::templates::{self, BusinessInfo, Template};

/// The server's schema for shared documents (migration 3 of [`super::server`]).
pub const DOCUMENTS_MIGRATION: &str = "
    CREATE SEQUENCE smsdesk_documents_seq;
    CREATE TABLE smsdesk_documents (
        kind     text NOT NULL CHECK (kind IN ('template', 'business')),
        id       text NOT NULL,
        body     text,
        position bigint NOT NULL DEFAULT 0,
        version  bigint NOT NULL,
        desk_id  text NOT NULL REFERENCES smsdesk_desks (id),
        made_at  bigint NOT NULL,
        seq      bigint NOT NULL UNIQUE DEFAULT nextval('smsdesk_documents_seq'),
        PRIMARY KEY (kind, id)
    );
    ";

/// A template's kind.
pub const TEMPLATE: &str = "template";
/// The business details' kind (and their one id).
pub const BUSINESS: &str = "business";

/// A document this desk changed, to be pushed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub kind: String,
    pub id: String,
    /// Its JSON now; `None` when it was deleted here.
    pub body: Option<String>,
    pub position: i64,
    /// The server's version this desk's change started from (0: none).
    pub base_version: i64,
    /// The text of that version (`None`: unknown or deleted).
    pub base_body: Option<String>,
    /// When it was changed here (ms).
    pub made_at: i64,
    /// Which edit this is (a later edit here, made while this one is pushed, stays marked).
    pub edit: i64,
}

/// A document as the server has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: String,
    pub id: String,
    /// `None` when it was deleted.
    pub body: Option<String>,
    pub position: i64,
    pub version: i64,
}

/// Two desks changed the same template (or the business details) at the same time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Crossing {
    /// `template` or `business`.
    pub kind: String,
    /// The template's name as kept.
    pub name: String,
    /// The other desk's name.
    pub other_desk: String,
    /// The name the losing version is kept under, when it is kept as a copy.
    pub kept_as: Option<String>,
    /// What happened, in plain words.
    pub message: String,
}

/// What pushing one document did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    /// The edit pushed ([`Outgoing::edit`]).
    pub edit: i64,
    /// The document as the server has it now (this desk takes it).
    pub now: Document,
    /// The losing version of a crossing, kept as a new template.
    pub copy: Option<Document>,
    pub crossing: Option<Crossing>,
}

/// Pushes this desk's changed documents in one transaction, deciding crossings (see the
/// module's documentation). `desk_name` is this desk's, for the copies' names.
pub async fn push(
    client: &mut Client,
    desk_id: &str,
    desk_name: &str,
    outgoing: &[Outgoing],
) -> Result<Vec<Pushed>> {
    if outgoing.is_empty() {
        return Ok(Vec::new());
    }
    let tx = client.transaction().await.map_err(server)?;
    tx.batch_execute("LOCK TABLE smsdesk_documents IN EXCLUSIVE MODE")
        .await
        .map_err(server)?;
    let mut done = Vec::with_capacity(outgoing.len());
    for o in outgoing {
        let row = tx
            .query_opt(
                "SELECT d.body, d.position, d.version, d.made_at, d.desk_id, coalesce(k.name, '')
                 FROM smsdesk_documents d LEFT JOIN smsdesk_desks k ON k.id = d.desk_id
                 WHERE d.kind = $1 AND d.id = $2",
                &[&o.kind, &o.id],
            )
            .await
            .map_err(server)?;
        let theirs = row.map(|r| Theirs {
            body: r.get(0),
            position: r.get(1),
            version: r.get(2),
            made_at: r.get(3),
            desk_id: r.get(4),
            desk_name: r.get(5),
        });
        let pushed = match decide(o, theirs.as_ref(), desk_id) {
            Decision::Nothing => Pushed {
                edit: o.edit,
                now: o.as_document(0),
                copy: None,
                crossing: None,
            },
            Decision::Write { version } => {
                write(&tx, o, version, desk_id).await?;
                Pushed {
                    edit: o.edit,
                    now: o.as_document(version),
                    copy: None,
                    crossing: None,
                }
            }
            Decision::Adopt => {
                let t = theirs.as_ref().ok_or_else(|| missing(o))?;
                Pushed {
                    edit: o.edit,
                    now: t.as_document(o),
                    copy: None,
                    crossing: None,
                }
            }
            Decision::Cross { ours_wins } => {
                let t = theirs.as_ref().ok_or_else(|| missing(o))?;
                cross(&tx, o, t, ours_wins, desk_id, desk_name).await?
            }
        };
        done.push(pushed);
    }
    tx.commit().await.map_err(server)?;
    Ok(done)
}

/// The documents written after `after` (a sequence number), oldest first, with their numbers.
pub async fn pull(client: &Client, after: i64) -> Result<Vec<(i64, Document)>> {
    let rows = client
        .query(
            "SELECT seq, kind, id, body, position, version FROM smsdesk_documents
             WHERE seq > $1 ORDER BY seq",
            &[&after],
        )
        .await
        .map_err(server)?;
    Ok(rows
        .iter()
        .map(|r| {
            (
                r.get(0),
                Document {
                    kind: r.get(1),
                    id: r.get(2),
                    body: r.get(3),
                    position: r.get(4),
                    version: r.get(5),
                },
            )
        })
        .collect())
}

/// The server's row of a document being pushed.
struct Theirs {
    body: Option<String>,
    position: i64,
    version: i64,
    made_at: i64,
    desk_id: String,
    desk_name: String,
}

impl Theirs {
    fn as_document(&self, o: &Outgoing) -> Document {
        Document {
            kind: o.kind.clone(),
            id: o.id.clone(),
            body: self.body.clone(),
            position: self.position,
            version: self.version,
        }
    }
}

impl Outgoing {
    fn as_document(&self, version: i64) -> Document {
        Document {
            kind: self.kind.clone(),
            id: self.id.clone(),
            body: self.body.clone(),
            position: self.position,
            version,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Decision {
    /// Deleted here and never on the server.
    Nothing,
    /// Ours goes to the server as `version`.
    Write {
        version: i64,
    },
    /// The server's stays, and this desk takes it.
    Adopt,
    Cross {
        ours_wins: bool,
    },
}

fn decide(o: &Outgoing, theirs: Option<&Theirs>, desk_id: &str) -> Decision {
    let Some(t) = theirs else {
        return match o.body {
            Some(_) => Decision::Write { version: 1 },
            None => Decision::Nothing,
        };
    };
    let next = Decision::Write {
        version: t.version + 1,
    };
    if t.version == o.base_version {
        return next;
    }
    if t.body == o.body {
        // The same text (a push repeated after a kill, or the same starter at two desks).
        return if t.position == o.position || o.body.is_none() {
            Decision::Adopt
        } else {
            next
        };
    }
    if o.body == o.base_body && o.base_version > 0 {
        // Only moved here: the other desk's change is taken.
        return Decision::Adopt;
    }
    if t.body == o.base_body && o.base_version > 0 {
        // Only moved there: ours is the change.
        return next;
    }
    if o.base_version == 0 && o.kind == TEMPLATE && is_untouched_starter(o) {
        // A starter template never edited here gives way to the team's.
        return Decision::Adopt;
    }
    let ours_wins =
        o.made_at > t.made_at || (o.made_at == t.made_at && desk_id < t.desk_id.as_str());
    Decision::Cross { ours_wins }
}

fn is_untouched_starter(o: &Outgoing) -> bool {
    templates::starter_templates()
        .iter()
        .find(|s| s.id == o.id)
        .and_then(|s| serde_json::to_string(s).ok())
        .is_some_and(|starter| o.body.as_deref() == Some(starter.as_str()))
}

async fn write(tx: &Transaction<'_>, o: &Outgoing, version: i64, desk_id: &str) -> Result<()> {
    write_row(tx, &o.as_document(version), desk_id, o.made_at).await
}

async fn write_row(tx: &Transaction<'_>, d: &Document, desk_id: &str, made_at: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO smsdesk_documents (kind, id, body, position, version, desk_id, made_at, seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, nextval('smsdesk_documents_seq'))
         ON CONFLICT (kind, id) DO UPDATE SET body = EXCLUDED.body,
             position = EXCLUDED.position, version = EXCLUDED.version,
             desk_id = EXCLUDED.desk_id, made_at = EXCLUDED.made_at, seq = EXCLUDED.seq",
        &[
            &d.kind,
            &d.id,
            &d.body,
            &d.position,
            &d.version,
            &desk_id,
            &made_at,
        ],
    )
    .await
    .map_err(server)?;
    Ok(())
}

/// Decides a crossing: the winner is written (or stays), a losing template's text is kept as a
/// new template right after it, and what happened is said.
async fn cross(
    tx: &Transaction<'_>,
    o: &Outgoing,
    t: &Theirs,
    ours_wins: bool,
    desk_id: &str,
    desk_name: &str,
) -> Result<Pushed> {
    let other = if t.desk_name.is_empty() {
        "another desk".to_owned()
    } else {
        t.desk_name.clone()
    };
    let now = if ours_wins {
        let version = t.version + 1;
        write(tx, o, version, desk_id).await?;
        o.as_document(version)
    } else {
        t.as_document(o)
    };
    let (winner, loser, loser_made) = if ours_wins {
        ("this desk", &t.body, t.made_at)
    } else {
        (other.as_str(), &o.body, o.made_at)
    };
    let loser_desk = if ours_wins { other.as_str() } else { desk_name };
    let loser_words = if ours_wins {
        other.as_str()
    } else {
        "this desk"
    };
    let later = if o.made_at == t.made_at {
        ""
    } else {
        " (made later)"
    };
    if o.kind == BUSINESS {
        let lost = loser
            .as_deref()
            .and_then(|b| serde_json::from_str::<BusinessInfo>(b).ok())
            .unwrap_or_default();
        let message = format!(
            "{other} and this desk changed the business details at the same time. {}'s{later} are kept. {}'s were: name \"{}\", phone \"{}\", address \"{}\".",
            capital(winner),
            capital(loser_words),
            lost.business_name,
            lost.business_phone,
            lost.business_address
        );
        return Ok(Pushed {
            edit: o.edit,
            now,
            copy: None,
            crossing: Some(Crossing {
                kind: BUSINESS.into(),
                name: "Business details".into(),
                other_desk: other,
                kept_as: None,
                message,
            }),
        });
    }
    let winner_template = now.body.as_deref().map(parse_template).transpose()?;
    let loser_template = loser.as_deref().map(parse_template).transpose()?;
    let name = winner_template
        .as_ref()
        .or(loser_template.as_ref())
        .map_or_else(|| o.id.clone(), |t| t.name.clone());
    let (copy, kept_as, message) = match loser_template {
        Some(lost) => {
            let list = team_templates(tx).await?;
            let copy_name =
                templates::unique_name(&lost.name, &format!("{loser_desk}'s version"), &list);
            let copy = Template {
                id: format!("tpl-{}", uuid::Uuid::new_v4().simple()),
                name: copy_name.clone(),
                ..lost
            };
            let body = serde_json::to_string(&copy).map_err(|e| Error::TeamServer {
                reason: e.to_string(),
            })?;
            let doc = Document {
                kind: TEMPLATE.into(),
                id: copy.id.clone(),
                body: Some(body),
                position: now.position,
                version: 1,
            };
            write_row(tx, &doc, desk_id, loser_made).await?;
            let kept = match &now.body {
                Some(_) => format!("{}'s change{later} is kept as \"{name}\"", capital(winner)),
                None => format!("{}'s deletion{later} is kept", capital(winner)),
            };
            let message = format!(
                "{other} and this desk changed \"{name}\" at the same time. {kept}; {loser_words}'s is kept as \"{copy_name}\"."
            );
            (Some(doc), Some(copy_name), message)
        }
        None => (
            None,
            None,
            format!(
                "{} deleted \"{name}\" while {} changed it. The change{later} is kept, so \"{name}\" is still there.",
                capital(loser_words),
                winner
            ),
        ),
    };
    Ok(Pushed {
        edit: o.edit,
        now,
        copy,
        crossing: Some(Crossing {
            kind: TEMPLATE.into(),
            name,
            other_desk: other,
            kept_as,
            message,
        }),
    })
}

/// The team's templates (for a copy's name that clashes with none).
async fn team_templates(tx: &Transaction<'_>) -> Result<Vec<Template>> {
    let rows = tx
        .query(
            "SELECT body FROM smsdesk_documents WHERE kind = 'template' AND body IS NOT NULL",
            &[],
        )
        .await
        .map_err(server)?;
    Ok(rows
        .iter()
        .filter_map(|r| serde_json::from_str(r.get::<_, &str>(0)).ok())
        .collect())
}

pub(crate) fn parse_template(body: &str) -> Result<Template> {
    serde_json::from_str(body).map_err(|e| Error::TeamServer {
        reason: format!("a shared template cannot be read ({e})"),
    })
}

fn capital(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

fn missing(o: &Outgoing) -> Error {
    Error::TeamServer {
        reason: format!(
            "the shared {} {:?} went missing during the sync",
            o.kind, o.id
        ),
    }
}

fn server(e: tokio_postgres::Error) -> Error {
    if e.as_db_error().is_none() && (e.is_closed() || e.to_string().contains("connection")) {
        Error::TeamUnreachable { reason: plain(&e) }
    } else {
        Error::TeamServer { reason: plain(&e) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing(body: &str, base_version: i64, base_body: Option<&str>, made_at: i64) -> Outgoing {
        Outgoing {
            kind: TEMPLATE.into(),
            id: "tpl-1".into(),
            body: Some(body.into()),
            position: 0,
            base_version,
            base_body: base_body.map(str::to_owned),
            made_at,
            edit: 1,
        }
    }

    fn theirs(body: &str, version: i64, made_at: i64, desk_id: &str) -> Theirs {
        Theirs {
            body: Some(body.into()),
            position: 0,
            version,
            made_at,
            desk_id: desk_id.into(),
            desk_name: "Front desk".into(),
        }
    }

    #[test]
    fn a_change_from_the_servers_version_is_written_and_a_crossing_goes_to_the_later() {
        let o = outgoing("mine", 2, Some("old"), 100);
        assert_eq!(
            decide(&o, Some(&theirs("old", 2, 50, "b")), "a"),
            Decision::Write { version: 3 }
        );
        assert_eq!(
            decide(&o, Some(&theirs("mine", 3, 50, "b")), "a"),
            Decision::Adopt,
            "already there (a repeated push)"
        );
        assert_eq!(
            decide(&o, Some(&theirs("theirs", 3, 50, "b")), "a"),
            Decision::Cross { ours_wins: true }
        );
        assert_eq!(
            decide(&o, Some(&theirs("theirs", 3, 150, "b")), "a"),
            Decision::Cross { ours_wins: false }
        );
        assert_eq!(
            decide(&o, Some(&theirs("theirs", 3, 100, "b")), "a"),
            Decision::Cross { ours_wins: true },
            "a tie goes to the desk id that sorts first"
        );
        let moved = outgoing("old", 2, Some("old"), 100);
        assert_eq!(
            decide(&moved, Some(&theirs("theirs", 3, 50, "b")), "a"),
            Decision::Adopt,
            "only moved here: no crossing"
        );
        assert_eq!(decide(&o, None, "a"), Decision::Write { version: 1 });
    }
}
