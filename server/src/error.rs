//! Every failure a request can meet, and its one JSON shape:
//! `{"error": {"code", "reason"}}` with the HTTP status of its code.

use crate::store::DbError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use steady_protocol::{ErrorBody, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub reason: String,
    /// A status other than the code's usual one (`408` for a too-slow body,
    /// `405` for a method a route does not take).
    status: Option<StatusCode>,
    /// Seconds to send as `Retry-After` (limits that slow clients down).
    retry_after_s: Option<u64>,
}

impl ApiError {
    pub fn new(code: ErrorCode, reason: impl Into<String>) -> Self {
        ApiError {
            code,
            reason: reason.into(),
            status: None,
            retry_after_s: None,
        }
    }

    /// The same error answered with `status`.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }

    /// The same error telling the client when to try again.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_s = Some(seconds);
        self
    }

    /// Bad input; the reason names the field.
    pub fn invalid(field: &str, reason: impl std::fmt::Display) -> Self {
        ApiError::new(ErrorCode::InvalidRequest, format!("{field}: {reason}"))
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::new(ErrorCode::NotFound, format!("no such {what}"))
    }

    pub fn forbidden(reason: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::Forbidden, reason)
    }

    pub fn unauthorized(reason: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::Unauthorized, reason)
    }

    pub fn internal() -> Self {
        ApiError::new(
            ErrorCode::Internal,
            "the server failed; nothing was changed",
        )
    }

    pub fn status(&self) -> StatusCode {
        self.status.unwrap_or_else(|| status_of(self.code))
    }
}

pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::InvalidRequest => StatusCode::BAD_REQUEST,
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::DeviceRevoked | ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::CodeUsed => StatusCode::GONE,
        ErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unique => ApiError::new(ErrorCode::Conflict, "already exists"),
            DbError::NulInText => ApiError::new(
                ErrorCode::InvalidRequest,
                "a text value contains a NUL character",
            ),
            DbError::Other(detail) => {
                // Storage messages name tables and constraints, never values.
                eprintln!("steady-clinic: storage error: {detail}");
                ApiError::internal()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = self.retry_after_s;
        let mut response = (status, Json(ErrorBody::new(self.code, self.reason))).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
