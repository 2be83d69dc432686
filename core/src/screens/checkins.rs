//! The Check-ins screen: today's daily check-in (done or due), the
//! questionnaires due now — built-in and clinic-assigned — with their items
//! and answer options, and the last score of each instrument with its change.
//!
//! When a questionnaire is due:
//! * a clinic-assigned one (pulled `questionnaire` record: an instrument, a
//!   weekday and a local time) from its latest weekly time that has passed,
//!   until a response to that instrument is completed after it;
//! * a built-in one the clinic has not assigned (PHQ-9, GAD-7, which ask
//!   about "the last 2 weeks") when never answered or last answered
//!   [`BUILT_IN_INTERVAL_DAYS`] or more days ago.

use super::{label, Label};
use crate::checkin::{
    fhir, gad7, phq9, DailyCheckIn, Questionnaire, QuestionnaireResponse, ScoreBand,
};
use crate::schedule::local_time::{parse_time, resolve};
use crate::typed_time::{Instant, LocalDate};
use crate::{Result, Steady};
use chrono::{DateTime, Datelike, Duration, Utc};
use serde::Serialize;

/// How often an unassigned built-in instrument is offered.
pub const BUILT_IN_INTERVAL_DAYS: i64 = 14;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DailyCheckinState {
    pub date: LocalDate,
    pub done: bool,
    /// Today's answers, when done (the form shows them for editing).
    pub checkin: Option<DailyCheckIn>,
    pub label: Label,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum QuestionnaireSource {
    BuiltIn,
    /// Assigned by the clinic (pulled by sync).
    Clinic,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DueQuestionnaire {
    /// The instrument with its item texts and answer options; submit with
    /// its `id`.
    pub questionnaire: Questionnaire,
    pub source: QuestionnaireSource,
    /// The title to show (the clinic's, for an assigned one).
    pub title: String,
    /// Since when it is due; none for a built-in never answered.
    pub due_since: Option<Instant>,
    pub last_completed: Option<Instant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ScoreChange {
    /// The first scored response.
    First,
    Up,
    Down,
    Same,
}

/// The latest score of one instrument and how it moved from the one before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ScoreSummary {
    pub questionnaire_id: String,
    pub title: String,
    pub score: i64,
    pub band: Option<ScoreBand>,
    pub completed_at: Instant,
    pub previous_score: Option<i64>,
    /// `score - previous_score`.
    pub difference: Option<i64>,
    pub change: ScoreChange,
    pub change_label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckinsScreen {
    pub daily: DailyCheckinState,
    pub due: Vec<DueQuestionnaire>,
    /// One per instrument with a scored response, most recent first.
    pub last_scores: Vec<ScoreSummary>,
}

impl Steady {
    /// Everything the Check-ins screen shows.
    pub fn checkins_screen(&self) -> Result<CheckinsScreen> {
        let today = self.local_today()?;
        let checkin = self.daily_checkin(&today.format("%Y-%m-%d").to_string())?;
        let responses = self.list_questionnaire_responses(0, i64::MAX)?;
        let instruments = self.questionnaires()?;
        let daily = DailyCheckinState {
            date: LocalDate::new(today),
            done: checkin.is_some(),
            label: if checkin.is_some() {
                label("checkin.daily.done", "Today's check-in is done")
            } else {
                label("checkin.daily.due", "Time for today's check-in")
            },
            checkin,
        };
        Ok(CheckinsScreen {
            daily,
            due: questionnaires_due(self)?,
            last_scores: last_scores(&responses, &instruments),
        })
    }
}

/// The questionnaires due now (also on the Today screen).
pub(crate) fn questionnaires_due(steady: &Steady) -> Result<Vec<DueQuestionnaire>> {
    let now = steady.now();
    let zone = steady.zone()?;
    let responses = steady.list_questionnaire_responses(0, i64::MAX)?;
    let last_done = |id: &str| {
        responses
            .iter()
            .filter(|r| r.questionnaire_id == id)
            .map(|r| r.completed_at_ms)
            .max()
    };
    let mut due = Vec::new();
    let mut assigned = Vec::new();
    for record in steady.clinic_records(Some("questionnaire".to_string()))? {
        let Ok(wire) = serde_json::from_str::<steady_protocol::Questionnaire>(&record.payload_json)
        else {
            continue;
        };
        let questionnaire = match wire.instrument.as_str() {
            "phq9" => phq9(),
            "gad7" => gad7(),
            _ => match wire
                .definition
                .as_ref()
                .map(|d| fhir::parse(&d.to_string()))
            {
                Some(Ok(parsed)) => parsed,
                // Not readable as an instrument: nothing to answer.
                _ => continue,
            },
        };
        let Ok(time) = parse_time("time", &wire.time) else {
            continue;
        };
        let weekday = wire.weekday.to_chrono();
        let today = now.with_timezone(&zone).date_naive();
        let back =
            (today.weekday().num_days_from_monday() + 7 - weekday.num_days_from_monday()) % 7;
        let mut since: DateTime<Utc> = resolve(
            zone,
            (today - Duration::days(i64::from(back))).and_time(time),
        );
        if since > now {
            since -= Duration::days(7);
        }
        assigned.push(questionnaire.id.clone());
        let last = last_done(&questionnaire.id);
        if last.is_some_and(|ms| ms >= since.timestamp_millis()) {
            continue;
        }
        due.push(DueQuestionnaire {
            title: wire.title,
            questionnaire,
            source: QuestionnaireSource::Clinic,
            due_since: Some(Instant::from_datetime(since)),
            last_completed: last.map(Instant::from_millis),
        });
    }
    for questionnaire in [phq9(), gad7()] {
        if assigned.contains(&questionnaire.id) {
            continue;
        }
        let last = last_done(&questionnaire.id);
        let due_since =
            last.map(|ms| ms + Duration::days(BUILT_IN_INTERVAL_DAYS).num_milliseconds());
        if due_since.is_some_and(|ms| ms > now.timestamp_millis()) {
            continue;
        }
        due.push(DueQuestionnaire {
            title: questionnaire.title.clone(),
            questionnaire,
            source: QuestionnaireSource::BuiltIn,
            due_since: due_since.map(Instant::from_millis),
            last_completed: last.map(Instant::from_millis),
        });
    }
    Ok(due)
}

/// `responses` newest first (as listed); one summary per instrument.
fn last_scores(
    responses: &[QuestionnaireResponse],
    instruments: &[Questionnaire],
) -> Vec<ScoreSummary> {
    let mut out: Vec<ScoreSummary> = Vec::new();
    for response in responses {
        let Some(score) = response.score else {
            continue;
        };
        if out
            .iter()
            .any(|s| s.questionnaire_id == response.questionnaire_id)
        {
            continue;
        }
        let previous_score = responses
            .iter()
            .filter(|r| {
                r.questionnaire_id == response.questionnaire_id
                    && r.completed_at_ms < response.completed_at_ms
            })
            .find_map(|r| r.score);
        let difference = previous_score.map(|p| score - p);
        let change = match difference {
            None => ScoreChange::First,
            Some(d) if d > 0 => ScoreChange::Up,
            Some(d) if d < 0 => ScoreChange::Down,
            Some(_) => ScoreChange::Same,
        };
        let change_label = match change {
            ScoreChange::First => label("score.change.first", "Your first score"),
            ScoreChange::Up => label("score.change.up", "Higher than last time"),
            ScoreChange::Down => label("score.change.down", "Lower than last time"),
            ScoreChange::Same => label("score.change.same", "Same as last time"),
        };
        out.push(ScoreSummary {
            title: instruments
                .iter()
                .find(|q| q.id == response.questionnaire_id)
                .map_or_else(|| response.questionnaire_id.clone(), |q| q.title.clone()),
            questionnaire_id: response.questionnaire_id.clone(),
            score,
            band: response.band.clone(),
            completed_at: Instant::from_millis(response.completed_at_ms),
            previous_score,
            difference,
            change,
            change_label,
        });
    }
    out
}
