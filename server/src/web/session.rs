//! Staff sessions in the browser: the staff session token of the JSON API,
//! carried in an HttpOnly, SameSite=Strict cookie, and the CSRF token every
//! form posts back. The CSRF token is derived from the session token (a
//! SHA-256 under its own label), so it needs no storage, works on every
//! instance, and cannot be computed from anything the database keeps.

use super::page::WebError;
use crate::app::AppState;
use crate::audit::Actor;
use crate::secrets;
use crate::store::Mode;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "steady_staff";
/// The cookie holding the sign-in form's CSRF token (before any session).
pub const SIGN_IN_COOKIE: &str = "steady_sign_in";

/// A signed-in staff member, from the session cookie.
#[derive(Debug, Clone)]
pub struct WebStaff {
    pub staff_id: String,
    pub name: String,
    pub email: String,
    pub clinic_id: String,
    pub token_hash: String,
    /// The token forms of this session must post back as `csrf`.
    pub csrf: String,
}

impl WebStaff {
    /// The same staff member as the JSON API's handlers take them.
    pub fn auth(&self) -> crate::extract::StaffAuth {
        crate::extract::StaffAuth {
            staff_id: self.staff_id.clone(),
            token_hash: self.token_hash.clone(),
            clinic_id: self.clinic_id.clone(),
        }
    }

    pub fn actor(&self) -> Actor {
        Actor::Staff(self.staff_id.clone())
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, posted: &str) -> Result<(), WebError> {
        if constant_time_eq(posted.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(csrf_refused())
        }
    }
}

pub fn csrf_refused() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "This form was not sent from this session (missing or wrong CSRF token). Reload the page and try again.",
    )
}

/// The CSRF token of a session token.
pub fn csrf_of(token: &str) -> String {
    secrets::hash(&format!("steady-dashboard-csrf:{token}"))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of cookie `name` in the request, if any.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

/// Whether the browser reached us over TLS (directly, or through the
/// clinic's TLS-terminating proxy, which says so in `X-Forwarded-Proto`).
pub fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, scoped to the
/// dashboard, Secure over TLS; `max_age` 0 deletes it.
pub fn set_cookie(name: &str, value: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// Refuses a cross-site post by its `Origin` header when the browser sends
/// one (a second line behind the CSRF token and SameSite=Strict).
pub fn check_origin(headers: &HeaderMap) -> Result<(), WebError> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin);
    if origin_host == host {
        Ok(())
    } else {
        Err(csrf_refused())
    }
}

/// Not signed in: back to the sign-in page.
pub struct SignInFirst;

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        Redirect::to("/dashboard/sign-in").into_response()
    }
}

impl FromRequestParts<AppState> for WebStaff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(SignInFirst.into_response());
        };
        let token_hash = secrets::hash(&token);
        let now = state.clock.now_ms();
        let lookup = token_hash.clone();
        let row = state
            .db
            .run(Mode::Read, move |tx| {
                tx.query_opt(
                    "SELECT s.id, s.name, s.email, s.clinic_id FROM staff_sessions ss
                     JOIN staff s ON s.id = ss.staff_id
                     WHERE ss.token_hash = $1 AND ss.ended_at_ms IS NULL AND ss.expires_at_ms > $2",
                    &[lookup.into(), now.into()],
                )
            })
            .await
            .map_err(|e| WebError::from(crate::error::ApiError::from(e)).into_response())?;
        let Some(row) = row else {
            return Err(SignInFirst.into_response());
        };
        let read = || -> Result<WebStaff, crate::store::DbError> {
            Ok(WebStaff {
                staff_id: row.text(0)?,
                name: row.text(1)?,
                email: row.text(2)?,
                clinic_id: row.text(3)?,
                token_hash,
                csrf: csrf_of(&token),
            })
        };
        read().map_err(|e| WebError::from(e).into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_token_depends_on_the_session_and_is_compared_whole() {
        assert_ne!(csrf_of("st_a"), csrf_of("st_b"));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn cookies_are_found_among_others_and_flagged_strict() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; steady_staff=st_x; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("st_x"));
        assert_eq!(cookie(&headers, "c"), None);
        let value = set_cookie(SESSION_COOKIE, "v", 60, true);
        let text = value.to_str().unwrap();
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Strict"));
        assert!(text.ends_with("; Secure"));
        assert!(!set_cookie(SESSION_COOKIE, "v", 60, false)
            .to_str()
            .unwrap()
            .contains("Secure"));
    }

    #[test]
    fn a_foreign_origin_is_refused_and_the_same_origin_passes() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8686"));
        assert!(check_origin(&headers).is_ok());
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8686"),
        );
        assert!(check_origin(&headers).is_ok());
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(check_origin(&headers).is_err());
    }
}
