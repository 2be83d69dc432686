//! The clinic's own records sent to the phone (verified attendance, drug
//! screens released to the patient) and the patient's side of messaging
//! (messages to the care team and read receipts, pushed under the
//! `messages` consent category). See docs/dashboard.md.

use serde::{Deserialize, Serialize};

/// Record type of a message the patient writes to the care team.
pub const RECORD_TYPE_MESSAGE: &str = crate::RecordType::Message.as_str();
/// Record type of "the patient read clinic message X" (record id = the
/// clinic message's id).
pub const RECORD_TYPE_MESSAGE_READ: &str = crate::RecordType::MessageRead.as_str();

/// Attendance the clinic recorded for one occurrence; it is the verified
/// record and wins over the patient's self-report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClinicAttendance {
    /// `series@YYYY-MM-DDTHH:MM`, as the phone names occurrences.
    pub occurrence_id: String,
    pub series_id: String,
    /// `attended`, `late`, `missed` or `excused`.
    pub status: String,
    /// Staff display name.
    pub recorded_by: String,
}

/// One substance's result in a drug screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenResult {
    pub substance: String,
    /// `negative` or `positive`.
    pub result: String,
    /// `presumptive` (immunoassay) or `confirmed` (e.g. LC-MS/MS).
    pub method: String,
    /// Expected because prescribed (e.g. buprenorphine for a patient on it).
    pub expected: bool,
}

/// A drug screen as released to the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrugScreen {
    /// `YYYY-MM-DD`.
    pub collected_on: String,
    /// `urine`, `oral_fluid`, `blood` or `hair`.
    pub specimen: String,
    pub panel: String,
    pub results: Vec<ScreenResult>,
}

/// A message from the patient to the care team (push payload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientMessage {
    pub body: String,
    pub sent_at_ms: i64,
    /// The clinic message it answers, if any.
    #[serde(default)]
    pub in_reply_to: Option<String>,
}
