//! Request extractors that fail with Steady's JSON error body instead of
//! axum's plain-text rejections: JSON bodies (strict, size-limited), query
//! strings, and the two kinds of bearer credentials.

use crate::app::AppState;
use crate::audit::Actor;
use crate::error::ApiError;
use crate::secrets;
use crate::store::Mode;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;
use steady_protocol::ErrorCode;

/// A JSON body parsed into `T` (request types deny unknown fields).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let limit = crate::net::options_of(&req).body_timeout;
        let read = tokio::time::timeout(limit, Bytes::from_request(req, state))
            .await
            .map_err(|_| {
                ApiError::invalid(
                    "body",
                    format!("not received within {} s; send faster", limit.as_secs()),
                )
                .with_status(StatusCode::REQUEST_TIMEOUT)
            })?;
        let bytes = read.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    ErrorCode::TooLarge,
                    format!(
                        "body: larger than {} bytes",
                        steady_protocol::MAX_BODY_BYTES
                    ),
                )
            } else {
                ApiError::invalid("body", rejection.body_text())
            }
        })?;
        let mut value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| ApiError::invalid("body", e))?;
        whole_numbers(&mut value);
        serde_json::from_value(value)
            .map(JsonBody)
            .map_err(|e| ApiError::invalid("body", e))
    }
}

/// JSON (and the OpenAPI document) call `7.0` an integer; serde's integer
/// fields refuse it. Numbers without a fraction that fit become integers.
fn whole_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64() {
                // Exactly representable and within i64: no rounding happens.
                if f.fract() == 0.0 && f.abs() < 9.0e15 {
                    *value = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(map) => map.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// Query parameters parsed into `T`.
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| QueryParams(q))
            .map_err(|rejection| ApiError::invalid("query", rejection.body_text()))
    }
}

fn bearer(parts: &Parts) -> Result<String, ApiError> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized("missing Authorization: Bearer token"))?;
    value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|token| token.trim().to_string())
        .filter(|token| !token.is_empty())
        .ok_or_else(|| ApiError::unauthorized("Authorization must be `Bearer <token>`"))
}

/// An enrolled, not revoked device.
pub struct DeviceAuth {
    pub device_id: String,
    pub patient_id: String,
}

impl DeviceAuth {
    pub fn actor(&self) -> Actor {
        Actor::Device(self.device_id.clone())
    }

    /// Refuses a request naming another device than the token's.
    pub fn check_device_id(&self, claimed: &str) -> Result<(), ApiError> {
        if claimed == self.device_id {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "device_id: is not the device this token belongs to",
            ))
        }
    }
}

impl FromRequestParts<AppState> for DeviceAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token_hash = secrets::hash(&bearer(parts)?);
        state
            .db
            .run(Mode::Read, move |tx| {
                let row = tx
                    .query_opt(
                        "SELECT id, patient_id, revoked_at_ms FROM devices WHERE token_hash = $1",
                        &[token_hash.into()],
                    )?
                    .ok_or_else(|| ApiError::unauthorized("unknown device token"))?;
                if row.opt_int(2)?.is_some() {
                    return Err(ApiError::new(
                        ErrorCode::DeviceRevoked,
                        "this device was revoked by the clinic; enroll again",
                    ));
                }
                Ok(DeviceAuth {
                    device_id: row.text(0)?,
                    patient_id: row.text(1)?,
                })
            })
            .await
    }
}

/// A signed-in staff member.
pub struct StaffAuth {
    pub staff_id: String,
    pub token_hash: String,
    /// The staff member's clinic: lists, new patients and the audit log of
    /// the JSON API are limited to it, as on the dashboard.
    pub clinic_id: String,
}

impl StaffAuth {
    pub fn actor(&self) -> Actor {
        Actor::Staff(self.staff_id.clone())
    }
}

impl FromRequestParts<AppState> for StaffAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token_hash = secrets::hash(&bearer(parts)?);
        let now = state.clock.now_ms();
        state
            .db
            .run(Mode::Read, move |tx| {
                let row = tx
                    .query_opt(
                        "SELECT ss.staff_id, s.clinic_id FROM staff_sessions ss
                         JOIN staff s ON s.id = ss.staff_id
                         WHERE ss.token_hash = $1 AND ss.ended_at_ms IS NULL
                           AND ss.expires_at_ms > $2",
                        &[token_hash.clone().into(), now.into()],
                    )?
                    .ok_or_else(|| ApiError::unauthorized("unknown or expired staff session"))?;
                Ok(StaffAuth {
                    staff_id: row.text(0)?,
                    clinic_id: row.text(1)?,
                    token_hash,
                })
            })
            .await
    }
}

/// Refuses a request whose decoded path or query holds a control character
/// (a NUL, an escape, a line break...): no identifier, cursor or filter the
/// API takes may contain one, and PostgreSQL's TEXT cannot even hold a NUL.
/// The answer names the query parameter, or the path, so a client knows what
/// to fix; nothing reaches a handler or the database.
pub async fn refuse_control_characters(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match control_character_in(request.uri()) {
        Some(field) => {
            ApiError::invalid(&field, "must not contain control characters").into_response()
        }
        None => next.run(request).await,
    }
}

/// The name of the first query parameter (or `path`) whose decoded text holds
/// a control character.
fn control_character_in(uri: &axum::http::Uri) -> Option<String> {
    let path = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy();
    if path.chars().any(char::is_control) {
        return Some("path".into());
    }
    let query = uri.query()?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, value)| key.chars().chain(value.chars()).any(char::is_control))
        .map(|(key, _)| {
            if key.chars().any(char::is_control) || key.is_empty() {
                "query".to_string()
            } else {
                key.into_owned()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::whole_numbers;

    fn normalised(body: &str) -> serde_json::Value {
        let mut value: serde_json::Value = serde_json::from_str(body).unwrap();
        whole_numbers(&mut value);
        value
    }

    #[test]
    fn whole_numbers_written_with_a_fraction_become_integers_exactly() {
        // Large enough that a fast float parse lands half a unit off.
        let value = normalised(r#"{"cursor": 3650340672372954.0, "pages": [7.0, 2.5]}"#);
        assert_eq!(value["cursor"].as_i64(), Some(3_650_340_672_372_954));
        assert_eq!(value["pages"][0].as_i64(), Some(7));
        assert_eq!(value["pages"][1].as_f64(), Some(2.5));
    }

    #[test]
    fn numbers_too_large_to_be_exact_stay_as_they_were() {
        let value = normalised(r#"{"cursor": 1.0e19}"#);
        assert!(value["cursor"].is_f64());
    }
}
