//! What a consent covers: the categories a patient shares, or not, one by one.
//! Declared once, by the wire crate (`steady_protocol::ConsentCategory`, with
//! its wire names and the information each discloses); the mirror below only
//! tells UniFFI its variants (a remote type: the compiler checks it against
//! the real enum). Here: parsing with the core's error, and the category of a
//! record type the core writes.

use crate::{Error, Result};
pub use steady_protocol::ConsentCategory;

#[cfg(feature = "uniffi")]
#[uniffi::remote(Enum)]
pub enum ConsentCategory {
    Attendance,
    Medication,
    Cravings,
    Checkins,
    Lapses,
    Notes,
    Messages,
}

/// Parses a category name (any case, surrounding spaces ignored); `field`
/// names the input for the error.
pub fn parse(field: &str, name: &str) -> Result<ConsentCategory> {
    ConsentCategory::parse(&name.trim().to_ascii_lowercase()).ok_or_else(|| {
        Error::invalid(
            field,
            format!(
                "unknown category {name:?}; one of attendance, medication, cravings, \
                 checkins, lapses, notes, messages"
            ),
        )
    })
}

/// The category of a record type the core writes to the outbox
/// ([`crate::vocabulary::RecordType`]). A shareable write whose type is not
/// declared there fails loudly instead of being shared (or withheld) by
/// accident.
pub(crate) fn of_record_type(record_type: &str) -> Result<ConsentCategory> {
    Ok(crate::vocabulary::record_type(record_type)?.category())
}
