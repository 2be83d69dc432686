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
    fn session_kind_names_are_their_wire_names() {
        for kind in [SessionKind::Group, SessionKind::MedicationManagement] {
            let name = serde_json::to_value(kind).unwrap();
            assert_eq!(kind.as_str(), name.as_str().unwrap());
            assert_eq!(SessionKind::parse(kind.as_str()), Some(kind));
        }
    }
}
