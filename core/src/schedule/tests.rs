//! Storage-level tests of the schedule: calendar import (atomic, idempotent),
//! occurrence statuses, attendance and dose confirmations with their outbox
//! rows.

use super::ical::tests::CLINIC;
use crate::test_support::{utc, TestDb};
use crate::{
    AttendanceStatus, DoseStatus, Error, NewMedication, OccurrenceStatus, ScheduleSource,
    SessionKind, SessionSeries,
};
use chrono::{Duration, NaiveDate};

fn date(text: &str) -> NaiveDate {
    super::local_time::parse_date("date", text).unwrap()
}

fn imported() -> TestDb {
    let f = TestDb::new("2026-03-02T12:00:00Z", "America/New_York");
    f.steady.import_calendar(CLINIC).unwrap();
    f
}

fn invalid_field<T: std::fmt::Debug>(result: crate::Result<T>) -> String {
    match result {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected an invalid-input error, got {other:?}"),
    }
}

#[test]
fn reimporting_the_same_calendar_updates_instead_of_duplicating() {
    let f = imported();
    let first = f.steady.session_series().unwrap();
    let summary = f.steady.import_calendar(CLINIC).unwrap();
    assert_eq!((summary.added, summary.updated), (0, 2));
    let second = f.steady.session_series().unwrap();
    assert_eq!(first, second);
    let retitled = CLINIC.replace("DURATION:PT50M", "DURATION:PT45M");
    f.steady.import_calendar(&retitled).unwrap();
    let third = f.steady.session_series().unwrap();
    assert_eq!(third.len(), 2);
    assert!(third.iter().any(|s| s.duration_min == 45));
}

#[test]
fn a_broken_event_is_skipped_with_its_line_and_uid_and_the_rest_imports() {
    let f = TestDb::new("2026-03-02T12:00:00Z", "America/New_York");
    let bad = CLINIC.replace("DURATION:PT50M", "DURATION:PT0M");
    let summary = f.steady.import_calendar(&bad).unwrap();
    assert_eq!(summary.added, 1);
    let skip = summary
        .skipped
        .iter()
        .find(|s| s.uid.as_deref() == Some("intake@clinic.example"))
        .expect("the zero-length event is reported");
    assert_eq!((skip.line, skip.component.as_str()), (35, "VEVENT"));
    assert_eq!(skip.reason, "zero-length event (not a session)");
    assert_eq!(f.steady.session_series().unwrap().len(), 1);
}

#[test]
fn a_value_the_model_refuses_is_reported_at_its_event() {
    let f = TestDb::new("2026-03-02T12:00:00Z", "America/New_York");
    let long_title = format!("SUMMARY:{}", "x".repeat(300));
    let bad = CLINIC.replace("SUMMARY:Individual counseling", &long_title);
    let summary = f.steady.import_calendar(&bad).unwrap();
    let skip = summary
        .skipped
        .iter()
        .find(|s| s.line == 35)
        .expect("reported at BEGIN:VEVENT");
    assert!(skip.reason.starts_with("title "), "{}", skip.reason);
    assert!(!skip.reason.contains("xxx"));
    assert_eq!(f.steady.session_series().unwrap().len(), 1);
}

#[test]
fn a_file_that_is_no_calendar_changes_nothing() {
    let f = imported();
    let before = f.steady.session_series().unwrap();
    assert_eq!(
        invalid_field(f.steady.import_calendar("hello\nworld")),
        "calendar line 1 (VCALENDAR)"
    );
    assert_eq!(f.steady.session_series().unwrap(), before);
}

#[test]
fn ranges_are_bounded_and_ordered() {
    let f = imported();
    assert_eq!(
        invalid_field(f.steady.occurrences(date("2026-03-02"), date("2027-06-01"))),
        "to"
    );
    assert_eq!(
        invalid_field(f.steady.doses_due(date("2026-03-02"), date("2026-03-01"))),
        "from"
    );
    assert!(f
        .steady
        .doses_due(date("2026-03-02"), date("2027-04-01"))
        .is_ok());
}

#[test]
fn a_cancelled_series_in_a_later_import_is_removed() {
    let f = imported();
    let cancelled = CLINIC.replace(
        "UID:intake@clinic.example\r\n",
        "UID:intake@clinic.example\r\nSTATUS:CANCELLED\r\n",
    );
    let summary = f.steady.import_calendar(&cancelled).unwrap();
    assert_eq!(summary.cancelled, 1);
    assert_eq!(f.steady.session_series().unwrap().len(), 1);
}

