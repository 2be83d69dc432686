//! Messages with the care team and the clinic's own records through the
//! FFI: what the phone's Messages and "From your clinic" screens call.

use crate::{Steady, SteadyError};
use steady_core::{ClinicAttendanceRecord, DrugScreenRelease, MessageSent, ThreadMessage};

#[uniffi::export]
impl Steady {
    /// The thread with the care team, oldest first.
    pub fn messages(&self) -> Result<Vec<ThreadMessage>, SteadyError> {
        Ok(self.core.messages()?)
    }

    /// Team messages not opened yet (for a badge).
    pub fn unread_messages(&self) -> Result<u32, SteadyError> {
        Ok(self.core.unread_messages()?)
    }

    /// Marks a team message read; the receipt goes with the next sync.
    pub fn mark_message_read(&self, message_id: String) -> Result<ThreadMessage, SteadyError> {
        Ok(self.core.mark_message_read(&message_id)?)
    }

    /// Writes to the care team; `notice` says messaging is not for emergencies.
    pub fn send_message(
        &self,
        body: String,
        in_reply_to: Option<String>,
    ) -> Result<MessageSent, SteadyError> {
        Ok(self.core.send_message(body, in_reply_to)?)
    }

    /// The notice the compose screen shows (crisis lines included).
    pub fn messaging_notice(&self) -> String {
        steady_core::messages::messaging_notice()
    }

    /// Attendance the clinic recorded: the verified record.
    pub fn clinic_attendance(&self) -> Result<Vec<ClinicAttendanceRecord>, SteadyError> {
        Ok(self.core.clinic_attendance()?)
    }

    /// Drug screens the clinician released to the patient.
    pub fn drug_screens(&self) -> Result<Vec<DrugScreenRelease>, SteadyError> {
        Ok(self.core.drug_screens()?)
    }
}
