//! Daily check-in completion against the usual 80% target. Today is only
//! expected once its check-in is done: an unfinished day is not a miss.

use super::days::{days_in, ratio};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// Share of days with a check-in that programs usually aim for.
pub const CHECKIN_TARGET: f64 = 0.8;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckinCompletion {
    /// Days of the period with a daily check-in.
    pub done: u32,
    /// Days of the period before today, plus today once it is done.
    pub expected: u32,
    pub rate: Option<f64>,
    pub target: f64,
    pub meets_target: bool,
    pub done_today: bool,
}

pub(crate) fn checkin_completion(
    checkin_dates: &[NaiveDate],
    first: NaiveDate,
    today: NaiveDate,
) -> CheckinCompletion {
    let mut in_period: Vec<NaiveDate> = checkin_dates
        .iter()
        .copied()
        .filter(|d| *d >= first && *d <= today)
        .collect();
    in_period.sort_unstable();
    in_period.dedup();
    let done = in_period.len() as u32;
    let done_today = in_period.last() == Some(&today);
    let expected = days_in(first, today - Duration::days(1)) + u32::from(done_today);
    let rate = ratio(done, expected);
    CheckinCompletion {
        done,
        expected,
        rate,
        target: CHECKIN_TARGET,
        meets_target: rate.is_some_and(|r| r >= CHECKIN_TARGET),
        done_today,
    }
}
