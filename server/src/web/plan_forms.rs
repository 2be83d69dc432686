//! The patient's plan from the browser: add a session series, a medication
//! plan or a weekly questionnaire, and remove one. Each form is turned into
//! the protocol payload, checked by the same validation as the staff API
//! (`clinic_records::validate_payload`) and written as a clinic change the
//! phone pulls.

use super::actions::{back_to, checked};
use super::clinic_patient;
use super::page::WebResult;
use super::session::WebStaff;
use crate::app::AppState;
use crate::clinic_records;
use crate::error::ApiError;
use crate::store::Mode;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Form;
use serde_json::{json, Value};
use std::collections::HashMap;
use steady_protocol::ChangeKind;

fn text(form: &[(String, String)], name: &str) -> String {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or(String::new(), |(_, v)| v.trim().to_string())
}

fn optional(form: &[(String, String)], name: &str) -> Value {
    match text(form, name) {
        t if t.is_empty() => Value::Null,
        t => Value::String(t),
    }
}

/// The protocol payload a form describes.
pub fn payload(kind: ChangeKind, form: &[(String, String)]) -> Result<Value, ApiError> {
    let number = |name: &str| text(form, name).parse::<u32>().unwrap_or(0);
    Ok(match kind {
        ChangeKind::SessionSeries => json!({
            "kind": text(form, "session_kind"),
            "title": text(form, "title"),
            "time_zone": text(form, "time_zone"),
            "first_date": text(form, "first_date"),
            "start_time": text(form, "start_time"),
            "duration_minutes": number("duration_minutes"),
            "weekdays": form.iter().filter(|(k, _)| k == "weekdays").map(|(_, v)| v.clone()).collect::<Vec<_>>(),
            "location": optional(form, "location"),
        }),
        ChangeKind::MedicationPlan => json!({
            "name": text(form, "name"),
            "dose": optional(form, "dose"),
            "times": text(form, "times").split(',').map(str::trim).filter(|t| !t.is_empty()).collect::<Vec<_>>(),
            "start_date": text(form, "start_date"),
        }),
        ChangeKind::Questionnaire => {
            let instrument = text(form, "instrument");
            json!({
                "title": if instrument == "gad7" { "GAD-7" } else { "PHQ-9" },
                "instrument": instrument,
                "weekday": text(form, "weekday"),
                "time": text(form, "time"),
            })
        }
        _ => return Err(ApiError::invalid("kind", "not set from this form")),
    })
}

fn plan_kind(name: &str) -> Result<ChangeKind, ApiError> {
    match ChangeKind::parse(name) {
        Some(
            kind @ (ChangeKind::SessionSeries
            | ChangeKind::MedicationPlan
            | ChangeKind::Questionnaire),
        ) => Ok(kind),
        _ => Err(ApiError::not_found("plan kind")),
    }
}

/// `POST /dashboard/patients/{patient_id}/plan/{kind}`
pub async fn add(
    State(state): State<AppState>,
    web: WebStaff,
    headers: HeaderMap,
    Path((patient_id, kind)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let map: HashMap<String, String> = form.iter().cloned().collect();
    checked(&web, &headers, &map)?;
    let kind = plan_kind(&kind)?;
    let payload = clinic_records::validate_payload(kind, payload(kind, &form)?)?;
    let now = state.clock.now_ms();
    let (clinic_id, actor, pid) = (web.clinic_id.clone(), web.actor(), patient_id.clone());
    state
        .db
        .run(Mode::Write, move |tx| {
            clinic_patient(tx, &clinic_id, &pid)?;
            let id = uuid::Uuid::new_v4().to_string();
            clinic_records::write_change(tx, &actor, &pid, kind, &id, Some(&payload), now)
        })
        .await?;
    Ok(back_to(
        &patient_id,
        "Plan updated; the phone receives it at its next sync",
    ))
}

/// `POST /dashboard/patients/{patient_id}/plan/{kind}/{record_id}/remove`
pub async fn remove(
    State(state): State<AppState>,
    web: WebStaff,
    headers: HeaderMap,
    Path((patient_id, kind, record_id)): Path<(String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    checked(&web, &headers, &form)?;
    let kind = plan_kind(&kind)?;
    let now = state.clock.now_ms();
    let (clinic_id, actor, pid) = (web.clinic_id.clone(), web.actor(), patient_id.clone());
    state
        .db
        .run(Mode::Write, move |tx| {
            clinic_patient(tx, &clinic_id, &pid)?;
            let exists = tx
                .query_opt(
                    "SELECT 1 FROM clinic_records WHERE patient_id = $1 AND kind = $2
                     AND record_id = $3",
                    &[
                        pid.clone().into(),
                        kind.as_str().into(),
                        record_id.clone().into(),
                    ],
                )?
                .is_some();
            if !exists {
                return Err(ApiError::not_found("plan entry"));
            }
            clinic_records::write_change(tx, &actor, &pid, kind, &record_id, None, now)
        })
        .await?;
    Ok(back_to(&patient_id, "Removed from the plan"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn forms_become_payloads_the_staff_api_accepts() {
        let series = form(&[
            ("session_kind", "group"),
            ("title", "Evening group"),
            ("time_zone", "America/New_York"),
            ("first_date", "2027-01-04"),
            ("start_time", "18:00"),
            ("duration_minutes", "180"),
            ("weekdays", "mon"),
            ("weekdays", "wed"),
        ]);
        let p = payload(ChangeKind::SessionSeries, &series).unwrap();
        assert_eq!(p["weekdays"], json!(["mon", "wed"]));
        assert!(clinic_records::validate_payload(ChangeKind::SessionSeries, p).is_ok());
        let plan = form(&[
            ("name", "Buprenorphine"),
            ("dose", "8 mg"),
            ("times", "08:00, 20:00"),
            ("start_date", "2027-01-04"),
        ]);
        let p = payload(ChangeKind::MedicationPlan, &plan).unwrap();
        assert_eq!(p["times"], json!(["08:00", "20:00"]));
        assert!(clinic_records::validate_payload(ChangeKind::MedicationPlan, p).is_ok());
        let q = form(&[
            ("instrument", "gad7"),
            ("weekday", "mon"),
            ("time", "09:00"),
        ]);
        let p = payload(ChangeKind::Questionnaire, &q).unwrap();
        assert_eq!(p["title"], "GAD-7");
        assert!(clinic_records::validate_payload(ChangeKind::Questionnaire, p).is_ok());
        let bad = form(&[
            ("instrument", "phq9"),
            ("weekday", "someday"),
            ("time", "09:00"),
        ]);
        let e = clinic_records::validate_payload(
            ChangeKind::Questionnaire,
            payload(ChangeKind::Questionnaire, &bad).unwrap(),
        );
        assert!(e.is_err());
    }
}
