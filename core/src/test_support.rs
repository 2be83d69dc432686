//! Test fixtures for the schedule and reminders: a real encrypted database in
//! a temporary directory, driven by a [`FixedClock`] in an explicit zone.

use crate::{FixedClock, Steady, KEY_LEN};
use chrono::{DateTime, Utc};
use std::sync::Arc;

pub(crate) struct Fixture {
    pub steady: Steady,
    pub clock: Arc<FixedClock>,
    _dir: tempfile::TempDir,
}

pub(crate) fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("test instants are RFC 3339")
        .with_timezone(&Utc)
}

/// Opens a fresh database at `now` (RFC 3339) with the phone in `zone`.
pub(crate) fn fixture(now: &str, zone: &str) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(FixedClock::new(utc(now), zone));
    let steady = Steady::open(dir.path().join("steady.db"), &[7u8; KEY_LEN], clock.clone())
        .expect("open database");
    Fixture {
        steady,
        clock,
        _dir: dir,
    }
}
