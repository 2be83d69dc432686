//! steady-ffi: the only UniFFI surface of Steady. Thin wrappers over
//! `steady-core`; records and enums come from the core (derived behind its
//! `uniffi` feature), so nothing here re-declares a domain type.
//!
//! Every exported call returns `Result<_, SteadyError>`; UniFFI catches any
//! panic and surfaces it as an exception, and the core avoids panicking on
//! input at all.

uniffi::setup_scaffolding!("steady_ffi");

// The consent categories are the wire crate's enum, mirrored for UniFFI in
// the core (a remote type); calls here take them, so they borrow the core's
// converters.
use steady_core::ConsentCategory;
uniffi::use_remote_type!(steady_core::ConsentCategory);

mod app;
mod attendance;
mod changes;
mod checkins;
mod clock;
mod coping;
mod cravings;
mod error;
mod export;
mod lapses;
mod messages;
mod progress;
mod reminders;
mod schedule;
mod screens;
mod sync;
mod sync_steps;

pub use app::{set_aside_database, Steady};
pub use changes::{ChangeListener, ListenerError, ListenerHandle};
pub use clock::PhoneClock;
pub use coping::crisis_card_without_database;
pub use error::SteadyError;
pub use reminders::{diff_reminders, reload_time_zone_rules, time_zone_rules};
pub use sync::{HttpTransport, TransportError};
pub use sync_steps::{EnrollmentSession, SyncSession};
