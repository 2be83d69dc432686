//! The stored per-day craving tallies against a from-scratch computation over
//! every craving row: random histories written through the public API
//! (logs, amendments of time, zone, intensity, triggers, coping and outcome,
//! deletions) around DST changes and in zones from UTC-11 to UTC+14, plus
//! raw SQL writes settled at the next open and a database migrated from
//! before the tallies existed.

use super::craving_days::{self, tally_days};
use super::cravings::{craving_stats, craving_stats_by_day};
use crate::test_support::{utc, TestDb};
use crate::{CravingAmendment, CravingOutcome, NewCraving, Steady};
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

const ZONES: [&str; 6] = [
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Australia/Lord_Howe",
];
const TRIGGERS: [&str; 4] = ["stress", "tired", "lonely", "payday"];
const COPING: [&str; 3] = ["delay", "urge_surfing", "call_support"];

/// Instants near the 2026 DST changes of New York (03-08, 11-01), London
/// (03-29, 10-25) and Lord Howe (04-05, 10-04), and near midnights.
fn instant() -> impl Strategy<Value = i64> {
    let anchors = [
        "2026-03-08T07:00:00Z",
        "2026-11-01T06:00:00Z",
        "2026-03-29T01:00:00Z",
        "2026-10-25T01:00:00Z",
        "2026-04-04T15:00:00Z",
        "2026-10-03T15:30:00Z",
        "2026-06-30T23:59:00Z",
    ];
    (0..anchors.len(), -20 * 60..20 * 60i64)
        .prop_map(move |(i, minutes)| utc(anchors[i]).timestamp_millis() + minutes * 60_000)
}

fn subset(all: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(0..all.len(), 0..3)
        .prop_map(move |picks| picks.into_iter().map(|i| all[i].to_string()).collect())
}

fn outcome() -> impl Strategy<Value = Option<CravingOutcome>> {
    prop_oneof![
        Just(None),
        Just(Some(CravingOutcome::Passed)),
        Just(Some(CravingOutcome::StillPresent)),
        Just(Some(CravingOutcome::Used)),
    ]
}

#[derive(Debug, Clone)]
enum Step {
    Log {
        at_ms: i64,
        zone: usize,
        intensity: u8,
        triggers: Vec<String>,
        coping: Vec<String>,
        outcome: Option<CravingOutcome>,
    },
    /// Moves the n-th logged craving (modulo) to another instant and zone.
    Move {
        nth: usize,
        at_ms: i64,
        zone: usize,
    },
    /// Changes what happened with the n-th craving.
    Amend {
        nth: usize,
        intensity: u8,
        coping: Vec<String>,
        outcome: Option<CravingOutcome>,
    },
    Delete {
        nth: usize,
    },
    /// A craving written with plain SQL (as a restore, an import or another
    /// tool would): settled at the next open.
    Raw {
        at_ms: i64,
        zone: usize,
        intensity: u8,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (instant(), 0..ZONES.len(), 0..=10u8, subset(&TRIGGERS), subset(&COPING), outcome())
            .prop_map(|(at_ms, zone, intensity, triggers, coping, outcome)| Step::Log {
                at_ms, zone, intensity, triggers, coping, outcome
            }),
        2 => (any::<usize>(), instant(), 0..ZONES.len())
            .prop_map(|(nth, at_ms, zone)| Step::Move { nth, at_ms, zone }),
        2 => (any::<usize>(), 0..=10u8, subset(&COPING), outcome())
            .prop_map(|(nth, intensity, coping, outcome)| Step::Amend { nth, intensity, coping, outcome }),
        1 => any::<usize>().prop_map(|nth| Step::Delete { nth }),
        1 => (instant(), 0..ZONES.len(), 0..=10u8)
            .prop_map(|(at_ms, zone, intensity)| Step::Raw { at_ms, zone, intensity }),
    ]
}

