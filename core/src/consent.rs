//! Consent to share with the clinic (42 CFR Part 2). The patient grants or
//! revokes each category on its own; each grant records who discloses, to
//! whom, what, why, until when, the right to revoke, the typed signature and
//! the date. The sync engine shares a record only while its category is
//! consented to the clinic (see sync/push.rs); consent records themselves are
//! synced so the clinic knows the scope of what it holds.
//!
//! A consent may instead name an outside recipient with an address (ADR
//! 0052): it lets the clinic disclose the category to that recipient, and it
//! never counts as consent to share with the clinic.

use crate::enrollment;
use crate::outbox;
use crate::{ids, validate, Error, Result, Steady};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

pub use crate::vocabulary::ConsentCategory;

impl Consent {
    /// The consent as the clinic receives it (protocol v1).
    fn to_wire(&self) -> steady_protocol::Consent {
        steady_protocol::Consent {
            consent_id: self.id.clone(),
            category: self.category,
            discloser: self.discloser.clone(),
            recipient: self.recipient.clone(),
            recipient_address: self.recipient_address.clone(),
            purpose: self.purpose.clone(),
            granted_at_ms: self.signed_at_ms,
            expires_at_ms: self.expires_at_ms,
            right_to_revoke_acknowledged: true,
            signature: self.signature.clone(),
            revoked_at_ms: self.revoked_at_ms,
        }
    }

    /// Queues this consent (a grant, or its revocation) for the clinic.
    pub(crate) fn queue(&self, tx: &Connection, now: DateTime<Utc>) -> Result<()> {
        outbox::record_consent(tx, &self.id, self.category, &self.to_wire(), now)
    }
}

/// What every consent states about revocation.
pub const RIGHT_TO_REVOKE: &str = "I may revoke this consent at any time in Steady, except for \
information already shared in reliance on it. Revoking stops sharing this category at once.";

/// What the patient signs to share some categories with the clinic, or to
/// let the clinic disclose them to a named outside recipient.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConsentGrant {
    pub categories: Vec<ConsentCategory>,
    /// Why the information is shared; a default purpose when absent (required
    /// for an outside recipient).
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub purpose: Option<String>,
    /// When the consent ends (Unix ms); one year from now when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub expires_at_ms: Option<i64>,
    /// The patient's typed full name.
    pub signature: String,
    /// An outside recipient (a doctor, a program, a payer) the clinic may
    /// disclose these categories to; absent: the clinic itself. Needs
    /// `recipient_address`.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub recipient: Option<String>,
    /// The outside recipient's address (for the accounting of disclosures).
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub recipient_address: Option<String>,
}

/// A signed consent, as stored and as synced to the clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Consent {
    pub id: String,
    pub category: ConsentCategory,
    /// Who discloses: the patient, by the name they signed with; for an
    /// outside recipient, the clinic (it makes the disclosure).
    pub discloser: String,
    /// To whom: the clinic the phone is enrolled with, or the outside
    /// recipient.
    pub recipient: String,
    /// The outside recipient's address; none for a consent naming the clinic.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub recipient_address: Option<String>,
    /// What is disclosed, specifically.
    pub information: String,
    pub purpose: String,
    pub expires_at_ms: i64,
    pub right_to_revoke: String,
    pub signature: String,
    pub signed_at_ms: i64,
    pub time_zone: String,
    pub revoked_at_ms: Option<i64>,
}

/// Where a category stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ConsentState {
    /// Never granted: nothing of this category leaves the phone.
    NotGranted,
    /// Shared with the clinic.
    Active,
    /// The last consent ran out; sharing stopped.
    Expired,
    /// The patient revoked it; sharing stopped.
    Revoked,
}

/// One category's consent state, with the latest consent and how many saved
/// records wait on the phone for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConsentStatus {
    pub category: ConsentCategory,
    pub state: ConsentState,
    pub consent: Option<Consent>,
    /// Saved records of this category not shared yet: held for lack of
    /// consent, or (when active) waiting for the next sync.
    pub held_records: u32,
}

/// A consent naming an outside recipient, and where it stands now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OutsideConsent {
    /// `Active` while the clinic may disclose to the recipient; `Revoked` or
    /// `Expired` once it may not.
    pub state: ConsentState,
    pub consent: Consent,
}

