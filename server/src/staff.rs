//! Staff accounts and sessions, patients and their devices, and reading the
//! audit log. Staff sign in with a password (argon2) and get a session
//! token; every handler here that touches patient data writes an audit row.

use crate::app::AppState;
use crate::audit::{self, Actor, AuditEntry, Entry};
use crate::consent::{self, ConsentScope};
use crate::error::{ApiError, ApiResult};
use crate::extract::{JsonBody, QueryParams, StaffAuth};
use crate::net::ClientAddr;
use crate::rate_limit::{self, SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS};
use crate::store::{DbError, Mode, Tx};
use crate::{page, secrets, validate};
use axum::extract::{Path, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::AppendHeaders;
use axum::Json;
use serde::{Deserialize, Serialize};
use steady_protocol::ErrorCode;

/// How long a staff session lasts.
pub const SESSION_TTL_MS: i64 = 12 * 60 * 60 * 1000;
/// The purpose recorded for a staff read that names none.
pub const DEFAULT_PURPOSE: &str = "treatment";

/// Query of staff reads: why the data is read (recorded in the audit log).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadQuery {
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    /// Page size of a paged list ([`crate::page`]).
    #[serde(default)]
    pub limit: Option<u32>,
    /// Cursor of the page to read, from the previous page.
    #[serde(default)]
    pub after: Option<String>,
}

impl ReadQuery {
    pub fn purpose(&self) -> ApiResult<String> {
        match &self.purpose {
            Some(p) => validate::text("purpose", p, 200),
            None => Ok(DEFAULT_PURPOSE.to_string()),
        }
    }
}

/// Creates a staff account (admin CLI).
pub fn add_staff(
    tx: &mut dyn Tx,
    email: &str,
    name: &str,
    password_hash: &str,
    now_ms: i64,
) -> ApiResult<String> {
    let email = normalize_email(email)?;
    let name = validate::text("name", name, 100)?;
    let id = uuid::Uuid::new_v4().to_string();
    tx.exec(
        "INSERT INTO staff (id, email, name, password_hash, created_at_ms) VALUES ($1, $2, $3, $4, $5)",
        &[id.clone().into(), email.into(), name.into(), password_hash.into(), now_ms.into()],
    )
    .map_err(|e| match e {
        DbError::Unique => ApiError::new(ErrorCode::Conflict, "email: a staff member already uses it"),
        other => other.into(),
    })?;
    Ok(id)
}

pub fn normalize_email(email: &str) -> ApiResult<String> {
    let email = validate::text("email", email, 254)?.to_lowercase();
    let valid = email
        .split_once('@')
        .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'))
        && !email.contains(char::is_whitespace);
    if valid {
        Ok(email)
    } else {
        Err(ApiError::invalid("email", "is not an email address"))
    }
}

/// Checks that a patient exists (404 otherwise).
pub fn require_patient(tx: &mut dyn Tx, patient_id: &str) -> ApiResult<()> {
    let known = tx
        .query_opt(
            "SELECT id FROM patients WHERE id = $1",
            &[patient_id.into()],
        )?
        .is_some();
    if known {
        Ok(())
    } else {
        Err(ApiError::not_found("patient"))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize)]
pub struct Session {
    pub token: String,
    pub staff_id: String,
    pub expires_at_ms: i64,
}

/// How long an address an account signed in from stays exempt from the
/// account-wide limit.
pub const KNOWN_ADDRESS_MS: i64 = 90 * 24 * 60 * 60 * 1000;

