//! The clinic's actions from the browser: acknowledge and resolve a safety
//! flag, record attendance and drug screens, release a screen to the
//! patient, enroll a patient (code and QR code), issue a new code, revoke a
//! device. Every form is checked for its CSRF token and origin, and reaches
//! only patients of the staff member's clinic. Each action is audited by the
//! function it calls.

use super::clinic_patient;
use super::page::{render, WebError, WebResult};
use super::session::{check_origin, WebStaff};
use crate::app::AppState;
use crate::enroll::{self, IssuedCode};
use crate::error::{ApiError, ApiResult};
use crate::store::Mode;
use crate::{clinic_attendance, drug_screens, flags, staff};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use std::collections::HashMap;
use steady_protocol::{ClinicAttendance, DrugScreen, ScreenResult};

/// Back to the patient's page with a short confirmation.
pub fn back_to(patient_id: &str, notice: &str) -> Response {
    let notice: String = notice
        .chars()
        .map(|c| if c == ' ' { '+' } else { c })
        .collect();
    Redirect::to(&format!("/dashboard/patients/{patient_id}?notice={notice}")).into_response()
}

/// Checks origin and CSRF token of a posted form.
pub fn checked(
    web: &WebStaff,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> WebResult<()> {
    check_origin(headers)?;
    web.check_csrf(form.get("csrf").map_or("", String::as_str))
}

fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map_or("", |v| v.trim())
}

/// Runs `f` in a write transaction after checking the patient is reachable.
async fn on_patient<T: Send + 'static>(
    state: &AppState,
    web: &WebStaff,
    patient_id: &str,
    f: impl FnOnce(&mut dyn crate::store::Tx, i64) -> ApiResult<T> + Send + 'static,
) -> WebResult<T> {
    let now = state.clock.now_ms();
    let clinic_id = web.clinic_id.clone();
    let patient_id = patient_id.to_string();
    Ok(state
        .db
        .run(Mode::Write, move |tx| {
            clinic_patient(tx, &clinic_id, &patient_id)?;
            f(tx, now)
        })
        .await?)
}

