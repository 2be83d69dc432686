//! The caseload triage page: every patient of the staff member's clinic in
//! one list, those needing attention first, each with why. Viewing it is
//! audited once per patient listed (it shows something about each).

use super::facts;
use super::page::{age, local_time, render, WebResult};
use super::session::WebStaff;
use super::triage;
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::error::ApiError;
use crate::store::Mode;
use crate::{flags, messages, office_hours};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

pub struct TriageRow {
    pub patient_id: String,
    pub name: String,
    pub reasons: Vec<(String, String)>,
    pub needs_attention: bool,
    pub has_new_flag: bool,
    pub last_sync: String,
}

#[derive(Template)]
#[template(path = "triage.html")]
struct TriagePage {
    staff_name: String,
    csrf: String,
    rows: Vec<TriageRow>,
    attention: usize,
    generated: String,
}

/// `GET /dashboard`
pub async fn triage(State(state): State<AppState>, web: WebStaff) -> WebResult<Response> {
    let now = state.clock.now_ms();
    let clinic_id = web.clinic_id.clone();
    let actor = web.actor();
    let (rows, zone) = state
        .db
        .run(Mode::Write, move |tx| {
            flags::sweep(tx, now)?;
            messages::sweep_out_of_hours(tx, now)?;
            let zone = office_hours::load(tx, &clinic_id)?.zone();
            let ids = tx.query(
                "SELECT id FROM patients WHERE clinic_id = $1 ORDER BY name, id",
                &[clinic_id.clone().into()],
            )?;
            let mut rows = Vec::new();
            for row in ids {
                let id = row.text(0)?;
                let facts = facts::load(tx, &id, now)?;
                let reasons = triage::reasons(&facts, now);
                audit::append(
                    tx,
                    now,
                    Entry {
                        actor: &actor,
                        action: "triage.read",
                        patient_id: Some(&id),
                        purpose: "treatment",
                        detail: format!("reasons={}", reasons.len()),
                    },
                )?;
                rows.push((facts, reasons));
            }
            triage::order(&mut rows);
            Ok::<_, ApiError>((rows, zone))
        })
        .await?;
    let rows: Vec<TriageRow> = rows
        .into_iter()
        .map(|(f, reasons)| TriageRow {
            has_new_flag: f.flags.iter().any(|fl| fl.status == "new"),
            needs_attention: reasons.iter().any(|r| r.weight >= 20),
            reasons: reasons
                .into_iter()
                .map(|r| (r.kind.to_string(), r.text))
                .collect(),
            last_sync: f
                .last_sync_ms
                .map_or("never".to_string(), |at| format!("{} ago", age(at, now))),
            patient_id: f.patient_id,
            name: f.name,
        })
        .collect();
    render(&TriagePage {
        staff_name: web.name,
        csrf: web.csrf,
        attention: rows.iter().filter(|r| r.needs_attention).count(),
        rows,
        generated: local_time(now, zone),
    })
}
