//! Craving figures: per day and per week, a 7-day moving average, the trend,
//! when in the week cravings come, what triggers them and which coping
//! strategies were followed by the craving passing. Each craving counts on
//! the local day and hour of the zone it happened in.
//!
//! The trend rule: for each of the last 14 local days take the day's peak
//! intensity (0 on a day without cravings), so both stronger and more frequent
//! cravings raise it. Compare the mean of the last 7 days (today included)
//! with the mean of the 7 before: a difference of at least +1.0 is rising, of
//! at most -1.0 falling, anything between steady. With fewer than 14 days of
//! tracking there is not enough data.

use super::days::{dates, days_in, format_date, round, week_start};
use super::facts::DayTally;
#[cfg(test)]
use super::{craving_days::tally_days, facts::CravingFact};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// A 7-day mean this much above (below) the previous 7 days is rising
/// (falling).
pub const TREND_THRESHOLD: f64 = 1.0;
/// How many triggers the ranking shows.
pub const TOP_TRIGGERS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CravingTrend {
    Rising,
    Steady,
    Falling,
    NotEnoughData,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CravingDay {
    pub date: String,
    pub count: u32,
    pub mean_intensity: Option<f64>,
    pub peak_intensity: Option<u8>,
    /// Mean intensity of every craving in the 7 days ending this day.
    pub moving_avg_7_intensity: Option<f64>,
    /// Cravings per day over the 7 days ending this day.
    pub moving_avg_7_count: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CravingWeek {
    pub week_start: String,
    pub count: u32,
    pub mean_intensity: Option<f64>,
    pub peak_intensity: Option<u8>,
}

/// Craving counts for one weekday, one entry per local hour 0–23.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WeekdayHours {
    /// `mon` ... `sun`.
    pub weekday: String,
    pub hours: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TriggerCount {
    pub trigger: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CopingRank {
    pub strategy: String,
    /// Cravings where it was tried.
    pub tried: u32,
    /// Of those, how many have an outcome recorded.
    pub with_outcome: u32,
    /// Of those, how many passed.
    pub passed: u32,
    /// `passed / with_outcome`.
    pub pass_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CravingStats {
    pub total: u32,
    pub mean_intensity: Option<f64>,
    pub peak_intensity: Option<u8>,
    pub trend: CravingTrend,
    /// Mean daily peak over the last 7 days and the 7 before (the trend's
    /// inputs).
    pub last_7_days_mean_peak: f64,
    pub previous_7_days_mean_peak: f64,
    /// Every day of the period, oldest first.
    pub days: Vec<CravingDay>,
    pub weeks: Vec<CravingWeek>,
    /// Monday first.
    pub weekday_hour: Vec<WeekdayHours>,
    pub top_triggers: Vec<TriggerCount>,
    /// Most often followed by the craving passing first.
    pub coping: Vec<CopingRank>,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    count: u32,
    sum: u32,
    peak: Option<u8>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.count += other.count;
        self.sum += other.sum;
        self.peak = self.peak.max(other.peak);
    }

    fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| round(f64::from(self.sum) / f64::from(self.count)))
    }
}

/// Craving figures for the local dates `[first, today]`; `tracked_from` is
/// the first day of tracking, which decides whether a trend can be given.
#[cfg(test)]
pub(crate) fn craving_stats(
    cravings: &[CravingFact],
    first: NaiveDate,
    today: NaiveDate,
    tracked_from: NaiveDate,
) -> CravingStats {
    craving_stats_by_day(&tally_days(cravings), first, today, tracked_from)
}

/// The same figures from per-day tallies (stored, or computed from scratch
/// by [`tally_days`]); days outside `[first - 13, today]` are ignored.
pub(crate) fn craving_stats_by_day(
    tallies: &BTreeMap<NaiveDate, DayTally>,
    first: NaiveDate,
    today: NaiveDate,
    tracked_from: NaiveDate,
) -> CravingStats {
    // Days before the period feed the first moving averages and the trend.
    let lookback = first.min(today - Duration::days(13)) - Duration::days(6);
    // One entry per date from `lookback` to `today`.
    let mut by_day = vec![Tally::default(); days_in(lookback, today) as usize];
    let mut map = [[0u32; 24]; 7];
    // A handful of names, each looked up on most days: ordered maps compare a
    // few short strings where a hash map hashes every one.
    let mut triggers: BTreeMap<&str, u32> = BTreeMap::new();
    let mut coping: BTreeMap<&str, (u32, u32, u32)> = BTreeMap::new();
    let mut total = Tally::default();
    for (&date, day) in tallies.range(lookback..=today) {
        let tally = Tally {
            count: day.count,
            sum: day.sum,
            peak: day.peak,
        };
        if let Some(slot) = by_day.get_mut((date - lookback).num_days() as usize) {
            *slot = tally;
        }
        if date < first {
            continue;
        }
        total.merge(tally);
        let weekday = date.weekday().num_days_from_monday() as usize;
        if let Some(row) = map.get_mut(weekday) {
            for (cell, count) in row.iter_mut().zip(day.hours) {
                *cell += count;
            }
        }
        for (trigger, count) in &day.triggers {
            *triggers.entry(trigger).or_default() += count;
        }
        for (strategy, t) in &day.coping {
            let entry = coping.entry(strategy).or_default();
            entry.0 += t.tried;
            entry.1 += t.with_outcome;
            entry.2 += t.passed;
        }
    }

    let tally = |d: NaiveDate| {
        usize::try_from((d - lookback).num_days())
            .ok()
            .and_then(|at| by_day.get(at))
            .copied()
            .unwrap_or_default()
    };
    let mut days = Vec::new();
    // Weeks in order: the dates are.
    let mut weeks: Vec<(NaiveDate, Tally)> = Vec::new();
    for date in dates(first, today) {
        let day = tally(date);
        let mut window = Tally::default();
        for back in 0..7 {
            window.merge(tally(date - Duration::days(back)));
        }
        let monday = week_start(date);
        match weeks.last_mut() {
            Some((last, week)) if *last == monday => week.merge(day),
            _ => weeks.push((monday, day)),
        }
        days.push(CravingDay {
            date: format_date(date),
            count: day.count,
            mean_intensity: day.mean(),
            peak_intensity: day.peak,
            moving_avg_7_intensity: window.mean(),
            moving_avg_7_count: round(f64::from(window.count) / 7.0),
        });
    }

    let mean_peak = |last: NaiveDate| {
        let sum: u32 = (0..7)
            .map(|back| u32::from(tally(last - Duration::days(back)).peak.unwrap_or(0)))
            .sum();
        f64::from(sum) / 7.0
    };
    let recent = mean_peak(today);
    let previous = mean_peak(today - Duration::days(7));
    let trend = if today - tracked_from < Duration::days(13) {
        CravingTrend::NotEnoughData
    } else if recent - previous >= TREND_THRESHOLD {
        CravingTrend::Rising
    } else if previous - recent >= TREND_THRESHOLD {
        CravingTrend::Falling
    } else {
        CravingTrend::Steady
    };

    CravingStats {
        total: total.count,
        mean_intensity: total.mean(),
        peak_intensity: total.peak,
        trend,
        last_7_days_mean_peak: round(recent),
        previous_7_days_mean_peak: round(previous),
        days,
        weeks: weeks
            .into_iter()
            .map(|(monday, t)| CravingWeek {
                week_start: format_date(monday),
                count: t.count,
                mean_intensity: t.mean(),
                peak_intensity: t.peak,
            })
            .collect(),
        weekday_hour: weekday_hours(map),
        top_triggers: top_triggers(triggers),
        coping: rank_coping(coping),
    }
}

fn weekday_hours(map: [[u32; 24]; 7]) -> Vec<WeekdayHours> {
    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    NAMES
        .iter()
        .zip(map)
        .map(|(name, hours)| WeekdayHours {
            weekday: name.to_string(),
            hours: hours.to_vec(),
        })
        .collect()
}

fn top_triggers(counts: BTreeMap<&str, u32>) -> Vec<TriggerCount> {
    let mut ranked: Vec<TriggerCount> = counts
        .into_iter()
        .map(|(trigger, count)| TriggerCount {
            trigger: trigger.to_string(),
            count,
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.trigger.cmp(&b.trigger))
    });
    ranked.truncate(TOP_TRIGGERS);
    ranked
}

/// Most passes first; then the higher pass rate; then by name.
fn rank_coping(tallies: BTreeMap<&str, (u32, u32, u32)>) -> Vec<CopingRank> {
    let mut ranked: Vec<CopingRank> = tallies
        .into_iter()
        .map(|(strategy, (tried, with_outcome, passed))| CopingRank {
            strategy: strategy.to_string(),
            tried,
            with_outcome,
            passed,
            pass_rate: super::days::ratio(passed, with_outcome),
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.passed
            .cmp(&a.passed)
            .then_with(|| {
                b.pass_rate
                    .unwrap_or(0.0)
                    .total_cmp(&a.pass_rate.unwrap_or(0.0))
            })
            .then_with(|| a.strategy.cmp(&b.strategy))
    });
    ranked
}
