//! How long the home screen and the full progress report take on a synthetic
//! five-year history: about 20,000 cravings (with triggers, coping and
//! outcomes, some logged abroad), 1,800 daily check-ins, 700 session
//! occurrences with attendance, 4,000 doses with answers, and a few lapses.
//! Each figure is compared with a plain SQLite scan of the same rows over the
//! same encrypted file. Results are written into docs/progress.md.
//!
//! The history is inserted with plain SQL in one transaction (logging 20,000
//! cravings one by one through the API would measure fsync, not progress).

use chrono::{DateTime, Duration, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use rusqlite::{params, Connection};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use steady_core::progress::{ProgramSettings, SobrietyDate};
use steady_core::{
    FixedClock, Frequency, NewMedication, Recurrence, ScheduleSource, SessionKind, SessionSeries,
    Steady, Weekday, KEY_LEN,
};

const ZONE: &str = "America/New_York";
const KEY: [u8; KEY_LEN] = [7; KEY_LEN];
const DAYS: i64 = 1826;
const CRAVINGS: i64 = 20_000;
const TRIGGERS: [&str; 6] = ["stress", "tired", "lonely", "people", "boredom", "conflict"];
const COPING: [&str; 5] = [
    "urge_surfing",
    "delay",
    "paced_breathing",
    "call_support",
    "distraction",
];
const OUTCOMES: [&str; 4] = ["passed", "passed", "still_present", "used"];

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-26T17:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A deterministic record id in UUID form.
fn id(kind: u32, n: i64) -> String {
    format!("{kind:08x}-0000-4000-8000-{n:012x}")
}

fn raw(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    let hex: String = KEY.iter().map(|b| format!("{b:02x}")).collect();
    conn.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))
        .unwrap();
    conn
}

