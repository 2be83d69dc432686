//! Test fixtures: a real encrypted database in a temporary directory with a
//! fixed clock, so every test is deterministic.

use crate::{FixedClock, Steady, KEY_LEN};
use chrono::{DateTime, TimeZone, Utc};
use std::sync::Arc;
use tempfile::TempDir;

pub(crate) struct Fixture {
    pub steady: Steady,
    pub clock: Arc<FixedClock>,
    _dir: TempDir,
}

/// 2026-03-10 14:00 UTC (10:00 in New York), the phone in New York.
pub(crate) fn fixture() -> Fixture {
    fixture_at(
        Utc.with_ymd_and_hms(2026, 3, 10, 14, 0, 0).unwrap(),
        "America/New_York",
    )
}

pub(crate) fn fixture_at(now: DateTime<Utc>, zone: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(now, zone));
    let steady =
        Steady::open(dir.path().join("steady.db"), &[7u8; KEY_LEN], clock.clone()).unwrap();
    Fixture {
        steady,
        clock,
        _dir: dir,
    }
}

/// The field an `Error::Invalid` names; panics on anything else.
pub(crate) fn invalid_field<T: std::fmt::Debug>(result: crate::Result<T>) -> String {
    match result {
        Err(crate::Error::Invalid { field, .. }) => field,
        other => panic!("expected an invalid-input error, got {other:?}"),
    }
}

/// How many outbox rows of `record_type` are queued.
pub(crate) fn outbox_count(steady: &Steady, record_type: &str) -> usize {
    steady
        .pending_outbox()
        .unwrap()
        .iter()
        .filter(|e| e.record_type == record_type)
        .count()
}