/// `POST …/flags/{flag_id}/acknowledge`
pub async fn acknowledge_flag(
    State(state): State<AppState>,
    web: WebStaff,
    headers: HeaderMap,
    Path((patient_id, flag_id)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    checked(&web, &headers, &form)?;
    let (actor, pid) = (web.actor(), patient_id.clone());
    on_patient(&state, &web, &patient_id, move |tx, now| {
        flags::acknowledge(tx, &actor, &pid, &flag_id, now)
    })
    .await?;
    Ok(back_to(&patient_id, "Flag acknowledged"))
}

/// `POST …/flags/{flag_id}/resolve`
pub async fn resolve_flag(
    State(state): State<AppState>,
    web: WebStaff,
    headers: HeaderMap,
    Path((patient_id, flag_id)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    checked(&web, &headers, &form)?;
    let (actor, pid) = (web.actor(), patient_id.clone());
    let assessment = field(&form, "assessment").to_string();
    let outcome = field(&form, "outcome").to_string();
    on_patient(&state, &web, &patient_id, move |tx, now| {
        flags::resolve(tx, &actor, &pid, &flag_id, &assessment, &outcome, now)
    })
    .await?;
    Ok(back_to(&patient_id, "Flag resolved"))
}

/// `POST …/attendance`
pub async fn record_attendance(
    State(state): State<AppState>,
    web: WebStaff,
    headers: HeaderMap,
    Path(patient_id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    checked(&web, &headers, &form)?;
    let occurrence_id = field(&form, "occurrence_id").to_string();
    let attendance = ClinicAttendance {
        series_id: occurrence_id
            .split_once('@')
            .map(|(s, _)| s.to_string())
            .unwrap_or_default(),
        occurrence_id,
        status: field(&form, "status").to_string(),
        recorded_by: web.name.clone(),
    };
    let (actor, pid) = (web.actor(), patient_id.clone());
    on_patient(&state, &web, &patient_id, move |tx, now| {
        clinic_attendance::record(tx, &actor, &pid, attendance, now)
    })
    .await?;
    Ok(back_to(&patient_id, "Attendance recorded"))
}

/// `POST …/drug-screens`: one row per substance of the form
/// (`result_<substance>`: not_tested, negative or positive;
/// `method_<substance>`; `expected_<substance>` when prescribed). A
/// substance also counts as expected when one of the patient's medication
/// plans is named after it.
pub async fn record_drug_screen(
    State(state): State<AppState>,
    web: WebStaff,
    headers: HeaderMap,
    Path(patient_id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    checked(&web, &headers, &form)?;
    let mut results = Vec::new();
    for substance in drug_screens::SUBSTANCES {
        let result = field(&form, &format!("result_{substance}"));
        if result.is_empty() || result == "not_tested" {
            continue;
        }
        results.push(ScreenResult {
            substance: substance.to_string(),
            result: result.to_string(),
            method: field(&form, &format!("method_{substance}")).to_string(),
            expected: !field(&form, &format!("expected_{substance}")).is_empty(),
        });
    }
    let mut screen = DrugScreen {
        collected_on: field(&form, "collected_on").to_string(),
        specimen: field(&form, "specimen").to_string(),
        panel: field(&form, "panel").to_string(),
        results,
    };
    let (actor, pid) = (web.actor(), patient_id.clone());
    on_patient(&state, &web, &patient_id, move |tx, now| {
        let plans = tx.query(
            "SELECT payload FROM clinic_records WHERE patient_id = $1 AND kind = 'medication_plan'",
            &[pid.clone().into()],
        )?;
        let mut prescribed = Vec::new();
        for row in plans {
            let plan: serde_json::Value = serde_json::from_str(&row.text(0)?).unwrap_or_default();
            if let Some(name) = plan["name"].as_str() {
                prescribed.push(name.to_lowercase());
            }
        }
        for r in &mut screen.results {
            if prescribed.iter().any(|name| name.contains(&r.substance)) {
                r.expected = true;
            }
        }
        drug_screens::record(tx, &actor, &pid, &screen, now)
    })
    .await?;
    Ok(back_to(&patient_id, "Drug screen recorded"))
}

/// `POST …/drug-screens/{screen_id}/release`
pub async fn release_drug_screen(
    State(state): State<AppState>,
    web: WebStaff,
    headers: HeaderMap,
    Path((patient_id, screen_id)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    checked(&web, &headers, &form)?;
    let (actor, pid) = (web.actor(), patient_id.clone());
    on_patient(&state, &web, &patient_id, move |tx, now| {
        drug_screens::release(tx, &actor, &pid, &screen_id, now)
    })
    .await?;
    Ok(back_to(&patient_id, "Released to the patient's app"))
}

/// `POST …/devices/{device_id}/revoke` (the staff API's revocation).
pub async fn revoke_device(
    State(state): State<AppState>,
    web: WebStaff,
    headers: HeaderMap,
    Path((patient_id, device_id)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    checked(&web, &headers, &form)?;
    on_patient(&state, &web, &patient_id, |_, _| Ok(())).await?;
    let _revoked = staff::revoke_device(
        State(state),
        web.auth(),
        Path((patient_id.clone(), device_id)),
    )
    .await?;
    Ok(back_to(&patient_id, "Device revoked"))
}

#[derive(Template)]
#[template(path = "enroll.html")]
struct EnrollPage {
    staff_name: String,
    csrf: String,
    error: String,
    patient_id: String,
    name: String,
    code: String,
    expires: String,
    server_url: String,
    qr_svg: String,
}

fn enroll_page(web: &WebStaff) -> EnrollPage {
    EnrollPage {
        staff_name: web.name.clone(),
        csrf: web.csrf.clone(),
        error: String::new(),
        patient_id: String::new(),
        name: String::new(),
        code: String::new(),
        expires: String::new(),
        server_url: String::new(),
        qr_svg: String::new(),
    }
}

/// `GET /dashboard/patients/new`
pub async fn new_patient_form(web: WebStaff) -> WebResult<Response> {
    render(&enroll_page(&web))
}

/// The address phones should use: this request's host, over https when
/// the proxy says so.
fn server_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    let scheme = if super::session::over_tls(headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// The QR code a phone scans to enroll: `steady://enroll?code=…&server=…`.
pub fn enrollment_qr(code: &str, server_url: &str) -> ApiResult<String> {
    let link = format!("steady://enroll?code={code}&server={server_url}");
    let qr = qrcode::QrCode::new(link.as_bytes()).map_err(|_| ApiError::internal())?;
    let svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .build();
    let start = svg.find("<svg").ok_or_else(ApiError::internal)?;
    Ok(svg[start..].replacen(
        "<svg",
        "<svg role=\"img\" aria-label=\"QR code of the enrollment code\"",
        1,
    ))
}

async fn show_code(
    web: &WebStaff,
    headers: &HeaderMap,
    name: String,
    issued: IssuedCode,
    zone: steady_core::Tz,
) -> WebResult<Response> {
    let url = server_url(headers);
    let mut page = enroll_page(web);
    page.qr_svg = enrollment_qr(&issued.code, &url)?;
    page.patient_id = issued.patient_id;
    page.name = name;
    page.code = issued.code;
    page.expires = super::page::local_time(issued.expires_at_ms, zone);
    page.server_url = url;
    let mut response = render(&page)?;
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

/// `POST /dashboard/patients/new`: adds a patient to the staff member's
/// clinic and shows a one-time enrollment code with its QR code.
pub async fn create_patient(
    State(state): State<AppState>,
    web: WebStaff,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    checked(&web, &headers, &form)?;
    let name = field(&form, "name").to_string();
    let now = state.clock.now_ms();
    let (actor, clinic_id) = (web.actor(), web.clinic_id.clone());
    let result = state
        .db
        .run(Mode::Write, move |tx| {
            let patient = staff::create_patient_tx(tx, &actor, &clinic_id, &name, now)?;
            let issued = enroll::issue_code(tx, &actor, &patient.patient_id, now)?;
            let zone = crate::office_hours::load(tx, &clinic_id)?.zone();
            Ok::<_, ApiError>((patient.name, issued, zone))
        })
        .await;
    match result {
        Ok((name, issued, zone)) => show_code(&web, &headers, name, issued, zone).await,
        Err(e) => {
            let mut page = enroll_page(&web);
            let error = WebError::from(e);
            page.error = error.message;
            let mut response = render(&page)?;
            *response.status_mut() = error.status;
            Ok(response)
        }
    }
}

/// `POST …/enrollment-code`: a new one-time code for an existing patient.
pub async fn issue_code(
    State(state): State<AppState>,
    web: WebStaff,
    headers: HeaderMap,
    Path(patient_id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    checked(&web, &headers, &form)?;
    let (actor, pid, clinic_id) = (web.actor(), patient_id.clone(), web.clinic_id.clone());
    let (name, issued, zone) = on_patient(&state, &web, &patient_id, move |tx, now| {
        let name = clinic_patient(tx, &clinic_id, &pid)?;
        let issued = enroll::issue_code(tx, &actor, &pid, now)?;
        let zone = crate::office_hours::load(tx, &clinic_id)?.zone();
        Ok((name, issued, zone))
    })
    .await?;
    show_code(&web, &headers, name, issued, zone).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_enrollment_qr_code_is_inline_svg_with_a_label() {
        let svg = enrollment_qr("ABCD-EFGH", "http://127.0.0.1:8686").unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-label="));
        assert!(!svg.contains("<?xml") && !svg.contains("style="));
    }
}
