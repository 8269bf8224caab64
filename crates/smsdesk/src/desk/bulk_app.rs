//! The app's bulk screens on the desk: a file opened (kept here until it is sent or dropped,
//! so the window never holds the rows), its columns guessed (or remembered for that header
//! layout), a preview with the totals the confirmation repeats, a test message to the person's
//! own number, the job started on the worker, paused, resumed, cancelled, its report exported.
//! When the rows go ([`BulkTiming`]: at once, at one later time, or each before its
//! appointment) is chosen in the preview and carried like the [`PlanOptions`]: the preview, the
//! test and the start plan with the same timing, so each row's time shown is the one stored.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::bulk::JobText;
use super::channels::Mode;
use super::send::{Sent, Via};
use super::Desk;
use crate::bulk::columns::{guess, header_key, Mapping};
use crate::bulk::plan::{Columns, Plan, PlanOptions};
use crate::bulk::table::{read_table, ReadOptions, Table, TextEncoding};
use crate::bulk::timing::{self, When};
use crate::draft::Draft;
use crate::error::{Error, Result};
use crate::events::{Change, ChangeKind};
use crate::files;
use crate::phone;
use crate::schedule::{ClinicZone, Lead};
use crate::spreadsheet::defuse;
use crate::states::{JobState, RowOutcome};
use crate::templates::{Compiled, Template, BUSINESS_FIELDS, STOP_FOOTER, STOP_FOOTER_FIELD};

/// The largest file opened (a list of 100,000 rows is a few MB).
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
/// Where remembered column choices are kept, per header layout.
const MAPPINGS: &str = "bulk_mappings";
/// Sample values shown beside each column.
const SAMPLES: usize = 3;

/// A file opened for a job: what the mapping screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenedFile {
    /// Names this opened file in the calls that follow.
    pub draft: u64,
    pub file_name: String,
    pub headers: Vec<String>,
    /// The first few values of each column (by column).
    pub samples: Vec<Vec<String>>,
    pub rows: usize,
    pub encoding: Option<TextEncoding>,
    pub encoding_label: Option<String>,
    /// The delimiter as text (`,`, `;`, `tab`).
    pub delimiter: Option<String>,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    /// The columns guessed, or the ones chosen last time for this header layout.
    pub mapping: ColumnChoice,
    pub remembered: bool,
}

/// The person's column choices (indexes into `headers`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ColumnChoice {
    pub phone: Option<usize>,
    pub name: Option<usize>,
    pub fields: BTreeMap<String, usize>,
}

/// What the preview and the confirmation show.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkPreview {
    #[serde(flatten)]
    pub plan: Plan,
    pub channel_name: String,
    pub practice: bool,
    /// Segments per second.
    pub rate: f64,
    /// About how long sending takes, in seconds.
    pub seconds: u64,
    /// Each row's send time on the clinic's clock ("Wed 2 Dec, 10:00 GMT"), in the order of
    /// `rows`; `None` for a row that goes as soon as the list starts, or is not sent.
    pub send_times: Vec<Option<String>>,
    /// The first and the last send time in full ("Wed 2 Dec 2026, 10:00 GMT"), when the
    /// rows go later.
    pub first_shown: Option<String>,
    pub last_shown: Option<String>,
}

/// When the rows of a list go, as the preview's "When" says: the same for the preview, the
/// test and the start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BulkTiming {
    pub when: WhenChoice,
    /// Rows whose reminder time has already passed go at once (else they are left out).
    pub send_past_now: bool,
}

/// "When" in the preview.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum WhenChoice {
    /// As soon as the list is started (inside the sending window).
    #[default]
    Now,
    /// Every row at one time, as typed: `YYYY-MM-DD HH:MM` on the clinic's clock (or RFC 3339).
    At { at: String },
    /// Each row `lead` before its appointment ("1 day at 10:00", "2 hours", "on the day at
    /// 08:30"), read from the date column and, if chosen, the time column (indexes into the
    /// file's headers).
    Before {
        lead: String,
        date_column: usize,
        time_column: Option<usize>,
    },
}

