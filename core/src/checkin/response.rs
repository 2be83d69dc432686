//! Submitting questionnaires: answers checked and scored against their
//! instrument, stored with score and band, queued for sync. A PHQ-9 with item
//! 9 above 0 comes back with the crisis card and is flagged for the clinic.
//! Clinic instruments are loaded here too (clinic-authored: no outbox row).

use super::builtin::{self, MAX_ITEM_ANSWER, PHQ9_ID, PHQ9_SELF_HARM_ITEM};
use super::fhir;
use super::instrument::{AnswerValue, Questionnaire, QuestionnaireAnswer, ScoreBand};
use crate::crisis::{CrisisCard, CrisisReason};
use crate::outbox::{self, Operation};
use crate::{ids, Error, Result, Steady};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// Record type of questionnaire responses in the outbox.
pub const RECORD_TYPE: &str = crate::vocabulary::RecordType::QuestionnaireResponse.as_str();

/// A stored response; also its sync payload. Text answers are part of the
/// response (category check-ins and questionnaires), not notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QuestionnaireResponse {
    pub id: String,
    pub questionnaire_id: String,
    pub answers: Vec<QuestionnaireAnswer>,
    /// The sum of answer weights; absent for unscored instruments.
    pub score: Option<i64>,
    pub band: Option<ScoreBand>,
    pub flagged_for_clinic: bool,
    pub completed_at_ms: i64,
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QuestionnaireSubmitted {
    pub response: QuestionnaireResponse,
    /// Present after a PHQ-9 item 9 answer above 0.
    pub crisis_card: Option<CrisisCard>,
}

impl Steady {
    /// Submits a PHQ-9: nine answers, each 0–3, in item order.
    pub fn submit_phq9(&self, answers: Vec<u32>) -> Result<QuestionnaireSubmitted> {
        self.submit_numbered(builtin::phq9(), answers)
    }

    /// Submits a GAD-7: seven answers, each 0–3, in item order.
    pub fn submit_gad7(&self, answers: Vec<u32>) -> Result<QuestionnaireSubmitted> {
        self.submit_numbered(builtin::gad7(), answers)
    }

