//! The coping plan and the crisis card through the FFI.

use crate::{Steady, SteadyError};
use steady_core::{CopingPlan, CrisisCard, PlanEntry, PlanSection, SupportContact};

#[uniffi::export]
impl Steady {
    /// The whole plan in one call, offline.
    pub fn coping_plan(&self) -> Result<CopingPlan, SteadyError> {
        Ok(self.core.coping_plan()?)
    }

    /// Adds a warning sign, own strategy, reason or safe place.
    pub fn add_to_coping_plan(
        &self,
        section: PlanSection,
        text: String,
    ) -> Result<PlanEntry, SteadyError> {
        Ok(self.core.add_to_coping_plan(section, text)?)
    }

    pub fn add_support_contact(
        &self,
        name: String,
        phone: String,
    ) -> Result<SupportContact, SteadyError> {
        Ok(self.core.add_support_contact(name, phone)?)
    }

    /// Removes a plan entry or support contact by id.
    pub fn remove_from_coping_plan(&self, id: String) -> Result<(), SteadyError> {
        Ok(self.core.remove_from_coping_plan(&id)?)
    }

    /// The intensity (1–10) from which a craving counts as strong.
    pub fn set_strong_craving_threshold(&self, threshold: u8) -> Result<(), SteadyError> {
        Ok(self.core.set_strong_craving_threshold(threshold)?)
    }

    /// The crisis card, offline, in one call. Never fails.
    pub fn crisis_card(&self) -> CrisisCard {
        self.core.crisis_card()
    }
}

/// The crisis card when the database cannot be opened (a lost key, a damaged
/// or missing file): 911, 988, SAMHSA and the support contacts from the copy
/// kept beside `database_path`. Needs no open database; never fails.
#[uniffi::export]
pub fn crisis_card_without_database(database_path: String) -> CrisisCard {
    steady_core::crisis_card_without_database(std::path::Path::new(&database_path))
}
