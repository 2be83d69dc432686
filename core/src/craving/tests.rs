use super::*;
use crate::test_support::{fixture, invalid_field, outbox_count};
use chrono::Duration;

fn detailed() -> NewCraving {
    NewCraving {
        intensity: 6,
        note: Some("after the call".into()),
        duration_minutes: Some(20),
        triggers: vec!["Stress".into(), "my ex".into()],
        emotions: vec!["anxious".into()],
        company: Some(Company::Alone),
        place: Some(Place::Home),
        substances: vec!["alcohol".into()],
        coping_tried: vec!["urge surfing".into()],
        outcome: Some(CravingOutcome::Passed),
        ..NewCraving::default()
    }
}

#[test]
fn a_quick_log_is_one_value_and_details_stay_empty() {
    let f = fixture();
    let craving = f
        .steady
        .log_craving(NewCraving {
            intensity: 4,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(craving.intensity, 4);
    assert_eq!(craving.time_zone, "America/New_York");
    assert!(craving.triggers.is_empty() && craving.coping_tried.is_empty());
    assert_eq!(
        (craving.outcome, craving.revision, craving.marked_unsafe),
        (None, 1, false)
    );
    assert_eq!(f.steady.craving(&craving.id).unwrap(), craving);
}

#[test]
fn every_detail_round_trips_with_built_ins_stored_as_keys() {
    let f = fixture();
    let craving = f.steady.log_craving(detailed()).unwrap();
    let stored = f.steady.craving(&craving.id).unwrap();
    assert_eq!(stored, craving);
    assert_eq!(stored.triggers, vec!["stress", "my ex"]);
    assert_eq!(stored.coping_tried, vec!["urge_surfing"]);
    assert_eq!(stored.company, Some(Company::Alone));
    assert_eq!(stored.place, Some(Place::Home));
    assert_eq!(stored.outcome, Some(CravingOutcome::Passed));
    assert_eq!(stored.duration_minutes, Some(20));
}

#[test]
fn list_and_delete_keep_working_with_details() {
    let f = fixture();
    let now = f.steady.now().timestamp_millis();
    let a = f.steady.log_craving(detailed()).unwrap();
    f.clock.advance(Duration::minutes(1));
    let b = f
        .steady
        .log_craving(NewCraving {
            intensity: 2,
            ..Default::default()
        })
        .unwrap();
    let listed = f.steady.list_cravings(now - 1, now + 3_600_000).unwrap();
    assert_eq!(
        listed.iter().map(|c| &c.id).collect::<Vec<_>>(),
        vec![&b.id, &a.id]
    );
    f.steady.delete_craving(&a.id).unwrap();
    assert_eq!(
        f.steady
            .list_cravings(now - 1, now + 3_600_000)
            .unwrap()
            .len(),
        1
    );
    assert!(matches!(
        f.steady.craving(&a.id),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn invalid_details_name_their_field_and_write_nothing() {
    let f = fixture();
    let cases: Vec<(NewCraving, &str)> = vec![
        (
            NewCraving {
                intensity: 11,
                ..Default::default()
            },
            "intensity",
        ),
        (
            NewCraving {
                note: Some("x".repeat(2001)),
                ..Default::default()
            },
            "note",
        ),
        (
            NewCraving {
                time_zone: Some("Mars/Olympus".into()),
                ..Default::default()
            },
            "time_zone",
        ),
        (
            NewCraving {
                occurred_at_ms: Some(f.steady.now().timestamp_millis() + 3_600_000),
                ..Default::default()
            },
            "occurred_at",
        ),
        (
            NewCraving {
                duration_minutes: Some(MAX_DURATION_MINUTES + 1),
                ..Default::default()
            },
            "duration_minutes",
        ),
        (
            NewCraving {
                triggers: vec!["".into()],
                ..Default::default()
            },
            "triggers",
        ),
        (
            NewCraving {
                emotions: vec!["x".repeat(41)],
                ..Default::default()
            },
            "emotions",
        ),
        (
            NewCraving {
                substances: vec![" ".into()],
                ..Default::default()
            },
            "substances",
        ),
        (
            NewCraving {
                coping_tried: vec!["a\u{7}".into()],
                ..Default::default()
            },
            "coping_tried",
        ),
    ];
    for (input, field) in cases {
        assert_eq!(invalid_field(f.steady.log_craving(input)), field);
    }
    assert_eq!(outbox_count(&f.steady, RECORD_TYPE), 0);
    assert!(f
        .steady
        .log_craving(NewCraving {
            duration_minutes: Some(MAX_DURATION_MINUTES),
            ..Default::default()
        })
        .is_ok());
}

#[test]
fn amending_keeps_every_earlier_revision_in_order() {
    let f = fixture();
    let first = f
        .steady
        .log_craving(NewCraving {
            intensity: 7,
            ..Default::default()
        })
        .unwrap();
    f.clock.advance(Duration::minutes(10));
    let second = f
        .steady
        .amend_craving(
            &first.id,
            CravingAmendment {
                triggers: Some(vec!["lonely".into()]),
                outcome: Some(CravingOutcome::StillPresent),
                ..Default::default()
            },
        )
        .unwrap()
        .craving;
    f.clock.advance(Duration::minutes(10));
    let third = f
        .steady
        .amend_craving(
            &first.id,
            CravingAmendment {
                intensity: Some(3),
                outcome: Some(CravingOutcome::Passed),
                note: Some("went for a walk".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .craving;
    assert_eq!((second.revision, third.revision), (2, 3));
    assert_eq!(third.triggers, vec!["lonely"]);
    assert_eq!(third.amended_at_ms, Some(f.steady.now().timestamp_millis()));
    let history = f.steady.craving_history(&first.id).unwrap();
    assert_eq!(history, vec![first.clone(), second, third.clone()]);
    // Each revision was queued for sync, under the same record id.
    assert_eq!(outbox_count(&f.steady, RECORD_TYPE), 3);
    assert_eq!(f.steady.craving(&first.id).unwrap(), third);
}

#[test]
fn an_empty_note_or_list_in_an_amendment_clears_it() {
    let f = fixture();
    let craving = f.steady.log_craving(detailed()).unwrap();
    let amended = f
        .steady
        .amend_craving(
            &craving.id,
            CravingAmendment {
                note: Some("  ".into()),
                triggers: Some(vec![]),
                ..Default::default()
            },
        )
        .unwrap()
        .craving;
    assert_eq!(amended.note, None);
    assert!(amended.triggers.is_empty());
    assert_eq!(amended.emotions, vec!["anxious"]);
}

#[test]
fn an_amendment_that_changes_nothing_adds_no_revision() {
    let f = fixture();
    let craving = f.steady.log_craving(detailed()).unwrap();
    let same = f
        .steady
        .amend_craving(
            &craving.id,
            CravingAmendment {
                intensity: Some(6),
                ..Default::default()
            },
        )
        .unwrap()
        .craving;
    assert_eq!(same.revision, 1);
    assert_eq!(f.steady.craving_history(&craving.id).unwrap().len(), 1);
    assert_eq!(outbox_count(&f.steady, RECORD_TYPE), 1);
}

#[test]
fn invalid_amendments_name_their_field_and_change_nothing() {
    let f = fixture();
    let craving = f.steady.log_craving(detailed()).unwrap();
    let cases: Vec<(CravingAmendment, &str)> = vec![
        (
            CravingAmendment {
                intensity: Some(11),
                ..Default::default()
            },
            "intensity",
        ),
        (
            CravingAmendment {
                note: Some("x".repeat(2001)),
                ..Default::default()
            },
            "note",
        ),
        (
            CravingAmendment {
                time_zone: Some("Nowhere".into()),
                ..Default::default()
            },
            "time_zone",
        ),
        (
            CravingAmendment {
                occurred_at_ms: Some(i64::MAX),
                ..Default::default()
            },
            "occurred_at",
        ),
        (
            CravingAmendment {
                duration_minutes: Some(2000),
                ..Default::default()
            },
            "duration_minutes",
        ),
        (
            CravingAmendment {
                triggers: Some(vec!["".into()]),
                ..Default::default()
            },
            "triggers",
        ),
        (
            CravingAmendment {
                emotions: Some(vec!["\u{0}".into()]),
                ..Default::default()
            },
            "emotions",
        ),
        (
            CravingAmendment {
                substances: Some(vec!["".into()]),
                ..Default::default()
            },
            "substances",
        ),
        (
            CravingAmendment {
                coping_tried: Some(vec!["".into()]),
                ..Default::default()
            },
            "coping_tried",
        ),
    ];
    for (change, field) in cases {
        assert_eq!(
            invalid_field(f.steady.amend_craving(&craving.id, change)),
            field
        );
    }
    assert_eq!(
        invalid_field(f.steady.amend_craving("nope", CravingAmendment::default())),
        "id"
    );
    assert_eq!(f.steady.craving(&craving.id).unwrap(), craving);
    assert_eq!(outbox_count(&f.steady, RECORD_TYPE), 1);
}

#[test]
fn a_deleted_craving_cannot_be_amended() {
    let f = fixture();
    let craving = f.steady.log_craving(detailed()).unwrap();
    f.steady.delete_craving(&craving.id).unwrap();
    let result = f.steady.amend_craving(
        &craving.id,
        CravingAmendment {
            intensity: Some(1),
            ..Default::default()
        },
    );
    assert!(matches!(
        result,
        Err(Error::NotFound {
            what: "craving",
            ..
        })
    ));
}

#[test]
fn an_unsafe_craving_returns_the_crisis_card_and_stays_flagged_for_the_clinic() {
    let f = fixture();
    let logged = f
        .steady
        .log_craving_with_support(NewCraving {
            intensity: 5,
            marked_unsafe: true,
            ..Default::default()
        })
        .unwrap();
    let card = logged.crisis_card.expect("crisis card");
    assert_eq!(card.reason, CrisisReason::CravingMarkedUnsafe);
    assert_eq!(card.lines[1].call, "988");
    assert!(logged.craving.flagged_for_clinic);
    let amended = f
        .steady
        .amend_craving(
            &logged.craving.id,
            CravingAmendment {
                marked_unsafe: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(amended.crisis_card.is_none());
    assert!(!amended.craving.marked_unsafe);
    assert!(
        amended.craving.flagged_for_clinic,
        "the clinic flag never clears"
    );
    let payload = f.steady.pending_outbox().unwrap().pop().unwrap().payload;
    assert!(payload.contains("\"flagged_for_clinic\":true"));
}

#[test]
fn marking_unsafe_later_brings_the_crisis_card_with_the_amendment() {
    let f = fixture();
    let craving = f
        .steady
        .log_craving(NewCraving {
            intensity: 2,
            ..Default::default()
        })
        .unwrap();
    assert!(!craving.flagged_for_clinic);
    let amended = f
        .steady
        .amend_craving(
            &craving.id,
            CravingAmendment {
                marked_unsafe: Some(true),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(amended.crisis_card.is_some());
    assert!(amended.craving.flagged_for_clinic);
}

#[test]
fn a_safe_craving_brings_no_crisis_card() {
    let f = fixture();
    let logged = f.steady.log_craving_with_support(detailed()).unwrap();
    assert!(logged.crisis_card.is_none());
}

#[test]
fn a_strong_craving_returns_strategies_that_helped_most_first() {
    let f = fixture();
    let passed_after = |coping: Vec<&str>| {
        f.steady
            .log_craving(NewCraving {
                intensity: 5,
                coping_tried: coping.into_iter().map(String::from).collect(),
                outcome: Some(CravingOutcome::Passed),
                ..Default::default()
            })
            .unwrap()
    };
    passed_after(vec!["distraction", "walk the dog"]);
    passed_after(vec!["Walk the dog"]);
    passed_after(vec!["walk the dog", "tipp"]);
    // Used and still-present cravings do not count as helped.
    f.steady
        .log_craving(NewCraving {
            intensity: 5,
            coping_tried: vec!["tipp".into()],
            outcome: Some(CravingOutcome::Used),
            ..Default::default()
        })
        .unwrap();
    // Deleted cravings do not count either.
    let deleted = passed_after(vec!["tipp"]);
    f.steady.delete_craving(&deleted.id).unwrap();
    f.steady
        .add_to_coping_plan(crate::coping::PlanSection::Strategy, "Walk the dog".into())
        .unwrap();

    let logged = f
        .steady
        .log_craving_with_support(NewCraving {
            intensity: 8,
            ..Default::default()
        })
        .unwrap();
    let ranked: Vec<(&str, u32)> = logged
        .strategies
        .iter()
        .map(|s| (s.key.as_str(), s.helped_count))
        .take(4)
        .collect();
    assert_eq!(
        ranked,
        vec![
            ("Walk the dog", 3),
            ("distraction", 1),
            ("tipp", 1),
            ("urge_surfing", 0)
        ]
    );
    let tipp = logged.strategies.iter().find(|s| s.key == "tipp").unwrap();
    assert!(tipp.caution.as_deref().unwrap_or("").contains("heart"));
}

#[test]
fn a_craving_below_the_threshold_returns_no_strategies_and_the_threshold_is_configurable() {
    let f = fixture();
    let at = |intensity| {
        f.steady
            .log_craving_with_support(NewCraving {
                intensity,
                ..Default::default()
            })
            .unwrap()
            .strategies
            .len()
    };
    assert_eq!(at(7), 0);
    assert_eq!(at(8), 8);
    f.steady.set_strong_craving_threshold(6).unwrap();
    assert_eq!(at(5), 0);
    assert_eq!(at(6), 8);
}

#[test]
fn the_note_is_a_separate_field_of_the_sync_payload() {
    let f = fixture();
    f.steady.log_craving(detailed()).unwrap();
    let entry = f.steady.pending_outbox().unwrap().pop().unwrap();
    let payload: serde_json::Value = serde_json::from_str(&entry.payload).unwrap();
    assert_eq!(payload["note"], "after the call");
    assert_eq!(payload["triggers"][0], "stress");
    assert_eq!(payload["outcome"], "passed");
    assert_eq!(payload["revision"], 1);
}

#[test]
fn built_in_triggers_cover_halt_and_the_common_ones() {
    let keys: Vec<String> = built_in_triggers().into_iter().map(|t| t.key).collect();
    for key in [
        "hungry",
        "angry",
        "lonely",
        "tired",
        "seeing_substance",
        "withdrawal",
    ] {
        assert!(keys.iter().any(|k| k == key), "{key}");
    }
    assert_eq!(keys.len(), 13);
}

#[test]
fn cravings_logged_before_the_details_existed_read_with_empty_details() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("steady.db");
    let key = [3u8; crate::KEY_LEN];
    {
        let v1 = rusqlite::Connection::open(&path).unwrap();
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        v1.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))
            .unwrap();
        v1.execute_batch(include_str!("../storage/sql/0001_foundation.sql"))
            .unwrap();
        v1.execute(
            "INSERT INTO craving (id, intensity, note, occurred_at_ms, time_zone, logged_at_ms)
             VALUES ('6f2c1c2e-8d7e-4f43-9d3a-0c6a3d1b2e11', 5, 'old', 1000, 'UTC', 1000)",
            [],
        )
        .unwrap();
        v1.pragma_update(None, "user_version", 1).unwrap();
    }
    let clock = std::sync::Arc::new(crate::FixedClock::new(
        crate::test_support::utc("2026-03-10T14:00:00Z"),
        "UTC",
    ));
    let steady = Steady::open(&path, &key, clock).unwrap();
    let old = steady
        .craving("6f2c1c2e-8d7e-4f43-9d3a-0c6a3d1b2e11")
        .unwrap();
    assert_eq!(
        (old.intensity, old.note.as_deref(), old.revision),
        (5, Some("old"), 1)
    );
    assert!(old.triggers.is_empty() && old.outcome.is_none() && !old.flagged_for_clinic);
}
