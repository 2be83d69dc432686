//! A session series on the wire (`steady_protocol::SessionSeries`) and in
//! the schedule model, both ways: phones read what the clinic server sends
//! (core/src/sync/clinic_schedule.rs); the server writes what it parsed from
//! a calendar feed. A series version 1 can say (weekly, whole-day end) is
//! written in version 1's fields only, so phones that know only version 1
//! keep reading it.

use super::local_time::{format_date, format_time, parse_local};
use super::{Frequency, OccurrenceChange, Recurrence, ScheduleSource, SessionSeries, Weekday};
use crate::Result;
use chrono::Datelike;
use steady_protocol as wire;

/// The model's series for a wire series with record id `id`.
pub fn from_wire(id: &str, series: wire::SessionSeries) -> SessionSeries {
    let start = |date: &str| format!("{date}T{}", series.start_time);
    let first = start(&series.first_date);
    let extra_starts = series.extra_starts.clone();
    let recurrence = if !series.rules.is_empty() {
        let frequency = series.rules[0]
            .split(';')
            .find_map(|part| {
                let (key, value) = part.split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("FREQ")
                    .then(|| Frequency::parse_rfc5545(value))
                    .flatten()
            })
            .unwrap_or(Frequency::Weekly);
        Some(Recurrence {
            frequency,
            interval: 1,
            weekdays: Vec::new(),
            until: None,
            count: None,
            rules: series.rules.clone(),
            extra_starts,
        })
    } else {
        Some(Recurrence {
            frequency: Frequency::Weekly,
            interval: series.interval_weeks,
            weekdays: series.weekdays.clone(),
            until: series.until_date.clone(),
            count: series.count,
            rules: Vec::new(),
            extra_starts,
        })
    };
    let mut changes: Vec<OccurrenceChange> = series
        .cancelled_dates
        .iter()
        .map(|date| OccurrenceChange {
            original_start_local: start(date),
            cancelled: true,
            start_local: None,
            duration_min: None,
            title: None,
            location: None,
            this_and_future: false,
        })
        .collect();
    changes.extend(series.changes.into_iter().map(|c| OccurrenceChange {
        original_start_local: c.original_start,
        cancelled: c.cancelled,
        start_local: c.start,
        duration_min: c.duration_minutes,
        title: c.title,
        location: c.location,
        this_and_future: c.this_and_future,
    }));
    SessionSeries {
        id: id.to_string(),
        uid: series.uid,
        kind: series.kind,
        title: series.title,
        location: series.location,
        video_url: None,
        time_zone: series.time_zone,
        start_local: first,
        duration_min: series.duration_minutes,
        recurrence,
        changes,
        source: ScheduleSource::Clinic,
    }
}

/// The wire form of a (validated) model series.
pub fn to_wire(series: &SessionSeries) -> Result<wire::SessionSeries> {
    let start = parse_local("start_local", &series.start_local)?;
    let start_time = format_time(start.time());
    let start_day = Weekday::from_chrono(start.date().weekday());
    let mut out = wire::SessionSeries {
        kind: series.kind,
        title: series.title.clone(),
        time_zone: series.time_zone.clone(),
        first_date: format_date(start.date()),
        start_time: start_time.clone(),
        duration_minutes: series.duration_min,
        // A one-off session is, in version 1, one weekly occurrence.
        weekdays: vec![start_day],
        interval_weeks: 1,
        until_date: None,
        count: Some(1),
        location: series.location.clone().or_else(|| series.video_url.clone()),
        cancelled_dates: Vec::new(),
        rules: Vec::new(),
        extra_starts: Vec::new(),
        changes: Vec::new(),
        uid: series.uid.clone(),
    };
    if let Some(rule) = &series.recurrence {
        out.count = rule.count;
        out.extra_starts = rule.extra_starts.clone();
        let whole_days = rule.until.as_deref().is_none_or(|u| u.len() == 10);
        if rule.rules.is_empty() && rule.frequency == Frequency::Weekly && whole_days {
            if !rule.weekdays.is_empty() {
                out.weekdays = rule.weekdays.clone();
            }
            out.interval_weeks = rule.interval;
            out.until_date = rule.until.clone();
        } else {
            out.count = None;
            out.rules = if rule.rules.is_empty() {
                vec![super::series::typed_rule_text(rule)?]
            } else {
                rule.rules.clone()
            };
        }
    }
    for change in &series.changes {
        let plain_cancel = change.cancelled
            && !change.this_and_future
            && change
                .original_start_local
                .ends_with(&format!("T{start_time}"));
        if plain_cancel {
            out.cancelled_dates
                .push(change.original_start_local[..10].to_string());
        } else {
            out.changes.push(wire::OccurrenceChange {
                original_start: change.original_start_local.clone(),
                cancelled: change.cancelled,
                start: change.start_local.clone(),
                duration_minutes: change.duration_min,
                title: change.title.clone(),
                location: change.location.clone(),
                this_and_future: change.this_and_future,
            });
        }
    }
    Ok(out)
}

/// One session of a clinic series as the phone schedules it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireOccurrence {
    /// `series@YYYY-MM-DDTHH:MM` (the original clinic-local start): the id
    /// attendance is recorded under, on the phone and at the clinic.
    pub id: String,
    pub starts_at_ms: i64,
    pub duration_minutes: u32,
    pub title: String,
    pub cancelled: bool,
}

