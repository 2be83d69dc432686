//! The clinic's FHIR R4 export of a patient's record, consent-scoped, and
//! the patient's accounting of disclosures (docs/export.md).
//!
//! `GET /v1/staff/patients/{id}/fhir` builds the document Bundle with the
//! core's mapping from what the patient's phone shared: only categories with
//! current consent, free text only with the `notes` consent, every resource
//! labelled `42CFRPart2`, the §2.32 notice and the consent scope in the
//! Composition. Without a recipient it is the program's own copy (for its EHR),
//! scoped by the consents naming the clinic; naming a recipient makes it a
//! disclosure, which needs a current consent naming that outside recipient
//! (`outside_consents`, ADR 0052), holds only those consents' categories and
//! is recorded for the patient's accounting of disclosures. Both are audited
//! with their purpose.

use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::consent::{self, ConsentScope};
use crate::error::{ApiError, ApiResult};
use crate::extract::{DeviceAuth, QueryParams, StaffAuth};
use crate::store::{Mode, Tx};
use crate::{settings, staff, validate};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use steady_core::export::fhir::{self as mapping, BundleContext, Disclosure};
use steady_core::export::records::{self, RecordSet};

/// Query of `GET …/fhir`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FhirQuery {
    #[serde(default)]
    pub purpose: Option<String>,
    /// The outside recipient's name, exactly as the patient's consent names it.
    #[serde(default)]
    pub recipient: Option<String>,
    /// The recipient's address, for the accounting of disclosures.
    #[serde(default)]
    pub recipient_address: Option<String>,
}

/// One entry of the accounting of disclosures (42 CFR 2.25).
#[derive(Debug, Clone, Serialize)]
pub struct DisclosureEntry {
    pub disclosure_id: String,
    pub disclosed_at_ms: i64,
    pub recipient_name: String,
    pub recipient_address: String,
    pub description: String,
    pub purpose: String,
}

#[derive(Debug, Serialize)]
pub struct Accounting {
    pub disclosures: Vec<DisclosureEntry>,
}

/// `GET /v1/staff/patients/{patient_id}/fhir`
pub async fn export(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(patient_id): Path<String>,
    QueryParams(query): QueryParams<FhirQuery>,
) -> ApiResult<impl IntoResponse> {
    let purpose = match &query.purpose {
        Some(p) => validate::text("purpose", p, 200)?,
        None => staff::DEFAULT_PURPOSE.to_string(),
    };
    let recipient = validate::optional_text("recipient", query.recipient.as_deref(), 200)?;
    let address =
        validate::optional_text("recipient_address", query.recipient_address.as_deref(), 300)?;
    if recipient.is_some() != address.is_some() {
        return Err(ApiError::invalid(
            "recipient_address",
            "a disclosure names both the recipient and the recipient's address",
        ));
    }
    let now = state.clock.now_ms();
    let bundle = state
        .db
        .run(Mode::Write, move |tx| {
            staff::require_patient(tx, &patient_id)?;
            let clinic = settings::clinic_name(tx)?;
            let scope: Vec<ConsentScope> = match &recipient {
                Some(r) => consent::outside_scope(tx, &patient_id, r, now)?,
                None => consent::scope(tx, &patient_id, now)?
                    .into_iter()
                    .filter(|c| c.status == "current")
                    .collect(),
            };
            if recipient.is_some() && scope.is_empty() {
                return Err(ApiError::forbidden(
                    "recipient: no current consent of the patient names this recipient",
                ));
            }
            let mut categories: Vec<String> = scope.iter().map(|c| c.category.clone()).collect();
            categories.sort();
            categories.dedup();
            let set = record_set(tx, &patient_id, &categories, &scope)?;
            let name = tx
                .query_opt(
                    "SELECT name FROM patients WHERE id = $1",
                    &[patient_id.clone().into()],
                )?
                .ok_or_else(|| ApiError::not_found("patient"))?
                .text(0)?;
            let to = match (&recipient, &address) {
                (Some(r), Some(a)) => format!("{r}, {a}"),
                _ => clinic.clone(),
            };
            let context = BundleContext {
                patient_id: patient_id.clone(),
                patient_name: Some(name),
                generated_at_ms: now,
                time_zone: "UTC".into(),
                disclosure: Some(Disclosure {
                    discloser: clinic,
                    recipient: to,
                    purpose: purpose.clone(),
                    categories: categories.clone(),
                    notice: consent::REDISCLOSURE_NOTICE.into(),
                }),
            };
            let bundle = mapping::bundle(&set, &context);
            let resources = bundle["entry"].as_array().map_or(0, Vec::len);
            let description = format!(
                "FHIR R4 record export: {}",
                if categories.is_empty() {
                    "no category".to_string()
                } else {
                    categories.join(", ")
                }
            );
            if let (Some(r), Some(a)) = (&recipient, &address) {
                tx.exec(
                    "INSERT INTO disclosures (id, patient_id, disclosed_at_ms, recipient_name,
                        recipient_address, description, purpose, disclosed_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    &[
                        uuid::Uuid::now_v7().to_string().into(),
                        patient_id.clone().into(),
                        now.into(),
                        r.clone().into(),
                        a.clone().into(),
                        description.clone().into(),
                        purpose.clone().into(),
                        auth.actor().to_string().into(),
                    ],
                )?;
            }
            audit::append(
                tx,
                now,
                Entry {
                    actor: &auth.actor(),
                    action: if recipient.is_some() {
                        "records.fhir_disclosure"
                    } else {
                        "records.fhir_export"
                    },
                    patient_id: Some(&patient_id),
                    purpose: &purpose,
                    detail: format!(
                        "categories={} resources={resources} recipient={}",
                        categories.join(","),
                        if recipient.is_some() {
                            "outside"
                        } else {
                            "program"
                        }
                    ),
                },
            )?;
            Ok::<_, ApiError>(bundle)
        })
        .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/fhir+json")],
        Json(bundle),
    ))
}

