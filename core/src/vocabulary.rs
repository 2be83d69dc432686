//! One definition per word. The shareable record types the core writes, each
//! knowing its consent category as a typed value; and the conversions from
//! the wire crate (`steady-protocol`), which owns the wire form of weekdays,
//! session kinds and consent categories.

mod consent_category;
mod week;

pub use consent_category::ConsentCategory;
pub use week::{SessionKind, Weekday};

use crate::{Error, Result};

/// Highest craving intensity on Steady's 0–10 scale: craving logs, the daily
/// check-in's strongest craving and the coping plan's strong-craving threshold.
pub const MAX_INTENSITY: u8 = 10;

/// Every record type the core queues for the clinic. Adding a shareable
/// record means adding a variant here, and the compiler then asks for its
/// consent category.
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

    /// The name in the outbox and on the wire.
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

    /// The consent category that decides whether it may leave the phone.
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

    /// A name the core writes; anything else is a bug caught at write time
    /// (a record is never shared, or withheld, by accident).
    pub(crate) fn parse(name: &str) -> Result<RecordType> {
        RecordType::ALL
            .into_iter()
            .find(|t| t.as_str() == name)
            .ok_or_else(|| Error::Corrupt(format!("record type {name:?} has no consent category")))
    }
}

impl From<steady_protocol::Weekday> for Weekday {
    fn from(day: steady_protocol::Weekday) -> Weekday {
        use steady_protocol::Weekday as W;
        match day {
            W::Mon => Weekday::Mon,
            W::Tue => Weekday::Tue,
            W::Wed => Weekday::Wed,
            W::Thu => Weekday::Thu,
            W::Fri => Weekday::Fri,
            W::Sat => Weekday::Sat,
            W::Sun => Weekday::Sun,
        }
    }
}

impl From<steady_protocol::SessionKind> for SessionKind {
    fn from(kind: steady_protocol::SessionKind) -> SessionKind {
        use steady_protocol::SessionKind as K;
        match kind {
            K::Group => SessionKind::Group,
            K::Individual => SessionKind::Individual,
            K::Family => SessionKind::Family,
            K::MedicationManagement => SessionKind::MedicationManagement,
            K::Other => SessionKind::Other,
        }
    }
}

impl From<steady_protocol::Category> for ConsentCategory {
    fn from(category: steady_protocol::Category) -> ConsentCategory {
        use steady_protocol::Category as C;
        match category {
            C::Attendance => ConsentCategory::Attendance,
            C::Medication => ConsentCategory::Medication,
            C::Cravings => ConsentCategory::Cravings,
            C::Checkins => ConsentCategory::Checkins,
            C::Lapses => ConsentCategory::Lapses,
            C::Notes => ConsentCategory::Notes,
            C::Messages => ConsentCategory::Messages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_type_is_filed_alike_by_the_clinic() {
        for t in RecordType::ALL {
            let wire = steady_protocol::Category::of_record_type(t.as_str());
            assert_eq!(wire.map(ConsentCategory::from), Some(t.category()), "{t:?}");
        }
    }

    #[test]
    fn record_types_round_trip_and_unknown_names_fail_loudly() {
        for t in RecordType::ALL {
            assert_eq!(RecordType::parse(t.as_str()).unwrap(), t);
        }
        for name in [
            "checkin",
            "session_attendance",
            "dose_confirmation",
            "note",
            "",
        ] {
            assert!(RecordType::parse(name).is_err(), "{name}");
        }
    }

    #[test]
    fn consent_category_names_are_the_wire_names() {
        for wire in steady_protocol::Category::ALL {
            let core = ConsentCategory::from(wire);
            assert_eq!(core.as_str(), wire.as_str());
            assert_eq!(core.to_wire(), wire);
        }
    }

    #[test]
    fn weekdays_and_session_kinds_convert_from_the_wire_by_name() {
        for wire in [steady_protocol::Weekday::Mon, steady_protocol::Weekday::Sun] {
            let name = serde_json::to_value(wire).unwrap();
            assert_eq!(serde_json::to_value(Weekday::from(wire)).unwrap(), name);
        }
        let wire = steady_protocol::SessionKind::MedicationManagement;
        assert_eq!(
            SessionKind::from(wire).as_str(),
            serde_json::to_value(wire).unwrap().as_str().unwrap()
        );
    }
}
