//! The patient's side of the clinic loop: messages with the care team and
//! the clinic's own records about the patient. The team's messages, the
//! attendance the clinic recorded (the verified record) and the drug
//! screens the clinician released arrive by pull into `clinic_record`. The
//! patient's messages and read receipts leave through the outbox under the
//! `messages` consent category: without that consent they stay on the
//! phone, and the team sees a message as read only once a sync carried the
//! receipt. Messaging is not an emergency channel, and every call that
//! shows the compose screen returns the notice that says so.

use crate::consent::{self, ConsentCategory};
use crate::crisis::crisis_lines;
use crate::outbox::{self, Operation};
use crate::{ids, Error, Result, Steady};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use steady_protocol::{ClinicAttendance, DrugScreen, PatientMessage};

/// Longest message, in characters (the server's limit too).
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// One message of the thread with the care team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ThreadMessage {
    pub id: String,
    /// `true` when the patient wrote it.
    pub from_patient: bool,
    /// The staff member's name, "Automatic reply", or "You".
    pub from: String,
    pub body: String,
    pub sent_at_ms: i64,
    /// For the team's messages: when the patient opened it.
    pub read_at_ms: Option<i64>,
}

/// What sending a message did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MessageSent {
    pub message: ThreadMessage,
    /// `false` while the patient has not consented to share messages: it
    /// stays on the phone until they do.
    pub will_be_shared: bool,
    /// Messaging is not an emergency channel (with the crisis lines).
    pub notice: String,
}

/// A session attendance the clinic recorded: the verified record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ClinicAttendanceRecord {
    pub occurrence_id: String,
    pub series_id: String,
    /// `attended`, `late`, `missed` or `excused`.
    pub status: String,
    pub recorded_by: String,
    /// What the patient recorded for the same session, if it differs.
    pub self_report: Option<String>,
    pub received_at_ms: i64,
}

/// A drug screen result the clinician released to the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DrugScreenRelease {
    pub id: String,
    pub collected_on: String,
    pub specimen: String,
    pub panel: String,
    /// One line per substance, e.g. "buprenorphine: positive (confirmed, prescribed)".
    pub results: Vec<String>,
    pub received_at_ms: i64,
}

/// The notice shown with every compose screen.
pub fn messaging_notice() -> String {
    let lines = crisis_lines()
        .into_iter()
        .map(|l| format!("{}: call {}", l.name, l.call))
        .collect::<Vec<_>>()
        .join("; ");
    format!(
        "Messages are not for emergencies. Your care team reads them during clinic hours; \
         out of hours you get an automatic reply saying when. In a crisis: {lines}; or call 911."
    )
}

fn clinic_payloads(
    conn: &rusqlite::Connection,
    kind: &str,
) -> Result<Vec<(String, Value, i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT record_id, payload, authored_at_ms, received_at_ms FROM clinic_record
         WHERE kind = ?1 ORDER BY authored_at_ms, record_id",
    )?;
    let rows = stmt
        .query_map(params![kind], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, i64>(3)?,
            ))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .map(|(id, payload, authored, received)| {
            (
                id,
                serde_json::from_str(&payload).unwrap_or(Value::Null),
                authored,
                received,
            )
        })
        .collect())
}

impl Steady {
    /// The thread with the care team, oldest first.
    pub fn messages(&self) -> Result<Vec<ThreadMessage>> {
        self.read(|conn| {
            let mut thread = Vec::new();
            for (id, payload, authored, _) in clinic_payloads(conn, "message")? {
                let read_at_ms = conn
                    .query_row(
                        "SELECT read_at_ms FROM message_read WHERE message_id = ?1",
                        params![id],
                        |row| row.get(0),
                    )
                    .optional()?;
                thread.push(ThreadMessage {
                    from_patient: false,
                    from: payload["from"].as_str().unwrap_or_default().to_string(),
                    body: payload["body"].as_str().unwrap_or_default().to_string(),
                    sent_at_ms: authored,
                    read_at_ms,
                    id,
                });
            }
            let mut stmt = conn.prepare(
                "SELECT id, body, sent_at_ms FROM patient_message ORDER BY sent_at_ms, id",
            )?;
            let mine = stmt
                .query_map([], |row| {
                    Ok(ThreadMessage {
                        id: row.get(0)?,
                        from_patient: true,
                        from: "You".to_string(),
                        body: row.get(1)?,
                        sent_at_ms: row.get(2)?,
                        read_at_ms: None,
                    })
                })?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            thread.extend(mine);
            thread.sort_by(|a, b| {
                a.sent_at_ms
                    .cmp(&b.sent_at_ms)
                    .then_with(|| a.id.cmp(&b.id))
            });
            Ok(thread)
        })
    }

    /// Team messages not opened yet.
    pub fn unread_messages(&self) -> Result<u32> {
        Ok(self
            .messages()?
            .iter()
            .filter(|m| !m.from_patient && m.read_at_ms.is_none())
            .count() as u32)
    }

