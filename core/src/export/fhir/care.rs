//! Treatment the patient takes part in: each session occurrence with recorded
//! attendance as an Appointment (status, and who recorded it), each medication
//! plan as a MedicationStatement, each answered dose as a
//! MedicationAdministration (taken, taken late, or not done).

use super::observations::recorded_by;
use super::{extension, id, Ctx};
use crate::export::fields::{instant_of, int, list, text, wall_clock, zone};
use crate::export::records;
use crate::zone::Tz;
use chrono::Duration;
use serde_json::{json, Value};

fn find<'a>(ctx: &'a Ctx<'_>, kind: &str, raw_id: &str) -> Option<&'a Value> {
    ctx.set
        .of(kind)
        .iter()
        .find(|r| text(r, "id") == Some(raw_id))
}

pub(super) fn attendance(record: &Value, ctx: &Ctx<'_>) -> Vec<Value> {
    let Some(occurrence) = text(record, "occurrence_id") else {
        return Vec::new();
    };
    let series_id = text(record, "series_id")
        .or_else(|| occurrence.split('@').next())
        .unwrap_or_default();
    let series = find(ctx, records::SESSION_SERIES, series_id);
    let zone: Tz = series.map_or_else(|| zone(record), zone);
    let (status, comment) = match text(record, "status") {
        Some("attended") => ("fulfilled", "Attended"),
        Some("late") => ("fulfilled", "Attended, arrived late"),
        Some("missed") => ("noshow", "Missed"),
        Some("excused") => ("cancelled", "Excused absence"),
        _ => ("fulfilled", "Attendance recorded"),
    };
    let mut appointment = json!({
        "resourceType": "Appointment",
        "id": id(occurrence),
        "status": status,
        "comment": comment,
        "participant": [{"actor": ctx.patient, "status": "accepted"}],
        "extension": [recorded_by(record)],
    });
    if let Some(at) = instant_of(record, "recorded_at_ms") {
        appointment["extension"]
            .as_array_mut()
            .expect("extension list")
            .push(extension("recorded-at", "valueDateTime", json!(at)));
    }
    if status == "cancelled" {
        appointment["cancelationReason"] = json!({"text": "excused"});
    }
    if let Some(series) = series {
        if let Some(title) = text(series, "title") {
            appointment["description"] = json!(title);
        }
        if let Some(kind) = text(series, "kind") {
            appointment["serviceType"] = json!([{"text": kind}]);
        }
    }
    let minutes =
        series.and_then(|s| int(s, "duration_min").or_else(|| int(s, "duration_minutes")));
    let start_local = occurrence.split_once('@').map(|(_, at)| at);
    if let (Some(start), Some(minutes)) = (start_local.and_then(|l| wall_clock(l, zone)), minutes) {
        if let Ok(begin) = chrono::DateTime::parse_from_rfc3339(&start) {
            let end = (begin + Duration::minutes(minutes))
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
            appointment["start"] = json!(start);
            appointment["end"] = json!(end);
            appointment["minutesDuration"] = json!(minutes);
        }
    }
    vec![appointment]
}

pub(super) fn medication(record: &Value, ctx: &Ctx<'_>) -> Vec<Value> {
    let raw_id = text(record, "id").unwrap_or("medication");
    let name = text(record, "name").unwrap_or("medication");
    let ended = text(record, "end_date").is_some_and(|end| end < ctx.generated_date.as_str());
    let times = list(record, "times");
    let weekdays = list(record, "weekdays");
    let schedule = format!(
        "{} at {} {}",
        text(record, "dose").unwrap_or(name),
        if times.is_empty() {
            "no set time".to_string()
        } else {
            times.join(", ")
        },
        if weekdays.is_empty() {
            "every day".to_string()
        } else {
            format!("on {}", weekdays.join(", "))
        },
    );
    let mut statement = json!({
        "resourceType": "MedicationStatement",
        "id": id(&format!("plan-{raw_id}")),
        "status": if ended { "completed" } else { "active" },
        "medicationCodeableConcept": {"text": name},
        "subject": ctx.patient,
        "dosage": [{"text": schedule}],
    });
    let mut period = json!({});
    if let Some(start) = text(record, "start_date") {
        period["start"] = json!(start);
    }
    if let Some(end) = text(record, "end_date") {
        period["end"] = json!(end);
    }
    if period.as_object().is_some_and(|p| !p.is_empty()) {
        statement["effectivePeriod"] = period;
    }
    if let Some(source) = text(record, "source") {
        statement["informationSource"] = json!({"display": source});
    }
    vec![statement]
}

pub(super) fn dose(record: &Value, ctx: &Ctx<'_>) -> Vec<Value> {
    let Some(dose_id) = text(record, "dose_id").or_else(|| text(record, "id")) else {
        return Vec::new();
    };
    let plan = text(record, "medication_id").and_then(|m| find(ctx, records::MEDICATION, m));
    let name = plan.and_then(|p| text(p, "name")).unwrap_or("medication");
    let due = text(record, "due_local").and_then(|l| wall_clock(l, zone(record)));
    let confirmed = instant_of(record, "confirmed_at_ms");
    let status = text(record, "status").unwrap_or("taken");
    let mut administration = json!({
        "resourceType": "MedicationAdministration",
        "id": id(&format!("dose-{dose_id}")),
        "status": if status == "skipped" { "not-done" } else { "completed" },
        "medicationCodeableConcept": {"text": name},
        "subject": ctx.patient,
        "performer": [{"actor": ctx.patient}],
        "extension": [recorded_by(record)],
    });
    // When it was taken is when the patient said so; a skipped dose is
    // placed at its due time.
    let effective = if status == "skipped" {
        due.clone().or(confirmed.clone())
    } else {
        confirmed.clone().or(due.clone())
    };
    if let Some(at) = effective {
        administration["effectiveDateTime"] = json!(at);
    }
    if let Some(due) = due {
        administration["extension"]
            .as_array_mut()
            .expect("extension list")
            .push(extension("dose-due", "valueDateTime", json!(due)));
    }
    match status {
        "skipped" => administration["statusReason"] = json!([{"text": "Skipped"}]),
        "taken_late" => administration["note"] = json!([{"text": "Taken late"}]),
        _ => {}
    }
    if let Some(plan) = plan {
        if let Some(dose) = text(plan, "dose") {
            administration["dosage"] = json!({"text": dose});
        }
        if let Some(plan_id) = text(plan, "id") {
            administration["supportingInformation"] = json!([{"reference": format!("MedicationStatement/{}", id(&format!("plan-{plan_id}")))}]);
        }
    }
    vec![administration]
}
