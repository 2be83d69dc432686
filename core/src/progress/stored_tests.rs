//! Today and the full report read from a real encrypted database filled
//! through the public API: sessions with attendance, a medication with
//! answers, detailed cravings, a lapse and daily check-ins. Expected values
//! are counted by hand in the comments.

use super::*;
use crate::test_support::{utc as at, TestDb};
use crate::{
    AttendanceStatus, CravingOutcome, DoseStatus, Frequency, NewCraving, NewDailyCheckIn, NewLapse,
    NewMedication, Recurrence, ScheduleSource, SessionKind, SessionSeries, Weekday,
};

fn ms(rfc3339: &str) -> i64 {
    at(rfc3339).timestamp_millis()
}

/// Two weeks of a program that started Monday 03-09 in New York; "now" is
/// Wednesday 03-18 16:00 EDT, two hours before that day's session.
fn two_weeks_in() -> (TestDb, String) {
    let db = TestDb::new("2026-03-18T20:00:00Z", "America/New_York");
    let s = &db.steady;
    s.set_program_settings(ProgramSettings {
        program_start_date: Some("2026-03-09".into()),
        weekly_program_hours: Some(6.0),
        ..Default::default()
    })
    .unwrap();
    s.set_tracked_substances(vec!["alcohol".into(), "cannabis".into()])
        .unwrap();
    let series = s
        .save_session_series(SessionSeries {
            id: String::new(),
            uid: None,
            kind: SessionKind::Group,
            title: "Group".into(),
            location: None,
            video_url: None,
            time_zone: "America/New_York".into(),
            start_local: "2026-03-09T18:00".into(),
            duration_min: 120,
            recurrence: Some(Recurrence {
                frequency: Frequency::Weekly,
                interval: 1,
                weekdays: vec![Weekday::Mon, Weekday::Wed],
                until: None,
                count: None,
                rules: Vec::new(),
                extra_starts: Vec::new(),
            }),
            changes: Vec::new(),
            source: ScheduleSource::Clinic,
        })
        .unwrap();
    // 03-09 attended, 03-11 late, 03-16 left unrecorded (unconfirmed).
    s.record_attendance(
        &format!("{}@2026-03-09T18:00", series.id),
        AttendanceStatus::Attended,
    )
    .unwrap();
    s.record_attendance(
        &format!("{}@2026-03-11T18:00", series.id),
        AttendanceStatus::Late,
    )
    .unwrap();
    let med = s
        .add_medication(NewMedication {
            name: "Naltrexone".into(),
            times: vec!["08:00".into()],
            start_date: Some("2026-03-12".into()),
            ..Default::default()
        })
        .unwrap();
    for day in 12..=16 {
        s.confirm_dose(
            &med.id,
            DoseStatus::Taken,
            Some(&format!("2026-03-{day}T08:00")),
        )
        .unwrap();
    }
    s.confirm_dose(&med.id, DoseStatus::Skipped, Some("2026-03-17T08:00"))
        .unwrap();
    s.log_craving(NewCraving {
        intensity: 5,
        occurred_at_ms: Some(ms("2026-03-10T16:00:00Z")),
        triggers: vec!["stress".into()],
        coping_tried: vec!["urge_surfing".into()],
        outcome: Some(CravingOutcome::Passed),
        ..Default::default()
    })
    .unwrap();
    // 21:30 EDT on 03-17 is 01:30Z on 03-18: it is a use on 03-17.
    s.log_craving(NewCraving {
        intensity: 8,
        occurred_at_ms: Some(ms("2026-03-18T01:30:00Z")),
        triggers: vec!["stress".into()],
        coping_tried: vec!["delay".into()],
        substances: vec!["alcohol".into()],
        outcome: Some(CravingOutcome::Used),
        ..Default::default()
    })
    .unwrap();
    s.log_lapse(NewLapse {
        occurred_at_ms: Some(ms("2026-03-15T00:00:00Z")),
        substances: vec!["cannabis".into()],
        ..Default::default()
    })
    .unwrap();
    for day in (9..=17).filter(|d| *d != 13) {
        s.record_daily_checkin(NewDailyCheckIn {
            mood: 3,
            local_date: Some(format!("2026-03-{day:02}")),
            ..Default::default()
        })
        .unwrap();
    }
    (db, series.id)
}

