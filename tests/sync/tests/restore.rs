//! An encrypted backup restored on a second phone keeps syncing with the same
//! clinic: backup → the first phone keeps working and syncing → the first
//! phone is lost → restore on a second phone → sync. The clinic ends with
//! every record exactly once, nothing applied twice, nothing lost — including
//! the records the first phone sent after the backup (which the restored
//! database never saw) and a record whose answer was lost before the backup.

use chrono::Duration;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Arc;
use steady_core::{ConsentCategory, FixedClock, Steady};
use steady_sync_tests::clinic::{storages, Clinic};
use steady_sync_tests::transport::{Fault, Faulty};
use steady_sync_tests::Phone;

const PASSPHRASE: &str = "a long passphrase of mine";

fn cravings_held(records: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = records
        .iter()
        .filter(|r| r["record_type"] == "craving" && r["deleted"] == false)
        .map(|r| r["record_id"].as_str().unwrap_or_default().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn backup_restore_and_sync_on_a_second_phone_leaves_every_record_exactly_once() {
    for storage in storages() {
        let clinic = Clinic::start(&storage, 1);
        let (patient, code) = clinic.patient("Sam Rivera");
        // One transport for both phones: it sees every answer the server gives.
        let wire = Faulty::new();
        let first = Phone::new(Duration::zero());
        first.enroll(&code, clinic.url(), &wire);
        first.grant(&[ConsentCategory::Cravings]);
        let mut saved = BTreeSet::new();
        for i in 0..3 {
            saved.insert(first.craving(i, None));
        }
        first.sync_until_done(&wire);
        // Numbered and applied, but the answer never came back.
        for i in 3..5 {
            saved.insert(first.craving(i, None));
        }
        wire.script(&[Fault::LoseResponse]);
        assert!(first.steady.sync(&wire).is_err());
        // Saved, not yet numbered.
        saved.insert(first.craving(5, None));

        let backup = first.steady.create_backup(PASSPHRASE).expect("backup");

        // The first phone lives on for a while after the backup.
        for i in 6..8 {
            saved.insert(first.craving(i, None));
        }
        first.sync_until_done(&wire);
        drop(first);

        // A second phone, a new key: the restored record and its enrollment.
        let dir = tempfile::tempdir().expect("tempdir");
        let clock = Arc::new(FixedClock::new(first_clock_later(), "America/New_York"));
        let (second, restored) = Steady::restore_backup(
            dir.path().join("phone.db"),
            &[7u8; 32],
            clock.clone(),
            &backup,
            PASSPHRASE,
        )
        .expect("restore");
        assert!(restored.rows > 0);
        clock.advance(Duration::seconds(1));
        let after_restore = second
            .log_craving(steady_core::NewCraving {
                intensity: 4,
                ..Default::default()
            })
            .expect("log on the second phone")
            .id;
        saved.insert(after_restore.clone());
        let report = second.sync(&wire).expect("sync after restore");
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);

        let held = cravings_held(&clinic.records(&patient));
        let expected: Vec<String> = saved.iter().cloned().collect();
        assert_eq!(held, expected, "{}: every record, each once", storage.name);
        assert!(held.contains(&after_restore), "{}", storage.name);
        assert!(wire.applied_twice().is_empty(), "{}", storage.name);
        assert!(second.pending_outbox().expect("outbox").is_empty());

        // And it goes on: the next record from the second phone arrives too.
        clock.advance(Duration::seconds(1));
        let next = second
            .log_craving(steady_core::NewCraving {
                intensity: 2,
                ..Default::default()
            })
            .expect("log")
            .id;
        second.sync(&wire).expect("second sync");
        assert!(cravings_held(&clinic.records(&patient)).contains(&next));
        assert!(wire.applied_twice().is_empty());
    }
}

fn first_clock_later() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(steady_sync_tests::clinic::T0_MS).expect("t0")
        + Duration::hours(2)
}