/// The sessions of wire series `id` whose start is in `[from_ms, to_ms)`,
/// expanded exactly as a phone expands them (interval, end date, count,
/// rules, extra starts, moves and cancellations), so the clinic's dashboard
/// and the phone agree on what was scheduled. A series the phone would
/// refuse is an error naming the field.
pub fn wire_occurrences(
    id: &str,
    series: wire::SessionSeries,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<WireOccurrence>> {
    let instant = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .ok_or_else(|| crate::Error::invalid("instant", format!("{ms} ms is out of range")))
    };
    let (from, to) = (instant(from_ms)?, instant(to_ms)?);
    let series = super::series::validate(from_wire(id, series))?;
    Ok(super::recurrence::expand(&series, from, to)
        .into_iter()
        .map(|o| WireOccurrence {
            id: super::recurrence::occurrence_id(id, o.original),
            starts_at_ms: o.start.timestamp_millis(),
            duration_minutes: o.duration_min,
            title: o.title,
            cancelled: o.cancelled,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::series::validate;

    fn v1_json() -> serde_json::Value {
        serde_json::json!({
            "kind": "group", "title": "Evening group", "time_zone": "America/New_York",
            "first_date": "2026-03-02", "start_time": "18:00", "duration_minutes": 180,
            "weekdays": ["mon", "wed"], "interval_weeks": 1, "until_date": "2026-06-01",
            "location": "Room 2", "cancelled_dates": ["2026-03-09"]
        })
    }

    /// What the clinic's dashboard counts as scheduled: the count ends the
    /// series (a cancelled date still uses up one of its sessions, as in
    /// RFC 5545, where EXDATE removes from the COUNT-bounded set), and the
    /// ids are the phone's.
    #[test]
    fn wire_occurrences_stop_at_the_count_and_mark_cancelled_dates() {
        let mut json = v1_json();
        json["until_date"] = serde_json::Value::Null;
        json["count"] = serde_json::json!(4);
        let wire: wire::SessionSeries = serde_json::from_value(json).unwrap();
        // 2026-03-01 to 2026-05-01, New York.
        let all = wire_occurrences("s1", wire, 1_772_323_200_000, 1_777_593_600_000).unwrap();
        let ids: Vec<(&str, bool)> = all.iter().map(|o| (o.id.as_str(), o.cancelled)).collect();
        assert_eq!(
            ids,
            [
                ("s1@2026-03-02T18:00", false),
                ("s1@2026-03-04T18:00", false),
                ("s1@2026-03-09T18:00", true),
                ("s1@2026-03-11T18:00", false),
            ]
        );
        // 18:00 EST on 2 March is 23:00 UTC.
        assert_eq!(all[0].starts_at_ms, 1_772_492_400_000);
        assert_eq!(all[0].duration_minutes, 180);
    }

    #[test]
    fn wire_occurrences_of_a_series_the_phone_refuses_name_the_field() {
        let mut json = v1_json();
        json["time_zone"] = serde_json::json!("Mars/Olympus_Mons");
        let wire: wire::SessionSeries = serde_json::from_value(json).unwrap();
        let error = wire_occurrences("s1", wire, 0, 1).unwrap_err();
        assert!(error.to_string().contains("time_zone"), "{error}");
    }

    #[test]
    fn a_weekly_series_round_trips_in_version_1_fields_only() {
        let wire: wire::SessionSeries = serde_json::from_value(v1_json()).unwrap();
        let model = validate(from_wire("s1", wire)).unwrap().record;
        let back = serde_json::to_value(to_wire(&model).unwrap()).unwrap();
        let mut expected = v1_json();
        expected["count"] = serde_json::Value::Null;
        assert_eq!(back, expected);
    }

    #[test]
    fn a_calendar_series_travels_with_rules_dates_and_changes() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:fam\n\
DTSTART;TZID=America/Denver:20260103T100000\nDURATION:PT2H\n\
RRULE:FREQ=MONTHLY;BYDAY=1SA\nRDATE;TZID=America/Denver:20260120T100000\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:fam\nRECURRENCE-ID;RANGE=THISANDFUTURE;TZID=America/Denver:20260307T100000\n\
DTSTART;TZID=America/Denver:20260307T110000\nDURATION:PT2H\nEND:VEVENT\nEND:VCALENDAR\n";
        let calendar = crate::schedule::ical::parse(text).unwrap();
        let model = validate(calendar.series[0].clone()).unwrap().record;
        let sent = to_wire(&model).unwrap();
        assert_eq!(sent.rules, ["FREQ=MONTHLY;BYDAY=1SA"]);
        assert_eq!(sent.extra_starts, ["2026-01-20T10:00"]);
        assert!(sent.changes[0].this_and_future);
        let json = serde_json::to_string(&sent).unwrap();
        let received: wire::SessionSeries = serde_json::from_str(&json).unwrap();
        let back = validate(from_wire("", received)).unwrap().record;
        assert_eq!(
            back.recurrence.as_ref().unwrap().rules,
            model.recurrence.as_ref().unwrap().rules
        );
        assert_eq!(back.changes, model.changes);
        assert_eq!(back.start_local, model.start_local);
    }

    #[test]
    fn a_one_off_session_is_one_weekly_occurrence_for_version_1_phones() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:once\n\
DTSTART;TZID=Europe/London:20260305T100000\nDURATION:PT50M\nEND:VEVENT\nEND:VCALENDAR\n";
        let calendar = crate::schedule::ical::parse(text).unwrap();
        let sent = to_wire(&calendar.series[0]).unwrap();
        assert_eq!(sent.weekdays, [wire::Weekday::Thu]);
        assert_eq!(sent.count, Some(1));
        assert!(sent.rules.is_empty());
    }
}
