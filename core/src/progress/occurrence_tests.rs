//! Occurrences with every status read in one pass (what progress reads over
//! a whole program) against the schedule's reading, one lookup per
//! occurrence: random weekly series in zones from UTC-11 to UTC+14 with
//! starts in the DST gap and fold, the patient's reports through the API and
//! written raw, and the clinic's records with ids and payloads that do and do
//! not name an occurrence.

use crate::schedule::store::{occurrences_in, occurrences_over};
use crate::test_support::{utc, TestDb};
use crate::{
    AttendanceStatus, Frequency, Recurrence, ScheduleSource, SessionKind, SessionSeries, Weekday,
};
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

const ZONES: [&str; 4] = [
    "America/New_York",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Australia/Lord_Howe",
];
/// 02:30 is in New York's spring-forward gap (03-08), 01:30 in its fold
/// (11-01).
const TIMES: [&str; 4] = ["01:30", "02:30", "18:00", "23:30"];
const STATUSES: [&str; 5] = ["attended", "late", "missed", "excused", "unheard_of"];

#[derive(Debug, Clone)]
enum Record {
    /// Through `record_attendance`: series, day, status.
    Patient(usize, i64, usize),
    /// Written raw: series, day, time, status.
    RawPatient(usize, i64, usize, usize),
    /// A clinic record for the series' time on a day: series, day, status,
    /// and how its id and payload relate to the occurrence (see
    /// `clinic_record`).
    Clinic(usize, i64, usize, usize),
}

fn record() -> impl Strategy<Value = Record> {
    prop_oneof![
        (0..2usize, 0..280i64, 0..4usize).prop_map(|(s, d, st)| Record::Patient(s, d, st)),
        (0..2usize, 0..280i64, 0..TIMES.len(), 0..4usize)
            .prop_map(|(s, d, t, st)| Record::RawPatient(s, d, t, st)),
        // One week, so that several records often name one occurrence.
        (0..2usize, 0..7i64, 0..STATUSES.len(), 0..5usize)
            .prop_map(|(s, d, st, form)| Record::Clinic(s, d, st, form)),
    ]
}

fn first() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 2).unwrap()
}

/// A clinic record id and payload for `occurrence`: one that names it
/// (form 0), under another clinic prefix (1), without the `:` (2), whose
/// payload names another occurrence (3), or whose payload does not read (4).
fn clinic_record(occurrence: &str, series: &str, status: &str, form: usize) -> (String, String) {
    let payload = |named: &str| {
        serde_json::json!({
            "occurrence_id": named,
            "series_id": series,
            "status": status,
            "recorded_by": "Staff",
        })
        .to_string()
    };
    match form {
        0 => (format!("clinic-a:{occurrence}"), payload(occurrence)),
        1 => (format!("clinic-b:{occurrence}"), payload(occurrence)),
        2 => (format!("clinic-a{occurrence}"), payload(occurrence)),
        3 => (
            format!("clinic-c:{occurrence}"),
            payload(&format!("{occurrence}x")),
        ),
        _ => (format!("clinic-d:{occurrence}"), "{not json".to_string()),
    }
}

fn run(series: Vec<(usize, usize, Vec<usize>)>, records: Vec<Record>) {
    let db = TestDb::new("2026-11-06T15:00:00Z", "America/New_York");
    let s = &db.steady;
    let mut ids = Vec::new();
    for (zone, time, weekdays) in &series {
        let saved = s
            .save_session_series(SessionSeries {
                id: String::new(),
                uid: None,
                kind: SessionKind::Group,
                title: "Group".into(),
                location: None,
                video_url: None,
                time_zone: ZONES[*zone].into(),
                start_local: format!("{}T{}", first(), TIMES[*time]),
                duration_min: 90,
                recurrence: Some(Recurrence {
                    frequency: Frequency::Weekly,
                    interval: 1,
                    weekdays: weekdays.iter().map(|&w| Weekday::ALL[w]).collect(),
                    until: None,
                    count: None,
                    rules: Vec::new(),
                    extra_starts: Vec::new(),
                }),
                changes: Vec::new(),
                source: ScheduleSource::Patient,
            })
            .unwrap();
        ids.push(saved);
    }
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let hex: String = db.key.iter().map(|b| format!("{b:02x}")).collect();
    conn.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))
        .unwrap();
    let day = |d: i64| first() + Duration::days(d);
    for (n, record) in records.into_iter().enumerate() {
        match record {
            Record::Patient(p, d, st) => {
                let series = &ids[p % ids.len()];
                let id = format!("{}@{}T{}", series.id, day(d), &series.start_local[11..]);
                let status = AttendanceStatus::parse(STATUSES[st]).unwrap();
                // Days without that session are refused: fine.
                let _ = s.record_attendance(&id, status);
            }
            Record::RawPatient(p, d, t, st) => {
                let series = &ids[p % ids.len()].id;
                conn.execute(
                    "INSERT OR REPLACE INTO attendance
                     (occurrence_id, series_id, status, recorded_at_ms, time_zone)
                     VALUES (?1, ?2, ?3, 0, 'UTC')",
                    rusqlite::params![
                        format!("{series}@{}T{}", day(d), TIMES[t]),
                        series,
                        STATUSES[st]
                    ],
                )
                .unwrap();
            }
            Record::Clinic(p, d, st, form) => {
                let series = &ids[p % ids.len()];
                let occurrence = format!("{}@{}T{}", series.id, day(d), &series.start_local[11..]);
                let (record_id, payload) =
                    clinic_record(&occurrence, &series.id, STATUSES[st], form);
                conn.execute(
                    "INSERT OR REPLACE INTO clinic_record
                     (kind, record_id, payload, authored_at_ms, received_at_ms)
                     VALUES ('attendance', ?1, ?2, ?3, ?3)",
                    rusqlite::params![record_id, payload, n as i64],
                )
                .unwrap();
            }
        }
    }
    let now = utc("2026-11-06T15:00:00Z");
    for (from, to) in [
        ("2026-01-30T00:00:00Z", "2026-11-20T00:00:00Z"),
        ("2026-02-01T00:00:00Z", "2026-02-10T00:00:00Z"),
        ("2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z"),
        ("2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z"),
    ] {
        let (from, to) = (utc(from), utc(to));
        let one_by_one = s.snapshot(|conn| occurrences_in(conn, from, to, now));
        let in_one_pass = s.snapshot(|conn| occurrences_over(conn, from, to, now));
        assert_eq!(one_by_one.unwrap(), in_one_pass.unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn statuses_read_in_one_pass_equal_those_read_one_by_one(
        series in proptest::collection::vec(
            (0..ZONES.len(), 0..TIMES.len(), proptest::collection::vec(0..7usize, 0..3)),
            1..3,
        ),
        records in proptest::collection::vec(record(), 0..80),
    ) {
        run(series, records);
    }
}
