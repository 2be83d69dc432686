//! Progress through the FFI: the Today screen, the full report and the
//! program settings it is measured against.

use crate::{Steady, SteadyError};
use steady_core::progress::ProgramSettings;
use steady_core::screens::Today;
use steady_core::{LocalDate, ProgressReport};

#[uniffi::export]
impl Steady {
    /// Everything the home screen shows, already decided.
    pub fn today(&self) -> Result<Today, SteadyError> {
        Ok(self.core.today()?)
    }

    /// Every progress figure from `since` (the program start when absent)
    /// to today.
    #[uniffi::method(default(since = None))]
    pub fn progress(&self, since: Option<LocalDate>) -> Result<ProgressReport, SteadyError> {
        Ok(self
            .core
            .progress(since.map(|d| d.to_string()).as_deref())?)
    }

    pub fn program_settings(&self) -> Result<ProgramSettings, SteadyError> {
        Ok(self.core.program_settings()?)
    }

    /// Replaces the program settings; invalid input names the field.
    pub fn set_program_settings(
        &self,
        settings: ProgramSettings,
    ) -> Result<ProgramSettings, SteadyError> {
        Ok(self.core.set_program_settings(settings)?)
    }
}