/// Default purpose of a consent, when the patient does not write one.
pub const DEFAULT_PURPOSE: &str = "coordinating my treatment with my clinic";
/// Default consent length: one year, a common program-plus-aftercare span.
const DEFAULT_DURATION_MS: i64 = 365 * 24 * 60 * 60 * 1000;
/// Longest consent Steady records; the patient renews after that.
const MAX_DURATION_MS: i64 = 5 * DEFAULT_DURATION_MS;
const MAX_PURPOSE_CHARS: usize = 500;
const MAX_SIGNATURE_CHARS: usize = 200;
/// Longest outside recipient name and address (the clinic server's limits).
const MAX_RECIPIENT_CHARS: usize = 200;
const MAX_ADDRESS_CHARS: usize = 300;

impl Steady {
    /// Grants consent for each category in `grant`. The phone must be enrolled
    /// (the clinic is the recipient, or discloses to the outside recipient).
    /// Records of these categories already saved and held back are shared at
    /// the next sync; a consent naming an outside recipient shares nothing
    /// more with the clinic.
    pub fn grant_consent(&self, grant: ConsentGrant) -> Result<Vec<Consent>> {
        let now = self.now();
        let categories = categories("categories", &grant.categories)?;
        let outside = outside_recipient(grant.recipient, grant.recipient_address)?;
        let purpose = match validate::note("purpose", grant.purpose)? {
            Some(p) if p.chars().count() > MAX_PURPOSE_CHARS => {
                return Err(Error::invalid(
                    "purpose",
                    format!("at most {MAX_PURPOSE_CHARS} characters"),
                ))
            }
            Some(p) => p,
            None if outside.is_some() => {
                return Err(Error::invalid(
                    "purpose",
                    "say why the recipient receives this information",
                ))
            }
            None => DEFAULT_PURPOSE.to_string(),
        };
        let signature = grant
            .signature
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        // A signature names the person: at least a first and a last name.
        let names = signature
            .split(' ')
            .filter(|word| word.chars().any(char::is_alphabetic))
            .count();
        if names < 2 {
            return Err(Error::invalid(
                "signature",
                "type your first and last name to sign",
            ));
        }
        if signature.chars().count() > MAX_SIGNATURE_CHARS {
            return Err(Error::invalid(
                "signature",
                format!("at most {MAX_SIGNATURE_CHARS} characters"),
            ));
        }
        let now_ms = now.timestamp_millis();
        let expires_at_ms = match grant.expires_at_ms {
            Some(ms) => {
                validate::instant_ms("expires_at", ms)?;
                if ms <= now_ms {
                    return Err(Error::invalid("expires_at", "is not in the future"));
                }
                if ms - now_ms > MAX_DURATION_MS {
                    return Err(Error::invalid("expires_at", "is more than 5 years away"));
                }
                ms
            }
            None => now_ms + DEFAULT_DURATION_MS,
        };
        let time_zone = self.zone()?.name().to_string();
        self.write(|tx| {
            let enrolled = enrollment::load(tx)?.ok_or(Error::NotEnrolled)?;
            let (discloser, recipient, recipient_address) = match &outside {
                Some((name, _)) if same_name(name, &enrolled.clinic_name) => {
                    return Err(Error::invalid(
                        "recipient",
                        "is the clinic you are enrolled with; share with it without a recipient",
                    ))
                }
                Some((name, address)) => (
                    enrolled.clinic_name.clone(),
                    name.clone(),
                    Some(address.clone()),
                ),
                None => (signature.clone(), enrolled.clinic_name.clone(), None),
            };
            let mut granted = Vec::with_capacity(categories.len());
            for category in categories {
                let consent = Consent {
                    id: ids::new_id(),
                    category,
                    discloser: discloser.clone(),
                    recipient: recipient.clone(),
                    recipient_address: recipient_address.clone(),
                    information: category.information().to_string(),
                    purpose: purpose.clone(),
                    expires_at_ms,
                    right_to_revoke: RIGHT_TO_REVOKE.to_string(),
                    signature: signature.clone(),
                    signed_at_ms: now_ms,
                    time_zone: time_zone.clone(),
                    revoked_at_ms: None,
                };
                tx.execute(
                    "INSERT INTO consent (id, category, discloser, recipient, recipient_address,
                        purpose, expires_at_ms, signature, signed_at_ms, time_zone)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![
                        consent.id,
                        category.as_str(),
                        consent.discloser,
                        consent.recipient,
                        consent.recipient_address,
                        consent.purpose,
                        consent.expires_at_ms,
                        consent.signature,
                        consent.signed_at_ms,
                        consent.time_zone
                    ],
                )?;
                consent.queue(tx, now)?;
                granted.push(consent);
            }
            Ok(granted)
        })
    }

    /// Revokes every active consent of each category naming the clinic: from
    /// this moment no record of these categories is shared. Returns the
    /// consents revoked (none for a category that was not shared). Consents
    /// naming outside recipients are revoked with `revoke_outside_consent`.
    pub fn revoke_consent(&self, categories_in: Vec<ConsentCategory>) -> Result<Vec<Consent>> {
        let now = self.now();
        let list = categories("categories", &categories_in)?;
        self.write(|tx| {
            let mut revoked = Vec::new();
            for category in list {
                for consent in active(tx, category, now.timestamp_millis())? {
                    revoked.push(revoke(tx, consent, now)?);
                }
            }
            Ok(revoked)
        })
    }

    /// Revokes every active consent naming `recipient` (case and surrounding
    /// spaces ignored) for each category: the clinic may no longer disclose
    /// them to it once the revocation reaches the clinic at the next sync.
    /// Returns the consents revoked (none when none was active).
    pub fn revoke_outside_consent(
        &self,
        recipient: String,
        categories_in: Vec<ConsentCategory>,
    ) -> Result<Vec<Consent>> {
        let now = self.now();
        let recipient = one_line("recipient", &recipient, MAX_RECIPIENT_CHARS)?;
        let list = categories("categories", &categories_in)?;
        self.write(|tx| {
            let mut revoked = Vec::new();
            for consent in outside_active(tx, now.timestamp_millis())? {
                if list.contains(&consent.category) && same_name(&consent.recipient, &recipient) {
                    revoked.push(revoke(tx, consent, now)?);
                }
            }
            Ok(revoked)
        })
    }

    /// Every consent naming an outside recipient, newest first, with where it
    /// stands now.
    pub fn outside_consents(&self) -> Result<Vec<OutsideConsent>> {
        let now_ms = self.now().timestamp_millis();
        self.read(|conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLUMNS} FROM consent WHERE recipient_address IS NOT NULL
                 ORDER BY signed_at_ms DESC, rowid DESC"
            ))?;
            let rows = stmt.query_map([], consent_from_row)?;
            let rows: Vec<_> = rows.collect::<Result<_, _>>()?;
            rows.into_iter()
                .map(|consent| {
                    let consent = consent?;
                    Ok(OutsideConsent {
                        state: state_of(&consent, now_ms),
                        consent,
                    })
                })
                .collect()
        })
    }

    /// Every category's consent state, in a fixed order.
    pub fn consent_status(&self) -> Result<Vec<ConsentStatus>> {
        let now_ms = self.now().timestamp_millis();
        self.read(|conn| {
            ConsentCategory::ALL
                .into_iter()
                .map(|category| status(conn, category, now_ms))
                .collect()
        })
    }
}

