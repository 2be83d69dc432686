//! The Schedule week screen: for any week the patient pages to, each day's
//! sessions (zoned: they keep their instant when the patient travels) with
//! their attendance and who recorded it, and the doses due with their answers.
//! Days are the phone's local days, Monday first.

use super::{label, Label};
use crate::schedule::{AttendanceStatus, SessionOccurrence, Weekday};
use crate::typed_time::{Instant, LocalDate};
use crate::{DoseDue, DoseStatus};
use crate::{Result, Steady};
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::params;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RecordedBy {
    /// The patient, in Steady.
    Patient,
    /// Clinic staff (once the clinic records attendance; not yet synced to
    /// the phone).
    Clinic,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttendanceMark {
    pub status: AttendanceStatus,
    pub recorded_by: RecordedBy,
    pub recorded_at: Instant,
    pub label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WeekSession {
    /// Its `id` is what attendance is recorded against.
    pub occurrence: SessionOccurrence,
    pub starts_at: Instant,
    pub ends_at: Instant,
    pub attendance: Option<AttendanceMark>,
    pub status_label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WeekDose {
    /// Its `id` is what a confirmation is recorded against.
    pub dose: DoseDue,
    pub due_at: Instant,
    pub answer_label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ScheduleDay {
    pub date: LocalDate,
    pub weekday: Weekday,
    pub is_today: bool,
    pub sessions: Vec<WeekSession>,
    pub doses: Vec<WeekDose>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ScheduleWeek {
    /// The Monday starting the week.
    pub week_start: LocalDate,
    /// Mondays of the weeks before and after, for paging.
    pub previous_week: LocalDate,
    pub next_week: LocalDate,
    pub is_current_week: bool,
    /// The zone the days are in (the phone's).
    pub time_zone: String,
    /// Monday to Sunday.
    pub days: Vec<ScheduleDay>,
}

impl Steady {
    /// The week holding `day` (today's when absent).
    pub fn schedule_week(&self, day: Option<LocalDate>) -> Result<ScheduleWeek> {
        let today = self.local_today()?;
        let day = day.map_or(today, LocalDate::date);
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let sunday = monday + Duration::days(6);
        let occurrences = self.occurrences(monday, sunday)?;
        let doses = self.doses_due(monday, sunday)?;
        let marks = self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT occurrence_id, status, recorded_at_ms FROM attendance
                 WHERE occurrence_id IN (SELECT value FROM json_each(?1))",
            )?;
            let ids: Vec<&str> = occurrences.iter().map(|o| o.id.as_str()).collect();
            let ids = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
            let rows = stmt.query_map(params![ids], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            })?;
            let mut marks = HashMap::new();
            for row in rows {
                let (id, status, at) = row?;
                if let Some(status) = AttendanceStatus::parse(&status) {
                    marks.insert(id, (status, at));
                }
            }
            Ok(marks)
        })?;
        let zone = self.zone()?;
        let local_date = |ms: i64| {
            chrono::DateTime::from_timestamp_millis(ms)
                .map(|at| at.with_timezone(&zone).date_naive())
        };
        let days = (0..7)
            .map(|offset| {
                let date = monday + Duration::days(offset);
                ScheduleDay {
                    date: LocalDate::new(date),
                    weekday: Weekday::from_chrono(date.weekday()),
                    is_today: date == today,
                    sessions: occurrences
                        .iter()
                        .filter(|o| local_date(o.start_ms) == Some(date))
                        .map(|o| week_session(o, marks.get(&o.id).copied()))
                        .collect(),
                    doses: doses
                        .iter()
                        .filter(|d| due_date(d) == Some(date))
                        .map(week_dose)
                        .collect(),
                }
            })
            .collect();
        Ok(ScheduleWeek {
            week_start: LocalDate::new(monday),
            previous_week: LocalDate::new(monday - Duration::days(7)),
            next_week: LocalDate::new(monday + Duration::days(7)),
            is_current_week: (monday..=sunday).contains(&today),
            time_zone: zone.name().to_string(),
            days,
        })
    }
}

fn due_date(dose: &DoseDue) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(dose.due_local.get(..10)?, "%Y-%m-%d").ok()
}

fn week_session(o: &SessionOccurrence, mark: Option<(AttendanceStatus, i64)>) -> WeekSession {
    use crate::schedule::OccurrenceStatus as S;
    let status_label = match o.status {
        S::Scheduled => label("session.status.scheduled", "Scheduled"),
        S::Cancelled => label("session.status.cancelled", "Cancelled"),
        S::Unconfirmed => label("session.status.unconfirmed", "Did you attend?"),
        S::Attended => label("session.status.attended", "Attended"),
        S::Late => label("session.status.late", "Attended (late)"),
        S::Missed => label("session.status.missed", "Missed"),
        S::Excused => label("session.status.excused", "Excused"),
    };
    WeekSession {
        starts_at: Instant::from_millis(o.start_ms),
        ends_at: Instant::from_millis(o.end_ms),
        attendance: mark.map(|(status, at)| AttendanceMark {
            status,
            recorded_by: RecordedBy::Patient,
            recorded_at: Instant::from_millis(at),
            label: label("attendance.recorded_by.patient", "Recorded by you"),
        }),
        occurrence: o.clone(),
        status_label,
    }
}

fn week_dose(d: &DoseDue) -> WeekDose {
    let answer_label = match d.confirmation.as_ref().map(|c| c.status) {
        None => label("dose.answer.none", "Not answered"),
        Some(DoseStatus::Taken) => label("dose.answer.taken", "Taken"),
        Some(DoseStatus::TakenLate) => label("dose.answer.taken_late", "Taken late"),
        Some(DoseStatus::Skipped) => label("dose.answer.skipped", "Skipped"),
    };
    WeekDose {
        due_at: Instant::from_millis(d.due_ms),
        dose: d.clone(),
        answer_label,
    }
}
