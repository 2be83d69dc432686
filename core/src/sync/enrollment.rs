//! Enrollment: redeeming the clinic's one-time code for device credentials.
//! The device token is a secret; it is kept only in the encrypted database and
//! never appears in a debug print, an error or a record the shell sees.

use super::http::{self, HttpRequest, HttpResponse, Transport, TransportError};
use crate::{Error, Result, Steady};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use steady_protocol::{EnrollRequest, EnrollResponse, PATH_ENROLL, PROTOCOL_VERSION};

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

/// An enrollment request waiting for the clinic's answer (see
/// [`Steady::enrollment_request`]).
#[derive(Debug, Clone)]
pub struct PendingEnrollment {
    pub server_url: String,
    /// Send exactly this; it carries the one-time code (never logged: the
    /// request's debug form omits its body).
    pub request: HttpRequest,
}

const MAX_CODE_CHARS: usize = 32;
const MAX_URL_CHARS: usize = 2000;

impl Steady {
    /// Redeems the enrollment `code` at the clinic server `server_url`. On
    /// success the phone is enrolled; nothing is shared until the patient
    /// grants consent. Enrolling again (after the clinic revoked this device)
    /// replaces the old credentials and queues everything not yet
    /// acknowledged, and the current consents, for the new device.
    pub fn enroll(
        &self,
        code: &str,
        server_url: &str,
        device_name: Option<String>,
        transport: &dyn Transport,
    ) -> Result<EnrollmentInfo> {
        let pending = self.enrollment_request(code, server_url, device_name)?;
        let answer = transport.send(pending.request.clone());
        self.finish_enrollment(&pending, answer)
    }

    /// The first half of [`Steady::enroll`] without I/O: checks the input and
    /// builds the request the shell sends however it likes (async included).
    pub fn enrollment_request(
        &self,
        code: &str,
        server_url: &str,
        device_name: Option<String>,
    ) -> Result<PendingEnrollment> {
        let code = code.trim();
        if code.is_empty() || code.chars().count() > MAX_CODE_CHARS {
            return Err(Error::invalid("code", "enter the code the clinic gave you"));
        }
        let server_url = server_url.trim().trim_end_matches('/');
        let scheme_ok = server_url.starts_with("https://") || server_url.starts_with("http://");
        if !scheme_ok
            || server_url.len() > MAX_URL_CHARS
            || server_url.contains(char::is_whitespace)
        {
            return Err(Error::invalid(
                "server_url",
                "not an http:// or https:// address",
            ));
        }
        let request = http::post_json(
            server_url,
            PATH_ENROLL,
            None,
            &EnrollRequest {
                code: code.to_string(),
                device_name,
            },
        )?;
        Ok(PendingEnrollment {
            server_url: server_url.to_string(),
            request,
        })
    }

    /// The second half: stores the credentials the clinic answered with, or
    /// returns the typed error (a failed transport is `Unavailable`).
    pub fn finish_enrollment(
        &self,
        pending: &PendingEnrollment,
        answer: std::result::Result<HttpResponse, TransportError>,
    ) -> Result<EnrollmentInfo> {
        let server_url = pending.server_url.as_str();
        let answer: EnrollResponse = http::read_answer(answer)?;
        if answer.protocol_version != PROTOCOL_VERSION {
            return Err(Error::Protocol {
                detail: format!("server speaks protocol {}", answer.protocol_version),
            });
        }
        let now = self.now();
        let enrollment = Enrollment {
            server_url: server_url.to_string(),
            device_id: answer.device_id,
            device_token: answer.device_token,
            clinic_name: answer.clinic_name,
            enrolled_at_ms: now.timestamp_millis(),
            pull_cursor: 0,
            last_sync_at_ms: None,
        };
        self.write(|tx| {
            let again = load(tx)?.is_some();
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
            if again {
                super::push::requeue_for_new_device(tx, now)?;
                tx.execute("DELETE FROM clinic_record", [])?;
            }
            Ok(())
        })?;
        Ok(enrollment.info())
    }

    /// The enrollment, or `None` when the phone is not enrolled.
    pub fn enrollment(&self) -> Result<Option<EnrollmentInfo>> {
        self.read(|conn| Ok(load(conn)?.map(|e| e.info())))
    }
}

impl Enrollment {
    fn info(&self) -> EnrollmentInfo {
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