#[test]
fn the_report_reads_every_record_kind_from_storage() {
    let (db, _) = two_weeks_in();
    let p = db.steady.progress(None).unwrap();
    assert_eq!(
        (p.period_start.as_str(), p.as_of_date.as_str()),
        ("2026-03-09", "2026-03-18")
    );
    // Uses: cannabis lapse 03-14 (20:00 EDT), alcohol craving 03-17.
    // Program 03-09..03-18 = 10 days, 8 sober; runs 5 (03-09..13), 2, 1.
    assert_eq!(p.sober.days_since_last_use, 1);
    assert_eq!(p.sober.longest_streak_days, 5);
    assert_eq!(p.sober.share_abstinent, Some(0.8));
    assert_eq!(
        (p.sober.next_milestone_days, p.sober.days_to_next_milestone),
        (3, 2)
    );
    let per: Vec<_> = p
        .sober_by_substance
        .iter()
        .map(|s| {
            (
                s.substance.clone().unwrap(),
                s.days_since_last_use,
                s.longest_streak_days,
            )
        })
        .collect();
    // Alcohol: only 03-17 -> 1 now, 8 before it. Cannabis: only 03-14.
    assert_eq!(
        per,
        vec![("alcohol".into(), 1, 8), ("cannabis".into(), 4, 5)]
    );
    // Week 03-09: 4 h attended of 4 h offered -> met. Week 03-16: Monday
    // unconfirmed, Wednesday to come -> pending.
    let a = &p.attendance;
    let plans: Vec<_> = a.weeks.iter().map(|w| (w.hours_attended, w.plan)).collect();
    assert_eq!(plans, vec![(4.0, WeekPlan::Met), (0.0, WeekPlan::Pending)]);
    assert_eq!(a.weeks_meeting_plan_in_a_row, 1);
    let o = &a.overall;
    assert_eq!(
        (o.attended, o.late, o.unconfirmed, o.upcoming, o.missed),
        (1, 1, 1, 1, 0)
    );
    assert_eq!(o.rate, Some(1.0));
    // Doses 03-12..03-18: 5 taken, 1 skipped, today's 08:00 unanswered for
    // 8 hours: 5 / 7.
    assert_eq!(p.medications.len(), 1);
    let week = &p.medications[0].last_7_days;
    assert_eq!(
        (week.taken, week.skipped, week.unanswered, week.due),
        (5, 1, 1, 7)
    );
    assert_eq!(week.rate, Some(0.714));
    let c = &p.cravings;
    assert_eq!(
        (c.total, c.mean_intensity, c.peak_intensity),
        (2, Some(6.5), Some(8))
    );
    assert_eq!(c.trend, CravingTrend::NotEnoughData);
    assert_eq!(c.top_triggers[0].trigger, "stress");
    assert_eq!(c.top_triggers[0].count, 2);
    assert_eq!(c.coping[0].strategy, "urge_surfing");
    // 8 check-ins over 03-09..03-17 (9 days): 0.889, on target.
    assert_eq!((p.checkins.done, p.checkins.expected), (8, 9));
    assert!(p.checkins.meets_target);

    let since = db.steady.progress(Some("2026-03-16")).unwrap();
    assert_eq!(since.attendance.weeks.len(), 1);
    assert_eq!(since.cravings.days.len(), 3);
    for bad in ["2026-03-19", "18/03/2026"] {
        assert!(matches!(
            db.steady.progress(Some(bad)),
            Err(crate::Error::Invalid { field, .. }) if field == "since"
        ));
    }
}

#[test]
fn today_holds_everything_the_home_screen_shows() {
    let (db, series_id) = two_weeks_in();
    let t = db.steady.today().unwrap();
    assert_eq!(
        (t.date.as_str(), t.time_zone.as_str()),
        ("2026-03-18", "America/New_York")
    );
    let next = t.next_session.expect("today's 18:00 session");
    assert_eq!(next.id, format!("{series_id}@2026-03-18T18:00"));
    assert_eq!(t.doses_due_now.len(), 1);
    assert_eq!(t.doses_due_now[0].due_local, "2026-03-18T08:00");
    assert!(t.checkin_due);
    assert_eq!(t.sober.days_since_last_use, 1);
    assert_eq!(t.craving_trend, CravingTrend::NotEnoughData);
    assert_eq!(t.coping_shortcuts.len(), crate::screens::COPING_SHORTCUTS);
    assert_eq!(t.coping_shortcuts[0].key, "urge_surfing");
    assert!(t.crisis_card.lines.iter().any(|l| l.call == "988"));

    // Flying to London: at 02:00Z it is 03-19 there, and the 03-17 use
    // stays on its New York date, so 03-18 and 03-19 are sober.
    db.clock.set(at("2026-03-19T02:00:00Z"));
    db.clock.travel_to("Europe/London");
    let abroad = db.steady.today().unwrap();
    assert_eq!(abroad.date, "2026-03-19");
    assert_eq!(abroad.sober.days_since_last_use, 2);
    assert!(abroad.doses_due_now.is_empty());
}

#[test]
fn a_new_install_starts_the_program_today_with_nothing_to_show() {
    let db = TestDb::new("2026-03-18T20:00:00Z", "America/New_York");
    let p = db.steady.progress(None).unwrap();
    assert_eq!(p.program_start, "2026-03-18");
    assert_eq!(p.sober.days_since_last_use, 1);
    assert_eq!(p.cravings.total, 0);
    assert_eq!(p.checkins.expected, 0);
    let t = db.steady.today().unwrap();
    assert!(t.next_session.is_none());
    assert!(t.checkin_due);
}

#[test]
fn long_histories_are_read_through_the_outcome_index() {
    let db = TestDb::new("2026-03-18T20:00:00Z", "America/New_York");
    let plan = |sql: &str| -> String {
        db.steady
            .read(|conn| {
                let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(3))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?.join(" "))
            })
            .unwrap()
    };
    let used = plan(
        "SELECT occurred_at_ms, time_zone, substances FROM craving
         WHERE deleted_at_ms IS NULL AND outcome = 'used'",
    );
    assert!(used.contains("craving_by_outcome"), "{used}");
    let helped = plan(
        "SELECT coping_tried FROM craving
         WHERE deleted_at_ms IS NULL AND outcome = 'passed' AND coping_tried != '[]'",
    );
    assert!(helped.contains("craving_by_outcome"), "{helped}");
}
