//! The served OpenAPI document stays true: it lists exactly the routes the
//! router has, its example requests match both its own schemas and the Rust
//! types the server parses, and real answers match the documented schemas.

mod common;

use common::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use steady_clinic::openapi;

/// Validates `value` against the JSON Schema subset the document uses.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        if target.is_null() {
            return Err(format!("{at}: unresolved {reference}"));
        }
        return check(doc, target, value, at);
    }
    if let Some(options) = schema["oneOf"].as_array() {
        let matching = options
            .iter()
            .filter(|o| check(doc, o, value, at).is_ok())
            .count();
        return if matching == 1 {
            Ok(())
        } else {
            Err(format!("{at}: matches {matching} of oneOf"))
        };
    }
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let ok = allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
        if !ok {
            return Err(format!("{at}: {actual} is not {allowed:?}"));
        }
    }
    if let Some(options) = schema["enum"].as_array() {
        if !options.contains(value) {
            return Err(format!("{at}: {value} not in enum"));
        }
    }
    if let (Some(min), Some(n)) = (schema["minimum"].as_f64(), value.as_f64()) {
        if n < min {
            return Err(format!("{at}: below minimum"));
        }
    }
    if let (Some(max), Some(n)) = (schema["maximum"].as_f64(), value.as_f64()) {
        if n > max {
            return Err(format!("{at}: above maximum"));
        }
    }
    if let Value::Object(map) = value {
        let properties = schema["properties"].as_object();
        for required in schema["required"].as_array().into_iter().flatten() {
            let name = required.as_str().unwrap_or_default();
            if !map.contains_key(name) {
                return Err(format!("{at}: missing {name}"));
            }
        }
        for (key, item) in map {
            match properties.and_then(|p| p.get(key)) {
                Some(property) => check(doc, property, item, &format!("{at}.{key}"))?,
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => return Err(format!("{at}: unknown property {key}")),
                    extra @ Value::Object(_) => check(doc, extra, item, &format!("{at}.{key}"))?,
                    _ => {}
                },
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(doc, item_schema, item, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.to_uppercase(), path.clone(), op.clone()));
        }
    }
    out
}

fn operation(doc: &Value, id: &str) -> Value {
    operations(doc)
        .into_iter()
        .find(|(_, _, op)| op["operationId"] == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
        .2
}

#[test]
fn the_document_lists_exactly_the_routes_the_server_registers() {
    let doc = openapi::document();
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect();
    let registered: BTreeSet<(String, String)> = steady_clinic::app::route_list()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(documented, registered);
}

#[test]
fn every_operation_is_complete_and_every_reference_resolves() {
    let doc = openapi::document();
    let mut ids = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path}: no operationId"));
        assert!(ids.insert(id.to_string()), "duplicate operationId {id}");
        assert!(op["summary"].is_string(), "{id}: no summary");
        assert!(
            !op["responses"].as_object().unwrap().is_empty(),
            "{id}: no responses"
        );
        for name in path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        {
            let declared = op["parameters"].as_array().into_iter().flatten().any(|p| {
                let param = p["$ref"]
                    .as_str()
                    .and_then(|r| r.rsplit('/').next())
                    .map(|key| &doc["components"]["parameters"][key]);
                param.is_some_and(|p| p["name"] == name && p["in"] == "path")
            });
            assert!(declared, "{id}: path parameter {name} not declared");
        }
    }
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"").skip(1) {
        let target = reference.split('"').next().unwrap();
        let pointer = target.trim_start_matches('#');
        assert!(doc.pointer(pointer).is_some(), "unresolved {target}");
    }
}

