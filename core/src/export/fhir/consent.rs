//! Each consent as a FHIR Consent carrying the 42 CFR §2.31 elements: the
//! patient, who discloses, to whom, what (the category), the purpose, the
//! expiry, the right to revoke, what refusing means, the signature and date.
//! Elements FHIR R4 has no field for travel as Steady extensions.

use super::{extension, id, ACT_CODE, LOINC, STEADY_CATEGORIES};
use crate::export::fields::{instant_of, int, text, zone};
use serde_json::{json, Value};

pub use crate::consent::RIGHT_TO_REVOKE;

/// What refusing or revoking means for the patient (§2.31(a)(6)), for a
/// consent to share with the clinic.
pub const REFUSAL_STATEMENT: &str = "My treatment does not depend on signing this consent. \
If I do not sign it, or revoke it, nothing of this category leaves my phone.";

/// The same for a consent letting the clinic disclose to an outside
/// recipient: what the clinic already holds stays with it, but does not go
/// to that recipient.
pub const OUTSIDE_REFUSAL_STATEMENT: &str = "My treatment does not depend on signing this \
consent. If I do not sign it, or revoke it, the program discloses nothing of this category to \
this recipient.";

pub(super) fn consent(record: &Value, ctx: &super::Ctx<'_>) -> Vec<Value> {
    let Some(raw_id) = text(record, "id").or_else(|| text(record, "consent_id")) else {
        return Vec::new();
    };
    let category = text(record, "category").unwrap_or("unknown");
    let signed_key = if record.get("signed_at_ms").is_some() {
        "signed_at_ms"
    } else {
        "granted_at_ms"
    };
    let signed = instant_of(record, signed_key);
    let expires = instant_of(record, "expires_at_ms");
    let revoked = instant_of(record, "revoked_at_ms");
    let now_passed = |key: &str| {
        int(record, key).is_some_and(|ms| {
            crate::export::fields::instant(ms, zone(record))
                .is_some_and(|at| at.get(..10).unwrap_or_default() < ctx.generated_date.as_str())
        })
    };
    let active = revoked.is_none() && !now_passed("expires_at_ms");
    let mut extensions = vec![
        extension(
            "consent-purpose",
            "valueString",
            json!(text(record, "purpose").unwrap_or_default()),
        ),
        extension("right-to-revoke", "valueString", json!(RIGHT_TO_REVOKE)),
        extension(
            "refusal-statement",
            "valueString",
            json!(match text(record, "recipient_address") {
                Some(_) => OUTSIDE_REFUSAL_STATEMENT,
                None => REFUSAL_STATEMENT,
            }),
        ),
        extension(
            "signature",
            "valueString",
            json!(text(record, "signature").unwrap_or_default()),
        ),
    ];
    if let Some(at) = &expires {
        extensions.push(extension("expires", "valueDateTime", json!(at)));
    }
    if let Some(at) = &revoked {
        extensions.push(extension("revoked", "valueDateTime", json!(at)));
    }
    let mut period = json!({});
    if let Some(start) = &signed {
        period["start"] = json!(start);
    }
    if let Some(end) = revoked.as_ref().or(expires.as_ref()) {
        period["end"] = json!(end);
    }
    let mut resource = json!({
        "resourceType": "Consent",
        "id": id(&format!("consent-{raw_id}")),
        "extension": extensions,
        "status": if active { "active" } else { "inactive" },
        "scope": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/consentscope",
            "code": "patient-privacy",
            "display": "Privacy Consent",
        }]},
        "category": [
            {"coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}]},
            {"coding": [{"system": STEADY_CATEGORIES, "code": category}], "text": category},
        ],
        "patient": ctx.patient,
        "performer": [{"display": text(record, "discloser").unwrap_or_default()}],
        "policy": [{"uri": "https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2"}],
        "policyRule": {"coding": [{"system": ACT_CODE, "code": "42CFRPart2", "display": "42 CFR Part2"}]},
        "provision": {
            "type": "permit",
            "period": period,
            "actor": [
                {
                    "role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP", "display": "information recipient"}]},
                    "reference": {"display": recipient(record)},
                },
                {
                    "role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "AUT", "display": "author (originator)"}]},
                    "reference": {"display": text(record, "discloser").unwrap_or_default()},
                },
            ],
            "class": [{"system": STEADY_CATEGORIES, "code": category}],
        },
    });
    if let Some(at) = signed {
        resource["dateTime"] = json!(at);
        resource["verification"] =
            json!([{"verified": true, "verifiedWith": ctx.patient, "verificationDate": at}]);
    }
    vec![resource]
}

/// The recipient as the consent names it, with its address for an outside
/// recipient.
fn recipient(record: &Value) -> String {
    let name = text(record, "recipient").unwrap_or_default();
    match text(record, "recipient_address") {
        Some(address) => format!("{name}, {address}"),
        None => name.to_string(),
    }
}
