//! Craving logging through the FFI: the quick log, details, amendments with
//! their history, and the safety response.

use crate::{Steady, SteadyError};
use steady_core::{BuiltInTag, Craving, CravingAmendment, CravingLogged, Instant, NewCraving};

#[uniffi::export]
impl Steady {
    /// Logs a craving; only `intensity` is required.
    pub fn log_craving(&self, input: NewCraving) -> Result<Craving, SteadyError> {
        Ok(self.core.log_craving(input)?)
    }

    /// Logs a craving and returns the safety response with it: the crisis
    /// card when marked unsafe, coping strategies when strong.
    pub fn log_craving_with_support(
        &self,
        input: NewCraving,
    ) -> Result<CravingLogged, SteadyError> {
        Ok(self.core.log_craving_with_support(input)?)
    }

    /// Adds or changes details later; the earlier revision is kept.
    pub fn amend_craving(
        &self,
        id: String,
        change: CravingAmendment,
    ) -> Result<CravingLogged, SteadyError> {
        Ok(self.core.amend_craving(&id, change)?)
    }

    /// Every revision of a craving, oldest first; the last is current.
    pub fn craving_history(&self, id: String) -> Result<Vec<Craving>, SteadyError> {
        Ok(self.core.craving_history(&id)?)
    }

    /// Cravings in `[from, to)`, newest first.
    pub fn list_cravings(&self, from: Instant, to: Instant) -> Result<Vec<Craving>, SteadyError> {
        Ok(self.core.list_cravings(from.as_millis(), to.as_millis())?)
    }

    /// Deletes a craving (kept as a tombstone for sync).
    pub fn delete_craving(&self, id: String) -> Result<(), SteadyError> {
        Ok(self.core.delete_craving(&id)?)
    }
}

/// The built-in triggers a shell offers as one-tap choices.
#[uniffi::export]
pub fn built_in_triggers() -> Vec<BuiltInTag> {
    steady_core::craving::built_in_triggers()
}
