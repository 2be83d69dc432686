//! Push: moving consented outbox rows to the clinic exactly once.
//!
//! A row gets its `push_seq` (the `seq` the server sees) only when it may
//! leave the phone: its category is consented now, or it is a consent record.
//! Held rows get theirs later, when consent is granted, so the server always
//! sees strictly increasing sequence numbers and never mistakes a late row for
//! a duplicate. `push_seq` and the exact payload are fixed in the same
//! transaction, before anything is sent: a retry after a lost response, a
//! timeout or a killed process sends the same numbered mutation and the
//! server answers `duplicate` instead of applying it twice.

use super::http;
use crate::consent::{self, ConsentCategory};
use crate::enrollment::Enrollment;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::Value;
use steady_protocol::{
    Mutation, MutationOutcome, Operation, PushRequest, PushResponse, MAX_BODY_BYTES, MAX_ID_BYTES,
    MAX_MUTATIONS_PER_PUSH, MAX_PAYLOAD_BYTES, PATH_PUSH, RECORD_TYPE_CONSENT,
};

/// Room kept in a push body for the envelope around the mutations.
const ENVELOPE_BYTES: usize = 4096;

/// A mutation the server refused for good; the patient's copy is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncRejection {
    pub record_type: String,
    pub record_id: String,
    pub reason: String,
}

/// What one or more pushes achieved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PushTally {
    pub applied: u32,
    pub duplicates: u32,
    pub rejections: Vec<SyncRejection>,
}