/// Five years of history ending at `now()`; returns the database path.
fn five_years(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("bench.db");
    let first_day = now().date_naive() - Duration::days(DAYS - 1);
    let clock = Arc::new(FixedClock::new(now(), ZONE));
    let steady = Steady::open(&path, &KEY, clock).unwrap();
    steady
        .save_session_series(SessionSeries {
            id: String::new(),
            uid: None,
            kind: SessionKind::Group,
            title: "Group".into(),
            location: None,
            video_url: None,
            time_zone: ZONE.into(),
            start_local: "2022-04-18T18:00".into(),
            duration_min: 180,
            recurrence: Some(Recurrence {
                frequency: Frequency::Weekly,
                interval: 1,
                weekdays: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
                until: None,
                count: None,
                rules: Vec::new(),
                extra_starts: Vec::new(),
            }),
            changes: Vec::new(),
            source: ScheduleSource::Clinic,
        })
        .unwrap();
    steady
        .add_medication(NewMedication {
            name: "Naltrexone".into(),
            times: vec!["08:00".into(), "20:00".into()],
            start_date: Some("2021-05-15".into()),
            ..Default::default()
        })
        .unwrap();
    steady
        .set_tracked_substances(vec!["alcohol".into(), "cannabis".into()])
        .unwrap();
    steady
        .set_program_settings(ProgramSettings {
            program_start_date: Some(first_day.to_string()),
            weekly_program_hours: Some(9.0),
            sobriety_dates: vec![SobrietyDate {
                substance: None,
                first_sober_date: (first_day - Duration::days(30)).to_string(),
            }],
            ..Default::default()
        })
        .unwrap();
    // The API answers at most MAX_RANGE_DAYS at a time: ask year by year.
    let mut occurrences = Vec::new();
    let mut doses = Vec::new();
    for year in (0..6).rev() {
        let to = now() - Duration::days(365 * year);
        let from = (to - Duration::days(365)).max(now() - Duration::days(DAYS));
        if from < to {
            occurrences.extend(steady.occurrences_between(from, to).unwrap());
        }
        let last = now().date_naive() - Duration::days(350 * year);
        let first = last - Duration::days(349);
        doses.extend(steady.doses_due(first, last).unwrap());
    }
    steady.close();

    let mut conn = raw(&path);
    let tx = conn.transaction().unwrap();
    let step = DAYS * 86_400_000 / CRAVINGS;
    let start_ms = (now() - Duration::days(DAYS)).timestamp_millis();
    for n in 0..CRAVINGS {
        let at = start_ms + n * step;
        // One craving in 25 logged on a trip abroad.
        let zone = if n % 25 == 0 { "Europe/London" } else { ZONE };
        let triggers = format!(
            "[\"{}\",\"{}\"]",
            TRIGGERS[(n % 6) as usize],
            TRIGGERS[(n % 5) as usize]
        );
        let coping = format!("[\"{}\"]", COPING[(n % 5) as usize]);
        let outcome = if n % 400 == 7 {
            "used"
        } else {
            OUTCOMES[(n % 3) as usize]
        };
        tx.execute(
            "INSERT INTO craving (id, intensity, occurred_at_ms, time_zone, logged_at_ms,
                 triggers, coping_tried, outcome, substances)
             VALUES (?1, ?2, ?3, ?4, ?3, ?5, ?6, ?7, '[\"alcohol\"]')",
            params![id(1, n), n % 11, at, zone, triggers, coping, outcome],
        )
        .unwrap();
    }
    for n in 0..1800 {
        let date = first_day + Duration::days(n + 20);
        tx.execute(
            "INSERT INTO daily_checkin (id, local_date, time_zone, used_today, mood, recorded_at_ms)
             VALUES (?1, ?2, ?3, ?4, 3, ?5)",
            params![id(2, n), date.to_string(), ZONE, n % 300 == 5, start_ms + n * 86_400_000],
        )
        .unwrap();
    }
    for n in 0..8 {
        tx.execute(
            "INSERT INTO lapse (id, occurred_at_ms, time_zone, substances, logged_at_ms)
             VALUES (?1, ?2, ?3, '[\"cannabis\"]', ?2)",
            params![id(3, n), start_ms + n * 200 * 86_400_000, ZONE],
        )
        .unwrap();
    }
    let statuses = [
        "attended", "attended", "attended", "late", "attended", "missed", "excused",
    ];
    for (n, o) in occurrences.iter().enumerate() {
        tx.execute(
            "INSERT INTO attendance (occurrence_id, series_id, status, recorded_at_ms, time_zone)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![o.id, o.series_id, statuses[n % 7], o.end_ms, ZONE],
        )
        .unwrap();
    }
    let answers = ["taken", "taken", "taken", "taken_late", "taken", "skipped"];
    for (n, dose) in doses.iter().enumerate() {
        tx.execute(
            "INSERT INTO dose_confirmation (dose_id, medication_id, due_local, status,
                 confirmed_at_ms, time_zone)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                dose.id,
                dose.medication_id,
                dose.due_local,
                answers[n % 6],
                dose.due_ms,
                ZONE
            ],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    eprintln!(
        "history: {CRAVINGS} cravings, 1800 check-ins, {} occurrences, {} doses",
        occurrences.len(),
        doses.len()
    );
    path
}

/// Reads every row of `sql`, touching each column, as a baseline.
fn scan(conn: &Connection, sql: &str) -> usize {
    let mut stmt = conn.prepare_cached(sql).unwrap();
    let columns = stmt.column_count();
    let mut rows = stmt.query([]).unwrap();
    let mut total = 0;
    while let Some(row) = rows.next().unwrap() {
        for i in 0..columns {
            total += match row.get_ref(i).unwrap() {
                rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => t.len(),
                _ => 1,
            };
        }
    }
    total
}

