//! The patient's records as the export mappings read them: each record kind
//! (the sync record types, plus the phone-only plans) with its JSON object in
//! the shape the clinic receives it. The phone builds the set from its tables
//! ([`from_dump`]); the clinic server builds it from what was synced to it. A
//! new record kind is one more name here and one mapping in fhir/ and csv.rs.

use super::dump::{Dump, Row};
use serde_json::Value;
use std::collections::BTreeMap;

pub const CRAVING: &str = "craving";
pub const LAPSE: &str = "lapse";
pub const DAILY_CHECKIN: &str = "daily_checkin";
pub const QUESTIONNAIRE_RESPONSE: &str = "questionnaire_response";
pub const ATTENDANCE: &str = "attendance";
pub const DOSE: &str = "dose";
pub const CONSENT: &str = "consent";
pub const MEDICATION: &str = "medication";
pub const SESSION_SERIES: &str = "session_series";
pub const COPING_PLAN_ENTRY: &str = "coping_plan_entry";
/// A urine drug screen recorded by the clinic (server side; see docs/export.md
/// for the fields the mapping reads).
pub const DRUG_SCREEN: &str = "drug_screen";

/// Table → record kind, and the column whose non-null value hides a row
/// (a tombstone or a removed entry).
const TABLES: &[(&str, &str, Option<&str>)] = &[
    ("craving", CRAVING, Some("deleted_at_ms")),
    ("lapse", LAPSE, Some("deleted_at_ms")),
    ("daily_checkin", DAILY_CHECKIN, None),
    ("questionnaire_response", QUESTIONNAIRE_RESPONSE, None),
    ("attendance", ATTENDANCE, None),
    ("dose_confirmation", DOSE, None),
    ("consent", CONSENT, None),
    ("medication", MEDICATION, Some("deleted_at_ms")),
    ("session_series", SESSION_SERIES, Some("deleted_at_ms")),
    (
        "coping_plan_entry",
        COPING_PLAN_ENTRY,
        Some("removed_at_ms"),
    ),
];

/// Columns stored as JSON text: read back as the arrays and objects they are.
const JSON_COLUMNS: &[&str] = &[
    "triggers",
    "emotions",
    "substances",
    "coping_tried",
    "answers",
    "band",
    "times",
    "weekdays",
    "recurrence",
    "changes",
];

/// Records by kind, each list in the order it was given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordSet {
    kinds: BTreeMap<String, Vec<Value>>,
}

impl RecordSet {
    pub fn new() -> Self {
        RecordSet::default()
    }

    pub fn push(&mut self, kind: &str, record: Value) {
        self.kinds.entry(kind.to_string()).or_default().push(record);
    }

    pub fn of(&self, kind: &str) -> &[Value] {
        self.kinds.get(kind).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The phone's live records (tombstones and removed entries left out).
pub(crate) fn from_dump(dump: &Dump) -> RecordSet {
    let mut set = RecordSet::new();
    for (table, kind, hidden_by) in TABLES {
        for row in dump.rows(table) {
            if hidden_by.is_some_and(|column| !row.get(column).is_none_or(Value::is_null)) {
                continue;
            }
            set.push(kind, decoded(row));
        }
    }
    set
}

fn decoded(row: &Row) -> Value {
    let mut row = row.clone();
    for column in JSON_COLUMNS {
        if let Some(Value::String(text)) = row.get(*column) {
            if let Ok(parsed) = serde_json::from_str::<Value>(text) {
                row.insert(column.to_string(), parsed);
            }
        }
    }
    Value::Object(row)
}
