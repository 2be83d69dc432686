//! The questionnaire model every instrument shares — built-in (PHQ-9, GAD-7)
//! or clinic-supplied (parsed from FHIR JSON) — and scoring: answers are
//! checked item by item, answer weights are summed into a score, and the score
//! falls into the highest band whose lower bound it reaches.

use crate::{validate, Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ItemKind {
    Choice,
    Integer,
    Boolean,
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AnswerOption {
    pub code: String,
    pub display: String,
    /// Points this answer adds to the score, when the instrument is scored.
    pub weight: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QuestionnaireItem {
    pub link_id: String,
    pub text: String,
    pub kind: ItemKind,
    pub required: bool,
    /// Choice items only.
    pub options: Vec<AnswerOption>,
    /// Integer items only, inclusive bounds.
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
}

/// A score range: from `from` (inclusive) up to the next band's `from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ScoreBand {
    pub from: i64,
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Questionnaire {
    pub id: String,
    pub title: String,
    pub version: Option<String>,
    /// A code for the total score (LOINC for the built-ins).
    pub code: Option<String>,
    pub built_in: bool,
    pub items: Vec<QuestionnaireItem>,
    /// Ascending by `from`; empty when unbanded.
    pub bands: Vec<ScoreBand>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
/// An answer. Variant names avoid `Integer`/`Boolean`, which would shadow
/// the platform types in generated Kotlin; the JSON names follow FHIR.
pub enum AnswerValue {
    Choice {
        code: String,
    },
    #[serde(rename = "integer")]
    Number {
        value: i64,
    },
    #[serde(rename = "boolean")]
    YesNo {
        value: bool,
    },
    Text {
        value: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QuestionnaireAnswer {
    pub link_id: String,
    pub value: AnswerValue,
}

/// Checked answers (in item order) with their score and band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scored {
    pub answers: Vec<QuestionnaireAnswer>,
    pub score: Option<i64>,
    pub band: Option<ScoreBand>,
}

impl Questionnaire {
    /// Whether any answer carries a weight, i.e. the instrument has a score.
    pub(crate) fn is_scored(&self) -> bool {
        self.items
            .iter()
            .any(|item| item.options.iter().any(|o| o.weight.is_some()))
    }

    /// Checks `answers` against the items and scores them. Errors name the
    /// item's link id.
    pub(crate) fn score(&self, answers: Vec<QuestionnaireAnswer>) -> Result<Scored> {
        for answer in &answers {
            if !self.items.iter().any(|item| item.link_id == answer.link_id) {
                return Err(Error::invalid(
                    &answer.link_id,
                    "is not an item of this questionnaire",
                ));
            }
            if answers
                .iter()
                .filter(|a| a.link_id == answer.link_id)
                .count()
                > 1
            {
                return Err(Error::invalid(
                    &answer.link_id,
                    "is answered more than once",
                ));
            }
        }
        let mut ordered = Vec::new();
        let mut total = 0i64;
        for item in &self.items {
            let Some(answer) = answers.iter().find(|a| a.link_id == item.link_id) else {
                if item.required {
                    return Err(Error::invalid(&item.link_id, "is required"));
                }
                continue;
            };
            let (value, points) = item.check(&answer.value)?;
            total = total.saturating_add(points);
            ordered.push(QuestionnaireAnswer {
                link_id: item.link_id.clone(),
                value,
            });
        }
        let score = self.is_scored().then_some(total);
        let band = score.and_then(|s| self.bands.iter().rev().find(|b| s >= b.from).cloned());
        Ok(Scored {
            answers: ordered,
            score,
            band,
        })
    }
}

impl QuestionnaireItem {
    /// The checked (cleaned) answer and the points it adds.
    fn check(&self, value: &AnswerValue) -> Result<(AnswerValue, i64)> {
        let field = self.link_id.as_str();
        match (self.kind, value) {
            (ItemKind::Choice, AnswerValue::Choice { code }) => {
                let option = self
                    .options
                    .iter()
                    .find(|o| o.code == *code)
                    .ok_or_else(|| Error::invalid(field, "is not one of its answer options"))?;
                Ok((value.clone(), option.weight.unwrap_or(0)))
            }
            (ItemKind::Integer, AnswerValue::Number { value: n }) => {
                if let Some(min) = self.min_value.filter(|min| n < min) {
                    return Err(Error::invalid(field, format!("{n} is below {min}")));
                }
                if let Some(max) = self.max_value.filter(|max| n > max) {
                    return Err(Error::invalid(field, format!("{n} is above {max}")));
                }
                Ok((value.clone(), 0))
            }
            (ItemKind::Boolean, AnswerValue::YesNo { .. }) => Ok((value.clone(), 0)),
            (ItemKind::Text, AnswerValue::Text { value: text }) => {
                let text = validate::note(field, Some(text.clone()))?
                    .ok_or_else(|| Error::invalid(field, "is empty"))?;
                Ok((AnswerValue::Text { value: text }, 0))
            }
            (kind, _) => Err(Error::invalid(
                field,
                format!("expects a {} answer", kind_name(kind)),
            )),
        }
    }
}

pub(crate) fn kind_name(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Choice => "choice",
        ItemKind::Integer => "integer",
        ItemKind::Boolean => "boolean",
        ItemKind::Text => "text",
    }
}
