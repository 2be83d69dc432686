//! Consent under 42 CFR Part 2: the server records the consents a phone
//! pushes, decides per category whether a pushed record may be accepted, and
//! gives every disclosure to staff the consent scope and the notice against
//! redisclosure.
//!
//! A consent naming an outside recipient (it carries `recipient_address`,
//! ADR 0052) is kept apart, in `outside_consents`: it never decides what the
//! clinic accepts or shows staff, only what the clinic may disclose to that
//! recipient (`outside_scope`, read by the FHIR disclosure).

use crate::settings;
use crate::store::{DbError, Tx};
use serde::Serialize;
use std::collections::HashSet;
use steady_protocol::{Consent, ConsentCategory, Mutation, Operation};

/// The notice that accompanies every disclosure of Part 2 records (42 CFR
/// 2.32).
pub const REDISCLOSURE_NOTICE: &str =
    "42 CFR part 2 prohibits unauthorized use or disclosure of these records.";

/// Longest consent the server accepts, measured from its grant: the phone's
/// own cap (five years). Protocol v1 has no open-ended consent, so a far-off
/// expiry is refused as the nonsense it is rather than read as "forever".
pub const MAX_CONSENT_MS: i64 = 5 * 365 * 24 * 60 * 60 * 1000;
/// How far ahead of the server's clock a phone's grant may be dated: phones
/// with a wrong clock still share, a consent "signed next month" does not.
pub const MAX_CLOCK_AHEAD_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// Longest discloser, recipient and signature (the phone's limit).
const MAX_NAME_CHARS: usize = 200;
/// Longest purpose (the phone's limit).
const MAX_PURPOSE_CHARS: usize = 500;
/// Longest outside recipient address (the phone's limit).
const MAX_ADDRESS_CHARS: usize = 300;

/// Where a pushed consent is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Names this clinic: decides what the clinic accepts (`consents`).
    Clinic,
    /// Names an outside recipient: only lets the clinic disclose to it
    /// (`outside_consents`).
    Outside,
}

impl Kind {
    fn of(consent: &Consent) -> Kind {
        if consent.recipient_address.is_some() {
            Kind::Outside
        } else {
            Kind::Clinic
        }
    }

    fn table(self) -> &'static str {
        match self {
            Kind::Clinic => "consents",
            Kind::Outside => "outside_consents",
        }
    }

    fn other(self) -> Kind {
        match self {
            Kind::Clinic => Kind::Outside,
            Kind::Outside => Kind::Clinic,
        }
    }
}

/// Whether two recipient names are the same: case and surrounding spaces
/// ignored (as the phone compares them).
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Categories the patient currently consents to share with this clinic
/// (consents naming outside recipients are never read here).
pub fn current_categories(
    tx: &mut dyn Tx,
    patient_id: &str,
    now_ms: i64,
) -> Result<HashSet<ConsentCategory>, DbError> {
    let rows = tx.query(
        "SELECT DISTINCT category FROM consents
         WHERE patient_id = $1 AND revoked_at_ms IS NULL AND expires_at_ms > $2",
        &[patient_id.into(), now_ms.into()],
    )?;
    let mut categories = HashSet::new();
    for row in rows {
        if let Some(category) = ConsentCategory::parse(&row.text(0)?) {
            categories.insert(category);
        }
    }
    Ok(categories)
}

