//! The injectable clock: the only way the current instant and the phone's time
//! zone enter the core. Shells implement it over the platform clock; tests and
//! scripted CLI runs use [`FixedClock`].

use chrono::{DateTime, Duration, Utc};
use std::sync::Mutex;

pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
    /// The IANA name of the zone the phone is in now, e.g. `America/New_York`.
    fn time_zone(&self) -> String;
}

/// A clock that stays where it is put: for tests, demos and `steady --now`.
#[derive(Debug)]
pub struct FixedClock {
    state: Mutex<(DateTime<Utc>, String)>,
}

impl FixedClock {
    pub fn new(now: DateTime<Utc>, time_zone: &str) -> Self {
        FixedClock {
            state: Mutex::new((now, time_zone.to_string())),
        }
    }

    pub fn set(&self, now: DateTime<Utc>) {
        self.lock().0 = now;
    }

    pub fn advance(&self, by: Duration) {
        let mut state = self.lock();
        state.0 += by;
    }

    /// The patient travelled: the phone now reports another zone.
    pub fn travel_to(&self, time_zone: &str) {
        self.lock().1 = time_zone.to_string();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (DateTime<Utc>, String)> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.lock().0
    }

    fn time_zone(&self) -> String {
        self.lock().1.clone()
    }
}
