//! Planner behaviour on a real database: DST gaps and folds in New York,
//! London and Sydney, weekly series across DST, travel, the cap and its
//! priority order, quiet hours, snooze, follow-ups, stable ids, the diff, and
//! discreet text.

use super::{diff_reminders, Reminder, ReminderKind};
use crate::test_support::{utc, TestDb};
use crate::{
    DoseStatus, Error, Frequency, NewMedication, Recurrence, ReminderSettings, ScheduleSource,
    SessionKind, SessionSeries, Weekday,
};
use chrono::Duration;

fn medication(f: &TestDb, name: &str, times: &[&str], start: &str) -> String {
    f.steady
        .add_medication(NewMedication {
            name: name.into(),
            dose: Some("50 mg".into()),
            times: times.iter().map(|t| t.to_string()).collect(),
            start_date: Some(start.into()),
            ..Default::default()
        })
        .unwrap()
        .id
}

fn weekly_session(f: &TestDb, zone: &str, start: &str, days: &[Weekday]) -> String {
    f.steady
        .save_session_series(SessionSeries {
            id: String::new(),
            uid: None,
            kind: SessionKind::Group,
            title: "Evening group".into(),
            location: Some("Room 2".into()),
            video_url: None,
            time_zone: zone.into(),
            start_local: start.into(),
            duration_min: 180,
            recurrence: Some(Recurrence {
                frequency: Frequency::Weekly,
                interval: 1,
                weekdays: days.to_vec(),
                until: None,
                count: None,
                rules: Vec::new(),
                extra_starts: Vec::new(),
            }),
            changes: Vec::new(),
            source: ScheduleSource::Clinic,
        })
        .unwrap()
        .id
}

/// Only the given kinds, no follow-ups or check-ins unless asked.
fn settings(days: u32) -> ReminderSettings {
    ReminderSettings {
        horizon_days: days,
        checkin_time: None,
        dose_followup_minutes: 0,
        ..Default::default()
    }
}

fn locals(plan: &[Reminder], kind: ReminderKind) -> Vec<&str> {
    plan.iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.local.as_str())
        .collect()
}

