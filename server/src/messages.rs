//! Two-way messages between the care team and a patient. The team's
//! messages are clinic records of kind `message` (pulled by the phone); the
//! patient's arrive as pushed records of type `message` under the
//! `messages` consent category, and so do the phone's read receipts
//! (`message_read`): staff see read state only as the phone reported it at
//! its last sync. A patient message that arrives while the clinic is closed
//! gets one automatic reply saying when the clinic opens and where to turn
//! in a crisis. Messaging is not an emergency channel.

use crate::audit::Actor;
use crate::clinic_records;
use crate::error::ApiResult;
use crate::office_hours::{self, ClinicHours};
use crate::store::{DbError, Tx};
use crate::validate;
use serde_json::{json, Value};
use steady_protocol::ChangeKind;

/// Shown above every compose box and in the automatic reply.
pub const NOT_FOR_EMERGENCIES: &str =
    "Messages are not for emergencies. In a crisis call or text 988 \
     (Suicide & Crisis Lifeline), call 911, or go to the nearest emergency department.";
/// The sender name of automatic replies.
pub const AUTOMATIC: &str = "Automatic reply";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: String,
    /// `clinic` or `patient`.
    pub direction: &'static str,
    pub from: String,
    pub body: String,
    pub at_ms: i64,
    /// For clinic messages: when the phone reported it read (as of its last
    /// sync).
    pub read_at_ms: Option<i64>,
}

/// The whole thread, oldest first.
pub fn thread(tx: &mut dyn Tx, patient_id: &str) -> Result<Vec<Message>, DbError> {
    let mut reads = Vec::new();
    for row in tx.query(
        "SELECT record_id, payload, created_at_ms FROM records
         WHERE patient_id = $1 AND record_type = 'message_read' AND deleted = 0",
        &[patient_id.into()],
    )? {
        let payload: Value =
            serde_json::from_str(&row.opt_text(1)?.unwrap_or_default()).unwrap_or(Value::Null);
        let at = payload
            .get("read_at_ms")
            .and_then(Value::as_i64)
            .unwrap_or(row.int(2)?);
        reads.push((row.text(0)?, at));
    }
    let mut out = Vec::new();
    for row in tx.query(
        "SELECT record_id, payload, updated_at_ms FROM clinic_records
         WHERE patient_id = $1 AND kind = 'message'",
        &[patient_id.into()],
    )? {
        let id = row.text(0)?;
        let payload: Value = serde_json::from_str(&row.text(1)?).unwrap_or(Value::Null);
        out.push(Message {
            read_at_ms: reads.iter().find(|(r, _)| *r == id).map(|(_, at)| *at),
            id,
            direction: "clinic",
            from: payload["from"].as_str().unwrap_or_default().to_string(),
            body: payload["body"].as_str().unwrap_or_default().to_string(),
            at_ms: row.int(2)?,
        });
    }
    for row in tx.query(
        "SELECT record_id, payload, created_at_ms FROM records
         WHERE patient_id = $1 AND record_type = 'message' AND deleted = 0",
        &[patient_id.into()],
    )? {
        let payload: Value =
            serde_json::from_str(&row.opt_text(1)?.unwrap_or_default()).unwrap_or(Value::Null);
        out.push(Message {
            id: row.text(0)?,
            direction: "patient",
            from: "Patient".to_string(),
            body: payload["body"].as_str().unwrap_or_default().to_string(),
            at_ms: payload["sent_at_ms"].as_i64().unwrap_or(row.int(2)?),
            read_at_ms: None,
        });
    }
    out.sort_by(|a, b| a.at_ms.cmp(&b.at_ms).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

/// Sends a message from a staff member to the patient.
pub fn send(
    tx: &mut dyn Tx,
    actor: &Actor,
    patient_id: &str,
    from: &str,
    body: &str,
    now_ms: i64,
) -> ApiResult<String> {
    let body = validate::text("body", body, 2000)?;
    let payload =
        clinic_records::validate_payload(ChangeKind::Message, json!({"from": from, "body": body}))?;
    let id = uuid::Uuid::now_v7().to_string();
    clinic_records::write_change(
        tx,
        actor,
        patient_id,
        ChangeKind::Message,
        &id,
        Some(&payload),
        now_ms,
    )?;
    Ok(id)
}

/// The automatic reply to a message received while the clinic is closed.
pub fn automatic_reply(hours: &ClinicHours, received_ms: i64) -> String {
    let opens = hours
        .next_open_ms(received_ms)
        .map(|ms| crate::clock::local_time(ms, hours.zone()))
        .unwrap_or_else(|| "the next working day".to_string());
    format!(
        "Thanks for your message. The clinic is closed now; the care team will read it after \
         we open ({opens}, {}) and reply within {} business hours. {NOT_FOR_EMERGENCIES}",
        hours.time_zone, hours.reply_hours
    )
}

/// Answers every patient message that arrived out of hours and has no
/// automatic reply yet. Returns how many replies were written.
pub fn sweep_out_of_hours(tx: &mut dyn Tx, now_ms: i64) -> ApiResult<usize> {
    let rows = tx.query(
        "SELECT r.patient_id, r.record_id, r.received_at_ms, p.clinic_id FROM records r
         JOIN patients p ON p.id = r.patient_id
         WHERE r.record_type = 'message' AND r.deleted = 0
           AND NOT EXISTS (SELECT 1 FROM clinic_records c
               WHERE c.record_id = 'auto:' || r.patient_id || ':' || r.record_id)",
        &[],
    )?;
    let mut written = 0;
    for row in rows {
        let (patient_id, record_id) = (row.text(0)?, row.text(1)?);
        let hours = office_hours::load(tx, &row.text(3)?)?;
        let received = row.int(2)?;
        if hours.is_open(received) {
            // Marks it answered by the team's own hours: no automatic reply.
            continue;
        }
        let payload = clinic_records::validate_payload(
            ChangeKind::Message,
            json!({"from": AUTOMATIC, "body": automatic_reply(&hours, received)}),
        )?;
        clinic_records::write_change(
            tx,
            &Actor::Admin,
            &patient_id,
            ChangeKind::Message,
            &format!("auto:{patient_id}:{record_id}"),
            Some(&payload),
            now_ms,
        )?;
        written += 1;
    }
    Ok(written)
}
