//! Wall-clock times and the rules that turn them into instants.
//!
//! Steady's DST rule, for every reminder and session: a local time that falls
//! in a spring-forward gap happens at the first valid instant after the gap (the
//! transition itself); a local time that falls in a fall-back fold happens
//! once, at its first occurrence. Nothing is skipped, nothing doubled.

use crate::{Error, Result};
use chrono::{
    DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// The instant a wall-clock time in `tz` stands for, by the DST rule above.
pub fn resolve(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let local = local
        .with_second(0)
        .unwrap_or(local)
        .with_nanosecond(0)
        .unwrap_or(local);
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, second) => first.min(second).with_timezone(&Utc),
        LocalResult::None => after_gap(tz, local),
    }
}

/// The first valid minute after a gap is the transition instant itself:
/// transitions in the tz database fall on whole minutes.
fn after_gap(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let mut probe = local;
    // No zone has ever skipped more than a day of wall-clock time.
    for _ in 0..(24 * 60) {
        probe += Duration::minutes(1);
        if let Some(t) = tz.from_local_datetime(&probe).earliest() {
            return t.with_timezone(&Utc);
        }
    }
    Utc.from_utc_datetime(&local)
}

/// An instant as RFC 3339 with the offset `tz` has at that instant.
pub fn rfc3339_in(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

pub fn format_local(local: NaiveDateTime) -> String {
    local.format(LOCAL_FORMAT).to_string()
}

pub fn format_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub fn format_time(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

/// Parses a wall-clock `YYYY-MM-DDTHH:MM`.
pub fn parse_local(field: &str, text: &str) -> Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text.trim(), LOCAL_FORMAT)
        .map_err(|_| Error::invalid(field, "expected a local date and time YYYY-MM-DDTHH:MM"))
}

pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, "expected a date YYYY-MM-DD"))
}

/// Parses a time of day `HH:MM` (24-hour).
pub fn parse_time(field: &str, text: &str) -> Result<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| Error::invalid(field, "expected a time of day HH:MM"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, LOCAL_FORMAT).unwrap()
    }

    fn resolved(zone: Tz, local: &str) -> String {
        rfc3339_in(zone, resolve(zone, at(local)))
    }

    #[test]
    fn new_york_gap_fires_at_the_transition() {
        let ny = chrono_tz::America::New_York;
        assert_eq!(
            resolved(ny, "2026-03-08T02:30"),
            "2026-03-08T03:00:00-04:00"
        );
        assert_eq!(
            resolved(ny, "2026-03-08T02:00"),
            "2026-03-08T03:00:00-04:00"
        );
        assert_eq!(
            resolved(ny, "2026-03-08T03:00"),
            "2026-03-08T03:00:00-04:00"
        );
    }

    #[test]
    fn new_york_fold_fires_at_the_first_occurrence() {
        let ny = chrono_tz::America::New_York;
        assert_eq!(
            resolved(ny, "2026-11-01T01:30"),
            "2026-11-01T01:30:00-04:00"
        );
    }

    #[test]
    fn london_gap_and_fold() {
        let london = chrono_tz::Europe::London;
        assert_eq!(
            resolved(london, "2026-03-29T01:15"),
            "2026-03-29T02:00:00+01:00"
        );
        assert_eq!(
            resolved(london, "2026-10-25T01:15"),
            "2026-10-25T01:15:00+01:00"
        );
    }

    #[test]
    fn sydney_gap_in_october_and_fold_in_april() {
        let sydney = chrono_tz::Australia::Sydney;
        assert_eq!(
            resolved(sydney, "2026-10-04T02:30"),
            "2026-10-04T03:00:00+11:00"
        );
        assert_eq!(
            resolved(sydney, "2026-04-05T02:30"),
            "2026-04-05T02:30:00+11:00"
        );
    }

    #[test]
    fn half_hour_gap_of_lord_howe() {
        let lord_howe = chrono_tz::Australia::Lord_Howe;
        assert_eq!(
            resolved(lord_howe, "2026-10-04T02:10"),
            "2026-10-04T02:30:00+11:00"
        );
    }

    #[test]
    fn parse_errors_name_the_field() {
        match parse_time("times", "25:00") {
            Err(Error::Invalid { field, .. }) => assert_eq!(field, "times"),
            other => panic!("expected invalid, got {other:?}"),
        }
        assert!(parse_local("start_local", "2026-01-01 09:00").is_err());
        assert!(parse_date("start_date", "2026-02-30").is_err());
    }
}
