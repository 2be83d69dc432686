//! The one error body every failing request gets:
//! `{"error": {"code": "...", "reason": "..."}}`.

use serde::{Deserialize, Serialize};

/// Machine-readable error codes. The HTTP status says who is at fault; the
/// code says what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not JSON, has wrong types or unknown fields, or a
    /// value is out of range. `reason` names the field.
    InvalidRequest,
    /// 401: no token, or a token the server does not know.
    Unauthorized,
    /// 403: the device was revoked by the clinic; enroll again.
    DeviceRevoked,
    /// 403: authenticated, but the thing asked for belongs to someone else.
    Forbidden,
    /// 404: no such route or record.
    NotFound,
    /// 409: the request conflicts with what is stored (e.g. email in use).
    Conflict,
    /// 410: the enrollment code expired or was already used.
    CodeUsed,
    /// 413: the body is larger than [`crate::MAX_BODY_BYTES`].
    TooLarge,
    /// 429: too many attempts; retry later.
    RateLimited,
    /// 500: the server failed; retry later, nothing was half-applied.
    Internal,
}

/// The `error` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// Human-readable, never contains health data.
    pub reason: String,
}

/// The whole error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, reason: impl Into<String>) -> Self {
        ErrorBody {
            error: ErrorDetail {
                code,
                reason: reason.into(),
            },
        }
    }
}
