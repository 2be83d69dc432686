//! The doses progress counts (from the plans and the answers by local time)
//! against the dose listing the schedule shows (`doses_due`, one formatted id
//! per dose looked up among the confirmations): random plans with times in
//! the DST gap and fold, answers through the API and written raw (ids in
//! other forms among them), removed plans, and the phone in zones from
//! UTC-11 to UTC+14.

use super::adherence::adherence;
use crate::test_support::TestDb;
use crate::{DoseStatus, NewMedication, Weekday};
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

const ZONES: [&str; 5] = [
    "America/New_York",
    "Europe/London",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Australia/Lord_Howe",
];
/// 02:30 is in New York's spring-forward gap (03-08), 01:30 in its fold
/// (11-01); 00:00 and 23:59 sit on the date's edges.
const TIMES: [&str; 5] = ["00:00", "01:30", "02:30", "08:00", "23:59"];
const STATUSES: [DoseStatus; 3] = [
    DoseStatus::Taken,
    DoseStatus::TakenLate,
    DoseStatus::Skipped,
];

fn first() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 20).unwrap()
}

#[derive(Debug, Clone)]
struct PlanSpec {
    times: Vec<usize>,
    weekdays: Vec<usize>,
    start: i64,
    days: Option<i64>,
}

#[derive(Debug, Clone)]
enum Answer {
    /// Through `confirm_dose`: plan, day after the first, time index.
    Confirm(usize, i64, usize, usize),
    /// Written raw: plan (one past the last: no plan), day, time index,
    /// the dose id's form (see `raw_dose_id`), status.
    Raw(usize, i64, usize, usize, usize),
    Remove(usize),
}

fn plan() -> impl Strategy<Value = PlanSpec> {
    (
        proptest::collection::vec(0..TIMES.len(), 1..3),
        proptest::collection::vec(0..7usize, 0..3),
        0..260i64,
        proptest::option::of(0..120i64),
    )
        .prop_map(|(times, weekdays, start, days)| PlanSpec {
            times,
            weekdays,
            start,
            days,
        })
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        6 => (0..3usize, 0..260i64, 0..TIMES.len(), 0..3usize)
            .prop_map(|(p, day, t, s)| Answer::Confirm(p, day, t, s)),
        4 => (0..4usize, 0..260i64, 0..TIMES.len(), 0..6usize, 0..3usize)
            .prop_map(|(p, day, t, form, s)| Answer::Raw(p, day, t, form, s)),
        1 => (0..3usize).prop_map(Answer::Remove),
    ]
}

/// A dose id as Steady writes it (form 0), or in a form that names no dose.
fn raw_dose_id(medication_id: &str, local: &str, form: usize) -> String {
    match form {
        0 => format!("{medication_id}@{local}"),
        1 => format!("{medication_id}@{local} "),
        2 => format!("{medication_id}@ {local}"),
        3 => format!("{medication_id}@{local}:00"),
        4 => format!("{medication_id}@{}", local.replacen('T', " ", 1)),
        _ => format!("{medication_id}@{}", local.replacen("T0", "T", 1)),
    }
}

fn run(plans: Vec<PlanSpec>, answers: Vec<Answer>, zone: usize, travel: usize) {
    let db = TestDb::new("2026-11-06T15:00:00Z", ZONES[zone]);
    let s = &db.steady;
    let day = |n: i64| first() + Duration::days(n);
    let mut ids = Vec::new();
    for spec in &plans {
        let start = day(spec.start);
        let medication = s
            .add_medication(NewMedication {
                name: format!("Medication {}", ids.len() % 2),
                times: spec.times.iter().map(|&t| TIMES[t].to_string()).collect(),
                weekdays: spec.weekdays.iter().map(|&w| Weekday::ALL[w]).collect(),
                start_date: Some(start.to_string()),
                end_date: spec
                    .days
                    .map(|days| (start + Duration::days(days)).to_string()),
                ..Default::default()
            })
            .unwrap();
        ids.push(medication.id);
    }
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let hex: String = db.key.iter().map(|b| format!("{b:02x}")).collect();
    conn.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))
        .unwrap();
    for (n, answer) in answers.into_iter().enumerate() {
        match answer {
            Answer::Confirm(p, d, t, st) => {
                let due = format!("{}T{}", day(d), TIMES[t]);
                // Days without that dose are refused: fine.
                let _ = s.confirm_dose(&ids[p % ids.len()], STATUSES[st], Some(&due));
            }
            Answer::Raw(p, d, t, form, st) => {
                let due_local = format!("{}T{}", day(d), TIMES[t]);
                let (id, dose_id) = match ids.get(p) {
                    Some(id) => (id.clone(), raw_dose_id(id, &due_local, form)),
                    None => (ids[0].clone(), format!("{}x@{due_local}", ids[0])),
                };
                conn.execute(
                    "INSERT OR IGNORE INTO dose_confirmation
                     (dose_id, medication_id, due_local, status, confirmed_at_ms, time_zone)
                     VALUES (?1, ?2, ?3, ?4, ?5, 'UTC')",
                    rusqlite::params![dose_id, id, due_local, STATUSES[st].as_str(), n as i64],
                )
                .unwrap();
            }
            Answer::Remove(p) => {
                let _ = s.remove_medication(&ids[p % ids.len()]);
            }
        }
    }
    // The phone has travelled: dose instants are in its zone now.
    db.clock.travel_to(ZONES[travel]);
    let today = NaiveDate::from_ymd_opt(2026, 11, 6).unwrap();
    for from in [first(), day(200), today - Duration::days(29)] {
        let key = |d: &super::facts::DoseFact| (d.medication_id.clone(), d.due_ms, d.due_date);
        let mut counted = s.dose_facts(from, today).unwrap();
        let mut listed = s.listed_dose_facts(from, today).unwrap();
        counted.sort_by_key(key);
        listed.sort_by_key(key);
        assert_eq!(counted, listed);
        for now_ms in [db.now_ms(), db.now_ms() - 3 * 3_600_000] {
            assert_eq!(
                adherence(&counted, from, today, now_ms),
                adherence(&listed, from, today, now_ms)
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn counted_doses_equal_the_listed_doses_with_their_answers(
        plans in proptest::collection::vec(plan(), 1..4),
        answers in proptest::collection::vec(answer(), 0..60),
        zone in 0..ZONES.len(),
        travel in 0..ZONES.len(),
    ) {
        run(plans, answers, zone, travel);
    }
}
