//! Typed time for the screen API: an [`Instant`] (a moment, UTC) and a
//! [`LocalDate`] (a calendar day as the patient lived it). Inside the core
//! they convert to chrono; across the FFI they are UniFFI custom types that
//! the shells see as `java.time.Instant` / `java.time.LocalDate` (Kotlin) and
//! `Date` / `LocalDate` (Swift), so no shell parses a string or guesses what
//! an `i64` means. See docs/adr/0004-typed-time.md.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Serialize, Serializer};

/// A moment in time. On the wire of the FFI: Unix milliseconds (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(i64);

impl Instant {
    pub fn from_millis(ms: i64) -> Instant {
        Instant(ms)
    }

    pub fn as_millis(self) -> i64 {
        self.0
    }

    pub fn from_datetime(at: DateTime<Utc>) -> Instant {
        Instant(at.timestamp_millis())
    }
}

/// Instants show as their Unix milliseconds in JSON (as every `*_ms` field).
impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

/// A calendar day without a zone. On the wire of the FFI: days since
/// 1970-01-01 (negative before), the representation `java.time.LocalDate`
/// uses for `toEpochDay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDate(NaiveDate);

impl LocalDate {
    pub fn new(date: NaiveDate) -> LocalDate {
        LocalDate(date)
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }

    /// Days since 1970-01-01.
    pub fn epoch_day(self) -> i32 {
        (self.0 - epoch()).num_days() as i32
    }

    /// The day `days` after 1970-01-01; `None` outside chrono's range.
    pub fn from_epoch_day(days: i32) -> Option<LocalDate> {
        epoch()
            .checked_add_signed(Duration::days(i64::from(days)))
            .map(LocalDate)
    }
}

fn epoch() -> NaiveDate {
    NaiveDate::default()
}

/// Dates show as `YYYY-MM-DD` in JSON, like every other date Steady prints.
impl Serialize for LocalDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0.format("%Y-%m-%d"))
    }
}

impl std::fmt::Display for LocalDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

#[cfg(feature = "uniffi")]
uniffi::custom_type!(Instant, i64, {
    lower: |instant| instant.0,
    try_lift: |ms| Ok(Instant(ms)),
});

#[cfg(feature = "uniffi")]
uniffi::custom_type!(LocalDate, i32, {
    lower: |date| date.epoch_day(),
    try_lift: |days| LocalDate::from_epoch_day(days)
        .ok_or_else(|| uniffi::deps::anyhow::anyhow!("date {days} days from 1970 is out of range")),
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_match_java_time() {
        // java.time.LocalDate.of(2027, 1, 4).toEpochDay() == 20822
        let date = LocalDate::new(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
        assert_eq!(date.epoch_day(), 20822);
        assert_eq!(LocalDate::from_epoch_day(20822), Some(date));
        assert_eq!(
            LocalDate::from_epoch_day(-1).unwrap().to_string(),
            "1969-12-31"
        );
        assert_eq!(LocalDate::from_epoch_day(i32::MAX), None);
        assert_eq!(serde_json::to_string(&date).unwrap(), "\"2027-01-04\"");
    }
}