/// The rows the Today screen reads, by the same queries: cravings that ended
/// in use and that passed with coping tried (through the outcome index), the
/// last 20 days of craving tallies, lapses, check-ins and attendance.
fn today_rows() -> Vec<String> {
    let recent = now().date_naive() - Duration::days(19);
    vec![
        "SELECT occurred_at_ms, time_zone, substances FROM craving
         WHERE deleted_at_ms IS NULL AND outcome = 'used'"
            .into(),
        "SELECT coping_tried FROM craving
         WHERE deleted_at_ms IS NULL AND outcome = 'passed' AND coping_tried != '[]'"
            .into(),
        format!(
            "SELECT local_date, count, intensity_sum, peak, hours, triggers, coping
             FROM craving_day WHERE local_date >= '{recent}'"
        ),
        "SELECT occurred_at_ms, time_zone, substances FROM lapse WHERE deleted_at_ms IS NULL"
            .into(),
        "SELECT local_date FROM daily_checkin WHERE used_today = 1".into(),
        "SELECT occurrence_id, status FROM attendance".into(),
    ]
}

/// The craving rows the full report reads now: one tally per local day
/// (docs/adr/0070-craving-days.md).
const CRAVING_DAY_ROWS: &str =
    "SELECT local_date, count, intensity_sum, peak, hours, triggers, coping FROM craving_day";

/// The craving rows it read before the tallies, every craving: the baseline
/// of the earlier figures.
const EVERY_CRAVING_ROWS: &str =
    "SELECT occurred_at_ms, time_zone, intensity, triggers, coping_tried, outcome
     FROM craving WHERE deleted_at_ms IS NULL";

/// The other rows the full report reads.
const PROGRESS_ROWS: &[&str] = &[
    "SELECT occurred_at_ms, time_zone, substances FROM craving
     WHERE deleted_at_ms IS NULL AND outcome = 'used'",
    "SELECT occurred_at_ms, time_zone, substances FROM lapse WHERE deleted_at_ms IS NULL",
    "SELECT local_date, used_today FROM daily_checkin",
    "SELECT occurrence_id, status FROM attendance",
    "SELECT dose_id, medication_id, due_local, status, confirmed_at_ms, time_zone
     FROM dose_confirmation",
];

fn progress(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = five_years(dir.path());
    // The cold-start measurement (examples/cold_start.rs) opens a copy.
    if let Some(keep) = std::env::var_os("STEADY_BENCH_KEEP_DB") {
        std::fs::copy(&path, keep).unwrap();
    }
    let clock = Arc::new(FixedClock::new(now(), ZONE));
    let mut group = c.benchmark_group("progress, 5 years");
    group.sample_size(20);

    group.bench_function("open + today", |b| {
        b.iter(|| {
            let steady = Steady::open(&path, &KEY, clock.clone()).unwrap();
            black_box(steady.today().unwrap())
        })
    });
    let today_rows = today_rows();
    group.bench_function("plain scan: open + today's rows", |b| {
        b.iter(|| {
            let conn = raw(&path);
            black_box(today_rows.iter().map(|sql| scan(&conn, sql)).sum::<usize>())
        })
    });

    let steady = Steady::open(&path, &KEY, clock.clone()).unwrap();
    let report = steady.progress(None).unwrap();
    assert_eq!(report.cravings.days.len(), DAYS as usize);
    group.bench_function("full progress", |b| {
        b.iter(|| black_box(steady.progress(None).unwrap()))
    });
    let conn = raw(&path);
    for (name, cravings) in [
        ("plain scan: progress rows", CRAVING_DAY_ROWS),
        (
            "plain scan: progress rows, every craving",
            EVERY_CRAVING_ROWS,
        ),
    ] {
        let rows: Vec<&str> = std::iter::once(cravings)
            .chain(PROGRESS_ROWS.iter().copied())
            .collect();
        group.bench_function(name, |b| {
            b.iter(|| black_box(rows.iter().map(|sql| scan(&conn, sql)).sum::<usize>()))
        });
    }
    group.finish();
}

criterion_group!(benches, progress);
criterion_main!(benches);
