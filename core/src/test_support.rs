//! Test fixtures: a real encrypted database in a temporary directory, driven
//! by a [`FixedClock`] in an explicit zone.

use crate::{FixedClock, Result, Steady, KEY_LEN};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) struct TestDb {
    pub steady: Steady,
    pub clock: Arc<FixedClock>,
    pub path: PathBuf,
    pub key: Vec<u8>,
    _dir: tempfile::TempDir,
}

impl TestDb {
    /// A fresh database; `now` is RFC 3339, `zone` an IANA name.
    pub fn new(now: &str, zone: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("steady.db");
        let key: Vec<u8> = (0..KEY_LEN as u8).map(|b| b.wrapping_mul(7)).collect();
        let clock = Arc::new(FixedClock::new(utc(now), zone));
        let steady = open_at(&path, &key, clock.clone()).expect("open test db");
        TestDb {
            steady,
            clock,
            path,
            key,
            _dir: dir,
        }
    }

    pub fn now_ms(&self) -> i64 {
        use crate::Clock;
        self.clock.now().timestamp_millis()
    }
}

pub(crate) fn open_at(path: &Path, key: &[u8], clock: Arc<FixedClock>) -> Result<Steady> {
    Steady::open(path, key, clock)
}

/// Parses an RFC 3339 instant for tests.
pub(crate) fn utc(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("test instants are RFC 3339")
        .with_timezone(&Utc)
}

/// 2026-03-10 14:00 UTC (10:00 in New York), the phone in New York.
pub(crate) fn fixture() -> TestDb {
    TestDb::new("2026-03-10T14:00:00Z", "America/New_York")
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
