//! Push (phone -> clinic) and pull (clinic -> phone).

use crate::ConsentCategory;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a mutation does to its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Create or replace the record with `payload`.
    Upsert,
    /// Tombstone the record; `payload` is ignored.
    Delete,
}

/// One outbox entry of the phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    /// The phone's outbox sequence: positive, strictly increasing within a
    /// push and across pushes of one device.
    pub seq: i64,
    /// e.g. `"craving"`, `"dose"`, `"consent"`: `[a-z0-9_]`, at most
    /// [`crate::MAX_ID_BYTES`].
    pub record_type: String,
    /// The record's id on the phone (a UUID), at most [`crate::MAX_ID_BYTES`].
    pub record_id: String,
    pub operation: Operation,
    /// The consent category the record belongs to.
    pub category: ConsentCategory,
    /// The record as JSON: an object for `upsert` (at most
    /// [`crate::MAX_PAYLOAD_BYTES`] serialized), anything (usually `null`)
    /// for `delete`.
    #[serde(default)]
    pub payload: Value,
    /// When the phone queued it (Unix ms, the phone's clock).
    pub created_at_ms: i64,
}

/// `POST /v1/sync/push` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// Must be the device the bearer token belongs to.
    pub device_id: String,
    /// In `seq` order; at most [`crate::MAX_MUTATIONS_PER_PUSH`].
    pub mutations: Vec<Mutation>,
}

/// What became of one mutation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum MutationOutcome {
    /// Stored now.
    Applied,
    /// Its `seq` was already processed earlier (applied or rejected then);
    /// nothing changed.
    Duplicate,
    /// Refused for good (no current consent, invalid payload...); the phone
    /// drops it from its queue and goes on with the next one.
    Rejected { reason: String },
}

/// The answer for one mutation, e.g. `{"seq": 7, "result": "applied"}` or
/// `{"seq": 8, "result": "rejected", "reason": "no current consent for notes"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MutationResult {
    pub seq: i64,
    #[serde(flatten)]
    pub outcome: MutationOutcome,
}

/// `POST /v1/sync/push` answer (200): one result per mutation, same order.
/// Every mutation with a result is done: the phone removes it from its queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<MutationResult>,
    /// The highest `seq` the server has processed for this device (0 if none).
    pub last_seq: i64,
}

/// Kinds of clinic-authored records a phone receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Payload: [`crate::SessionSeries`].
    SessionSeries,
    /// Payload: [`crate::MedicationPlan`].
    MedicationPlan,
    /// Payload: [`crate::Questionnaire`].
    Questionnaire,
    /// Payload: [`crate::ClinicMessage`].
    Message,
    /// Payload: [`crate::ClinicAttendance`]: the clinic's own, verified
    /// attendance record for one session occurrence.
    Attendance,
    /// Payload: [`crate::DrugScreen`]: a drug screen result the clinician
    /// released to the patient.
    DrugScreen,
}

impl ChangeKind {
    /// Every kind, in declaration order.
    pub const ALL: [ChangeKind; 6] = [
        ChangeKind::SessionSeries,
        ChangeKind::MedicationPlan,
        ChangeKind::Questionnaire,
        ChangeKind::Message,
        ChangeKind::Attendance,
        ChangeKind::DrugScreen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::SessionSeries => "session_series",
            ChangeKind::MedicationPlan => "medication_plan",
            ChangeKind::Questionnaire => "questionnaire",
            ChangeKind::Message => "message",
            ChangeKind::Attendance => "attendance",
            ChangeKind::DrugScreen => "drug_screen",
        }
    }

    pub fn parse(name: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// `POST /v1/sync/pull` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    /// Must be the device the bearer token belongs to.
    pub device_id: String,
    /// `next_cursor` of the previous page; 0 for the beginning.
    pub cursor: i64,
    /// Page size, 1..=[`crate::MAX_PULL_LIMIT`]; default
    /// [`crate::DEFAULT_PULL_LIMIT`].
    #[serde(default)]
    pub limit: Option<u32>,
}

/// One clinic-authored change for the patient. Later changes of the same
/// `(kind, record_id)` replace earlier ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClinicChange {
    /// Position of this change in the patient's change stream.
    pub cursor: i64,
    pub kind: ChangeKind,
    pub record_id: String,
    pub operation: Operation,
    /// The record for `upsert` (see [`ChangeKind`]); `null` for `delete`.
    pub payload: Value,
    /// When staff made the change (Unix ms, server clock).
    pub authored_at_ms: i64,
}

/// `POST /v1/sync/pull` answer (200).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// In cursor order.
    pub changes: Vec<ClinicChange>,
    /// The cursor to send next time (unchanged when `changes` is empty).
    pub next_cursor: i64,
    /// More changes wait after `next_cursor`: pull again.
    pub has_more: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mutation_results_are_flat_objects_tagged_by_result() {
        let results = vec![
            MutationResult {
                seq: 1,
                outcome: MutationOutcome::Applied,
            },
            MutationResult {
                seq: 2,
                outcome: MutationOutcome::Rejected {
                    reason: "no current consent for notes".into(),
                },
            },
        ];
        assert_eq!(
            serde_json::to_value(&results).unwrap(),
            json!([
                {"seq": 1, "result": "applied"},
                {"seq": 2, "result": "rejected", "reason": "no current consent for notes"}
            ])
        );
    }

    #[test]
    fn push_request_with_an_unknown_field_is_refused() {
        let body = json!({"device_id": "d", "mutations": [], "extra": 1});
        assert!(serde_json::from_value::<PushRequest>(body).is_err());
    }

    #[test]
    fn mutation_parses_with_category_and_operation_names() {
        let m: Mutation = serde_json::from_value(json!({
            "seq": 3, "record_type": "craving", "record_id": "r1", "operation": "delete",
            "category": "cravings", "created_at_ms": 5
        }))
        .unwrap();
        assert_eq!(m.operation, Operation::Delete);
        assert_eq!(m.category, ConsentCategory::Cravings);
        assert_eq!(m.payload, Value::Null);
    }

    #[test]
    fn responses_tolerate_fields_added_later() {
        let body = json!({"changes": [], "next_cursor": 4, "has_more": false, "new": true});
        assert!(serde_json::from_value::<PullResponse>(body).is_ok());
    }

    #[test]
    fn change_kind_names_round_trip() {
        for kind in [
            ChangeKind::SessionSeries,
            ChangeKind::MedicationPlan,
            ChangeKind::Questionnaire,
            ChangeKind::Message,
        ] {
            let wire = serde_json::to_value(kind).unwrap();
            assert_eq!(wire, json!(kind.as_str()));
            assert_eq!(ChangeKind::parse(kind.as_str()), Some(kind));
        }
    }
}
