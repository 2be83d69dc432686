//! Attendance and dose confirmations through the FFI (both queued for sync).

use crate::{Steady, SteadyError};
use steady_core::{AttendanceRecord, AttendanceStatus, DoseConfirmation, DoseStatus};

#[uniffi::export]
impl Steady {
    /// Records attendance for an occurrence id from `occurrences`.
    pub fn record_attendance(
        &self,
        occurrence_id: String,
        status: AttendanceStatus,
    ) -> Result<AttendanceRecord, SteadyError> {
        Ok(self.core.record_attendance(&occurrence_id, status)?)
    }

    /// Confirms a dose; `due_local` (`YYYY-MM-DDTHH:MM`) names it, else the
    /// latest dose due now.
    pub fn confirm_dose(
        &self,
        medication_id: String,
        status: DoseStatus,
        due_local: Option<String>,
    ) -> Result<DoseConfirmation, SteadyError> {
        Ok(self
            .core
            .confirm_dose(&medication_id, status, due_local.as_deref())?)
    }
}