fn raw_insert(db: &TestDb, n: usize, at_ms: i64, zone: &str, intensity: u8) {
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let hex: String = db.key.iter().map(|b| format!("{b:02x}")).collect();
    conn.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))
        .unwrap();
    conn.execute(
        "INSERT INTO craving (id, intensity, occurred_at_ms, time_zone, logged_at_ms, triggers)
         VALUES (?1, ?2, ?3, ?4, ?3, '[\"raw\"]')",
        rusqlite::params![
            format!("00000000-0000-4000-8000-{n:012x}"),
            intensity,
            at_ms,
            zone
        ],
    )
    .unwrap();
}

/// The stored tallies equal the tallies of every craving row, and the
/// craving figures of a report over the whole span are the same both ways.
fn assert_exact(steady: &Steady) {
    let first = NaiveDate::from_ymd_opt(2025, 12, 1).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let scratch = tally_days(&steady.craving_facts(first - Duration::days(30)).unwrap());
    let stored = steady
        .craving_days(first - Duration::days(30), today)
        .unwrap();
    assert_eq!(stored, scratch);
    for since in [first, NaiveDate::from_ymd_opt(2026, 10, 20).unwrap()] {
        let facts = steady.craving_facts(since - Duration::days(30)).unwrap();
        assert_eq!(
            craving_stats_by_day(&stored, since, today, first),
            craving_stats(&facts, since, today, first)
        );
    }
}

fn run(steps: Vec<Step>) {
    let mut db = TestDb::new("2026-12-31T12:00:00Z", "America/New_York");
    let mut ids: Vec<String> = Vec::new();
    for (n, step) in steps.into_iter().enumerate() {
        let pick = |nth: usize| (!ids.is_empty()).then(|| ids[nth % ids.len()].clone());
        match step {
            Step::Log {
                at_ms,
                zone,
                intensity,
                triggers,
                coping,
                outcome,
            } => {
                let logged = db.steady.log_craving(NewCraving {
                    intensity,
                    occurred_at_ms: Some(at_ms),
                    time_zone: Some(ZONES[zone].into()),
                    triggers,
                    coping_tried: coping,
                    outcome,
                    ..Default::default()
                });
                ids.push(logged.unwrap().id);
            }
            Step::Move { nth, at_ms, zone } => {
                if let Some(id) = pick(nth) {
                    let change = CravingAmendment {
                        occurred_at_ms: Some(at_ms),
                        time_zone: Some(ZONES[zone].into()),
                        ..Default::default()
                    };
                    let _ = db.steady.amend_craving(&id, change);
                }
            }
            Step::Amend {
                nth,
                intensity,
                coping,
                outcome,
            } => {
                if let Some(id) = pick(nth) {
                    let change = CravingAmendment {
                        intensity: Some(intensity),
                        coping_tried: Some(coping),
                        outcome,
                        ..Default::default()
                    };
                    let _ = db.steady.amend_craving(&id, change);
                }
            }
            Step::Delete { nth } => {
                if let Some(id) = pick(nth) {
                    let _ = db.steady.delete_craving(&id);
                }
            }
            Step::Raw {
                at_ms,
                zone,
                intensity,
            } => {
                db.steady.close();
                raw_insert(&db, n, at_ms, ZONES[zone], intensity);
                db.steady = Steady::open(&db.path, &db.key, db.clock.clone()).unwrap();
            }
        }
    }
    assert_exact(&db.steady);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn stored_craving_days_equal_a_computation_from_every_craving(
        steps in proptest::collection::vec(step(), 1..40)
    ) {
        run(steps);
    }
}