/// Marks `consent` revoked now and queues the revocation for the clinic.
fn revoke(tx: &Connection, mut consent: Consent, now: DateTime<Utc>) -> Result<Consent> {
    consent.revoked_at_ms = Some(now.timestamp_millis());
    tx.execute(
        "UPDATE consent SET revoked_at_ms = ?2 WHERE id = ?1",
        params![consent.id, consent.revoked_at_ms],
    )?;
    consent.queue(tx, now)?;
    Ok(consent)
}

/// The outside recipient and its address, both given or both absent.
fn outside_recipient(
    recipient: Option<String>,
    address: Option<String>,
) -> Result<Option<(String, String)>> {
    match (recipient, address) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(Error::invalid(
            "recipient_address",
            "an outside recipient needs its address",
        )),
        (None, Some(_)) => Err(Error::invalid(
            "recipient",
            "an address needs the outside recipient's name",
        )),
        (Some(name), Some(address)) => Ok(Some((
            one_line("recipient", &name, MAX_RECIPIENT_CHARS)?,
            one_line("recipient_address", &address, MAX_ADDRESS_CHARS)?,
        ))),
    }
}

/// `text` on one line with single spaces: not empty, at most `max`
/// characters, no control characters.
fn one_line(field: &str, text: &str, max: usize) -> Result<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if text.chars().count() > max {
        return Err(Error::invalid(field, format!("at most {max} characters")));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(text)
}

