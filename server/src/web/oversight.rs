//! Oversight pages: the audit log (who read or changed what, filterable by
//! patient and by staff member, read-only, limited to the staff member's
//! clinic) and the clinic's hours, on-call and escalation settings.

use super::actions::checked;
use super::page::{local_time, render, WebError, WebResult};
use super::session::WebStaff;
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::error::ApiError;
use crate::office_hours::{self, ClinicHours};
use crate::store::Mode;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
pub struct AuditFilter {
    #[serde(default)]
    patient_id: String,
    #[serde(default)]
    staff_id: String,
}

pub struct AuditRow {
    pub when: String,
    pub who: String,
    pub action: String,
    pub patient: String,
    pub purpose: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    staff_name: String,
    csrf: String,
    rows: Vec<AuditRow>,
    patients: Vec<(String, String)>,
    staff: Vec<(String, String)>,
    patient_id: String,
    staff_id: String,
}

/// `GET /dashboard/audit[?patient_id=&staff_id=]`
pub async fn audit(
    State(state): State<AppState>,
    web: WebStaff,
    Query(filter): Query<AuditFilter>,
) -> WebResult<Response> {
    let now = state.clock.now_ms();
    let (clinic_id, actor) = (web.clinic_id.clone(), web.actor());
    let (pid, sid) = (filter.patient_id.clone(), filter.staff_id.clone());
    let (rows, patients, staff, zone) = state
        .db
        .run(Mode::Write, move |tx| {
            let zone = office_hours::load(tx, &clinic_id)?.zone();
            let patients = tx
                .query(
                    "SELECT id, name FROM patients WHERE clinic_id = $1 ORDER BY name, id",
                    &[clinic_id.clone().into()],
                )?
                .iter()
                .map(|r| Ok((r.text(0)?, r.text(1)?)))
                .collect::<Result<Vec<_>, crate::store::DbError>>()?;
            let staff = tx
                .query(
                    "SELECT id, name FROM staff WHERE clinic_id = $1 ORDER BY name, id",
                    &[clinic_id.clone().into()],
                )?
                .iter()
                .map(|r| Ok((r.text(0)?, r.text(1)?)))
                .collect::<Result<Vec<_>, crate::store::DbError>>()?;
            let entries = tx.query(
                "SELECT a.at_ms, a.actor, a.action, a.patient_id, a.purpose, a.detail
                 FROM audit_log a LEFT JOIN patients p ON p.id = a.patient_id
                 WHERE (p.clinic_id = $1 OR (a.patient_id IS NULL AND a.actor IN
                        (SELECT 'staff:' || s.id FROM staff s WHERE s.clinic_id = $1)))
                   AND ($2 = '' OR a.patient_id = $2)
                   AND ($3 = '' OR a.actor = 'staff:' || $3)
                 ORDER BY a.at_ms DESC, a.id DESC LIMIT 300",
                &[clinic_id.into(), pid.clone().into(), sid.into()],
            )?;
            let mut rows = Vec::new();
            for r in entries {
                let who = r.text(1)?;
                let name = match who.strip_prefix("staff:") {
                    Some(id) => staff
                        .iter()
                        .find(|(s, _)| s == id)
                        .map_or(who.clone(), |(_, n)| n.clone()),
                    None if who.starts_with("device:") => "Patient's phone".to_string(),
                    None => "Server".to_string(),
                };
                let patient = r.opt_text(3)?.unwrap_or_default();
                rows.push(AuditRow {
                    when: local_time(r.int(0)?, zone),
                    who: name,
                    action: r.text(2)?,
                    patient: patients
                        .iter()
                        .find(|(id, _)| *id == patient)
                        .map_or(String::new(), |(_, n)| n.clone()),
                    purpose: r.text(4)?,
                    detail: r.text(5)?,
                });
            }
            audit::append(
                tx,
                now,
                Entry {
                    actor: &actor,
                    action: "audit.read",
                    patient_id: (!pid.is_empty()).then_some(pid.as_str()),
                    purpose: "oversight",
                    detail: format!("entries={}", rows.len()),
                },
            )?;
            Ok::<_, ApiError>((rows, patients, staff, zone))
        })
        .await?;
    let _ = zone;
    render(&AuditPage {
        staff_name: web.name,
        csrf: web.csrf,
        rows,
        patients,
        staff,
        patient_id: filter.patient_id,
        staff_id: filter.staff_id,
    })
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    staff_name: String,
    csrf: String,
    hours: ClinicHours,
    all_days: [&'static str; 7],
    error: String,
}

const ALL_DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `GET /dashboard/settings`
pub async fn settings_form(State(state): State<AppState>, web: WebStaff) -> WebResult<Response> {
    let clinic_id = web.clinic_id.clone();
    let hours = state
        .db
        .run(Mode::Read, move |tx| office_hours::load(tx, &clinic_id))
        .await?;
    render(&SettingsPage {
        staff_name: web.name,
        csrf: web.csrf,
        hours,
        all_days: ALL_DAYS,
        error: String::new(),
    })
}

/// `POST /dashboard/settings`
pub async fn save_settings(
    State(state): State<AppState>,
    web: WebStaff,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let map: HashMap<String, String> = form.iter().cloned().collect();
    checked(&web, &headers, &map)?;
    let text = |k: &str| map.get(k).map_or(String::new(), |v| v.trim().to_string());
    let number = |k: &str| text(k).parse::<i64>().unwrap_or(-1);
    let hours = ClinicHours {
        time_zone: text("time_zone"),
        days: form
            .iter()
            .filter(|(k, _)| k == "days")
            .map(|(_, v)| v.clone())
            .collect(),
        opens: text("opens"),
        closes: text("closes"),
        reply_hours: number("reply_hours"),
        on_call_email: text("on_call_email"),
        escalation_minutes: number("escalation_minutes"),
    };
    let (clinic_id, actor) = (web.clinic_id.clone(), web.actor());
    let now = state.clock.now_ms();
    let to_save = hours.clone();
    let result = state
        .db
        .run(Mode::Write, move |tx| {
            office_hours::save(tx, &clinic_id, &to_save)?;
            audit::append(
                tx,
                now,
                Entry {
                    actor: &actor,
                    action: "settings.write",
                    patient_id: None,
                    purpose: "operations",
                    detail: "clinic hours".into(),
                },
            )?;
            Ok::<_, ApiError>(())
        })
        .await;
    match result {
        Ok(()) => Ok(Redirect::to("/dashboard/settings").into_response()),
        Err(e) => {
            let e = WebError::from(e);
            let mut response = render(&SettingsPage {
                staff_name: web.name,
                csrf: web.csrf,
                hours,
                all_days: ALL_DAYS,
                error: e.message,
            })?;
            *response.status_mut() = e.status;
            Ok(response)
        }
    }
}
