//! The Clinic screen: enrollment, each consent category with every element
//! 42 CFR §2.31 asks a consent to state (as text the patient reads), what was
//! shared and when, the clinic's messages, and the sync state.
//!
//! What was shared is the phone's own record of disclosures: every mutation
//! the clinic acknowledged (outbox rows answered `applied` or `duplicate`),
//! with the recipient and purpose of the consent it was shared under. The
//! server's own accounting is not pulled yet (protocol v1 has no change kind
//! for it); see the report of issue 9.

use super::sync_state::sync_state;
use super::{label, Label, SyncState};
use crate::consent::{
    ConsentCategory, ConsentState, ConsentStatus, DEFAULT_PURPOSE, RIGHT_TO_REVOKE,
};
use crate::enrollment;
use crate::typed_time::Instant;
use crate::{Consent, Result, Steady};
use chrono::TimeZone;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::sync::atomic::Ordering;

/// Most disclosures the screen lists (newest first).
pub const MAX_DISCLOSURES: u32 = 500;
const MESSAGES_SEEN: &str = "messages_seen";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum EnrollmentState {
    NotEnrolled,
    Enrolled {
        clinic_name: String,
        server_url: String,
        enrolled_at: Instant,
    },
}

/// One element of a consent, as the patient reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConsentElement {
    /// `patient_name`, `discloser`, `recipient`, `information`, `purpose`,
    /// `expiry`, `right_to_revoke`, `refusal`, `signature`, `signed_on`.
    pub key: String,
    /// The element's heading, e.g. "Who shares".
    pub heading: Label,
    pub text: String,
    /// For `expiry` and `signed_on`: the instant, for local formatting.
    pub at: Option<Instant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConsentCard {
    pub category: ConsentCategory,
    pub title: Label,
    pub state: ConsentState,
    pub state_label: Label,
    /// Every §2.31 element: of the governing consent when there is one,
    /// otherwise as a grant would state them now.
    pub elements: Vec<ConsentElement>,
    /// Saved records of the category not shared yet.
    pub held_records: u32,
    pub consent: Option<Consent>,
}

/// One record the clinic acknowledged receiving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Disclosure {
    pub category: ConsentCategory,
    pub description: Label,
    pub shared_at: Instant,
    pub recipient: String,
    pub purpose: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ClinicMessageView {
    pub id: String,
    pub from: String,
    pub body: String,
    pub sent_at: Instant,
    pub received_at: Instant,
    pub unread: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ClinicScreen {
    pub enrollment: EnrollmentState,
    /// The name the patient last signed with; none before a first consent.
    pub patient_name: Option<String>,
    pub consents: Vec<ConsentCard>,
    pub shared: Vec<Disclosure>,
    /// Newest first.
    pub messages: Vec<ClinicMessageView>,
    pub unread_messages: u32,
    pub sync: SyncState,
}

impl Steady {
    /// Everything the Clinic screen shows.
    pub fn clinic_screen(&self) -> Result<ClinicScreen> {
        let now_ms = self.now().timestamp_millis();
        let zone = self.zone()?;
        let statuses = self.consent_status()?;
        let running = self.live.syncs_running.load(Ordering::SeqCst) > 0;
        self.read(|conn| {
            let enrolled = enrollment::load(conn)?;
            let clinic = enrolled.as_ref().map(|e| e.clinic_name.clone());
            let patient_name: Option<String> = conn
                .query_row(
                    "SELECT discloser FROM consent ORDER BY signed_at_ms DESC, rowid DESC LIMIT 1",
                    [],
                    |row| row.get(0),
                )
                .optional()?;
            let date = |ms: i64| {
                zone.timestamp_millis_opt(ms)
                    .single()
                    .map(|at| at.format("%Y-%m-%d").to_string())
                    .unwrap_or_default()
            };
            let consents = statuses
                .iter()
                .map(|s| card(s, clinic.as_deref(), patient_name.as_deref(), &date))
                .collect();
            let messages = messages(conn)?;
            let unread_messages = messages.iter().filter(|m| m.unread).count() as u32;
            Ok(ClinicScreen {
                enrollment: match &enrolled {
                    None => EnrollmentState::NotEnrolled,
                    Some(e) => EnrollmentState::Enrolled {
                        clinic_name: e.clinic_name.clone(),
                        server_url: e.server_url.clone(),
                        enrolled_at: Instant::from_millis(e.enrolled_at_ms),
                    },
                },
                patient_name,
                consents,
                shared: disclosures(conn)?,
                messages,
                unread_messages,
                sync: sync_state(conn, now_ms, running)?,
            })
        })
    }

    /// The patient has seen every clinic message received so far.
    pub fn mark_clinic_messages_read(&self) -> Result<()> {
        let now_ms = self.now().timestamp_millis();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO screen_mark (name, at_ms) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET at_ms = max(at_ms, ?2)",
                params![MESSAGES_SEEN, now_ms],
            )?;
            Ok(())
        })
    }
}

