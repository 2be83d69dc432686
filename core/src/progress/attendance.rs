//! Session attendance per week and overall, and hours attended against the
//! program's weekly hours. Occurrences count in the clinic's local week.
//! Unconfirmed occurrences are shown as such and never counted as missed:
//! they are outside the attendance rate and cannot break a run of weeks.

use super::days::{format_date, ratio, round, week_start};
use super::facts::OccurrenceFact;
use crate::OccurrenceStatus;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttendanceCounts {
    /// Attended on time.
    pub attended: u32,
    /// Attended, arriving late (counts as attended).
    pub late: u32,
    pub missed: u32,
    pub excused: u32,
    /// Ended with no record yet.
    pub unconfirmed: u32,
    /// Not started or not yet ended.
    pub upcoming: u32,
    pub cancelled: u32,
    /// `(attended + late) / (attended + late + missed)`; excused, unconfirmed,
    /// upcoming and cancelled sessions are outside it.
    pub rate: Option<f64>,
}

/// How a week stands against the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum WeekPlan {
    Met,
    NotMet,
    /// Not met yet, but upcoming or unconfirmed sessions could still meet it.
    Pending,
    /// Nothing to attend: no sessions, or all cancelled or excused.
    NoSessions,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttendanceWeek {
    /// The Monday starting the week, `YYYY-MM-DD`.
    pub week_start: String,
    pub counts: AttendanceCounts,
    pub hours_attended: f64,
    /// The week's target: the program's weekly hours, or fewer when the
    /// clinic offered fewer (cancelled and excused sessions are not offered).
    pub hours_planned: f64,
    pub plan: WeekPlan,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Attendance {
    pub overall: AttendanceCounts,
    pub hours_attended: f64,
    pub weekly_program_hours: Option<f64>,
    /// Weeks in a row meeting the plan, back from this week. Pending and
    /// session-free weeks neither count nor break the run.
    pub weeks_meeting_plan_in_a_row: u32,
    /// Every week of the period, oldest first.
    pub weeks: Vec<AttendanceWeek>,
}

#[derive(Default)]
struct WeekTally {
    counts: AttendanceCounts,
    attended_min: u32,
    offered_min: u32,
    open_min: u32,
}

impl WeekTally {
    fn add(&mut self, occurrence: &OccurrenceFact) {
        let minutes = occurrence.duration_min;
        let c = &mut self.counts;
        match occurrence.status {
            OccurrenceStatus::Attended => c.attended += 1,
            OccurrenceStatus::Late => c.late += 1,
            OccurrenceStatus::Missed => c.missed += 1,
            OccurrenceStatus::Excused => c.excused += 1,
            OccurrenceStatus::Unconfirmed => c.unconfirmed += 1,
            OccurrenceStatus::Scheduled => c.upcoming += 1,
            OccurrenceStatus::Cancelled => c.cancelled += 1,
        }
        match occurrence.status {
            OccurrenceStatus::Attended | OccurrenceStatus::Late => {
                self.attended_min += minutes;
                self.offered_min += minutes;
            }
            OccurrenceStatus::Unconfirmed | OccurrenceStatus::Scheduled => {
                self.open_min += minutes;
                self.offered_min += minutes;
            }
            OccurrenceStatus::Missed => self.offered_min += minutes,
            OccurrenceStatus::Excused | OccurrenceStatus::Cancelled => {}
        }
    }

    fn merge(&mut self, other: &WeekTally) {
        let (a, b) = (&mut self.counts, &other.counts);
        a.attended += b.attended;
        a.late += b.late;
        a.missed += b.missed;
        a.excused += b.excused;
        a.unconfirmed += b.unconfirmed;
        a.upcoming += b.upcoming;
        a.cancelled += b.cancelled;
        self.attended_min += other.attended_min;
    }

    fn finish(mut self) -> (AttendanceCounts, u32) {
        let c = &mut self.counts;
        c.rate = ratio(c.attended + c.late, c.attended + c.late + c.missed);
        (self.counts, self.attended_min)
    }
}

/// Attendance for occurrences on the local dates from `first` to the end of
/// this week: the rest of this week's sessions are part of its plan.
pub(crate) fn attendance(
    occurrences: &[OccurrenceFact],
    weekly_program_hours: Option<f64>,
    first: NaiveDate,
    today: NaiveDate,
) -> Attendance {
    let mut weeks: BTreeMap<NaiveDate, WeekTally> = BTreeMap::new();
    let mut monday = week_start(first);
    while monday <= today {
        weeks.insert(monday, WeekTally::default());
        monday += Duration::days(7);
    }
    let last = week_start(today) + Duration::days(6);
    for occurrence in occurrences {
        let date = occurrence.date();
        if date < first || date > last {
            continue;
        }
        if let Some(week) = weeks.get_mut(&week_start(date)) {
            week.add(occurrence);
        }
    }
    let plan_min = weekly_program_hours.map(|h| (h * 60.0).round().max(0.0) as u32);
    let mut total = WeekTally::default();
    let mut rows = Vec::with_capacity(weeks.len());
    for (monday, week) in weeks {
        total.merge(&week);
        let target = plan_min.map_or(week.offered_min, |p| p.min(week.offered_min));
        let plan = if target == 0 {
            WeekPlan::NoSessions
        } else if week.attended_min >= target {
            WeekPlan::Met
        } else if week.attended_min + week.open_min >= target {
            WeekPlan::Pending
        } else {
            WeekPlan::NotMet
        };
        let (counts, attended_min) = week.finish();
        rows.push(AttendanceWeek {
            week_start: format_date(monday),
            counts,
            hours_attended: hours(attended_min),
            hours_planned: hours(target),
            plan,
        });
    }
    let in_a_row = rows
        .iter()
        .rev()
        .filter(|w| matches!(w.plan, WeekPlan::Met | WeekPlan::NotMet))
        .take_while(|w| w.plan == WeekPlan::Met)
        .count() as u32;
    let (overall, attended_min) = total.finish();
    Attendance {
        overall,
        hours_attended: hours(attended_min),
        weekly_program_hours,
        weeks_meeting_plan_in_a_row: in_a_row,
        weeks: rows,
    }
}

fn hours(minutes: u32) -> f64 {
    round(f64::from(minutes) / 60.0)
}
