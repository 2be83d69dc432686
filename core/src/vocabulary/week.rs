//! Days of the week and kinds of session: the words a schedule is written in.
//! Declared once, by the wire crate (`steady_protocol::Weekday`,
//! `SessionKind`); the mirrors below only tell UniFFI their variants (remote
//! types: the compiler checks them against the real enums).

pub use steady_protocol::{SessionKind, Weekday};

#[cfg(feature = "uniffi")]
#[uniffi::remote(Enum)]
pub enum SessionKind {
    Group,
    Individual,
    Family,
    MedicationManagement,
    Other,
}

#[cfg(feature = "uniffi")]
#[uniffi::remote(Enum)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}
