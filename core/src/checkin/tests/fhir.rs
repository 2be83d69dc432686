use crate::checkin::*;
use crate::test_support::{fixture, invalid_field};
use crate::Error;
use serde_json::{json, Value};

/// A weekly recovery check as a clinic would send it.
fn weekly() -> Value {
    let weight = |w: i64| json!([{ "url": ITEM_WEIGHT_URL, "valueDecimal": w }]);
    let band = |from: i64, code: &str, display: &str| {
        json!({
            "url": SCORE_BAND_URL,
            "extension": [
                { "url": "from", "valueInteger": from },
                { "url": "code", "valueString": code },
                { "url": "display", "valueString": display }
            ]
        })
    };
    json!({
        "resourceType": "Questionnaire",
        "id": "weekly-recovery",
        "title": "Weekly recovery check",
        "version": "2",
        "status": "active",
        "extension": [band(0, "low", "Low risk"), band(4, "high", "Talk to your counselor")],
        "item": [
            {
                "linkId": "urges", "text": "How often did you have urges?", "type": "choice",
                "required": true,
                "answerOption": [
                    { "valueCoding": { "code": "never", "display": "Never" }, "extension": weight(0) },
                    { "valueCoding": { "code": "some", "display": "Some days" }, "extension": weight(2) },
                    { "valueCoding": { "code": "daily", "display": "Daily" }, "extension": weight(4) }
                ]
            },
            {
                "linkId": "meetings", "text": "Meetings attended", "type": "integer",
                "extension": [
                    { "url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0 },
                    { "url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 14 }
                ]
            },
            { "linkId": "sponsor", "text": "Did you talk to your sponsor?", "type": "boolean" },
            { "linkId": "proud", "text": "Something you are proud of", "type": "text" }
        ]
    })
}

fn answer(link_id: &str, value: AnswerValue) -> QuestionnaireAnswer {
    QuestionnaireAnswer {
        link_id: link_id.into(),
        value,
    }
}

#[test]
fn a_clinic_questionnaire_loads_and_scores_into_its_bands() {
    let f = fixture();
    let loaded = f.steady.load_questionnaire(&weekly().to_string()).unwrap();
    assert_eq!(loaded.title, "Weekly recovery check");
    assert_eq!(loaded.items.len(), 4);
    assert_eq!(loaded.items[1].max_value, Some(14));
    assert_eq!(f.steady.questionnaire("weekly-recovery").unwrap(), loaded);
    let ids: Vec<_> = f
        .steady
        .questionnaires()
        .unwrap()
        .into_iter()
        .map(|q| q.id)
        .collect();
    assert_eq!(ids, vec!["phq9", "gad7", "weekly-recovery"]);

    let submit = |code: &str| {
        f.steady
            .submit_questionnaire(
                "weekly-recovery",
                vec![
                    answer(
                        "proud",
                        AnswerValue::Text {
                            value: " 30 days ".into(),
                        },
                    ),
                    answer("urges", AnswerValue::Choice { code: code.into() }),
                    answer("meetings", AnswerValue::Number { value: 3 }),
                    answer("sponsor", AnswerValue::YesNo { value: true }),
                ],
            )
            .unwrap()
            .response
    };
    let some = submit("some");
    assert_eq!(
        (some.score, some.band.unwrap().code.as_str()),
        (Some(2), "low")
    );
    let daily = submit("daily");
    assert_eq!(
        (daily.score, daily.band.unwrap().label.as_str()),
        (Some(4), "Talk to your counselor")
    );
    // Answers come back in item order, text trimmed.
    assert_eq!(daily.answers[0].link_id, "urges");
    assert_eq!(
        daily.answers[3].value,
        AnswerValue::Text {
            value: "30 days".into()
        }
    );
}

#[test]
fn an_unscored_questionnaire_has_no_score_and_optional_items_may_be_skipped() {
    let f = fixture();
    let definition = json!({
        "resourceType": "Questionnaire", "id": "goals",
        "item": [{ "linkId": "goal", "type": "string" }, { "linkId": "met", "type": "boolean" }]
    });
    f.steady
        .load_questionnaire(&definition.to_string())
        .unwrap();
    let response = f
        .steady
        .submit_questionnaire(
            "goals",
            vec![answer("met", AnswerValue::YesNo { value: false })],
        )
        .unwrap()
        .response;
    assert_eq!((response.score, response.band), (None, None));
    assert_eq!(response.answers.len(), 1);
}

#[test]
fn answers_are_checked_against_each_item_by_link_id() {
    let f = fixture();
    f.steady.load_questionnaire(&weekly().to_string()).unwrap();
    let urges = || {
        answer(
            "urges",
            AnswerValue::Choice {
                code: "never".into(),
            },
        )
    };
    let cases: Vec<(Vec<QuestionnaireAnswer>, &str)> = vec![
        (vec![], "urges"),
        (
            vec![answer(
                "urges",
                AnswerValue::Choice {
                    code: "often".into(),
                },
            )],
            "urges",
        ),
        (
            vec![answer("urges", AnswerValue::Number { value: 1 })],
            "urges",
        ),
        (
            vec![
                urges(),
                answer("meetings", AnswerValue::Number { value: -1 }),
            ],
            "meetings",
        ),
        (
            vec![
                urges(),
                answer("meetings", AnswerValue::Number { value: 15 }),
            ],
            "meetings",
        ),
        (
            vec![
                urges(),
                answer(
                    "sponsor",
                    AnswerValue::Text {
                        value: "yes".into(),
                    },
                ),
            ],
            "sponsor",
        ),
        (
            vec![
                urges(),
                answer("proud", AnswerValue::Text { value: "  ".into() }),
            ],
            "proud",
        ),
        (
            vec![
                urges(),
                answer(
                    "proud",
                    AnswerValue::Text {
                        value: "x".repeat(2001),
                    },
                ),
            ],
            "proud",
        ),
        (
            vec![urges(), answer("mood", AnswerValue::YesNo { value: true })],
            "mood",
        ),
        (vec![urges(), urges()], "urges"),
    ];
    for (answers, field) in cases {
        assert_eq!(
            invalid_field(f.steady.submit_questionnaire("weekly-recovery", answers)),
            field
        );
    }
    assert!(matches!(
        f.steady.submit_questionnaire("unknown", vec![]),
        Err(Error::NotFound {
            what: "questionnaire",
            ..
        })
    ));
}

/// Loads `weekly()` changed by `edit` and returns the field the error names.
fn error_after(edit: impl FnOnce(&mut Value)) -> String {
    let f = fixture();
    let mut definition = weekly();
    edit(&mut definition);
    invalid_field(f.steady.load_questionnaire(&definition.to_string()))
}

#[test]
fn malformed_definitions_get_an_error_naming_the_item() {
    assert_eq!(
        error_after(|d| d["item"][1]["type"] = json!("group")),
        "item.meetings"
    );
    assert_eq!(
        error_after(|d| d["item"][1]["type"] = json!(null)),
        "item.meetings"
    );
    assert_eq!(
        error_after(|d| d["item"][0]["answerOption"] = json!([])),
        "item.urges"
    );
    assert_eq!(
        error_after(|d| d["item"][0]["answerOption"][1]["valueCoding"] = json!({ "display": "x" })),
        "item.urges"
    );
    assert_eq!(
        error_after(|d| d["item"][0]["answerOption"][1]["valueCoding"]["code"] = json!("never")),
        "item.urges"
    );
    assert_eq!(
        error_after(|d| d["item"][0]["answerOption"][1]["extension"] = json!([])),
        "item.urges"
    );
    assert_eq!(
        error_after(
            |d| d["item"][0]["answerOption"][1]["extension"][0]["valueDecimal"] = json!(1.5)
        ),
        "item.urges"
    );
    assert_eq!(
        error_after(|d| d["item"][2]["answerOption"] = json!([{ "valueString": "y" }])),
        "item.sponsor"
    );
    assert_eq!(
        error_after(|d| d["item"][2]["enableWhen"] = json!([])),
        "item.sponsor"
    );
    assert_eq!(
        error_after(|d| d["item"][2]["item"] = json!([])),
        "item.sponsor"
    );
    assert_eq!(
        error_after(|d| d["item"][2]["repeats"] = json!(true)),
        "item.sponsor"
    );
    assert_eq!(
        error_after(|d| d["item"][2]["required"] = json!("yes")),
        "item.sponsor"
    );
    assert_eq!(
        error_after(|d| d["item"][3]["linkId"] = json!("urges")),
        "item.urges"
    );
    assert_eq!(
        error_after(|d| d["item"][1]["extension"][0]["valueInteger"] = json!(20)),
        "item.meetings"
    );
    assert_eq!(
        error_after(|d| d["item"][2]["extension"] = d["item"][1]["extension"].clone()),
        "item.sponsor"
    );
    assert_eq!(
        error_after(|d| d["item"][1]["linkId"] = json!("")),
        "item[1]"
    );
    assert_eq!(error_after(|d| d["item"][1] = json!("meetings")), "item[1]");
}

#[test]
fn malformed_definitions_outside_items_name_what_is_wrong() {
    assert_eq!(
        error_after(|d| d["resourceType"] = json!("Patient")),
        "resourceType"
    );
    assert_eq!(error_after(|d| d["id"] = json!(null)), "id");
    assert_eq!(error_after(|d| d["id"] = json!("has space")), "id");
    assert_eq!(error_after(|d| d["id"] = json!("phq9")), "id");
    assert_eq!(error_after(|d| d["title"] = json!(7)), "title");
    assert_eq!(error_after(|d| d["item"] = json!([])), "item");
    assert_eq!(
        error_after(|d| d["extension"][1]["extension"][0]["valueInteger"] = json!(0)),
        "scoreBand[1]"
    );
    assert_eq!(
        error_after(|d| d["extension"][1]["extension"][1]["valueString"] = json!("low")),
        "scoreBand[1]"
    );
    assert_eq!(
        error_after(|d| d["extension"][0]["extension"] = json!([])),
        "scoreBand[0]"
    );
    assert_eq!(
        error_after(|d| {
            d["item"][0]["type"] = json!("string");
            d["item"][0].as_object_mut().unwrap().remove("answerOption");
        }),
        "scoreBand"
    );
    let f = fixture();
    assert_eq!(
        invalid_field(f.steady.load_questionnaire("{not json")),
        "definition"
    );
    assert_eq!(
        invalid_field(f.steady.load_questionnaire("[]")),
        "definition"
    );
    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(fhir_max()));
    assert_eq!(
        invalid_field(f.steady.load_questionnaire(&huge)),
        "definition"
    );
    assert!(
        f.steady.questionnaires().unwrap().len() == 2,
        "nothing was stored"
    );
}

fn fhir_max() -> usize {
    crate::checkin::fhir::MAX_DEFINITION_BYTES
}

#[test]
fn loading_the_same_id_again_replaces_the_definition() {
    let f = fixture();
    f.steady.load_questionnaire(&weekly().to_string()).unwrap();
    let mut v3 = weekly();
    v3["version"] = json!("3");
    f.steady.load_questionnaire(&v3.to_string()).unwrap();
    assert_eq!(
        f.steady
            .questionnaire("weekly-recovery")
            .unwrap()
            .version
            .as_deref(),
        Some("3")
    );
}
