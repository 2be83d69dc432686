//! The patient's written consent to disclose one category: to the clinic,
//! or through the clinic to a named outside recipient.

use crate::ConsentCategory;
use serde::{Deserialize, Serialize};

/// A consent record, pushed as the payload of a mutation with record type
/// [`crate::RECORD_TYPE_CONSENT`], record id = `consent_id`, operation
/// `upsert` and the mutation's category = `category`. It travels in the same
/// ordered queue as the records it covers, so the server sees a grant before
/// the records it allows and a revocation before anything it forbids.
///
/// Revoking is an upsert of the same consent with `revoked_at_ms` set; a
/// revoked consent stays revoked (granting again makes a new consent id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub consent_id: String,
    /// The specific information disclosed.
    pub category: ConsentCategory,
    /// Who discloses (the patient's name as they signed).
    pub discloser: String,
    /// To whom: the clinic or program, as named at enrollment, or an outside
    /// recipient (then `recipient_address` is set).
    pub recipient: String,
    /// The outside recipient's address. Absent for a consent naming the
    /// clinic, the only kind that lets records reach the clinic; present, the
    /// consent only lets the clinic disclose the category to `recipient`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_address: Option<String>,
    /// Why (e.g. "treatment coordination").
    pub purpose: String,
    /// When the consent was signed (Unix ms): the consent's date.
    pub granted_at_ms: i64,
    /// When the consent ends on its own (Unix ms).
    pub expires_at_ms: i64,
    /// The patient was told they may revoke at any time; must be `true`.
    pub right_to_revoke_acknowledged: bool,
    /// The patient's typed signature.
    pub signature: String,
    /// Set when the patient revoked the consent (Unix ms).
    #[serde(default)]
    pub revoked_at_ms: Option<i64>,
}

impl Consent {
    /// Whether the consent allows disclosure at `now_ms` (the receiver's
    /// clock). The grant time is not compared: a phone clock running ahead
    /// must not make a fresh consent look not yet valid.
    pub fn is_current(&self, now_ms: i64) -> bool {
        self.revoked_at_ms.is_none() && now_ms < self.expires_at_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consent() -> Consent {
        Consent {
            consent_id: "c1".into(),
            category: ConsentCategory::Attendance,
            discloser: "Sam Patient".into(),
            recipient: "Riverside IOP".into(),
            recipient_address: None,
            purpose: "treatment coordination".into(),
            granted_at_ms: 1_000,
            expires_at_ms: 2_000,
            right_to_revoke_acknowledged: true,
            signature: "Sam Patient".into(),
            revoked_at_ms: None,
        }
    }

    #[test]
    fn consent_is_current_until_expiry_or_revocation() {
        let c = consent();
        assert!(c.is_current(999), "a skewed phone clock must not matter");
        assert!(c.is_current(1_000));
        assert!(c.is_current(1_999));
        assert!(!c.is_current(2_000));
        let revoked = Consent {
            revoked_at_ms: Some(1_500),
            ..consent()
        };
        assert!(!revoked.is_current(1_200));
    }

    #[test]
    fn a_clinic_consent_is_sent_without_a_recipient_address() {
        let clinic = serde_json::to_value(consent()).unwrap();
        assert!(clinic.get("recipient_address").is_none(), "{clinic}");
        let outside = Consent {
            recipient: "Lakeside Health".into(),
            recipient_address: Some("1 Main St, Springfield".into()),
            ..consent()
        };
        let wire = serde_json::to_value(&outside).unwrap();
        assert_eq!(wire["recipient_address"], "1 Main St, Springfield");
        assert_eq!(serde_json::from_value::<Consent>(wire).unwrap(), outside);
    }

    #[test]
    fn category_wire_names_round_trip() {
        for c in ConsentCategory::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
            assert_eq!(ConsentCategory::parse(c.as_str()), Some(c));
        }
        assert_eq!(ConsentCategory::parse("everything"), None);
    }
}
