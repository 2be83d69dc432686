//! Clinic isolation for the JSON staff API's per-patient routes
//! (`/v1/staff/patients/{patient_id}/…`): a staff session reaches only
//! patients of its own clinic; another clinic's patient is answered like a
//! missing one (404). The dashboard checks the same in its own queries
//! (web::clinic_patient). Requests without a valid staff session pass
//! through to the handler, which refuses them as before.

use crate::app::AppState;
use crate::error::ApiError;
use crate::secrets;
use crate::store::Mode;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const PREFIX: &str = "/v1/staff/patients/";

/// The patient id a staff route names, if any.
fn patient_of(path: &str) -> Option<&str> {
    let rest = path.strip_prefix(PREFIX)?;
    let id = rest.split('/').next()?;
    (!id.is_empty()).then_some(id)
}

pub async fn enforce(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(patient_id) = patient_of(request.uri().path()).map(str::to_string) else {
        return next.run(request).await;
    };
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| secrets::hash(t.trim()));
    let Some(token_hash) = token else {
        return next.run(request).await;
    };
    let now = state.clock.now_ms();
    let verdict = state
        .db
        .run(Mode::Read, move |tx| {
            let staff_clinic = tx
                .query_opt(
                    "SELECT s.clinic_id FROM staff_sessions ss JOIN staff s ON s.id = ss.staff_id
                     WHERE ss.token_hash = $1 AND ss.ended_at_ms IS NULL AND ss.expires_at_ms > $2",
                    &[token_hash.into(), now.into()],
                )?
                .map(|r| r.text(0))
                .transpose()?;
            let patient_clinic = tx
                .query_opt(
                    "SELECT clinic_id FROM patients WHERE id = $1",
                    &[patient_id.into()],
                )?
                .map(|r| r.text(0))
                .transpose()?;
            Ok::<_, ApiError>(match (staff_clinic, patient_clinic) {
                (Some(staff), Some(patient)) => staff == patient,
                _ => true,
            })
        })
        .await;
    match verdict {
        Ok(true) => next.run(request).await,
        Ok(false) => ApiError::not_found("patient").into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patient_routes_are_recognised() {
        assert_eq!(patient_of("/v1/staff/patients/p1"), Some("p1"));
        assert_eq!(patient_of("/v1/staff/patients/p1/records"), Some("p1"));
        assert_eq!(patient_of("/v1/staff/patients"), None);
        assert_eq!(patient_of("/v1/staff/patients/"), None);
        assert_eq!(patient_of("/v1/sync/push"), None);
    }
}
