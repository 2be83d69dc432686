//! Safety flags: a synced record that asks for the clinic's attention (a
//! PHQ-9 with item 9 above 0, a craving or lapse the patient marked unsafe —
//! the phone sets `flagged_for_clinic`) or an unexpected drug screen raises
//! a flag. A flag goes new → acknowledged (a named staff member saw it) →
//! resolved (with the assessment or contact made and its outcome); each step
//! is audited, and only resolved flags leave the top of the triage list.
//!
//! Flags are raised by [`sweep`], which the alert loop and every dashboard
//! read run: the sync that brought the record never waits for it.

use crate::audit::{self, Actor, Entry};
use crate::error::{ApiError, ApiResult};
use crate::store::{DbError, Tx};
use crate::validate;
use steady_protocol::ErrorCode;

/// Record types whose `flagged_for_clinic` raises a flag.
const FLAGGING_TYPES: [&str; 3] = ["craving", "lapse", "questionnaire_response"];
/// The source type of a flag raised by a drug screen.
pub const DRUG_SCREEN_SOURCE: &str = "drug_screen";

/// How the flag was closed: the kinds of follow-up a resolution records.
pub const ASSESSMENTS: [(&str, &str); 4] = [
    ("risk_assessment", "Suicide-risk assessment done"),
    ("contact_phone", "Reached the patient by phone"),
    ("contact_in_person", "Saw the patient in person"),
    (
        "contact_attempted",
        "Tried to reach the patient; no answer (with plan)",
    ),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub id: String,
    pub patient_id: String,
    pub source_type: String,
    pub source_id: String,
    pub raised_at_ms: i64,
    /// `new`, `acknowledged` or `resolved`.
    pub status: String,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at_ms: Option<i64>,
    pub resolved_by: Option<String>,
    pub resolved_at_ms: Option<i64>,
    pub assessment: Option<String>,
    pub outcome: Option<String>,
}

impl Flag {
    /// What raised it, in words without health detail.
    pub fn reason(&self) -> &'static str {
        match self.source_type.as_str() {
            "questionnaire_response" => "PHQ-9 item 9 answered above 0 (thoughts of self-harm)",
            "craving" => "Craving marked unsafe",
            "lapse" => "Lapse marked unsafe",
            DRUG_SCREEN_SOURCE => "Unexpected drug screen result",
            _ => "Needs attention",
        }
    }

    pub fn is_open(&self) -> bool {
        self.status != "resolved"
    }

    pub fn assessment_label(&self) -> &'static str {
        ASSESSMENTS
            .iter()
            .find(|(key, _)| Some(*key) == self.assessment.as_deref())
            .map_or("", |(_, label)| label)
    }
}

/// Raises a flag for every flagged record that has none yet, dated when the
/// record arrived. Returns how many were raised.
pub fn sweep(tx: &mut dyn Tx, now_ms: i64) -> Result<usize, DbError> {
    let rows = tx.query(
        "SELECT r.patient_id, r.record_type, r.record_id, r.received_at_ms FROM records r
         WHERE r.deleted = 0 AND r.record_type IN ($1, $2, $3)
           AND r.payload LIKE '%\"flagged_for_clinic\":true%'
           AND NOT EXISTS (SELECT 1 FROM safety_flags f WHERE f.patient_id = r.patient_id
               AND f.source_type = r.record_type AND f.source_id = r.record_id)",
        &[
            FLAGGING_TYPES[0].into(),
            FLAGGING_TYPES[1].into(),
            FLAGGING_TYPES[2].into(),
        ],
    )?;
    for row in &rows {
        // The flag's age counts from the sync that brought it.
        let raised_at_ms = row.int(3)?.min(now_ms);
        raise(
            tx,
            &row.text(0)?,
            &row.text(1)?,
            &row.text(2)?,
            raised_at_ms,
            now_ms,
        )?;
    }
    Ok(rows.len())
}

/// Raises one flag (nothing when that source already has one).
pub fn raise(
    tx: &mut dyn Tx,
    patient_id: &str,
    source_type: &str,
    source_id: &str,
    raised_at_ms: i64,
    now_ms: i64,
) -> Result<(), DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    let inserted = tx.exec(
        "INSERT INTO safety_flags (id, patient_id, source_type, source_id, raised_at_ms, status)
         VALUES ($1, $2, $3, $4, $5, 'new')
         ON CONFLICT (patient_id, source_type, source_id) DO NOTHING",
        &[
            id.clone().into(),
            patient_id.into(),
            source_type.into(),
            source_id.into(),
            raised_at_ms.into(),
        ],
    )?;
    if inserted > 0 {
        audit::append(
            tx,
            now_ms,
            Entry {
                actor: &Actor::Admin,
                action: "flag.raise",
                patient_id: Some(patient_id),
                purpose: "treatment",
                detail: format!("flag {id} source={source_type}"),
            },
        )?;
    }
    Ok(())
}

