//! Steady's core: every rule of the app lives here — craving logs, schedules and
//! reminders, check-ins, progress, encrypted storage and sync. The phone shells and
//! the `steady` CLI only render what this crate computes.
//!
//! Time never comes from the system inside this crate: it enters through a
//! [`Clock`] the shell supplies, so every rule is deterministic under test.

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("steady_core");

mod app;
mod clock;
pub mod consent;
pub mod craving;
mod error;
mod ids;
mod outbox;
mod storage;
pub mod sync;
#[cfg(test)]
mod test_support;
mod validate;

pub use app::Steady;
pub use clock::{Clock, FixedClock};
pub use consent::{Consent, ConsentCategory, ConsentGrant, ConsentState, ConsentStatus};
pub use craving::{Craving, NewCraving};
pub use error::{Error, Result};
pub use outbox::OutboxEntry;
pub use storage::SCHEMA_VERSION;
pub use sync::{
    ClinicRecord, EnrollmentInfo, HttpHeader, HttpRequest, HttpResponse, SyncRejection, SyncReport,
    Transport, TransportError,
};

/// Length in bytes of the database key the shell supplies (SQLCipher raw key).
pub const KEY_LEN: usize = 32;
