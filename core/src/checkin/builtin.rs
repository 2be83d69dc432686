//! The built-in instruments: PHQ-9 (depression, 0–27) and GAD-7 (anxiety,
//! 0–21). Both are free to use. Every item is answered 0–3 for the last two
//! weeks; the total is the sum. PHQ-9 item 9 asks about thoughts of
//! self-harm: any answer above 0 brings up the crisis card.

use super::instrument::{AnswerOption, ItemKind, Questionnaire, QuestionnaireItem, ScoreBand};

pub const PHQ9_ID: &str = "phq9";
pub const GAD7_ID: &str = "gad7";
/// PHQ-9's self-harm item.
pub const PHQ9_SELF_HARM_ITEM: &str = "item9";
/// Highest answer to any PHQ-9 or GAD-7 item.
pub const MAX_ITEM_ANSWER: u32 = 3;

const FREQUENCY: [&str; 4] = [
    "Not at all",
    "Several days",
    "More than half the days",
    "Nearly every day",
];

const PHQ9_ITEMS: [&str; 9] = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself, or that you are a failure or have let yourself or your \
     family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed; or the opposite, \
     being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead, or of hurting yourself in some way",
];

const GAD7_ITEMS: [&str; 7] = [
    "Feeling nervous, anxious, or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid, as if something awful might happen",
];

pub fn phq9() -> Questionnaire {
    instrument(
        PHQ9_ID,
        "PHQ-9 (depression)",
        "44261-6",
        &PHQ9_ITEMS,
        &[
            (0, "none_minimal", "None–minimal"),
            (5, "mild", "Mild"),
            (10, "moderate", "Moderate"),
            (15, "moderately_severe", "Moderately severe"),
            (20, "severe", "Severe"),
        ],
    )
}

pub fn gad7() -> Questionnaire {
    instrument(
        GAD7_ID,
        "GAD-7 (anxiety)",
        "70274-6",
        &GAD7_ITEMS,
        &[
            (0, "minimal", "Minimal"),
            (5, "mild", "Mild"),
            (10, "moderate", "Moderate"),
            (15, "severe", "Severe"),
        ],
    )
}

pub(crate) fn built_in(id: &str) -> Option<Questionnaire> {
    match id {
        PHQ9_ID => Some(phq9()),
        GAD7_ID => Some(gad7()),
        _ => None,
    }
}

fn instrument(
    id: &str,
    title: &str,
    loinc: &str,
    items: &[&str],
    bands: &[(i64, &str, &str)],
) -> Questionnaire {
    Questionnaire {
        id: id.into(),
        title: title.into(),
        version: None,
        code: Some(loinc.into()),
        built_in: true,
        items: items
            .iter()
            .enumerate()
            .map(|(i, text)| QuestionnaireItem {
                link_id: format!("item{}", i + 1),
                text: text.to_string(),
                kind: ItemKind::Choice,
                required: true,
                options: FREQUENCY
                    .iter()
                    .enumerate()
                    .map(|(points, display)| AnswerOption {
                        code: points.to_string(),
                        display: display.to_string(),
                        weight: Some(points as i64),
                    })
                    .collect(),
                min_value: None,
                max_value: None,
            })
            .collect(),
        bands: bands
            .iter()
            .map(|(from, code, label)| ScoreBand {
                from: *from,
                code: code.to_string(),
                label: label.to_string(),
            })
            .collect(),
    }
}
