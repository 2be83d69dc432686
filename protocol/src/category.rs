//! The categories a patient consents to share, one consent per category.

use serde::{Deserialize, Serialize};

/// What kind of information a mutation discloses. Consent is granted and
/// revoked per category (42 CFR Part 2 asks for specific information).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
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

impl Category {
    /// Every category, in a fixed order.
    pub const ALL: [Category; 7] = [
        Category::Attendance,
        Category::Medication,
        Category::Cravings,
        Category::Checkins,
        Category::Lapses,
        Category::Notes,
        Category::Messages,
    ];

    /// The wire name (`"attendance"`, `"checkins"`...).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Attendance => "attendance",
            Category::Medication => "medication",
            Category::Cravings => "cravings",
            Category::Checkins => "checkins",
            Category::Lapses => "lapses",
            Category::Notes => "notes",
            Category::Messages => "messages",
        }
    }

    /// Parses a wire name; `None` for anything else.
    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
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

impl std::fmt::Display for Category {
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
