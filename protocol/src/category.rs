//! The categories a patient consents to share, one consent per category.

use serde::{Deserialize, Serialize};

/// What kind of information a mutation discloses. Consent is granted and
/// revoked per category (42 CFR Part 2 asks for specific information).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentCategory {
    /// Session attendance.
    Attendance,
    /// Medication plans and dose confirmations.
    Medication,
    /// Craving logs.
    Cravings,
    /// Daily check-ins and questionnaire answers (PHQ-9, GAD-7, clinic measures).
    Checkins,
    /// Lapses (recorded use).
    Lapses,
    /// Free-text notes.
    Notes,
    /// Messages the patient writes to the care team, and which of the
    /// team's messages the patient has read.
    Messages,
}

impl ConsentCategory {
    /// Every category, in a fixed order.
    pub const ALL: [ConsentCategory; 7] = [
        ConsentCategory::Attendance,
        ConsentCategory::Medication,
        ConsentCategory::Cravings,
        ConsentCategory::Checkins,
        ConsentCategory::Lapses,
        ConsentCategory::Notes,
        ConsentCategory::Messages,
    ];

    /// The wire name (`"attendance"`, `"checkins"`...).
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentCategory::Attendance => "attendance",
            ConsentCategory::Medication => "medication",
            ConsentCategory::Cravings => "cravings",
            ConsentCategory::Checkins => "checkins",
            ConsentCategory::Lapses => "lapses",
            ConsentCategory::Notes => "notes",
            ConsentCategory::Messages => "messages",
        }
    }

    /// The specific information disclosed, as the patient's consent form
    /// states it (42 CFR §2.31(a)(3): what may be disclosed).
    pub fn information(self) -> &'static str {
        match self {
            ConsentCategory::Attendance => "whether I attended each scheduled session",
            ConsentCategory::Medication => "the medication doses I record as taken or skipped",
            ConsentCategory::Cravings => "my craving logs: intensity, time and details",
            ConsentCategory::Checkins => "my daily check-ins and questionnaire answers and scores",
            ConsentCategory::Lapses => "the lapses I record: when, what and what helped",
            ConsentCategory::Notes => "the free-text notes I write in any shared record",
            ConsentCategory::Messages => {
                "the messages I write to my care team and which of theirs I have read"
            }
        }
    }

    /// Parses a wire name; `None` for anything else.
    pub fn parse(name: &str) -> Option<ConsentCategory> {
        ConsentCategory::ALL
            .into_iter()
            .find(|c| c.as_str() == name)
    }
}

/// Names of the free-text fields the `notes` consent covers wherever they
/// appear inside another record's payload.
pub const NOTE_FIELDS: [&str; 2] = ["note", "notes"];

/// Removes every [`NOTE_FIELDS`] member from a payload, at any depth, and says
/// whether anything was removed.
pub fn strip_notes(value: &mut serde_json::Value) -> bool {
    let mut removed = false;
    match value {
        serde_json::Value::Object(map) => {
            for field in NOTE_FIELDS {
                removed |= map.remove(field).is_some();
            }
            for child in map.values_mut() {
                removed |= strip_notes(child);
            }
        }
        serde_json::Value::Array(items) => {
            for child in items {
                removed |= strip_notes(child);
            }
        }
        _ => {}
    }
    removed
}

impl std::fmt::Display for ConsentCategory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn notes_are_stripped_at_any_depth() {
        let mut payload =
            json!({"note": "a", "x": [{"notes": "b", "keep": 1}], "y": {"z": {"note": 2}}});
        assert!(strip_notes(&mut payload));
        assert_eq!(payload, json!({"x": [{"keep": 1}], "y": {"z": {}}}));
        assert!(!strip_notes(&mut payload));
    }
}
