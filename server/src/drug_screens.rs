//! Drug screens the clinic records: per substance a result, whether it is
//! presumptive or confirmed, and whether it is expected because prescribed.
//! A negative screen for a prescribed substance (buprenorphine for a patient
//! on it) may mean diversion or a missed dose, and raises a safety flag.
//! Results stay with the care team until the clinician releases them to the
//! patient's app (after talking them through); the release is a clinic
//! change of kind `drug_screen`.

use crate::audit::{self, Actor, Entry};
use crate::error::{ApiError, ApiResult};
use crate::store::{DbError, Tx};
use crate::{clinic_changes, flags, validate};
use steady_protocol::{ChangeKind, DrugScreen, ScreenResult};

pub const SPECIMENS: [&str; 4] = ["urine", "oral_fluid", "blood", "hair"];
/// The substances the dashboard's form offers.
pub const SUBSTANCES: [&str; 10] = [
    "buprenorphine",
    "methadone",
    "opiates",
    "fentanyl",
    "oxycodone",
    "cocaine",
    "amphetamines",
    "benzodiazepines",
    "thc",
    "alcohol",
];

pub fn validate(screen: &DrugScreen) -> ApiResult<()> {
    validate::date("collected_on", &screen.collected_on)?;
    if !SPECIMENS.contains(&screen.specimen.as_str()) {
        return Err(ApiError::invalid(
            "specimen",
            "must be urine, oral_fluid, blood or hair",
        ));
    }
    validate::text("panel", &screen.panel, 100)?;
    if screen.results.is_empty() || screen.results.len() > 40 {
        return Err(ApiError::invalid("results", "must hold 1 to 40 substances"));
    }
    for r in &screen.results {
        validate::text("substance", &r.substance, 60)?;
        if !["negative", "positive"].contains(&r.result.as_str()) {
            return Err(ApiError::invalid("result", "must be negative or positive"));
        }
        if !["presumptive", "confirmed"].contains(&r.method.as_str()) {
            return Err(ApiError::invalid(
                "method",
                "must be presumptive or confirmed",
            ));
        }
    }
    Ok(())
}

/// Why a result needs the clinic's attention, if it does: a prescribed
/// substance not found (a negative buprenorphine screen for a patient on
/// buprenorphine may mean doses are not taken, or are diverted), or a
/// substance found that is not prescribed (a possible lapse, to talk through
/// with the patient, not to sanction).
pub fn attention(r: &ScreenResult) -> Option<&'static str> {
    match (r.expected, r.result.as_str()) {
        (true, "negative") => Some("expected (prescribed) but not found"),
        (false, "positive") => Some("found, not prescribed"),
        _ => None,
    }
}

#[derive(Debug, Clone)]
pub struct StoredScreen {
    pub id: String,
    pub screen: DrugScreen,
    pub recorded_by: String,
    pub recorded_at_ms: i64,
    pub released_at_ms: Option<i64>,
}

/// Records a screen; raises a flag when a result needs attention
/// ([`attention`]).
pub fn record(
    tx: &mut dyn Tx,
    actor: &Actor,
    patient_id: &str,
    screen: &DrugScreen,
    now_ms: i64,
) -> ApiResult<String> {
    validate(screen)?;
    let id = uuid::Uuid::now_v7().to_string();
    let results = serde_json::to_string(&screen.results).map_err(|_| ApiError::internal())?;
    tx.exec(
        "INSERT INTO drug_screens (id, patient_id, collected_on, specimen, panel, results,
             recorded_by, recorded_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            id.clone().into(),
            patient_id.into(),
            screen.collected_on.clone().into(),
            screen.specimen.clone().into(),
            screen.panel.clone().into(),
            results.into(),
            actor.to_string().into(),
            now_ms.into(),
        ],
    )?;
    audit::append(
        tx,
        now_ms,
        Entry {
            actor,
            action: "drug_screen.record",
            patient_id: Some(patient_id),
            purpose: "treatment",
            detail: format!("drug_screen {id} substances={}", screen.results.len()),
        },
    )?;
    if screen.results.iter().any(|r| attention(r).is_some()) {
        flags::raise(
            tx,
            patient_id,
            flags::DRUG_SCREEN_SOURCE,
            &id,
            now_ms,
            now_ms,
        )?;
    }
    Ok(id)
}