/// Records a consent grant or revocation pushed by `device_id`. `Err(reason)`
/// rejects the mutation; storage failures abort the whole push.
pub fn apply(
    tx: &mut dyn Tx,
    patient_id: &str,
    device_id: &str,
    mutation: &Mutation,
    now_ms: i64,
) -> Result<Result<(), String>, DbError> {
    let consent = match check(mutation) {
        Ok(consent) => consent,
        Err(reason) => return Ok(Err(reason)),
    };
    let kind = Kind::of(&consent);
    let changed_terms = || {
        Ok(Err(
            "consent: terms of a signed consent cannot change; grant a new consent".into(),
        ))
    };
    let elsewhere = tx.query_opt(
        &format!(
            "SELECT patient_id FROM {} WHERE id = $1",
            kind.other().table()
        ),
        &[consent.consent_id.clone().into()],
    )?;
    if let Some(row) = elsewhere {
        if row.text(0)? != patient_id {
            return Ok(Err("consent_id: belongs to another patient".into()));
        }
        // A consent cannot move between the clinic and an outside recipient.
        return changed_terms();
    }
    let address_column = match kind {
        Kind::Clinic => "",
        Kind::Outside => ", recipient_address",
    };
    let existing = tx.query_opt(
        &format!(
            "SELECT patient_id, category, discloser, recipient, purpose, granted_at_ms,
                    expires_at_ms, signature, revoked_at_ms{address_column}
             FROM {} WHERE id = $1",
            kind.table()
        ),
        &[consent.consent_id.clone().into()],
    )?;
    let Some(row) = existing else {
        if let Err(reason) = check_new(tx, &consent, now_ms)? {
            return Ok(Err(reason));
        }
        insert(tx, patient_id, device_id, &consent, now_ms)?;
        return Ok(Ok(()));
    };
    if row.text(0)? != patient_id {
        return Ok(Err("consent_id: belongs to another patient".into()));
    }
    let stored_address = match kind {
        Kind::Clinic => None,
        Kind::Outside => Some(row.text(9)?),
    };
    let same_terms = row.text(1)? == consent.category.as_str()
        && row.text(2)? == consent.discloser
        && row.text(3)? == consent.recipient
        && row.text(4)? == consent.purpose
        && row.int(5)? == consent.granted_at_ms
        && row.int(6)? == consent.expires_at_ms
        && row.text(7)? == consent.signature
        && stored_address == consent.recipient_address;
    if !same_terms {
        return changed_terms();
    }
    match (row.opt_int(8)?, consent.revoked_at_ms) {
        (Some(_), None) => Ok(Err(
            "consent: was revoked; granting again needs a new consent".into(),
        )),
        (None, Some(revoked_at_ms)) => {
            tx.exec(
                &format!(
                    "UPDATE {} SET revoked_at_ms = $1 WHERE id = $2",
                    kind.table()
                ),
                &[revoked_at_ms.into(), consent.consent_id.clone().into()],
            )?;
            Ok(Ok(()))
        }
        // A repeated grant or repeated revocation changes nothing.
        _ => Ok(Ok(())),
    }
}

/// Stores a new grant where its kind is kept.
fn insert(
    tx: &mut dyn Tx,
    patient_id: &str,
    device_id: &str,
    consent: &Consent,
    now_ms: i64,
) -> Result<(), DbError> {
    let mut values = vec![
        consent.consent_id.clone().into(),
        patient_id.into(),
        device_id.into(),
        consent.category.as_str().into(),
        consent.discloser.clone().into(),
        consent.recipient.clone().into(),
        consent.purpose.clone().into(),
        consent.granted_at_ms.into(),
        consent.expires_at_ms.into(),
        consent.signature.clone().into(),
        consent.revoked_at_ms.into(),
        now_ms.into(),
    ];
    match &consent.recipient_address {
        None => tx.exec(
            "INSERT INTO consents (id, patient_id, device_id, category, discloser, recipient,
                 purpose, granted_at_ms, expires_at_ms, signature, revoked_at_ms, received_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            &values,
        ),
        Some(address) => {
            values.push(address.clone().into());
            tx.exec(
                "INSERT INTO outside_consents (id, patient_id, device_id, category, discloser,
                     recipient, purpose, granted_at_ms, expires_at_ms, signature, revoked_at_ms,
                     received_at_ms, recipient_address)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                &values,
            )
        }
    }?;
    Ok(())
}

/// The consent in a mutation, or why it is not acceptable.
fn check(mutation: &Mutation) -> Result<Consent, String> {
    if mutation.operation != Operation::Upsert {
        return Err("consent: cannot be deleted; revoke it with revoked_at_ms".into());
    }
    let consent: Consent = serde_json::from_value(mutation.payload.clone())
        .map_err(|e| format!("payload: not a consent: {e}"))?;
    if consent.consent_id != mutation.record_id {
        return Err("consent_id: must equal record_id".into());
    }
    if consent.category != mutation.category {
        return Err("category: must equal the mutation's category".into());
    }
    for (field, value, max) in [
        ("discloser", &consent.discloser, MAX_NAME_CHARS),
        ("recipient", &consent.recipient, MAX_NAME_CHARS),
        ("purpose", &consent.purpose, MAX_PURPOSE_CHARS),
        ("signature", &consent.signature, MAX_NAME_CHARS),
    ] {
        if value.trim().is_empty() {
            return Err(format!("{field}: must not be empty"));
        }
        if value.chars().count() > max {
            return Err(format!("{field}: is longer than {max} characters"));
        }
        if value.chars().any(char::is_control) {
            return Err(format!("{field}: contains control characters"));
        }
    }
    if let Some(address) = &consent.recipient_address {
        if address.trim().is_empty() {
            return Err("recipient_address: must not be empty".into());
        }
        if address.chars().count() > MAX_ADDRESS_CHARS {
            return Err(format!(
                "recipient_address: is longer than {MAX_ADDRESS_CHARS} characters"
            ));
        }
        if address.chars().any(char::is_control) {
            return Err("recipient_address: contains control characters".into());
        }
    }
    if !consent.right_to_revoke_acknowledged {
        return Err("right_to_revoke_acknowledged: must be true".into());
    }
    if consent.granted_at_ms <= 0 {
        return Err("granted_at_ms: must be a positive Unix time in ms".into());
    }
    if consent.expires_at_ms <= consent.granted_at_ms {
        return Err("expires_at_ms: must be after granted_at_ms".into());
    }
    if consent.expires_at_ms - consent.granted_at_ms > MAX_CONSENT_MS {
        return Err(
            "expires_at_ms: a consent lasts at most 5 years from granted_at_ms; \
             protocol v1 has no open-ended consent"
                .into(),
        );
    }
    if let Some(revoked_at_ms) = consent.revoked_at_ms {
        if revoked_at_ms < consent.granted_at_ms {
            return Err("revoked_at_ms: is before granted_at_ms".into());
        }
    }
    Ok(consent)
}

