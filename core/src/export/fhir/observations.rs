//! What the patient reports: cravings, lapses and daily check-ins as
//! Observations with Steady codes; questionnaires as QuestionnaireResponses
//! (with the Questionnaire's canonical URL), PHQ-9 and GAD-7 also as LOINC
//! panel and total-score Observations; safety flags as Flags; a clinic's drug
//! screen as a laboratory Observation.

use super::{extension, id, steady_code, survey, Ctx, LOINC, QUESTIONNAIRE_BASE, STEADY_CODES};
use crate::export::fields::{flag, instant_of, int, list, text};
use serde_json::{json, Value};

pub const PHQ9_PANEL: &str = "44249-1";
pub const PHQ9_TOTAL: &str = "44261-6";
pub const PHQ9_ITEM9: &str = "44260-8";
pub const GAD7_PANEL: &str = "69737-5";
pub const GAD7_TOTAL: &str = "70274-6";

/// A component with a Steady code and a string value.
fn said(code: &str, display: &str, value: &str) -> Value {
    json!({"code": steady_code(code, display), "valueString": value})
}

fn observation(record: &Value, ctx: &Ctx<'_>, raw_id: &str, code: Value, at: &str) -> Value {
    let mut observation = json!({
        "resourceType": "Observation",
        "id": id(raw_id),
        "status": "final",
        "category": survey(),
        "code": code,
        "subject": ctx.patient,
        "performer": [ctx.patient],
    });
    if let Some(at) = instant_of(record, at) {
        observation["effectiveDateTime"] = json!(at);
    }
    if let Some(note) = text(record, "note") {
        observation["note"] = json!([{"text": note}]);
    }
    observation
}

/// A Flag for a record that asked for the clinic's attention.
fn safety_flag(
    record: &Value,
    ctx: &Ctx<'_>,
    raw_id: &str,
    code: &str,
    display: &str,
    at: &str,
) -> Value {
    let mut flag = json!({
        "resourceType": "Flag",
        "id": id(&format!("flag-{raw_id}")),
        "status": "active",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/flag-category",
            "code": "safety",
            "display": "Safety",
        }]}],
        "code": steady_code(code, display),
        "subject": ctx.patient,
    });
    if let Some(start) = instant_of(record, at) {
        flag["period"] = json!({"start": start});
    }
    flag
}

pub(super) fn craving(record: &Value, ctx: &Ctx<'_>) -> Vec<Value> {
    let raw_id = text(record, "id").unwrap_or("craving");
    let mut o = observation(
        record,
        ctx,
        raw_id,
        steady_code("craving", "Craving intensity (0-10)"),
        "occurred_at_ms",
    );
    if let Some(intensity) = int(record, "intensity") {
        o["valueInteger"] = json!(intensity);
    }
    if let Some(issued) = instant_of(record, "logged_at_ms") {
        o["issued"] = json!(issued);
    }
    let mut parts = Vec::new();
    for (key, code, display) in [
        ("triggers", "craving-trigger", "Trigger"),
        ("emotions", "craving-emotion", "Emotion"),
        ("substances", "craving-substance", "Substance"),
        ("coping_tried", "craving-coping-tried", "Coping tried"),
    ] {
        parts.extend(list(record, key).iter().map(|v| said(code, display, v)));
    }
    for (key, code, display) in [
        ("company", "craving-company", "Company"),
        ("place", "craving-place", "Place"),
        ("outcome", "craving-outcome", "Outcome"),
    ] {
        if let Some(v) = text(record, key) {
            parts.push(said(code, display, v));
        }
    }
    if let Some(minutes) = int(record, "duration_minutes") {
        parts.push(json!({
            "code": steady_code("craving-duration", "Duration"),
            "valueQuantity": {"value": minutes, "unit": "min", "system": "http://unitsofmeasure.org", "code": "min"},
        }));
    }
    if flag(record, "marked_unsafe") == Some(true) {
        parts.push(
            json!({"code": steady_code("marked-unsafe", "Marked unsafe"), "valueBoolean": true}),
        );
    }
    with_unsafe_flag(o, parts, record, ctx, raw_id)
}

/// A craving's or lapse's observation with its components, and the safety
/// Flag when the patient marked themselves unsafe.
fn with_unsafe_flag(
    mut o: Value,
    parts: Vec<Value>,
    record: &Value,
    ctx: &Ctx<'_>,
    raw_id: &str,
) -> Vec<Value> {
    if !parts.is_empty() {
        o["component"] = json!(parts);
    }
    let mut out = vec![o];
    if flag(record, "flagged_for_clinic") == Some(true) {
        out.push(safety_flag(
            record,
            ctx,
            raw_id,
            "marked-unsafe",
            "Patient marked themselves unsafe",
            "occurred_at_ms",
        ));
    }
    out
}

