//! What a consent covers: the categories a patient shares, or not, one by one.

use crate::{Error, Result};
use serde::Serialize;
use steady_protocol::Category;

/// What a consent covers. Every shareable record belongs to exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ConsentCategory {
    /// Session attendance (attended, late, missed, excused).
    Attendance,
    /// Medication doses taken or skipped.
    Medication,
    /// Craving logs.
    Cravings,
    /// Daily check-ins and questionnaire answers (PHQ-9, GAD-7, clinic measures).
    Checkins,
    /// Lapses.
    Lapses,
    /// Free-text notes, inside any record or on their own.
    Notes,
    /// Messages to the care team, and which of the team's messages were read.
    Messages,
}

impl ConsentCategory {
    pub const ALL: [ConsentCategory; 7] = [
        ConsentCategory::Attendance,
        ConsentCategory::Medication,
        ConsentCategory::Cravings,
        ConsentCategory::Checkins,
        ConsentCategory::Lapses,
        ConsentCategory::Notes,
        ConsentCategory::Messages,
    ];

    /// The wire name, as `steady-protocol` defines it.
    pub fn as_str(self) -> &'static str {
        self.to_wire().as_str()
    }

    /// Parses a category name; `field` names the input for the error.
    pub fn parse(field: &str, name: &str) -> Result<Self> {
        ConsentCategory::ALL
            .into_iter()
            .find(|c| c.as_str() == name.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                Error::invalid(
                    field,
                    format!(
                        "unknown category {name:?}; one of attendance, medication, cravings, \
                         checkins, lapses, notes, messages"
                    ),
                )
            })
    }

    /// The specific information disclosed, as the consent form states it.
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
}

impl ConsentCategory {
    /// The category of a record type the core writes to the outbox
    /// ([`crate::vocabulary::RecordType`]). A shareable write whose type is
    /// not declared there fails loudly instead of being shared (or withheld)
    /// by accident.
    pub(crate) fn of_record_type(record_type: &str) -> Result<ConsentCategory> {
        Ok(crate::vocabulary::record_type(record_type)?
            .category()
            .into())
    }

    pub(crate) fn to_wire(self) -> Category {
        match self {
            ConsentCategory::Attendance => Category::Attendance,
            ConsentCategory::Medication => Category::Medication,
            ConsentCategory::Cravings => Category::Cravings,
            ConsentCategory::Checkins => Category::Checkins,
            ConsentCategory::Lapses => Category::Lapses,
            ConsentCategory::Notes => Category::Notes,
            ConsentCategory::Messages => Category::Messages,
        }
    }
}
