//! Storing and reading the schedule: session series (saved one by one or
//! imported from a calendar in one transaction), medication plans, and the
//! read model later features build on: [`Steady::occurrences`] and
//! [`Steady::doses_due`] for a range of local dates.

use super::ical;
use super::local_time::format_local;
use super::medication::{self, dose_id, DoseDue, DoseStatus, Medication, NewMedication, Plan};
use super::recorded;
use super::recurrence::{expand, occurrence};
use super::series::{validate, Series};
use super::{Recurrence, ScheduleSource, SessionKind, SessionOccurrence, SessionSeries};
use crate::zone::Tz;
use crate::{ids, Error, Result, Steady};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;
use std::rc::Rc;

/// What a calendar import changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportSummary {
    pub added: u32,
    pub updated: u32,
    pub cancelled: u32,
    /// Ids of the series in the calendar, in file order.
    pub series_ids: Vec<String>,
    /// Everything in the file that was not imported, each with its line,
    /// UID (when it has one) and reason, by line.
    pub skipped: Vec<ical::ImportSkip>,
}

fn json<T: Serialize>(what: &str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Corrupt(format!("cannot encode {what}: {e}")))
}

fn corrupt(what: &str) -> impl Fn(serde_json::Error) -> Error + '_ {
    move |e| Error::Corrupt(format!("stored {what}: {e}"))
}

impl Steady {
    /// Adds or replaces a session series (or one-off session). With an empty
    /// id, a series with the same `uid` is updated, otherwise a new id is
    /// minted.
    pub fn save_session_series(&self, series: SessionSeries) -> Result<SessionSeries> {
        let series = validate(series)?;
        let now = self.now();
        self.write(|tx| {
            refuse_clinic_owned(tx, "session_series", &series.record.id)?;
            Ok(upsert(tx, series, now)?.0)
        })
    }

    /// Imports a clinic calendar (.ics text) in one transaction. What cannot
    /// be a session (other components, all-day events, a malformed event) is
    /// skipped and listed in the summary with its line, UID and reason; the
    /// rest imports. Only a file that is not an iCalendar is refused whole.
    /// Re-importing updates series by UID; a cancelled series is removed.
    pub fn import_calendar(&self, ics: &str) -> Result<ImportSummary> {
        let (validated, calendar) = read_calendar(ics)?;
        let now = self.now();
        self.write(|tx| {
            let mut summary = ImportSummary {
                added: 0,
                updated: 0,
                cancelled: 0,
                series_ids: Vec::new(),
                skipped: calendar.skipped,
            };
            for series in validated {
                let (saved, existed) = upsert(tx, series, now)?;
                if existed {
                    summary.updated += 1;
                } else {
                    summary.added += 1;
                }
                summary.series_ids.push(saved.id);
            }
            for uid in calendar.cancelled_uids {
                summary.cancelled += tx.execute(
                    "UPDATE session_series SET deleted_at_ms = ?2, updated_at_ms = ?2
                     WHERE uid = ?1 AND deleted_at_ms IS NULL",
                    params![uid, now.timestamp_millis()],
                )? as u32;
            }
            Ok(summary)
        })
    }

    /// Every stored series, by first start.
    pub fn session_series(&self) -> Result<Vec<SessionSeries>> {
        self.read(|conn| Ok(load_series(conn)?.into_iter().map(|s| s.record).collect()))
    }

    /// Removes a series (a tombstone: attendance already recorded stays).
    pub fn delete_session_series(&self, id: &str) -> Result<()> {
        let id = ids::parse_id("id", id)?;
        let now = self.now().timestamp_millis();
        self.write(|tx| {
            refuse_clinic_owned(tx, "session_series", &id)?;
            let changed = tx.execute(
                "UPDATE session_series SET deleted_at_ms = ?2, updated_at_ms = ?2
                 WHERE id = ?1 AND deleted_at_ms IS NULL",
                params![id, now],
            )?;
            if changed == 0 {
                return Err(Error::NotFound {
                    what: "session series",
                    id,
                });
            }
            Ok(())
        })
    }