#[test]
fn a_craving_moved_across_a_dst_night_and_a_date_line_leaves_both_days_right() {
    let db = TestDb::new("2026-12-31T12:00:00Z", "America/New_York");
    // 01:30 on the New York fall-back night, then moved to Kiritimati (UTC+14),
    // where the same instant is already the next day.
    let at = utc("2026-11-01T05:30:00Z").timestamp_millis();
    let logged = db
        .steady
        .log_craving(NewCraving {
            intensity: 6,
            occurred_at_ms: Some(at),
            time_zone: Some("America/New_York".into()),
            ..Default::default()
        })
        .unwrap();
    db.steady
        .amend_craving(
            &logged.id,
            CravingAmendment {
                time_zone: Some("Pacific/Kiritimati".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let days = db
        .steady
        .craving_days(
            NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        )
        .unwrap();
    let dates: Vec<String> = days.keys().map(|d| d.to_string()).collect();
    assert_eq!(dates, ["2026-11-01"]);
    assert_eq!(days.values().next().unwrap().hours[19], 1);
    assert_exact(&db.steady);
}

#[test]
fn a_database_from_before_the_tallies_gets_them_at_its_first_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("steady.db");
    let key = [9u8; crate::KEY_LEN];
    {
        // Schema version 10, as the previous release left it.
        let old = rusqlite::Connection::open(&path).unwrap();
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        old.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))
            .unwrap();
        for sql in &crate::storage::migrations::MIGRATIONS[..10] {
            old.execute_batch(sql).unwrap();
        }
        let start = utc("2026-03-01T12:00:00Z").timestamp_millis();
        for n in 0..200i64 {
            old.execute(
                "INSERT INTO craving (id, intensity, occurred_at_ms, time_zone, logged_at_ms,
                     triggers, coping_tried, outcome)
                 VALUES (?1, ?2, ?3, ?4, ?3, '[\"stress\"]', '[\"delay\"]', 'passed')",
                rusqlite::params![
                    format!("00000000-0000-4000-8000-{n:012x}"),
                    n % 11,
                    start + n * 7 * 3_600_000,
                    ZONES[n as usize % ZONES.len()]
                ],
            )
            .unwrap();
        }
        old.pragma_update(None, "user_version", 10).unwrap();
    }
    let clock = std::sync::Arc::new(crate::FixedClock::new(
        utc("2026-12-31T12:00:00Z"),
        "America/New_York",
    ));
    let steady = Steady::open(&path, &key, clock).unwrap();
    let stored = steady
        .craving_days(
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        )
        .unwrap();
    assert_eq!(stored.values().map(|d| d.count).sum::<u32>(), 200);
    assert!(!steady.read(craving_days::unsettled).unwrap());
    assert_exact(&steady);
}

#[test]
fn tallies_stored_as_json_are_stored_again_in_binary_at_the_first_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("steady.db");
    let key = [9u8; crate::KEY_LEN];
    {
        // Schema version 13: settled tallies with their hours and lists in
        // JSON, as that release wrote them.
        let old = rusqlite::Connection::open(&path).unwrap();
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        old.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))
            .unwrap();
        for sql in &crate::storage::migrations::MIGRATIONS[..13] {
            old.execute_batch(sql).unwrap();
        }
        let start = utc("2026-10-20T12:00:00Z").timestamp_millis();
        for n in 0..90i64 {
            old.execute(
                "INSERT INTO craving (id, intensity, occurred_at_ms, time_zone, logged_at_ms,
                     triggers, coping_tried, outcome)
                 VALUES (?1, ?2, ?3, ?4, ?3, '[\"stress\",\"payday\"]', '[\"delay\"]', 'passed')",
                rusqlite::params![
                    format!("00000000-0000-4000-8000-{n:012x}"),
                    n % 11,
                    start + n * 5 * 3_600_000,
                    ZONES[n as usize % ZONES.len()]
                ],
            )
            .unwrap();
        }
        old.execute_batch(
            "DELETE FROM craving_day_stale;
             INSERT INTO craving_day VALUES ('2026-10-20', 1, 4, 4,
                 '[0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]', '{\"stress\":1}',
                 '{\"delay\":{\"tried\":1,\"with_outcome\":1,\"passed\":1}}');",
        )
        .unwrap();
        old.pragma_update(None, "user_version", 13).unwrap();
    }
    let clock = std::sync::Arc::new(crate::FixedClock::new(
        utc("2026-12-31T12:00:00Z"),
        "America/New_York",
    ));
    let steady = Steady::open(&path, &key, clock).unwrap();
    assert!(!steady.read(craving_days::unsettled).unwrap());
    let stored = steady
        .craving_days(
            NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        )
        .unwrap();
    assert_eq!(stored.values().map(|d| d.count).sum::<u32>(), 90);
    assert_exact(&steady);
}
