//! The crisis card: national crisis lines and the patient's own support
//! contacts. It is built from constants and the local database only, so it is
//! there offline, in one call, at any time — even if the database cannot be
//! read, the lines are still returned.
//!
//! Records that bring it up on their own (a PHQ-9 item 9 answer above 0, a
//! craving or lapse marked unsafe) are also flagged for the clinic by their
//! own modules.

use crate::coping::SupportContact;
use crate::Steady;
use serde::Serialize;

/// Why the card is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CrisisReason {
    /// The patient opened it.
    Requested,
    /// PHQ-9 item 9 (thoughts of self-harm) was answered above 0.
    SelfHarmThoughts,
    CravingMarkedUnsafe,
    LapseMarkedUnsafe,
}

/// A crisis line: call and/or text numbers, in the form a dialer accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CrisisLine {
    pub name: String,
    pub call: String,
    pub text: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CrisisCard {
    pub reason: CrisisReason,
    pub lines: Vec<CrisisLine>,
    pub support_contacts: Vec<SupportContact>,
}

/// The national lines, in the order shown.
pub fn crisis_lines() -> Vec<CrisisLine> {
    vec![
        CrisisLine {
            name: "988 Suicide & Crisis Lifeline".into(),
            call: "988".into(),
            text: Some("988".into()),
            description: "Call or text 988, any time, if you are thinking about harming \
                          yourself or are in crisis."
                .into(),
        },
        CrisisLine {
            name: "SAMHSA National Helpline".into(),
            call: "1-800-662-4357".into(),
            text: None,
            description: "Free, confidential, 24/7 treatment referral and information \
                          about substance use."
                .into(),
        },
    ]
}

impl Steady {
    /// The crisis card, any time, offline. Never fails: without readable
    /// contacts it still carries the crisis lines.
    pub fn crisis_card(&self) -> CrisisCard {
        self.crisis_card_because(CrisisReason::Requested)
    }

    pub(crate) fn crisis_card_because(&self, reason: CrisisReason) -> CrisisCard {
        CrisisCard {
            reason,
            lines: crisis_lines(),
            support_contacts: self.support_contacts().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::fixture;

    #[test]
    fn card_has_988_call_and_text_samhsa_and_the_patients_contacts() {
        let f = fixture();
        f.steady
            .add_support_contact("Sam (sponsor)".into(), "+1 555 0100".into())
            .unwrap();
        let card = f.steady.crisis_card();
        assert_eq!(card.reason, CrisisReason::Requested);
        assert_eq!(card.lines[0].call, "988");
        assert_eq!(card.lines[0].text.as_deref(), Some("988"));
        assert_eq!(card.lines[1].call, "1-800-662-4357");
        assert_eq!(card.support_contacts.len(), 1);
        assert_eq!(card.support_contacts[0].phone, "+1 555 0100");
    }

    #[test]
    fn card_is_there_even_when_the_database_is_closed() {
        let f = fixture();
        f.steady.close();
        let card = f.steady.crisis_card();
        assert_eq!(card.lines.len(), 2);
        assert!(card.support_contacts.is_empty());
    }
}
