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

/// The record types the core queues for the clinic, each knowing its
/// consent category: declared once, by the wire crate.
pub use steady_protocol::RecordType;

/// The record type of a name the core wrote; anything else is a bug caught
/// at write time (a record is never shared, or withheld, by accident).
pub(crate) fn record_type(name: &str) -> Result<RecordType> {
    RecordType::parse(name)
        .ok_or_else(|| Error::Corrupt(format!("record type {name:?} has no consent category")))
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
    fn record_types_round_trip_and_unknown_names_fail_loudly() {
        for t in RecordType::ALL {
            assert_eq!(record_type(t.as_str()).unwrap(), t);
        }
        for name in [
            "checkin",
            "session_attendance",
            "dose_confirmation",
            "note",
            "",
        ] {
            assert!(record_type(name).is_err(), "{name}");
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
