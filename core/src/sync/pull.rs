//! Pull: clinic-authored changes (session series, medication plans,
//! questionnaires, messages) after the stored cursor. Each page and the new
//! cursor are applied in one transaction, so a lost response or a killed
//! process simply pulls the same page again. The records are read-only on
//! the phone: nothing but a pull writes them.

use super::http;
use crate::enrollment::{self, Enrollment};
use crate::{Error, Result, Steady};
use chrono::{DateTime, Utc};
use rusqlite::{params, Transaction};
use serde::Serialize;
use steady_protocol::{
    ChangeKind, Operation, PullRequest, PullResponse, DEFAULT_PULL_LIMIT, PATH_PULL,
};

/// A record the clinic wrote for the patient, as last pulled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ClinicRecord {
    /// `session_series`, `medication_plan`, `questionnaire` or `message`.
    pub kind: String,
    pub record_id: String,
    /// The record as the protocol defines it for `kind` (JSON object).
    pub payload_json: String,
    pub authored_at_ms: i64,
    pub received_at_ms: i64,
}

impl Steady {
    /// Clinic-authored records, optionally of one kind, oldest first.
    pub fn clinic_records(&self, kind: Option<String>) -> Result<Vec<ClinicRecord>> {
        let kind = match kind {
            Some(name) => Some(
                ChangeKind::parse(name.trim())
                    .ok_or_else(|| {
                        Error::invalid(
                            "kind",
                            "one of session_series, medication_plan, questionnaire, message",
                        )
                    })?
                    .as_str(),
            ),
            None => None,
        };
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT kind, record_id, payload, authored_at_ms, received_at_ms
                 FROM clinic_record WHERE ?1 IS NULL OR kind = ?1
                 ORDER BY authored_at_ms, kind, record_id",
            )?;
            let rows = stmt.query_map(params![kind], |row| {
                Ok(ClinicRecord {
                    kind: row.get(0)?,
                    record_id: row.get(1)?,
                    payload_json: row.get(2)?,
                    authored_at_ms: row.get(3)?,
                    received_at_ms: row.get(4)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }
}

/// The request for the page after the stored cursor.
pub(crate) fn request(enrollment: &Enrollment) -> Result<http::HttpRequest> {
    http::post_json(
        &enrollment.server_url,
        PATH_PULL,
        Some(&enrollment.device_token),
        &PullRequest {
            device_id: enrollment.device_id.clone(),
            cursor: enrollment.pull_cursor,
            limit: Some(DEFAULT_PULL_LIMIT),
        },
    )
}

/// Applies one page asked for at `asked_cursor`, and moves the cursor, in the
/// caller's transaction. Returns how many changes were applied (none when
/// another sync already applied this page).
pub(crate) fn apply(
    tx: &Transaction<'_>,
    asked_cursor: i64,
    page: &PullResponse,
    now: DateTime<Utc>,
) -> Result<u32> {
    let stored = enrollment::load(tx)?.ok_or(Error::NotEnrolled)?;
    if stored.pull_cursor != asked_cursor {
        return Ok(0);
    }
    if page.next_cursor < asked_cursor {
        return Err(Error::Protocol {
            detail: "pull cursor went backwards".to_string(),
        });
    }
    let mut applied = 0;
    for change in &page.changes {
        match change.operation {
            Operation::Upsert => {
                tx.execute(
                    "INSERT INTO clinic_record (kind, record_id, payload, authored_at_ms,
                         received_at_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (kind, record_id) DO UPDATE SET payload = ?3,
                         authored_at_ms = ?4, received_at_ms = ?5",
                    params![
                        change.kind.as_str(),
                        change.record_id,
                        change.payload.to_string(),
                        change.authored_at_ms,
                        now.timestamp_millis()
                    ],
                )?;
            }
            Operation::Delete => {
                tx.execute(
                    "DELETE FROM clinic_record WHERE kind = ?1 AND record_id = ?2",
                    params![change.kind.as_str(), change.record_id],
                )?;
            }
        }
        super::clinic_schedule::apply(tx, change, now)?;
        applied += 1;
    }
    tx.execute(
        "UPDATE sync_enrollment SET pull_cursor = ?1 WHERE id = 1",
        params![page.next_cursor],
    )?;
    Ok(applied)
}
