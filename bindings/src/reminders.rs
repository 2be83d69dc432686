//! Reminder planning through the FFI. The shell plans on launch, in
//! background refresh, after sync and after a time or zone change, then
//! applies `diff_reminders` to what it holds: cancel first, then add.

use crate::{Steady, SteadyError};
use steady_core::{
    Instant, Reminder, ReminderDelivery, ReminderDiff, ReminderFiring, ReminderSettings,
};

#[uniffi::export]
impl Steady {
    /// The reminders the phone should hold now, with the stored settings.
    pub fn plan_reminders(&self) -> Result<Vec<Reminder>, SteadyError> {
        Ok(self.core.plan_reminders()?)
    }

    /// The reminders the phone should hold now, with these settings.
    pub fn plan_reminders_with(
        &self,
        settings: ReminderSettings,
    ) -> Result<Vec<Reminder>, SteadyError> {
        Ok(self.core.plan_reminders_with(settings)?)
    }

    /// Snoozes a reminder for `minutes` (1–720); returns it at its new time.
    pub fn snooze_reminder(&self, id: String, minutes: u32) -> Result<Reminder, SteadyError> {
        Ok(self.core.snooze_reminder(&id, minutes)?)
    }

    /// Records that the reminder `reminder_id` planned for `planned_at` was
    /// delivered at `fired_at` (`None`: now, from the alarm receiver; iOS
    /// passes the delivery date it reports for delivered notifications), so
    /// lateness is measured the same way on every phone.
    pub fn record_reminder_fired(
        &self,
        reminder_id: String,
        planned_at: Instant,
        fired_at: Option<Instant>,
    ) -> Result<ReminderFiring, SteadyError> {
        Ok(self
            .core
            .record_reminder_fired(&reminder_id, planned_at, fired_at)?)
    }

    /// How reminders fired over the last week: `late_recently` tells the
    /// shell to show the late-reminder guidance.
    pub fn reminder_delivery(&self) -> Result<ReminderDelivery, SteadyError> {
        Ok(self.core.reminder_delivery()?)
    }
}

/// What to cancel and add to turn the `held` reminders into `planned`.
#[uniffi::export]
pub fn diff_reminders(held: Vec<Reminder>, planned: Vec<Reminder>) -> ReminderDiff {
    steady_core::diff_reminders(&held, &planned)
}

/// Where the zone rules in use come from (the platform's tz database) and its
/// release, for the About screen and support.
#[uniffi::export]
pub fn time_zone_rules() -> steady_core::TimeZoneRules {
    steady_core::zone::rules()
}

/// Reads the zone rules again from the platform's tz database. The shells
/// call it when the platform says the zone, the clock or the app changed
/// (Android's `ACTION_TIMEZONE_CHANGED`, `ACTION_MY_PACKAGE_REPLACED`, boot;
/// iOS's significant time change), before they re-plan reminders, so a tz
/// data update that moved a zone's clocks moves the reminders with it.
#[uniffi::export]
pub fn reload_time_zone_rules() -> steady_core::TimeZoneRules {
    steady_core::zone::reload()
}
