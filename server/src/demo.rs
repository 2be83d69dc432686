//! `steady-clinic demo`: a clinic with data that got there the real way.
//! Simulated patients each run the real core (steady-core, an encrypted phone
//! database) on a simulated clock: they enroll with a code, grant consent for
//! some categories, log cravings over a few days and sync over HTTP with the
//! running server, receiving the schedule staff set for them.

use crate::audit::Actor;
use crate::clinic_records;
use crate::error::{ApiError, ApiResult};
use crate::store::{Db, Mode};
use crate::{admin, office_hours, settings};
use chrono::{Duration, Utc};
use serde::Serialize;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use steady_core::{
    AttendanceStatus, ConsentCategory, ConsentGrant, DoseStatus, FixedClock, NewCraving, NewLapse,
    Steady,
};
use steady_http::UreqTransport;
use steady_protocol::{ChangeKind, ErrorCode};

pub const CLINIC_NAME: &str = "Riverside IOP (demo)";
pub const STAFF_EMAIL: &str = "staff@demo.steady";
pub const STAFF_PASSWORD: &str = "demo password 123";

/// Days of history each simulated phone records before today.
const DAYS: i64 = 4;

#[derive(Debug, Serialize)]
pub struct DemoPatient {
    pub name: String,
    pub patient_id: String,
    pub shared: Vec<&'static str>,
    pub applied: u32,
    pub held: u32,
    pub clinic_changes: u32,
}

#[derive(Debug, Serialize)]
pub struct DemoReport {
    pub server_url: String,
    pub clinic_name: &'static str,
    pub staff_email: &'static str,
    pub staff_password: &'static str,
    pub patients: Vec<DemoPatient>,
    /// A code for enrolling the `steady` CLI as one more patient.
    pub cli_patient_id: String,
    pub cli_enrollment_code: String,
    /// The clinician dashboard; sign in with `staff_email`/`staff_password`.
    pub dashboard_url: String,
    /// A second clinic (same password) and its patient, whom the first
    /// clinic's staff cannot reach.
    pub other_clinic_staff_email: &'static str,
    pub other_clinic_patient_id: String,
}

/// The simulated patients: name, what they share, their cravings per day.
/// Together they exercise every dashboard panel (docs/dashboard.md): Sam
/// takes every dose and attends (good adherence), Alex lapses, marks a
/// craving unsafe (a safety flag) and scores higher on the PHQ-9, Jordan misses sessions and shares only
/// attendance (cravings stay on the phone), Riley's PHQ-9 worsens.
const PATIENTS: [(&str, &[ConsentCategory], [u8; 3]); 4] = [
    (
        "Sam Rivera",
        &[
            ConsentCategory::Attendance,
            ConsentCategory::Medication,
            ConsentCategory::Cravings,
            ConsentCategory::Checkins,
        ],
        [6, 4, 3],
    ),
    (
        "Alex Kim",
        &[
            ConsentCategory::Attendance,
            ConsentCategory::Cravings,
            ConsentCategory::Lapses,
            ConsentCategory::Checkins,
        ],
        [8, 7, 5],
    ),
    ("Jordan Lee", &[ConsentCategory::Attendance], [5, 5, 2]),
    (
        "Riley Chen",
        &[
            ConsentCategory::Attendance,
            ConsentCategory::Medication,
            ConsentCategory::Checkins,
            ConsentCategory::Messages,
        ],
        [3, 2, 2],
    ),
];

/// The second demo clinic: its staff must never reach the first clinic's
/// patients, nor the reverse.
pub const OTHER_CLINIC_ID: &str = "lakeside";
pub const OTHER_STAFF_EMAIL: &str = "staff@lakeside.demo.steady";

fn demo_error(what: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("demo: {what}: {e}"))
}

