//! A database written by an earlier build keeps opening: the fixture was
//! written by the build that linked SQLCipher on vendored OpenSSL (schema
//! version 12). Run in the phone library's build (SQLCipher on LibTomCrypt,
//! `scripts/check-size.sh`), it shows the two crypto providers read the same
//! file format: same key, same records, same figures.
//!
//! Regenerate (only when the fixture must change, with the OpenSSL build):
//! `STEADY_WRITE_FIXTURE=1 cargo test -p steady-core --test file_format -- --ignored`

use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::Arc;
use steady_core::{FixedClock, NewCraving, Steady, KEY_LEN};

const KEY: [u8; KEY_LEN] = [0x5a; KEY_LEN];
const ZONE: &str = "America/New_York";

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/steady-openssl-v12.db")
}

fn clock() -> Arc<FixedClock> {
    let now: DateTime<Utc> = "2026-12-02T15:00:00Z".parse().unwrap();
    Arc::new(FixedClock::new(now, ZONE))
}

#[test]
fn a_database_written_by_the_openssl_build_opens_with_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("steady.db");
    std::fs::copy(fixture(), &path).unwrap();
    let steady = Steady::open(&path, &KEY, clock()).unwrap();
    let cravings = steady.list_cravings(0, i64::MAX).unwrap();
    let mut intensities: Vec<u8> = cravings.iter().map(|c| c.intensity).collect();
    intensities.sort();
    assert_eq!(intensities, [3, 6, 8]);
    let today = steady.today().unwrap();
    assert_eq!(today.date, "2026-12-02");
    // The program started the day the fixture was set up: two of its three
    // cravings are in the period.
    let progress = steady.progress(None).unwrap();
    assert_eq!(progress.cravings.total, 2);
    // And it takes new writes.
    steady
        .log_craving(NewCraving {
            intensity: 2,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(steady.list_cravings(0, i64::MAX).unwrap().len(), 4);
}

#[test]
fn the_fixture_refuses_a_wrong_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("steady.db");
    std::fs::copy(fixture(), &path).unwrap();
    assert!(Steady::open(&path, &[0x5b; KEY_LEN], clock()).is_err());
}

#[test]
#[ignore = "writes the fixture; run by hand with STEADY_WRITE_FIXTURE=1"]
fn write_fixture() {
    if std::env::var_os("STEADY_WRITE_FIXTURE").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("steady.db");
    let steady = Steady::open(&path, &KEY, clock()).unwrap();
    for (intensity, hours_ago) in [(3, 30), (8, 5), (6, 1)] {
        let at = "2026-12-02T15:00:00Z".parse::<DateTime<Utc>>().unwrap()
            - chrono::Duration::hours(hours_ago);
        steady
            .log_craving(NewCraving {
                intensity,
                occurred_at_ms: Some(at.timestamp_millis()),
                ..Default::default()
            })
            .unwrap();
    }
    steady.close();
    std::fs::create_dir_all(fixture().parent().unwrap()).unwrap();
    std::fs::copy(&path, fixture()).unwrap();
}
