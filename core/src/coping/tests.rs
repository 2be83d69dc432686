use super::*;
use crate::test_support::{fixture, invalid_field};

#[test]
fn a_new_plan_has_the_built_in_strategies_with_the_tipp_caution() {
    let f = fixture();
    let plan = f.steady.coping_plan().unwrap();
    let keys: Vec<_> = plan.strategies.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        keys,
        vec![
            "urge_surfing",
            "delay_15_minutes",
            "distraction",
            "paced_breathing",
            "tipp",
            "call_support_person",
            "leave_situation",
            "play_tape_forward"
        ]
    );
    let with_caution: Vec<_> = plan
        .strategies
        .iter()
        .filter(|s| s.caution.is_some())
        .collect();
    assert_eq!(with_caution.len(), 1);
    assert_eq!(with_caution[0].key, "tipp");
    assert_eq!(plan.strong_craving_threshold, DEFAULT_STRONG_CRAVING);
    assert!(plan.warning_signs.is_empty() && plan.support_contacts.is_empty());
}

#[test]
fn every_section_of_the_plan_can_be_edited() {
    let f = fixture();
    let s = &f.steady;
    s.add_to_coping_plan(PlanSection::WarningSign, "skipping meals".into())
        .unwrap();
    s.add_to_coping_plan(PlanSection::Reason, "my  daughter".into())
        .unwrap();
    s.add_to_coping_plan(PlanSection::SafePlace, "the library".into())
        .unwrap();
    let own = s
        .add_to_coping_plan(PlanSection::Strategy, "cold shower".into())
        .unwrap();
    let contact = s
        .add_support_contact("Sam".into(), "(555) 010-0199".into())
        .unwrap();
    let plan = s.coping_plan().unwrap();
    assert_eq!(plan.warning_signs[0].text, "skipping meals");
    assert_eq!(plan.reasons[0].text, "my daughter");
    assert_eq!(plan.safe_places[0].text, "the library");
    let last = plan.strategies.last().unwrap();
    assert_eq!(
        (last.key.as_str(), last.built_in, last.entry_id.as_deref()),
        ("cold shower", false, Some(own.id.as_str()))
    );
    assert_eq!(plan.support_contacts, vec![contact.clone()]);

    s.remove_from_coping_plan(&own.id).unwrap();
    s.remove_from_coping_plan(&contact.id).unwrap();
    let plan = s.coping_plan().unwrap();
    assert_eq!(plan.strategies.len(), 8);
    assert!(plan.support_contacts.is_empty());
    assert!(matches!(
        s.remove_from_coping_plan(&own.id),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn invalid_plan_edits_name_their_field() {
    let f = fixture();
    let s = &f.steady;
    assert_eq!(
        invalid_field(s.add_to_coping_plan(PlanSection::Reason, " ".into())),
        "text"
    );
    assert_eq!(
        invalid_field(s.add_to_coping_plan(PlanSection::Reason, "x".repeat(201))),
        "text"
    );
    assert_eq!(
        invalid_field(s.add_to_coping_plan(PlanSection::Strategy, "Urge surfing".into())),
        "text"
    );
    s.add_to_coping_plan(PlanSection::SafePlace, "Park".into())
        .unwrap();
    assert_eq!(
        invalid_field(s.add_to_coping_plan(PlanSection::SafePlace, "park".into())),
        "text"
    );
    assert_eq!(
        invalid_field(s.add_support_contact("".into(), "988".into())),
        "name"
    );
    assert_eq!(
        invalid_field(s.add_support_contact("x".repeat(81), "988".into())),
        "name"
    );
    assert_eq!(
        invalid_field(s.add_support_contact("Sam".into(), "call me".into())),
        "phone"
    );
    assert_eq!(
        invalid_field(s.add_support_contact("Sam".into(), "12".into())),
        "phone"
    );
    assert_eq!(
        invalid_field(s.add_support_contact("Sam".into(), "1".repeat(21))),
        "phone"
    );
    assert_eq!(
        invalid_field(s.set_strong_craving_threshold(0)),
        "strong_craving_threshold"
    );
    assert_eq!(
        invalid_field(s.set_strong_craving_threshold(11)),
        "strong_craving_threshold"
    );
    assert_eq!(invalid_field(s.remove_from_coping_plan("x")), "id");
    assert_eq!(s.coping_plan().unwrap().safe_places.len(), 1);
}

#[test]
fn the_threshold_is_kept() {
    let f = fixture();
    f.steady.set_strong_craving_threshold(10).unwrap();
    f.steady.set_strong_craving_threshold(7).unwrap();
    assert_eq!(f.steady.strong_craving_threshold().unwrap(), 7);
}

#[test]
fn the_coping_plan_is_never_queued_for_sync() {
    let f = fixture();
    f.steady
        .add_support_contact("Sam".into(), "555 0100".into())
        .unwrap();
    f.steady
        .add_to_coping_plan(PlanSection::Reason, "health".into())
        .unwrap();
    assert!(f.steady.pending_outbox().unwrap().is_empty());
}