/// Checks a staff member's email and password with every limit applied, and
/// returns the staff id. The JSON sign-in and any other sign-in page share it
/// so the limits cannot be bypassed by choosing the door:
///
/// - the attempt is counted before the password is checked (racing requests
///   cannot slip under a limit), per account and client address
///   ([`rate_limit::SIGN_IN_PER_ADDRESS`]) and per account
///   ([`rate_limit::SIGN_IN_PER_ACCOUNT`]);
/// - the account-wide limit never applies to an address the account signed
///   in from in the last 90 days, so strangers cannot lock a clinician out;
/// - at most [`secrets::MAX_CONCURRENT_PASSWORD_CHECKS`] argon2 checks run at
///   once, process-wide;
/// - an unknown email is checked against a dummy hash: it costs the same.
pub async fn authenticate(
    state: &AppState,
    client: ClientAddr,
    email: &str,
    password: &str,
) -> ApiResult<String> {
    let email = normalize_email(email)?;
    let now = state.clock.now_ms();
    let address = client.0.to_string();
    let address_bucket = format!("sign_in:{email}:{address}");
    let account_bucket = format!("sign_in:{email}");
    let refund_bucket = account_bucket.clone();
    let bucket = address_bucket.clone();
    let (refusal, account) = state
        .db
        .run(Mode::Write, move |tx| -> Result<_, DbError> {
            let account = tx
                .query_opt(
                    "SELECT id, password_hash FROM staff WHERE email = $1",
                    &[email.clone().into()],
                )?
                .map(|row| Ok::<_, DbError>((row.text(0)?, row.text(1)?)))
                .transpose()?;
            // Asked for unknown emails too (with no id), so both cost alike.
            let id = account.as_ref().map_or(String::new(), |(id, _)| id.clone());
            let known = tx
                .query_opt(
                    "SELECT 1 FROM staff_known_addresses
                     WHERE staff_id = $1 AND address = $2 AND last_ok_ms > $3",
                    &[
                        id.into(),
                        address.clone().into(),
                        (now - KNOWN_ADDRESS_MS).into(),
                    ],
                )?
                .is_some();
            let (from_here, wait_here) =
                rate_limit::reserve(tx, &bucket, &SIGN_IN_PER_ADDRESS, now)?;
            let (overall, wait_overall) =
                rate_limit::reserve(tx, &account_bucket, &SIGN_IN_PER_ACCOUNT, now)?;
            let refusal = if from_here > SIGN_IN_PER_ADDRESS.attempts {
                Some(wait_here)
            } else if overall > SIGN_IN_PER_ACCOUNT.attempts && !known {
                Some(wait_overall)
            } else {
                None
            };
            Ok((refusal, account))
        })
        .await?;
    if let Some(wait_ms) = refusal {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            "too many sign-in attempts for this account; try again later",
        )
        .retry_after(rate_limit::retry_seconds(wait_ms)));
    }
    let (staff_id, stored) = match account {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    let matches = secrets::check_password(password.to_string(), stored).await?;
    let Some(staff_id) = staff_id.filter(|_| matches) else {
        return Err(ApiError::unauthorized("wrong email or password"));
    };
    let id = staff_id.clone();
    let address = client.0.to_string();
    state
        .db
        .run(Mode::Write, move |tx| -> Result<(), DbError> {
            rate_limit::clear(tx, &address_bucket)?;
            rate_limit::refund(tx, &refund_bucket)?;
            tx.exec(
                "INSERT INTO staff_known_addresses (staff_id, address, last_ok_ms)
                 VALUES ($1, $2, $3)
                 ON CONFLICT (staff_id, address) DO UPDATE SET last_ok_ms = excluded.last_ok_ms",
                &[id.into(), address.into(), now.into()],
            )?;
            Ok(())
        })
        .await?;
    Ok(staff_id)
}