#[test]
fn occurrences_carry_moves_cancellations_and_kinds() {
    let f = imported();
    let week = f
        .steady
        .occurrences(date("2026-03-09"), date("2026-03-15"))
        .unwrap();
    let summary: Vec<_> = week
        .iter()
        .map(|o| (o.start_local.as_str(), o.status, o.moved, o.duration_min))
        .collect();
    assert_eq!(
        summary,
        [
            ("2026-03-09T18:00", OccurrenceStatus::Cancelled, false, 180),
            ("2026-03-11T18:00", OccurrenceStatus::Cancelled, false, 180),
            ("2026-03-14T10:00", OccurrenceStatus::Scheduled, true, 120),
        ]
    );
    assert!(week[2].id.ends_with("@2026-03-13T18:00"));
    assert!(week.iter().all(|o| o.kind == SessionKind::Group));
}

#[test]
fn an_unrecorded_session_becomes_unconfirmed_hours_after_it_ends() {
    let f = imported();
    let day = date("2026-03-04");
    let find = |f: &TestDb| {
        f.steady
            .occurrences(day, day)
            .unwrap()
            .into_iter()
            .find(|o| o.kind == SessionKind::Group)
            .unwrap()
    };
    // 18:00–21:00 New York; unconfirmed from 03:00 the next night (6 hours).
    f.clock.set(utc("2026-03-05T07:59:00Z"));
    assert_eq!(find(&f).status, OccurrenceStatus::Scheduled);
    f.clock.set(utc("2026-03-05T08:00:00Z"));
    assert_eq!(find(&f).status, OccurrenceStatus::Unconfirmed);
    let record = f
        .steady
        .record_attendance(&find(&f).id, AttendanceStatus::Late)
        .unwrap();
    assert_eq!(record.time_zone, "America/New_York");
    assert_eq!(find(&f).status, OccurrenceStatus::Late);
}

#[test]
fn attendance_is_queued_for_sync_in_the_same_transaction() {
    let f = imported();
    f.clock.set(utc("2026-03-05T03:00:00Z"));
    let occurrence = &f
        .steady
        .occurrences(date("2026-03-04"), date("2026-03-04"))
        .unwrap()[0];
    f.steady
        .record_attendance(&occurrence.id, AttendanceStatus::Attended)
        .unwrap();
    let outbox = f.steady.pending_outbox().unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].record_type, "attendance");
    assert_eq!(outbox[0].record_id, occurrence.id);
    assert!(outbox[0].payload.contains("\"status\":\"attended\""));
}

#[test]
fn attendance_rejects_future_cancelled_and_unknown_occurrences() {
    let f = imported();
    let series_id = f.steady.session_series().unwrap()[0].id.clone();
    let future = format!("{series_id}@2026-03-20T18:00");
    assert_eq!(
        invalid_field(
            f.steady
                .record_attendance(&future, AttendanceStatus::Attended)
        ),
        "status"
    );
    f.steady
        .record_attendance(&future, AttendanceStatus::Excused)
        .unwrap();
    f.clock.set(utc("2026-03-12T12:00:00Z"));
    let cancelled = format!("{series_id}@2026-03-09T18:00");
    assert_eq!(
        invalid_field(
            f.steady
                .record_attendance(&cancelled, AttendanceStatus::Missed)
        ),
        "occurrence_id"
    );
    let not_in_rule = format!("{series_id}@2026-03-10T18:00");
    assert!(matches!(
        f.steady
            .record_attendance(&not_in_rule, AttendanceStatus::Missed),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(
        invalid_field(
            f.steady
                .record_attendance("nonsense", AttendanceStatus::Missed)
        ),
        "occurrence_id"
    );
    // Only the excused record was written.
    assert_eq!(f.steady.pending_outbox().unwrap().len(), 1);
}

#[test]
fn a_patient_who_has_arrived_may_say_so_from_an_hour_before_the_start() {
    // The imported evening group starts 18:00 New York (22:00 UTC in March,
    // after the DST change on the 8th); the 11th is excluded, the 18th is not.
    let f = imported();
    let series_id = f.steady.session_series().unwrap()[0].id.clone();
    let occurrence = format!("{series_id}@2026-03-18T18:00");
    f.clock.set(utc("2026-03-18T20:59:00Z"));
    assert_eq!(
        invalid_field(
            f.steady
                .record_attendance(&occurrence, AttendanceStatus::Attended)
        ),
        "status",
        "61 minutes ahead is not yet arriving"
    );
    f.clock.set(utc("2026-03-18T21:45:00Z")); // the 15-minute reminder
    for early in [AttendanceStatus::Late, AttendanceStatus::Missed] {
        assert_eq!(
            invalid_field(f.steady.record_attendance(&occurrence, early)),
            "status",
            "{early:?} before the start"
        );
    }
    let here = f
        .steady
        .record_attendance(&occurrence, AttendanceStatus::Attended)
        .unwrap();
    assert_eq!(here.status, AttendanceStatus::Attended);
    assert_eq!(f.steady.pending_outbox().unwrap().len(), 1);
}

fn naltrexone() -> NewMedication {
    NewMedication {
        name: "Naltrexone".into(),
        dose: Some("50 mg".into()),
        times: vec!["08:00".into(), "20:00".into()],
        ..Default::default()
    }
}

#[test]
fn dose_confirmation_picks_the_latest_due_dose_and_queues_it() {
    let f = TestDb::new("2026-03-02T13:30:00Z", "America/New_York");
    let med = f.steady.add_medication(naltrexone()).unwrap();
    assert_eq!(med.start_date, "2026-03-02");
    assert_eq!(med.source, ScheduleSource::Patient);
    let confirmation = f
        .steady
        .confirm_dose(&med.id, DoseStatus::Taken, None)
        .unwrap();
    assert_eq!(confirmation.due_local, "2026-03-02T08:00");
    assert_eq!(confirmation.time_zone, "America/New_York");
    let due = f
        .steady
        .doses_due(date("2026-03-02"), date("2026-03-02"))
        .unwrap();
    assert_eq!(due.len(), 2);
    assert_eq!(
        due[0].confirmation.as_ref().map(|c| c.status),
        Some(DoseStatus::Taken)
    );
    assert!(due[1].confirmation.is_none());
    let outbox = f.steady.pending_outbox().unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].record_type, "dose");
    assert_eq!(outbox[0].record_id, confirmation.dose_id);
}

