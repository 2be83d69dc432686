//! The session occurrences the clinic's series produce: for the digest, the
//! charts, recording attendance and the unconfirmed sessions triage counts.
//! Below the digest and triage, which both read it.

use super::facts::Facts;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use steady_protocol::Weekday;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// One planned session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// `series@YYYY-MM-DDTHH:MM`, the id the phone uses too.
    pub id: String,
    pub series_id: String,
    pub title: String,
    pub starts_at_ms: i64,
    pub minutes: i64,
}

/// Sessions of the clinic's series starting in `(from_ms, to_ms]`, oldest
/// first (weekly rules with an interval, an end date and cancellations).
pub fn occurrences(facts: &Facts, from_ms: i64, to_ms: i64) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for (series_id, s) in &facts.series {
        let (Ok(zone), Ok(first), Ok(start)) = (
            s.time_zone.parse::<chrono_tz::Tz>(),
            NaiveDate::parse_from_str(&s.first_date, "%Y-%m-%d"),
            NaiveTime::parse_from_str(&s.start_time, "%H:%M"),
        ) else {
            continue;
        };
        let until = s
            .until_date
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let Some(from_day) = Utc.timestamp_millis_opt(from_ms - DAY_MS).single() else {
            continue;
        };
        let Some(to_day) = Utc.timestamp_millis_opt(to_ms + DAY_MS).single() else {
            continue;
        };
        let mut day = from_day.with_timezone(&zone).date_naive().max(first);
        let last = to_day.with_timezone(&zone).date_naive();
        let first_week = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
        while day <= last && until.is_none_or(|u| day <= u) {
            let week = (day - first_week).num_days() / 7;
            let date = day.format("%Y-%m-%d").to_string();
            if s.weekdays.contains(&Weekday::from_chrono(day.weekday()))
                && week % i64::from(s.interval_weeks.max(1)) == 0
                && !s.cancelled_dates.contains(&date)
            {
                if let Some(at) = zone.from_local_datetime(&day.and_time(start)).earliest() {
                    let ms = at.timestamp_millis();
                    if ms > from_ms && ms <= to_ms {
                        out.push(Occurrence {
                            id: format!("{series_id}@{date}T{}", s.start_time),
                            series_id: series_id.clone(),
                            title: s.title.clone(),
                            starts_at_ms: ms,
                            minutes: i64::from(s.duration_minutes),
                        });
                    }
                }
            }
            day += Duration::days(1);
        }
    }
    out.sort_by_key(|o| o.starts_at_ms);
    out
}

/// Sessions that ended after `from_ms` and before now with no record from
/// the patient or the clinic.
pub fn unconfirmed_sessions(facts: &Facts, from_ms: i64, now_ms: i64) -> Vec<Occurrence> {
    occurrences(facts, from_ms, now_ms)
        .into_iter()
        .filter(|o| o.starts_at_ms + o.minutes * 60_000 < now_ms)
        .filter(|o| !facts.attendance.iter().any(|a| a.occurrence_id == o.id))
        .collect()
}