pub(super) fn lapse(record: &Value, ctx: &Ctx<'_>) -> Vec<Value> {
    let raw_id = text(record, "id").unwrap_or("lapse");
    let mut o = observation(
        record,
        ctx,
        raw_id,
        steady_code("lapse", "Lapse (substance use)"),
        "occurred_at_ms",
    );
    o["valueBoolean"] = json!(true);
    if let Some(issued) = instant_of(record, "logged_at_ms") {
        o["issued"] = json!(issued);
    }
    let mut parts: Vec<Value> = list(record, "substances")
        .iter()
        .map(|s| said("lapse-substance", "Substance", s))
        .collect();
    parts.extend(
        list(record, "triggers")
            .iter()
            .map(|t| said("lapse-trigger", "Trigger", t)),
    );
    for (key, code, display) in [
        ("amount", "lapse-amount", "Amount"),
        ("helped", "lapse-helped", "What helped"),
    ] {
        if let Some(v) = text(record, key) {
            parts.push(said(code, display, v));
        }
    }
    with_unsafe_flag(o, parts, record, ctx, raw_id)
}

pub(super) fn daily_checkin(record: &Value, ctx: &Ctx<'_>) -> Vec<Value> {
    let raw_id = text(record, "id").unwrap_or("checkin");
    let mut o = observation(
        record,
        ctx,
        raw_id,
        steady_code("daily-checkin", "Daily check-in"),
        "recorded_at_ms",
    );
    if let Some(day) = text(record, "local_date") {
        o["effectiveDateTime"] = json!(day);
    }
    if let Some(issued) = instant_of(record, "recorded_at_ms") {
        o["issued"] = json!(issued);
    }
    let mut parts = Vec::new();
    for (key, code, display) in [
        ("mood", "mood", "Mood (1-5)"),
        (
            "strongest_craving",
            "strongest-craving",
            "Strongest craving (0-10)",
        ),
        ("sleep_quality", "sleep-quality", "Sleep quality (1-5)"),
    ] {
        if let Some(v) = int(record, key) {
            parts.push(json!({"code": steady_code(code, display), "valueInteger": v}));
        }
    }
    for (key, code, display) in [
        ("used_today", "used-today", "Used today"),
        ("medication_taken", "medication-taken", "Medication taken"),
    ] {
        if let Some(v) = flag(record, key) {
            parts.push(json!({"code": steady_code(code, display), "valueBoolean": v}));
        }
    }
    if !parts.is_empty() {
        o["component"] = json!(parts);
    }
    vec![o]
}

