//! The patient's stream of clinic-authored changes: every staff write (a
//! session series, a plan, a message, attendance, a drug screen) is one
//! numbered change that phones pull, plus the record's current state. It sits
//! below every module that writes a clinic record, so the generic handlers
//! (clinic_records.rs) and the per-kind ones (clinic_attendance.rs,
//! drug_screens.rs, messages.rs, feeds.rs) all write through it.

use crate::audit::{self, Actor, Entry};
use crate::error::{ApiError, ApiResult};
use crate::store::Tx;
use serde_json::Value;
use steady_protocol::{ChangeKind, Operation};

/// Appends a change to the patient's stream and updates the current record.
pub fn write_change(
    tx: &mut dyn Tx,
    actor: &Actor,
    patient_id: &str,
    kind: ChangeKind,
    record_id: &str,
    payload: Option<&Value>,
    now_ms: i64,
) -> ApiResult<i64> {
    let cursor = tx
        .query_opt(
            "UPDATE patients SET change_seq = change_seq + 1 WHERE id = $1 RETURNING change_seq",
            &[patient_id.into()],
        )?
        .ok_or_else(|| ApiError::not_found("patient"))?
        .int(0)?;
    let text = payload.map(Value::to_string);
    let operation = if payload.is_some() {
        Operation::Upsert
    } else {
        Operation::Delete
    };
    tx.exec(
        "INSERT INTO clinic_changes (patient_id, cursor, kind, record_id, operation, payload,
             authored_at_ms, authored_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            patient_id.into(),
            cursor.into(),
            kind.as_str().into(),
            record_id.into(),
            match operation {
                Operation::Upsert => "upsert",
                Operation::Delete => "delete",
            }
            .into(),
            text.clone().into(),
            now_ms.into(),
            actor.to_string().into(),
        ],
    )?;
    match text {
        Some(text) => tx.exec(
            "INSERT INTO clinic_records (patient_id, kind, record_id, payload, updated_at_ms, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (patient_id, kind, record_id) DO UPDATE SET
                 payload = excluded.payload, updated_at_ms = excluded.updated_at_ms,
                 updated_by = excluded.updated_by",
            &[
                patient_id.into(),
                kind.as_str().into(),
                record_id.into(),
                text.into(),
                now_ms.into(),
                actor.to_string().into(),
            ],
        )?,
        None => tx.exec(
            "DELETE FROM clinic_records WHERE patient_id = $1 AND kind = $2 AND record_id = $3",
            &[patient_id.into(), kind.as_str().into(), record_id.into()],
        )?,
    };
    audit::append(
        tx,
        now_ms,
        Entry {
            actor,
            action: match operation {
                Operation::Upsert => "clinic_record.write",
                Operation::Delete => "clinic_record.delete",
            },
            patient_id: Some(patient_id),
            purpose: "treatment",
            detail: format!("{} {record_id} cursor={cursor}", kind.as_str()),
        },
    )?;
    Ok(cursor)
}
