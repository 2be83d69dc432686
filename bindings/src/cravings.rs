//! Craving logging through the FFI.

use crate::{Steady, SteadyError};
use steady_core::{Craving, NewCraving};

#[uniffi::export]
impl Steady {
    /// Logs a craving; only `intensity` is required.
    pub fn log_craving(&self, input: NewCraving) -> Result<Craving, SteadyError> {
        Ok(self.core.log_craving(input)?)
    }

    /// Cravings in `[from_ms, to_ms)`, newest first.
    pub fn list_cravings(&self, from_ms: i64, to_ms: i64) -> Result<Vec<Craving>, SteadyError> {
        Ok(self.core.list_cravings(from_ms, to_ms)?)
    }

    /// Deletes a craving (kept as a tombstone for sync).
    pub fn delete_craving(&self, id: String) -> Result<(), SteadyError> {
        Ok(self.core.delete_craving(&id)?)
    }
}
