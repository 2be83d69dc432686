//! Enrollment: staff issue a one-time code for a patient; the patient's
//! phone redeems it for a device id and token. Codes are short, expire, work
//! once, and guesses are rate-limited in the database.

use crate::app::AppState;
use crate::audit::{self, Actor, Entry};
use crate::error::{ApiError, ApiResult};
use crate::extract::{JsonBody, StaffAuth};
use crate::net::ClientAddr;
use crate::rate_limit::{self, ENROLL_PER_ADDRESS};
use crate::store::{Mode, Tx};
use crate::{secrets, settings, staff, validate};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use steady_protocol::{EnrollRequest, EnrollResponse, ErrorCode, PROTOCOL_VERSION};

/// How long a code stays redeemable.
pub const CODE_TTL_MS: i64 = 72 * 60 * 60 * 1000;

/// Wrong guesses a live code survives; then it is locked and staff issue a
/// new one. Ten leaves room for a patient's typos while an attacker who
/// knows a code's lookup group still has 10 chances in 2^39 to hit its
/// secret.
pub const MAX_CODE_ATTEMPTS: i64 = 10;

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
    // A lookup group shared with another live code would let guesses at one
    // lock the other: draw again (810,000 groups, few live codes).
    let (code, plain) = loop {
        let code = secrets::new_code()?;
        let plain = secrets::normalize_code(&code).ok_or_else(ApiError::internal)?;
        let taken = tx
            .query_opt(
                "SELECT 1 FROM enrollment_codes
                 WHERE lookup = $1 AND redeemed_at_ms IS NULL AND expires_at_ms > $2",
                &[secrets::code_lookup(&plain).into(), now_ms.into()],
            )?
            .is_some();
        if !taken {
            break (code, plain);
        }
    };
    let expires_at_ms = now_ms + CODE_TTL_MS;
    tx.exec(
        "INSERT INTO enrollment_codes (code_hash, patient_id, created_by, created_at_ms,
             expires_at_ms, lookup)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            secrets::hash(&plain).into(),
            patient_id.into(),
            actor.to_string().into(),
            now_ms.into(),
            expires_at_ms.into(),
            secrets::code_lookup(&plain).into(),
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
///
/// One write transaction per attempt, so racing guesses are all counted. A
/// code that matches is redeemed whatever the address has done; a wrong
/// guess at a live code's lookup group counts against that code
/// ([`MAX_CODE_ATTEMPTS`]); anything else counts against the client address
/// ([`ENROLL_PER_ADDRESS`]), which only slows a stranger's enumeration. No
/// limit is clinic-wide, so nobody's typos block another phone.
pub async fn redeem(
    State(state): State<AppState>,
    client: ClientAddr,
    JsonBody(request): JsonBody<EnrollRequest>,
) -> ApiResult<(StatusCode, Json<EnrollResponse>)> {
    let now = state.clock.now_ms();
    let address_bucket = format!("enroll:{}", client.0);
    state
        .db
        .run(Mode::Write, move |tx| {
            redeem_code(tx, &request, &address_bucket, now)
        })
        .await?
        .map(|response| (StatusCode::CREATED, Json(response)))
}

/// `Ok(Err(_))` is a refusal whose counting must commit; `Err(_)` rolls back.
fn redeem_code(
    tx: &mut dyn Tx,
    request: &EnrollRequest,
    address_bucket: &str,
    now_ms: i64,
) -> ApiResult<ApiResult<EnrollResponse>> {
    let device_name = validate::optional_text("device_name", request.device_name.as_deref(), 100)?;
    let code = secrets::normalize_code(&request.code).ok_or_else(|| {
        ApiError::invalid(
            "code",
            "is not an enrollment code (12 letters and digits, ABCD-EFGH-JKMN)",
        )
    })?;
    let code_hash = secrets::hash(&code);
    let row = tx.query_opt(
        "SELECT patient_id, expires_at_ms, redeemed_at_ms, failed_attempts
         FROM enrollment_codes WHERE code_hash = $1",
        &[code_hash.clone().into()],
    )?;
    let Some(row) = row else {
        return Ok(Err(wrong_code(tx, &code, address_bucket, now_ms)?));
    };
    let patient_id = row.text(0)?;
    if row.opt_int(2)?.is_some() {
        return Ok(Err(ApiError::new(
            ErrorCode::CodeUsed,
            "code: was already used",
        )));
    }
    if row.int(1)? <= now_ms {
        return Ok(Err(ApiError::new(ErrorCode::CodeUsed, "code: has expired")));
    }
    if row.int(3)? >= MAX_CODE_ATTEMPTS {
        return Ok(Err(ApiError::new(
            ErrorCode::CodeUsed,
            "code: was locked after too many wrong tries; ask the clinic for a new code",
        )));
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
    rate_limit::clear(tx, address_bucket)?;
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
    Ok(Ok(EnrollResponse {
        device_id,
        device_token: token,
        clinic_name: settings::clinic_name(tx)?,
        protocol_version: PROTOCOL_VERSION,
    }))
}

/// Counts a code that matched nothing and says why it was refused.
fn wrong_code(
    tx: &mut dyn Tx,
    code: &str,
    address_bucket: &str,
    now_ms: i64,
) -> ApiResult<ApiError> {
    // A wrong secret behind a live code's lookup group counts against that code.
    tx.exec(
        "UPDATE enrollment_codes SET failed_attempts = failed_attempts + 1
         WHERE lookup = $1 AND redeemed_at_ms IS NULL AND expires_at_ms > $2",
        &[secrets::code_lookup(code).into(), now_ms.into()],
    )?;
    let (attempts, wait_ms) = rate_limit::reserve(tx, address_bucket, &ENROLL_PER_ADDRESS, now_ms)?;
    Ok(if attempts > ENROLL_PER_ADDRESS.attempts {
        ApiError::new(
            ErrorCode::RateLimited,
            "too many unknown enrollment codes from this address; try again later",
        )
        .retry_after(rate_limit::retry_seconds(wait_ms))
    } else {
        ApiError::not_found("enrollment code")
    })
}
