//! Zone rules come from the tz database on disk, read at run time: when the
//! database changes (an OS update after a government moves its clocks), the
//! same library plans reminders at the new instants once the shell reloads
//! the rules, with no rebuild (docs/adr/0041-zone-rules-from-the-platform.md).
//!
//! The test writes its own database — TZif files (RFC 8536) in a directory
//! named by `TZDIR` — so it runs the same on every machine. It is the only
//! test in this binary: `TZDIR` is process-wide.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use std::path::Path;
use std::sync::Arc;
use steady_core::{zone, FixedClock, NewMedication, ReminderKind, Steady, Tz, KEY_LEN};

/// A TZif version 2 file with no transitions: its footer, a POSIX TZ string,
/// gives the rules for all time (RFC 8536 §3.3).
fn tzif(abbreviation: &str, utc_offset: i32, footer: &str) -> Vec<u8> {
    let mut chars = abbreviation.as_bytes().to_vec();
    chars.push(0);
    let block = |out: &mut Vec<u8>, version: u8| {
        out.extend_from_slice(b"TZif");
        out.push(version);
        out.extend_from_slice(&[0; 15]);
        // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
        for count in [0u32, 0, 0, 0, 1, chars.len() as u32] {
            out.extend_from_slice(&count.to_be_bytes());
        }
        out.extend_from_slice(&utc_offset.to_be_bytes());
        out.push(0); // isdst
        out.push(0); // abbreviation index
        out.extend_from_slice(&chars);
    };
    let mut out = Vec::new();
    block(&mut out, b'2');
    block(&mut out, b'2');
    out.push(b'\n');
    out.extend_from_slice(footer.as_bytes());
    out.push(b'\n');
    out
}

fn write_database(dir: &Path, version: &str, vancouver: &[u8]) {
    std::fs::create_dir_all(dir.join("America")).unwrap();
    std::fs::write(dir.join("tzdata.zi"), format!("# version {version}\n")).unwrap();
    std::fs::write(dir.join("UTC"), tzif("UTC", 0, "UTC0")).unwrap();
    // Written whole, then renamed into place, as package managers do.
    let temporary = dir.join("America/.Vancouver.new");
    std::fs::write(&temporary, vancouver).unwrap();
    std::fs::rename(&temporary, dir.join("America/Vancouver")).unwrap();
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

#[test]
fn a_rule_change_in_the_tz_database_moves_the_reminders_without_a_rebuild() {
    let database = tempfile::tempdir().unwrap();
    // tzdata 2025b: British Columbia on Pacific time with DST.
    write_database(
        database.path(),
        "2025b",
        &tzif("PST", -8 * 3600, "PST8PDT,M3.2.0,M11.1.0"),
    );
    std::env::set_var("TZDIR", database.path());

    let rules = zone::rules();
    assert_eq!(
        rules.source,
        format!("zoneinfo directory {}", database.path().display())
    );
    assert_eq!(rules.version.as_deref(), Some("2025b"));

    let vancouver = Tz::named("America/Vancouver").expect("the database has Vancouver");
    let noon = NaiveDate::from_ymd_opt(2026, 11, 15)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    assert_eq!(
        vancouver.from_local_datetime(&noon).unwrap(),
        utc("2026-11-15T20:00:00Z")
    );

    // A patient in Vancouver takes a dose at 12:00 every day.
    let home = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(
        utc("2026-11-15T08:00:00Z"),
        "America/Vancouver",
    ));
    let steady = Steady::open(home.path().join("steady.db"), &[7; KEY_LEN], clock).unwrap();
    steady
        .add_medication(NewMedication {
            name: "Buprenorphine".into(),
            times: vec!["12:00".into()],
            start_date: Some("2026-11-01".into()),
            ..Default::default()
        })
        .unwrap();
    let dose_at = |steady: &Steady| {
        steady
            .plan_reminders()
            .unwrap()
            .into_iter()
            .find(|r| r.kind == ReminderKind::Dose)
            .map(|r| Utc.timestamp_millis_opt(r.fire_at_ms).unwrap())
            .expect("a dose reminder is planned")
    };
    assert_eq!(dose_at(&steady), utc("2026-11-15T20:00:00Z"));

    // The OS updates its tz database: British Columbia stays on UTC-7 all
    // year. The library is the same; the shell reloads the rules and re-plans.
    write_database(database.path(), "2026a", &tzif("MST", -7 * 3600, "MST7"));
    let rules = steady_core::zone::reload();
    assert_eq!(rules.version.as_deref(), Some("2026a"));
    assert_eq!(dose_at(&steady), utc("2026-11-15T19:00:00Z"));
    let vancouver = Tz::named("America/Vancouver").unwrap();
    assert_eq!(
        vancouver.from_local_datetime(&noon).unwrap(),
        utc("2026-11-15T19:00:00Z")
    );
    // `%Z` shows the abbreviation the new rules give.
    assert_eq!(
        vancouver
            .from_local_datetime(&noon)
            .unwrap()
            .format("%Z")
            .to_string(),
        "MST"
    );
}
