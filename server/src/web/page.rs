//! What every dashboard answer shares: rendering a template into a page,
//! the error page, the security headers (a strict Content-Security-Policy
//! without inline script, no framing, no caching of patient data), and
//! showing instants in the clinic's time zone.

use crate::error::ApiError;
use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use steady_protocol::ErrorCode;

pub use crate::clock::{local_date, local_time};

/// The policy every dashboard page is served with: nothing inline but
/// styles carried as SVG presentation attributes; no script at all.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Renders `template` as a 200 page.
pub fn render(template: &impl Template) -> Result<Response, WebError> {
    template
        .render()
        .map(|html| Html(html).into_response())
        .map_err(|e| {
            eprintln!("steady-clinic: dashboard template failed: {e}");
            WebError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page failed to render.",
            )
        })
}

/// A failure shown as a page; its message never holds health data.
#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub message: String,
}

impl WebError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        WebError {
            status,
            message: message.into(),
        }
    }
}

impl From<ApiError> for WebError {
    fn from(e: ApiError) -> Self {
        let status = e.status();
        let message = match e.code {
            ErrorCode::Internal => "The server failed; nothing was changed.".to_string(),
            _ => e.reason,
        };
        WebError { status, message }
    }
}

impl From<crate::store::DbError> for WebError {
    fn from(e: crate::store::DbError) -> Self {
        ApiError::from(e).into()
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let title = self.status.canonical_reason().unwrap_or("Error");
        let body = ErrorPage {
            title,
            message: &self.message,
        }
        .render()
        .unwrap_or_else(|_| self.message.clone());
        (self.status, Html(body)).into_response()
    }
}

pub type WebResult<T> = Result<T, WebError>;

/// Adds the dashboard's security headers to every answer under /dashboard.
pub async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let pairs: [(header::HeaderName, &'static str); 6] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // `same-origin`, not `no-referrer`: with no referrer Chrome sends
        // `Origin: null` on form posts, which the origin check must refuse.
        (header::REFERRER_POLICY, "same-origin"),
        (header::CACHE_CONTROL, "no-store"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ];
    for (name, value) in pairs {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// "3 h", "2 d": how long ago, coarse.
pub fn age(ms: i64, now_ms: i64) -> String {
    let minutes = (now_ms - ms).max(0) / 60_000;
    match minutes {
        m if m < 60 => format!("{m} min"),
        m if m < 48 * 60 => format!("{} h", m / 60),
        m => format!("{} d", m / (24 * 60)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_show_in_the_clinic_zone() {
        // 2027-01-04T12:00:00Z is 07:00 in New York.
        let t = 1_799_064_000_000;
        assert_eq!(
            local_time(t, steady_core::Tz::named("America/New_York").unwrap()),
            "2027-01-04 07:00"
        );
        assert_eq!(local_date(t, steady_core::Tz::UTC), "2027-01-04");
        assert_eq!(age(t - 5 * 60_000, t), "5 min");
        assert_eq!(age(t - 3 * 3_600_000, t), "3 h");
        assert_eq!(age(t - 3 * 86_400_000, t), "3 d");
    }
}
