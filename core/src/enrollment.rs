//! The stored enrollment: the clinic this phone is enrolled with and its
//! device credentials, one row. The device token is a secret; it is kept only
//! in the encrypted database and never appears in a debug print, an error or a
//! record the shell sees. Consent, sync and the Clinic screen read it; the
//! sync engine (sync/enrollment.rs) writes it.

use crate::Result;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// The stored enrollment, token included; stays inside the core.
pub(crate) struct Enrollment {
    pub server_url: String,
    pub device_id: String,
    pub device_token: String,
    pub clinic_name: String,
    pub enrolled_at_ms: i64,
    pub pull_cursor: i64,
    pub last_sync_at_ms: Option<i64>,
}

impl std::fmt::Debug for Enrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrollment")
            .field("server_url", &self.server_url)
            .field("device_id", &self.device_id)
            .field("clinic_name", &self.clinic_name)
            .finish_non_exhaustive()
    }
}

/// What the shell may show about the enrollment (no token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EnrollmentInfo {
    pub server_url: String,
    pub device_id: String,
    pub clinic_name: String,
    pub enrolled_at_ms: i64,
    pub last_sync_at_ms: Option<i64>,
}

impl Enrollment {
    pub(crate) fn info(&self) -> EnrollmentInfo {
        EnrollmentInfo {
            server_url: self.server_url.clone(),
            device_id: self.device_id.clone(),
            clinic_name: self.clinic_name.clone(),
            enrolled_at_ms: self.enrolled_at_ms,
            last_sync_at_ms: self.last_sync_at_ms,
        }
    }
}

pub(crate) fn load(conn: &Connection) -> Result<Option<Enrollment>> {
    Ok(conn
        .query_row(
            "SELECT server_url, device_id, device_token, clinic_name, enrolled_at_ms,
                    pull_cursor, last_sync_at_ms
             FROM sync_enrollment WHERE id = 1",
            [],
            |row| {
                Ok(Enrollment {
                    server_url: row.get(0)?,
                    device_id: row.get(1)?,
                    device_token: row.get(2)?,
                    clinic_name: row.get(3)?,
                    enrolled_at_ms: row.get(4)?,
                    pull_cursor: row.get::<_, Option<i64>>(5)?.unwrap_or(0),
                    last_sync_at_ms: row.get(6)?,
                })
            },
        )
        .optional()?)
}

/// Stores a new enrollment in place of any earlier one; the pull cursor and
/// the last sync start again.
pub(crate) fn store(tx: &Connection, enrollment: &Enrollment) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_enrollment (id, server_url, device_id, device_token,
             clinic_name, enrolled_at_ms, pull_cursor)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, 0)
         ON CONFLICT (id) DO UPDATE SET server_url = ?1, device_id = ?2,
             device_token = ?3, clinic_name = ?4, enrolled_at_ms = ?5,
             pull_cursor = 0, last_sync_at_ms = NULL",
        params![
            enrollment.server_url,
            enrollment.device_id,
            enrollment.device_token,
            enrollment.clinic_name,
            enrollment.enrolled_at_ms
        ],
    )?;
    Ok(())
}