/// Clinic messages received since the patient last looked.
pub(crate) fn unread_messages(steady: &Steady) -> Result<u32> {
    steady.read(|conn| Ok(messages(conn)?.iter().filter(|m| m.unread).count() as u32))
}

fn messages(conn: &Connection) -> Result<Vec<ClinicMessageView>> {
    let seen: i64 = conn
        .query_row(
            "SELECT at_ms FROM screen_mark WHERE name = ?1",
            params![MESSAGES_SEEN],
            |row| row.get(0),
        )
        .optional()?
        .unwrap_or(i64::MIN);
    let mut stmt = conn.prepare(
        "SELECT record_id, payload, authored_at_ms, received_at_ms FROM clinic_record
         WHERE kind = 'message' ORDER BY authored_at_ms DESC, record_id",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, i64>(2)?,
            row.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, payload, authored, received) = row?;
        // A message the phone cannot read is left out, never shown garbled.
        let Ok(message) = serde_json::from_str::<steady_protocol::ClinicMessage>(&payload) else {
            continue;
        };
        out.push(ClinicMessageView {
            id,
            from: message.from,
            body: message.body,
            sent_at: Instant::from_millis(authored),
            received_at: Instant::from_millis(received),
            unread: received > seen,
        });
    }
    Ok(out)
}