/// What "Send a test to me" did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestSent {
    #[serde(flatten)]
    pub sent: Sent,
    /// The number the test went to, grouped as every screen shows numbers
    /// (`+1 201-555-0199`); as typed when it is not a number.
    pub shown_to: String,
}

/// A file being prepared as a job.
pub(crate) struct OpenDraft {
    file_name: String,
    /// Where the person picked it, to read it again with other options.
    path: PathBuf,
    table: Table,
}

/// The files opened and not sent yet, by draft number.
#[derive(Default)]
pub(crate) struct Drafts {
    next: u64,
    open: HashMap<u64, Arc<OpenDraft>>,
}

/// Remembered column names per header layout.
type Remembered = BTreeMap<String, RememberedChoice>;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
struct RememberedChoice {
    phone: Option<String>,
    name: Option<String>,
    fields: BTreeMap<String, String>,
}

impl Desk {
    /// Opens the file at `path` (any CSV or spreadsheet a booking system writes; `options`
    /// choose the encoding, delimiter or sheet) and guesses its columns for `template_id`'s
    /// fields, or takes the ones chosen last time for the same headers.
    pub async fn open_bulk_file(
        &self,
        path: &Path,
        options: ReadOptions,
        template_id: Option<String>,
    ) -> Result<OpenedFile> {
        let bytes = files::read_capped_async(path, MAX_FILE_BYTES)
            .await?
            .ok_or_else(|| {
                Error::BulkFile(
                    "The file is larger than 50 MB: it is not a list of appointments.".into(),
                )
            })?;
        let file_name = files::file_name(path);
        let name = file_name.clone();
        let table = crate::blocking::off_runtime(
            move || read_table(&name, &bytes, &options).map_err(|e| Error::BulkFile(e.to_string())),
            Error::BulkFile,
        )
        .await?;
        let fields = match &template_id {
            Some(id) => self
                .template(id)
                .await?
                .map(|t| fields_of(&t))
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let key = header_key(&table.headers);
        let remembered: Option<RememberedChoice> = self
            .with_store(|s| s.config::<Remembered>(MAPPINGS))
            .await?
            .and_then(|all| all.get(&key).cloned());
        let (mapping, remembered) = match remembered {
            Some(choice) => (resolve(&choice, &table.headers), true),
            None => (from_guess(guess(&table.headers, &fields)), false),
        };
        let samples = (0..table.headers.len())
            .map(|c| {
                let cells = table.rows.iter().take(SAMPLES);
                cells
                    .map(|r| r.cells.get(c).cloned().unwrap_or_default())
                    .collect()
            })
            .collect();
        let opened = OpenedFile {
            draft: 0,
            file_name: file_name.clone(),
            headers: table.headers.clone(),
            samples,
            rows: table.rows.len(),
            encoding: table.encoding,
            encoding_label: table.encoding.map(|e| e.label().to_owned()),
            delimiter: table.delimiter.map(|d| match d {
                b'\t' => "tab".to_owned(),
                other => char::from(other).to_string(),
            }),
            sheets: table.sheets.clone(),
            sheet: table.sheet.clone(),
            mapping,
            remembered,
        };
        let draft = self.keep_draft(OpenDraft {
            file_name,
            path: path.to_path_buf(),
            table,
        });
        Ok(OpenedFile { draft, ..opened })
    }

    /// Reads the opened file `draft` again from where it was picked, with other `options`
    /// (the encoding, delimiter or sheet the person chose) or for another template; the old
    /// draft is dropped. The window never names a path.
    pub async fn reopen_bulk_file(
        &self,
        draft: u64,
        options: ReadOptions,
        template_id: Option<String>,
    ) -> Result<OpenedFile> {
        let path = self.draft(draft)?.path.clone();
        let opened = self.open_bulk_file(&path, options, template_id).await?;
        self.forget_draft(draft);
        Ok(opened)
    }

    /// Every row of the opened file checked and rendered with the saved template and the
    /// person's `options` (keep both duplicates, read the numbers Excel dropped the leading 0
    /// of with it), and the totals: nothing is stored or sent.
    pub async fn preview_bulk(
        &self,
        draft: u64,
        template_id: &str,
        choice: &ColumnChoice,
        options: PlanOptions,
        rate: f64,
    ) -> Result<BulkPreview> {
        let timing = BulkTiming::default();
        self.preview_bulk_timed(draft, template_id, choice, options, &timing, rate)
            .await
    }

    /// [`Desk::preview_bulk`] with the rows' `timing`: each row's send time, the rows whose
    /// time has passed left out (or sent at once), the first and last times shown on the
    /// clinic's clock.
    pub async fn preview_bulk_timed(
        &self,
        draft: u64,
        template_id: &str,
        choice: &ColumnChoice,
        options: PlanOptions,
        timing: &BulkTiming,
        rate: f64,
    ) -> Result<BulkPreview> {
        let (_, _, plan) = self
            .plan_draft(draft, template_id, choice, options, timing)
            .await?;
        let status = self.status().await?;
        let channel_name = status
            .channels
            .iter()
            .find(|c| c.id == status.active_channel)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let seconds = (plan.segments as f64 / rate.max(crate::bulk::pace::MIN_RATE)).ceil() as u64;
        let zone = self.scheduling().await?.zone();
        let send_times = plan
            .rows
            .iter()
            .map(|r| {
                let going = r.outcome == RowOutcome::Pending;
                r.due_at.filter(|_| going).map(|at| short_time(&zone, at))
            })
            .collect();
        let timing = plan.timing.as_ref();
        let first_shown = timing.and_then(|t| t.first_at).map(|at| zone.show(at));
        let last_shown = timing.and_then(|t| t.last_at).map(|at| zone.show(at));
        Ok(BulkPreview {
            plan,
            channel_name,
            practice: status.mode == Mode::Practice,
            rate,
            seconds,
            send_times,
            first_shown,
            last_shown,
        })
    }

    /// "Send a test to me": the first message that would go out with these `options`, sent
    /// now to `number` (a normal send, in History).
    pub async fn send_bulk_test(
        &self,
        draft: u64,
        template_id: &str,
        choice: &ColumnChoice,
        options: PlanOptions,
        number: &str,
    ) -> Result<TestSent> {
        let timing = BulkTiming::default();
        self.send_bulk_test_timed(draft, template_id, choice, options, &timing, number)
            .await
    }

    /// [`Desk::send_bulk_test`] with the preview's `timing` (the first message that will go,
    /// sent now).
    pub async fn send_bulk_test_timed(
        &self,
        draft: u64,
        template_id: &str,
        choice: &ColumnChoice,
        options: PlanOptions,
        timing: &BulkTiming,
        number: &str,
    ) -> Result<TestSent> {
        let preview = self
            .preview_bulk_timed(draft, template_id, choice, options, timing, 1.0)
            .await?;
        let body = preview
            .plan
            .rows
            .iter()
            .find(|r| r.outcome == RowOutcome::Pending)
            .and_then(|r| r.body.clone())
            .ok_or_else(|| {
                Error::BulkFile(
                    "No row of the file can be sent, so there is no message to test.".into(),
                )
            })?;
        let draft = Draft {
            to: number.to_owned(),
            body,
            ..Draft::default()
        };
        let sent = self.send(Via::Active, draft, None, true).await?;
        let country = self.settings().await?.country();
        let shown_to = phone::validate(number, country)
            .international
            .unwrap_or_else(|| number.trim().to_owned());
        Ok(TestSent { sent, shown_to })
    }

    /// Stores the job (every row checked again now, with the `options` of the preview) and
    /// hands it to the worker, which sends it paced at `rate` on the active channel. The
    /// column choice is remembered for files with the same headers. Returns the job's id.
    pub async fn start_bulk(
        &self,
        draft: u64,
        template_id: &str,
        choice: &ColumnChoice,
        options: PlanOptions,
        rate: f64,
    ) -> Result<i64> {
        let timing = BulkTiming::default();
        self.start_bulk_timed(draft, template_id, choice, options, &timing, rate)
            .await
    }

    /// [`Desk::start_bulk`] with the preview's `timing`: rows with a later time are stored
    /// waiting for it (the Scheduled screen lists them), the others go as the list starts.
    pub async fn start_bulk_timed(
        &self,
        draft: u64,
        template_id: &str,
        choice: &ColumnChoice,
        options: PlanOptions,
        timing: &BulkTiming,
        rate: f64,
    ) -> Result<i64> {
        let (open, text, plan) = self
            .plan_draft(draft, template_id, choice, options, timing)
            .await?;
        let id = self
            .create_job(&Via::Active, &open.file_name, &text, &plan, rate)
            .await?;
        self.remember(&open.table.headers, choice).await?;
        self.with_store(move |s| s.set_job_state(id, JobState::Running))
            .await?;
        self.forget_draft(draft);
        log::info!("job {id} handed to the worker");
        self.tell(Change::row(ChangeKind::Job, id));
        Ok(id)
    }

    /// Stops sending new rows of the job (what is in flight finishes); resumable.
    pub async fn pause_job(&self, id: i64) -> Result<()> {
        self.job(id).await?;
        self.with_store(move |s| s.set_job_state(id, JobState::Paused))
            .await?;
        log::info!("job {id} paused by a person");
        self.tell(Change::row(ChangeKind::Job, id));
        Ok(())
    }

    /// Hands a paused (or interrupted) job back to the worker.
    pub async fn resume_job(&self, id: i64) -> Result<()> {
        self.job(id).await?;
        self.with_store(move |s| {
            // Paused, then SMS Desk closed before its runner let go: the claim of a process
            // that is gone is dropped, so the worker takes the job at once.
            if s.job_runner(id)?.is_some_and(|r| !r.alive) {
                s.release_job(id, JobState::Paused, None)?;
            }
            s.set_job_state(id, JobState::Running)
        })
        .await?;
        log::info!("job {id} resumed: handed back to the worker");
        self.tell(Change::row(ChangeKind::Job, id));
        Ok(())
    }

    /// Stops the job for good: no new sends; the rows not tried read `not_sent`.
    pub async fn cancel_job(&self, id: i64) -> Result<()> {
        self.job(id).await?;
        self.with_store(move |s| {
            s.set_job_state(id, JobState::Cancelled)?;
            s.close_pending(id, "Not sent: the job was cancelled.")
        })
        .await?;
        log::info!("job {id} cancelled by a person");
        self.tell(Change::row(ChangeKind::Job, id));
        Ok(())
    }

    /// Writes the job's report at `path` as CSV for a spreadsheet (UTF-8 with BOM, CRLF,
    /// formula-looking cells defused): each row with its outcome, message id and delivery.
    pub async fn export_job(&self, id: i64, path: &Path) -> Result<u64> {
        let rows = self.job_report(id).await?;
        let mut text = String::from(
            "\u{feff}Row,Number,Name,Message,Outcome,Problem,Message id,Delivery status\r\n",
        );
        for r in &rows {
            let cells = [
                r.row.row.to_string(),
                r.row.to.clone().unwrap_or_default(),
                defuse(&r.row.name),
                defuse(r.row.body.as_deref().unwrap_or_default()),
                r.row.outcome.as_str().to_owned(),
                defuse(r.row.problem.as_deref().unwrap_or_default()),
                r.message_id.clone().unwrap_or_default(),
                defuse(r.status.as_deref().unwrap_or_default()),
            ];
            let quoted: Vec<String> = cells
                .iter()
                .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                .collect();
            text.push_str(&quoted.join(","));
            text.push_str("\r\n");
        }
        files::write_async(path, text.into_bytes()).await?;
        Ok(u64::try_from(rows.len()).unwrap_or(u64::MAX))
    }

    /// The numbers of the job whose messages the provider refused because the person opted
    /// out (error 4 saying "unsubscribed", "opted out" or 21610): to offer one click that puts
    /// them on the do-not-text list.
    pub async fn opted_out_in_job(&self, id: i64) -> Result<Vec<String>> {
        let rows = self.job_report(id).await?;
        let mut numbers = Vec::new();
        for r in rows
            .iter()
            .filter(|r| r.row.outcome == RowOutcome::Rejected)
        {
            let (Some(message), Some(to)) = (r.row.message, r.row.to.clone()) else {
                continue;
            };
            let said = self
                .history_entry(message)
                .await?
                .and_then(|d| d.entry.error.or(d.entry.problem))
                .unwrap_or_default()
                .to_lowercase();
            let opted_out = ["unsubscribed", "opted out", "opt-out", "opt out", "21610"]
                .iter()
                .any(|w| said.contains(w));
            if opted_out && !numbers.contains(&to) {
                numbers.push(to);
            }
        }
        Ok(numbers)
    }

    /// Puts every number of [`Desk::opted_out_in_job`] on the do-not-text list; how many.
    pub async fn add_opted_out_in_job(&self, id: i64) -> Result<usize> {
        let numbers = self.opted_out_in_job(id).await?;
        for number in &numbers {
            let reason = format!("Opted out (the provider refused a message of bulk job {id})");
            self.add_opt_out(number, &reason, None, None).await?;
        }
        Ok(numbers.len())
    }

    /// The opened file `draft`, the job's text, and every row checked and rendered with the
    /// saved template, the chosen columns and the person's `options`, then given its time by
    /// `timing` on the clinic's clock: what the preview shows is what the start stores.
    async fn plan_draft(
        &self,
        draft: u64,
        template_id: &str,
        choice: &ColumnChoice,
        options: PlanOptions,
        timing: &BulkTiming,
    ) -> Result<(Arc<OpenDraft>, JobText, Plan)> {
        let open = self.draft(draft)?;
        let (compiled, text, columns) = self.job_parts(template_id, choice).await?;
        let when = self.when_of(&timing.when, &open.table.headers).await?;
        let mut plan = self
            .plan_bulk_with(open.table.clone(), &compiled, columns, None, options)
            .await?;
        let clinic = self.clinic().await?;
        timing::apply(&mut plan, &open.table, &when, &clinic, timing.send_past_now)?;
        Ok((open, text, plan))
    }

    /// The preview's "When" as the timing rules read it: a time typed on the clinic's clock,
    /// a reminder rule, columns of the file.
    async fn when_of(&self, choice: &WhenChoice, headers: &[String]) -> Result<When> {
        let column = |i: usize| {
            if i < headers.len() {
                Ok(i)
            } else {
                Err(Error::NoSuchColumn(format!(
                    "(column {} of the file)",
                    i + 1
                )))
            }
        };
        Ok(match choice {
            WhenChoice::Now => When::Now,
            WhenChoice::At { at } => When::At(self.read_time(at).await?),
            WhenChoice::Before {
                lead,
                date_column,
                time_column,
            } => When::Before {
                lead: Lead::parse(lead)?,
                date_column: column(*date_column)?,
                time_column: time_column.map(column).transpose()?,
            },
        })
    }

    /// The saved template `id`, if it exists.
    async fn template(&self, id: &str) -> Result<Option<Template>> {
        Ok(self.templates().await?.into_iter().find(|t| t.id == id))
    }

    /// The template compiled, the job's text, and the columns (business fields from Settings).
    async fn job_parts(
        &self,
        template_id: &str,
        choice: &ColumnChoice,
    ) -> Result<(Compiled, JobText, Columns)> {
        let template = self
            .template(template_id)
            .await?
            .ok_or_else(|| crate::templates::TemplateError::NotFound(template_id.to_owned()))?;
        let compiled = Compiled::new(&template.body)?;
        let business = self.business().await?;
        let mut constants = BTreeMap::new();
        for field in compiled.fields() {
            if field == STOP_FOOTER_FIELD {
                constants.insert(field.to_owned(), STOP_FOOTER.to_owned());
            } else if BUSINESS_FIELDS.contains(&field) {
                constants.insert(
                    field.to_owned(),
                    business.get(field).unwrap_or_default().to_owned(),
                );
            }
        }
        let phone = choice
            .phone
            .ok_or_else(|| Error::NoSuchColumn("(the phone column is not chosen)".into()))?;
        let columns = Columns {
            phone,
            name: choice.name,
            fields: choice.fields.clone(),
            constants,
        };
        let text = JobText {
            body: template.body.clone(),
            template_id: Some(template.id.clone()),
            template_name: Some(template.name.clone()),
        };
        Ok((compiled, text, columns))
    }

    async fn remember(&self, headers: &[String], choice: &ColumnChoice) -> Result<()> {
        let name = |i: Option<usize>| i.and_then(|i| headers.get(i).cloned());
        let kept = RememberedChoice {
            phone: name(choice.phone),
            name: name(choice.name),
            fields: choice
                .fields
                .iter()
                .filter_map(|(f, &i)| Some((f.clone(), headers.get(i)?.clone())))
                .collect(),
        };
        let key = header_key(headers);
        self.with_store(move |s| {
            s.edit_config(MAPPINGS, Remembered::new, |all| {
                all.insert(key, kept);
                Ok(((), true))
            })
        })
        .await
    }

    fn keep_draft(&self, draft: OpenDraft) -> u64 {
        let mut drafts = self
            .drafts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        drafts.next += 1;
        let id = drafts.next;
        drafts.open.insert(id, Arc::new(draft));
        id
    }

    fn draft(&self, id: u64) -> Result<Arc<OpenDraft>> {
        let drafts = self
            .drafts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        drafts
            .open
            .get(&id)
            .cloned()
            .ok_or_else(|| Error::BulkFile("That file is no longer open: open it again.".into()))
    }

    /// Drops an opened file that will not be sent.
    pub fn forget_draft(&self, id: u64) {
        let mut drafts = self
            .drafts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        drafts.open.remove(&id);
    }
}

/// A row's send time in the preview: "Wed 2 Dec, 10:00 GMT" (the year is in the totals).
fn short_time(zone: &ClinicZone, at: i64) -> String {
    match zone.at(at) {
        Ok(z) => z.strftime("%a %-d %b, %H:%M %Z").to_string(),
        Err(_) => zone.show(at),
    }
}

fn fields_of(template: &Template) -> Vec<String> {
    Compiled::new(&template.body)
        .map(|c| c.fields().into_iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn from_guess(mapping: Mapping) -> ColumnChoice {
    ColumnChoice {
        phone: mapping.phone,
        name: mapping.name,
        fields: mapping.fields,
    }
}

/// Column names remembered for a layout, back to indexes in `headers`.
fn resolve(choice: &RememberedChoice, headers: &[String]) -> ColumnChoice {
    let index = |name: &Option<String>| {
        name.as_ref()
            .and_then(|n| headers.iter().position(|h| h == n))
    };
    ColumnChoice {
        phone: index(&choice.phone),
        name: index(&choice.name),
        fields: choice
            .fields
            .iter()
            .filter_map(|(f, n)| Some((f.clone(), headers.iter().position(|h| h == n)?)))
            .collect(),
    }
}
