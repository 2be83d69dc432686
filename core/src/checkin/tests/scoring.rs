use crate::checkin::*;
use crate::crisis::CrisisReason;
use crate::test_support::{fixture, invalid_field, outbox_count};

/// Answers of `items` items (each 0–3) adding up to `total`.
fn answers_summing_to(items: usize, total: u32) -> Vec<u32> {
    let mut left = total;
    (0..items)
        .map(|_| {
            let a = left.min(3);
            left -= a;
            a
        })
        .collect()
}

/// PHQ-9 answers with item 9 at 0, adding up to `total` (at most 24).
fn phq9_without_self_harm(total: u32) -> Vec<u32> {
    let mut answers = answers_summing_to(8, total);
    answers.push(0);
    answers
}

#[test]
fn phq9_totals_fall_into_their_bands_at_every_edge() {
    let f = fixture();
    for (total, band) in [
        (0, "none_minimal"),
        (4, "none_minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (24, "severe"),
    ] {
        let response = f
            .steady
            .submit_phq9(phq9_without_self_harm(total))
            .unwrap()
            .response;
        assert_eq!(response.score, Some(i64::from(total)));
        assert_eq!(response.band.unwrap().code, band, "total {total}");
    }
    let top = f.steady.submit_phq9(vec![3; 9]).unwrap().response;
    assert_eq!(
        (top.score, top.band.unwrap().code.as_str()),
        (Some(27), "severe")
    );
}

#[test]
fn gad7_totals_fall_into_their_bands_at_every_edge() {
    let f = fixture();
    for (total, band) in [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ] {
        let submitted = f.steady.submit_gad7(answers_summing_to(7, total)).unwrap();
        assert_eq!(submitted.response.score, Some(i64::from(total)));
        assert_eq!(submitted.response.band.unwrap().code, band, "total {total}");
        assert!(submitted.crisis_card.is_none());
    }
}

#[test]
fn phq9_item9_above_zero_returns_the_crisis_card_and_flags_the_clinic() {
    let f = fixture();
    let mut answers = vec![0; 9];
    answers[8] = 1;
    let submitted = f.steady.submit_phq9(answers).unwrap();
    let card = submitted.crisis_card.expect("crisis card");
    assert_eq!(card.reason, CrisisReason::SelfHarmThoughts);
    assert_eq!(card.lines[1].call, "988");
    assert_eq!(card.lines[2].call, "1-800-662-4357");
    assert!(submitted.response.flagged_for_clinic);
    assert_eq!(submitted.response.score, Some(1));
    let payload = f.steady.pending_outbox().unwrap().pop().unwrap().payload;
    assert!(payload.contains("\"flagged_for_clinic\":true"));
}

#[test]
fn phq9_item9_at_zero_brings_no_crisis_card_even_when_severe() {
    let f = fixture();
    let submitted = f.steady.submit_phq9(phq9_without_self_harm(24)).unwrap();
    assert!(submitted.crisis_card.is_none());
    assert!(!submitted.response.flagged_for_clinic);
}

#[test]
fn every_item_is_validated_by_name_and_a_wrong_count_names_answers() {
    let f = fixture();
    for item in 0..9 {
        let mut answers = vec![0; 9];
        answers[item] = 4;
        assert_eq!(
            invalid_field(f.steady.submit_phq9(answers)),
            format!("item{}", item + 1)
        );
    }
    for item in 0..7 {
        let mut answers = vec![1; 7];
        answers[item] = 9;
        assert_eq!(
            invalid_field(f.steady.submit_gad7(answers)),
            format!("item{}", item + 1)
        );
    }
    assert_eq!(invalid_field(f.steady.submit_phq9(vec![0; 8])), "answers");
    assert_eq!(invalid_field(f.steady.submit_phq9(vec![0; 10])), "answers");
    assert_eq!(invalid_field(f.steady.submit_gad7(vec![0; 6])), "answers");
    assert_eq!(outbox_count(&f.steady, QUESTIONNAIRE_RESPONSE_RECORD), 0);
}

#[test]
fn responses_are_stored_and_listed_newest_first_with_loinc_codes_on_the_instruments() {
    let f = fixture();
    let start = f.steady.now().timestamp_millis();
    let phq = f.steady.submit_phq9(vec![1; 9]).unwrap().response;
    f.clock.advance(chrono::Duration::minutes(1));
    let gad = f.steady.submit_gad7(vec![2; 7]).unwrap().response;
    let listed = f
        .steady
        .list_questionnaire_responses(start, start + 3_600_000)
        .unwrap();
    assert_eq!(listed, vec![gad, phq]);
    assert_eq!(phq9().code.as_deref(), Some("44261-6"));
    assert_eq!(gad7().code.as_deref(), Some("70274-6"));
    assert_eq!(outbox_count(&f.steady, QUESTIONNAIRE_RESPONSE_RECORD), 2);
}
