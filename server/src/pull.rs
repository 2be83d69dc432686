//! Pull: the clinic-authored changes for the device's patient after a
//! cursor, one page at a time.

use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::error::{ApiError, ApiResult};
use crate::extract::{DeviceAuth, JsonBody};
use crate::store::{DbError, Mode, Tx};
use axum::extract::State;
use axum::Json;
use steady_protocol::{
    ChangeKind, ClinicChange, Operation, PullRequest, PullResponse, DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
};

/// `POST /v1/sync/pull`
pub async fn pull(
    State(state): State<AppState>,
    device: DeviceAuth,
    JsonBody(request): JsonBody<PullRequest>,
) -> ApiResult<Json<PullResponse>> {
    device.check_device_id(&request.device_id)?;
    let limit = request.limit.unwrap_or(DEFAULT_PULL_LIMIT);
    if limit == 0 || limit > MAX_PULL_LIMIT {
        return Err(ApiError::invalid(
            "limit",
            format!("must be 1 to {MAX_PULL_LIMIT}"),
        ));
    }
    if request.cursor < 0 {
        return Err(ApiError::invalid("cursor", "must not be negative"));
    }
    let patient_id = device.patient_id.clone();
    let cursor = request.cursor;
    let response = state
        .db
        .run(Mode::Read, move |tx| page(tx, &patient_id, cursor, limit))
        .await?;
    if !response.changes.is_empty() {
        let now = state.clock.now_ms();
        let detail = format!(
            "changes={} next_cursor={}",
            response.changes.len(),
            response.next_cursor
        );
        state
            .db
            .run(Mode::Write, move |tx| -> Result<(), DbError> {
                audit::append(
                    tx,
                    now,
                    Entry {
                        actor: &device.actor(),
                        action: "clinic_changes.pull",
                        patient_id: Some(&device.patient_id),
                        purpose: "treatment",
                        detail,
                    },
                )
            })
            .await?;
    }
    Ok(Json(response))
}

fn page(tx: &mut dyn Tx, patient_id: &str, cursor: i64, limit: u32) -> ApiResult<PullResponse> {
    let rows = tx.query(
        "SELECT cursor, kind, record_id, operation, payload, authored_at_ms FROM clinic_changes
         WHERE patient_id = $1 AND cursor > $2 ORDER BY cursor LIMIT $3",
        &[
            patient_id.into(),
            cursor.into(),
            (i64::from(limit) + 1).into(),
        ],
    )?;
    let has_more = rows.len() > limit as usize;
    let mut changes = Vec::with_capacity(rows.len());
    for row in rows.iter().take(limit as usize) {
        let kind = ChangeKind::parse(&row.text(1)?).ok_or_else(ApiError::internal)?;
        let operation = match row.text(3)?.as_str() {
            "delete" => Operation::Delete,
            _ => Operation::Upsert,
        };
        let payload = match row.opt_text(4)? {
            Some(text) => serde_json::from_str(&text).map_err(|_| ApiError::internal())?,
            None => serde_json::Value::Null,
        };
        changes.push(ClinicChange {
            cursor: row.int(0)?,
            kind,
            record_id: row.text(2)?,
            operation,
            payload,
            authored_at_ms: row.int(5)?,
        });
    }
    let next_cursor = changes.last().map_or(cursor, |c| c.cursor);
    Ok(PullResponse {
        changes,
        next_cursor,
        has_more,
    })
}