/// Numbers every row that may leave the phone now, in queue order, consent
/// records of one pass first (the server must see a grant before the records
/// it allows). Rows that could never be accepted are refused here, locally,
/// without a number.
pub(crate) fn assign(tx: &Connection, now: DateTime<Utc>) -> Result<()> {
    withdraw_unshared_deletions(tx, now)?;
    let consented = consent::consented(tx, now.timestamp_millis())?;
    let share_notes = consented.contains(&ConsentCategory::Notes);
    let mut stmt = tx.prepare(
        "SELECT seq, record_type, record_id, operation, payload, category FROM outbox
         WHERE push_seq IS NULL AND result IS NULL
         ORDER BY record_type = ?1 DESC, seq",
    )?;
    let rows = stmt
        .query_map(params![RECORD_TYPE_CONSENT], |row| {
            Ok(Queued {
                seq: row.get(0)?,
                record_type: row.get(1)?,
                record_id: row.get(2)?,
                operation: row.get(3)?,
                payload: row.get(4)?,
                category: row.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut next = last_push_seq(tx)?;
    for row in rows {
        let Some(category) = row
            .category
            .as_deref()
            .and_then(|c| crate::vocabulary::parse_consent_category("category", c).ok())
        else {
            continue;
        };
        let is_consent = row.record_type == RECORD_TYPE_CONSENT;
        if !is_consent && !consented.contains(&category) {
            continue;
        }
        let strip_notes = !is_consent && !share_notes && category != ConsentCategory::Notes;
        match wire_payload(&row, strip_notes) {
            Ok(payload) => {
                next += 1;
                tx.execute(
                    "UPDATE outbox SET push_seq = ?2, wire_payload = ?3 WHERE seq = ?1",
                    params![row.seq, next, payload.to_string()],
                )?;
            }
            Err(reason) => {
                tx.execute(
                    "UPDATE outbox SET result = 'rejected', rejection = ?2, acked_at_ms = ?3
                     WHERE seq = ?1",
                    params![row.seq, reason, now.timestamp_millis()],
                )?;
            }
        }
    }
    tx.execute(
        "UPDATE sync_enrollment SET last_push_seq = ?1 WHERE id = 1",
        params![next],
    )?;
    Ok(())
}

/// A record deleted on the phone before any of its mutations got a number is
/// never disclosed: its queued mutations, deletion included, are withdrawn.
fn withdraw_unshared_deletions(tx: &Connection, now: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "UPDATE outbox SET result = 'withdrawn', acked_at_ms = ?1
         WHERE push_seq IS NULL AND result IS NULL
           AND EXISTS (SELECT 1 FROM outbox d
                       WHERE d.record_type = outbox.record_type
                         AND d.record_id = outbox.record_id
                         AND d.operation = 'delete' AND d.push_seq IS NULL
                         AND d.result IS NULL AND d.seq >= outbox.seq)
           AND NOT EXISTS (SELECT 1 FROM outbox s
                           WHERE s.record_type = outbox.record_type
                             AND s.record_id = outbox.record_id
                             AND s.push_seq IS NOT NULL)",
        params![now.timestamp_millis()],
    )?;
    Ok(())
}

struct Queued {
    seq: i64,
    record_type: String,
    record_id: String,
    operation: String,
    payload: String,
    category: Option<String>,
}

/// The payload as the clinic will receive it, or why it can never be sent.
fn wire_payload(row: &Queued, strip_notes: bool) -> std::result::Result<Value, String> {
    let shape_ok = !row.record_type.is_empty()
        && row.record_type.len() <= MAX_ID_BYTES
        && row
            .record_type
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !shape_ok || row.record_id.is_empty() || row.record_id.len() > MAX_ID_BYTES {
        return Err("record type or id not shareable".to_string());
    }
    if row.operation == "delete" {
        return Ok(Value::Null);
    }
    let mut payload: Value =
        serde_json::from_str(&row.payload).map_err(|_| "stored payload unreadable".to_string())?;
    if !payload.is_object() {
        return Err("payload is not an object".to_string());
    }
    if strip_notes {
        steady_protocol::strip_notes(&mut payload);
    }
    if payload.to_string().len() > MAX_PAYLOAD_BYTES {
        return Err(format!("payload larger than {MAX_PAYLOAD_BYTES} bytes"));
    }
    Ok(payload)
}

/// The oldest numbered, unacknowledged mutations, as many as one push holds.
pub(crate) fn next_batch(conn: &Connection) -> Result<Vec<Mutation>> {
    let mut stmt = conn.prepare(
        "SELECT push_seq, record_type, record_id, operation, category, wire_payload, created_at_ms
         FROM outbox WHERE push_seq IS NOT NULL AND result IS NULL
         ORDER BY push_seq LIMIT ?1",
    )?;
    let rows = stmt
        .query_map(params![MAX_MUTATIONS_PER_PUSH as i64], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Option<String>>(4)?,
                row.get::<_, Option<String>>(5)?,
                row.get::<_, i64>(6)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut batch = Vec::new();
    let mut bytes = ENVELOPE_BYTES;
    for (seq, record_type, record_id, operation, category, payload, created_at_ms) in rows {
        let category = category
            .as_deref()
            .and_then(steady_protocol::ConsentCategory::parse)
            .ok_or_else(|| Error::Corrupt(format!("outbox row {seq} has no category")))?;
        let payload = match payload {
            Some(text) => serde_json::from_str(&text)
                .map_err(|_| Error::Corrupt(format!("outbox row {seq} payload")))?,
            None => Value::Null,
        };
        let mutation = Mutation {
            seq,
            record_type,
            record_id,
            operation: if operation == "delete" {
                Operation::Delete
            } else {
                Operation::Upsert
            },
            category,
            payload,
            created_at_ms,
        };
        bytes += serde_json::to_vec(&mutation).map_or(MAX_BODY_BYTES, |v| v.len() + 1);
        if !batch.is_empty() && bytes > MAX_BODY_BYTES {
            break;
        }
        batch.push(mutation);
    }
    Ok(batch)
}

/// The push request for `batch`.
pub(crate) fn request(enrollment: &Enrollment, batch: Vec<Mutation>) -> Result<http::HttpRequest> {
    http::post_json(
        &enrollment.server_url,
        PATH_PUSH,
        Some(&enrollment.device_token),
        &PushRequest {
            device_id: enrollment.device_id.clone(),
            mutations: batch,
        },
    )
}

/// Records the server's answer for each mutation it reports on. Every
/// answered mutation is done, whatever the answer; the rest stay queued.
pub(crate) fn apply(
    tx: &Connection,
    sent: &[i64],
    response: &PushResponse,
    now: DateTime<Utc>,
) -> Result<PushTally> {
    let mut tally = PushTally::default();
    for result in &response.results {
        if !sent.contains(&result.seq) {
            continue;
        }
        let (name, reason) = match &result.outcome {
            MutationOutcome::Applied => ("applied", None),
            MutationOutcome::Duplicate => ("duplicate", None),
            MutationOutcome::Rejected { reason } => ("rejected", Some(reason.as_str())),
        };
        let changed = tx.execute(
            "UPDATE outbox SET result = ?2, rejection = ?3, acked_at_ms = ?4
             WHERE push_seq = ?1 AND result IS NULL",
            params![result.seq, name, reason, now.timestamp_millis()],
        )?;
        if changed == 0 {
            continue;
        }
        match &result.outcome {
            MutationOutcome::Applied => tally.applied += 1,
            MutationOutcome::Duplicate => tally.duplicates += 1,
            MutationOutcome::Rejected { reason } => {
                let (record_type, record_id) = tx.query_row(
                    "SELECT record_type, record_id FROM outbox WHERE push_seq = ?1",
                    params![result.seq],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )?;
                tally.rejections.push(SyncRejection {
                    record_type,
                    record_id,
                    reason: reason.clone(),
                });
            }
        }
    }
    Ok(tally)
}

/// After enrolling again the server knows a new device with no sequence yet:
/// every unacknowledged row is numbered afresh (numbers keep growing, so they
/// stay unique), and the current consents (to the clinic and to outside
/// recipients) are queued again ahead of them.
pub(crate) fn requeue_for_new_device(tx: &Connection, now: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "UPDATE outbox SET push_seq = NULL, wire_payload = NULL
         WHERE result IS NULL AND push_seq IS NOT NULL",
        [],
    )?;
    let now_ms = now.timestamp_millis();
    for category in consent::consented(tx, now_ms)? {
        for granted in consent::active(tx, category, now_ms)? {
            granted.queue(tx, now)?;
        }
    }
    for granted in consent::outside_active(tx, now_ms)? {
        granted.queue(tx, now)?;
    }
    Ok(())
}

fn last_push_seq(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT max(last_push_seq, coalesce((SELECT max(push_seq) FROM outbox), 0))
         FROM sync_enrollment WHERE id = 1",
        [],
        |row| row.get(0),
    )?)
}

/// Rows waiting for a consent the patient has not given.
pub(crate) fn held(conn: &Connection, now: DateTime<Utc>) -> Result<u32> {
    let consented = consent::consented(conn, now.timestamp_millis())?;
    let mut held = 0;
    for category in ConsentCategory::ALL {
        if !consented.contains(&category) {
            held += crate::outbox::held_count(conn, category.as_str())?;
        }
    }
    Ok(held)
}