const COLUMNS: &str = "id, patient_id, source_type, source_id, raised_at_ms, status,
    acknowledged_by, acknowledged_at_ms, resolved_by, resolved_at_ms, assessment, outcome";

fn flag(row: &crate::store::Row) -> Result<Flag, DbError> {
    Ok(Flag {
        id: row.text(0)?,
        patient_id: row.text(1)?,
        source_type: row.text(2)?,
        source_id: row.text(3)?,
        raised_at_ms: row.int(4)?,
        status: row.text(5)?,
        acknowledged_by: row.opt_text(6)?,
        acknowledged_at_ms: row.opt_int(7)?,
        resolved_by: row.opt_text(8)?,
        resolved_at_ms: row.opt_int(9)?,
        assessment: row.opt_text(10)?,
        outcome: row.opt_text(11)?,
    })
}

/// Every flag of a patient, open ones first, newest first.
pub fn of_patient(tx: &mut dyn Tx, patient_id: &str) -> Result<Vec<Flag>, DbError> {
    let rows = tx.query(
        &format!(
            "SELECT {COLUMNS} FROM safety_flags WHERE patient_id = $1
             ORDER BY CASE status WHEN 'resolved' THEN 1 ELSE 0 END, raised_at_ms DESC, id"
        ),
        &[patient_id.into()],
    )?;
    rows.iter().map(flag).collect()
}

/// Open flags of every patient of a clinic.
pub fn open_in_clinic(tx: &mut dyn Tx, clinic_id: &str) -> Result<Vec<Flag>, DbError> {
    let rows = tx.query(
        &format!(
            "SELECT {} FROM safety_flags f JOIN patients p ON p.id = f.patient_id
             WHERE p.clinic_id = $1 AND f.status <> 'resolved' ORDER BY f.raised_at_ms",
            COLUMNS
                .split(',')
                .map(|c| format!("f.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        &[clinic_id.into()],
    )?;
    rows.iter().map(flag).collect()
}

fn load(tx: &mut dyn Tx, patient_id: &str, flag_id: &str) -> ApiResult<Flag> {
    let row = tx
        .query_opt(
            &format!("SELECT {COLUMNS} FROM safety_flags WHERE id = $1 AND patient_id = $2"),
            &[flag_id.into(), patient_id.into()],
        )?
        .ok_or_else(|| ApiError::not_found("flag"))?;
    Ok(flag(&row)?)
}

/// new → acknowledged by `staff_id`.
pub fn acknowledge(
    tx: &mut dyn Tx,
    staff: &Actor,
    patient_id: &str,
    flag_id: &str,
    now_ms: i64,
) -> ApiResult<()> {
    let current = load(tx, patient_id, flag_id)?;
    if current.status != "new" {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("flag: already {}", current.status),
        ));
    }
    tx.exec(
        "UPDATE safety_flags SET status = 'acknowledged', acknowledged_by = $1,
             acknowledged_at_ms = $2 WHERE id = $3 AND status = 'new'",
        &[staff.to_string().into(), now_ms.into(), flag_id.into()],
    )?;
    audit::append(
        tx,
        now_ms,
        Entry {
            actor: staff,
            action: "flag.acknowledge",
            patient_id: Some(patient_id),
            purpose: "treatment",
            detail: format!("flag {flag_id}"),
        },
    )?;
    Ok(())
}

/// new or acknowledged → resolved, with the follow-up and its outcome.
pub fn resolve(
    tx: &mut dyn Tx,
    staff: &Actor,
    patient_id: &str,
    flag_id: &str,
    assessment: &str,
    outcome: &str,
    now_ms: i64,
) -> ApiResult<()> {
    if !ASSESSMENTS.iter().any(|(key, _)| *key == assessment) {
        return Err(ApiError::invalid(
            "assessment",
            "must be risk_assessment, contact_phone, contact_in_person or contact_attempted",
        ));
    }
    let outcome = validate::text("outcome", outcome, 2000)?;
    let current = load(tx, patient_id, flag_id)?;
    if current.status == "resolved" {
        return Err(ApiError::new(ErrorCode::Conflict, "flag: already resolved"));
    }
    let actor = staff.to_string();
    tx.exec(
        "UPDATE safety_flags SET status = 'resolved', resolved_by = $1, resolved_at_ms = $2,
             assessment = $3, outcome = $4,
             acknowledged_by = COALESCE(acknowledged_by, $1),
             acknowledged_at_ms = COALESCE(acknowledged_at_ms, $2)
         WHERE id = $5",
        &[
            actor.into(),
            now_ms.into(),
            assessment.into(),
            outcome.into(),
            flag_id.into(),
        ],
    )?;
    audit::append(
        tx,
        now_ms,
        Entry {
            actor: staff,
            action: "flag.resolve",
            patient_id: Some(patient_id),
            purpose: "treatment",
            detail: format!("flag {flag_id} assessment={assessment}"),
        },
    )?;
    Ok(())
}