/// The schedule staff set for every demo patient.
fn seed_schedule(db: &Db, patient_id: &str, now_ms: i64) -> ApiResult<()> {
    let first_date = (Utc::now() - Duration::days(DAYS))
        .format("%Y-%m-%d")
        .to_string();
    let records = [
        (
            ChangeKind::SessionSeries,
            json!({"kind": "group", "title": "Evening group", "time_zone": "America/New_York",
            "first_date": first_date, "start_time": "18:00", "duration_minutes": 180,
            "weekdays": ["mon", "tue", "wed", "thu", "fri"], "location": "Room 2"}),
        ),
        (
            ChangeKind::MedicationPlan,
            json!({"name": "Naltrexone", "dose": "50 mg", "times": ["08:00"], "start_date": first_date}),
        ),
        (
            ChangeKind::Questionnaire,
            json!({"instrument": "phq9", "title": "PHQ-9", "weekday": "mon", "time": "09:00"}),
        ),
        (
            ChangeKind::Message,
            json!({"from": "Dana (counselor)", "body": "Welcome to the program. See you at group."}),
        ),
    ];
    db.transact(Mode::Write, |tx| {
        for (kind, payload) in records {
            let payload = clinic_records::validate_payload(kind, payload)?;
            let id = uuid::Uuid::new_v4().to_string();
            clinic_records::write_change(
                tx,
                &Actor::Admin,
                patient_id,
                kind,
                &id,
                Some(&payload),
                now_ms,
            )?;
        }
        Ok(())
    })
}

/// One simulated phone: enroll, consent, a few days of cravings, a sync a day.
fn run_phone(
    phones_dir: &Path,
    index: usize,
    server_url: &str,
    code: &str,
    (name, shared, intensities): (&str, &[ConsentCategory], [u8; 3]),
    transport: &UreqTransport,
) -> ApiResult<(u32, u32, u32)> {
    let clock = Arc::new(FixedClock::new(
        Utc::now() - Duration::days(DAYS),
        "America/New_York",
    ));
    let mut key = [0u8; steady_core::KEY_LEN];
    getrandom::fill(&mut key).map_err(|e| demo_error("key", e))?;
    let phone = Steady::open(
        phones_dir.join(format!("phone-{index}.db")),
        &key,
        clock.clone(),
    )
    .map_err(|e| demo_error("open phone", e))?;
    phone
        .enroll(code, server_url, Some(format!("{name}'s phone")), transport)
        .map_err(|e| demo_error("enroll", e))?;
    phone
        .grant_consent(ConsentGrant {
            categories: shared.to_vec(),
            purpose: None,
            expires_at_ms: None,
            signature: name.to_string(),
            recipient: None,
            recipient_address: None,
        })
        .map_err(|e| demo_error("consent", e))?;
    let (mut applied, mut held, mut changes) = (0, 0, 0);
    for day in 0..DAYS {
        for (i, intensity) in intensities.iter().enumerate() {
            let intensity = intensity
                .saturating_sub(u8::try_from(day).unwrap_or(0))
                .max(1);
            phone
                .log_craving(NewCraving {
                    intensity,
                    note: (i == 0).then(|| "after work".to_string()),
                    ..NewCraving::default()
                })
                .map_err(|e| demo_error("log craving", e))?;
            clock.advance(Duration::hours(5));
        }
        day_of(&phone, index, day).map_err(|e| demo_error("scenario", e))?;
        let report = phone.sync(transport).map_err(|e| demo_error("sync", e))?;
        applied += report.applied;
        held = report.held;
        changes += report.clinic_changes;
        clock.advance(Duration::hours(9));
    }
    Ok((applied, held, changes))
}

/// What each simulated patient does at the end of a day, by index in
/// [`PATIENTS`]: attendance for the sessions that ended, doses, lapses,
/// questionnaires and an unsafe craving.
fn day_of(phone: &Steady, index: usize, day: i64) -> steady_core::Result<()> {
    let now = phone.now();
    let ended = phone
        .occurrences_between(now - Duration::hours(24), now)?
        .into_iter()
        .filter(|o| o.end_ms < now.timestamp_millis());
    for occurrence in ended {
        let status = match (index, day) {
            (2, _) | (1, 3) => AttendanceStatus::Missed,
            _ => AttendanceStatus::Attended,
        };
        phone.record_attendance(&occurrence.id, status)?;
    }
    if index == 0 || index == 3 {
        for plan in phone.medications()? {
            // Sam and Riley take every dose due (good adherence).
            let _ = phone.confirm_dose(&plan.id, DoseStatus::Taken, None);
        }
    }
    match (index, day) {
        (1, 2) => {
            phone.log_lapse(NewLapse {
                substances: vec!["alcohol".into()],
                helped: Some("called my sponsor".into()),
                ..NewLapse::default()
            })?;
        }
        (1, 3) => {
            phone.log_craving(NewCraving {
                intensity: 9,
                marked_unsafe: true,
                ..NewCraving::default()
            })?;
            phone.submit_phq9(vec![2, 2, 1, 2, 1, 2, 1, 0, 0])?;
        }
        (0, 0) | (3, 0) => {
            phone.submit_phq9(vec![1, 1, 0, 1, 0, 0, 0, 0, 0])?;
        }
        // Alex, flagged after a lapse, scores higher on the PHQ-9 too: the
        // digest shows the flag beside the score and its change.
        (1, 0) => {
            phone.submit_phq9(vec![1, 1, 1, 1, 0, 1, 0, 0, 0])?;
        }
        (0, 3) => {
            phone.submit_phq9(vec![1, 0, 0, 1, 0, 0, 0, 0, 0])?;
        }
        (3, 3) => {
            phone.submit_phq9(vec![2, 2, 1, 2, 1, 2, 1, 1, 0])?;
        }
        _ => {}
    }
    Ok(())
}

