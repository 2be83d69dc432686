//! What staff read of a patient's synced records: the records themselves and
//! a progress summary. Every answer carries the consent scope and the
//! redisclosure notice, and every read is audited with its purpose.

use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::consent::{self, ConsentScope};
use crate::error::{ApiError, ApiResult};
use crate::extract::{QueryParams, StaffAuth};
use crate::page;
use crate::staff::{self, ReadQuery};
use crate::store::{Mode, Row, Tx};
use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use steady_protocol::ConsentCategory;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Serialize)]
pub struct SyncedRecord {
    pub record_type: String,
    pub record_id: String,
    pub category: String,
    /// `null` once the patient deleted it.
    pub payload: Value,
    pub deleted: bool,
    pub device_id: String,
    pub created_at_ms: i64,
    pub received_at_ms: i64,
}

#[derive(Debug, Serialize)]
pub struct RecordsDisclosure {
    pub patient_id: String,
    pub records: Vec<SyncedRecord>,
    /// Pass as `after` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    pub consent_scope: Vec<ConsentScope>,
    pub redisclosure_notice: &'static str,
}

fn category_filter(query: &ReadQuery) -> ApiResult<Option<ConsentCategory>> {
    query
        .category
        .as_deref()
        .map(|name| {
            ConsentCategory::parse(name).ok_or_else(|| {
                ApiError::invalid(
                    "category",
                    "must be attendance, medication, cravings, checkins, lapses or notes",
                )
            })
        })
        .transpose()
}

fn synced_record(row: &Row) -> ApiResult<SyncedRecord> {
    let payload = match row.opt_text(3)? {
        Some(text) => serde_json::from_str(&text).map_err(|_| ApiError::internal())?,
        None => Value::Null,
    };
    Ok(SyncedRecord {
        record_type: row.text(0)?,
        record_id: row.text(1)?,
        category: row.text(2)?,
        payload,
        deleted: row.int(4)? != 0,
        device_id: row.text(5)?,
        created_at_ms: row.int(6)?,
        received_at_ms: row.int(7)?,
    })
}