/// `GET /v1/staff/patients/{patient_id}/disclosures`
pub async fn staff_accounting(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(patient_id): Path<String>,
) -> ApiResult<Json<Accounting>> {
    let now = state.clock.now_ms();
    let accounting = state
        .db
        .run(Mode::Write, move |tx| {
            staff::require_patient(tx, &patient_id)?;
            audit::append(
                tx,
                now,
                Entry {
                    actor: &auth.actor(),
                    action: "disclosures.read",
                    patient_id: Some(&patient_id),
                    purpose: "accounting of disclosures",
                    detail: String::new(),
                },
            )?;
            accounting(tx, &patient_id)
        })
        .await?;
    Ok(Json(accounting))
}

/// `GET /v1/disclosures`: the patient's own accounting, from their phone.
pub async fn patient_accounting(
    State(state): State<AppState>,
    device: DeviceAuth,
) -> ApiResult<Json<Accounting>> {
    let accounting = state
        .db
        .run(Mode::Read, move |tx| accounting(tx, &device.patient_id))
        .await?;
    Ok(Json(accounting))
}

fn accounting(tx: &mut dyn Tx, patient_id: &str) -> ApiResult<Accounting> {
    let rows = tx.query(
        "SELECT id, disclosed_at_ms, recipient_name, recipient_address, description, purpose
         FROM disclosures WHERE patient_id = $1 ORDER BY disclosed_at_ms DESC, id",
        &[patient_id.into()],
    )?;
    let disclosures = rows
        .iter()
        .map(|row| {
            Ok(DisclosureEntry {
                disclosure_id: row.text(0)?,
                disclosed_at_ms: row.int(1)?,
                recipient_name: row.text(2)?,
                recipient_address: row.text(3)?,
                description: row.text(4)?,
                purpose: row.text(5)?,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Accounting { disclosures })
}

/// The patient's synced records of the consented categories, the clinic's
/// plans they refer to, and the consents in scope — as the core's mapping
/// reads them. Free text is removed unless `notes` is consented.
fn record_set(
    tx: &mut dyn Tx,
    patient_id: &str,
    categories: &[String],
    scope: &[ConsentScope],
) -> ApiResult<RecordSet> {
    let mut set = RecordSet::new();
    let share_notes = categories.iter().any(|c| c == "notes");
    let rows = tx.query(
        "SELECT record_type, record_id, category, payload FROM records
         WHERE patient_id = $1 AND deleted = 0 ORDER BY created_at_ms, record_id",
        &[patient_id.into()],
    )?;
    for row in rows {
        if !categories.contains(&row.text(2)?) {
            continue;
        }
        let Some(text) = row.opt_text(3)? else {
            continue;
        };
        let mut payload: Value = serde_json::from_str(&text).map_err(|_| ApiError::internal())?;
        if !share_notes {
            steady_protocol::strip_notes(&mut payload);
        }
        if let Some(object) = payload.as_object_mut() {
            if object
                .get("id")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                object.insert("id".into(), Value::String(row.text(1)?));
            }
        }
        set.push(&row.text(0)?, payload);
    }
    for (kind, category, as_kind) in [
        ("medication_plan", "medication", records::MEDICATION),
        ("session_series", "attendance", records::SESSION_SERIES),
    ] {
        if !categories.iter().any(|c| c == category) {
            continue;
        }
        let rows = tx.query(
            "SELECT record_id, payload FROM clinic_records WHERE patient_id = $1 AND kind = $2
             ORDER BY record_id",
            &[patient_id.into(), kind.into()],
        )?;
        for row in rows {
            let mut payload: Value =
                serde_json::from_str(&row.text(1)?).map_err(|_| ApiError::internal())?;
            payload["id"] = Value::String(row.text(0)?);
            payload["source"] = Value::String("clinic".into());
            set.push(as_kind, payload);
        }
    }
    for consent in scope {
        set.push(
            records::CONSENT,
            serde_json::json!({
                "id": consent.consent_id,
                "category": consent.category,
                "discloser": consent.discloser,
                "recipient": consent.recipient,
                "recipient_address": consent.recipient_address,
                "purpose": consent.purpose,
                "granted_at_ms": consent.granted_at_ms,
                "expires_at_ms": consent.expires_at_ms,
                "signature": consent.signature,
                "revoked_at_ms": consent.revoked_at_ms,
            }),
        );
    }
    Ok(set)
}
