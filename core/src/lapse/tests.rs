use super::*;
use crate::test_support::{fixture, invalid_field, outbox_count};
use chrono::{Duration, TimeZone, Utc};

fn beers() -> NewLapse {
    NewLapse {
        substances: vec!["alcohol".into()],
        amount: Some("two beers".into()),
        triggers: vec!["Celebration".into()],
        helped: Some("called my sister".into()),
        note: Some("wedding".into()),
        ..Default::default()
    }
}

#[test]
fn a_lapse_is_stored_with_its_local_day_and_queued_for_sync() {
    // 03:30 UTC on 10 March is 9 March in New York.
    let f = fixture();
    let at = Utc
        .with_ymd_and_hms(2026, 3, 10, 3, 30, 0)
        .unwrap()
        .timestamp_millis();
    let logged = f
        .steady
        .log_lapse(NewLapse {
            occurred_at_ms: Some(at),
            ..beers()
        })
        .unwrap();
    let lapse = logged.lapse;
    assert!(logged.crisis_card.is_none());
    assert_eq!(lapse.local_date, "2026-03-09");
    assert_eq!(lapse.triggers, vec!["celebration"]);
    assert_eq!(f.steady.lapse(&lapse.id).unwrap(), lapse);
    assert_eq!(f.steady.list_lapses(at, at + 1).unwrap(), vec![lapse]);
    assert_eq!(outbox_count(&f.steady, RECORD_TYPE), 1);
}

#[test]
fn an_unsafe_lapse_returns_the_crisis_card_and_is_flagged() {
    let f = fixture();
    let logged = f
        .steady
        .log_lapse(NewLapse {
            marked_unsafe: true,
            ..beers()
        })
        .unwrap();
    assert_eq!(
        logged.crisis_card.unwrap().reason,
        CrisisReason::LapseMarkedUnsafe
    );
    assert!(logged.lapse.flagged_for_clinic);
}

#[test]
fn invalid_lapses_name_their_field_and_write_nothing() {
    let f = fixture();
    let future = f.steady.now().timestamp_millis() + 3_600_000;
    let cases = vec![
        (
            NewLapse {
                occurred_at_ms: Some(future),
                ..beers()
            },
            "occurred_at",
        ),
        (
            NewLapse {
                time_zone: Some("Atlantis".into()),
                ..beers()
            },
            "time_zone",
        ),
        (
            NewLapse {
                substances: vec!["".into()],
                ..beers()
            },
            "substances",
        ),
        (
            NewLapse {
                amount: Some("x".repeat(201)),
                ..beers()
            },
            "amount",
        ),
        (
            NewLapse {
                triggers: vec!["\u{1b}".into()],
                ..beers()
            },
            "triggers",
        ),
        (
            NewLapse {
                helped: Some("x".repeat(2001)),
                ..beers()
            },
            "helped",
        ),
        (
            NewLapse {
                note: Some("x".repeat(2001)),
                ..beers()
            },
            "note",
        ),
    ];
    for (input, field) in cases {
        assert_eq!(invalid_field(f.steady.log_lapse(input)), field);
    }
    assert_eq!(outbox_count(&f.steady, RECORD_TYPE), 0);
}

#[test]
fn lapse_days_are_distinct_local_days_per_substance() {
    let f = fixture();
    let day = |d: u32, h: u32| {
        Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0)
            .unwrap()
            .timestamp_millis()
    };
    let log = |at: i64, substances: Vec<&str>| {
        f.steady
            .log_lapse(NewLapse {
                occurred_at_ms: Some(at),
                substances: substances.into_iter().map(String::from).collect(),
                ..Default::default()
            })
            .unwrap()
    };
    log(day(2, 15), vec!["alcohol"]);
    log(day(2, 20), vec!["Alcohol"]);
    log(day(5, 15), vec!["cannabis"]);
    log(day(7, 15), vec![]);
    assert_eq!(
        f.steady.lapse_days(None).unwrap(),
        vec!["2026-03-02", "2026-03-05", "2026-03-07"]
    );
    assert_eq!(
        f.steady.lapse_days(Some("alcohol".into())).unwrap(),
        vec!["2026-03-02", "2026-03-07"]
    );
}

#[test]
fn a_deleted_lapse_leaves_a_tombstone_and_is_not_listed() {
    let f = fixture();
    let lapse = f.steady.log_lapse(beers()).unwrap().lapse;
    f.clock.advance(Duration::minutes(1));
    f.steady.delete_lapse(&lapse.id).unwrap();
    assert!(f.steady.lapse_days(None).unwrap().is_empty());
    assert!(matches!(
        f.steady.lapse(&lapse.id),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        f.steady.delete_lapse(&lapse.id),
        Err(Error::NotFound { .. })
    ));
    let last = f.steady.pending_outbox().unwrap().pop().unwrap();
    assert_eq!(
        (last.record_type.as_str(), last.operation.as_str()),
        ("lapse", "delete")
    );
}

#[test]
fn tracked_substances_are_replaced_whole_and_keep_their_order() {
    let f = fixture();
    assert!(f.steady.tracked_substances().unwrap().is_empty());
    f.steady
        .set_tracked_substances(vec!["opioids".into(), "alcohol".into(), "Alcohol".into()])
        .unwrap();
    assert_eq!(
        f.steady.tracked_substances().unwrap(),
        vec!["opioids", "alcohol"]
    );
    f.steady
        .set_tracked_substances(vec!["alcohol".into()])
        .unwrap();
    assert_eq!(f.steady.tracked_substances().unwrap(), vec!["alcohol"]);
    assert_eq!(
        invalid_field(f.steady.set_tracked_substances(vec!["".into()])),
        "substances"
    );
}
