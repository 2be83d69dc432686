//! The record types a phone shares, each with the consent category that
//! covers it. One enum for both sides: the phone files each outbox row under
//! its category, and the server derives a pushed record's category from its
//! type instead of believing the label the mutation carries.

use crate::ConsentCategory;

/// Every record type a phone pushes. Adding a shareable record means adding
/// a variant here, and the compiler then asks for its category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordType {
    Craving,
    Lapse,
    Attendance,
    Dose,
    DailyCheckin,
    QuestionnaireResponse,
    /// A message the patient sends the care team.
    Message,
    /// That the patient read a message from the care team.
    MessageRead,
}

impl RecordType {
    pub const ALL: [RecordType; 8] = [
        RecordType::Craving,
        RecordType::Lapse,
        RecordType::Attendance,
        RecordType::Dose,
        RecordType::DailyCheckin,
        RecordType::QuestionnaireResponse,
        RecordType::Message,
        RecordType::MessageRead,
    ];

    /// The name in a mutation's `record_type` (and in the phone's outbox).
    pub const fn as_str(self) -> &'static str {
        match self {
            RecordType::Craving => "craving",
            RecordType::Lapse => "lapse",
            RecordType::Attendance => "attendance",
            RecordType::Dose => "dose",
            RecordType::DailyCheckin => "daily_checkin",
            RecordType::QuestionnaireResponse => "questionnaire_response",
            RecordType::Message => "message",
            RecordType::MessageRead => "message_read",
        }
    }

    /// The record type of a wire name; `None` for a type no phone shares.
    pub fn parse(name: &str) -> Option<RecordType> {
        RecordType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// The category whose consent decides whether it may leave the phone.
    pub const fn category(self) -> ConsentCategory {
        match self {
            RecordType::Craving => ConsentCategory::Cravings,
            RecordType::Lapse => ConsentCategory::Lapses,
            RecordType::Attendance => ConsentCategory::Attendance,
            RecordType::Dose => ConsentCategory::Medication,
            RecordType::DailyCheckin | RecordType::QuestionnaireResponse => {
                ConsentCategory::Checkins
            }
            RecordType::Message | RecordType::MessageRead => ConsentCategory::Messages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_types_round_trip_by_name_and_know_their_category() {
        for t in RecordType::ALL {
            assert_eq!(RecordType::parse(t.as_str()), Some(t));
        }
        assert_eq!(RecordType::Lapse.category(), ConsentCategory::Lapses);
        assert_eq!(
            RecordType::MessageRead.category(),
            ConsentCategory::Messages
        );
        assert_eq!(
            RecordType::QuestionnaireResponse.category(),
            ConsentCategory::Checkins
        );
    }

    #[test]
    fn names_no_phone_writes_are_no_record_type() {
        // The five names the old string table held that nothing wrote.
        for name in [
            "craving_revision",
            "session_attendance",
            "dose_confirmation",
            "checkin",
            "note",
            "consent",
            "mystery",
            "",
        ] {
            assert_eq!(RecordType::parse(name), None, "{name}");
        }
    }
}
