//! The patient's record as a FHIR R4 document Bundle (docs/export.md has the
//! whole mapping). Built with serde_json rather than a FHIR model crate
//! (docs/adr/0050-fhir-export-with-serde-json.md): a Composition first (what
//! the document is, and for a clinic disclosure the 42 CFR §2.32 notice and
//! the consent scope), the Patient, then each record kind through its mapping
//! in [`MAPPINGS`]. A clinic disclosure labels every resource `42CFRPart2`.
//!
//! The same code serves the patient's own export (the core) and the clinic's
//! consent-scoped export (the server, which builds the [`RecordSet`] from what
//! was synced to it).

mod care;
mod consent;
mod observations;

use super::fields;
use super::records::{self, RecordSet};
use crate::zone::Tz;
use serde_json::{json, Map, Value};

pub use consent::{OUTSIDE_REFUSAL_STATEMENT, REFUSAL_STATEMENT, RIGHT_TO_REVOKE};

/// Steady's own code system (docs/export.md lists its codes).
pub const STEADY_CODES: &str = "https://steady.app/fhir/CodeSystem/steady";
/// The consent categories as codes.
pub const STEADY_CATEGORIES: &str = "https://steady.app/fhir/CodeSystem/consent-category";
/// Base of Steady's extensions.
pub const STEADY_EXTENSIONS: &str = "https://steady.app/fhir/StructureDefinition/";
/// Base of the canonical URLs of Steady's questionnaires.
pub const QUESTIONNAIRE_BASE: &str = "https://steady.app/fhir/Questionnaire/";
/// Base of every entry's fullUrl.
pub const ENTRY_BASE: &str = "https://steady.app/fhir/";
pub const LOINC: &str = "http://loinc.org";
pub const ACT_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
pub const CONFIDENTIALITY: &str = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

/// Who the document is about, when it was made, and — for a clinic
/// disclosure — to whom and under which consents.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleContext {
    pub patient_id: String,
    pub patient_name: Option<String>,
    pub generated_at_ms: i64,
    /// Zone the generation time is written in.
    pub time_zone: String,
    pub disclosure: Option<Disclosure>,
}

/// A disclosure of Part 2 records by the clinic.
#[derive(Debug, Clone, PartialEq)]
pub struct Disclosure {
    pub discloser: String,
    pub recipient: String,
    pub purpose: String,
    /// The consent categories disclosed.
    pub categories: Vec<String>,
    /// One of the two statements 42 CFR §2.32 prescribes.
    pub notice: String,
}

/// The mapping context each record kind sees.
pub(crate) struct Ctx<'a> {
    pub set: &'a RecordSet,
    pub patient: Value,
    pub generated_date: String,
}

