//! The schedule through the FFI: calendar import, session series, occurrences
//! for a range of local dates, medication plans, doses due and reminder
//! settings. Local dates are `YYYY-MM-DD` strings in the phone's zone.

use crate::{Steady, SteadyError};
use steady_core::{
    DoseDue, ImportSummary, LocalDate, Medication, NewMedication, ReminderSettings,
    SessionOccurrence, SessionSeries,
};

#[uniffi::export]
impl Steady {
    /// Imports a clinic calendar (.ics text) in one transaction; a bad file
    /// changes nothing and the error's `field` names its line and property.
    pub fn import_calendar(&self, ics: String) -> Result<ImportSummary, SteadyError> {
        Ok(self.core.import_calendar(&ics)?)
    }

    /// Adds or replaces a session series or one-off session.
    pub fn save_session_series(&self, series: SessionSeries) -> Result<SessionSeries, SteadyError> {
        Ok(self.core.save_session_series(series)?)
    }

    pub fn session_series(&self) -> Result<Vec<SessionSeries>, SteadyError> {
        Ok(self.core.session_series()?)
    }

    pub fn delete_session_series(&self, id: String) -> Result<(), SteadyError> {
        Ok(self.core.delete_session_series(&id)?)
    }

    /// Session occurrences on the local dates `[from_date, to_date]`.
    pub fn occurrences(
        &self,
        from_date: LocalDate,
        to_date: LocalDate,
    ) -> Result<Vec<SessionOccurrence>, SteadyError> {
        Ok(self.core.occurrences(from_date.date(), to_date.date())?)
    }

    pub fn add_medication(&self, input: NewMedication) -> Result<Medication, SteadyError> {
        Ok(self.core.add_medication(input)?)
    }

    pub fn medications(&self) -> Result<Vec<Medication>, SteadyError> {
        Ok(self.core.medications()?)
    }

    pub fn remove_medication(&self, id: String) -> Result<(), SteadyError> {
        Ok(self.core.remove_medication(&id)?)
    }

    /// Doses due on the local dates `[from_date, to_date]`, with answers.
    pub fn doses_due(
        &self,
        from_date: LocalDate,
        to_date: LocalDate,
    ) -> Result<Vec<DoseDue>, SteadyError> {
        Ok(self.core.doses_due(from_date.date(), to_date.date())?)
    }

    pub fn reminder_settings(&self) -> Result<ReminderSettings, SteadyError> {
        Ok(self.core.reminder_settings()?)
    }

    pub fn set_reminder_settings(
        &self,
        settings: ReminderSettings,
    ) -> Result<ReminderSettings, SteadyError> {
        Ok(self.core.set_reminder_settings(settings)?)
    }
}