/// What a record type looks like (`[a-z0-9_]{1,64}`).
fn record_type_ok(word: &str) -> bool {
    (1..=64).contains(&word.len())
        && word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Where a page of records starts: after (created_at_ms, record_type, record_id).
type RecordKey = (i64, String, String);

/// One page of the patient's records, oldest first, and the next cursor.
fn read_records(
    tx: &mut dyn Tx,
    patient_id: &str,
    category: Option<ConsentCategory>,
    after: Option<&RecordKey>,
    limit: u32,
) -> ApiResult<(Vec<SyncedRecord>, Option<String>)> {
    let (created, record_type, record_id) =
        after
            .cloned()
            .unwrap_or((i64::MIN, String::new(), String::new()));
    let rows = tx.query(
        "SELECT record_type, record_id, category, payload, deleted, device_id,
                created_at_ms, received_at_ms FROM records
         WHERE patient_id = $1 AND ($2 = '' OR category = $2)
           AND (created_at_ms > $3 OR (created_at_ms = $3 AND
                (record_type > $4 OR (record_type = $4 AND record_id > $5))))
         ORDER BY created_at_ms, record_type, record_id LIMIT $6",
        &[
            patient_id.into(),
            category.map_or("", ConsentCategory::as_str).into(),
            created.into(),
            record_type.into(),
            record_id.into(),
            (i64::from(limit) + 1).into(),
        ],
    )?;
    let (rows, more) = page::split(rows, limit);
    let records = rows
        .iter()
        .map(synced_record)
        .collect::<ApiResult<Vec<_>>>()?;
    let next = records
        .last()
        .filter(|_| more)
        .map(|r| page::encode(r.created_at_ms, &r.record_type, &r.record_id));
    Ok((records, next))
}

/// `GET /v1/staff/patients/{patient_id}/records`
///
/// Read in a read transaction (in SQLite's WAL mode, pushes go on meanwhile),
/// then the audit row commits before the answer leaves: no disclosure goes
/// out unaudited, and a large read never holds the writers' lock.
pub async fn list(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(patient_id): Path<String>,
    QueryParams(query): QueryParams<ReadQuery>,
) -> ApiResult<Json<RecordsDisclosure>> {
    let purpose = query.purpose()?;
    let category = category_filter(&query)?;
    let limit = page::limit(query.limit)?;
    let after: Option<RecordKey> = query
        .after
        .as_deref()
        .map(|c| page::decode(c, record_type_ok))
        .transpose()?;
    let now = state.clock.now_ms();
    let id = patient_id.clone();
    let disclosure = state
        .db
        .run(Mode::Read, move |tx| {
            staff::require_patient(tx, &id)?;
            let (records, next_cursor) = read_records(tx, &id, category, after.as_ref(), limit)?;
            Ok::<_, ApiError>(RecordsDisclosure {
                consent_scope: consent::scope(tx, &id, now)?,
                patient_id: id,
                records,
                next_cursor,
                redisclosure_notice: consent::REDISCLOSURE_NOTICE,
            })
        })
        .await?;
    let detail = format!(
        "category={} records={}",
        category.map_or("all", ConsentCategory::as_str),
        disclosure.records.len()
    );
    state
        .db
        .run(Mode::Write, move |tx| {
            audit::append(
                tx,
                now,
                Entry {
                    actor: &auth.actor(),
                    action: "records.read",
                    patient_id: Some(&patient_id),
                    purpose: &purpose,
                    detail,
                },
            )
        })
        .await?;
    Ok(Json(disclosure))
}

#[derive(Debug, Serialize)]
pub struct CategorySummary {
    pub category: ConsentCategory,
    /// `current`, `revoked`, `expired` or `none`.
    pub consent: &'static str,
    pub records: i64,
    pub last_received_ms: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct CravingTrend {
    pub count: i64,
    /// Mean 0–10 intensity, when the records carry one.
    pub average_intensity: Option<f64>,
    pub strongest: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub patient_id: String,
    pub name: String,
    pub last_sync_ms: Option<i64>,
    pub active_devices: i64,
    pub categories: Vec<CategorySummary>,
    /// Records created in the last 7 days, by record type.
    pub last_7_days: BTreeMap<String, i64>,
    /// Of those, the ones with a `status` (attendance: attended, late,
    /// missed, excused; doses: taken, skipped...), counted by record type and
    /// status: attendance and adherence at a glance.
    pub statuses_last_7_days: BTreeMap<String, BTreeMap<String, i64>>,
    pub cravings_last_7_days: CravingTrend,
    pub consent_scope: Vec<ConsentScope>,
    pub redisclosure_notice: &'static str,
}

fn summarize(tx: &mut dyn Tx, patient_id: &str, now_ms: i64) -> ApiResult<Summary> {
    let name = tx
        .query_opt(
            "SELECT name FROM patients WHERE id = $1",
            &[patient_id.into()],
        )?
        .ok_or_else(|| ApiError::not_found("patient"))?
        .text(0)?;
    let device_row = tx
        .query_opt(
            "SELECT MAX(last_seen_ms), COUNT(*) FROM devices
             WHERE patient_id = $1 AND revoked_at_ms IS NULL",
            &[patient_id.into()],
        )?
        .ok_or_else(ApiError::internal)?;
    let scope = consent::scope(tx, patient_id, now_ms)?;
    let mut categories = Vec::new();
    for category in ConsentCategory::ALL {
        let row = tx
            .query_opt(
                "SELECT COUNT(*), MAX(received_at_ms) FROM records
                 WHERE patient_id = $1 AND category = $2 AND deleted = 0",
                &[patient_id.into(), category.as_str().into()],
            )?
            .ok_or_else(ApiError::internal)?;
        let statuses: Vec<&str> = scope
            .iter()
            .filter(|c| c.category == category.as_str())
            .map(|c| c.status)
            .collect();
        let consent = ["current", "expired", "revoked"]
            .into_iter()
            .find(|s| statuses.contains(s))
            .unwrap_or("none");
        categories.push(CategorySummary {
            category,
            consent,
            records: row.int(0)?,
            last_received_ms: row.opt_int(1)?,
        });
    }
    let recent = tx.query(
        "SELECT record_type, payload FROM records
         WHERE patient_id = $1 AND deleted = 0 AND created_at_ms > $2",
        &[patient_id.into(), (now_ms - 7 * DAY_MS).into()],
    )?;
    let mut last_7_days = BTreeMap::new();
    let mut statuses_last_7_days: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let mut intensities = Vec::new();
    let mut cravings = 0;
    for row in &recent {
        let record_type = row.text(0)?;
        let payload: Value = row
            .opt_text(1)?
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null);
        if record_type == "craving" {
            cravings += 1;
            if let Some(intensity) = payload.get("intensity").and_then(Value::as_f64) {
                intensities.push(intensity);
            }
        }
        if let Some(status) = payload.get("status").and_then(Value::as_str) {
            *statuses_last_7_days
                .entry(record_type.clone())
                .or_default()
                .entry(status.to_string())
                .or_insert(0) += 1;
        }
        *last_7_days.entry(record_type).or_insert(0) += 1;
    }
    let average_intensity = (!intensities.is_empty())
        .then(|| intensities.iter().sum::<f64>() / intensities.len() as f64);
    let strongest = intensities.iter().copied().reduce(f64::max);
    Ok(Summary {
        patient_id: patient_id.to_string(),
        name,
        last_sync_ms: device_row.opt_int(0)?,
        active_devices: device_row.int(1)?,
        categories,
        last_7_days,
        statuses_last_7_days,
        cravings_last_7_days: CravingTrend {
            count: cravings,
            average_intensity,
            strongest,
        },
        consent_scope: scope,
        redisclosure_notice: consent::REDISCLOSURE_NOTICE,
    })
}

/// `GET /v1/staff/patients/{patient_id}/summary`
pub async fn summary(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(patient_id): Path<String>,
    QueryParams(query): QueryParams<ReadQuery>,
) -> ApiResult<Json<Summary>> {
    let purpose = query.purpose()?;
    if query.category.is_some() {
        return Err(ApiError::invalid(
            "category",
            "the summary covers every category",
        ));
    }
    let now = state.clock.now_ms();
    // Computed in a read transaction (pushes go on meanwhile); the audit row
    // commits before the answer leaves.
    let id = patient_id.clone();
    let summary = state
        .db
        .run(Mode::Read, move |tx| summarize(tx, &id, now))
        .await?;
    state
        .db
        .run(Mode::Write, move |tx| {
            audit::append(
                tx,
                now,
                Entry {
                    actor: &auth.actor(),
                    action: "summary.read",
                    patient_id: Some(&patient_id),
                    purpose: &purpose,
                    detail: String::new(),
                },
            )
        })
        .await?;
    Ok(Json(summary))
}
