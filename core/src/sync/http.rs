//! The sans-IO boundary: the core builds [`HttpRequest`]s and reads
//! [`HttpResponse`]s; a [`Transport`] the shell provides sends them (Kotlin
//! over HttpURLConnection, Swift over URLSession, the CLI over a Rust client).
//! This file also turns HTTP failures into the core's typed errors, in one
//! place.

use crate::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use steady_protocol::{ErrorBody, ErrorCode};

/// How long a transport may wait for one exchange before giving up.
pub const REQUEST_TIMEOUT_MS: u32 = 30_000;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HttpHeader {
    pub name: String,
    pub value: String,
}

/// One request for the transport to send as it is.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: String,
    pub url: String,
    pub headers: Vec<HttpHeader>,
    pub body: Vec<u8>,
    /// Give up (with [`TransportError::Timeout`]) after this long.
    pub timeout_ms: u32,
}

/// Requests carry the device token: their debug form never shows headers or
/// bodies, so a stray log line cannot leak the token or health data.
impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("body_bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// What came back, whatever the status.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<HttpHeader>,
    pub body: Vec<u8>,
}

impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("body_bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// Why a transport got no response at all. Either way nothing is lost: the
/// engine sends the same mutations again next time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No answer within the request's `timeout_ms`.
    #[error("timed out: {reason}")]
    Timeout { reason: String },
    /// Could not connect, connection dropped, TLS failure...
    #[error("network failure: {reason}")]
    Network { reason: String },
}

/// Sends one request and returns the response, blocking. Shells call sync off
/// their main thread.
pub trait Transport: Send + Sync {
    fn send(&self, request: HttpRequest) -> std::result::Result<HttpResponse, TransportError>;
}

/// A JSON `POST` to `base_url` + `path`, with the device token when given.
pub(crate) fn post_json<T: Serialize>(
    base_url: &str,
    path: &str,
    token: Option<&str>,
    body: &T,
) -> Result<HttpRequest> {
    let body = serde_json::to_vec(body).map_err(|e| Error::Protocol {
        detail: format!("cannot encode request: {e}"),
    })?;
    let mut headers = vec![
        header("Content-Type", "application/json"),
        header("Accept", "application/json"),
    ];
    if let Some(token) = token {
        headers.push(header("Authorization", &format!("Bearer {token}")));
    }
    Ok(HttpRequest {
        method: "POST".to_string(),
        url: format!("{}{path}", base_url.trim_end_matches('/')),
        headers,
        body,
        timeout_ms: REQUEST_TIMEOUT_MS,
    })
}

fn header(name: &str, value: &str) -> HttpHeader {
    HttpHeader {
        name: name.to_string(),
        value: value.to_string(),
    }
}

/// Reads what the transport got for one request — a response, or why there
/// was none — as a successful JSON answer `T`, or the typed error.
pub(crate) fn read_answer<T: DeserializeOwned>(
    answer: std::result::Result<HttpResponse, TransportError>,
) -> Result<T> {
    let response = answer.map_err(|e| Error::Unavailable {
        detail: e.to_string(),
    })?;
    if (200..300).contains(&response.status) {
        return serde_json::from_slice(&response.body).map_err(|e| Error::Protocol {
            detail: format!("status {} with an unreadable body: {e}", response.status),
        });
    }
    Err(failure(&response))
}

/// Maps a non-2xx response to the error a shell acts on: retry later, enroll
/// again, or show the clinic's reason.
fn failure(response: &HttpResponse) -> Error {
    let body: Option<ErrorBody> = serde_json::from_slice(&response.body).ok();
    let reason = body
        .as_ref()
        .map(|b| b.error.reason.clone())
        .unwrap_or_else(|| format!("HTTP {}", response.status));
    let code = body.map(|b| b.error.code);
    match (response.status, code) {
        (403, Some(ErrorCode::DeviceRevoked)) => Error::DeviceRevoked,
        (429, _) | (500..=599, _) => Error::Unavailable {
            detail: format!("HTTP {}: {reason}", response.status),
        },
        (status, _) => Error::Refused { status, reason },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn server_errors_and_rate_limits_mean_try_again_later() {
        for status in [500, 502, 503, 429] {
            assert!(matches!(
                failure(&response(status, "")),
                Error::Unavailable { .. }
            ));
        }
    }

    #[test]
    fn a_revoked_device_is_told_apart_from_other_refusals() {
        let revoked = r#"{"error":{"code":"device_revoked","reason":"revoked"}}"#;
        assert!(matches!(
            failure(&response(403, revoked)),
            Error::DeviceRevoked
        ));
        let used = r#"{"error":{"code":"code_used","reason":"code expired"}}"#;
        match failure(&response(410, used)) {
            Error::Refused { status, reason } => {
                assert_eq!(status, 410);
                assert_eq!(reason, "code expired");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn request_debug_output_hides_the_token_and_body() {
        let request = post_json("https://c.example/", "/v1/x", Some("s3cret"), &1).unwrap();
        assert_eq!(request.url, "https://c.example/v1/x");
        let shown = format!("{request:?}");
        assert!(!shown.contains("s3cret"));
        assert!(shown.contains("body_bytes"));
    }
}