#[test]
fn dose_confirmation_rejects_times_that_are_not_doses() {
    let f = TestDb::new("2026-03-02T13:30:00Z", "America/New_York");
    let med = f.steady.add_medication(naltrexone()).unwrap();
    let cases = [
        Some("2026-03-02T09:00"),
        Some("2026-03-03T08:00"),
        Some("tomorrow"),
    ];
    for due in cases {
        assert_eq!(
            invalid_field(f.steady.confirm_dose(&med.id, DoseStatus::TakenLate, due)),
            "due_local"
        );
    }
    assert_eq!(
        invalid_field(f.steady.confirm_dose("x", DoseStatus::Taken, None)),
        "medication_id"
    );
    f.clock.advance(Duration::days(-1));
    assert_eq!(
        invalid_field(f.steady.confirm_dose(&med.id, DoseStatus::Taken, None)),
        "due_local"
    );
    assert!(f.steady.pending_outbox().unwrap().is_empty());
}

#[test]
fn saving_a_series_by_hand_validates_every_field() {
    let f = TestDb::new("2026-03-02T12:00:00Z", "Europe/London");
    let series = SessionSeries {
        id: String::new(),
        uid: None,
        kind: SessionKind::Family,
        title: "Family".into(),
        location: None,
        video_url: None,
        time_zone: "Europe/London".into(),
        start_local: "2026-03-05T17:00".into(),
        duration_min: 60,
        recurrence: None,
        changes: Vec::new(),
        source: ScheduleSource::Patient,
    };
    let cases = [
        (
            SessionSeries {
                title: "  ".into(),
                ..series.clone()
            },
            "title",
        ),
        (
            SessionSeries {
                time_zone: "Nowhere".into(),
                ..series.clone()
            },
            "time_zone",
        ),
        (
            SessionSeries {
                start_local: "5 March".into(),
                ..series.clone()
            },
            "start_local",
        ),
        (
            SessionSeries {
                duration_min: 0,
                ..series.clone()
            },
            "duration_min",
        ),
    ];
    for (bad, field) in cases {
        assert_eq!(invalid_field(f.steady.save_session_series(bad)), field);
    }
    assert!(f.steady.session_series().unwrap().is_empty());
    let saved = f.steady.save_session_series(series).unwrap();
    assert!(crate::ids::parse_id("id", &saved.id).is_ok());
    let day = f
        .steady
        .occurrences(date("2026-03-05"), date("2026-03-05"))
        .unwrap();
    assert_eq!(day.len(), 1);
    f.steady.delete_session_series(&saved.id).unwrap();
    assert!(f
        .steady
        .occurrences(date("2026-03-05"), date("2026-03-05"))
        .unwrap()
        .is_empty());
}
