//! The append-only audit log: every read and write of patient data, with who,
//! what, when and for what purpose. Rows are only ever inserted; details
//! hold ids and counts, never health data.

use crate::store::{DbError, Tx};
use serde::Serialize;

/// Who acted: a staff member, a patient's device, or the admin CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Staff(String),
    Device(String),
    Admin,
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::Staff(id) => write!(f, "staff:{id}"),
            Actor::Device(id) => write!(f, "device:{id}"),
            Actor::Admin => f.write_str("admin"),
        }
    }
}

/// One audit entry to append.
pub struct Entry<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub patient_id: Option<&'a str>,
    pub purpose: &'a str,
    pub detail: String,
}

pub fn append(tx: &mut dyn Tx, now_ms: i64, entry: Entry<'_>) -> Result<(), DbError> {
    // Time-ordered ids keep entries of the same millisecond in order.
    tx.exec(
        "INSERT INTO audit_log (id, at_ms, actor, action, patient_id, purpose, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            uuid::Uuid::now_v7().to_string().into(),
            now_ms.into(),
            entry.actor.to_string().into(),
            entry.action.into(),
            entry.patient_id.into(),
            entry.purpose.into(),
            entry.detail.into(),
        ],
    )?;
    Ok(())
}

/// An audit entry as staff read it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: String,
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub patient_id: Option<String>,
    pub purpose: String,
    pub detail: String,
}

/// One clinic's entries, newest first, optionally for one patient,
/// continuing before `(at_ms, id)` (the last entry of the previous page).
/// A clinic's entries are those about its patients, and those about no
/// patient made by its staff (sign-ins, reading this log).
pub fn read_page(
    tx: &mut dyn Tx,
    clinic_id: &str,
    patient_id: Option<&str>,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<AuditEntry>, DbError> {
    let (at, id) = before.unwrap_or((i64::MAX, "\u{10FFFF}"));
    let rows = tx.query(
        "SELECT a.id, a.at_ms, a.actor, a.action, a.patient_id, a.purpose, a.detail
         FROM audit_log a LEFT JOIN patients p ON p.id = a.patient_id
         WHERE (p.clinic_id = $5 OR (a.patient_id IS NULL AND a.actor IN
                (SELECT 'staff:' || s.id FROM staff s WHERE s.clinic_id = $5)))
           AND ($1 = '' OR a.patient_id = $1)
           AND (a.at_ms < $2 OR (a.at_ms = $2 AND a.id < $3))
         ORDER BY a.at_ms DESC, a.id DESC LIMIT $4",
        &[
            patient_id.unwrap_or("").into(),
            at.into(),
            id.into(),
            limit.into(),
            clinic_id.into(),
        ],
    )?;
    rows.iter()
        .map(|row| {
            Ok(AuditEntry {
                id: row.text(0)?,
                at_ms: row.int(1)?,
                actor: row.text(2)?,
                action: row.text(3)?,
                patient_id: row.opt_text(4)?,
                purpose: row.text(5)?,
                detail: row.text(6)?,
            })
        })
        .collect()
}
