//! The crisis card: 911, the national crisis lines and the patient's own
//! support contacts. It is built from constants and the local database only,
//! so it is there offline, in one call, at any time. When the database cannot
//! be read at all (a lost key, a damaged or missing file),
//! [`crisis_card_without_database`] builds it from the constants and the copy
//! of the contacts kept beside the database.
//!
//! Records that bring it up on their own (a PHQ-9 item 9 answer above 0, a
//! craving or lapse marked unsafe) are also flagged for the clinic by their
//! own modules.

use crate::crisis_contacts::SupportContact;
use crate::{crisis_contacts, Steady};
use serde::Serialize;
use std::path::Path;

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
    /// When a record raised the card: whether and when the clinic will see
    /// the flag, in words that fit (not enrolled, not shared, at the next
    /// sync, outside clinic hours), ending with 988/911 for now. None when
    /// the patient opened the card.
    pub clinic_notice: Option<String>,
}

/// 911 first, then the national lines, in the order shown.
pub fn crisis_lines() -> Vec<CrisisLine> {
    vec![
        CrisisLine {
            name: "Emergency".into(),
            call: "911".into(),
            text: None,
            description: "Call 911 if you or someone with you is in danger now, or in a \
                          suspected overdose."
                .into(),
        },
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
            description: "Treatment referral and information, not crisis counselling: \
                          free, confidential, 24/7 help finding treatment and support \
                          for substance use."
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
        let clinic_notice = (reason != CrisisReason::Requested).then(|| self.clinic_notice(reason));
        CrisisCard {
            reason,
            lines: crisis_lines(),
            support_contacts: self
                .support_contacts()
                .unwrap_or_else(|_| crisis_contacts::read(self.contacts_copy())),
            clinic_notice,
        }
    }
}

/// The crisis card for a database that cannot be opened (wrong key, damaged
/// or missing file): the lines, and the patient's contacts from the copy
/// kept beside `database_path` when it is readable. Needs no open database
/// and never fails.
pub fn crisis_card_without_database(database_path: &Path) -> CrisisCard {
    CrisisCard {
        reason: CrisisReason::Requested,
        lines: crisis_lines(),
        support_contacts: crisis_contacts::read(&crisis_contacts::path_for(database_path)),
        clinic_notice: None,
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
        assert_eq!(card.lines[0].call, "911");
        assert_eq!(card.lines[1].call, "988");
        assert_eq!(card.lines[1].text.as_deref(), Some("988"));
        assert_eq!(card.lines[2].call, "1-800-662-4357");
        assert!(card.lines[2].description.contains("not crisis counselling"));
        assert_eq!(card.support_contacts.len(), 1);
        assert_eq!(card.support_contacts[0].phone, "+1 555 0100");
    }

    #[test]
    fn card_is_there_even_when_the_database_is_closed() {
        let f = fixture();
        f.steady
            .add_support_contact("Sam (sponsor)".into(), "+1 555 0100".into())
            .unwrap();
        f.steady.close();
        let card = f.steady.crisis_card();
        assert_eq!(card.lines.len(), 3);
        assert_eq!(card.support_contacts[0].name, "Sam (sponsor)");
    }

    #[test]
    fn without_a_database_the_card_has_the_lines_and_the_copied_contacts() {
        let f = fixture();
        let sam = f
            .steady
            .add_support_contact("Sam".into(), "555 0100".into())
            .unwrap();
        f.steady
            .add_support_contact("Ana".into(), "555 0101".into())
            .unwrap();
        f.steady.remove_from_coping_plan(&sam.id).unwrap();
        f.steady.close();
        // The key is lost: the file cannot be read, the copy still can.
        let card = crisis_card_without_database(&f.path);
        let calls: Vec<_> = card.lines.iter().map(|l| l.call.as_str()).collect();
        assert_eq!(calls, ["911", "988", "1-800-662-4357"]);
        let names: Vec<_> = card.support_contacts.iter().map(|c| &c.name).collect();
        assert_eq!(names, ["Ana"]);
        // A missing database and copy: the lines alone.
        let gone = crisis_card_without_database(&f.path.with_file_name("nowhere.db"));
        assert_eq!(gone.lines.len(), 3);
        assert!(gone.support_contacts.is_empty());
    }

    #[test]
    fn a_new_database_takes_the_contacts_back_from_the_copy_of_a_damaged_one() {
        let f = fixture();
        f.steady
            .add_support_contact("Sam".into(), "555 0100".into())
            .unwrap();
        f.steady.close();
        std::fs::rename(&f.path, f.path.with_extension("damaged")).unwrap();
        let fresh = crate::test_support::open_at(&f.path, &f.key, f.clock.clone()).unwrap();
        let names: Vec<_> = fresh.support_contacts().unwrap();
        assert_eq!(names[0].name, "Sam");
        assert_eq!(fresh.crisis_card().support_contacts.len(), 1);
        drop(fresh);
        let card = crisis_card_without_database(&f.path);
        assert_eq!(card.support_contacts.len(), 1);
    }
}
