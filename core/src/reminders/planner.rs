//! The pure planner: from the schedule, answers already given, snoozes, now,
//! the phone's zone and the settings, the exact set of local notifications
//! the phone should hold. Ids are derived from what a reminder is about, so
//! the same reminder keeps its id across replans and a diff stays small.

use super::text;
use super::{Reminder, ReminderKind};
use crate::checkin::assigned::Assignment;
use crate::schedule::local_time::{format_date, format_time, resolve, rfc3339_in};
use crate::schedule::medication::DoseDue;
use crate::schedule::settings::Checked;
use crate::schedule::{OccurrenceStatus, SessionOccurrence};
use crate::zone::Tz;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use std::collections::{HashMap, HashSet};

/// Reminders that fired up to this long ago can still be snoozed.
pub(crate) const LOOKBACK: Duration = Duration::days(1);

pub(crate) struct Inputs<'a> {
    pub now: DateTime<Utc>,
    pub zone: Tz,
    pub settings: &'a Checked,
    /// Occurrences around the horizon, with their status.
    pub occurrences: &'a [SessionOccurrence],
    /// Doses around the horizon, with their confirmation.
    pub doses: &'a [DoseDue],
    /// Snoozed reminder ids and when they fire instead.
    pub snoozes: &'a HashMap<String, i64>,
    /// Local dates (`YYYY-MM-DD`) already checked in: no prompt that day.
    pub checked_in: &'a HashSet<String>,
    /// Questionnaires the clinic assigned, with when each was last answered.
    pub assignments: &'a [Assignment],
}

impl Inputs<'_> {
    pub fn horizon_end(&self) -> DateTime<Utc> {
        horizon_end(self.now, self.settings)
    }

    pub fn local_dates(&self) -> (NaiveDate, NaiveDate) {
        local_dates(self.now, self.zone, self.settings)
    }
}

pub(crate) fn horizon_end(now: DateTime<Utc>, settings: &Checked) -> DateTime<Utc> {
    now + Duration::days(i64::from(settings.settings.horizon_days))
}

/// Local dates (phone zone) whose floating reminders may matter.
pub(crate) fn local_dates(
    now: DateTime<Utc>,
    zone: Tz,
    settings: &Checked,
) -> (NaiveDate, NaiveDate) {
    let first = (now - LOOKBACK).with_timezone(&zone).date_naive();
    let last = horizon_end(now, settings).with_timezone(&zone).date_naive();
    (first - Duration::days(1), last + Duration::days(1))
}

/// The instants whose session occurrences may give a reminder.
pub(crate) fn session_window(
    now: DateTime<Utc>,
    settings: &Checked,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let longest_lead = settings
        .settings
        .session_lead_minutes
        .iter()
        .max()
        .copied()
        .unwrap_or(0);
    (
        now - LOOKBACK,
        horizon_end(now, settings) + Duration::minutes(i64::from(longest_lead) + 1),
    )
}

/// What the phone should hold: snoozes applied, in the horizon, soonest first,
/// at the same instant sessions before doses before check-ins, capped.
pub(crate) fn plan(inputs: &Inputs<'_>) -> Vec<Reminder> {
    let end = inputs.horizon_end();
    let mut planned: Vec<Reminder> = candidates(inputs)
        .into_iter()
        .map(|reminder| match inputs.snoozes.get(&reminder.id) {
            Some(at) => snoozed(reminder, *at),
            None => reminder,
        })
        .filter(|r| {
            r.fire_at_ms > inputs.now.timestamp_millis() && r.fire_at_ms <= end.timestamp_millis()
        })
        .collect();
    planned.sort_by(|a, b| {
        (a.fire_at_ms, std::cmp::Reverse(a.priority), &a.id).cmp(&(
            b.fire_at_ms,
            std::cmp::Reverse(b.priority),
            &b.id,
        ))
    });
    planned.truncate(inputs.settings.settings.cap as usize);
    planned
}

/// The reminder moved to fire at `at_ms` (its local time in the same zone).
pub(crate) fn snoozed(mut reminder: Reminder, at_ms: i64) -> Reminder {
    let zone: Tz = reminder.time_zone.parse().unwrap_or(Tz::UTC);
    let at = DateTime::<Utc>::from_timestamp_millis(at_ms).unwrap_or_default();
    reminder.fire_at_ms = at_ms;
    reminder.local = rfc3339_in(zone, at);
    reminder.snoozed = true;
    reminder
}