/// The QuestionnaireResponse; for PHQ-9 and GAD-7 also the LOINC panel and
/// total Observations (item answers as components, item 9 of the PHQ-9 with
/// its own LOINC code); a Flag when the response asked for attention.
pub(super) fn questionnaire_response(record: &Value, ctx: &Ctx<'_>) -> Vec<Value> {
    let raw_id = text(record, "id").unwrap_or("response");
    let instrument = text(record, "questionnaire_id").unwrap_or("questionnaire");
    let answers = record
        .get("answers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let items: Vec<Value> = answers
        .iter()
        .filter_map(|answer| {
            let link_id = text(answer, "link_id")?;
            let given = answer.get("value")?;
            let value = match (text(given, "type"), given.get("value"), text(given, "code")) {
                (Some("choice"), _, Some(code)) => json!({"valueCoding": {"code": code}}),
                (Some("integer"), Some(v), _) => json!({"valueInteger": v}),
                (Some("boolean"), Some(v), _) => json!({"valueBoolean": v}),
                (_, Some(Value::String(s)), _) => json!({"valueString": s}),
                _ => return None,
            };
            Some(json!({"linkId": link_id, "answer": [value]}))
        })
        .collect();
    let response_id = id(&format!("qr-{raw_id}"));
    let mut qr = json!({
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": format!("{QUESTIONNAIRE_BASE}{instrument}"),
        "status": "completed",
        "subject": ctx.patient,
        "author": ctx.patient,
        "item": items,
    });
    if let Some(at) = instant_of(record, "completed_at_ms") {
        qr["authored"] = json!(at);
    }
    let mut out = vec![qr];
    let scored = match instrument {
        "phq9" => Some(("PHQ-9", PHQ9_PANEL, PHQ9_TOTAL)),
        "gad7" => Some(("GAD-7", GAD7_PANEL, GAD7_TOTAL)),
        _ => None,
    };
    if let Some((name, panel, total)) = scored {
        out.extend(scored_observations(
            record,
            ctx,
            raw_id,
            &response_id,
            name,
            panel,
            total,
            &answers,
        ));
    }
    if flag(record, "flagged_for_clinic") == Some(true) {
        let (code, display) = if instrument == "phq9" {
            (
                "phq9-item9-positive",
                "PHQ-9 item 9 answered above 0 (thoughts of self-harm)",
            )
        } else {
            (
                "questionnaire-flagged",
                "Questionnaire answer needs the clinic's attention",
            )
        };
        out.push(safety_flag(
            record,
            ctx,
            raw_id,
            code,
            display,
            "completed_at_ms",
        ));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn scored_observations(
    record: &Value,
    ctx: &Ctx<'_>,
    raw_id: &str,
    response_id: &str,
    name: &str,
    panel: &str,
    total: &str,
    answers: &[Value],
) -> Vec<Value> {
    let derived = json!([{"reference": format!("QuestionnaireResponse/{response_id}")}]);
    let total_id = id(&format!("total-{raw_id}"));
    let components: Vec<Value> = answers
        .iter()
        .filter_map(|answer| {
            let link_id = text(answer, "link_id")?;
            let points: i64 = answer.get("value").and_then(|v| text(v, "code"))?.parse().ok()?;
            let item = link_id.trim_start_matches("item");
            let mut coding = vec![json!({
                "system": STEADY_CODES,
                "code": format!("{}-{link_id}", name.to_lowercase().replace('-', "")),
                "display": format!("{name} item {item}"),
            })];
            if name == "PHQ-9" && link_id == "item9" {
                coding.insert(0, json!({"system": LOINC, "code": PHQ9_ITEM9,
                    "display": "Thoughts that you would be better off dead, or of hurting yourself in some way"}));
            }
            Some(json!({"code": {"coding": coding}, "valueInteger": points}))
        })
        .collect();
    let mut total_obs = observation(
        record,
        ctx,
        &total_id,
        json!({"coding": [{"system": LOINC, "code": total, "display": format!("{name} total score")}], "text": format!("{name} total score")}),
        "completed_at_ms",
    );
    total_obs["derivedFrom"] = derived.clone();
    if let Some(score) = int(record, "score") {
        total_obs["valueInteger"] = json!(score);
    }
    if let Some(label) = record.get("band").and_then(|b| text(b, "label")) {
        total_obs["interpretation"] = json!([{"text": label}]);
    }
    if !components.is_empty() {
        total_obs["component"] = json!(components);
    }
    let mut panel_obs = observation(
        record,
        ctx,
        &format!("panel-{raw_id}"),
        json!({"coding": [{"system": LOINC, "code": panel, "display": format!("{name} panel")}], "text": format!("{name} panel")}),
        "completed_at_ms",
    );
    panel_obs["derivedFrom"] = derived;
    panel_obs["hasMember"] = json!([{"reference": format!("Observation/{total_id}")}]);
    vec![panel_obs, total_obs]
}

/// A urine drug screen as a laboratory Observation, per substance. Reads
/// `id`, `substance`, `result` (`negative`/`positive`/...), `specimen` and
/// `collected_at_ms` (+ `time_zone`), and `recorded_by`.
pub(super) fn drug_screen(record: &Value, ctx: &Ctx<'_>) -> Vec<Value> {
    let raw_id = text(record, "id").unwrap_or("screen");
    let substance = text(record, "substance").unwrap_or("substance");
    let mut o = json!({
        "resourceType": "Observation",
        "id": id(&format!("screen-{raw_id}")),
        "status": "final",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "laboratory",
        }]}],
        "code": steady_code("drug-screen", &format!("Drug screen: {substance}")),
        "subject": ctx.patient,
    });
    if let Some(result) = text(record, "result") {
        o["valueString"] = json!(result);
    }
    if let Some(specimen) = text(record, "specimen") {
        o["specimen"] = json!({"display": specimen});
    }
    if let Some(at) = instant_of(record, "collected_at_ms") {
        o["effectiveDateTime"] = json!(at);
    }
    if let Some(by) = text(record, "recorded_by") {
        o["performer"] = json!([{"display": by}]);
    }
    vec![o]
}

/// The extension naming who recorded a record (`patient` or `clinic`).
pub(super) fn recorded_by(record: &Value) -> Value {
    extension(
        "recorded-by",
        "valueCode",
        json!(text(record, "recorded_by").unwrap_or("patient")),
    )
}
