//! Fixtures for the check-in tests, on top of the shared [`TestDb`].

use crate::test_support::TestDb;
use crate::Steady;

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