/// A daily dose at `time` planned over the DST change day `day` in `zone`.
fn dose_around(zone: &str, day: &str, time: &str) -> Vec<String> {
    let f = TestDb::new(&format!("{day}T00:00:00Z"), zone);
    f.clock.advance(Duration::days(-1));
    medication(&f, "Naltrexone", &[time], "2026-01-01");
    let plan = f.steady.plan_reminders_with(settings(3)).unwrap();
    locals(&plan, ReminderKind::Dose)
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[test]
fn new_york_gap_and_fold_days_fire_each_dose_once() {
    let gap = dose_around("America/New_York", "2026-03-08", "02:30");
    assert_eq!(
        gap,
        [
            "2026-03-07T02:30:00-05:00",
            "2026-03-08T03:00:00-04:00",
            "2026-03-09T02:30:00-04:00"
        ]
    );
    let fold = dose_around("America/New_York", "2026-11-01", "01:30");
    assert_eq!(
        fold,
        [
            "2026-10-31T01:30:00-04:00",
            "2026-11-01T01:30:00-04:00",
            "2026-11-02T01:30:00-05:00"
        ]
    );
}

#[test]
fn london_gap_and_fold_days_fire_each_dose_once() {
    let gap = dose_around("Europe/London", "2026-03-29", "01:30");
    assert_eq!(
        gap,
        [
            "2026-03-28T01:30:00+00:00",
            "2026-03-29T02:00:00+01:00",
            "2026-03-30T01:30:00+01:00"
        ]
    );
    let fold = dose_around("Europe/London", "2026-10-25", "01:30");
    assert_eq!(
        fold,
        [
            "2026-10-24T01:30:00+01:00",
            "2026-10-25T01:30:00+01:00",
            "2026-10-26T01:30:00+00:00"
        ]
    );
}

#[test]
fn sydney_gap_in_october_and_fold_in_april_fire_each_dose_once() {
    let gap = dose_around("Australia/Sydney", "2026-10-04", "02:30");
    assert_eq!(
        gap,
        [
            "2026-10-04T03:00:00+11:00",
            "2026-10-05T02:30:00+11:00",
            "2026-10-06T02:30:00+11:00"
        ]
    );
    let fold = dose_around("Australia/Sydney", "2026-04-05", "02:30");
    assert_eq!(
        fold,
        [
            "2026-04-05T02:30:00+11:00",
            "2026-04-06T02:30:00+10:00",
            "2026-04-07T02:30:00+10:00"
        ]
    );
}

#[test]
fn checkin_in_a_gap_moves_after_it_and_in_a_fold_fires_once() {
    let f = TestDb::new("2026-03-07T12:00:00Z", "America/New_York");
    let plan = f
        .steady
        .plan_reminders_with(ReminderSettings {
            horizon_days: 2,
            checkin_time: Some("02:15".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        locals(&plan, ReminderKind::Checkin),
        ["2026-03-08T03:00:00-04:00", "2026-03-09T02:15:00-04:00"]
    );
    f.clock.set(utc("2026-10-31T12:00:00Z"));
    let plan = f
        .steady
        .plan_reminders_with(ReminderSettings {
            horizon_days: 2,
            checkin_time: Some("01:15".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        locals(&plan, ReminderKind::Checkin),
        ["2026-11-01T01:15:00-04:00", "2026-11-02T01:15:00-05:00"]
    );
}

#[test]
fn no_checkin_prompt_on_a_day_already_checked_in() {
    let f = TestDb::new("2026-06-01T12:00:00Z", "Europe/London");
    let only_checkins = ReminderSettings {
        horizon_days: 2,
        checkin_time: Some("20:00".into()),
        ..Default::default()
    };
    let before = f.steady.plan_reminders_with(only_checkins.clone()).unwrap();
    assert_eq!(
        locals(&before, ReminderKind::Checkin),
        ["2026-06-01T20:00:00+01:00", "2026-06-02T20:00:00+01:00"]
    );
    f.steady
        .record_daily_checkin(crate::NewDailyCheckIn {
            mood: 4,
            ..Default::default()
        })
        .unwrap();
    let after = f.steady.plan_reminders_with(only_checkins).unwrap();
    assert_eq!(
        diff_reminders(&before, &after).cancel,
        ["checkin:2026-06-01"]
    );
}

#[test]
fn session_reminders_follow_a_weekly_series_across_dst_changes() {
    for (zone, start, now, expected) in [
        (
            "America/New_York",
            "2026-03-03T18:00",
            "2026-03-05T00:00:00Z",
            ["2026-03-10T17:00:00-04:00", "2026-03-10T17:45:00-04:00"],
        ),
        (
            "Europe/London",
            "2026-10-20T18:00",
            "2026-10-22T00:00:00Z",
            ["2026-10-27T17:00:00+00:00", "2026-10-27T17:45:00+00:00"],
        ),
        (
            "Australia/Sydney",
            "2026-09-29T18:00",
            "2026-10-01T00:00:00Z",
            ["2026-10-06T17:00:00+11:00", "2026-10-06T17:45:00+11:00"],
        ),
    ] {
        let f = TestDb::new(now, zone);
        weekly_session(&f, zone, start, &[Weekday::Tue]);
        let plan = f.steady.plan_reminders_with(settings(7)).unwrap();
        assert_eq!(locals(&plan, ReminderKind::Session), expected, "{zone}");
    }
}

#[test]
fn travel_keeps_session_instants_and_moves_floating_reminders() {
    let f = TestDb::new("2026-06-01T12:00:00Z", "America/New_York");
    weekly_session(&f, "America/New_York", "2026-06-02T09:00", &[Weekday::Tue]);
    medication(&f, "Naltrexone", &["08:00"], "2026-06-01");
    let settings = ReminderSettings {
        horizon_days: 3,
        ..settings(3)
    };
    let at_home = f.steady.plan_reminders_with(settings.clone()).unwrap();
    f.clock.travel_to("Europe/London");
    let abroad = f.steady.plan_reminders_with(settings).unwrap();

    let sessions = |plan: &[Reminder]| -> Vec<(String, i64)> {
        plan.iter()
            .filter(|r| r.kind == ReminderKind::Session)
            .map(|r| (r.id.clone(), r.fire_at_ms))
            .collect()
    };
    assert_eq!(sessions(&at_home), sessions(&abroad));
    assert_eq!(
        locals(&abroad, ReminderKind::Session)[0],
        "2026-06-02T08:00:00-04:00"
    );
    assert_eq!(
        locals(&at_home, ReminderKind::Dose),
        [
            "2026-06-02T08:00:00-04:00",
            "2026-06-03T08:00:00-04:00",
            "2026-06-04T08:00:00-04:00"
        ]
    );
    assert_eq!(
        locals(&abroad, ReminderKind::Dose),
        [
            "2026-06-02T08:00:00+01:00",
            "2026-06-03T08:00:00+01:00",
            "2026-06-04T08:00:00+01:00"
        ]
    );
    // Detailed or not, the body gives the session start on the phone's clock.
    let london_session = abroad
        .iter()
        .find(|r| r.kind == ReminderKind::Session)
        .unwrap();
    assert_eq!(london_session.title, "Coming up at 14:00");

    // Doses move; session reminders keep their instant and only reword the
    // start time to the phone's new clock.
    let diff = diff_reminders(&at_home, &abroad);
    let doses = diff
        .cancel
        .iter()
        .filter(|id| id.starts_with("dose:"))
        .count();
    assert_eq!(doses, 3);
    for changed in diff.add.iter().filter(|r| r.kind == ReminderKind::Session) {
        let held = at_home.iter().find(|r| r.id == changed.id).unwrap();
        assert_eq!(held.fire_at_ms, changed.fire_at_ms);
        assert_ne!(held.title, changed.title);
    }
}

#[test]
fn the_cap_keeps_the_soonest_and_prefers_sessions_then_doses_then_checkins() {
    let f = TestDb::new("2026-06-01T12:00:00Z", "UTC");
    weekly_session(&f, "UTC", "2026-06-02T09:00", &[Weekday::Tue]);
    medication(&f, "Naltrexone", &["09:00", "10:00"], "2026-06-01");
    let plan = f
        .steady
        .plan_reminders_with(ReminderSettings {
            horizon_days: 7,
            cap: 3,
            session_lead_minutes: vec![0],
            checkin_time: Some("09:00".into()),
            dose_followup_minutes: 0,
            ..Default::default()
        })
        .unwrap();
    let kinds: Vec<_> = plan.iter().map(|r| (r.local.as_str(), r.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("2026-06-02T09:00:00+00:00", ReminderKind::Session),
            ("2026-06-02T09:00:00+00:00", ReminderKind::Dose),
            ("2026-06-02T09:00:00+00:00", ReminderKind::Checkin),
        ]
    );
    let default_cap = f.steady.plan_reminders_with(ReminderSettings {
        horizon_days: 31,
        ..Default::default()
    });
    assert_eq!(default_cap.unwrap().len(), 60);
    let over = f.steady.plan_reminders_with(ReminderSettings {
        cap: 65,
        ..Default::default()
    });
    assert!(matches!(over, Err(Error::Invalid { field, .. }) if field == "cap"));
}

#[test]
fn quiet_hours_move_checkins_to_their_end_but_never_doses_or_sessions() {
    let f = TestDb::new("2026-06-01T12:00:00Z", "Europe/London");
    weekly_session(&f, "Europe/London", "2026-06-02T06:00", &[Weekday::Tue]);
    medication(&f, "Naltrexone", &["23:00"], "2026-06-01");
    let plan = f
        .steady
        .plan_reminders_with(ReminderSettings {
            horizon_days: 2,
            session_lead_minutes: vec![15],
            checkin_time: Some("22:30".into()),
            quiet_start: Some("22:00".into()),
            quiet_end: Some("07:00".into()),
            dose_followup_minutes: 0,
            ..Default::default()
        })
        .unwrap();
    let all: Vec<_> = plan.iter().map(|r| (r.local.as_str(), r.kind)).collect();
    assert_eq!(
        all,
        [
            ("2026-06-01T23:00:00+01:00", ReminderKind::Dose),
            ("2026-06-02T05:45:00+01:00", ReminderKind::Session),
            ("2026-06-02T07:00:00+01:00", ReminderKind::Checkin),
            ("2026-06-02T23:00:00+01:00", ReminderKind::Dose),
            ("2026-06-03T07:00:00+01:00", ReminderKind::Checkin),
        ]
    );
    assert_eq!(plan[2].id, "checkin:2026-06-01");
}

#[test]
fn snooze_moves_a_fired_reminder_and_keeps_its_id() {
    let f = TestDb::new("2026-06-01T07:59:00Z", "UTC");
    let med = medication(&f, "Naltrexone", &["08:00"], "2026-06-01");
    let id = format!("dose:{med}@2026-06-01T08:00");
    let before = f.steady.plan_reminders_with(settings(1)).unwrap();
    assert_eq!(before[0].id, id);
    f.clock.set(utc("2026-06-01T08:01:00Z"));
    let snoozed = f.steady.snooze_reminder(&id, 10).unwrap();
    assert_eq!(snoozed.local, "2026-06-01T08:11:00+00:00");
    let after = f.steady.plan_reminders_with(settings(1)).unwrap();
    assert_eq!(after[0].id, id);
    assert!(after[0].snoozed);
    assert_eq!(after[0].local, "2026-06-01T08:11:00+00:00");
    let diff = diff_reminders(&before, &after);
    assert_eq!(diff.cancel, std::slice::from_ref(&id));
    assert_eq!(diff.add[0].id, id);
    assert!(matches!(
        f.steady.snooze_reminder(&id, 0),
        Err(Error::Invalid { field, .. }) if field == "minutes"
    ));
    assert!(matches!(
        f.steady.snooze_reminder("dose:nothing", 5),
        Err(Error::NotFound { .. })
    ));
    // Confirming the dose drops the snoozed reminder.
    f.steady
        .confirm_dose(&med, DoseStatus::Taken, None)
        .unwrap();
    assert!(f
        .steady
        .plan_reminders_with(settings(1))
        .unwrap()
        .iter()
        .all(|r| r.id != id));
}

#[test]
fn an_unconfirmed_dose_gets_one_followup_that_confirming_cancels() {
    let f = TestDb::new("2026-06-01T07:00:00Z", "UTC");
    let med = medication(&f, "Naltrexone", &["08:00"], "2026-06-01");
    let settings = ReminderSettings {
        dose_followup_minutes: 60,
        ..settings(1)
    };
    let held = f.steady.plan_reminders_with(settings.clone()).unwrap();
    let ids: Vec<_> = held.iter().map(|r| r.id.as_str()).collect();
    let dose = format!("dose:{med}@2026-06-01T08:00");
    let followup = format!("followup:{med}@2026-06-01T08:00");
    assert_eq!(ids[..2], [dose.as_str(), followup.as_str()]);
    assert_eq!(held[1].local, "2026-06-01T09:00:00+00:00");
    f.clock.set(utc("2026-06-01T08:05:00Z"));
    f.steady
        .confirm_dose(&med, DoseStatus::Taken, None)
        .unwrap();
    let planned = f.steady.plan_reminders_with(settings).unwrap();
    let diff = diff_reminders(&held, &planned);
    assert!(diff.cancel.contains(&followup));
    // Only the next day's dose, now inside the horizon, is new.
    let added: Vec<_> = diff.add.iter().map(|r| r.local.as_str()).collect();
    assert_eq!(added, ["2026-06-02T08:00:00+00:00"]);
}

#[test]
fn ids_are_stable_across_replans_and_an_unchanged_plan_diffs_empty() {
    let f = TestDb::new("2026-06-01T12:00:00Z", "America/New_York");
    weekly_session(
        &f,
        "America/New_York",
        "2026-06-02T09:00",
        &[Weekday::Tue, Weekday::Thu],
    );
    medication(&f, "Naltrexone", &["08:00", "20:00"], "2026-06-01");
    let first = f.steady.plan_reminders().unwrap();
    let again = f.steady.plan_reminders().unwrap();
    assert_eq!(first, again);
    assert_eq!(diff_reminders(&first, &again), Default::default());
    f.clock.advance(Duration::minutes(30));
    let later = f.steady.plan_reminders().unwrap();
    for reminder in &later {
        if let Some(same) = first.iter().find(|r| r.id == reminder.id) {
            assert_eq!(same.fire_at_ms, reminder.fire_at_ms);
        }
    }
    let diff = diff_reminders(&first, &later);
    // Half an hour on: nothing fired, nothing was cancelled, only the horizon grew.
    assert!(diff.cancel.is_empty());
    assert!(diff.add.iter().all(|r| first.iter().all(|f| f.id != r.id)));
}

/// Words that would tell a lock-screen reader what the notification is about.
const DISCREET_DENY: &[&str] = &[
    "therap",
    "treatment",
    "clinic",
    "counsel",
    "session",
    "group",
    "medic",
    "dose",
    "pill",
    "prescri",
    "naltrexone",
    "50 mg",
    "room 2",
    "evening",
];
/// Words Steady's own wording never uses, even in detailed text.
const ALWAYS_DENY: &[&str] = &[
    "addict",
    "substance",
    "craving",
    "relapse",
    "rehab",
    "opioid",
    "alcohol",
    "drug",
    "sober",
    "withdrawal",
    "overdose",
];

#[test]
fn reminder_text_passes_the_deny_list_in_both_modes() {
    let f = TestDb::new("2026-06-01T07:00:00Z", "UTC");
    weekly_session(&f, "UTC", "2026-06-01T09:00", &[Weekday::Mon, Weekday::Wed]);
    medication(&f, "Naltrexone", &["08:00", "20:00"], "2026-06-01");
    for detailed in [false, true] {
        let plan = f
            .steady
            .plan_reminders_with(ReminderSettings {
                detailed_text: detailed,
                ..Default::default()
            })
            .unwrap();
        let kinds: std::collections::HashSet<_> = plan.iter().map(|r| r.kind).collect();
        assert_eq!(kinds.len(), 4, "every kind of text is checked");
        let deny: Vec<&str> = if detailed {
            ALWAYS_DENY.to_vec()
        } else {
            ALWAYS_DENY.iter().chain(DISCREET_DENY).copied().collect()
        };
        for text in plan.iter().flat_map(|r| [&r.title, &r.body]) {
            let lower = text.to_lowercase();
            for word in &deny {
                assert!(
                    !lower.contains(word),
                    "{word:?} in {text:?} (detailed: {detailed})"
                );
            }
        }
        let everything: String = plan
            .iter()
            .map(|r| format!("{} {} ", r.title, r.body))
            .collect();
        assert_eq!(everything.contains("Naltrexone"), detailed);
        assert_eq!(everything.contains("Evening group"), detailed);
    }
}
