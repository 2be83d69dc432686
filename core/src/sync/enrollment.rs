//! Enrollment: redeeming the clinic's one-time code for device credentials.
//! The device token is a secret; it is kept only in the encrypted database and
//! never appears in a debug print, an error or a record the shell sees.

use super::http::{self, HttpRequest, HttpResponse, Transport, TransportError};
use crate::enrollment::{self as stored, Enrollment};
use crate::{Error, Result, Steady};

pub(crate) use crate::enrollment::load;
pub use crate::enrollment::EnrollmentInfo;
use steady_protocol::{EnrollRequest, EnrollResponse, PATH_ENROLL, PROTOCOL_VERSION};

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
            stored::store(tx, &enrollment)?;
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
