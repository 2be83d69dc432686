//! Clinic-authored records: staff set and change a patient's session series,
//! medication plans, weekly questionnaires and messages. Each write is a new
//! change in the patient's pull stream, numbered under the patient row's
//! lock so cursors commit in order on every backend and instance.

use crate::app::AppState;
use crate::audit::{self, Actor, Entry};
use crate::error::{ApiError, ApiResult};
use crate::extract::{JsonBody, QueryParams, StaffAuth};
use crate::staff::{self, ReadQuery};
use crate::store::{Mode, Tx};
use crate::{page, validate};
use axum::extract::{Path, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::AppendHeaders;
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use steady_protocol::{
    ChangeKind, ClinicAttendance, ClinicMessage, DrugScreen, MedicationPlan, Questionnaire,
    SessionSeries,
};

pub use crate::clinic_changes::write_change;

/// A clinic-authored record as it stands.
#[derive(Debug, Clone, Serialize)]
pub struct ClinicRecord {
    pub kind: ChangeKind,
    pub record_id: String,
    pub payload: Value,
    pub updated_at_ms: i64,
    /// The pull cursor of the change that wrote it (absent when listing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<i64>,
}

fn kind(name: &str) -> ApiResult<ChangeKind> {
    ChangeKind::parse(name).ok_or_else(|| {
        ApiError::invalid(
            "kind",
            "must be session_series, medication_plan, questionnaire, message, attendance or drug_screen",
        )
    })
}

fn typed<T: DeserializeOwned>(payload: Value) -> ApiResult<T> {
    serde_json::from_value(payload).map_err(|e| ApiError::invalid("body", e))
}

/// Checks a payload against its kind and returns it in canonical form.
pub fn validate_payload(kind: ChangeKind, payload: Value) -> ApiResult<Value> {
    let canonical = match kind {
        ChangeKind::SessionSeries => {
            let s: SessionSeries = typed(payload)?;
            validate::text("title", &s.title, 100)?;
            validate::time_zone("time_zone", &s.time_zone)?;
            let first = validate::date("first_date", &s.first_date)?;
            validate::time_of_day("start_time", &s.start_time)?;
            // Up to 14 days: a residential weekend is one session.
            if !(1..=20_160).contains(&s.duration_minutes) {
                return Err(ApiError::invalid("duration_minutes", "must be 1 to 20160"));
            }
            if s.weekdays.is_empty() && s.rules.is_empty() {
                return Err(ApiError::invalid("weekdays", "must name at least one day"));
            }
            if !(1..=52).contains(&s.interval_weeks) {
                return Err(ApiError::invalid("interval_weeks", "must be 1 to 52"));
            }
            if let Some(until) = &s.until_date {
                if validate::date("until_date", until)? < first {
                    return Err(ApiError::invalid("until_date", "is before first_date"));
                }
            }
            if s.count.is_some_and(|c| c == 0 || c > 1000) {
                return Err(ApiError::invalid("count", "must be 1 to 1000"));
            }
            validate::optional_text("location", s.location.as_deref(), 300)?;
            for date in &s.cancelled_dates {
                validate::date("cancelled_dates", date)?;
            }
            // What version 1 cannot say (calendar rules, extra dates,
            // changes) is checked by the phone's own rules.
            if !(s.rules.is_empty() && s.extra_starts.is_empty() && s.changes.is_empty()) {
                steady_core::schedule::series::check(steady_core::schedule::wire::from_wire(
                    "",
                    s.clone(),
                ))
                .map_err(|e| match e {
                    steady_core::Error::Invalid { field, reason } => {
                        ApiError::invalid(&field, reason)
                    }
                    _ => ApiError::internal(),
                })?;
            }
            serde_json::to_value(s)
        }
        ChangeKind::MedicationPlan => {
            let m: MedicationPlan = typed(payload)?;
            validate::text("name", &m.name, 100)?;
            validate::optional_text("dose", m.dose.as_deref(), 100)?;
            if m.times.is_empty() || m.times.len() > 12 {
                return Err(ApiError::invalid("times", "must hold 1 to 12 times"));
            }
            for time in &m.times {
                validate::time_of_day("times", time)?;
            }
            let start = validate::date("start_date", &m.start_date)?;
            if let Some(end) = &m.end_date {
                if validate::date("end_date", end)? < start {
                    return Err(ApiError::invalid("end_date", "is before start_date"));
                }
            }
            serde_json::to_value(m)
        }
        ChangeKind::Questionnaire => {
            let q: Questionnaire = typed(payload)?;
            validate::text("title", &q.title, 100)?;
            validate::time_of_day("time", &q.time)?;
            match (q.instrument.as_str(), &q.definition) {
                ("phq9" | "gad7", None) => {}
                ("phq9" | "gad7", Some(_)) => {
                    return Err(ApiError::invalid(
                        "definition",
                        "only custom instruments carry a definition",
                    ))
                }
                ("custom", Some(Value::Object(_))) => {}
                ("custom", _) => {
                    return Err(ApiError::invalid(
                        "definition",
                        "a custom instrument needs a FHIR Questionnaire object",
                    ))
                }
                _ => {
                    return Err(ApiError::invalid(
                        "instrument",
                        "must be phq9, gad7 or custom",
                    ))
                }
            }
            serde_json::to_value(q)
        }
        ChangeKind::Message => {
            let m: ClinicMessage = typed(payload)?;
            validate::text("from", &m.from, 100)?;
            validate::text("body", &m.body, 2000)?;
            serde_json::to_value(m)
        }
        ChangeKind::Attendance => {
            let a: ClinicAttendance = typed(payload)?;
            crate::clinic_attendance::validate(&a)?;
            serde_json::to_value(a)
        }
        ChangeKind::DrugScreen => {
            let d: DrugScreen = typed(payload)?;
            crate::drug_screens::validate(&d)?;
            serde_json::to_value(d)
        }
    };
    canonical.map_err(|_| ApiError::internal())
}

/// Writes `payload` as the record's new state and returns it as staff see it.
fn upsert(
    tx: &mut dyn Tx,
    actor: &Actor,
    patient_id: &str,
    kind: ChangeKind,
    record_id: String,
    payload: Value,
    now_ms: i64,
) -> ApiResult<ClinicRecord> {
    let cursor = write_change(
        tx,
        actor,
        patient_id,
        kind,
        &record_id,
        Some(&payload),
        now_ms,
    )?;
    Ok(ClinicRecord {
        kind,
        record_id,
        payload,
        updated_at_ms: now_ms,
        cursor: Some(cursor),
    })
}

/// Refuses a record id that is not this patient's record of this kind.
fn require_record(
    tx: &mut dyn Tx,
    patient_id: &str,
    kind: ChangeKind,
    record_id: &str,
) -> ApiResult<()> {
    let row = tx
        .query_opt(
            "SELECT patient_id, kind FROM clinic_records WHERE record_id = $1",
            &[record_id.into()],
        )?
        .ok_or_else(|| ApiError::not_found("clinic record"))?;
    if row.text(0)? != patient_id {
        return Err(ApiError::forbidden("record_id: belongs to another patient"));
    }
    if row.text(1)? != kind.as_str() {
        return Err(ApiError::not_found("clinic record of this kind"));
    }
    Ok(())
}

/// `POST /v1/staff/patients/{patient_id}/clinic-records/{kind}`
pub async fn create(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path((patient_id, kind_name)): Path<(String, String)>,
    JsonBody(payload): JsonBody<Value>,
) -> ApiResult<(StatusCode, Json<ClinicRecord>)> {
    let kind = kind(&kind_name)?;
    let payload = validate_payload(kind, payload)?;
    let now = state.clock.now_ms();
    let record_id = uuid::Uuid::new_v4().to_string();
    let record = state
        .db
        .run(Mode::Write, move |tx| {
            upsert(
                tx,
                &auth.actor(),
                &patient_id,
                kind,
                record_id,
                payload,
                now,
            )
        })
        .await?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// `PUT /v1/staff/patients/{patient_id}/clinic-records/{kind}/{record_id}`
pub async fn replace(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path((patient_id, kind_name, record_id)): Path<(String, String, String)>,
    JsonBody(payload): JsonBody<Value>,
) -> ApiResult<Json<ClinicRecord>> {
    let kind = kind(&kind_name)?;
    let record_id = validate::server_id("record_id", &record_id)?;
    let payload = validate_payload(kind, payload)?;
    let now = state.clock.now_ms();
    let record = state
        .db
        .run(Mode::Write, move |tx| {
            staff::require_patient(tx, &patient_id)?;
            require_record(tx, &patient_id, kind, &record_id)?;
            upsert(
                tx,
                &auth.actor(),
                &patient_id,
                kind,
                record_id,
                payload,
                now,
            )
        })
        .await?;
    Ok(Json(record))
}

/// `DELETE /v1/staff/patients/{patient_id}/clinic-records/{kind}/{record_id}`
pub async fn delete(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path((patient_id, kind_name, record_id)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let kind = kind(&kind_name)?;
    let record_id = validate::server_id("record_id", &record_id)?;
    let now = state.clock.now_ms();
    state
        .db
        .run(Mode::Write, move |tx| {
            staff::require_patient(tx, &patient_id)?;
            require_record(tx, &patient_id, kind, &record_id)?;
            write_change(tx, &auth.actor(), &patient_id, kind, &record_id, None, now)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/staff/patients/{patient_id}/clinic-records` — by kind, a page
/// at a time (`limit`, `after`; the next cursor in `Steady-Next-Cursor`).
pub async fn list(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(patient_id): Path<String>,
    QueryParams(query): QueryParams<ReadQuery>,
) -> ApiResult<(
    AppendHeaders<Vec<(HeaderName, HeaderValue)>>,
    Json<Vec<ClinicRecord>>,
)> {
    let purpose = query.purpose()?;
    if query.category.is_some() {
        return Err(ApiError::invalid(
            "category",
            "clinic records have kinds, not categories",
        ));
    }
    let limit = page::limit(query.limit)?;
    // kind:updated_at_ms:record_id
    let (after_kind, after_updated, after_id) = match query.after.as_deref() {
        Some(cursor) => {
            let mut parts = cursor.splitn(3, ':');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(kind), Some(ms), Some(id))
                    if ChangeKind::parse(kind).is_some() && !id.is_empty() =>
                {
                    (kind.to_string(), page::instant(ms)?, id.to_string())
                }
                _ => {
                    return Err(ApiError::invalid(
                        "after",
                        "is not a cursor from this server",
                    ))
                }
            }
        }
        None => (String::new(), i64::MIN, String::new()),
    };
    let now = state.clock.now_ms();
    let id = patient_id.clone();
    let (records, next) = state
        .db
        .run(Mode::Read, move |tx| {
            staff::require_patient(tx, &id)?;
            let rows = tx.query(
                "SELECT kind, record_id, payload, updated_at_ms FROM clinic_records
                 WHERE patient_id = $1 AND (kind > $2 OR (kind = $2 AND
                     (updated_at_ms > $3 OR (updated_at_ms = $3 AND record_id > $4))))
                 ORDER BY kind, updated_at_ms, record_id LIMIT $5",
                &[
                    id.clone().into(),
                    after_kind.into(),
                    after_updated.into(),
                    after_id.into(),
                    (i64::from(limit) + 1).into(),
                ],
            )?;
            let (rows, more) = page::split(rows, limit);
            let mut records = Vec::with_capacity(rows.len());
            for row in rows {
                records.push(ClinicRecord {
                    kind: ChangeKind::parse(&row.text(0)?).ok_or_else(ApiError::internal)?,
                    record_id: row.text(1)?,
                    payload: serde_json::from_str(&row.text(2)?)
                        .map_err(|_| ApiError::internal())?,
                    updated_at_ms: row.int(3)?,
                    cursor: None,
                });
            }
            let next = records
                .last()
                .filter(|_| more)
                .map(|r| format!("{}:{}:{}", r.kind.as_str(), r.updated_at_ms, r.record_id));
            Ok::<_, ApiError>((records, next))
        })
        .await?;
    let detail = format!("records={}", records.len());
    state
        .db
        .run(Mode::Write, move |tx| {
            audit::append(
                tx,
                now,
                Entry {
                    actor: &auth.actor(),
                    action: "clinic_records.read",
                    patient_id: Some(&patient_id),
                    purpose: &purpose,
                    detail,
                },
            )
        })
        .await?;
    Ok((AppendHeaders(page::header(next)), Json(records)))
}

/// Each clinic-authored kind's collection and item paths, in the order of
/// [`KINDS`]: one path per kind, so each has an exact body.
pub const CLINIC_RECORD_PATHS: [(&str, &str); 6] = [
    (
        "/v1/staff/patients/{patient_id}/clinic-records/session_series",
        "/v1/staff/patients/{patient_id}/clinic-records/session_series/{record_id}",
    ),
    (
        "/v1/staff/patients/{patient_id}/clinic-records/medication_plan",
        "/v1/staff/patients/{patient_id}/clinic-records/medication_plan/{record_id}",
    ),
    (
        "/v1/staff/patients/{patient_id}/clinic-records/questionnaire",
        "/v1/staff/patients/{patient_id}/clinic-records/questionnaire/{record_id}",
    ),
    (
        "/v1/staff/patients/{patient_id}/clinic-records/message",
        "/v1/staff/patients/{patient_id}/clinic-records/message/{record_id}",
    ),
    (
        "/v1/staff/patients/{patient_id}/clinic-records/attendance",
        "/v1/staff/patients/{patient_id}/clinic-records/attendance/{record_id}",
    ),
    (
        "/v1/staff/patients/{patient_id}/clinic-records/drug_screen",
        "/v1/staff/patients/{patient_id}/clinic-records/drug_screen/{record_id}",
    ),
];

/// The kinds, in the order of the `K` parameter of the per-kind routes: each
/// kind has its own paths, so the OpenAPI document can give each its exact
/// body (`POST …/clinic-records/session_series` takes a `SessionSeries`).
pub const KINDS: [ChangeKind; 6] = ChangeKind::ALL;

/// `POST /v1/staff/patients/{patient_id}/clinic-records/<kind K>`
pub async fn create_kind<const K: usize>(
    state: State<AppState>,
    auth: StaffAuth,
    Path(patient_id): Path<String>,
    body: JsonBody<Value>,
) -> ApiResult<(StatusCode, Json<ClinicRecord>)> {
    let kind = KINDS[K].as_str().to_string();
    create(state, auth, Path((patient_id, kind)), body).await
}

/// `PUT /v1/staff/patients/{patient_id}/clinic-records/<kind K>/{record_id}`
pub async fn replace_kind<const K: usize>(
    state: State<AppState>,
    auth: StaffAuth,
    Path((patient_id, record_id)): Path<(String, String)>,
    body: JsonBody<Value>,
) -> ApiResult<Json<ClinicRecord>> {
    let kind = KINDS[K].as_str().to_string();
    replace(state, auth, Path((patient_id, kind, record_id)), body).await
}

/// `DELETE /v1/staff/patients/{patient_id}/clinic-records/<kind K>/{record_id}`
pub async fn delete_kind<const K: usize>(
    state: State<AppState>,
    auth: StaffAuth,
    Path((patient_id, record_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let kind = KINDS[K].as_str().to_string();
    delete(state, auth, Path((patient_id, kind, record_id))).await
}
