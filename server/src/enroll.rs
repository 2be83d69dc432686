//! Enrollment: staff issue a one-time code for a patient; the patient's
//! phone redeems it for a device id and token. Codes are short, expire, work
//! once, and guesses are rate-limited in the database.

use crate::app::AppState;
use crate::audit::{self, Actor, Entry};
use crate::error::{ApiError, ApiResult};
use crate::extract::{JsonBody, StaffAuth};
use crate::rate_limit::{self, ENROLL_OVERALL, ENROLL_PER_ADDRESS};
use crate::store::{DbError, Mode, Tx};
use crate::{secrets, settings, staff, validate};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use std::net::SocketAddr;
use steady_protocol::{EnrollRequest, EnrollResponse, ErrorCode, PROTOCOL_VERSION};

/// How long a code stays redeemable.
pub const CODE_TTL_MS: i64 = 72 * 60 * 60 * 1000;

const OVERALL_BUCKET: &str = "enroll:*";

/// A freshly issued code; the plain code exists only in this answer.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedCode {
    pub patient_id: String,
    pub code: String,
    pub expires_at_ms: i64,
}

/// Issues a code for an existing patient inside `tx`.
pub fn issue_code(
    tx: &mut dyn Tx,
    actor: &Actor,
    patient_id: &str,
    now_ms: i64,
) -> ApiResult<IssuedCode> {
    staff::require_patient(tx, patient_id)?;
    let code = secrets::new_code()?;
    let plain = secrets::normalize_code(&code).ok_or_else(ApiError::internal)?;
    let expires_at_ms = now_ms + CODE_TTL_MS;
    tx.exec(
        "INSERT INTO enrollment_codes (code_hash, patient_id, created_by, created_at_ms, expires_at_ms)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            secrets::hash(&plain).into(),
            patient_id.into(),
            actor.to_string().into(),
            now_ms.into(),
            expires_at_ms.into(),
        ],
    )?;
    audit::append(
        tx,
        now_ms,
        Entry {
            actor,
            action: "enrollment_code.issue",
            patient_id: Some(patient_id),
            purpose: "enrollment",
            detail: format!("expires_at_ms={expires_at_ms}"),
        },
    )?;
    Ok(IssuedCode {
        patient_id: patient_id.to_string(),
        code,
        expires_at_ms,
    })
}

/// `POST /v1/staff/patients/{patient_id}/enrollment-codes`
pub async fn issue(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(patient_id): Path<String>,
) -> ApiResult<(StatusCode, Json<IssuedCode>)> {
    let now = state.clock.now_ms();
    let issued = state
        .db
        .run(Mode::Write, move |tx| {
            issue_code(tx, &auth.actor(), &patient_id, now)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// `POST /v1/enroll`
pub async fn redeem(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    JsonBody(request): JsonBody<EnrollRequest>,
) -> ApiResult<(StatusCode, Json<EnrollResponse>)> {
    let now = state.clock.now_ms();
    let address_bucket = format!("enroll:{}", client.ip());
    let bucket = address_bucket.clone();
    let allowed = state
        .db
        .run(Mode::Read, move |tx| -> Result<bool, DbError> {
            Ok(rate_limit::allows(tx, &bucket, &ENROLL_PER_ADDRESS, now)?
                && rate_limit::allows(tx, OVERALL_BUCKET, &ENROLL_OVERALL, now)?)
        })
        .await?;
    if !allowed {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            "too many enrollment attempts; try again in 15 minutes",
        ));
    }
    let outcome = state
        .db
        .run(Mode::Write, move |tx| redeem_code(tx, &request, now))
        .await;
    if let Err(error) = &outcome {
        if error.code != ErrorCode::Internal {
            state
                .db
                .run(Mode::Write, move |tx| -> Result<(), DbError> {
                    rate_limit::count_failure(tx, &address_bucket, &ENROLL_PER_ADDRESS, now)?;
                    rate_limit::count_failure(tx, OVERALL_BUCKET, &ENROLL_OVERALL, now)
                })
                .await?;
        }
    }
    outcome.map(|response| (StatusCode::CREATED, Json(response)))
}

fn redeem_code(tx: &mut dyn Tx, request: &EnrollRequest, now_ms: i64) -> ApiResult<EnrollResponse> {
    let device_name = validate::optional_text("device_name", request.device_name.as_deref(), 100)?;
    let code = secrets::normalize_code(&request.code).ok_or_else(|| {
        ApiError::invalid("code", "is not an enrollment code (8 letters and digits)")
    })?;
    let code_hash = secrets::hash(&code);
    let row = tx
        .query_opt(
            "SELECT patient_id, expires_at_ms, redeemed_at_ms FROM enrollment_codes WHERE code_hash = $1",
            &[code_hash.clone().into()],
        )?
        .ok_or_else(|| ApiError::not_found("enrollment code"))?;
    let patient_id = row.text(0)?;
    if row.opt_int(2)?.is_some() {
        return Err(ApiError::new(ErrorCode::CodeUsed, "code: was already used"));
    }
    if row.int(1)? <= now_ms {
        return Err(ApiError::new(ErrorCode::CodeUsed, "code: has expired"));
    }
    let device_id = uuid::Uuid::new_v4().to_string();
    let token = secrets::new_token("dv")?;
    tx.exec(
        "INSERT INTO devices (id, patient_id, name, token_hash, enrolled_at_ms)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            device_id.clone().into(),
            patient_id.clone().into(),
            device_name.into(),
            secrets::hash(&token).into(),
            now_ms.into(),
        ],
    )?;
    let claimed = tx.exec(
        "UPDATE enrollment_codes SET redeemed_at_ms = $1, device_id = $2
         WHERE code_hash = $3 AND redeemed_at_ms IS NULL",
        &[now_ms.into(), device_id.clone().into(), code_hash.into()],
    )?;
    if claimed != 1 {
        // Another request redeemed it first; the device row rolls back.
        return Err(ApiError::new(ErrorCode::CodeUsed, "code: was already used"));
    }
    audit::append(
        tx,
        now_ms,
        Entry {
            actor: &Actor::Device(device_id.clone()),
            action: "device.enroll",
            patient_id: Some(&patient_id),
            purpose: "enrollment",
            detail: "enrollment code redeemed".into(),
        },
    )?;
    Ok(EnrollResponse {
        device_id,
        device_token: token,
        clinic_name: settings::clinic_name(tx)?,
        protocol_version: PROTOCOL_VERSION,
    })
}
