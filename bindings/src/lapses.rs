//! Lapses and tracked substances through the FFI.

use crate::{Steady, SteadyError};
use steady_core::{Instant, Lapse, LapseLogged, NewLapse};

#[uniffi::export]
impl Steady {
    /// Records a lapse; the crisis card comes back when marked unsafe.
    pub fn log_lapse(&self, input: NewLapse) -> Result<LapseLogged, SteadyError> {
        Ok(self.core.log_lapse(input)?)
    }

    /// Lapses in `[from, to)`, newest first.
    pub fn list_lapses(&self, from: Instant, to: Instant) -> Result<Vec<Lapse>, SteadyError> {
        Ok(self.core.list_lapses(from.as_millis(), to.as_millis())?)
    }

    /// Deletes a lapse entered by mistake (kept as a tombstone for sync).
    pub fn delete_lapse(&self, id: String) -> Result<(), SteadyError> {
        Ok(self.core.delete_lapse(&id)?)
    }

    /// Replaces the substances the program tracks.
    pub fn set_tracked_substances(
        &self,
        substances: Vec<String>,
    ) -> Result<Vec<String>, SteadyError> {
        Ok(self.core.set_tracked_substances(substances)?)
    }

    pub fn tracked_substances(&self) -> Result<Vec<String>, SteadyError> {
        Ok(self.core.tracked_substances()?)
    }
}
