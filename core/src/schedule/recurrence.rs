//! Expanding a series into concrete occurrences: the repeat rule gives
//! original clinic-local starts; changes cancel or move single occurrences;
//! each local start becomes an instant in the clinic's zone by the DST rule of
//! [`super::local_time`]. Computing on wall-clock dates (not by adding 7×24 h)
//! is what keeps a weekly 09:00 session at 09:00 across DST changes.

use super::local_time::{format_local, resolve};
use super::series::{Change, Series};
use super::{AttendanceStatus, OccurrenceStatus, SessionOccurrence};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};

/// Most original starts one expansion walks through: a sub-daily rule
/// cannot make a phone expand without end.
const MAX_ORIGINALS: usize = 100_000;

/// Every original start the rule gives, in order, up to and including `last`.
/// An override of a start the rule does not give (calendars have them, e.g.
/// after the rule was edited) is an occurrence of its own.
pub(crate) fn originals_until(series: &Series, last: NaiveDateTime) -> Vec<NaiveDateTime> {
    let mut starts = match &series.rule {
        None if series.start <= last => vec![series.start],
        None => Vec::new(),
        Some(set) => super::rules::starts_until(set, last, MAX_ORIGINALS),
    };
    let mut extra: Vec<NaiveDateTime> = series
        .changes
        .iter()
        .filter(|(original, change)| !change.cancelled && **original <= last)
        .map(|(original, _)| *original)
        .filter(|original| starts.binary_search(original).is_err())
        .collect();
    if !extra.is_empty() {
        starts.append(&mut extra);
        starts.sort();
        starts.dedup();
    }
    starts
}

/// Whether the rule gives an occurrence originally starting at `original`.
pub(crate) fn has_original(series: &Series, original: NaiveDateTime) -> bool {
    originals_until(series, original).last() == Some(&original)
}

/// The change that applies to `original`: its own, else the latest
/// this-and-future change at or before it, shifted to it.
fn change_for(series: &Series, original: NaiveDateTime) -> Option<Change> {
    if let Some(own) = series.changes.get(&original) {
        return Some(own.clone());
    }
    let (from, range) = series
        .ranges
        .iter()
        .rev()
        .find(|(from, _)| *from <= original)?;
    Some(Change {
        cancelled: range.cancelled,
        start: range
            .start
            .and_then(|moved| original.checked_add_signed(moved - *from)),
        duration_min: range.duration_min,
        title: range.title.clone(),
        location: range.location.clone(),
    })
}

/// One expanded occurrence before attendance is attached.
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    pub original: NaiveDateTime,
    pub start_local: NaiveDateTime,
    pub start: DateTime<Utc>,
    pub duration_min: u32,
    pub cancelled: bool,
    pub moved: bool,
    pub title: String,
    pub location: Option<String>,
}

impl Instance {
    pub fn end(&self) -> DateTime<Utc> {
        self.start + Duration::minutes(i64::from(self.duration_min))
    }
}