    /// Marks a team message read (once; the receipt goes out with the next
    /// sync when messages are shared).
    pub fn mark_message_read(&self, message_id: &str) -> Result<ThreadMessage> {
        let now = self.now();
        let id = message_id.trim().to_string();
        self.write(|tx| {
            let known = tx
                .query_row(
                    "SELECT 1 FROM clinic_record WHERE kind = 'message' AND record_id = ?1",
                    params![id],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if !known {
                return Err(Error::invalid(
                    "message_id",
                    "no message from the clinic has this id",
                ));
            }
            let inserted = tx.execute(
                "INSERT INTO message_read (message_id, read_at_ms) VALUES (?1, ?2)
                 ON CONFLICT (message_id) DO NOTHING",
                params![id, now.timestamp_millis()],
            )?;
            if inserted > 0 {
                outbox::record(
                    tx,
                    steady_protocol::RECORD_TYPE_MESSAGE_READ,
                    &id,
                    Operation::Upsert,
                    &serde_json::json!({"message_id": id, "read_at_ms": now.timestamp_millis()}),
                    now,
                )?;
            }
            Ok(())
        })?;
        self.messages()?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(|| Error::invalid("message_id", "no message from the clinic has this id"))
    }

    /// Writes a message to the care team, optionally answering one of theirs.
    pub fn send_message(&self, body: String, in_reply_to: Option<String>) -> Result<MessageSent> {
        let body = body.trim().to_string();
        let chars = body.chars().count();
        if chars == 0 {
            return Err(Error::invalid("body", "is empty"));
        }
        if chars > MAX_MESSAGE_CHARS {
            return Err(Error::invalid(
                "body",
                format!("{chars} characters; at most {MAX_MESSAGE_CHARS} allowed"),
            ));
        }
        let now = self.now();
        let message = ThreadMessage {
            id: ids::new_id(),
            from_patient: true,
            from: "You".to_string(),
            body,
            sent_at_ms: now.timestamp_millis(),
            read_at_ms: None,
        };
        let will_be_shared = self.write(|tx| {
            if let Some(reply_to) = &in_reply_to {
                let known = tx
                    .query_row(
                        "SELECT 1 FROM clinic_record WHERE kind = 'message' AND record_id = ?1",
                        params![reply_to],
                        |_| Ok(()),
                    )
                    .optional()?
                    .is_some();
                if !known {
                    return Err(Error::invalid("in_reply_to", "no message from the clinic has this id"));
                }
            }
            tx.execute(
                "INSERT INTO patient_message (id, body, in_reply_to, sent_at_ms) VALUES (?1, ?2, ?3, ?4)",
                params![message.id, message.body, in_reply_to, message.sent_at_ms],
            )?;
            outbox::record(
                tx,
                steady_protocol::RECORD_TYPE_MESSAGE,
                &message.id,
                Operation::Upsert,
                &PatientMessage {
                    body: message.body.clone(),
                    sent_at_ms: message.sent_at_ms,
                    in_reply_to: in_reply_to.clone(),
                },
                now,
            )?;
            Ok(consent::consented(tx, now.timestamp_millis())?.contains(&ConsentCategory::Messages))
        })?;
        Ok(MessageSent {
            message,
            will_be_shared,
            notice: messaging_notice(),
        })
    }

    /// Attendance the clinic recorded, newest session first, with the
    /// patient's own report when it differs.
    pub fn clinic_attendance(&self) -> Result<Vec<ClinicAttendanceRecord>> {
        self.read(|conn| {
            let mut out = Vec::new();
            for (_, payload, _, received) in clinic_payloads(conn, "attendance")? {
                let Ok(a) = serde_json::from_value::<ClinicAttendance>(payload) else {
                    continue;
                };
                let own: Option<String> = conn
                    .query_row(
                        "SELECT status FROM attendance WHERE occurrence_id = ?1",
                        params![a.occurrence_id],
                        |row| row.get(0),
                    )
                    .optional()
                    .unwrap_or(None);
                out.push(ClinicAttendanceRecord {
                    self_report: own.filter(|s| *s != a.status),
                    occurrence_id: a.occurrence_id,
                    series_id: a.series_id,
                    status: a.status,
                    recorded_by: a.recorded_by,
                    received_at_ms: received,
                });
            }
            out.sort_by(|a, b| b.occurrence_id.cmp(&a.occurrence_id));
            Ok(out)
        })
    }

    /// Drug screens the clinician released to the patient, newest first.
    pub fn drug_screens(&self) -> Result<Vec<DrugScreenRelease>> {
        self.read(|conn| {
            let mut out = Vec::new();
            for (id, payload, _, received) in clinic_payloads(conn, "drug_screen")? {
                let Ok(screen) = serde_json::from_value::<DrugScreen>(payload) else {
                    continue;
                };
                out.push(DrugScreenRelease {
                    id,
                    collected_on: screen.collected_on,
                    specimen: screen.specimen.replace('_', " "),
                    panel: screen.panel,
                    results: screen
                        .results
                        .iter()
                        .map(|r| {
                            format!(
                                "{}: {} ({}{})",
                                r.substance,
                                r.result,
                                r.method,
                                if r.expected { ", prescribed" } else { "" }
                            )
                        })
                        .collect(),
                    received_at_ms: received,
                });
            }
            out.sort_by(|a, b| b.collected_on.cmp(&a.collected_on));
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{fixture, invalid_field};
    use rusqlite::params;

    fn pulled(f: &crate::test_support::TestDb, kind: &str, id: &str, payload: &str) {
        f.steady
            .write(|tx| {
                tx.execute(
                    "INSERT INTO clinic_record (kind, record_id, payload, authored_at_ms, received_at_ms)
                     VALUES (?1, ?2, ?3, 1, 2)",
                    params![kind, id, payload],
                )?;
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_message_to_the_team_is_queued_under_the_messages_category_with_the_notice() {
        let f = fixture();
        assert_eq!(
            invalid_field(f.steady.send_message("  ".into(), None)),
            "body"
        );
        assert_eq!(
            invalid_field(f.steady.send_message("hi".into(), Some("nope".into()))),
            "in_reply_to"
        );
        let sent = f
            .steady
            .send_message(" Running late today ".into(), None)
            .unwrap();
        assert_eq!(sent.message.body, "Running late today");
        assert!(!sent.will_be_shared, "no consent to share messages yet");
        assert!(sent.notice.contains("not for emergencies") && sent.notice.contains("988"));
        let outbox = f.steady.pending_outbox().unwrap();
        assert_eq!(outbox.len(), 1);
        assert_eq!(outbox[0].record_type, "message");
        assert_eq!(outbox[0].category, "messages");
        assert!(f.steady.messages().unwrap()[0].from_patient);
    }

    #[test]
    fn reading_a_team_message_records_a_receipt_once() {
        let f = fixture();
        pulled(
            &f,
            "message",
            "m1",
            r#"{"from":"Dana","body":"See you Monday."}"#,
        );
        assert_eq!(f.steady.unread_messages().unwrap(), 1);
        assert_eq!(
            invalid_field(f.steady.mark_message_read("m2")),
            "message_id"
        );
        let read = f.steady.mark_message_read("m1").unwrap();
        assert_eq!(read.from, "Dana");
        assert!(read.read_at_ms.is_some());
        f.steady.mark_message_read("m1").unwrap();
        let receipts: Vec<_> = f
            .steady
            .pending_outbox()
            .unwrap()
            .into_iter()
            .filter(|e| e.record_type == "message_read")
            .collect();
        assert_eq!(receipts.len(), 1);
        assert_eq!(receipts[0].record_id, "m1");
        assert_eq!(f.steady.unread_messages().unwrap(), 0);
        let reply = f
            .steady
            .send_message("Thanks".into(), Some("m1".into()))
            .unwrap();
        assert_eq!(
            f.steady.messages().unwrap().last().unwrap().id,
            reply.message.id
        );
    }

    #[test]
    fn the_clinics_attendance_wins_over_the_self_report_in_the_schedule() {
        let f = crate::test_support::TestDb::new("2026-03-02T12:00:00Z", "America/New_York");
        f.steady
            .import_calendar(crate::schedule::ical::tests::CLINIC)
            .unwrap();
        f.clock
            .set(crate::test_support::utc("2026-03-05T03:00:00Z"));
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        let occurrence = f.steady.occurrences(day, day).unwrap()[0].clone();
        f.steady
            .record_attendance(&occurrence.id, crate::schedule::AttendanceStatus::Missed)
            .unwrap();
        let status =
            |f: &crate::test_support::TestDb| f.steady.occurrences(day, day).unwrap()[0].status;
        assert_eq!(status(&f), crate::schedule::OccurrenceStatus::Missed);
        pulled(
            &f,
            "attendance",
            &format!("patient-1:{}", occurrence.id),
            &format!(
                r#"{{"occurrence_id":"{}","series_id":"{}","status":"attended","recorded_by":"Dana"}}"#,
                occurrence.id, occurrence.series_id
            ),
        );
        assert_eq!(status(&f), crate::schedule::OccurrenceStatus::Attended);
        let verified = f.steady.clinic_attendance().unwrap();
        assert_eq!(verified[0].self_report.as_deref(), Some("missed"));
    }

    #[test]
    fn the_clinics_attendance_and_released_screens_are_shown_as_its_records() {
        let f = fixture();
        pulled(
            &f,
            "attendance",
            "p:s1@2026-03-09T18:00",
            r#"{"occurrence_id":"s1@2026-03-09T18:00","series_id":"s1","status":"attended","recorded_by":"Dana"}"#,
        );
        pulled(
            &f,
            "drug_screen",
            "d1",
            r#"{"collected_on":"2026-03-09","specimen":"oral_fluid","panel":"6-panel","results":[{"substance":"buprenorphine","result":"positive","method":"confirmed","expected":true}]}"#,
        );
        let attendance = f.steady.clinic_attendance().unwrap();
        assert_eq!(attendance.len(), 1);
        assert_eq!(attendance[0].status, "attended");
        assert_eq!(attendance[0].recorded_by, "Dana");
        let screens = f.steady.drug_screens().unwrap();
        assert_eq!(screens[0].specimen, "oral fluid");
        assert_eq!(
            screens[0].results,
            ["buprenorphine: positive (confirmed, prescribed)"]
        );
    }
}
