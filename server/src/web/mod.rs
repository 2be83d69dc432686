//! The clinician dashboard: server-rendered HTML pages under `/dashboard`,
//! served by the same process as the sync and staff API (docs/dashboard.md).
//! Every page works without JavaScript; every form carries the session's
//! CSRF token; every view of patient data is audited with the staff member
//! and purpose; staff reach only their own clinic's patients.

mod actions;
mod caseload;
pub mod charts;
pub mod digest;
pub mod facts;
mod messages_page;
mod occurrences;
mod oversight;
pub mod page;
mod patient_page;
mod plan_forms;
pub mod session;
mod sign_in;
pub mod triage;

use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use crate::store::Tx;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;

/// The dashboard's routes (not part of the JSON API's OpenAPI document).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(caseload::triage))
        .route(
            "/dashboard/sign-in",
            get(sign_in::form).post(sign_in::submit),
        )
        .route("/dashboard/sign-out", post(sign_in::sign_out))
        .route("/dashboard/static/dashboard.css", get(stylesheet))
        .route(
            "/dashboard/patients/new",
            get(actions::new_patient_form).post(actions::create_patient),
        )
        .route("/dashboard/patients/{patient_id}", get(patient_page::show))
        .route(
            "/dashboard/patients/{patient_id}/flags/{flag_id}/acknowledge",
            post(actions::acknowledge_flag),
        )
        .route(
            "/dashboard/patients/{patient_id}/flags/{flag_id}/resolve",
            post(actions::resolve_flag),
        )
        .route(
            "/dashboard/patients/{patient_id}/attendance",
            post(actions::record_attendance),
        )
        .route(
            "/dashboard/patients/{patient_id}/drug-screens",
            post(actions::record_drug_screen),
        )
        .route(
            "/dashboard/patients/{patient_id}/drug-screens/{screen_id}/release",
            post(actions::release_drug_screen),
        )
        .route(
            "/dashboard/patients/{patient_id}/enrollment-code",
            post(actions::issue_code),
        )
        .route(
            "/dashboard/patients/{patient_id}/devices/{device_id}/revoke",
            post(actions::revoke_device),
        )
        .route(
            "/dashboard/patients/{patient_id}/messages",
            get(messages_page::show).post(messages_page::send),
        )
        .route(
            "/dashboard/patients/{patient_id}/plan/{kind}",
            post(plan_forms::add),
        )
        .route(
            "/dashboard/patients/{patient_id}/plan/{kind}/{record_id}/remove",
            post(plan_forms::remove),
        )
        .route("/dashboard/audit", get(oversight::audit))
        .route(
            "/dashboard/settings",
            get(oversight::settings_form).post(oversight::save_settings),
        )
        .layer(axum::middleware::map_response(page::security_headers))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../templates/dashboard.css"),
    )
}

/// Checks that the patient exists and belongs to the staff member's clinic;
/// another clinic's patient is answered exactly like a missing one.
pub fn clinic_patient(tx: &mut dyn Tx, clinic_id: &str, patient_id: &str) -> ApiResult<String> {
    tx.query_opt(
        "SELECT name FROM patients WHERE id = $1 AND clinic_id = $2",
        &[patient_id.into(), clinic_id.into()],
    )?
    .ok_or_else(|| ApiError::not_found("patient"))?
    .text(0)
    .map_err(Into::into)
}
