//! What was recorded against the schedule, as the schedule, progress and the
//! screens read it: attendance per occurrence (the clinic's own record,
//! pulled, wins over the patient's report) and dose confirmations. The
//! writes are in attendance.rs (the patient's answers) and sync (the
//! clinic's records); this file only reads, so the schedule never looks up.

use super::local_time::{format_date, parse_canonical_local};
use super::medication::{DoseConfirmation, DoseStatus};
use super::AttendanceStatus;
use crate::{Error, Result};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use steady_protocol::ClinicAttendance;

/// Recorded attendance of one occurrence, if any. The clinic's own record
/// (pulled, see messages.rs) is the verified one and wins over the
/// patient's report, in the schedule and in progress alike.
pub(crate) fn status(conn: &Connection, occurrence_id: &str) -> Result<Option<AttendanceStatus>> {
    if let Some(verified) = clinic_status(conn, occurrence_id)? {
        return Ok(Some(verified));
    }
    let mut stmt = conn.prepare_cached("SELECT status FROM attendance WHERE occurrence_id = ?1")?;
    let found: Option<String> = stmt
        .query_row(params![occurrence_id], |row| row.get(0))
        .optional()?;
    found
        .map(|text| {
            AttendanceStatus::parse(&text)
                .ok_or_else(|| Error::Corrupt("stored attendance status".into()))
        })
        .transpose()
}

/// The status the clinic recorded for an occurrence, if it did. Clinic
/// attendance record ids end with `:<occurrence id>`.
fn clinic_status(conn: &Connection, occurrence_id: &str) -> Result<Option<AttendanceStatus>> {
    let mut stmt = conn.prepare_cached(
        "SELECT payload FROM clinic_record WHERE kind = 'attendance'
         AND substr(record_id, -length(?1) - 1) = ':' || ?1 ORDER BY record_id",
    )?;
    let payloads = stmt
        .query_map(params![occurrence_id], |row| row.get::<_, String>(0))?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(payloads
        .iter()
        .filter_map(|p| serde_json::from_str::<ClinicAttendance>(p).ok())
        .find(|a| a.occurrence_id == occurrence_id)
        .and_then(|a| AttendanceStatus::parse(&a.status)))
}

/// Every recorded attendance, read in two queries: what [`status`] gives
/// occurrence by occurrence, for a span holding most of them (progress over
/// a whole program).
pub(crate) struct Statuses {
    /// The clinic's record per occurrence, where its status is readable.
    clinic: HashMap<String, AttendanceStatus>,
    /// The patient's reports (none: a status that does not read).
    patient: HashMap<String, Option<AttendanceStatus>>,
}

impl Statuses {
    pub(crate) fn read(conn: &Connection) -> Result<Statuses> {
        // As in `clinic_status`: the first record (by id) whose id ends with
        // `:<occurrence id>` and whose payload names that occurrence decides.
        let mut first: HashMap<String, Option<AttendanceStatus>> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT record_id, payload FROM clinic_record WHERE kind = 'attendance'
             ORDER BY record_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let record_id = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            let payload = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            let Ok(record) = serde_json::from_str::<ClinicAttendance>(payload) else {
                continue;
            };
            let names_it = record_id
                .strip_suffix(record.occurrence_id.as_str())
                .is_some_and(|head| head.ends_with(':'));
            if names_it {
                first
                    .entry(record.occurrence_id)
                    .or_insert_with(|| AttendanceStatus::parse(&record.status));
            }
        }
        let clinic = first
            .into_iter()
            .filter_map(|(id, status)| Some((id, status?)))
            .collect();
        let mut stmt = conn.prepare_cached("SELECT occurrence_id, status FROM attendance")?;
        let mut rows = stmt.query([])?;
        let mut patient = HashMap::new();
        while let Some(row) = rows.next()? {
            let status = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            patient.insert(row.get(0)?, AttendanceStatus::parse(status));
        }
        Ok(Statuses { clinic, patient })
    }

    /// The status of one occurrence, as [`status`] reads it.
    pub(crate) fn get(&self, occurrence_id: &str) -> Result<Option<AttendanceStatus>> {
        if let Some(verified) = self.clinic.get(occurrence_id) {
            return Ok(Some(*verified));
        }
        match self.patient.get(occurrence_id) {
            None => Ok(None),
            Some(Some(status)) => Ok(Some(*status)),
            Some(None) => Err(Error::Corrupt("stored attendance status".into())),
        }
    }
}

/// One medication's answered due local times with their statuses, by time.
pub(crate) type DoseAnswers = Vec<(NaiveDateTime, DoseStatus)>;

/// The answers to doses due on the local dates `[first, last]`: per
/// medication id, each answered due local time with its status, by time.
/// The same confirmations as [`confirmations`], without a string per dose. A
/// dose id is `<medication id>@<local>`; one whose local part is not in the
/// form `format_local` writes matches no dose and is left out.
pub(crate) fn answers(
    conn: &Connection,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<(String, DoseAnswers)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT dose_id, status FROM dose_confirmation WHERE due_local >= ?1 AND due_local < ?2",
    )?;
    let from = format_date(first);
    let to = format_date(last + Duration::days(1));
    let mut rows = stmt.query(params![from, to])?;
    // A patient has a few medications: found by comparing ids, not hashing
    // one per answer.
    let mut answers: Vec<(String, DoseAnswers)> = Vec::new();
    while let Some(row) = rows.next()? {
        let dose_id = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        let status = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        let status =
            DoseStatus::parse(status).ok_or_else(|| Error::Corrupt("stored dose status".into()))?;
        let Some((medication_id, local)) = dose_id.rsplit_once('@') else {
            continue;
        };
        let Some(local) = parse_canonical_local(local) else {
            continue;
        };
        let at = match answers.iter().position(|(id, _)| id == medication_id) {
            Some(at) => at,
            None => {
                answers.push((medication_id.to_string(), Vec::new()));
                answers.len() - 1
            }
        };
        answers[at].1.push((local, status));
    }
    for (_, times) in &mut answers {
        // Nearly in order already: by the `due_local` index.
        times.sort_by_key(|(local, _)| *local);
    }
    Ok(answers)
}

/// Confirmations of doses due on the local dates `[first, last]`, by dose id.
pub(crate) fn confirmations(
    conn: &Connection,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<HashMap<String, DoseConfirmation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT dose_id, medication_id, due_local, status, confirmed_at_ms, time_zone
         FROM dose_confirmation WHERE due_local >= ?1 AND due_local < ?2",
    )?;
    let from = format_date(first);
    let to = format_date(last + Duration::days(1));
    let rows = stmt.query_map(params![from, to], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, i64>(4)?,
            row.get::<_, String>(5)?,
        ))
    })?;
    rows.map(|row| {
        let (dose_id, medication_id, due_local, status, confirmed_at_ms, time_zone) = row?;
        let status = DoseStatus::parse(&status)
            .ok_or_else(|| Error::Corrupt("stored dose status".into()))?;
        Ok((
            dose_id.clone(),
            DoseConfirmation {
                dose_id,
                medication_id,
                due_local,
                status,
                confirmed_at_ms,
                time_zone,
            },
        ))
    })
    .collect()
}
