//! `steady questionnaire ...`: PHQ-9 and GAD-7 from their item answers,
//! clinic instruments loaded from FHIR Questionnaire JSON and answered as
//! LINKID=VALUE pairs.

use crate::context::{CliError, Context};
use crate::{crisis, output};
use clap::Subcommand;
use std::path::PathBuf;
use steady_core::{AnswerValue, ItemKind, QuestionnaireAnswer, QuestionnaireSubmitted};

#[derive(Subcommand)]
pub enum QuestionnaireCommand {
    /// PHQ-9: nine answers, each 0-3, in item order.
    Phq9 {
        #[arg(num_args = 1.., required = true)]
        answers: Vec<u32>,
    },
    /// GAD-7: seven answers, each 0-3, in item order.
    Gad7 {
        #[arg(num_args = 1.., required = true)]
        answers: Vec<u32>,
    },
    /// Load a clinic instrument from a FHIR Questionnaire JSON file.
    Load { file: PathBuf },
    /// List the instruments: built-ins, then loaded ones.
    List,
    /// The questionnaires your clinic assigned (they arrive with `sync`),
    /// with which are due now.
    Assigned,
    /// Answer an instrument: LINKID=VALUE per item (yes/no for boolean items).
    Answer {
        id: String,
        #[arg(num_args = 1.., required = true)]
        answers: Vec<String>,
    },
}

pub fn run(ctx: &Context, command: QuestionnaireCommand) -> Result<(), CliError> {
    let steady = ctx.open()?;
    let submitted = match command {
        QuestionnaireCommand::Phq9 { answers } => steady.submit_phq9(answers)?,
        QuestionnaireCommand::Gad7 { answers } => steady.submit_gad7(answers)?,
        QuestionnaireCommand::Answer { id, answers } => {
            let instrument = steady.questionnaire(&id)?;
            let answers = answers
                .iter()
                .map(|pair| {
                    let (link_id, value) = pair.split_once('=').ok_or_else(|| {
                        CliError::Usage(format!("invalid answer {pair:?}: expected LINKID=VALUE"))
                    })?;
                    let kind = instrument
                        .items
                        .iter()
                        .find(|item| item.link_id == link_id)
                        .map(|item| item.kind)
                        // An unknown link id is reported by the core, naming it.
                        .unwrap_or(ItemKind::Text);
                    Ok(QuestionnaireAnswer {
                        link_id: link_id.to_string(),
                        value: answer_value(kind, link_id, value)?,
                    })
                })
                .collect::<Result<Vec<_>, CliError>>()?;
            steady.submit_questionnaire(&id, answers)?
        }
        QuestionnaireCommand::Load { file } => {
            let json = std::fs::read_to_string(&file)
                .map_err(|e| CliError::Io(format!("cannot read {}: {e}", file.display())))?;
            let loaded = steady.load_questionnaire(&json)?;
            output::print(ctx.json, &loaded, || {
                format!(
                    "Loaded {} ({}, {} items)",
                    loaded.title,
                    loaded.id,
                    loaded.items.len()
                )
            });
            return Ok(());
        }
        QuestionnaireCommand::Assigned => {
            let assigned = steady.assigned_questionnaires()?;
            output::print(ctx.json, &assigned, || {
                if assigned.is_empty() {
                    return "Your clinic has not assigned any questionnaires.".to_string();
                }
                assigned
                    .iter()
                    .map(|a| {
                        let when = if a.due_now {
                            "due now".to_string()
                        } else {
                            format!("next due {}", a.next_due_local.replace('T', " "))
                        };
                        format!(
                            "{}  {} (weekly, {}): {when}\n  answer: steady questionnaire {}",
                            a.questionnaire_id,
                            a.title,
                            weekday_name(a.weekday),
                            match a.questionnaire_id.as_str() {
                                "phq9" | "gad7" => format!("{} ANSWER...", a.questionnaire_id),
                                id => format!("answer {id} LINKID=VALUE..."),
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            return Ok(());
        }
        QuestionnaireCommand::List => {
            let all = steady.questionnaires()?;
            output::print(ctx.json, &all, || {
                all.iter()
                    .map(|q| format!("{}  {} ({} items)", q.id, q.title, q.items.len()))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            return Ok(());
        }
    };
    print_submitted(ctx, &submitted);
    Ok(())
}

fn answer_value(kind: ItemKind, link_id: &str, value: &str) -> Result<AnswerValue, CliError> {
    let bad = |expected: &str| {
        CliError::Usage(format!("invalid answer to {link_id}: expected {expected}"))
    };
    Ok(match kind {
        ItemKind::Choice => AnswerValue::Choice {
            code: value.to_string(),
        },
        ItemKind::Integer => AnswerValue::Number {
            value: value.parse().map_err(|_| bad("a whole number"))?,
        },
        ItemKind::Boolean => AnswerValue::YesNo {
            value: match value {
                "yes" | "true" => true,
                "no" | "false" => false,
                _ => return Err(bad("yes or no")),
            },
        },
        ItemKind::Text => AnswerValue::Text {
            value: value.to_string(),
        },
    })
}

fn print_submitted(ctx: &Context, submitted: &QuestionnaireSubmitted) {
    let json = serde_json::json!({
        "response": submitted.response,
        "crisis_card": submitted.crisis_card,
    });
    output::print(ctx.json, &json, || {
        let r = &submitted.response;
        let mut text = match (&r.score, &r.band) {
            (Some(score), Some(band)) => {
                format!("{}: score {score} ({})", r.questionnaire_id, band.label)
            }
            (Some(score), None) => format!("{}: score {score}", r.questionnaire_id),
            _ => format!("{}: answers saved", r.questionnaire_id),
        };
        if let Some(card) = &submitted.crisis_card {
            text.push('\n');
            text.push_str(&crisis::text(card));
        }
        text
    });
}

fn weekday_name(day: steady_core::Weekday) -> &'static str {
    use steady_core::Weekday::*;
    match day {
        Mon => "Mondays",
        Tue => "Tuesdays",
        Wed => "Wednesdays",
        Thu => "Thursdays",
        Fri => "Fridays",
        Sat => "Saturdays",
        Sun => "Sundays",
    }
}