/// What only a new grant must satisfy (a revocation of a stored consent is
/// always accepted, even after the clinic was renamed): a consent without an
/// address names this clinic as the recipient, one with an address names
/// someone else, and it is not dated in the future.
fn check_new(
    tx: &mut dyn Tx,
    consent: &Consent,
    now_ms: i64,
) -> Result<Result<(), String>, DbError> {
    let clinic = settings::clinic_name(tx)?;
    match Kind::of(consent) {
        Kind::Clinic if consent.recipient.trim() != clinic => {
            return Ok(Err(format!(
                "recipient: names {:?}, not this clinic ({clinic:?}); a consent for an \
                 outside recipient carries recipient_address",
                consent.recipient
            )));
        }
        Kind::Outside if same_name(&consent.recipient, &clinic) => {
            return Ok(Err(
                "recipient: names this clinic; a consent for the clinic has no \
                 recipient_address"
                    .into(),
            ));
        }
        _ => {}
    }
    if consent.granted_at_ms > now_ms + MAX_CLOCK_AHEAD_MS {
        return Ok(Err(
            "granted_at_ms: is more than 7 days ahead of the clinic's clock".into(),
        ));
    }
    Ok(Ok(()))
}

/// One consent as staff see it next to what it disclosed.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentScope {
    pub consent_id: String,
    pub category: String,
    pub discloser: String,
    pub recipient: String,
    /// The outside recipient's address (consents naming outside recipients
    /// only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient_address: Option<String>,
    pub purpose: String,
    pub granted_at_ms: i64,
    pub expires_at_ms: i64,
    pub signature: String,
    pub revoked_at_ms: Option<i64>,
    /// `current`, `revoked` or `expired`.
    pub status: &'static str,
}

/// Every consent naming this clinic the patient ever gave, newest first.
pub fn scope(tx: &mut dyn Tx, patient_id: &str, now_ms: i64) -> Result<Vec<ConsentScope>, DbError> {
    scope_in(tx, Kind::Clinic, patient_id, now_ms)
}

/// The patient's current consents naming the outside `recipient` (case and
/// surrounding spaces ignored): what the clinic may disclose to it.
pub fn outside_scope(
    tx: &mut dyn Tx,
    patient_id: &str,
    recipient: &str,
    now_ms: i64,
) -> Result<Vec<ConsentScope>, DbError> {
    Ok(scope_in(tx, Kind::Outside, patient_id, now_ms)?
        .into_iter()
        .filter(|c| c.status == "current" && same_name(&c.recipient, recipient))
        .collect())
}

fn scope_in(
    tx: &mut dyn Tx,
    kind: Kind,
    patient_id: &str,
    now_ms: i64,
) -> Result<Vec<ConsentScope>, DbError> {
    let address_column = match kind {
        Kind::Clinic => "",
        Kind::Outside => ", recipient_address",
    };
    let rows = tx.query(
        &format!(
            "SELECT id, category, discloser, recipient, purpose, granted_at_ms, expires_at_ms,
                    signature, revoked_at_ms{address_column}
             FROM {} WHERE patient_id = $1 ORDER BY granted_at_ms DESC, id",
            kind.table()
        ),
        &[patient_id.into()],
    )?;
    rows.iter()
        .map(|row| {
            let revoked_at_ms = row.opt_int(8)?;
            let expires_at_ms = row.int(6)?;
            Ok(ConsentScope {
                consent_id: row.text(0)?,
                category: row.text(1)?,
                discloser: row.text(2)?,
                recipient: row.text(3)?,
                recipient_address: match kind {
                    Kind::Clinic => None,
                    Kind::Outside => Some(row.text(9)?),
                },
                purpose: row.text(4)?,
                granted_at_ms: row.int(5)?,
                expires_at_ms,
                signature: row.text(7)?,
                revoked_at_ms,
                status: if revoked_at_ms.is_some() {
                    "revoked"
                } else if expires_at_ms <= now_ms {
                    "expired"
                } else {
                    "current"
                },
            })
        })
        .collect()
}
