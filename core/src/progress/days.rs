//! Local days: every metric counts in the patient's calendar days, and each
//! event's own zone decides which day it belongs to. A craving at 23:30 in New
//! York stays on that New York date after the patient flies to London, and a
//! 23- or 25-hour DST day is still one day.

use crate::zone::Tz;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};

use crate::{validate, Error, Result};

/// The wall-clock time of `at_ms` in `zone`; the epoch for an instant chrono
/// cannot represent (stored instants are validated on the way in).
pub(crate) fn local_time(at_ms: i64, zone: Tz) -> NaiveDateTime {
    DateTime::<Utc>::from_timestamp_millis(at_ms)
        .unwrap_or_default()
        .with_timezone(&zone)
        .naive_local()
}

/// The calendar date of `at_ms` in `zone`.
pub(crate) fn local_date(at_ms: i64, zone: Tz) -> NaiveDate {
    local_time(at_ms, zone).date()
}

/// The Monday that starts `date`'s week (weeks run Monday to Sunday).
pub(crate) fn week_start(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// Every date in `[first, last]`, in order; empty when `first > last`.
pub(crate) fn dates(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    first.iter_days().take_while(move |d| *d <= last)
}

/// How many dates `[first, last]` holds (0 when `first > last`).
pub(crate) fn days_in(first: NaiveDate, last: NaiveDate) -> u32 {
    u32::try_from((last - first).num_days() + 1).unwrap_or(0)
}

/// `YYYY-MM-DD`, the form local dates take across the FFI and in JSON.
pub(crate) use crate::schedule::local_time::format_date;

/// `part / whole`, rounded; none when there is nothing to divide by.
pub(crate) fn ratio(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| round(f64::from(part) / f64::from(whole)))
}

/// Every fractional number Steady shows is rounded to three decimals, so the
/// same history prints the same figures on every platform.
pub(crate) fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// A zone name read back from the database; a bad one is corruption.
pub(crate) fn stored_zone(name: &str) -> Result<Tz> {
    validate::time_zone("time_zone", name).map_err(|_| Error::Corrupt("stored time zone".into()))
}

/// A `YYYY-MM-DD` date read back from the database; a bad one is corruption.
pub(crate) fn stored_date(text: &str) -> Result<NaiveDate> {
    // Stored dates are written in the canonical form, read without chrono's
    // pattern parser; anything else gets the parser's own reading.
    if let Some(date) = crate::schedule::local_time::parse_canonical_date(text) {
        return Ok(date);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| Error::Corrupt("stored date".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_instant_belongs_to_the_date_of_its_own_zone() {
        // 2026-03-09T03:30Z is still March 8 in New York, March 9 in London.
        let ms = 1_773_027_000_000;
        assert_eq!(
            local_date(ms, crate::zone::Tz::named("America/New_York").unwrap()),
            d("2026-03-08")
        );
        assert_eq!(
            local_date(ms, crate::zone::Tz::named("Europe/London").unwrap()),
            d("2026-03-09")
        );
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_start(d("2026-03-08")), d("2026-03-02"));
        assert_eq!(week_start(d("2026-03-09")), d("2026-03-09"));
    }

    #[test]
    fn date_ranges_are_inclusive_and_may_be_empty() {
        assert_eq!(days_in(d("2026-03-01"), d("2026-03-31")), 31);
        assert_eq!(days_in(d("2026-03-02"), d("2026-03-01")), 0);
        assert_eq!(dates(d("2026-03-02"), d("2026-03-01")).count(), 0);
        assert_eq!(ratio(6, 7), Some(0.857));
        assert_eq!(ratio(1, 0), None);
    }
}
