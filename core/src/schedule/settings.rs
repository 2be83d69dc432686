//! The patient's reminder settings: horizon and cap, lead times, the daily
//! check-in prompt, quiet hours and the detailed-text opt-in. Device-local
//! (never synced): they describe this phone's notifications.

use super::local_time::parse_time;
use crate::{Error, Result, Steady};
use chrono::NaiveTime;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// iOS keeps at most 64 pending local notifications.
pub const MAX_CAP: u32 = 64;
const MAX_HORIZON_DAYS: u32 = 31;
const MAX_LEAD_MIN: u32 = 7 * 24 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReminderSettings {
    /// How far ahead to plan, in days.
    pub horizon_days: u32,
    /// Most reminders the phone holds at once (at most 64).
    pub cap: u32,
    /// Minutes before each session to remind, one reminder per entry.
    pub session_lead_minutes: Vec<u32>,
    /// Minutes before a dose time to remind (0 = at dose time).
    pub dose_lead_minutes: u32,
    /// A dose not confirmed this many minutes after its time gets one
    /// follow-up; 0 turns follow-ups off.
    pub dose_followup_minutes: u32,
    /// Daily check-in prompt `HH:MM` on the phone's clock; none = no prompt.
    pub checkin_time: Option<String>,
    /// Quiet hours `HH:MM`–`HH:MM` on the phone's clock (may cross midnight);
    /// check-in prompts move to their end. Both or neither.
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
    /// Opt-in: name sessions and medications in notification text.
    pub detailed_text: bool,
    /// An occurrence without attendance this many hours after its end shows
    /// as unconfirmed.
    pub unconfirmed_after_hours: u32,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings {
            horizon_days: 7,
            cap: 60,
            session_lead_minutes: vec![60, 15],
            dose_lead_minutes: 0,
            dose_followup_minutes: 60,
            checkin_time: Some("20:00".into()),
            quiet_start: None,
            quiet_end: None,
            detailed_text: false,
            unconfirmed_after_hours: 6,
        }
    }
}

/// Settings with their times parsed, as the planner reads them.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub settings: ReminderSettings,
    pub checkin: Option<NaiveTime>,
    pub quiet: Option<(NaiveTime, NaiveTime)>,
}

pub(crate) fn check(mut settings: ReminderSettings) -> Result<Checked> {
    if settings.horizon_days == 0 || settings.horizon_days > MAX_HORIZON_DAYS {
        return Err(Error::invalid(
            "horizon_days",
            format!("must be 1 to {MAX_HORIZON_DAYS}"),
        ));
    }
    if settings.cap == 0 || settings.cap > MAX_CAP {
        return Err(Error::invalid("cap", format!("must be 1 to {MAX_CAP}")));
    }
    let leads = [
        (
            "session_lead_minutes",
            settings.session_lead_minutes.clone(),
        ),
        ("dose_lead_minutes", vec![settings.dose_lead_minutes]),
        (
            "dose_followup_minutes",
            vec![settings.dose_followup_minutes],
        ),
    ];
    for (field, minutes) in leads {
        if minutes.iter().any(|m| *m > MAX_LEAD_MIN) {
            return Err(Error::invalid(
                field,
                format!("at most {MAX_LEAD_MIN} minutes"),
            ));
        }
    }
    if settings.session_lead_minutes.len() > 4 {
        return Err(Error::invalid(
            "session_lead_minutes",
            "at most 4 lead times",
        ));
    }
    settings
        .session_lead_minutes
        .sort_unstable_by(|a, b| b.cmp(a));
    settings.session_lead_minutes.dedup();
    if settings.unconfirmed_after_hours > 7 * 24 {
        return Err(Error::invalid("unconfirmed_after_hours", "at most a week"));
    }
    let checkin = settings
        .checkin_time
        .as_deref()
        .map(|t| parse_time("checkin_time", t))
        .transpose()?;
    let quiet = match (&settings.quiet_start, &settings.quiet_end) {
        (None, None) => None,
        (Some(start), Some(end)) => {
            let start = parse_time("quiet_start", start)?;
            let end = parse_time("quiet_end", end)?;
            if start == end {
                return Err(Error::invalid("quiet_end", "equals quiet_start"));
            }
            Some((start, end))
        }
        (Some(_), None) => return Err(Error::invalid("quiet_end", "is needed with quiet_start")),
        (None, Some(_)) => return Err(Error::invalid("quiet_start", "is needed with quiet_end")),
    };
    Ok(Checked {
        settings,
        checkin,
        quiet,
    })
}

pub(crate) fn load(conn: &Connection) -> Result<ReminderSettings> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT settings FROM reminder_settings WHERE id = 1")?
        .query_row([], |row| row.get(0))
        .optional()?;
    match stored {
        None => Ok(ReminderSettings::default()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| Error::Corrupt(format!("reminder settings: {e}"))),
    }
}

impl Steady {
    /// The stored reminder settings (defaults until changed).
    pub fn reminder_settings(&self) -> Result<ReminderSettings> {
        self.read(load)
    }

    /// Validates and stores reminder settings; invalid ones change nothing.
    pub fn set_reminder_settings(&self, settings: ReminderSettings) -> Result<ReminderSettings> {
        let checked = check(settings)?;
        let json = serde_json::to_string(&checked.settings)
            .map_err(|e| Error::Corrupt(format!("reminder settings: {e}")))?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO reminder_settings (id, settings) VALUES (1, ?1)
                 ON CONFLICT (id) DO UPDATE SET settings = excluded.settings",
                params![json],
            )?;
            Ok(())
        })?;
        Ok(checked.settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_their_own_checks() {
        let checked = check(ReminderSettings::default()).unwrap();
        assert_eq!(checked.settings.session_lead_minutes, [60, 15]);
        assert!(checked.quiet.is_none());
    }

    #[test]
    fn bad_settings_name_the_field() {
        let cases = [
            (
                ReminderSettings {
                    cap: 65,
                    ..Default::default()
                },
                "cap",
            ),
            (
                ReminderSettings {
                    horizon_days: 0,
                    ..Default::default()
                },
                "horizon_days",
            ),
            (
                ReminderSettings {
                    quiet_start: Some("22:00".into()),
                    ..Default::default()
                },
                "quiet_end",
            ),
            (
                ReminderSettings {
                    checkin_time: Some("8pm".into()),
                    ..Default::default()
                },
                "checkin_time",
            ),
            (
                ReminderSettings {
                    session_lead_minutes: vec![15, 20_000],
                    ..Default::default()
                },
                "session_lead_minutes",
            ),
            (
                ReminderSettings {
                    dose_followup_minutes: 20_000,
                    ..Default::default()
                },
                "dose_followup_minutes",
            ),
        ];
        for (settings, expected) in cases {
            match check(settings) {
                Err(Error::Invalid { field, .. }) => assert_eq!(field, expected),
                other => panic!("expected invalid {expected}, got {other:?}"),
            }
        }
    }
}
