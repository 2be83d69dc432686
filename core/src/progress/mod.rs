//! Progress: the figures patients and clinicians watch — sober time without
//! shame, attendance, medication adherence, craving trends and check-in
//! completion — each counted in the patient's local days (see [`days`]).
//!
//! The metrics are pure functions over [`facts`]; loading those facts from
//! storage is separate, so every rule is tested on hand-counted histories.
//! The rules themselves are written down in docs/progress.md.

mod adherence;
mod attendance;
mod checkins;
pub(crate) mod craving_days;
#[cfg(test)]
mod craving_days_tests;
pub(crate) mod cravings;
pub(crate) mod days;
#[cfg(test)]
mod dose_tests;
mod facts;
mod load;
#[cfg(test)]
mod occurrence_tests;
mod report;
mod rows;
mod settings;
pub(crate) mod setup;
pub(crate) mod sober;
#[cfg(test)]
mod stored_tests;
#[cfg(test)]
mod tests;

pub use adherence::{DoseCounts, MedicationAdherence, DOSE_GRACE_MINUTES};
pub use attendance::{Attendance, AttendanceCounts, AttendanceWeek, WeekPlan};
pub use checkins::{CheckinCompletion, CHECKIN_TARGET};
pub use cravings::{
    CopingRank, CravingDay, CravingStats, CravingTrend, CravingWeek, TriggerCount, WeekdayHours,
    TOP_TRIGGERS, TREND_THRESHOLD,
};
pub use settings::{PriorUse, ProgramSettings, SobrietyDate, MAX_WEEKLY_HOURS};
pub use sober::{SoberTime, MILESTONES};

use chrono::NaiveDate;
use facts::Facts;
use serde::Serialize;
use sober::PriorHistory;

/// Every progress figure for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProgressReport {
    /// Today's local date in the phone's zone: the period's last day.
    pub as_of_date: String,
    /// The period's first day: the `since` date, or the program start.
    pub period_start: String,
    pub program_start: String,
    /// All tracked substances together.
    pub sober: SoberTime,
    /// One entry per tracked substance, when the patient tracks several.
    pub sober_by_substance: Vec<SoberTime>,
    pub attendance: Attendance,
    pub medications: Vec<MedicationAdherence>,
    pub cravings: CravingStats,
    pub checkins: CheckinCompletion,
}

/// The program facts progress is measured against.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Program {
    pub start: NaiveDate,
    pub weekly_hours: Option<f64>,
    pub substances: Vec<String>,
    pub prior: PriorHistory,
}

/// All figures as of `today` (the phone's local date) and `now_ms`.
pub(crate) fn compute(
    facts: &Facts,
    program: &Program,
    since: Option<NaiveDate>,
    today: NaiveDate,
    now_ms: i64,
) -> ProgressReport {
    let first = since.unwrap_or(program.start);
    let sober_for = |substance: Option<&str>| {
        sober::sober_time(substance, &facts.uses, &program.prior, program.start, today)
    };
    let sober_by_substance = if program.substances.len() > 1 {
        program
            .substances
            .iter()
            .map(|s| sober_for(Some(s)))
            .collect()
    } else {
        Vec::new()
    };
    ProgressReport {
        as_of_date: days::format_date(today),
        period_start: days::format_date(first),
        program_start: days::format_date(program.start),
        sober: sober_for(None),
        sober_by_substance,
        attendance: attendance::attendance(&facts.occurrences, program.weekly_hours, first, today),
        medications: adherence::adherence(&facts.doses, first, today, now_ms),
        cravings: cravings::craving_stats_by_day(&facts.craving_days, first, today, program.start),
        checkins: checkins::checkin_completion(&facts.checkin_dates, first, today),
    }
}