#[test]
fn example_requests_match_their_schemas_and_the_servers_types() {
    let doc = openapi::document();
    for (method, path, op) in operations(&doc) {
        let Some(content) = op["requestBody"]["content"]["application/json"].as_object() else {
            continue;
        };
        let example = &content["example"];
        check(
            &doc,
            &content["schema"],
            example,
            &format!("{method} {path}"),
        )
        .unwrap();
        let id = op["operationId"].as_str().unwrap();
        let parsed = match id {
            "enroll" => serde_json::from_value::<steady_protocol::EnrollRequest>(example.clone())
                .map(|_| ()),
            "push" => serde_json::from_value::<steady_protocol::PushRequest>(example.clone()).map(
                |push| {
                    for m in push.mutations.iter().filter(|m| m.record_type == "consent") {
                        serde_json::from_value::<steady_protocol::Consent>(m.payload.clone())
                            .expect("consent example");
                    }
                },
            ),
            "pull" => {
                serde_json::from_value::<steady_protocol::PullRequest>(example.clone()).map(|_| ())
            }
            "signIn" => {
                serde_json::from_value::<steady_clinic::staff::SignIn>(example.clone()).map(|_| ())
            }
            "createPatient" => {
                serde_json::from_value::<steady_clinic::staff::NewPatient>(example.clone())
                    .map(|_| ())
            }
            clinic if clinic.starts_with("create") || clinic.starts_with("replace") => {
                let kind = steady_clinic::clinic_records::KINDS
                    .into_iter()
                    .find(|k| {
                        clinic
                            .to_lowercase()
                            .ends_with(&k.as_str().replace('_', ""))
                    })
                    .unwrap_or_else(|| panic!("{clinic}: no kind"));
                steady_clinic::clinic_records::validate_payload(kind, example.clone())
                    .map(|_| ())
                    .map_err(|e| panic!("{id}: {}", e.reason))
            }
            "subscribeCalendarFeed" => {
                serde_json::from_value::<steady_clinic::feeds::Subscription>(example.clone())
                    .map(|_| ())
            }
            other => panic!("{other}: example request not checked against a Rust type"),
        };
        parsed.unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    for (kind, example) in openapi::clinic_record_examples() {
        let kind = steady_protocol::ChangeKind::parse(kind).unwrap();
        check(
            &doc,
            &json!({"$ref": "#/components/schemas/ClinicRecordBody"}),
            &example,
            kind.as_str(),
        )
        .unwrap();
        steady_clinic::clinic_records::validate_payload(kind, example).unwrap();
    }
}

/// Asserts a live answer matches the documented response of its status.
fn conforms(doc: &Value, id: &str, answer: &(u16, Value)) {
    let (status, body) = answer;
    let response = &operation(doc, id)["responses"][status.to_string()];
    assert!(
        !response.is_null(),
        "{id}: status {status} not documented ({body})"
    );
    match response["content"]["application/json"]["schema"].as_object() {
        Some(schema) => check(doc, &Value::Object(schema.clone()), body, id)
            .unwrap_or_else(|e| panic!("{e}\n{body}")),
        None => assert_eq!(*body, Value::Null, "{id}: undocumented body"),
    }
}

#[test]
fn live_answers_match_the_served_document() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let client = &clinic.client;
        let doc = client.ok("GET", "/openapi.json", None, None);
        assert_eq!(doc, openapi::document());

        let created = clinic.staff(
            "POST",
            "/v1/staff/patients",
            Some(&json!({"name": "Sam Rivera"})),
        );
        conforms(&doc, "createPatient", &created);
        let patient = created.1["patient_id"].as_str().unwrap().to_string();
        let base = format!("/v1/staff/patients/{patient}");
        let code = clinic.staff("POST", &format!("{base}/enrollment-codes"), None);
        conforms(&doc, "issueEnrollmentCode", &code);
        let enrolled = client.call(
            "POST",
            "/v1/enroll",
            None,
            Some(&json!({"code": code.1["code"]})),
        );
        conforms(&doc, "enroll", &enrolled);
        conforms(
            &doc,
            "enroll",
            &client.call(
                "POST",
                "/v1/enroll",
                None,
                Some(&json!({"code": code.1["code"]})),
            ),
        );
        let phone = Device {
            client: client.clone(),
            patient_id: patient.clone(),
            device_id: enrolled.1["device_id"].as_str().unwrap().to_string(),
            token: enrolled.1["device_token"].as_str().unwrap().to_string(),
        };
        conforms(
            &doc,
            "push",
            &phone.push(vec![
                consent(1, "k1", "cravings", None),
                craving(2, "c1", 4),
                craving(3, "c2", 4),
            ]),
        );
        conforms(&doc, "push", &phone.push(vec![craving(0, "c1", 4)]));
        for ((kind, example), id) in openapi::clinic_record_examples().into_iter().zip([
            "createSessionSeries",
            "createMedicationPlan",
            "createQuestionnaire",
            "createMessage",
        ]) {
            conforms(
                &doc,
                id,
                &clinic.staff(
                    "POST",
                    &format!("{base}/clinic-records/{kind}"),
                    Some(&example),
                ),
            );
        }
        let series = clinic.add_clinic_record(&patient, "session_series", session_series());
        let series_path = format!(
            "{base}/clinic-records/session_series/{}",
            series["record_id"].as_str().unwrap()
        );
        conforms(
            &doc,
            "replaceSessionSeries",
            &clinic.staff("PUT", &series_path, Some(&session_series())),
        );
        conforms(
            &doc,
            "deleteSessionSeries",
            &clinic.staff("DELETE", &series_path, None),
        );
        conforms(&doc, "pull", &phone.pull(0, 3));
        conforms(
            &doc,
            "listPatients",
            &clinic.staff("GET", "/v1/staff/patients", None),
        );
        conforms(&doc, "getPatient", &clinic.staff("GET", &base, None));
        conforms(
            &doc,
            "listClinicRecords",
            &clinic.staff("GET", &format!("{base}/clinic-records"), None),
        );
        conforms(
            &doc,
            "readRecords",
            &clinic.staff("GET", &format!("{base}/records?category=cravings"), None),
        );
        conforms(
            &doc,
            "readSummary",
            &clinic.staff("GET", &format!("{base}/summary"), None),
        );
        conforms(
            &doc,
            "readAudit",
            &clinic.staff("GET", "/v1/staff/audit?limit=5", None),
        );
        conforms(
            &doc,
            "readAudit",
            &clinic.staff("GET", "/v1/staff/audit?limit=0", None),
        );
        conforms(
            &doc,
            "revokeDevice",
            &clinic.staff(
                "POST",
                &format!("{base}/devices/{}/revoke", phone.device_id),
                None,
            ),
        );
        conforms(&doc, "pull", &phone.pull(0, 3));
        conforms(
            &doc,
            "signIn",
            &client.call(
                "POST",
                "/v1/staff/sessions",
                None,
                Some(&json!({"email": "nobody@clinic.test", "password": "x"})),
            ),
        );
        conforms(
            &doc,
            "signOut",
            &clinic.staff("DELETE", "/v1/staff/sessions/current", None),
        );
        conforms(
            &doc,
            "listPatients",
            &clinic.staff("GET", "/v1/staff/patients", None),
        );
    });
}
