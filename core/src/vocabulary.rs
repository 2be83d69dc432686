//! One definition per word. The shareable record types the core writes, each
//! knowing its consent category as a typed value. The wire crate
//! (`steady-protocol`) declares weekdays, session kinds, consent categories
//! and record types; the core re-exports them (with UniFFI mirrors).

pub(crate) mod consent_category;
mod week;

pub(crate) use consent_category::of_record_type;
pub use consent_category::{parse as parse_consent_category, ConsentCategory};
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
    fn consent_categories_parse_their_wire_names_in_any_case() {
        for category in ConsentCategory::ALL {
            let name = serde_json::to_value(category).unwrap();
            assert_eq!(category.as_str(), name.as_str().unwrap());
            let shouted = format!(" {} ", category.as_str().to_ascii_uppercase());
            assert_eq!(consent_category::parse("c", &shouted).unwrap(), category);
        }
        assert!(consent_category::parse("c", "everything").is_err());
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