/// Every screen of a patient, newest collection first.
pub fn of_patient(tx: &mut dyn Tx, patient_id: &str) -> Result<Vec<StoredScreen>, DbError> {
    let rows = tx.query(
        "SELECT id, collected_on, specimen, panel, results, recorded_by, recorded_at_ms,
                released_at_ms FROM drug_screens WHERE patient_id = $1
         ORDER BY collected_on DESC, recorded_at_ms DESC",
        &[patient_id.into()],
    )?;
    rows.iter()
        .map(|row| {
            Ok(StoredScreen {
                id: row.text(0)?,
                screen: DrugScreen {
                    collected_on: row.text(1)?,
                    specimen: row.text(2)?,
                    panel: row.text(3)?,
                    results: serde_json::from_str(&row.text(4)?)
                        .map_err(|_| DbError::Other("drug_screens.results".into()))?,
                },
                recorded_by: row.text(5)?,
                recorded_at_ms: row.int(6)?,
                released_at_ms: row.opt_int(7)?,
            })
        })
        .collect()
}

/// Releases a screen to the patient's app (once).
pub fn release(
    tx: &mut dyn Tx,
    actor: &Actor,
    patient_id: &str,
    screen_id: &str,
    now_ms: i64,
) -> ApiResult<()> {
    let stored = of_patient(tx, patient_id)?
        .into_iter()
        .find(|s| s.id == screen_id)
        .ok_or_else(|| ApiError::not_found("drug screen"))?;
    if stored.released_at_ms.is_some() {
        return Ok(());
    }
    tx.exec(
        "UPDATE drug_screens SET released_at_ms = $1 WHERE id = $2",
        &[now_ms.into(), screen_id.into()],
    )?;
    let payload = serde_json::to_value(&stored.screen).map_err(|_| ApiError::internal())?;
    clinic_changes::write_change(
        tx,
        actor,
        patient_id,
        ChangeKind::DrugScreen,
        screen_id,
        Some(&payload),
        now_ms,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(substance: &str, result: &str, expected: bool) -> ScreenResult {
        ScreenResult {
            substance: substance.into(),
            result: result.into(),
            method: "presumptive".into(),
            expected,
        }
    }

    #[test]
    fn a_missing_prescribed_or_a_found_unprescribed_substance_needs_attention() {
        let needs = |substance, found, prescribed| attention(&result(substance, found, prescribed));
        assert_eq!(
            needs("buprenorphine", "negative", true),
            Some("expected (prescribed) but not found")
        );
        assert_eq!(
            needs("fentanyl", "positive", false),
            Some("found, not prescribed")
        );
        assert_eq!(needs("buprenorphine", "positive", true), None);
        assert_eq!(needs("cocaine", "negative", false), None);
    }

    #[test]
    fn a_screen_needs_a_known_specimen_and_results() {
        let mut screen = DrugScreen {
            collected_on: "2027-01-04".into(),
            specimen: "urine".into(),
            panel: "12-panel cup".into(),
            results: vec![result("thc", "negative", false)],
        };
        assert!(validate(&screen).is_ok());
        screen.specimen = "sweat".into();
        assert!(validate(&screen)
            .unwrap_err()
            .reason
            .starts_with("specimen:"));
        screen.specimen = "urine".into();
        screen.results[0].method = "guess".into();
        assert!(validate(&screen).unwrap_err().reason.starts_with("method:"));
        screen.results.clear();
        assert!(validate(&screen)
            .unwrap_err()
            .reason
            .starts_with("results:"));
    }
}
