//! The Settings screen: notification text (discreet or detailed), lead times,
//! quiet hours, the check-in time and the program settings, with the labels
//! the choices show. Saving goes through `set_reminder_settings` and
//! `set_program_settings`, which check every field.

use super::{label, Label};
use crate::progress::ProgramSettings;
use crate::schedule::settings::ReminderSettings;
use crate::{Result, Steady};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum NotificationText {
    /// The default: reminders never name a session, a medication or Steady's
    /// purpose on the lock screen.
    Discreet,
    /// Opt-in: reminders name the session or medication.
    Detailed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NotificationTextChoice {
    pub value: NotificationText,
    pub label: Label,
    /// How a session reminder reads with this choice (title and body), made
    /// by the reminder planner's own wording.
    pub example_title: String,
    pub example_body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SettingsScreen {
    pub notification_text: NotificationText,
    pub notification_text_choices: Vec<NotificationTextChoice>,
    /// Minutes before each session, one reminder per entry.
    pub session_lead_minutes: Vec<u32>,
    pub dose_lead_minutes: u32,
    pub dose_followup_minutes: u32,
    /// `HH:MM` on the phone's clock, both or neither.
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
    /// Daily check-in prompt `HH:MM`; none = no prompt.
    pub checkin_time: Option<String>,
    /// The settings as stored, to edit and save back whole.
    pub reminders: ReminderSettings,
    pub program: ProgramSettings,
    pub tracked_substances: Vec<String>,
    pub strong_craving_threshold: u8,
}

impl Steady {
    /// Everything the Settings screen shows.
    pub fn settings_screen(&self) -> Result<SettingsScreen> {
        let reminders = self.reminder_settings()?;
        Ok(SettingsScreen {
            notification_text: if reminders.detailed_text {
                NotificationText::Detailed
            } else {
                NotificationText::Discreet
            },
            notification_text_choices: vec![
                NotificationTextChoice {
                    value: NotificationText::Discreet,
                    label: label("settings.notification_text.discreet", "Discreet"),
                    example_title: example(false).0,
                    example_body: example(false).1,
                },
                NotificationTextChoice {
                    value: NotificationText::Detailed,
                    label: label("settings.notification_text.detailed", "Detailed"),
                    example_title: example(true).0,
                    example_body: example(true).1,
                },
            ],
            session_lead_minutes: reminders.session_lead_minutes.clone(),
            dose_lead_minutes: reminders.dose_lead_minutes,
            dose_followup_minutes: reminders.dose_followup_minutes,
            quiet_start: reminders.quiet_start.clone(),
            quiet_end: reminders.quiet_end.clone(),
            checkin_time: reminders.checkin_time.clone(),
            reminders,
            program: self.program_settings()?,
            tracked_substances: self.tracked_substances()?,
            strong_craving_threshold: self.strong_craving_threshold()?,
        })
    }
}

fn example(detailed: bool) -> (String, String) {
    crate::reminders::text::session(detailed, "Group session", Some("Room 2"), 15, "18:00")
}
