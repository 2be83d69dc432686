//! Steady's core: every rule of the app lives here — craving logs, schedules and
//! reminders, check-ins, progress, encrypted storage and sync. The phone shells and
//! the `steady` CLI only render what this crate computes.
//!
//! Time never comes from the system inside this crate: it enters through a
//! [`Clock`] the shell supplies, so every rule is deterministic under test.

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("steady_core");

mod app;
pub mod attendance;
mod clock;
pub mod craving;
mod error;
mod ids;
mod outbox;
pub mod reminders;
pub mod schedule;
mod storage;
#[cfg(test)]
mod test_support;
mod validate;

pub use app::Steady;
pub use attendance::AttendanceRecord;
pub use clock::{Clock, FixedClock};
pub use craving::{Craving, NewCraving};
pub use error::{Error, Result};
pub use outbox::OutboxEntry;
pub use reminders::{diff_reminders, Reminder, ReminderDiff, ReminderKind};
pub use schedule::medication::{DoseConfirmation, DoseDue, DoseStatus, Medication, NewMedication};
pub use schedule::settings::ReminderSettings;
pub use schedule::store::ImportSummary;
pub use schedule::{
    AttendanceStatus, Frequency, OccurrenceChange, OccurrenceStatus, Recurrence, ScheduleSource,
    SessionKind, SessionOccurrence, SessionSeries, Weekday,
};
pub use storage::SCHEMA_VERSION;

/// Length in bytes of the database key the shell supplies (SQLCipher raw key).
pub const KEY_LEN: usize = 32;