/// Occurrences (cancelled ones included) whose actual start is in `[from, to)`.
pub(crate) fn expand(series: &Series, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Instance> {
    // Local bounds with two days of slack cover any UTC offset; moves are
    // looked up separately so one moved from far away still lands in range.
    let slack = Duration::days(2);
    let from_local = from.with_timezone(&series.tz).naive_local() - slack;
    let mut last = to.with_timezone(&series.tz).naive_local() + slack;
    for (original, change) in &series.changes {
        if change.start.is_some() {
            last = last.max(*original);
        }
    }
    // A this-and-future move earlier in time brings later originals in.
    for (from, range) in &series.ranges {
        if let Some(moved) = range.start {
            if moved < *from {
                last += *from - moved;
            }
        }
    }
    originals_until(series, last)
        .into_iter()
        .filter_map(|original| {
            let change = change_for(series, original);
            let change = change.as_ref();
            let start_local = change.and_then(|c| c.start).unwrap_or(original);
            if start_local < from_local && original < from_local {
                return None;
            }
            let start = resolve(series.tz, start_local);
            if start < from || start >= to {
                return None;
            }
            Some(Instance {
                original,
                start_local,
                start,
                duration_min: change
                    .and_then(|c| c.duration_min)
                    .unwrap_or(series.record.duration_min),
                cancelled: change.is_some_and(|c| c.cancelled),
                moved: start_local != original,
                title: change
                    .and_then(|c| c.title.clone())
                    .unwrap_or_else(|| series.record.title.clone()),
                location: change
                    .and_then(|c| c.location.clone())
                    .or_else(|| series.record.location.clone()),
            })
        })
        .collect()
}

/// The stable occurrence id: series id plus the original clinic-local start,
/// so attendance and sync can name an occurrence without storing it.
pub fn occurrence_id(series_id: &str, original: NaiveDateTime) -> String {
    format!("{series_id}@{}", format_local(original))
}

/// Attaches status: cancelled, recorded attendance, or unconfirmed once the
/// session ended more than `unconfirmed_after` ago without a record.
pub(crate) fn occurrence(
    series: &Series,
    instance: Instance,
    attendance: Option<AttendanceStatus>,
    now: DateTime<Utc>,
    unconfirmed_after: Duration,
) -> SessionOccurrence {
    let status = match (instance.cancelled, attendance) {
        (true, _) => OccurrenceStatus::Cancelled,
        (false, Some(AttendanceStatus::Attended)) => OccurrenceStatus::Attended,
        (false, Some(AttendanceStatus::Late)) => OccurrenceStatus::Late,
        (false, Some(AttendanceStatus::Missed)) => OccurrenceStatus::Missed,
        (false, Some(AttendanceStatus::Excused)) => OccurrenceStatus::Excused,
        (false, None) if now >= instance.end() + unconfirmed_after => OccurrenceStatus::Unconfirmed,
        (false, None) => OccurrenceStatus::Scheduled,
    };
    let end = instance.end();
    SessionOccurrence {
        id: occurrence_id(&series.record.id, instance.original),
        series_id: series.record.id.clone(),
        kind: series.record.kind,
        title: instance.title,
        location: instance.location,
        video_url: series.record.video_url.clone(),
        time_zone: series.record.time_zone.clone(),
        original_start_local: format_local(instance.original),
        start_local: format_local(instance.start_local),
        start_ms: instance.start.timestamp_millis(),
        end_ms: end.timestamp_millis(),
        duration_min: instance.duration_min,
        moved: instance.moved,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::local_time::rfc3339_in;
    use crate::schedule::series::validate;
    use crate::schedule::{
        Frequency, OccurrenceChange, Recurrence, ScheduleSource, SessionKind, SessionSeries,
        Weekday,
    };
    use crate::test_support::utc;

    pub(crate) fn weekly(zone: &str, start: &str, days: &[Weekday]) -> SessionSeries {
        SessionSeries {
            id: "series-1".into(),
            uid: None,
            kind: SessionKind::Group,
            title: "Group".into(),
            location: None,
            video_url: None,
            time_zone: zone.into(),
            start_local: start.into(),
            duration_min: 180,
            recurrence: Some(Recurrence {
                frequency: Frequency::Weekly,
                interval: 1,
                weekdays: days.to_vec(),
                until: None,
                count: None,
                rules: Vec::new(),
                extra_starts: Vec::new(),
            }),
            changes: Vec::new(),
            source: ScheduleSource::Clinic,
        }
    }

    fn locals(series: SessionSeries, from: &str, to: &str) -> Vec<String> {
        let series = validate(series).unwrap();
        expand(&series, utc(from), utc(to))
            .into_iter()
            .map(|i| rfc3339_in(series.tz, i.start))
            .collect()
    }

    #[test]
    fn weekly_series_keeps_its_wall_clock_time_across_new_york_dst() {
        let series = weekly("America/New_York", "2026-02-24T09:00", &[Weekday::Tue]);
        let got = locals(series, "2026-03-01T00:00:00Z", "2026-03-20T00:00:00Z");
        assert_eq!(
            got,
            [
                "2026-03-03T09:00:00-05:00",
                "2026-03-10T09:00:00-04:00",
                "2026-03-17T09:00:00-04:00"
            ]
        );
        let series = weekly("America/New_York", "2026-10-20T18:00", &[Weekday::Tue]);
        let got = locals(series, "2026-10-25T00:00:00Z", "2026-11-05T00:00:00Z");
        assert_eq!(
            got,
            ["2026-10-27T18:00:00-04:00", "2026-11-03T18:00:00-05:00"]
        );
    }

    #[test]
    fn weekly_series_across_london_and_sydney_changes() {
        let series = weekly("Europe/London", "2026-03-23T10:00", &[Weekday::Mon]);
        let got = locals(series, "2026-03-22T00:00:00Z", "2026-04-01T00:00:00Z");
        assert_eq!(
            got,
            ["2026-03-23T10:00:00+00:00", "2026-03-30T10:00:00+01:00"]
        );
        let series = weekly("Australia/Sydney", "2026-03-30T10:00", &[Weekday::Mon]);
        let got = locals(series, "2026-03-29T00:00:00Z", "2026-04-08T00:00:00Z");
        assert_eq!(
            got,
            ["2026-03-30T10:00:00+11:00", "2026-04-06T10:00:00+10:00"]
        );
    }

    #[test]
    fn session_in_a_gap_starts_after_the_gap_and_in_a_fold_once() {
        let series = weekly("Australia/Sydney", "2026-09-27T02:30", &[Weekday::Sun]);
        let got = locals(series, "2026-09-26T00:00:00Z", "2026-10-10T00:00:00Z");
        assert_eq!(
            got,
            ["2026-09-27T02:30:00+10:00", "2026-10-04T03:00:00+11:00"]
        );
        let series = weekly("Europe/London", "2026-10-18T01:30", &[Weekday::Sun]);
        let got = locals(series, "2026-10-17T00:00:00Z", "2026-11-01T00:00:00Z");
        assert_eq!(
            got,
            ["2026-10-18T01:30:00+01:00", "2026-10-25T01:30:00+01:00"]
        );
    }

    #[test]
    fn interval_until_and_count_bound_the_series() {
        let mut series = weekly("UTC", "2026-01-05T09:00", &[Weekday::Mon, Weekday::Thu]);
        if let Some(rule) = series.recurrence.as_mut() {
            rule.interval = 2;
            rule.count = Some(5);
        }
        let got = locals(
            series.clone(),
            "2026-01-01T00:00:00Z",
            "2026-03-01T00:00:00Z",
        );
        assert_eq!(
            got,
            [
                "2026-01-05T09:00:00+00:00",
                "2026-01-08T09:00:00+00:00",
                "2026-01-19T09:00:00+00:00",
                "2026-01-22T09:00:00+00:00",
                "2026-02-02T09:00:00+00:00"
            ]
        );
        if let Some(rule) = series.recurrence.as_mut() {
            rule.count = None;
            rule.until = Some("2026-01-19".into());
        }
        let got = locals(series, "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z");
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn cancelled_and_moved_occurrences_keep_their_original_id() {
        let mut series = weekly("America/New_York", "2026-03-02T09:00", &[Weekday::Mon]);
        series.changes = vec![
            OccurrenceChange {
                original_start_local: "2026-03-09T09:00".into(),
                cancelled: true,
                start_local: None,
                duration_min: None,
                title: None,
                location: None,
                this_and_future: false,
            },
            OccurrenceChange {
                original_start_local: "2026-03-30T09:00".into(),
                cancelled: false,
                start_local: Some("2026-03-17T14:00".into()),
                duration_min: Some(60),
                title: None,
                location: None,
                this_and_future: false,
            },
        ];
        let series = validate(series).unwrap();
        let got = expand(
            &series,
            utc("2026-03-08T00:00:00Z"),
            utc("2026-03-20T00:00:00Z"),
        );
        let summary: Vec<_> = got
            .iter()
            .map(|i| {
                (
                    format_local(i.original),
                    format_local(i.start_local),
                    i.cancelled,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("2026-03-09T09:00".into(), "2026-03-09T09:00".into(), true),
                ("2026-03-16T09:00".into(), "2026-03-16T09:00".into(), false),
                ("2026-03-30T09:00".into(), "2026-03-17T14:00".into(), false),
            ]
        );
        assert!(got[2].moved);
        assert_eq!(got[2].duration_min, 60);
        assert!(has_original(&series, got[2].original));
        assert!(!has_original(&series, got[2].start_local));
    }

    #[test]
    fn daily_series_with_weekdays_skips_other_days() {
        let mut series = weekly("UTC", "2026-01-01T09:00", &[Weekday::Sat, Weekday::Sun]);
        if let Some(rule) = series.recurrence.as_mut() {
            rule.frequency = Frequency::Daily;
        }
        let got = locals(series, "2026-01-01T00:00:00Z", "2026-01-12T00:00:00Z");
        assert_eq!(
            got,
            [
                "2026-01-03T09:00:00+00:00",
                "2026-01-04T09:00:00+00:00",
                "2026-01-10T09:00:00+00:00",
                "2026-01-11T09:00:00+00:00"
            ]
        );
    }
}
