use crate::checkin::*;
use crate::test_support::TestDb;
use crate::test_support::{fixture, invalid_field, outbox_count};
use chrono::Duration;

fn answers() -> NewDailyCheckIn {
    NewDailyCheckIn {
        used_today: false,
        substances: vec![],
        mood: 4,
        strongest_craving: Some(3),
        sleep_quality: Some(2),
        medication_taken: Some(true),
        note: Some("group helped".into()),
        local_date: None,
    }
}

#[test]
fn a_check_in_is_recorded_for_todays_local_date() {
    // 02:00 UTC on 11 March is still 10 March in New York.
    let f = TestDb::new("2026-03-11T02:00:00Z", "America/New_York");
    let checkin = f.steady.record_daily_checkin(answers()).unwrap();
    assert_eq!(checkin.local_date, "2026-03-10");
    assert_eq!(checkin.revision, 1);
    assert_eq!(f.steady.daily_checkin("2026-03-10").unwrap(), Some(checkin));
    assert_eq!(f.steady.daily_checkin("2026-03-11").unwrap(), None);
}

#[test]
fn a_second_check_in_the_same_day_amends_it_and_keeps_the_first() {
    let f = fixture();
    let first = f.steady.record_daily_checkin(answers()).unwrap();
    f.clock.advance(Duration::hours(3));
    let second = f
        .steady
        .record_daily_checkin(NewDailyCheckIn {
            used_today: true,
            mood: 2,
            ..answers()
        })
        .unwrap();
    assert_eq!(second.id, first.id);
    assert_eq!(second.revision, 2);
    assert_eq!(second.recorded_at_ms, first.recorded_at_ms);
    assert_eq!(
        second.amended_at_ms,
        Some(f.steady.now().timestamp_millis())
    );
    assert_eq!(
        f.steady.daily_checkin_history(&first.local_date).unwrap(),
        vec![first, second.clone()]
    );
    let all = f.steady.daily_checkins("2026-03-01", "2026-03-31").unwrap();
    assert_eq!(all, vec![second]);
    assert_eq!(outbox_count(&f.steady, DAILY_CHECKIN_RECORD), 2);
}

#[test]
fn the_next_local_day_gets_its_own_check_in() {
    let f = fixture();
    f.steady.record_daily_checkin(answers()).unwrap();
    f.clock.advance(Duration::days(1));
    f.steady.record_daily_checkin(answers()).unwrap();
    let all = f.steady.daily_checkins("2026-03-10", "2026-03-11").unwrap();
    let days: Vec<_> = all.iter().map(|c| c.local_date.as_str()).collect();
    assert_eq!(days, vec!["2026-03-10", "2026-03-11"]);
}

#[test]
fn a_past_day_may_be_answered_but_not_a_future_one() {
    let f = fixture();
    let past = f
        .steady
        .record_daily_checkin(NewDailyCheckIn {
            local_date: Some("2026-03-08".into()),
            ..answers()
        })
        .unwrap();
    assert_eq!(past.local_date, "2026-03-08");
    let future = NewDailyCheckIn {
        local_date: Some("2026-03-11".into()),
        ..answers()
    };
    assert_eq!(
        invalid_field(f.steady.record_daily_checkin(future)),
        "local_date"
    );
}

#[test]
fn invalid_answers_name_their_field_and_write_nothing() {
    let f = fixture();
    let cases = vec![
        (
            NewDailyCheckIn {
                mood: 0,
                ..answers()
            },
            "mood",
        ),
        (
            NewDailyCheckIn {
                mood: 6,
                ..answers()
            },
            "mood",
        ),
        (
            NewDailyCheckIn {
                strongest_craving: Some(11),
                ..answers()
            },
            "strongest_craving",
        ),
        (
            NewDailyCheckIn {
                sleep_quality: Some(0),
                ..answers()
            },
            "sleep_quality",
        ),
        (
            NewDailyCheckIn {
                sleep_quality: Some(6),
                ..answers()
            },
            "sleep_quality",
        ),
        (
            NewDailyCheckIn {
                note: Some("x".repeat(2001)),
                ..answers()
            },
            "note",
        ),
        (
            NewDailyCheckIn {
                local_date: Some("10/03/2026".into()),
                ..answers()
            },
            "local_date",
        ),
    ];
    for (input, field) in cases {
        assert_eq!(invalid_field(f.steady.record_daily_checkin(input)), field);
    }
    assert_eq!(outbox_count(&f.steady, DAILY_CHECKIN_RECORD), 0);
    assert_eq!(
        invalid_field(f.steady.daily_checkins("2026-03-10", "2026-03-01")),
        "from"
    );
    assert_eq!(
        invalid_field(f.steady.daily_checkin("yesterday")),
        "local_date"
    );
}

#[test]
fn the_minimum_check_in_is_used_today_and_mood() {
    let f = fixture();
    let checkin = f
        .steady
        .record_daily_checkin(NewDailyCheckIn {
            used_today: true,
            mood: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        (
            checkin.strongest_craving,
            checkin.sleep_quality,
            checkin.medication_taken
        ),
        (None, None, None)
    );
}