    /// Session occurrences starting on the local dates `[from, to]` of the
    /// phone's current zone, by start, cancelled ones included, each with
    /// its status (attendance, cancelled, or unconfirmed).
    pub fn occurrences(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<SessionOccurrence>> {
        let (start, end) = self.local_day_bounds(from, to)?;
        self.occurrences_between(start, end)
    }

    /// Session occurrences starting in `[from, to)` (at most
    /// [`MAX_RANGE_DAYS`] long), by start.
    pub fn occurrences_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<SessionOccurrence>> {
        if from > to {
            return Err(Error::invalid("from", "is after to"));
        }
        check_range(from.date_naive(), to.date_naive())?;
        let now = self.now();
        self.snapshot(|conn| occurrences_in(conn, from, to, now))
    }

    /// Adds a medication plan (patient-authored).
    pub fn add_medication(&self, input: NewMedication) -> Result<Medication> {
        let today = self.now().with_timezone(&self.zone()?).date_naive();
        let plan = medication::validate_new(ids::new_id(), input, today)?;
        let now = self.now();
        self.write(|tx| save_plan(tx, &plan.record, now))?;
        Ok(plan.record)
    }

    /// Adds or replaces a patient's medication plan as a whole (plans the
    /// clinic sent arrive through sync and cannot be replaced here).
    pub fn save_medication(&self, record: Medication) -> Result<Medication> {
        ids::parse_id("id", &record.id)?;
        let plan = medication::plan(record)?;
        let now = self.now();
        self.write(|tx| {
            refuse_clinic_owned(tx, "medication", &plan.record.id)?;
            save_plan(tx, &plan.record, now)
        })?;
        Ok(plan.record)
    }

    /// Every current medication plan, by name.
    pub fn medications(&self) -> Result<Vec<Medication>> {
        self.read(|conn| Ok(load_plans(conn)?.into_iter().map(|p| p.record).collect()))
    }

    /// Removes a medication plan (a tombstone: confirmations stay).
    pub fn remove_medication(&self, id: &str) -> Result<()> {
        let id = ids::parse_id("id", id)?;
        let now = self.now().timestamp_millis();
        self.write(|tx| {
            refuse_clinic_owned(tx, "medication", &id)?;
            let changed = tx.execute(
                "UPDATE medication SET deleted_at_ms = ?2, updated_at_ms = ?2
                 WHERE id = ?1 AND deleted_at_ms IS NULL",
                params![id, now],
            )?;
            if changed == 0 {
                return Err(Error::NotFound {
                    what: "medication",
                    id,
                });
            }
            Ok(())
        })
    }

    /// Every dose due on the local dates `[from, to]`, by due time, each with
    /// its confirmation if answered. Due instants use the phone's current
    /// zone (dose times are floating).
    pub fn doses_due(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<DoseDue>> {
        check_range(from, to)?;
        let zone = self.zone()?;
        self.snapshot(|conn| doses_with_answers(conn, zone, from, to))
    }

    /// Runs several reads on one consistent snapshot, taking the database
    /// lock once instead of once per statement.
    pub(crate) fn snapshot<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.read(|conn| {
            let tx = conn.unchecked_transaction()?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        })
    }

    /// `[start of from, start of the day after to)` in the phone's zone.
    fn local_day_bounds(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
        check_range(from, to)?;
        let zone = self.zone()?;
        let start = super::local_time::resolve(zone, from.and_time(chrono::NaiveTime::MIN));
        let end = super::local_time::resolve(
            zone,
            (to + Duration::days(1)).and_time(chrono::NaiveTime::MIN),
        );
        Ok((start, end))
    }
}

/// A calendar read and checked without storing it: what the clinic server
/// does with a subscribed feed, with the same code as an import.
#[derive(Debug, Clone)]
pub struct ParsedCalendar {
    /// Valid series (empty ids), in file order.
    pub series: Vec<SessionSeries>,
    /// UIDs the calendar cancels as a whole.
    pub cancelled_uids: Vec<String>,
    pub skipped: Vec<ical::ImportSkip>,
}

/// Reads an iCalendar text as [`Steady::import_calendar`] would.
pub fn parse_calendar(ics: &str) -> Result<ParsedCalendar> {
    let (series, calendar) = read_calendar(ics)?;
    Ok(ParsedCalendar {
        series: series.into_iter().map(|s| s.record).collect(),
        cancelled_uids: calendar.cancelled_uids,
        skipped: calendar.skipped,
    })
}

/// Reads a calendar into validated series. A value the model refuses (a
/// 300-character title, `COUNT=5000`) skips its event, reported at its
/// `BEGIN:VEVENT` line like a syntax error.
pub(crate) fn read_calendar(ics: &str) -> Result<(Vec<Series>, ical::Calendar)> {
    let mut calendar = ical::parse(ics)?;
    let mut validated = Vec::new();
    let series = std::mem::take(&mut calendar.series);
    for (record, line) in series.into_iter().zip(calendar.lines.iter().copied()) {
        let uid = record.uid.clone();
        match validate(record) {
            Ok(series) => validated.push(series),
            Err(Error::Invalid { field, reason }) => calendar.skipped.push(ical::ImportSkip {
                line: line as u32,
                component: "VEVENT".into(),
                uid,
                reason: format!("{field} {reason}"),
            }),
            Err(other) => return Err(other),
        }
    }
    calendar.skipped.sort_by_key(|s| s.line);
    Ok((validated, calendar))
}

/// The longest range `occurrences` and `doses_due` answer: a program of
/// 90 days or more, with room to spare, but never an unbounded expansion.
pub const MAX_RANGE_DAYS: i64 = 400;

fn check_range(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if from > to {
        return Err(Error::invalid("from", "is after to"));
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(Error::invalid(
            "to",
            format!("at most {MAX_RANGE_DAYS} days after from"),
        ));
    }
    Ok(())
}

/// Occurrences starting in `[from, to)` with their status, by start.
pub(crate) fn occurrences_in(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<SessionOccurrence>> {
    expand_with(conn, from, to, now, |id| recorded::status(conn, id))
}

/// The same occurrences, with every recorded status read in one pass
/// first: for a span holding most of them (progress over a whole program),
/// where one lookup per occurrence costs more.
pub(crate) fn occurrences_over(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<SessionOccurrence>> {
    let statuses = recorded::Statuses::read(conn)?;
    expand_with(conn, from, to, now, |id| statuses.get(id))
}

fn expand_with(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
    status_of: impl Fn(&str) -> Result<Option<super::AttendanceStatus>>,
) -> Result<Vec<SessionOccurrence>> {
    let settings = super::settings::load(conn)?;
    let after = Duration::hours(i64::from(settings.unconfirmed_after_hours));
    let mut all: Vec<SessionOccurrence> = Vec::new();
    for series in load_series(conn)? {
        for instance in expand(&series, from, to) {
            let id = super::recurrence::occurrence_id(&series.record.id, instance.original);
            let status = status_of(&id)?;
            all.push(occurrence(&series, instance, status, now, after));
        }
    }
    all.sort_by(|a, b| (a.start_ms, &a.id).cmp(&(b.start_ms, &b.id)));
    Ok(all)
}

/// Doses due on the local dates `[from, to]` in `zone`, with their answers.
pub(crate) fn doses_with_answers(
    conn: &Connection,
    zone: Tz,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DoseDue>> {
    let plans = load_plans(conn)?;
    let confirmations = recorded::confirmations(conn, from, to)?;
    let mut due = doses_in(&plans, zone, from, to);
    for dose in &mut due {
        dose.confirmation = confirmations.get(&dose.id).cloned();
    }
    Ok(due)
}

/// One dose due, as progress counts it: what [`doses_with_answers`] lists,
/// without the formatted id, dose and zone name.
pub(crate) struct DoseAnswer {
    pub medication_id: Rc<str>,
    pub name: Rc<str>,
    pub due_local: NaiveDateTime,
    pub due_ms: i64,
    pub answer: Option<DoseStatus>,
}

/// The doses [`doses_with_answers`] gives for the same range, each with the
/// status of its answer, straight from the plans and the answers by local
/// time (no id formatted or looked up per dose), plan by plan.
pub(crate) fn dose_answers(
    conn: &Connection,
    zone: Tz,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DoseAnswer>> {
    let mut answers = recorded::answers(conn, from, to)?;
    let mut doses = Vec::new();
    for plan in load_plans(conn)? {
        let medication_id: Rc<str> = plan.record.id.as_str().into();
        let name: Rc<str> = plan.record.name.as_str().into();
        let answered = match answers.iter().position(|(id, _)| *id == plan.record.id) {
            Some(at) => answers.swap_remove(at).1,
            None => Vec::new(),
        };
        // Both in time order: one walk matches them.
        let mut answered = answered.into_iter().peekable();
        for local in medication::due_times(&plan, from, to) {
            let answer = loop {
                match answered.peek() {
                    Some((time, _)) if *time < local => {
                        answered.next();
                    }
                    Some((time, status)) if *time == local => break Some(*status),
                    _ => break None,
                }
            };
            doses.push(DoseAnswer {
                medication_id: medication_id.clone(),
                name: name.clone(),
                due_local: local,
                due_ms: super::local_time::resolve(zone, local).timestamp_millis(),
                answer,
            });
        }
    }
    Ok(doses)
}

/// Doses of `plans` on `[first, last]`, due instants in `zone`, unconfirmed.
fn doses_in(plans: &[Plan], zone: Tz, first: NaiveDate, last: NaiveDate) -> Vec<DoseDue> {
    let mut due: Vec<DoseDue> = plans
        .iter()
        .flat_map(|plan| {
            medication::due_times(plan, first, last)
                .into_iter()
                .map(move |local| DoseDue {
                    id: dose_id(&plan.record.id, local),
                    medication_id: plan.record.id.clone(),
                    name: plan.record.name.clone(),
                    dose: plan.record.dose.clone(),
                    due_local: format_local(local),
                    due_ms: super::local_time::resolve(zone, local).timestamp_millis(),
                    time_zone: zone.name().to_string(),
                    confirmation: None,
                })
        })
        .collect();
    due.sort_by(|a, b| (a.due_ms, &a.id).cmp(&(b.due_ms, &b.id)));
    due
}

/// Clinic-authored series and plans are read-only on the phone: only a sync
/// pull (core/src/sync/clinic_schedule.rs) changes them.
fn refuse_clinic_owned(conn: &Connection, table: &str, id: &str) -> Result<()> {
    let source: Option<String> = conn
        .query_row(
            &format!("SELECT source FROM {table} WHERE id = ?1"),
            params![id],
            |r| r.get(0),
        )
        .optional()?;
    if source.as_deref() == Some(ScheduleSource::Clinic.as_str()) {
        return Err(Error::invalid(
            "id",
            "set by the clinic; only the clinic can change it",
        ));
    }
    Ok(())
}

/// Inserts or updates; returns the stored record and whether it existed.
pub(crate) fn upsert(
    tx: &Transaction<'_>,
    mut series: Series,
    now: DateTime<Utc>,
) -> Result<(SessionSeries, bool)> {
    let existing: Option<String> = if !series.record.id.is_empty() {
        let id = ids::parse_id("id", &series.record.id)?;
        tx.query_row(
            "SELECT id FROM session_series WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?
    } else if let Some(uid) = &series.record.uid {
        tx.query_row(
            "SELECT id FROM session_series WHERE uid = ?1",
            params![uid],
            |r| r.get(0),
        )
        .optional()?
    } else {
        None
    };
    let existed = existing.is_some();
    if series.record.id.is_empty() {
        series.record.id = existing.unwrap_or_else(ids::new_id);
    }
    let r = &series.record;
    tx.execute(
        "INSERT INTO session_series (id, uid, kind, title, location, video_url, time_zone,
             start_local, duration_min, recurrence, changes, source, updated_at_ms, deleted_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, NULL)
         ON CONFLICT (id) DO UPDATE SET uid = excluded.uid, kind = excluded.kind,
             title = excluded.title, location = excluded.location,
             video_url = excluded.video_url, time_zone = excluded.time_zone,
             start_local = excluded.start_local, duration_min = excluded.duration_min,
             recurrence = excluded.recurrence, changes = excluded.changes,
             source = excluded.source, updated_at_ms = excluded.updated_at_ms,
             deleted_at_ms = NULL",
        params![
            r.id,
            r.uid,
            r.kind.as_str(),
            r.title,
            r.location,
            r.video_url,
            r.time_zone,
            r.start_local,
            r.duration_min,
            r.recurrence
                .as_ref()
                .map(|rule| json("recurrence", rule))
                .transpose()?,
            json("changes", &r.changes)?,
            r.source.as_str(),
            now.timestamp_millis()
        ],
    )?;
    Ok((series.record, existed))
}

pub(crate) fn load_series(conn: &Connection) -> Result<Vec<Series>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, uid, kind, title, location, video_url, time_zone, start_local,
                duration_min, recurrence, changes, source
         FROM session_series WHERE deleted_at_ms IS NULL ORDER BY start_local, id",
    )?;
    let rows = stmt.query_map([], raw_series)?;
    rows.map(|row| {
        let (mut record, recurrence, changes, kind) = row?;
        record.kind = SessionKind::parse(&kind)
            .ok_or_else(|| Error::Corrupt("stored session kind".into()))?;
        record.recurrence = recurrence
            .map(|text| serde_json::from_str::<Recurrence>(&text))
            .transpose()
            .map_err(corrupt("recurrence"))?;
        record.changes = serde_json::from_str(&changes).map_err(corrupt("changes"))?;
        validate(record).map_err(|_| Error::Corrupt("stored session series".into()))
    })
    .collect()
}

type RawSeries = (SessionSeries, Option<String>, String, String);

fn raw_series(row: &Row<'_>) -> rusqlite::Result<RawSeries> {
    let source: String = row.get(11)?;
    Ok((
        SessionSeries {
            id: row.get(0)?,
            uid: row.get(1)?,
            kind: SessionKind::Other,
            title: row.get(3)?,
            location: row.get(4)?,
            video_url: row.get(5)?,
            time_zone: row.get(6)?,
            start_local: row.get(7)?,
            duration_min: row.get(8)?,
            recurrence: None,
            changes: Vec::new(),
            source: ScheduleSource::parse(&source),
        },
        row.get(9)?,
        row.get(10)?,
        row.get(2)?,
    ))
}

pub(crate) fn save_plan(tx: &Transaction<'_>, m: &Medication, now: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "INSERT INTO medication (id, name, dose, times, weekdays, start_date, end_date, source,
             updated_at_ms, deleted_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, dose = excluded.dose,
             times = excluded.times, weekdays = excluded.weekdays,
             start_date = excluded.start_date, end_date = excluded.end_date,
             source = excluded.source, updated_at_ms = excluded.updated_at_ms,
             deleted_at_ms = NULL",
        params![
            m.id,
            m.name,
            m.dose,
            json("times", &m.times)?,
            json("weekdays", &m.weekdays)?,
            m.start_date,
            m.end_date,
            m.source.as_str(),
            now.timestamp_millis()
        ],
    )?;
    Ok(())
}

pub(crate) fn load_plans(conn: &Connection) -> Result<Vec<Plan>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, dose, times, weekdays, start_date, end_date, source
         FROM medication WHERE deleted_at_ms IS NULL ORDER BY name, id",
    )?;
    let rows = stmt.query_map([], |row| {
        let times: String = row.get(3)?;
        let weekdays: String = row.get(4)?;
        let source: String = row.get(7)?;
        Ok((
            Medication {
                id: row.get(0)?,
                name: row.get(1)?,
                dose: row.get(2)?,
                times: Vec::new(),
                weekdays: Vec::new(),
                start_date: row.get(5)?,
                end_date: row.get(6)?,
                source: ScheduleSource::parse(&source),
            },
            times,
            weekdays,
        ))
    })?;
    rows.map(|row| {
        let (mut record, times, weekdays) = row?;
        record.times = serde_json::from_str(&times).map_err(corrupt("times"))?;
        record.weekdays = serde_json::from_str(&weekdays).map_err(corrupt("weekdays"))?;
        medication::plan(record).map_err(|_| Error::Corrupt("stored medication".into()))
    })
    .collect()
}

/// Loads one series by id (for attendance checks).
pub(crate) fn find_series(conn: &Connection, id: &str) -> Result<Series> {
    load_series(conn)?
        .into_iter()
        .find(|s| s.record.id == id)
        .ok_or_else(|| Error::NotFound {
            what: "session series",
            id: id.to_string(),
        })
}

/// Loads one medication plan by id.
pub(crate) fn find_plan(conn: &Connection, id: &str) -> Result<Plan> {
    load_plans(conn)?
        .into_iter()
        .find(|p| p.record.id == id)
        .ok_or_else(|| Error::NotFound {
            what: "medication",
            id: id.to_string(),
        })
}
