//! The foundation's craving tests: the quick log, list, delete, reopen.

use crate::craving::*;
use crate::test_support::{open_at, TestDb};
use crate::Error;

fn quick(intensity: u8) -> NewCraving {
    NewCraving {
        intensity,
        ..NewCraving::default()
    }
}

#[test]
fn logging_defaults_to_now_in_the_phones_zone() {
    let db = TestDb::new("2026-03-08T12:00:00Z", "America/New_York");
    let craving = db.steady.log_craving(quick(6)).unwrap();
    assert_eq!(craving.intensity, 6);
    assert_eq!(craving.time_zone, "America/New_York");
    assert_eq!(craving.occurred_at_ms, db.now_ms());
    assert_eq!(db.steady.craving(&craving.id).unwrap(), craving);
}

#[test]
fn list_is_newest_first_within_the_range() {
    let db = TestDb::new("2026-03-08T12:00:00Z", "Europe/London");
    let hour = 3_600_000;
    let old = db.steady.log_craving(NewCraving {
        occurred_at_ms: Some(db.now_ms() - 5 * hour),
        ..quick(3)
    });
    let mid = db.steady.log_craving(NewCraving {
        occurred_at_ms: Some(db.now_ms() - 2 * hour),
        ..quick(5)
    });
    let new = db.steady.log_craving(quick(8)).unwrap();
    let listed = db
        .steady
        .list_cravings(db.now_ms() - 3 * hour, db.now_ms() + 1)
        .unwrap();
    assert_eq!(listed, vec![new, mid.unwrap()]);
    assert!(old.is_ok());
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let db = TestDb::new("2026-03-08T12:00:00Z", "UTC");
    let cases = [
        (quick(11), "intensity"),
        (
            NewCraving {
                time_zone: Some("Mars/Olympus_Mons".into()),
                ..quick(4)
            },
            "time_zone",
        ),
        (
            NewCraving {
                note: Some("x".repeat(crate::validate::MAX_NOTE_CHARS + 1)),
                ..quick(4)
            },
            "note",
        ),
        (
            NewCraving {
                occurred_at_ms: Some(db.now_ms() + 86_400_000),
                ..quick(4)
            },
            "occurred_at",
        ),
        (
            NewCraving {
                occurred_at_ms: Some(i64::MAX),
                ..quick(4)
            },
            "occurred_at",
        ),
    ];
    for (input, expected_field) in cases {
        match db.steady.log_craving(input) {
            Err(Error::Invalid { field, .. }) => assert_eq!(field, expected_field),
            other => panic!("expected invalid {expected_field}, got {other:?}"),
        }
    }
    assert!(db.steady.list_cravings(0, i64::MAX).unwrap().is_empty());
    assert!(db.steady.pending_outbox().unwrap().is_empty());
}

#[test]
fn delete_hides_the_craving_and_queues_a_tombstone() {
    let db = TestDb::new("2026-03-08T12:00:00Z", "UTC");
    let craving = db.steady.log_craving(quick(7)).unwrap();
    db.steady.delete_craving(&craving.id).unwrap();
    assert!(db.steady.list_cravings(0, i64::MAX).unwrap().is_empty());
    assert!(matches!(
        db.steady.craving(&craving.id),
        Err(Error::NotFound { .. })
    ));
    let ops: Vec<_> = db
        .steady
        .pending_outbox()
        .unwrap()
        .into_iter()
        .map(|e| (e.record_id, e.operation))
        .collect();
    assert_eq!(
        ops,
        vec![
            (craving.id.clone(), "upsert".to_string()),
            (craving.id.clone(), "delete".to_string())
        ]
    );
    assert!(matches!(
        db.steady.delete_craving(&craving.id),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        db.steady.delete_craving("not-an-id"),
        Err(Error::Invalid { field, .. }) if field == "id"
    ));
}

#[test]
fn cravings_survive_close_and_reopen() {
    let db = TestDb::new("2026-03-08T12:00:00Z", "UTC");
    let craving = db.steady.log_craving(quick(2)).unwrap();
    db.steady.close();
    assert!(matches!(
        db.steady.list_cravings(0, i64::MAX),
        Err(Error::Closed)
    ));
    let reopened = open_at(&db.path, &db.key, db.clock.clone()).unwrap();
    assert_eq!(reopened.list_cravings(0, i64::MAX).unwrap(), vec![craving]);
}
