//! One call per phone screen (core/src/screens), returning one record with
//! everything the screen shows, already decided. See
//! docs/adr/0001-screen-state-in-the-core.md.

use crate::{Steady, SteadyError};
use steady_core::screens::{
    CheckinsScreen, ClinicScreen, CravingForm, ProgressRange, ProgressScreen, ScheduleWeek,
    SettingsScreen, SyncState,
};
use steady_core::LocalDate;

#[uniffi::export]
impl Steady {
    /// The Log a craving form's options; log with `log_craving_with_support`.
    pub fn craving_form(&self) -> Result<CravingForm, SteadyError> {
        Ok(self.core.craving_form()?)
    }

    pub fn checkins_screen(&self) -> Result<CheckinsScreen, SteadyError> {
        Ok(self.core.checkins_screen()?)
    }

    /// The week holding `day` (this week when absent), Monday first.
    #[uniffi::method(default(day = None))]
    pub fn schedule_week(&self, day: Option<LocalDate>) -> Result<ScheduleWeek, SteadyError> {
        Ok(self.core.schedule_week(day)?)
    }

    pub fn progress_screen(&self, range: ProgressRange) -> Result<ProgressScreen, SteadyError> {
        Ok(self.core.progress_screen(range)?)
    }

    pub fn clinic_screen(&self) -> Result<ClinicScreen, SteadyError> {
        Ok(self.core.clinic_screen()?)
    }

    /// The patient has seen the clinic's messages (unread counts drop to 0).
    pub fn mark_clinic_messages_read(&self) -> Result<(), SteadyError> {
        Ok(self.core.mark_clinic_messages_read()?)
    }

    pub fn settings_screen(&self) -> Result<SettingsScreen, SteadyError> {
        Ok(self.core.settings_screen()?)
    }

    /// Whether a sync runs, the last success and error, what waits and why.
    pub fn sync_state(&self) -> Result<SyncState, SteadyError> {
        Ok(self.core.sync_state()?)
    }
}