/// `POST /v1/staff/sessions`
pub async fn sign_in(
    State(state): State<AppState>,
    client: ClientAddr,
    JsonBody(request): JsonBody<SignIn>,
) -> ApiResult<(StatusCode, Json<Session>)> {
    let staff_id = authenticate(&state, client, &request.email, &request.password).await?;
    let now = state.clock.now_ms();
    let token = secrets::new_token("st")?;
    let session = Session {
        token: token.clone(),
        staff_id: staff_id.clone(),
        expires_at_ms: now + SESSION_TTL_MS,
    };
    state
        .db
        .run(Mode::Write, move |tx| -> Result<(), DbError> {
            tx.exec(
                "INSERT INTO staff_sessions (token_hash, staff_id, created_at_ms, expires_at_ms)
                 VALUES ($1, $2, $3, $4)",
                &[
                    secrets::hash(&token).into(),
                    staff_id.clone().into(),
                    now.into(),
                    (now + SESSION_TTL_MS).into(),
                ],
            )?;
            audit::append(
                tx,
                now,
                Entry {
                    actor: &Actor::Staff(staff_id),
                    action: "staff.sign_in",
                    patient_id: None,
                    purpose: "access",
                    detail: String::new(),
                },
            )
        })
        .await?;
    Ok((StatusCode::CREATED, Json(session)))
}

