//! Consent to share with the clinic (42 CFR Part 2). The patient grants or
//! revokes each category on its own; each grant records who discloses, to
//! whom, what, why, until when, the right to revoke, the typed signature and
//! the date. The sync engine shares a record only while its category is
//! consented (see sync/push.rs); consent records themselves are synced so the
//! clinic knows the scope of what it holds.

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

/// What the patient signs to share some categories with the clinic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConsentGrant {
    pub categories: Vec<ConsentCategory>,
    /// Why the information is shared; a default purpose when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub purpose: Option<String>,
    /// When the consent ends (Unix ms); one year from now when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub expires_at_ms: Option<i64>,
    /// The patient's typed full name.
    pub signature: String,
}

/// A signed consent, as stored and as synced to the clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Consent {
    pub id: String,
    pub category: ConsentCategory,
    /// Who discloses: the patient, by the name they signed with.
    pub discloser: String,
    /// To whom: the clinic the phone is enrolled with.
    pub recipient: String,
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

/// Default purpose of a consent, when the patient does not write one.
pub const DEFAULT_PURPOSE: &str = "coordinating my treatment with my clinic";
/// Default consent length: one year, a common program-plus-aftercare span.
const DEFAULT_DURATION_MS: i64 = 365 * 24 * 60 * 60 * 1000;
/// Longest consent Steady records; the patient renews after that.
const MAX_DURATION_MS: i64 = 5 * DEFAULT_DURATION_MS;
const MAX_PURPOSE_CHARS: usize = 500;
const MAX_SIGNATURE_CHARS: usize = 200;

impl Steady {
    /// Grants consent for each category in `grant`. The phone must be enrolled
    /// (the clinic is the recipient). Records of these categories already
    /// saved and held back are shared at the next sync.
    pub fn grant_consent(&self, grant: ConsentGrant) -> Result<Vec<Consent>> {
        let now = self.now();
        let categories = categories("categories", &grant.categories)?;
        let purpose = match validate::note("purpose", grant.purpose)? {
            Some(p) if p.chars().count() > MAX_PURPOSE_CHARS => {
                return Err(Error::invalid(
                    "purpose",
                    format!("at most {MAX_PURPOSE_CHARS} characters"),
                ))
            }
            Some(p) => p,
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
            let mut granted = Vec::with_capacity(categories.len());
            for category in categories {
                let consent = Consent {
                    id: ids::new_id(),
                    category,
                    discloser: signature.clone(),
                    recipient: enrolled.clinic_name.clone(),
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
                    "INSERT INTO consent (id, category, discloser, recipient, purpose,
                        expires_at_ms, signature, signed_at_ms, time_zone)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        consent.id,
                        category.as_str(),
                        consent.discloser,
                        consent.recipient,
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

    /// Revokes every active consent of each category: from this moment no
    /// record of these categories is shared. Returns the consents revoked
    /// (none for a category that was not shared).
    pub fn revoke_consent(&self, categories_in: Vec<ConsentCategory>) -> Result<Vec<Consent>> {
        let now = self.now();
        let list = categories("categories", &categories_in)?;
        self.write(|tx| {
            let mut revoked = Vec::new();
            for category in list {
                for mut consent in active(tx, category, now.timestamp_millis())? {
                    consent.revoked_at_ms = Some(now.timestamp_millis());
                    tx.execute(
                        "UPDATE consent SET revoked_at_ms = ?2 WHERE id = ?1",
                        params![consent.id, consent.revoked_at_ms],
                    )?;
                    consent.queue(tx, now)?;
                    revoked.push(consent);
                }
            }
            Ok(revoked)
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

/// The categories consented now (granted, not revoked, not expired).
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
    signed_at_ms, time_zone, revoked_at_ms";

pub(crate) fn active(
    conn: &Connection,
    category: ConsentCategory,
    now_ms: i64,
) -> Result<Vec<Consent>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM consent
         WHERE category = ?1 AND revoked_at_ms IS NULL AND expires_at_ms > ?2
         ORDER BY signed_at_ms"
    ))?;
    let rows = stmt.query_map(params![category.as_str(), now_ms], consent_from_row)?;
    let rows: Vec<_> = rows.collect::<Result<_, _>>()?;
    rows.into_iter().collect()
}

fn status(conn: &Connection, category: ConsentCategory, now_ms: i64) -> Result<ConsentStatus> {
    let latest = conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM consent WHERE category = ?1
                 ORDER BY (revoked_at_ms IS NULL AND expires_at_ms > ?2) DESC,
                          signed_at_ms DESC, rowid DESC
                 LIMIT 1"
            ),
            params![category.as_str(), now_ms],
            consent_from_row,
        )
        .optional()?
        .transpose()?;
    let state = match &latest {
        None => ConsentState::NotGranted,
        Some(c) if c.revoked_at_ms.is_some() => ConsentState::Revoked,
        Some(c) if c.expires_at_ms <= now_ms => ConsentState::Expired,
        Some(_) => ConsentState::Active,
    };
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
