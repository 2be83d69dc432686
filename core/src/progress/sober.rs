//! Sober time without shame. A lapse restarts "days since last use" but never
//! erases what came before: the longest streak, the total of sober days and
//! the share of days abstinent since the program started all keep it.

use super::days::{dates, days_in, format_date, ratio};
use super::facts::{SobrietyStart, UseEvent};
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::BTreeSet;

/// Milestones in days; after the last one, every further 365 days.
pub const MILESTONES: [u32; 9] = [1, 3, 7, 14, 30, 60, 90, 180, 365];
const YEAR_DAYS: u32 = 365;

/// Sober time for one substance, or for all of them together.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SoberTime {
    /// The substance, or none for every tracked substance together.
    pub substance: Option<String>,
    /// Sober days in a row up to today; today counts while no use is
    /// recorded on it.
    pub days_since_last_use: u32,
    /// The local date of the last recorded (or back-dated) use.
    pub last_use_date: Option<String>,
    pub longest_streak_days: u32,
    /// Days since the program start date (both included) without use.
    pub sober_days_in_program: u32,
    pub days_in_program: u32,
    /// `sober_days_in_program / days_in_program`, 0–1; none before the start.
    pub share_abstinent: Option<f64>,
    /// The largest milestone the current streak has reached.
    pub milestone_reached: Option<u32>,
    pub next_milestone_days: u32,
    pub days_to_next_milestone: u32,
}

/// What the patient told Steady about time before the app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PriorHistory {
    pub sobriety_starts: Vec<SobrietyStart>,
    /// Imported history is complete from this date: days in it without a
    /// recorded use were sober.
    pub known_from: Option<NaiveDate>,
}

/// Sober time for `substance` (or all) as of `today`.
pub(crate) fn sober_time(
    substance: Option<&str>,
    uses: &[UseEvent],
    prior: &PriorHistory,
    program_start: NaiveDate,
    today: NaiveDate,
) -> SoberTime {
    let starts: Vec<NaiveDate> = prior
        .sobriety_starts
        .iter()
        .filter(|s| match (&s.substance, substance) {
            (None, _) | (Some(_), None) => true,
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        })
        .map(|s| s.first_sober_day)
        .collect();
    // A sobriety date says the day before it was the last use.
    let use_days: BTreeSet<NaiveDate> = uses
        .iter()
        .filter(|u| u.concerns(substance))
        .map(|u| u.date)
        .chain(starts.iter().map(|d| *d - Duration::days(1)))
        .filter(|d| *d <= today)
        .collect();
    let known_from = starts
        .iter()
        .copied()
        .chain(prior.known_from)
        .fold(program_start, NaiveDate::min);

    let mut run = 0u32;
    let mut longest = 0u32;
    for day in dates(known_from, today) {
        if use_days.contains(&day) {
            run = 0;
        } else {
            run += 1;
            longest = longest.max(run);
        }
    }
    // Days before `known_from` are unknown, so the current streak is the run
    // that ends today; a sobriety date's implied use sits just before it.
    let current = run;
    let last_use = use_days.iter().next_back().copied();
    let days_in_program = days_in(program_start, today);
    let uses_in_program = use_days.range(program_start..).count() as u32;
    let sober_in_program = days_in_program.saturating_sub(uses_in_program);
    let (reached, next) = milestones(current);
    SoberTime {
        substance: substance.map(str::to_string),
        days_since_last_use: current,
        last_use_date: last_use.map(format_date),
        longest_streak_days: longest,
        sober_days_in_program: sober_in_program,
        days_in_program,
        share_abstinent: ratio(sober_in_program, days_in_program),
        milestone_reached: reached,
        next_milestone_days: next,
        days_to_next_milestone: next - current,
    }
}

/// The largest milestone `days` has reached and the next one after it.
pub(crate) fn milestones(days: u32) -> (Option<u32>, u32) {
    let reached = if days >= YEAR_DAYS {
        Some(days / YEAR_DAYS * YEAR_DAYS)
    } else {
        MILESTONES.iter().copied().filter(|m| *m <= days).max()
    };
    let next = match MILESTONES.iter().copied().find(|m| *m > days) {
        Some(m) => m,
        None => (days / YEAR_DAYS + 1) * YEAR_DAYS,
    };
    (reached, next)
}