type Mapping = fn(&Value, &Ctx<'_>) -> Vec<Value>;

/// Record kind → its FHIR resources. A kind the clinic adds later (a drug
/// screen, clinic-recorded attendance) slots in with one line here.
const MAPPINGS: &[(&str, Mapping)] = &[
    (records::CONSENT, consent::consent),
    (records::CRAVING, observations::craving),
    (records::LAPSE, observations::lapse),
    (records::DAILY_CHECKIN, observations::daily_checkin),
    (
        records::QUESTIONNAIRE_RESPONSE,
        observations::questionnaire_response,
    ),
    (records::ATTENDANCE, care::attendance),
    (records::MEDICATION, care::medication),
    (records::DOSE, care::dose),
    (records::DRUG_SCREEN, observations::drug_screen),
];

/// The document Bundle for `set`.
pub fn bundle(set: &RecordSet, context: &BundleContext) -> Value {
    let zone: Tz = context.time_zone.parse().unwrap_or(Tz::UTC);
    let generated = fields::instant(context.generated_at_ms, zone).unwrap_or_default();
    let patient_id = id(&context.patient_id);
    let ctx = Ctx {
        set,
        patient: json!({"reference": format!("Patient/{patient_id}")}),
        generated_date: generated.chars().take(10).collect(),
    };
    let mut resources = vec![patient(&patient_id, context)];
    for (kind, mapping) in MAPPINGS {
        for record in set.of(kind) {
            resources.extend(mapping(record, &ctx));
        }
    }
    let composition = composition(context, &ctx, &generated, &resources);
    resources.insert(0, composition);
    let disclosed = context.disclosure.is_some();
    let entries: Vec<Value> = resources
        .into_iter()
        .map(|mut resource| {
            if disclosed {
                label_part2(&mut resource);
            }
            let full_url = format!(
                "{ENTRY_BASE}{}/{}",
                resource["resourceType"].as_str().unwrap_or_default(),
                resource["id"].as_str().unwrap_or_default()
            );
            json!({"fullUrl": full_url, "resource": resource})
        })
        .collect();
    let mut bundle = json!({
        "resourceType": "Bundle",
        "id": id(&format!("export-{patient_id}-{}", context.generated_at_ms)),
        "meta": {"lastUpdated": generated},
        "identifier": {
            "system": format!("{ENTRY_BASE}export"),
            "value": format!("{patient_id}-{}", context.generated_at_ms),
        },
        "type": "document",
        "timestamp": generated,
        "entry": entries,
    });
    if disclosed {
        label_part2(&mut bundle);
    }
    bundle
}

fn patient(patient_id: &str, context: &BundleContext) -> Value {
    let mut patient = json!({"resourceType": "Patient", "id": patient_id, "active": true});
    if let Some(name) = &context.patient_name {
        patient["name"] = json!([{"text": name}]);
    }
    patient
}

/// The document's first entry: what it is, and for a disclosure the notice
/// against redisclosure and the consents it was made under.
fn composition(context: &BundleContext, ctx: &Ctx<'_>, generated: &str, all: &[Value]) -> Value {
    let consents: Vec<Value> = all
        .iter()
        .filter(|r| r["resourceType"] == "Consent")
        .map(|r| json!({"reference": format!("Consent/{}", r["id"].as_str().unwrap_or_default())}))
        .collect();
    let (title, author, sections) = match &context.disclosure {
        None => (
            "Steady: my record".to_string(),
            ctx.patient.clone(),
            vec![json!({
                "title": "About this record",
                "text": narrative(&format!(
                    "Exported by the patient from Steady at {generated}: everything the app \
                     holds, {} resources.",
                    all.len()
                )),
            })],
        ),
        Some(d) => (
            "Steady record disclosed under 42 CFR Part 2".to_string(),
            json!({"display": d.discloser}),
            vec![
                json!({
                    "title": "Notice of prohibition on redisclosure (42 CFR 2.32)",
                    "code": {"coding": [{"system": ACT_CODE, "code": "42CFRPart2"}]},
                    "text": narrative(&d.notice),
                }),
                json!({
                    "title": "Consent scope",
                    "text": narrative(&format!(
                        "Disclosed by {} to {} for: {}. Categories the patient consented to \
                         share: {}. Nothing outside these categories is included.",
                        d.discloser,
                        d.recipient,
                        d.purpose,
                        if d.categories.is_empty() { "none".to_string() } else { d.categories.join(", ") }
                    )),
                    "entry": consents,
                }),
            ],
        ),
    };
    let mut composition = json!({
        "resourceType": "Composition",
        "id": id(&format!("summary-{}", context.generated_at_ms)),
        "status": "final",
        "type": {"coding": [{"system": LOINC, "code": "60591-5", "display": "Patient summary Document"}]},
        "subject": ctx.patient,
        "date": generated,
        "author": [author],
        "title": title,
        "section": sections,
    });
    if context.disclosure.is_some() {
        composition["confidentiality"] = json!("R");
    }
    composition
}

/// The security labels of a Part 2 disclosure: the law, restricted
/// confidentiality, and no redisclosure without consent.
fn label_part2(resource: &mut Value) {
    let labels = json!([
        {"system": ACT_CODE, "code": "42CFRPart2", "display": "42 CFR Part2"},
        {"system": CONFIDENTIALITY, "code": "R", "display": "restricted"},
        {"system": ACT_CODE, "code": "NORDSLCD", "display": "no redisclosure without consent directive"},
    ]);
    if let Some(object) = resource.as_object_mut() {
        let meta = object
            .entry("meta")
            .or_insert_with(|| Value::Object(Map::new()));
        meta["security"] = labels;
    }
}

/// A FHIR id: letters, digits, '-' and '.', at most 64 characters.
pub(crate) fn id(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    if cleaned.is_empty() {
        "unnamed".to_string()
    } else {
        cleaned
    }
}

pub(crate) fn steady_code(code: &str, display: &str) -> Value {
    json!({"coding": [{"system": STEADY_CODES, "code": code, "display": display}], "text": display})
}

pub(crate) fn extension(name: &str, value_key: &str, value: Value) -> Value {
    json!({"url": format!("{STEADY_EXTENSIONS}{name}"), value_key: value})
}

/// Generated XHTML narrative for a plain sentence.
pub(crate) fn narrative(text: &str) -> Value {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    json!({
        "status": "generated",
        "div": format!("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{escaped}</p></div>"),
    })
}

/// Observation category `survey` (self-reported), shared by the
/// patient-reported observations.
pub(crate) fn survey() -> Value {
    json!([{"coding": [{
        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
        "code": "survey",
        "display": "Survey",
    }]}])
}
