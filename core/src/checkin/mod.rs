//! Check-ins: the daily check-in and questionnaires (PHQ-9 and GAD-7 built
//! in, plus clinic instruments loaded from FHIR Questionnaire JSON).

pub(crate) mod assigned;
mod builtin;
pub(crate) mod daily;
pub(crate) mod fhir;
mod instrument;
pub(crate) mod response;
#[cfg(test)]
mod tests;

pub use assigned::{AssignedQuestionnaire, EARLY_ANSWER_DAYS};
pub use builtin::{gad7, phq9, GAD7_ID, PHQ9_ID, PHQ9_SELF_HARM_ITEM};
pub use daily::{DailyCheckIn, NewDailyCheckIn, RECORD_TYPE as DAILY_CHECKIN_RECORD};
pub use fhir::{ITEM_WEIGHT_URL, SCORE_BAND_URL};
pub use instrument::{
    AnswerOption, AnswerValue, ItemKind, Questionnaire, QuestionnaireAnswer, QuestionnaireItem,
    ScoreBand,
};
pub use response::{
    QuestionnaireResponse, QuestionnaireSubmitted, RECORD_TYPE as QUESTIONNAIRE_RESPONSE_RECORD,
};