/// `DELETE /v1/staff/sessions/current`
pub async fn sign_out(State(state): State<AppState>, auth: StaffAuth) -> ApiResult<StatusCode> {
    let now = state.clock.now_ms();
    state
        .db
        .run(Mode::Write, move |tx| {
            tx.exec(
                "UPDATE staff_sessions SET ended_at_ms = $1 WHERE token_hash = $2",
                &[now.into(), auth.token_hash.clone().into()],
            )
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPatient {
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Patient {
    pub patient_id: String,
    pub name: String,
    pub created_at_ms: i64,
}

/// Creates a patient inside `tx` (staff API and admin CLI).
pub fn create_patient_tx(
    tx: &mut dyn Tx,
    actor: &Actor,
    clinic_id: &str,
    name: &str,
    now_ms: i64,
) -> ApiResult<Patient> {
    let name = validate::text("name", name, 100)?;
    let patient = Patient {
        patient_id: uuid::Uuid::new_v4().to_string(),
        name,
        created_at_ms: now_ms,
    };
    tx.exec(
        "INSERT INTO patients (id, name, created_at_ms, created_by, clinic_id)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            patient.patient_id.clone().into(),
            patient.name.clone().into(),
            now_ms.into(),
            actor.to_string().into(),
            clinic_id.into(),
        ],
    )?;
    audit::append(
        tx,
        now_ms,
        Entry {
            actor,
            action: "patient.create",
            patient_id: Some(&patient.patient_id),
            purpose: "enrollment",
            detail: String::new(),
        },
    )?;
    Ok(patient)
}

/// `POST /v1/staff/patients`
pub async fn create_patient(
    State(state): State<AppState>,
    auth: StaffAuth,
    JsonBody(request): JsonBody<NewPatient>,
) -> ApiResult<(StatusCode, Json<Patient>)> {
    let now = state.clock.now_ms();
    let patient = state
        .db
        .run(Mode::Write, move |tx| {
            create_patient_tx(tx, &auth.actor(), &auth.clinic_id, &request.name, now)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(patient)))
}

/// `GET /v1/staff/patients` — by name, a page at a time (`limit`, `after`;
/// the next page's cursor in the `Steady-Next-Cursor` header).
pub async fn list_patients(
    State(state): State<AppState>,
    auth: StaffAuth,
    QueryParams(query): QueryParams<ReadQuery>,
) -> ApiResult<(
    AppendHeaders<Vec<(HeaderName, HeaderValue)>>,
    Json<Vec<Patient>>,
)> {
    let purpose = query.purpose()?;
    if query.category.is_some() {
        return Err(ApiError::invalid(
            "category",
            "patients are not filtered by category",
        ));
    }
    let limit = page::limit(query.limit)?;
    let after = query
        .after
        .as_deref()
        .map(|id| validate::server_id("after", id))
        .transpose()?;
    let now = state.clock.now_ms();
    let clinic_id = auth.clinic_id.clone();
    let (patients, next) = state
        .db
        .run(Mode::Read, move |tx| {
            // The cursor is the last patient of the previous page.
            let (name, id) = match after {
                Some(id) => {
                    let row = tx
                        .query_opt(
                            "SELECT name FROM patients WHERE id = $1 AND clinic_id = $2",
                            &[id.clone().into(), clinic_id.clone().into()],
                        )?
                        .ok_or_else(|| ApiError::not_found("patient to continue after"))?;
                    (row.text(0)?, id)
                }
                None => (String::new(), String::new()),
            };
            let rows = tx.query(
                "SELECT id, name, created_at_ms FROM patients
                 WHERE clinic_id = $4 AND (name > $1 OR (name = $1 AND id > $2))
                 ORDER BY name, id LIMIT $3",
                &[
                    name.into(),
                    id.into(),
                    (i64::from(limit) + 1).into(),
                    clinic_id.into(),
                ],
            )?;
            let (rows, more) = page::split(rows, limit);
            let patients = rows
                .iter()
                .map(|row| {
                    Ok(Patient {
                        patient_id: row.text(0)?,
                        name: row.text(1)?,
                        created_at_ms: row.int(2)?,
                    })
                })
                .collect::<Result<Vec<_>, DbError>>()?;
            let next = patients
                .last()
                .filter(|_| more)
                .map(|p| p.patient_id.clone());
            Ok::<_, ApiError>((patients, next))
        })
        .await?;
    let count = patients.len();
    state
        .db
        .run(Mode::Write, move |tx| {
            audit::append(
                tx,
                now,
                Entry {
                    actor: &auth.actor(),
                    action: "patients.list",
                    patient_id: None,
                    purpose: &purpose,
                    detail: format!("patients={count}"),
                },
            )
        })
        .await?;
    Ok((AppendHeaders(page::header(next)), Json(patients)))
}

#[derive(Debug, Serialize)]
pub struct Device {
    pub device_id: String,
    pub name: Option<String>,
    pub enrolled_at_ms: i64,
    pub last_seen_ms: Option<i64>,
    pub last_seq: i64,
    pub revoked_at_ms: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct PatientDetail {
    #[serde(flatten)]
    pub patient: Patient,
    pub devices: Vec<Device>,
    pub consent_scope: Vec<ConsentScope>,
    pub redisclosure_notice: &'static str,
}

fn devices(tx: &mut dyn Tx, patient_id: &str) -> Result<Vec<Device>, DbError> {
    let rows = tx.query(
        "SELECT id, name, enrolled_at_ms, last_seen_ms, last_seq, revoked_at_ms FROM devices
         WHERE patient_id = $1 ORDER BY enrolled_at_ms, id",
        &[patient_id.into()],
    )?;
    rows.iter()
        .map(|row| {
            Ok(Device {
                device_id: row.text(0)?,
                name: row.opt_text(1)?,
                enrolled_at_ms: row.int(2)?,
                last_seen_ms: row.opt_int(3)?,
                last_seq: row.int(4)?,
                revoked_at_ms: row.opt_int(5)?,
            })
        })
        .collect()
}

/// `GET /v1/staff/patients/{patient_id}`
pub async fn get_patient(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(patient_id): Path<String>,
    QueryParams(query): QueryParams<ReadQuery>,
) -> ApiResult<Json<PatientDetail>> {
    let purpose = query.purpose()?;
    let now = state.clock.now_ms();
    let detail = state
        .db
        .run(Mode::Write, move |tx| {
            let row = tx
                .query_opt(
                    "SELECT id, name, created_at_ms FROM patients WHERE id = $1",
                    &[patient_id.clone().into()],
                )?
                .ok_or_else(|| ApiError::not_found("patient"))?;
            let detail = PatientDetail {
                patient: Patient {
                    patient_id: row.text(0)?,
                    name: row.text(1)?,
                    created_at_ms: row.int(2)?,
                },
                devices: devices(tx, &patient_id)?,
                consent_scope: consent::scope(tx, &patient_id, now)?,
                redisclosure_notice: consent::REDISCLOSURE_NOTICE,
            };
            audit::append(
                tx,
                now,
                Entry {
                    actor: &auth.actor(),
                    action: "patient.read",
                    patient_id: Some(&patient_id),
                    purpose: &purpose,
                    detail: String::new(),
                },
            )?;
            Ok::<_, ApiError>(detail)
        })
        .await?;
    Ok(Json(detail))
}

/// `POST /v1/staff/patients/{patient_id}/devices/{device_id}/revoke`
pub async fn revoke_device(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path((patient_id, device_id)): Path<(String, String)>,
) -> ApiResult<Json<Device>> {
    let now = state.clock.now_ms();
    let device = state
        .db
        .run(Mode::Write, move |tx| {
            require_patient(tx, &patient_id)?;
            let owner = tx
                .query_opt(
                    "SELECT patient_id FROM devices WHERE id = $1",
                    &[device_id.clone().into()],
                )?
                .ok_or_else(|| ApiError::not_found("device"))?
                .text(0)?;
            if owner != patient_id {
                return Err(ApiError::forbidden("device_id: belongs to another patient"));
            }
            tx.exec(
                "UPDATE devices SET revoked_at_ms = $1, revoked_by = $2
                 WHERE id = $3 AND revoked_at_ms IS NULL",
                &[
                    now.into(),
                    auth.actor().to_string().into(),
                    device_id.clone().into(),
                ],
            )?;
            audit::append(
                tx,
                now,
                Entry {
                    actor: &auth.actor(),
                    action: "device.revoke",
                    patient_id: Some(&patient_id),
                    purpose: "access control",
                    detail: format!("device {device_id}"),
                },
            )?;
            devices(tx, &patient_id)?
                .into_iter()
                .find(|d| d.device_id == device_id)
                .ok_or_else(ApiError::internal)
        })
        .await?;
    Ok(Json(device))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    #[serde(default)]
    pub patient_id: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
    /// Continue before this entry: the Steady-Next-Cursor header of the
    /// previous page (`at_ms:id`).
    #[serde(default)]
    pub before: Option<String>,
}

/// `GET /v1/staff/audit` — newest first. Reading the log is itself logged.
pub async fn audit(
    State(state): State<AppState>,
    auth: StaffAuth,
    QueryParams(query): QueryParams<AuditQuery>,
) -> ApiResult<(
    AppendHeaders<Vec<(HeaderName, HeaderValue)>>,
    Json<Vec<AuditEntry>>,
)> {
    let limit = query.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be 1 to 1000"));
    }
    if query.patient_id.as_deref() == Some("") {
        return Err(ApiError::invalid(
            "patient_id",
            "is empty; leave it out to read every patient's entries",
        ));
    }
    let before = match query.before.as_deref() {
        Some(cursor) => match cursor.split_once(':') {
            Some((ms, id)) if !id.is_empty() => Some((page::instant(ms)?, id.to_string())),
            _ => {
                return Err(ApiError::invalid(
                    "before",
                    "is not a cursor from this server",
                ))
            }
        },
        None => None,
    };
    let now = state.clock.now_ms();
    let patient = query.patient_id.clone();
    let clinic_id = auth.clinic_id.clone();
    let (entries, next) = state
        .db
        .run(Mode::Read, move |tx| {
            let before = before.as_ref().map(|(ms, id)| (*ms, id.as_str()));
            let entries = audit::read_page(tx, &clinic_id, patient.as_deref(), before, limit + 1)?;
            let (entries, more) = page::split(entries, u32::try_from(limit).unwrap_or(1000));
            let next = entries
                .last()
                .filter(|_| more)
                .map(|e| format!("{}:{}", e.at_ms, e.id));
            Ok::<_, ApiError>((entries, next))
        })
        .await?;
    let count = entries.len();
    state
        .db
        .run(Mode::Write, move |tx| {
            audit::append(
                tx,
                now,
                Entry {
                    actor: &auth.actor(),
                    action: "audit.read",
                    patient_id: query.patient_id.as_deref(),
                    purpose: "oversight",
                    detail: format!("entries={count}"),
                },
            )
        })
        .await?;
    Ok((AppendHeaders(page::header(next)), Json(entries)))
}
