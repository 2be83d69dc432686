//! The `Steady` object the shells hold for the app's lifetime.

use crate::clock::{ForeignClock, PhoneClock};
use crate::SteadyError;
use std::sync::Arc;

#[derive(uniffi::Object)]
pub struct Steady {
    pub(crate) core: steady_core::Steady,
}

#[uniffi::export]
impl Steady {
    /// Opens (or creates) the encrypted database at `path` with the 32-byte
    /// key from the Keystore/Keychain.
    #[uniffi::constructor]
    pub fn open(
        path: String,
        key: Vec<u8>,
        clock: Arc<dyn PhoneClock>,
    ) -> Result<Arc<Self>, SteadyError> {
        let core = steady_core::Steady::open(path, &key, Arc::new(ForeignClock(clock)))?;
        Ok(Arc::new(Steady { core }))
    }

    /// Closes the database; later calls fail with `Closed`. (Not `close`:
    /// Kotlin objects already have `close()` from `AutoCloseable`, which only
    /// releases this handle.)
    pub fn close_database(&self) {
        self.core.close();
    }
}

/// The schema version this library writes.
#[uniffi::export]
pub fn schema_version() -> i64 {
    steady_core::SCHEMA_VERSION
}

/// Sets a database that cannot be opened (`DatabaseDamaged`,
/// `NotSteadyDatabase`) aside, with the patient's agreement, so a new one can
/// start at `path`: the file and its `-wal`/`-shm` are renamed to
/// `<path>.damaged-<UTC time>`, never changed or deleted. Returns the new
/// path. `now_ms` is the phone's clock.
#[uniffi::export]
pub fn set_aside_database(path: String, now_ms: i64) -> Result<String, SteadyError> {
    let now = chrono::DateTime::from_timestamp_millis(now_ms).unwrap_or_default();
    let aside = steady_core::set_aside_database(std::path::Path::new(&path), now)?;
    Ok(aside.to_string_lossy().into_owned())
}