/// Whether two recipient names are the same (the clinic server compares them
/// the same way).
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The categories consented to the clinic now (granted, not revoked, not
/// expired). Consents naming outside recipients never count here.
pub(crate) fn consented(conn: &Connection, now_ms: i64) -> Result<Vec<ConsentCategory>> {
    let mut out = Vec::new();
    for category in ConsentCategory::ALL {
        if !active(conn, category, now_ms)?.is_empty() {
            out.push(category);
        }
    }
    Ok(out)
}

fn categories(field: &str, list: &[ConsentCategory]) -> Result<Vec<ConsentCategory>> {
    if list.is_empty() {
        return Err(Error::invalid(field, "name at least one category"));
    }
    let mut list = list.to_vec();
    list.sort();
    list.dedup();
    Ok(list)
}

const COLUMNS: &str = "id, category, discloser, recipient, purpose, expires_at_ms, signature,
    signed_at_ms, time_zone, revoked_at_ms, recipient_address";

/// The active consents of `category` naming the clinic.
pub(crate) fn active(
    conn: &Connection,
    category: ConsentCategory,
    now_ms: i64,
) -> Result<Vec<Consent>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM consent
         WHERE category = ?1 AND recipient_address IS NULL
           AND revoked_at_ms IS NULL AND expires_at_ms > ?2
         ORDER BY signed_at_ms"
    ))?;
    let rows = stmt.query_map(params![category.as_str(), now_ms], consent_from_row)?;
    let rows: Vec<_> = rows.collect::<Result<_, _>>()?;
    rows.into_iter().collect()
}

/// The active consents naming outside recipients, oldest first.
pub(crate) fn outside_active(conn: &Connection, now_ms: i64) -> Result<Vec<Consent>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM consent
         WHERE recipient_address IS NOT NULL AND revoked_at_ms IS NULL AND expires_at_ms > ?1
         ORDER BY signed_at_ms, rowid"
    ))?;
    let rows = stmt.query_map(params![now_ms], consent_from_row)?;
    let rows: Vec<_> = rows.collect::<Result<_, _>>()?;
    rows.into_iter().collect()
}

fn state_of(consent: &Consent, now_ms: i64) -> ConsentState {
    if consent.revoked_at_ms.is_some() {
        ConsentState::Revoked
    } else if consent.expires_at_ms <= now_ms {
        ConsentState::Expired
    } else {
        ConsentState::Active
    }
}

fn status(conn: &Connection, category: ConsentCategory, now_ms: i64) -> Result<ConsentStatus> {
    let latest = conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM consent WHERE category = ?1 AND recipient_address IS NULL
                 ORDER BY (revoked_at_ms IS NULL AND expires_at_ms > ?2) DESC,
                          signed_at_ms DESC, rowid DESC
                 LIMIT 1"
            ),
            params![category.as_str(), now_ms],
            consent_from_row,
        )
        .optional()?
        .transpose()?;
    let state = latest
        .as_ref()
        .map_or(ConsentState::NotGranted, |c| state_of(c, now_ms));
    let held_records = outbox::held_count(conn, category.as_str())?;
    Ok(ConsentStatus {
        category,
        state,
        consent: latest,
        held_records,
    })
}

