//! The message thread with one patient and the compose form. The compose
//! form says, every time, that messaging is not an emergency channel (with
//! the crisis lines), the reply time the clinic promises, and that messages
//! out of hours get an automatic reply. Read state is what the phone
//! reported at its last sync.

use super::actions::checked;
use super::clinic_patient;
use super::page::{age, local_time, render, WebResult};
use super::session::WebStaff;
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::error::ApiError;
use crate::messages::{self, NOT_FOR_EMERGENCIES};
use crate::office_hours;
use crate::store::Mode;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use std::collections::HashMap;

pub struct MessageView {
    pub from: String,
    pub body: String,
    pub when: String,
    pub mine: bool,
    pub read: String,
}

#[derive(Template)]
#[template(path = "messages.html")]
struct MessagesPage {
    staff_name: String,
    csrf: String,
    patient_id: String,
    name: String,
    messages: Vec<MessageView>,
    not_for_emergencies: &'static str,
    reply_hours: i64,
    hours: String,
    open_now: bool,
    last_sync: String,
}

/// `GET /dashboard/patients/{patient_id}/messages`
pub async fn show(
    State(state): State<AppState>,
    web: WebStaff,
    Path(patient_id): Path<String>,
) -> WebResult<Response> {
    let now = state.clock.now_ms();
    let (clinic_id, actor) = (web.clinic_id.clone(), web.actor());
    let pid = patient_id.clone();
    let (name, thread, hours, last_sync) = state
        .db
        .run(Mode::Write, move |tx| {
            let name = clinic_patient(tx, &clinic_id, &pid)?;
            messages::sweep_out_of_hours(tx, now)?;
            let thread = messages::thread(tx, &pid)?;
            let hours = office_hours::load(tx, &clinic_id)?;
            let last_sync = tx
                .query_opt(
                    "SELECT MAX(last_seen_ms) FROM devices WHERE patient_id = $1",
                    &[pid.clone().into()],
                )?
                .and_then(|r| r.opt_int(0).ok().flatten());
            audit::append(
                tx,
                now,
                Entry {
                    actor: &actor,
                    action: "messages.read",
                    patient_id: Some(&pid),
                    purpose: "treatment",
                    detail: format!("messages={}", thread.len()),
                },
            )?;
            Ok::<_, ApiError>((name, thread, hours, last_sync))
        })
        .await?;
    let zone = hours.zone();
    render(&MessagesPage {
        staff_name: web.name,
        csrf: web.csrf,
        patient_id,
        name,
        messages: thread
            .into_iter()
            .map(|m| MessageView {
                mine: m.direction == "clinic",
                read: match (m.direction, m.read_at_ms) {
                    ("clinic", Some(at)) => format!("Read {}", local_time(at, zone)),
                    ("clinic", None) => "Not read as of the last sync".to_string(),
                    _ => String::new(),
                },
                from: m.from,
                body: m.body,
                when: local_time(m.at_ms, zone),
            })
            .collect(),
        not_for_emergencies: NOT_FOR_EMERGENCIES,
        reply_hours: hours.reply_hours,
        open_now: hours.is_open(now),
        hours: format!(
            "{} {}–{} ({})",
            hours.days.join(", "),
            hours.opens,
            hours.closes,
            hours.time_zone
        ),
        last_sync: last_sync.map_or("never".into(), |at| format!("{} ago", age(at, now))),
    })
}

/// `POST /dashboard/patients/{patient_id}/messages`
pub async fn send(
    State(state): State<AppState>,
    web: WebStaff,
    headers: HeaderMap,
    Path(patient_id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    checked(&web, &headers, &form)?;
    let now = state.clock.now_ms();
    let (clinic_id, actor, from) = (web.clinic_id.clone(), web.actor(), web.name.clone());
    let body = form.get("body").cloned().unwrap_or_default();
    let pid = patient_id.clone();
    state
        .db
        .run(Mode::Write, move |tx| {
            clinic_patient(tx, &clinic_id, &pid)?;
            messages::send(tx, &actor, &pid, &from, &body, now)
        })
        .await?;
    Ok(Redirect::to(&format!("/dashboard/patients/{patient_id}/messages")).into_response())
}
