//! Daily check-ins and questionnaires through the FFI.

use crate::{Steady, SteadyError};
use steady_core::{
    AssignedQuestionnaire, DailyCheckIn, LocalDate, NewDailyCheckIn, Questionnaire,
    QuestionnaireAnswer, QuestionnaireResponse, QuestionnaireSubmitted,
};

#[uniffi::export]
impl Steady {
    /// Records the day's check-in; a second one the same day amends it.
    pub fn record_daily_checkin(
        &self,
        input: NewDailyCheckIn,
    ) -> Result<DailyCheckIn, SteadyError> {
        Ok(self.core.record_daily_checkin(input)?)
    }

    /// The check-in for a local day, if answered.
    pub fn daily_checkin(
        &self,
        local_date: LocalDate,
    ) -> Result<Option<DailyCheckIn>, SteadyError> {
        Ok(self.core.daily_checkin(&local_date.to_string())?)
    }

    /// Every revision of a day's check-in, oldest first.
    pub fn daily_checkin_history(
        &self,
        local_date: LocalDate,
    ) -> Result<Vec<DailyCheckIn>, SteadyError> {
        Ok(self.core.daily_checkin_history(&local_date.to_string())?)
    }

    /// PHQ-9: nine answers 0–3 in item order.
    pub fn submit_phq9(&self, answers: Vec<u32>) -> Result<QuestionnaireSubmitted, SteadyError> {
        Ok(self.core.submit_phq9(answers)?)
    }

    /// GAD-7: seven answers 0–3 in item order.
    pub fn submit_gad7(&self, answers: Vec<u32>) -> Result<QuestionnaireSubmitted, SteadyError> {
        Ok(self.core.submit_gad7(answers)?)
    }

    /// Answers to any instrument, built-in or loaded.
    pub fn submit_questionnaire(
        &self,
        questionnaire_id: String,
        answers: Vec<QuestionnaireAnswer>,
    ) -> Result<QuestionnaireSubmitted, SteadyError> {
        Ok(self.core.submit_questionnaire(&questionnaire_id, answers)?)
    }

    /// Loads a clinic instrument from FHIR Questionnaire JSON.
    pub fn load_questionnaire(&self, fhir_json: String) -> Result<Questionnaire, SteadyError> {
        Ok(self.core.load_questionnaire(&fhir_json)?)
    }

    /// The built-ins, then loaded instruments.
    pub fn questionnaires(&self) -> Result<Vec<Questionnaire>, SteadyError> {
        Ok(self.core.questionnaires()?)
    }

    /// Responses completed in `[from_ms, to_ms)`, newest first.
    pub fn list_questionnaire_responses(
        &self,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<QuestionnaireResponse>, SteadyError> {
        Ok(self.core.list_questionnaire_responses(from_ms, to_ms)?)
    }

    /// Questionnaires the clinic assigned (arrived by sync), with whether
    /// each is due now; answer one with `submit_questionnaire`.
    pub fn assigned_questionnaires(&self) -> Result<Vec<AssignedQuestionnaire>, SteadyError> {
        Ok(self.core.assigned_questionnaires()?)
    }
}
