//! steady-ffi: the only UniFFI surface of Steady. Thin wrappers over
//! `steady-core`; records and enums come from the core (derived behind its
//! `uniffi` feature), so nothing here re-declares a domain type.
//!
//! Every exported call returns `Result<_, SteadyError>`; UniFFI catches any
//! panic and surfaces it as an exception, and the core avoids panicking on
//! input at all.

uniffi::setup_scaffolding!("steady_ffi");

mod app;
mod attendance;
mod checkins;
mod clock;
mod coping;
mod cravings;
mod error;
mod lapses;
mod messages;
mod progress;
mod reminders;
mod schedule;
mod sync;

pub use app::Steady;
pub use clock::PhoneClock;
pub use error::SteadyError;
pub use reminders::diff_reminders;
pub use sync::{HttpTransport, TransportError};