fn consent_from_row(row: &Row<'_>) -> rusqlite::Result<Result<Consent>> {
    let category: String = row.get(1)?;
    let Ok(category) = crate::vocabulary::parse_consent_category("category", &category) else {
        return Ok(Err(Error::Corrupt("unknown consent category".into())));
    };
    Ok(Ok(Consent {
        id: row.get(0)?,
        category,
        discloser: row.get(2)?,
        recipient: row.get(3)?,
        recipient_address: row.get(10)?,
        information: category.information().to_string(),
        purpose: row.get(4)?,
        expires_at_ms: row.get(5)?,
        right_to_revoke: RIGHT_TO_REVOKE.to_string(),
        signature: row.get(6)?,
        signed_at_ms: row.get(7)?,
        time_zone: row.get(8)?,
        revoked_at_ms: row.get(9)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Clock, FixedClock, NewCraving};
    use chrono::{Duration, TimeZone};
    use std::sync::Arc;

    fn open(dir: &tempfile::TempDir) -> (Steady, Arc<FixedClock>) {
        let now = Utc.with_ymd_and_hms(2027, 1, 4, 15, 0, 0).unwrap();
        let clock = Arc::new(FixedClock::new(now, "Europe/London"));
        let steady = Steady::open(dir.path().join("c.db"), &[3u8; 32], clock.clone()).unwrap();
        (steady, clock)
    }

    fn enroll(steady: &Steady) {
        steady
            .write(|tx| {
                tx.execute(
                    "INSERT INTO sync_enrollment (id, server_url, device_id, device_token,
                         clinic_name, enrolled_at_ms)
                     VALUES (1, 'http://c', 'd', 't', 'Riverside IOP', 0)",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
    }

    fn grant(categories: Vec<ConsentCategory>) -> ConsentGrant {
        ConsentGrant {
            categories,
            signature: "Sam Rivera".into(),
            ..ConsentGrant::default()
        }
    }

    fn invalid_field(result: Result<Vec<Consent>>) -> String {
        match result {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected an invalid input, got {other:?}"),
        }
    }

    #[test]
    fn consent_needs_an_enrolled_clinic_to_name_as_recipient() {
        let dir = tempfile::tempdir().unwrap();
        let (steady, _) = open(&dir);
        assert!(matches!(
            steady.grant_consent(grant(vec![ConsentCategory::Cravings])),
            Err(Error::NotEnrolled)
        ));
    }

    #[test]
    fn a_grant_records_every_element_of_a_part_2_consent() {
        let dir = tempfile::tempdir().unwrap();
        let (steady, clock) = open(&dir);
        enroll(&steady);
        let granted = steady
            .grant_consent(grant(vec![
                ConsentCategory::Notes,
                ConsentCategory::Attendance,
                ConsentCategory::Attendance,
            ]))
            .unwrap();
        assert_eq!(granted.len(), 2, "duplicates are granted once");
        let c = &granted[0];
        assert_eq!(c.category, ConsentCategory::Attendance);
        assert_eq!(c.discloser, "Sam Rivera");
        assert_eq!(c.recipient, "Riverside IOP");
        assert_eq!(c.purpose, DEFAULT_PURPOSE);
        assert_eq!(c.signature, "Sam Rivera");
        assert_eq!(c.signed_at_ms, clock.now().timestamp_millis());
        assert_eq!(c.expires_at_ms - c.signed_at_ms, DEFAULT_DURATION_MS);
        assert!(c.right_to_revoke.contains("revoke"));
        assert!(!c.information.is_empty());
        let queued = steady.pending_outbox().unwrap();
        let kinds: Vec<_> = queued
            .iter()
            .map(|e| (e.record_type.as_str(), e.category.as_str()))
            .collect();
        assert_eq!(kinds, vec![("consent", "attendance"), ("consent", "notes")]);
        let wire: serde_json::Value = serde_json::from_str(&queued[0].payload).unwrap();
        assert_eq!(wire["right_to_revoke_acknowledged"], true);
        assert_eq!(wire["granted_at_ms"], c.signed_at_ms);
    }

    #[test]
    fn a_bad_grant_names_the_field_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (steady, clock) = open(&dir);
        enroll(&steady);
        let now = clock.now().timestamp_millis();
        assert_eq!(
            invalid_field(steady.grant_consent(grant(vec![]))),
            "categories"
        );
        let unsigned = ConsentGrant {
            signature: "  ".into(),
            ..grant(vec![ConsentCategory::Cravings])
        };
        assert_eq!(invalid_field(steady.grant_consent(unsigned)), "signature");
        for one_name in ["Sam", " Sam  ", "S 1", "Sam ."] {
            let half_signed = ConsentGrant {
                signature: one_name.into(),
                ..grant(vec![ConsentCategory::Cravings])
            };
            assert_eq!(
                invalid_field(steady.grant_consent(half_signed)),
                "signature",
                "{one_name:?}"
            );
        }
        for expires in [now - 1, now, now + 6 * DEFAULT_DURATION_MS] {
            let g = ConsentGrant {
                expires_at_ms: Some(expires),
                ..grant(vec![ConsentCategory::Cravings])
            };
            assert_eq!(invalid_field(steady.grant_consent(g)), "expires_at");
        }
        let long = ConsentGrant {
            purpose: Some("x".repeat(MAX_PURPOSE_CHARS + 1)),
            ..grant(vec![ConsentCategory::Cravings])
        };
        assert_eq!(invalid_field(steady.grant_consent(long)), "purpose");
        assert!(steady.pending_outbox().unwrap().is_empty());
        assert!(steady
            .consent_status()
            .unwrap()
            .iter()
            .all(|s| s.state == ConsentState::NotGranted));
    }

    #[test]
    fn status_moves_from_active_to_revoked_and_a_new_grant_is_active_again() {
        let dir = tempfile::tempdir().unwrap();
        let (steady, clock) = open(&dir);
        enroll(&steady);
        let state = |s: &Steady| s.consent_status().unwrap()[2].state;
        steady
            .grant_consent(grant(vec![ConsentCategory::Cravings]))
            .unwrap();
        assert_eq!(state(&steady), ConsentState::Active);
        clock.advance(Duration::minutes(1));
        let revoked = steady
            .revoke_consent(vec![ConsentCategory::Cravings, ConsentCategory::Lapses])
            .unwrap();
        assert_eq!(revoked.len(), 1, "lapses was not shared: nothing to revoke");
        assert_eq!(state(&steady), ConsentState::Revoked);
        clock.advance(Duration::minutes(1));
        steady
            .grant_consent(grant(vec![ConsentCategory::Cravings]))
            .unwrap();
        assert_eq!(state(&steady), ConsentState::Active);
        clock.advance(Duration::days(366));
        assert_eq!(state(&steady), ConsentState::Expired);
    }

    fn outside(categories: Vec<ConsentCategory>) -> ConsentGrant {
        ConsentGrant {
            purpose: Some("care by my family doctor".into()),
            recipient: Some("  Lakeside   Health ".into()),
            recipient_address: Some("1 Main St,\n Springfield".into()),
            ..grant(categories)
        }
    }

    #[test]
    fn the_exported_consent_says_what_refusing_means_for_its_recipient() {
        use crate::export::fhir::{OUTSIDE_REFUSAL_STATEMENT, REFUSAL_STATEMENT};
        let dir = tempfile::tempdir().unwrap();
        let (steady, _clock) = open(&dir);
        enroll(&steady);
        steady
            .grant_consent(outside(vec![ConsentCategory::Cravings]))
            .unwrap();
        steady
            .grant_consent(grant(vec![ConsentCategory::Lapses]))
            .unwrap();
        let export = steady.export_record(crate::ExportFormat::Fhir).unwrap();
        let bundle: serde_json::Value = serde_json::from_str(&export.files[0].content).unwrap();
        let statements: Vec<(String, String)> = bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["resource"])
            .filter(|r| r["resourceType"] == "Consent")
            .map(|r| {
                let statement = r["extension"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|x| x["url"].as_str().unwrap().ends_with("refusal-statement"))
                    .unwrap()["valueString"]
                    .as_str()
                    .unwrap()
                    .to_string();
                (r.to_string(), statement)
            })
            .collect();
        assert_eq!(statements.len(), 2);
        for (resource, statement) in statements {
            if resource.contains("Lakeside Health") {
                assert_eq!(statement, OUTSIDE_REFUSAL_STATEMENT);
            } else {
                assert_eq!(statement, REFUSAL_STATEMENT);
            }
        }
    }

    #[test]
    fn a_consent_can_name_an_outside_recipient_the_clinic_discloses_to() {
        let dir = tempfile::tempdir().unwrap();
        let (steady, clock) = open(&dir);
        enroll(&steady);
        let granted = steady
            .grant_consent(outside(vec![
                ConsentCategory::Cravings,
                ConsentCategory::Attendance,
            ]))
            .unwrap();
        assert_eq!(granted.len(), 2);
        let c = &granted[0];
        assert_eq!(c.category, ConsentCategory::Attendance);
        assert_eq!(c.recipient, "Lakeside Health");
        assert_eq!(
            c.recipient_address.as_deref(),
            Some("1 Main St, Springfield")
        );
        assert_eq!(c.discloser, "Riverside IOP", "the clinic discloses");
        assert_eq!(c.signature, "Sam Rivera");
        assert_eq!(c.purpose, "care by my family doctor");
        assert_eq!(c.expires_at_ms - c.signed_at_ms, DEFAULT_DURATION_MS);
        assert_eq!(c.signed_at_ms, clock.now().timestamp_millis());
        let queued = steady.pending_outbox().unwrap();
        assert_eq!(queued.len(), 2);
        let wire: serde_json::Value = serde_json::from_str(&queued[0].payload).unwrap();
        assert_eq!(wire["recipient"], "Lakeside Health");
        assert_eq!(wire["recipient_address"], "1 Main St, Springfield");
        let listed = steady.outside_consents().unwrap();
        assert_eq!(listed.len(), 2);
        assert!(listed.iter().all(|o| o.state == ConsentState::Active));
        // A consent to the clinic goes without an address on the wire.
        steady
            .grant_consent(grant(vec![ConsentCategory::Lapses]))
            .unwrap();
        let wire: serde_json::Value =
            serde_json::from_str(&steady.pending_outbox().unwrap()[2].payload).unwrap();
        assert!(wire.get("recipient_address").is_none(), "{wire}");
        assert_eq!(steady.outside_consents().unwrap().len(), 2);
    }

    #[test]
    fn a_consent_for_an_outside_recipient_never_widens_what_the_clinic_receives() {
        let dir = tempfile::tempdir().unwrap();
        let (steady, clock) = open(&dir);
        enroll(&steady);
        steady
            .log_craving(NewCraving {
                intensity: 5,
                ..NewCraving::default()
            })
            .unwrap();
        steady
            .grant_consent(outside(vec![
                ConsentCategory::Cravings,
                ConsentCategory::Notes,
            ]))
            .unwrap();
        let now_ms = clock.now().timestamp_millis();
        let clinic_consents = steady.read(|conn| consented(conn, now_ms)).unwrap();
        assert!(clinic_consents.is_empty(), "{clinic_consents:?}");
        let cravings = &steady.consent_status().unwrap()[2];
        assert_eq!(cravings.category, ConsentCategory::Cravings);
        assert_eq!(cravings.state, ConsentState::NotGranted);
        assert!(cravings.consent.is_none());
        assert_eq!(cravings.held_records, 1, "the craving stays on the phone");
        // Revoking what the clinic receives leaves outside consents alone.
        let revoked = steady
            .revoke_consent(vec![ConsentCategory::Cravings])
            .unwrap();
        assert!(revoked.is_empty());
        assert!(steady
            .outside_consents()
            .unwrap()
            .iter()
            .all(|o| o.state == ConsentState::Active));
    }

    #[test]
    fn an_outside_consent_is_revoked_by_recipient_and_category() {
        let dir = tempfile::tempdir().unwrap();
        let (steady, clock) = open(&dir);
        enroll(&steady);
        steady
            .grant_consent(outside(vec![
                ConsentCategory::Cravings,
                ConsentCategory::Attendance,
            ]))
            .unwrap();
        steady
            .grant_consent(grant(vec![ConsentCategory::Cravings]))
            .unwrap();
        clock.advance(Duration::minutes(1));
        let other = steady
            .revoke_outside_consent("Hillside Clinic".into(), vec![ConsentCategory::Cravings])
            .unwrap();
        assert!(other.is_empty(), "no consent names that recipient");
        let before = steady.pending_outbox().unwrap().len();
        let revoked = steady
            .revoke_outside_consent(" lakeside HEALTH".into(), vec![ConsentCategory::Cravings])
            .unwrap();
        assert_eq!(revoked.len(), 1);
        assert_eq!(revoked[0].category, ConsentCategory::Cravings);
        assert_eq!(
            revoked[0].revoked_at_ms,
            Some(clock.now().timestamp_millis())
        );
        let queued = steady.pending_outbox().unwrap();
        assert_eq!(queued.len(), before + 1, "the revocation is queued");
        let wire: serde_json::Value =
            serde_json::from_str(&queued.last().unwrap().payload).unwrap();
        assert_eq!(wire["recipient_address"], "1 Main St, Springfield");
        assert!(wire["revoked_at_ms"].is_i64());
        let states: Vec<_> = steady
            .outside_consents()
            .unwrap()
            .into_iter()
            .map(|o| (o.consent.category, o.state))
            .collect();
        assert!(states.contains(&(ConsentCategory::Cravings, ConsentState::Revoked)));
        assert!(states.contains(&(ConsentCategory::Attendance, ConsentState::Active)));
        assert_eq!(
            steady.consent_status().unwrap()[2].state,
            ConsentState::Active,
            "the clinic's own consent stays"
        );
        clock.advance(Duration::days(366));
        assert!(steady
            .outside_consents()
            .unwrap()
            .iter()
            .any(|o| o.state == ConsentState::Expired));
    }

    #[test]
    fn a_bad_outside_grant_names_the_field_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (steady, _) = open(&dir);
        enroll(&steady);
        let cases = [
            (
                ConsentGrant {
                    recipient_address: None,
                    ..outside(vec![ConsentCategory::Cravings])
                },
                "recipient_address",
            ),
            (
                ConsentGrant {
                    recipient: None,
                    ..outside(vec![ConsentCategory::Cravings])
                },
                "recipient",
            ),
            (
                ConsentGrant {
                    recipient: Some(" \t ".into()),
                    ..outside(vec![ConsentCategory::Cravings])
                },
                "recipient",
            ),
            (
                ConsentGrant {
                    recipient_address: Some("".into()),
                    ..outside(vec![ConsentCategory::Cravings])
                },
                "recipient_address",
            ),
            (
                ConsentGrant {
                    recipient_address: Some("x".repeat(MAX_ADDRESS_CHARS + 1)),
                    ..outside(vec![ConsentCategory::Cravings])
                },
                "recipient_address",
            ),
            (
                ConsentGrant {
                    recipient: Some("Lakeside\u{7}Health".into()),
                    ..outside(vec![ConsentCategory::Cravings])
                },
                "recipient",
            ),
            (
                ConsentGrant {
                    purpose: None,
                    ..outside(vec![ConsentCategory::Cravings])
                },
                "purpose",
            ),
            (
                ConsentGrant {
                    recipient: Some("riverside iop".into()),
                    ..outside(vec![ConsentCategory::Cravings])
                },
                "recipient",
            ),
            (
                ConsentGrant {
                    signature: "Sam".into(),
                    ..outside(vec![ConsentCategory::Cravings])
                },
                "signature",
            ),
        ];
        for (bad, field) in cases {
            assert_eq!(
                invalid_field(steady.grant_consent(bad.clone())),
                field,
                "{bad:?}"
            );
        }
        assert_eq!(
            invalid_field(
                steady.revoke_outside_consent(" ".into(), vec![ConsentCategory::Cravings])
            ),
            "recipient"
        );
        assert_eq!(
            invalid_field(steady.revoke_outside_consent("Lakeside Health".into(), vec![])),
            "categories"
        );
        assert!(steady.pending_outbox().unwrap().is_empty());
        assert!(steady.outside_consents().unwrap().is_empty());
    }

    #[test]
    fn every_shareable_write_records_its_category() {
        let dir = tempfile::tempdir().unwrap();
        let (steady, _) = open(&dir);
        steady
            .log_craving(NewCraving {
                intensity: 4,
                ..NewCraving::default()
            })
            .unwrap();
        assert_eq!(steady.pending_outbox().unwrap()[0].category, "cravings");
        for (record_type, category) in [
            ("attendance", ConsentCategory::Attendance),
            ("dose", ConsentCategory::Medication),
            ("daily_checkin", ConsentCategory::Checkins),
            ("questionnaire_response", ConsentCategory::Checkins),
            ("lapse", ConsentCategory::Lapses),
            ("message", ConsentCategory::Messages),
            ("message_read", ConsentCategory::Messages),
        ] {
            assert_eq!(
                crate::vocabulary::of_record_type(record_type).unwrap(),
                category
            );
        }
        // Names no code writes are not shareable (free text is shared as
        // fields under `notes`, never as a record of its own).
        for unwritten in ["mystery", "checkin", "note", "session_attendance"] {
            assert!(crate::vocabulary::of_record_type(unwritten).is_err());
        }
    }

    #[test]
    fn category_names_parse_and_match_the_wire() {
        for c in ConsentCategory::ALL {
            assert_eq!(
                crate::vocabulary::parse_consent_category("c", c.as_str()).unwrap(),
                c
            );
        }
        assert!(matches!(
            crate::vocabulary::parse_consent_category("category", "everything"),
            Err(Error::Invalid { field, .. }) if field == "category"
        ));
    }
}