/// Every reminder from the lookback to the horizon, before snoozes and cap.
pub(crate) fn candidates(inputs: &Inputs<'_>) -> Vec<Reminder> {
    let settings = &inputs.settings.settings;
    let detailed = settings.detailed_text;
    let from = inputs.now - LOOKBACK;
    let end = inputs.horizon_end();
    let in_window = |at: DateTime<Utc>| at >= from && at <= end;
    let mut all = Vec::new();
    let phone_time = |at: DateTime<Utc>| format_time(at.with_timezone(&inputs.zone).time());

    for occurrence in inputs.occurrences {
        if occurrence.status != OccurrenceStatus::Scheduled {
            continue;
        }
        let zone: Tz = occurrence.time_zone.parse().unwrap_or(Tz::UTC);
        let start = DateTime::<Utc>::from_timestamp_millis(occurrence.start_ms).unwrap_or_default();
        let place = occurrence.location.as_deref().or(occurrence
            .video_url
            .as_ref()
            .map(|_| "video link in Steady"));
        for lead in &settings.session_lead_minutes {
            let fire = start - Duration::minutes(i64::from(*lead));
            if !in_window(fire) {
                continue;
            }
            let (title, body) = text::session(
                detailed,
                &occurrence.title,
                place,
                *lead,
                &phone_time(start),
            );
            all.push(reminder(
                format!("session:{}:{lead}", occurrence.id),
                ReminderKind::Session,
                fire,
                zone,
                (title, body),
                &occurrence.id,
            ));
        }
    }

    for dose in inputs.doses.iter().filter(|d| d.confirmation.is_none()) {
        // Due instants were resolved in the phone's zone by `doses_due`.
        let due = DateTime::<Utc>::from_timestamp_millis(dose.due_ms).unwrap_or_default();
        let at = phone_time(due);
        let fire = due - Duration::minutes(i64::from(settings.dose_lead_minutes));
        if in_window(fire) {
            all.push(reminder(
                format!("dose:{}", dose.id),
                ReminderKind::Dose,
                fire,
                inputs.zone,
                text::dose(detailed, &dose.name, dose.dose.as_deref(), &at),
                &dose.id,
            ));
        }
        if settings.dose_followup_minutes > 0 {
            let fire = due + Duration::minutes(i64::from(settings.dose_followup_minutes));
            if in_window(fire) {
                all.push(reminder(
                    format!("followup:{}", dose.id),
                    ReminderKind::Followup,
                    fire,
                    inputs.zone,
                    text::followup(detailed, &dose.name, &at),
                    &dose.id,
                ));
            }
        }
    }

    if let Some(time) = inputs.settings.checkin {
        let (first, last) = inputs.local_dates();
        let mut day = first;
        while day <= last {
            let local = outside_quiet(day.and_time(time), inputs.settings.quiet);
            let fire = resolve(inputs.zone, local);
            let date = format_date(day);
            if in_window(fire) && !inputs.checked_in.contains(&date) {
                all.push(reminder(
                    format!("checkin:{date}"),
                    ReminderKind::Checkin,
                    fire,
                    inputs.zone,
                    text::checkin(detailed),
                    &date,
                ));
            }
            day += Duration::days(1);
        }
    }

    // Assigned questionnaires on their weekday and time (floating), unless
    // answered for that week already.
    let (first, last) = inputs.local_dates();
    for assignment in inputs.assignments {
        let weekday = assignment.weekday.to_chrono();
        for day in first.iter_days().take_while(|d| *d <= last) {
            if day.weekday() != weekday {
                continue;
            }
            let local = outside_quiet(day.and_time(assignment.time), inputs.settings.quiet);
            let fire = resolve(inputs.zone, local);
            let due = resolve(inputs.zone, day.and_time(assignment.time));
            if in_window(fire) && !assignment.answered(due) {
                let date = format_date(day);
                all.push(reminder(
                    format!("questionnaire:{}:{date}", assignment.assignment_id),
                    ReminderKind::Questionnaire,
                    fire,
                    inputs.zone,
                    text::questionnaire(detailed, &assignment.questionnaire.title),
                    &assignment.assignment_id,
                ));
            }
        }
    }
    all
}

/// A wall-clock time inside quiet hours moves to the end of that quiet window.
fn outside_quiet(local: NaiveDateTime, quiet: Option<(NaiveTime, NaiveTime)>) -> NaiveDateTime {
    let Some((start, end)) = quiet else {
        return local;
    };
    let time = local.time();
    let date = local.date();
    if start < end {
        if time >= start && time < end {
            return date.and_time(end);
        }
    } else if time >= start {
        return (date + Duration::days(1)).and_time(end);
    } else if time < end {
        return date.and_time(end);
    }
    local
}

fn reminder(
    id: String,
    kind: ReminderKind,
    fire: DateTime<Utc>,
    zone: Tz,
    (title, body): text::Text,
    subject_id: &str,
) -> Reminder {
    Reminder {
        id,
        kind,
        fire_at_ms: fire.timestamp_millis(),
        local: rfc3339_in(zone, fire),
        time_zone: zone.name().to_string(),
        title,
        body,
        priority: kind.priority(),
        subject_id: subject_id.to_string(),
        snoozed: false,
    }
}
