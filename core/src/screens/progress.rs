//! The Progress screen: the progress report for the range the patient picks,
//! plus chart-ready series — one value per day or week with its date — so a
//! shell draws a chart without computing anything.

use super::{label, Label};
use crate::progress::ProgressReport;
use crate::typed_time::LocalDate;
use crate::{Error, Result, Steady};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// The period a report covers; it always ends today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ProgressRange {
    /// Today and the 6 days before.
    LastWeek,
    /// Today and the 29 days before.
    LastMonth,
    /// From the program start.
    Program,
    /// From `date` (on or before today).
    Since { date: LocalDate },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SeriesPeriod {
    Day,
    /// Monday-start weeks; a point's date is its Monday.
    Week,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChartPoint {
    pub date: LocalDate,
    /// None where there is nothing to plot (e.g. no craving that day has no
    /// mean intensity); a shell leaves a gap.
    pub value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChartSeries {
    /// Stable name, e.g. `cravings.count`.
    pub key: String,
    pub label: Label,
    pub unit: Label,
    pub period: SeriesPeriod,
    /// Oldest first, every day (or week) of the range.
    pub points: Vec<ChartPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProgressScreen {
    pub range: ProgressRange,
    pub first_day: LocalDate,
    pub last_day: LocalDate,
    pub report: ProgressReport,
    pub series: Vec<ChartSeries>,
}

impl Steady {
    /// The Progress screen for `range`.
    pub fn progress_screen(&self, range: ProgressRange) -> Result<ProgressScreen> {
        let today = self.local_today()?;
        let since = match range {
            ProgressRange::LastWeek => Some(today - Duration::days(6)),
            ProgressRange::LastMonth => Some(today - Duration::days(29)),
            ProgressRange::Program => None,
            ProgressRange::Since { date } => Some(date.date()),
        };
        let report = self.progress(since.map(|d| d.format("%Y-%m-%d").to_string()).as_deref())?;
        let first = parse(&report.period_start)?;
        let checkins = self.daily_checkins(&report.period_start, &report.as_of_date)?;
        let days: Vec<NaiveDate> = first.iter_days().take_while(|d| *d <= today).collect();
        let checkin_days = days
            .iter()
            .map(|d| {
                let done = checkins
                    .iter()
                    .any(|c| parse(&c.local_date).ok() == Some(*d));
                point(*d, Some(if done { 1.0 } else { 0.0 }))
            })
            .collect();
        let mut all = vec![
            series(
                SeriesPeriod::Day,
                "cravings.count",
                label("series.cravings.count", "Cravings"),
                label("unit.cravings", "cravings"),
                report
                    .cravings
                    .days
                    .iter()
                    .map(|d| (d.date.as_str(), Some(f64::from(d.count)))),
            )?,
            series(
                SeriesPeriod::Day,
                "cravings.peak_intensity",
                label("series.cravings.peak_intensity", "Strongest craving"),
                label("unit.intensity", "0–10"),
                report
                    .cravings
                    .days
                    .iter()
                    .map(|d| (d.date.as_str(), d.peak_intensity.map(f64::from))),
            )?,
            series(
                SeriesPeriod::Day,
                "cravings.moving_avg_7_intensity",
                label(
                    "series.cravings.moving_avg_7_intensity",
                    "Average intensity (7 days)",
                ),
                label("unit.intensity", "0–10"),
                report
                    .cravings
                    .days
                    .iter()
                    .map(|d| (d.date.as_str(), d.moving_avg_7_intensity)),
            )?,
        ];
        all.push(ChartSeries {
            key: "checkins.done".into(),
            label: label("series.checkins.done", "Daily check-in done"),
            unit: label("unit.yes_no", "1 = done"),
            period: SeriesPeriod::Day,
            points: checkin_days,
        });
        all.push(series(
            SeriesPeriod::Week,
            "cravings.weekly_count",
            label("series.cravings.weekly_count", "Cravings per week"),
            label("unit.cravings", "cravings"),
            report
                .cravings
                .weeks
                .iter()
                .map(|w| (w.week_start.as_str(), Some(f64::from(w.count)))),
        )?);
        all.push(series(
            SeriesPeriod::Week,
            "attendance.hours_attended",
            label("series.attendance.hours_attended", "Hours attended"),
            label("unit.hours", "hours"),
            report
                .attendance
                .weeks
                .iter()
                .map(|w| (w.week_start.as_str(), Some(w.hours_attended))),
        )?);
        all.push(series(
            SeriesPeriod::Week,
            "attendance.hours_planned",
            label("series.attendance.hours_planned", "Hours planned"),
            label("unit.hours", "hours"),
            report
                .attendance
                .weeks
                .iter()
                .map(|w| (w.week_start.as_str(), Some(w.hours_planned))),
        )?);
        Ok(ProgressScreen {
            range,
            first_day: LocalDate::new(first),
            last_day: LocalDate::new(today),
            report,
            series: all,
        })
    }
}

fn parse(date: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| Error::Corrupt(format!("report date {date:?}")))
}

fn point(date: NaiveDate, value: Option<f64>) -> ChartPoint {
    ChartPoint {
        date: LocalDate::new(date),
        value,
    }
}

fn points<'a>(values: impl Iterator<Item = (&'a str, Option<f64>)>) -> Result<Vec<ChartPoint>> {
    values
        .map(|(date, value)| Ok(point(parse(date)?, value)))
        .collect()
}

fn series<'a>(
    period: SeriesPeriod,
    key: &str,
    label: Label,
    unit: Label,
    values: impl Iterator<Item = (&'a str, Option<f64>)>,
) -> Result<ChartSeries> {
    Ok(ChartSeries {
        key: key.into(),
        label,
        unit,
        period,
        points: points(values)?,
    })
}