/// The second clinic: a staff account and one patient, for isolation.
fn seed_other_clinic(db: &Db, now_ms: i64) -> ApiResult<String> {
    match admin::add_staff(
        db,
        OTHER_STAFF_EMAIL,
        "Lakeside staff",
        STAFF_PASSWORD,
        now_ms,
    ) {
        Err(e) if e.code == ErrorCode::Conflict => {}
        other => {
            other?;
        }
    }
    let other = admin::add_patient(db, "Casey Morgan", now_ms)?;
    db.transact(Mode::Write, |tx| {
        tx.exec(
            "UPDATE staff SET clinic_id = $1 WHERE email = $2",
            &[OTHER_CLINIC_ID.into(), OTHER_STAFF_EMAIL.into()],
        )?;
        tx.exec(
            "UPDATE patients SET clinic_id = $1 WHERE id = $2",
            &[
                OTHER_CLINIC_ID.into(),
                other.patient.patient_id.clone().into(),
            ],
        )?;
        office_hours::save(
            tx,
            "main",
            &office_hours::ClinicHours {
                time_zone: "America/New_York".into(),
                on_call_email: "oncall@demo.steady".into(),
                ..office_hours::ClinicHours::default()
            },
        )
    })?;
    Ok(other.patient.patient_id)
}

/// Seeds the demo clinic through `server_url` (a server already serving `db`).
pub fn run(db: &Db, server_url: &str, phones_dir: &Path, now_ms: i64) -> ApiResult<DemoReport> {
    db.transact(Mode::Write, |tx| settings::set_clinic_name(tx, CLINIC_NAME))?;
    match admin::add_staff(db, STAFF_EMAIL, "Dana Ortiz", STAFF_PASSWORD, now_ms) {
        Err(e) if e.code == ErrorCode::Conflict => {}
        other => {
            other?;
        }
    }
    let transport = UreqTransport;
    let mut patients = Vec::new();
    for (index, patient) in PATIENTS.into_iter().enumerate() {
        let added = admin::add_patient(db, patient.0, now_ms)?;
        seed_schedule(db, &added.patient.patient_id, now_ms)?;
        let (applied, held, clinic_changes) = run_phone(
            phones_dir,
            index,
            server_url,
            &added.enrollment.code,
            patient,
            &transport,
        )?;
        patients.push(DemoPatient {
            name: patient.0.to_string(),
            patient_id: added.patient.patient_id,
            shared: patient.1.iter().map(|c| c.as_str()).collect(),
            applied,
            held,
            clinic_changes,
        });
    }
    let cli = admin::add_patient(db, "You (steady CLI)", now_ms)?;
    seed_schedule(db, &cli.patient.patient_id, now_ms)?;
    let other_clinic_patient_id = seed_other_clinic(db, now_ms)?;
    Ok(DemoReport {
        server_url: server_url.to_string(),
        clinic_name: CLINIC_NAME,
        staff_email: STAFF_EMAIL,
        staff_password: STAFF_PASSWORD,
        patients,
        cli_patient_id: cli.patient.patient_id,
        cli_enrollment_code: cli.enrollment.code,
        dashboard_url: format!("{server_url}/dashboard"),
        other_clinic_staff_email: OTHER_STAFF_EMAIL,
        other_clinic_patient_id,
    })
}
