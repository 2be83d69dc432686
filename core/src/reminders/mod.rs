//! Reminders: the local notifications the phone should hold, planned by the
//! core so both platforms behave the same. A shell calls
//! [`Steady::plan_reminders`] on launch, in background refresh, after sync
//! and after a time or zone change, then applies [`diff_reminders`] against
//! what it holds: cancel first, then add.

mod fired;
mod planner;
#[cfg(test)]
mod tests;
pub(crate) mod text;

use crate::checkin::daily::checkins_between;
use crate::schedule::settings::{check, ReminderSettings};
use crate::schedule::store::{doses_with_answers, occurrences_in};
use crate::{Error, Result, Steady};
use chrono::Duration;
use planner::Inputs;
use rusqlite::params;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

pub use fired::{ReminderDelivery, ReminderFiring, LATE_AFTER_MINUTES};

/// Longest snooze, in minutes.
pub const MAX_SNOOZE_MIN: u32 = 12 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ReminderKind {
    Session,
    Dose,
    Checkin,
    /// The one nudge after a dose that was not confirmed in time.
    Followup,
    /// A questionnaire the clinic assigned, on its weekly due time.
    Questionnaire,
}

impl ReminderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::Session => "session",
            ReminderKind::Dose => "dose",
            ReminderKind::Checkin => "checkin",
            ReminderKind::Followup => "followup",
            ReminderKind::Questionnaire => "questionnaire",
        }
    }

    /// Higher wins a tie for a slot under the cap.
    fn priority(self) -> u8 {
        match self {
            ReminderKind::Session => 3,
            ReminderKind::Dose | ReminderKind::Followup => 2,
            ReminderKind::Checkin | ReminderKind::Questionnaire => 1,
        }
    }
}

/// One local notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Reminder {
    /// Stable across replans: `session:<occurrence id>:<lead>`,
    /// `dose:<dose id>`, `followup:<dose id>`, `checkin:<local date>`,
    /// `questionnaire:<assignment id>:<local date>`.
    pub id: String,
    pub kind: ReminderKind,
    pub fire_at_ms: i64,
    /// Fire time, RFC 3339 with the offset of `time_zone`.
    pub local: String,
    /// The zone the time was computed in: the clinic's for sessions, the
    /// phone's for doses, follow-ups and check-ins.
    pub time_zone: String,
    pub title: String,
    pub body: String,
    /// 3 session, 2 dose and follow-up, 1 check-in.
    pub priority: u8,
    /// The occurrence id, dose id or local date it is about.
    pub subject_id: String,
    pub snoozed: bool,
}

/// What a shell must change: cancel these ids first, then add these.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReminderDiff {
    pub cancel: Vec<String>,
    pub add: Vec<Reminder>,
}

/// The changes that turn the `held` reminders into the `planned` ones. A
/// reminder whose time or text changed is cancelled and added again.
pub fn diff_reminders(held: &[Reminder], planned: &[Reminder]) -> ReminderDiff {
    let held_by_id: HashMap<&str, &Reminder> = held.iter().map(|r| (r.id.as_str(), r)).collect();
    let planned_by_id: HashMap<&str, &Reminder> =
        planned.iter().map(|r| (r.id.as_str(), r)).collect();
    let same = |a: &Reminder, b: &Reminder| {
        a.fire_at_ms == b.fire_at_ms && a.title == b.title && a.body == b.body
    };
    let mut diff = ReminderDiff::default();
    for old in held {
        match planned_by_id.get(old.id.as_str()) {
            Some(new) if same(old, new) => {}
            _ => diff.cancel.push(old.id.clone()),
        }
    }
    for new in planned {
        match held_by_id.get(new.id.as_str()) {
            Some(old) if same(old, new) => {}
            _ => diff.add.push(new.clone()),
        }
    }
    diff
}

impl Steady {
    /// The reminders the phone should hold now, with the stored settings.
    pub fn plan_reminders(&self) -> Result<Vec<Reminder>> {
        self.plan_reminders_with(self.reminder_settings()?)
    }

    /// The reminders the phone should hold now, with the given settings.
    pub fn plan_reminders_with(&self, settings: ReminderSettings) -> Result<Vec<Reminder>> {
        let checked = check(settings)?;
        self.with_inputs(&checked, planner::plan)
    }

    /// Snoozes the reminder `id` (planned now, or fired within the last day)
    /// for `minutes`; the next plan holds it at its new time.
    pub fn snooze_reminder(&self, id: &str, minutes: u32) -> Result<Reminder> {
        if minutes == 0 || minutes > MAX_SNOOZE_MIN {
            return Err(Error::invalid(
                "minutes",
                format!("must be 1 to {MAX_SNOOZE_MIN}"),
            ));
        }
        let checked = check(self.reminder_settings()?)?;
        let found = self.with_inputs(&checked, |inputs| {
            planner::candidates(inputs).into_iter().find(|r| r.id == id)
        })?;
        let reminder = found.ok_or_else(|| Error::NotFound {
            what: "reminder",
            id: id.to_string(),
        })?;
        let now = self.now();
        let at = (now + Duration::minutes(i64::from(minutes))).timestamp_millis();
        self.write(|tx| {
            tx.execute(
                "DELETE FROM reminder_snooze WHERE fire_at_ms < ?1",
                params![(now - planner::LOOKBACK).timestamp_millis()],
            )?;
            tx.execute(
                "INSERT INTO reminder_snooze (reminder_id, fire_at_ms) VALUES (?1, ?2)
                 ON CONFLICT (reminder_id) DO UPDATE SET fire_at_ms = excluded.fire_at_ms",
                params![reminder.id, at],
            )?;
            Ok(())
        })?;
        Ok(planner::snoozed(reminder, at))
    }

    /// Loads what the planner reads for the window around now.
    fn with_inputs<T>(
        &self,
        checked: &crate::schedule::settings::Checked,
        f: impl FnOnce(&Inputs<'_>) -> T,
    ) -> Result<T> {
        let now = self.now();
        let zone = self.zone()?;
        let (from, to) = planner::session_window(now, checked);
        let (first, last) = planner::local_dates(now, zone, checked);
        let (occurrences, doses, snoozes, checked_in, assignments) = self.snapshot(|conn| {
            let mut stmt =
                conn.prepare_cached("SELECT reminder_id, fire_at_ms FROM reminder_snooze")?;
            let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            let snoozes = rows.collect::<Result<HashMap<String, i64>, _>>()?;
            let checked_in: HashSet<String> = checkins_between(conn, first, last)?
                .into_iter()
                .map(|checkin| checkin.local_date)
                .collect();
            Ok((
                occurrences_in(conn, from, to, now)?,
                doses_with_answers(conn, zone, first, last)?,
                snoozes,
                checked_in,
                crate::checkin::assigned::assignments(conn)?,
            ))
        })?;
        let inputs = Inputs {
            now,
            zone,
            settings: checked,
            occurrences: &occurrences,
            doses: &doses,
            snoozes: &snoozes,
            checked_in: &checked_in,
            assignments: &assignments,
        };
        Ok(f(&inputs))
    }
}