    fn submit_numbered(
        &self,
        instrument: Questionnaire,
        answers: Vec<u32>,
    ) -> Result<QuestionnaireSubmitted> {
        let expected = instrument.items.len();
        if answers.len() != expected {
            return Err(Error::invalid(
                "answers",
                format!(
                    "{} answers; {} has {expected} items",
                    answers.len(),
                    instrument.title
                ),
            ));
        }
        let answers = instrument
            .items
            .iter()
            .zip(answers)
            .map(|(item, points)| {
                if points > MAX_ITEM_ANSWER {
                    return Err(Error::invalid(
                        &item.link_id,
                        format!("{points} is above {MAX_ITEM_ANSWER}"),
                    ));
                }
                Ok(QuestionnaireAnswer {
                    link_id: item.link_id.clone(),
                    value: AnswerValue::Choice {
                        code: points.to_string(),
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.submit(instrument, answers)
    }

    /// Submits answers to any instrument, built-in or loaded.
    pub fn submit_questionnaire(
        &self,
        questionnaire_id: &str,
        answers: Vec<QuestionnaireAnswer>,
    ) -> Result<QuestionnaireSubmitted> {
        let instrument = self.questionnaire(questionnaire_id)?;
        self.submit(instrument, answers)
    }

    fn submit(
        &self,
        instrument: Questionnaire,
        answers: Vec<QuestionnaireAnswer>,
    ) -> Result<QuestionnaireSubmitted> {
        let scored = instrument.score(answers)?;
        let now = self.now();
        let self_harm = instrument.id == PHQ9_ID
            && scored.answers.iter().any(|a| {
                a.link_id == PHQ9_SELF_HARM_ITEM
                    && !matches!(&a.value, AnswerValue::Choice { code } if code == "0")
            });
        let response = QuestionnaireResponse {
            id: ids::new_id(),
            questionnaire_id: instrument.id,
            answers: scored.answers,
            score: scored.score,
            band: scored.band,
            flagged_for_clinic: self_harm,
            completed_at_ms: now.timestamp_millis(),
            time_zone: self.zone()?.name().to_string(),
        };
        let answers_json = to_json(&response.answers)?;
        let band_json = response.band.as_ref().map(to_json).transpose()?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO questionnaire_response (id, questionnaire_id, answers, score, band,
                    flagged_for_clinic, completed_at_ms, time_zone)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    response.id,
                    response.questionnaire_id,
                    answers_json,
                    response.score,
                    band_json,
                    response.flagged_for_clinic,
                    response.completed_at_ms,
                    response.time_zone,
                ],
            )?;
            outbox::record(
                tx,
                RECORD_TYPE,
                &response.id,
                Operation::Upsert,
                &response,
                now,
            )
        })?;
        let crisis_card =
            self_harm.then(|| self.crisis_card_because(CrisisReason::SelfHarmThoughts));
        Ok(QuestionnaireSubmitted {
            response,
            crisis_card,
        })
    }

    /// Checks and stores a clinic instrument given as FHIR Questionnaire JSON.
    /// Loading the same id again replaces the definition; earlier responses
    /// keep the score and band they were given.
    pub fn load_questionnaire(&self, fhir_json: &str) -> Result<Questionnaire> {
        let questionnaire = fhir::parse(fhir_json)?;
        let now = self.now().timestamp_millis();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO questionnaire_definition (id, definition, loaded_at_ms)
                 VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET definition = excluded.definition,
                    loaded_at_ms = excluded.loaded_at_ms",
                params![questionnaire.id, fhir_json, now],
            )?;
            Ok(())
        })?;
        Ok(questionnaire)
    }

    /// An instrument by id: a built-in (`phq9`, `gad7`) or a loaded one.
    pub fn questionnaire(&self, id: &str) -> Result<Questionnaire> {
        if let Some(built_in) = builtin::built_in(id) {
            return Ok(built_in);
        }
        let stored: Option<String> = self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT definition FROM questionnaire_definition WHERE id = ?1",
                    params![id],
                    |row| row.get(0),
                )
                .optional()?)
        })?;
        let Some(stored) = stored else {
            // A clinic instrument assigned by sync.
            return self
                .read(|conn| super::assigned::assigned_instrument(conn, id))?
                .ok_or_else(|| Error::NotFound {
                    what: "questionnaire",
                    id: id.to_string(),
                });
        };
        fhir::parse(&stored).map_err(|_| Error::Corrupt("stored questionnaire is invalid".into()))
    }

    /// Every instrument: the built-ins, then loaded ones by id.
    pub fn questionnaires(&self) -> Result<Vec<Questionnaire>> {
        let ids: Vec<String> = self.read(|conn| {
            let mut stmt = conn.prepare("SELECT id FROM questionnaire_definition ORDER BY id")?;
            let rows = stmt.query_map([], |row| row.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })?;
        let mut all = vec![builtin::phq9(), builtin::gad7()];
        for id in ids {
            all.push(self.questionnaire(&id)?);
        }
        Ok(all)
    }

    /// Responses completed in `[from_ms, to_ms)`, newest first.
    pub fn list_questionnaire_responses(
        &self,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<QuestionnaireResponse>> {
        if from_ms > to_ms {
            return Err(Error::invalid("from", "is after to"));
        }
        self.read(|conn| responses_between(conn, from_ms, to_ms))
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Corrupt(format!("cannot encode answers: {e}")))
}

/// Responses in `[from_ms, to_ms)`, newest first.
pub(crate) fn responses_between(
    conn: &Connection,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<QuestionnaireResponse>> {
    let mut stmt = conn.prepare(
        "SELECT id, questionnaire_id, answers, score, band, flagged_for_clinic,
            completed_at_ms, time_zone
         FROM questionnaire_response
         WHERE completed_at_ms >= ?1 AND completed_at_ms < ?2
         ORDER BY completed_at_ms DESC",
    )?;
    let rows = stmt.query_map(params![from_ms, to_ms], response_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn response_from_row(row: &Row<'_>) -> rusqlite::Result<QuestionnaireResponse> {
    let band: Option<String> = row.get(4)?;
    Ok(QuestionnaireResponse {
        id: row.get(0)?,
        questionnaire_id: row.get(1)?,
        answers: json_column(2, &row.get::<_, String>(2)?)?,
        score: row.get(3)?,
        band: band.map(|b| json_column(4, &b)).transpose()?,
        flagged_for_clinic: row.get(5)?,
        completed_at_ms: row.get(6)?,
        time_zone: row.get(7)?,
    })
}

fn json_column<T: serde::de::DeserializeOwned>(index: usize, text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}
