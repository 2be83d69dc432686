//! The clock the shell hands in: the platform's current instant and time zone.
//! Kotlin implements it over `System.currentTimeMillis()`/`ZoneId`, Swift over
//! `Date()`/`TimeZone.current`; tests implement a fixed one.

use chrono::{DateTime, Utc};
use std::sync::Arc;

#[uniffi::export(with_foreign)]
pub trait PhoneClock: Send + Sync {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
    /// IANA zone name, e.g. `Europe/London`.
    fn time_zone(&self) -> String;
}

/// Adapts the foreign clock to the core's `Clock`.
pub(crate) struct ForeignClock(pub Arc<dyn PhoneClock>);

impl steady_core::Clock for ForeignClock {
    fn now(&self) -> DateTime<Utc> {
        // A platform clock is always within chrono's range (±262,000 years);
        // should one ever not be, the epoch is a safe, visible sentinel.
        DateTime::from_timestamp_millis(self.0.now_ms()).unwrap_or_default()
    }

    fn time_zone(&self) -> String {
        self.0.time_zone()
    }
}