fn disclosures(conn: &Connection) -> Result<Vec<Disclosure>> {
    let mut stmt = conn.prepare(
        "SELECT o.record_type, o.category, o.acked_at_ms,
                (SELECT c.recipient FROM consent c WHERE c.category = o.category
                   AND c.signed_at_ms <= o.acked_at_ms ORDER BY c.signed_at_ms DESC LIMIT 1),
                (SELECT c.purpose FROM consent c WHERE c.category = o.category
                   AND c.signed_at_ms <= o.acked_at_ms ORDER BY c.signed_at_ms DESC LIMIT 1)
         FROM outbox o
         WHERE o.result IN ('applied', 'duplicate') AND o.record_type != 'consent'
         ORDER BY o.acked_at_ms DESC, o.seq DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map(params![MAX_DISCLOSURES], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, Option<String>>(1)?,
            row.get::<_, Option<i64>>(2)?,
            row.get::<_, Option<String>>(3)?,
            row.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (record_type, category, acked, recipient, purpose) = row?;
        let Some(category) =
            category.and_then(|c| crate::vocabulary::parse_consent_category("category", &c).ok())
        else {
            continue;
        };
        out.push(Disclosure {
            category,
            description: record_label(&record_type),
            shared_at: Instant::from_millis(acked.unwrap_or_default()),
            recipient: recipient.unwrap_or_default(),
            purpose: purpose.unwrap_or_else(|| DEFAULT_PURPOSE.to_string()),
        });
    }
    Ok(out)
}

fn record_label(record_type: &str) -> Label {
    use crate::vocabulary::RecordType as T;
    match T::parse(record_type) {
        Some(T::Craving) => label("record.craving", "A craving log"),
        Some(T::Lapse) => label("record.lapse", "A lapse"),
        Some(T::Attendance) => label("record.attendance", "Session attendance"),
        Some(T::Dose) => label("record.dose", "A medication dose"),
        Some(T::DailyCheckin) => label("record.daily_checkin", "A daily check-in"),
        Some(T::QuestionnaireResponse) => {
            label("record.questionnaire_response", "Questionnaire answers")
        }
        Some(T::Message) => label("record.message", "A message to your care team"),
        Some(T::MessageRead) => label("record.message_read", "That you read a message"),
        None => label("record.other", "A record"),
    }
}

fn category_title(category: ConsentCategory) -> Label {
    match category {
        ConsentCategory::Attendance => label("consent.category.attendance", "Session attendance"),
        ConsentCategory::Medication => label("consent.category.medication", "Medication doses"),
        ConsentCategory::Cravings => label("consent.category.cravings", "Cravings"),
        ConsentCategory::Checkins => {
            label("consent.category.checkins", "Check-ins and questionnaires")
        }
        ConsentCategory::Lapses => label("consent.category.lapses", "Lapses"),
        ConsentCategory::Notes => label("consent.category.notes", "Your notes"),
        ConsentCategory::Messages => label("consent.category.messages", "Messages"),
    }
}

fn card(
    status: &ConsentStatus,
    clinic: Option<&str>,
    patient_name: Option<&str>,
    date: &dyn Fn(i64) -> String,
) -> ConsentCard {
    let consent = status.consent.as_ref();
    let state_label = match status.state {
        ConsentState::NotGranted => label("consent.state.not_granted", "Not shared"),
        ConsentState::Active => label("consent.state.active", "Shared with your clinic"),
        ConsentState::Expired => label("consent.state.expired", "Expired: no longer shared"),
        ConsentState::Revoked => label("consent.state.revoked", "Revoked: no longer shared"),
    };
    let name = consent
        .map(|c| c.discloser.clone())
        .or_else(|| patient_name.map(str::to_string))
        .unwrap_or_else(|| "You (the name you sign with)".to_string());
    let recipient = consent
        .map(|c| c.recipient.clone())
        .or_else(|| clinic.map(str::to_string))
        .unwrap_or_else(|| "Your clinic, once this phone is connected to it".to_string());
    let element = |key: &str, heading: Label, text: String, at: Option<i64>| ConsentElement {
        key: key.to_string(),
        heading,
        text,
        at: at.map(Instant::from_millis),
    };
    let expiry = match consent {
        Some(c) => match c.revoked_at_ms {
            Some(revoked) => format!("Revoked on {}", date(revoked)),
            None => format!(
                "Until {}, unless you revoke it sooner",
                date(c.expires_at_ms)
            ),
        },
        None => "One year from the day you sign, unless you revoke it sooner".to_string(),
    };
    let elements = vec![
        element(
            "patient_name",
            label("consent.element.patient_name", "Patient"),
            name.clone(),
            None,
        ),
        element(
            "discloser",
            label("consent.element.discloser", "Who shares"),
            format!("{name}, from the Steady app on this phone"),
            None,
        ),
        element(
            "recipient",
            label("consent.element.recipient", "Shared with"),
            recipient,
            None,
        ),
        element(
            "information",
            label("consent.element.information", "What is shared"),
            status.category.information().to_string(),
            None,
        ),
        element(
            "purpose",
            label("consent.element.purpose", "Why"),
            consent.map_or_else(|| DEFAULT_PURPOSE.to_string(), |c| c.purpose.clone()),
            None,
        ),
        element(
            "expiry",
            label("consent.element.expiry", "Until when"),
            expiry,
            consent.map(|c| c.revoked_at_ms.unwrap_or(c.expires_at_ms)),
        ),
        element(
            "right_to_revoke",
            label("consent.element.right_to_revoke", "Your right to revoke"),
            format!(
                "{RIGHT_TO_REVOKE} To revoke in writing, open Clinic in Steady, choose this \
                 category and tap Revoke; Steady records it as your written revocation and \
                 tells the clinic at the next sync."
            ),
            None,
        ),
        element(
            "refusal",
            label("consent.element.refusal", "If you say no"),
            "Your treatment does not depend on sharing. Records of this kind stay on this \
             phone and are never sent unless you agree later."
                .to_string(),
            None,
        ),
        element(
            "signature",
            label("consent.element.signature", "Signature"),
            consent.map_or_else(|| "Not signed".to_string(), |c| c.signature.clone()),
            None,
        ),
        element(
            "signed_on",
            label("consent.element.signed_on", "Date"),
            consent.map_or_else(|| "Not signed".to_string(), |c| date(c.signed_at_ms)),
            consent.map(|c| c.signed_at_ms),
        ),
    ];
    ConsentCard {
        category: status.category,
        title: category_title(status.category),
        state: status.state,
        state_label,
        elements,
        held_records: status.held_records,
        consent: consent.cloned(),
    }
}
