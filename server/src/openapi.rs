//! The OpenAPI 3.1 document of the whole HTTP API, served at
//! `GET /openapi.json`. Tests hold it to the router (same routes, both ways)
//! and check every example against its schema here and against the Rust
//! type the server parses it into.

use axum::Json;
use serde_json::{json, Value};

/// `GET /openapi.json`
pub async fn serve() -> Json<Value> {
    Json(document())
}

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// A strict request object: listed properties only.
fn request(required: &[&str], properties: Value) -> Value {
    json!({"type": "object", "required": required, "properties": properties, "additionalProperties": false})
}

/// A response object: clients ignore properties they do not know.
fn response(required: &[&str], properties: Value) -> Value {
    json!({"type": "object", "required": required, "properties": properties})
}

/// Text the server accepts with `validate::text`: at most `max` characters,
/// something besides white space, no control characters but new lines.
fn text(max: usize) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": max,
           "pattern": "^[^\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f]*$"})
}

/// `text(max)` or null.
fn optional_text(max: usize) -> Value {
    json!({"oneOf": [text(max), {"type": "null"}]})
}

/// A 64-bit signed integer (what the server parses).
fn int64() -> Value {
    json!({"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX})
}

/// A 32-bit unsigned integer within `min..=max`.
fn bounded(min: i64, max: i64) -> Value {
    json!({"type": "integer", "minimum": min, "maximum": max})
}

/// An id the server issued.
const UUID_PATTERN: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// Text in a path or a query: no control character at all (the server
/// refuses one anywhere in the path or query, naming where it was).
const NO_CONTROL: &str = "[^\\x00-\\x1f\\x7f-\\x9f]";

/// One line of text in a query parameter: like [`text`], without line breaks.
fn query_text(max: usize) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": max,
           "pattern": format!("^{NO_CONTROL}*[^\\s\\x00-\\x1f\\x7f-\\x9f]{NO_CONTROL}*$")})
}

/// An identifier in the path: any text without control characters.
fn id_schema() -> Value {
    json!({"type": "string", "minLength": 1, "pattern": format!("^{NO_CONTROL}+$")})
}

fn uuid_schema() -> Value {
    json!({"type": "string", "pattern": UUID_PATTERN})
}

/// `YYYY-MM-DD` (the server also checks the day exists).
fn date() -> Value {
    json!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})
}

/// `HH:MM`, 24-hour.
fn time_of_day() -> Value {
    json!({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"})
}

/// Every IANA zone name the server knows: the system tz database's.
fn time_zone() -> Value {
    let names = steady_core::zone_names();
    json!({"type": "string", "enum": names})
}

fn nullable(ty: &str) -> Value {
    json!({"type": [ty, "null"]})
}

fn array_of(item: Value) -> Value {
    json!({"type": "array", "items": item})
}

fn body(schema: &str, example: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema_ref(schema), "example": example}}})
}

fn ok(status: &str, description: &str, schema: Value) -> Value {
    json!({status: {"description": description, "content": {"application/json": {"schema": schema}}}})
}

fn errors(statuses: &[&str]) -> Value {
    let mut map = serde_json::Map::new();
    for status in statuses {
        map.insert(
            (*status).to_string(),
            json!({"description": "error", "content": {"application/json": {"schema": schema_ref("Error")}}}),
        );
    }
    Value::Object(map)
}

/// An operation: summary, security, parameters, body and responses.
fn operation(
    id: &str,
    summary: &str,
    auth: Option<&str>,
    parameters: &[&str],
    request_body: Option<Value>,
    success: Value,
    failures: &[&str],
) -> Value {
    let mut op = json!({"operationId": id, "summary": summary, "responses": success});
    // Any request can be refused as malformed (a control character in its
    // path or query, for one), so every operation documents 400.
    let mut failures = failures.to_vec();
    if !failures.contains(&"400") {
        failures.insert(0, "400");
    }
    if let (Some(map), Value::Object(errs)) = (op["responses"].as_object_mut(), errors(&failures)) {
        map.extend(errs);
    }
    if let Some(scheme) = auth {
        op["security"] = json!([{scheme: []}]);
    }
    if !parameters.is_empty() {
        op["parameters"] = Value::Array(
            parameters
                .iter()
                .map(|p| json!({"$ref": format!("#/components/parameters/{p}")}))
                .collect(),
        );
    }
    if let Some(b) = request_body {
        op["requestBody"] = b;
    }
    op
}

fn path_param(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "description": description, "schema": id_schema()})
}

fn query_param(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

const UUID: &str = "7f1c2b1e-6a55-4f0e-9a51-2f7d1c9e0b11";

fn mutation_example() -> Value {
    json!({"seq": 41, "record_type": "craving", "record_id": UUID, "operation": "upsert",
           "category": "cravings", "created_at_ms": 1_799_064_000_000_i64,
           "payload": {"id": UUID, "intensity": 6, "occurred_at_ms": 1_799_064_000_000_i64}})
}

fn consent_mutation_example() -> Value {
    json!({"seq": 40, "record_type": "consent", "record_id": "c0a8f5e2-1d2b-4c1e-8f3a-5b6c7d8e9f00",
           "operation": "upsert", "category": "cravings", "created_at_ms": 1_798_977_500_000_i64,
           "payload": {"consent_id": "c0a8f5e2-1d2b-4c1e-8f3a-5b6c7d8e9f00", "category": "cravings",
                       "discloser": "Sam Rivera", "recipient": "Riverside IOP",
                       "purpose": "treatment coordination", "granted_at_ms": 1_798_977_500_000_i64,
                       "expires_at_ms": 1_830_513_500_000_i64, "right_to_revoke_acknowledged": true,
                       "signature": "Sam Rivera", "revoked_at_ms": null}})
}

/// Example bodies of the clinic-authored kinds, by kind.
pub fn clinic_record_examples() -> Vec<(&'static str, Value)> {
    vec![
        (
            "session_series",
            json!({"kind": "group", "title": "Evening group", "time_zone": "America/New_York",
            "first_date": "2027-01-04", "start_time": "18:00", "duration_minutes": 180,
            "weekdays": ["mon", "wed", "thu"], "interval_weeks": 1, "until_date": "2027-04-01",
            "location": "Room 2", "cancelled_dates": ["2027-01-18"]}),
        ),
        (
            "medication_plan",
            json!({"name": "Buprenorphine", "dose": "8 mg", "times": ["08:00"],
            "weekdays": [], "start_date": "2027-01-04"}),
        ),
        (
            "questionnaire",
            json!({"instrument": "phq9", "title": "PHQ-9", "weekday": "mon", "time": "09:00"}),
        ),
        (
            "message",
            json!({"from": "Dana (counselor)", "body": "See you Monday."}),
        ),
        (
            "attendance",
            json!({"occurrence_id": "s1@2027-01-04T18:00", "series_id": "s1", "status": "attended",
                   "recorded_by": "Dana (counselor)"}),
        ),
        (
            "drug_screen",
            json!({"collected_on": "2027-01-04", "specimen": "urine", "panel": "12-panel cup",
                   "results": [{"substance": "buprenorphine", "result": "positive",
                                "method": "presumptive", "expected": true}]}),
        ),
    ]
}

fn schemas() -> Value {
    let category = json!({"type": "string", "enum": ["attendance", "medication", "cravings", "checkins", "lapses", "notes", "messages"]});
    let weekday =
        json!({"type": "string", "enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]});
    let operation = json!({"type": "string", "enum": ["upsert", "delete"]});
    let kind = json!({"type": "string", "enum": ["session_series", "medication_plan", "questionnaire", "message", "attendance", "drug_screen"]});
    let consent_scope = response(
        &[
            "consent_id",
            "category",
            "discloser",
            "recipient",
            "purpose",
            "granted_at_ms",
            "expires_at_ms",
            "signature",
            "status",
        ],
        json!({"consent_id": {"type": "string"}, "category": schema_ref("Category"), "discloser": {"type": "string"},
               "recipient": {"type": "string"}, "purpose": {"type": "string"}, "granted_at_ms": {"type": "integer"},
               "expires_at_ms": {"type": "integer"}, "signature": {"type": "string"}, "revoked_at_ms": nullable("integer"),
               "status": {"type": "string", "enum": ["current", "revoked", "expired"]}}),
    );
    let notice =
        json!({"type": "string", "description": "The 42 CFR Part 2 notice against redisclosure."});
    json!({
        "Error": response(&["error"], json!({"error": response(&["code", "reason"], json!({
            "code": {"type": "string", "enum": ["invalid_request", "unauthorized", "device_revoked", "forbidden", "not_found", "conflict", "code_used", "too_large", "rate_limited", "internal"]},
            "reason": {"type": "string"}}))})),
        "Category": category,
        "Weekday": weekday,
        "Operation": operation,
        "ChangeKind": kind,
        "EnrollRequest": request(&["code"], json!({"code": {"type": "string",
                "description": "ABCD-EFGH-JKMN; case, dashes and white space are ignored.",
                "pattern": "^[\\s-]*([2-9A-HJKMNP-TV-Za-hjkmnp-tv-z][\\s-]*){12}$"},
            "device_name": optional_text(100)})),
        "EnrollResponse": response(&["device_id", "device_token", "clinic_name", "protocol_version"], json!({
            "device_id": {"type": "string"}, "device_token": {"type": "string"}, "clinic_name": {"type": "string"},
            "protocol_version": {"type": "integer"}})),
        "Mutation": request(&["seq", "record_type", "record_id", "operation", "category", "created_at_ms"], json!({
            "seq": bounded(1, i64::MAX), "record_type": {"type": "string", "pattern": "^[a-z0-9_]{1,64}$"},
            "record_id": {"type": "string"}, "operation": schema_ref("Operation"), "category": schema_ref("Category"),
            "payload": {"description": "The record: an object for upsert (a Consent for record_type consent)."},
            "created_at_ms": int64()})),
        "Consent": request(&["consent_id", "category", "discloser", "recipient", "purpose", "granted_at_ms", "expires_at_ms", "right_to_revoke_acknowledged", "signature"], json!({
            "consent_id": {"type": "string"}, "category": schema_ref("Category"), "discloser": {"type": "string"},
            "recipient": {"type": "string"},
            "recipient_address": {"type": "string", "description": "Only on a consent naming an outside recipient (ADR 0052): it lets the clinic disclose the category to that recipient and never widens what the clinic accepts."},
            "purpose": {"type": "string"}, "granted_at_ms": {"type": "integer"},
            "expires_at_ms": {"type": "integer"}, "right_to_revoke_acknowledged": {"type": "boolean"},
            "signature": {"type": "string"}, "revoked_at_ms": nullable("integer")})),
        "PushRequest": request(&["device_id", "mutations"], json!({"device_id": {"type": "string"},
            "mutations": {"type": "array", "maxItems": 500, "items": schema_ref("Mutation"),
                "description": "In strictly increasing seq order (a push out of order is refused whole)."}})),
        "MutationResult": response(&["seq", "result"], json!({"seq": {"type": "integer"},
            "result": {"type": "string", "enum": ["applied", "duplicate", "rejected"]},
            "reason": {"type": "string", "description": "Present when rejected."}})),
        "PushResponse": response(&["results", "last_seq"], json!({"results": array_of(schema_ref("MutationResult")), "last_seq": {"type": "integer"}})),
        "PullRequest": request(&["device_id", "cursor"], json!({"device_id": {"type": "string"},
            "cursor": bounded(0, i64::MAX), "limit": {"type": ["integer", "null"], "minimum": 1, "maximum": 500}})),
        "ClinicChange": response(&["cursor", "kind", "record_id", "operation", "payload", "authored_at_ms"], json!({
            "cursor": {"type": "integer"}, "kind": schema_ref("ChangeKind"), "record_id": {"type": "string"},
            "operation": schema_ref("Operation"), "payload": {"description": "SessionSeries, MedicationPlan, Questionnaire, ClinicMessage, ClinicAttendance or DrugScreen; null for delete."},
            "authored_at_ms": {"type": "integer"}})),
        "PullResponse": response(&["changes", "next_cursor", "has_more"], json!({"changes": array_of(schema_ref("ClinicChange")),
            "next_cursor": {"type": "integer"}, "has_more": {"type": "boolean"}})),
        "SessionSeries": request(&["kind", "title", "time_zone", "first_date", "start_time", "duration_minutes", "weekdays"], json!({
            "kind": {"type": "string", "enum": ["group", "individual", "family", "medication_management", "other"]},
            "title": text(100), "time_zone": time_zone(), "first_date": date(),
            "start_time": time_of_day(), "duration_minutes": bounded(1, 20160),
            "weekdays": {"type": "array", "items": schema_ref("Weekday"), "description": "At least one day unless rules are given."}, "interval_weeks": bounded(1, 52),
            "until_date": {"oneOf": [date(), {"type": "null"}], "description": "Not before first_date."},
            "count": {"oneOf": [bounded(1, 1000), {"type": "null"}]}, "location": optional_text(300),
            "cancelled_dates": array_of(date()),
            "rules": array_of(json!({"type": "string", "description": "RFC 5545 RRULE value in clinic-local floating time; replaces weekdays, interval_weeks, until_date and count."})),
            "extra_starts": array_of(json!({"type": "string", "description": "Extra clinic-local start YYYY-MM-DDTHH:MM (RDATE)."})),
            "changes": array_of(schema_ref("OccurrenceChange")), "uid": nullable("string")})),
        "OccurrenceChange": request(&["original_start"], json!({"original_start": {"type": "string"}, "cancelled": {"type": "boolean"},
            "start": nullable("string"), "duration_minutes": nullable("integer"), "title": nullable("string"),
            "location": nullable("string"), "this_and_future": {"type": "boolean"}})),
        "CalendarFeed": request(&["url"], json!({"url": {"type": "string", "maxLength": crate::feeds::MAX_FEED_URL_CHARS, "pattern": "^(webcal|https?)://[A-Za-z0-9.-]+(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?(/([A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?$", "description": "webcal://, https:// or http:// address of an iCalendar feed (no user name or password)."}})),
        "ImportSkip": response(&["line", "component", "reason"], json!({"line": {"type": "integer"}, "component": {"type": "string"},
            "uid": nullable("string"), "reason": {"type": "string"}})),
        "PollReport": response(&["status", "added", "updated", "removed", "unchanged", "skipped"], json!({
            "status": {"type": "string", "enum": ["updated", "not_modified", "failed"]}, "added": {"type": "integer"},
            "updated": {"type": "integer"}, "removed": {"type": "integer"}, "unchanged": {"type": "integer"},
            "error": {"type": "string", "description": "Why the poll failed."}, "skipped": array_of(schema_ref("ImportSkip"))})),
        "MedicationPlan": request(&["name", "times", "start_date"], json!({"name": text(100), "dose": optional_text(100),
            "times": {"type": "array", "minItems": 1, "maxItems": 12, "items": time_of_day()},
            "weekdays": array_of(schema_ref("Weekday")), "start_date": date(),
            "end_date": {"oneOf": [date(), {"type": "null"}], "description": "Not before start_date."}})),
        "Questionnaire": {"oneOf": [
            request(&["instrument", "title", "weekday", "time"], json!({
                "instrument": {"type": "string", "enum": ["phq9", "gad7"]}, "title": text(100),
                "weekday": schema_ref("Weekday"), "time": time_of_day(),
                "definition": {"type": "null", "description": "Standard instruments carry none."}})),
            request(&["instrument", "title", "weekday", "time", "definition"], json!({
                "instrument": {"type": "string", "enum": ["custom"]}, "title": text(100),
                "weekday": schema_ref("Weekday"), "time": time_of_day(),
                "definition": {"type": "object", "description": "FHIR Questionnaire subset."}})),
        ]},
        "ClinicMessage": request(&["from", "body"], json!({"from": text(100), "body": text(2000)})),
        "ClinicAttendance": request(&["occurrence_id", "series_id", "status", "recorded_by"], json!({
            "occurrence_id": {"type": "string", "pattern": "^[^@]+@[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-2][0-9]:[0-5][0-9]$", "description": "SERIES@YYYY-MM-DDTHH:MM, where SERIES is series_id."}, "series_id": text(64),
            "status": {"type": "string", "enum": ["attended", "late", "missed", "excused"]}, "recorded_by": text(100)})),
        "DrugScreen": request(&["collected_on", "specimen", "panel", "results"], json!({
            "collected_on": date(),
            "specimen": {"type": "string", "enum": ["urine", "oral_fluid", "blood", "hair"]}, "panel": text(100),
            "results": {"type": "array", "minItems": 1, "maxItems": 40, "items": request(&["substance", "result", "method", "expected"], json!({
                "substance": text(60), "result": {"type": "string", "enum": ["negative", "positive"]},
                "method": {"type": "string", "enum": ["presumptive", "confirmed"]}, "expected": {"type": "boolean"}}))}})),
        "ClinicRecordBody": {"oneOf": [schema_ref("SessionSeries"), schema_ref("MedicationPlan"), schema_ref("Questionnaire"), schema_ref("ClinicMessage"),
            schema_ref("ClinicAttendance"), schema_ref("DrugScreen")]},
        "ClinicRecord": response(&["kind", "record_id", "payload", "updated_at_ms"], json!({"kind": schema_ref("ChangeKind"),
            "record_id": {"type": "string"}, "payload": schema_ref("ClinicRecordBody"), "updated_at_ms": {"type": "integer"},
            "cursor": {"type": "integer"}})),
        "SignIn": request(&["email", "password"], json!({"email": {"type": "string", "maxLength": 254,
                "pattern": "^\\s*[^@\\s\\x00-\\x1f\\x7f-\\x9f]+@[^\\s\\x00-\\x1f\\x7f-\\x9f]*\\.[^\\s\\x00-\\x1f\\x7f-\\x9f]*\\s*$"},
            "password": {"type": "string"}})),
        "Session": response(&["token", "staff_id", "expires_at_ms"], json!({"token": {"type": "string"}, "staff_id": {"type": "string"}, "expires_at_ms": {"type": "integer"}})),
        "NewPatient": request(&["name"], json!({"name": text(100)})),
        "Patient": response(&["patient_id", "name", "created_at_ms"], json!({"patient_id": {"type": "string"}, "name": {"type": "string"}, "created_at_ms": {"type": "integer"}})),
        "IssuedCode": response(&["patient_id", "code", "expires_at_ms"], json!({"patient_id": {"type": "string"}, "code": {"type": "string"}, "expires_at_ms": {"type": "integer"}})),
        "Device": response(&["device_id", "enrolled_at_ms", "last_seq"], json!({"device_id": {"type": "string"}, "name": nullable("string"),
            "enrolled_at_ms": {"type": "integer"}, "last_seen_ms": nullable("integer"), "last_seq": {"type": "integer"}, "revoked_at_ms": nullable("integer")})),
        "ConsentScope": consent_scope,
        "PatientDetail": response(&["patient_id", "name", "created_at_ms", "devices", "consent_scope", "redisclosure_notice"], json!({
            "patient_id": {"type": "string"}, "name": {"type": "string"}, "created_at_ms": {"type": "integer"},
            "devices": array_of(schema_ref("Device")), "consent_scope": array_of(schema_ref("ConsentScope")), "redisclosure_notice": notice})),
        "SyncedRecord": response(&["record_type", "record_id", "category", "payload", "deleted", "device_id", "created_at_ms", "received_at_ms"], json!({
            "record_type": {"type": "string"}, "record_id": {"type": "string"}, "category": schema_ref("Category"),
            "payload": {"description": "The record as the phone sent it; null once deleted."}, "deleted": {"type": "boolean"},
            "device_id": {"type": "string"}, "created_at_ms": {"type": "integer"}, "received_at_ms": {"type": "integer"}})),
        "RecordsDisclosure": response(&["patient_id", "records", "consent_scope", "redisclosure_notice"], json!({
            "patient_id": {"type": "string"}, "records": array_of(schema_ref("SyncedRecord")),
            "next_cursor": nullable("string"),
            "consent_scope": array_of(schema_ref("ConsentScope")), "redisclosure_notice": notice})),
        "Summary": response(&["patient_id", "name", "active_devices", "categories", "last_7_days", "statuses_last_7_days", "cravings_last_7_days", "consent_scope", "redisclosure_notice"], json!({
            "patient_id": {"type": "string"}, "name": {"type": "string"}, "last_sync_ms": nullable("integer"), "active_devices": {"type": "integer"},
            "categories": array_of(response(&["category", "consent", "records"], json!({"category": schema_ref("Category"),
                "consent": {"type": "string", "enum": ["current", "revoked", "expired", "none"]}, "records": {"type": "integer"}, "last_received_ms": nullable("integer")}))),
            "last_7_days": {"type": "object", "additionalProperties": {"type": "integer"}},
            "statuses_last_7_days": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}},
            "cravings_last_7_days": response(&["count"], json!({"count": {"type": "integer"}, "average_intensity": nullable("number"), "strongest": nullable("number")})),
            "consent_scope": array_of(schema_ref("ConsentScope")), "redisclosure_notice": notice})),
        "FhirBundle": response(&["resourceType", "type", "entry"], json!({
            "resourceType": {"const": "Bundle"}, "type": {"const": "document"},
            "meta": {"type": "object", "description": "security: the 42CFRPart2, R and NORDSLCD labels."},
            "entry": {"type": "array", "description": "Composition (the 42 CFR 2.32 notice and the consent scope), Patient, then the records (docs/export.md)."}})),
        "DisclosureEntry": response(&["disclosure_id", "disclosed_at_ms", "recipient_name", "recipient_address", "description", "purpose"], json!({
            "disclosure_id": {"type": "string"}, "disclosed_at_ms": {"type": "integer"}, "recipient_name": {"type": "string"},
            "recipient_address": {"type": "string"}, "description": {"type": "string"}, "purpose": {"type": "string"}})),
        "Accounting": response(&["disclosures"], json!({"disclosures": array_of(schema_ref("DisclosureEntry"))})),
        "AuditEntry": response(&["id", "at_ms", "actor", "action", "purpose", "detail"], json!({"id": {"type": "string"}, "at_ms": {"type": "integer"},
            "actor": {"type": "string", "description": "staff:<id>, device:<id> or admin"}, "action": {"type": "string"},
            "patient_id": nullable("string"), "purpose": {"type": "string"}, "detail": {"type": "string"}})),
    })
}

fn parameters() -> Value {
    json!({
        "patient_id": path_param("patient_id", "A patient id."),
        "device_id": path_param("device_id", "A device id of that patient."),
        "clinic_record_id": json!({"name": "record_id", "in": "path", "required": true, "description": "A clinic-authored record id of that patient.", "schema": uuid_schema()}),
        "purpose": query_param("purpose", "Why the data is read; recorded in the audit log (default: treatment).", query_text(200)),
        "category": query_param("category", "Only records of this category.", json!({"$ref": "#/components/schemas/Category"})),
        "audit_patient_id": query_param("patient_id", "Only entries about this patient.", id_schema()),
        "recipient": query_param("recipient", "An outside recipient, named as the patient's consent names it: the export is then a disclosure (needs recipient_address).", query_text(200)),
        "recipient_address": query_param("recipient_address", "The outside recipient's address, for the accounting of disclosures (needs recipient).", query_text(300)),
        "limit": query_param("limit", "Most entries to return (1-1000, default 100).", json!({"type": "integer", "minimum": 1, "maximum": 1000})),
        "audit_before": query_param("before", "Continue before this entry: the Steady-Next-Cursor header of the previous page (at_ms:id).", json!({"type": "string", "pattern": format!("^-?[0-9]{{1,18}}:{NO_CONTROL}+$")})),
        "page_limit": query_param("limit", "Page size (1-1000, default 500).", json!({"type": "integer", "minimum": 1, "maximum": 1000})),
        "after_patient": query_param("after", "Continue after this patient (the Steady-Next-Cursor header of the previous page).", uuid_schema()),
        "after_record": query_param("after", "Continue after this record: `next_cursor` of the previous page (created_at_ms:record_type:record_id).", json!({"type": "string", "pattern": format!("^-?[0-9]{{1,18}}:[a-z0-9_]{{1,64}}:{NO_CONTROL}+$")})),
        "after_clinic_record": query_param("after", "Continue after this record: the Steady-Next-Cursor header of the previous page (kind:updated_at_ms:record_id).", json!({"type": "string", "pattern": format!("^(session_series|medication_plan|questionnaire|message|attendance|drug_screen):-?[0-9]{{1,18}}:{NO_CONTROL}+$")})),
    })
}

/// The paths of one clinic-authored kind: its own body schema, so a body of
/// another kind is schema-invalid, as the server finds it.
fn clinic_kind_paths(paths: &mut serde_json::Map<String, Value>) {
    let staff = Some("staffToken");
    let schemas = [
        "SessionSeries",
        "MedicationPlan",
        "Questionnaire",
        "ClinicMessage",
        "ClinicAttendance",
        "DrugScreen",
    ];
    let names = [
        "SessionSeries",
        "MedicationPlan",
        "Questionnaire",
        "Message",
        "ClinicAttendance",
        "DrugScreen",
    ];
    let examples = clinic_record_examples();
    for (i, (collection, item)) in crate::clinic_records::CLINIC_RECORD_PATHS
        .iter()
        .enumerate()
    {
        let (kind, example) = &examples[i];
        paths.insert(
            (*collection).to_string(),
            json!({"post": operation(&format!("create{}", names[i]),
                &format!("Add a {kind}; the phone receives it at its next pull."), staff, &["patient_id"],
                Some(body(schemas[i], example.clone())),
                ok("201", "Created.", schema_ref("ClinicRecord")), &["400", "401", "404"])}),
        );
        paths.insert(
            (*item).to_string(),
            json!({
                "put": operation(&format!("replace{}", names[i]), &format!("Change a {kind}."), staff,
                    &["patient_id", "clinic_record_id"], Some(body(schemas[i], example.clone())),
                    ok("200", "Changed.", schema_ref("ClinicRecord")), &["400", "401", "403", "404"]),
                "delete": operation(&format!("delete{}", names[i]), &format!("Remove a {kind}."), staff,
                    &["patient_id", "clinic_record_id"], None,
                    json!({"204": {"description": "Deleted."}}), &["400", "401", "403", "404"])
            }),
        );
    }
}

pub fn document() -> Value {
    let mut doc = document_without_clinic_kinds();
    if let Some(paths) = doc["paths"].as_object_mut() {
        clinic_kind_paths(paths);
    }
    doc
}

fn document_without_clinic_kinds() -> Value {
    let staff = Some("staffToken");
    let device = Some("deviceToken");
    let patient = "/v1/staff/patients/{patient_id}";
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Steady clinic server",
            "version": "1",
            "description": "Sync protocol v1 for phones (docs/sync-protocol.md) and the staff API (docs/server.md). Every error has the body {\"error\": {\"code\", \"reason\"}}."
        },
        "components": {
            "securitySchemes": {
                "deviceToken": {"type": "http", "scheme": "bearer", "description": "Device token from POST /v1/enroll."},
                "staffToken": {"type": "http", "scheme": "bearer", "description": "Session token from POST /v1/staff/sessions."}
            },
            "parameters": parameters(),
            "schemas": schemas()
        },
        "paths": {
            "/openapi.json": {"get": operation("getOpenApi", "This document.", None, &[], None,
                ok("200", "The OpenAPI document.", json!({"type": "object"})), &[])},
            "/v1/enroll": {"post": operation("enroll", "Redeem a one-time enrollment code for device credentials.", None, &[],
                Some(body("EnrollRequest", json!({"code": "ABCD-EFGH-JKMN", "device_name": "Pixel 8"}))),
                ok("201", "Enrolled.", schema_ref("EnrollResponse")), &["400", "404", "410", "413", "429"])},
            "/v1/sync/push": {"post": operation("push", "Send queued mutations; each is applied exactly once.", device, &[],
                Some(body("PushRequest", json!({"device_id": UUID, "mutations": [consent_mutation_example(), mutation_example()]}))),
                ok("200", "One result per mutation.", schema_ref("PushResponse")), &["400", "401", "403", "413"])},
            "/v1/sync/pull": {"post": operation("pull", "Fetch clinic-authored changes after a cursor.", device, &[],
                Some(body("PullRequest", json!({"device_id": UUID, "cursor": 0, "limit": 100}))),
                ok("200", "A page of changes.", schema_ref("PullResponse")), &["400", "401", "403"])},
            "/v1/staff/sessions": {"post": operation("signIn", "Sign in with email and password.", None, &[],
                Some(body("SignIn", json!({"email": "dana@clinic.example", "password": "correct horse battery"}))),
                ok("201", "Signed in.", schema_ref("Session")), &["400", "401", "429"])},
            "/v1/staff/sessions/current": {"delete": operation("signOut", "End this session.", staff, &[], None,
                json!({"204": {"description": "Signed out."}}), &["401"])},
            "/v1/staff/patients": {
                "post": operation("createPatient", "Create a patient.", staff, &[],
                    Some(body("NewPatient", json!({"name": "Sam Rivera"}))),
                    ok("201", "Created.", schema_ref("Patient")), &["400", "401"]),
                "get": operation("listPatients", "List patients by name, a page at a time.", staff, &["purpose", "page_limit", "after_patient"], None,
                    ok("200", "Patients.", array_of(schema_ref("Patient"))), &["400", "401", "404"])
            },
            patient: {"get": operation("getPatient", "A patient with devices and consent scope.", staff, &["patient_id", "purpose"], None,
                ok("200", "The patient.", schema_ref("PatientDetail")), &["400", "401", "404"])},
            format!("{patient}/enrollment-codes"): {"post": operation("issueEnrollmentCode", "Issue a one-time enrollment code (valid 72 hours).", staff, &["patient_id"], None,
                ok("201", "The code; shown only now.", schema_ref("IssuedCode")), &["401", "404"])},
            format!("{patient}/devices/{{device_id}}/revoke"): {"post": operation("revokeDevice", "Revoke a device; it is refused from now on.", staff, &["patient_id", "device_id"], None,
                ok("200", "The revoked device.", schema_ref("Device")), &["401", "403", "404"])},
            format!("{patient}/clinic-records"): {"get": operation("listClinicRecords", "The patient's current clinic-authored records, a page at a time.", staff, &["patient_id", "purpose", "page_limit", "after_clinic_record"], None,
                ok("200", "Records.", array_of(schema_ref("ClinicRecord"))), &["400", "401", "404"])},
            format!("{patient}/records"): {"get": operation("readRecords", "The patient's synced records, oldest first, a page at a time, with consent scope and the redisclosure notice.", staff, &["patient_id", "purpose", "category", "page_limit", "after_record"], None,
                ok("200", "Records.", schema_ref("RecordsDisclosure")), &["400", "401", "404"])},
            format!("{patient}/summary"): {"get": operation("readSummary", "Progress summary, with consent scope and the redisclosure notice.", staff, &["patient_id", "purpose"], None,
                ok("200", "Summary.", schema_ref("Summary")), &["400", "401", "404"])},
            format!("{patient}/fhir"): {"get": operation("exportFhir", "The patient's consented records as a FHIR R4 document Bundle, labelled 42CFRPart2, with the redisclosure notice and consent scope; audited, and with a recipient recorded in the accounting of disclosures.", staff, &["patient_id", "purpose", "recipient", "recipient_address"], None,
                json!({"200": {"description": "The Bundle.", "content": {"application/fhir+json": {"schema": schema_ref("FhirBundle")}}}}), &["400", "401", "403", "404"])},
            format!("{patient}/disclosures"): {"get": operation("readDisclosures", "The patient's accounting of disclosures (42 CFR 2.25), newest first.", staff, &["patient_id"], None,
                ok("200", "Disclosures.", schema_ref("Accounting")), &["401", "404"])},
            "/v1/disclosures": {"get": operation("myDisclosures", "The accounting of disclosures of this device's patient.", device, &[], None,
                ok("200", "Disclosures.", schema_ref("Accounting")), &["401", "403"])},
            format!("{patient}/calendar-feed"): {"put": operation("subscribeCalendarFeed", "Subscribe the patient to a calendar feed; its sessions become clinic records at each poll.", staff, &["patient_id"],
                Some(body("CalendarFeed", json!({"url": "webcal://calendar.clinic.example/groups.ics"}))),
                json!({"204": {"description": "Subscribed."}}), &["400", "401", "404"])},
            format!("{patient}/calendar-feed/poll"): {"post": operation("pollCalendarFeed", "Fetch the feed now (conditionally) and apply what changed.", staff, &["patient_id"], None,
                ok("200", "What the poll did.", schema_ref("PollReport")), &["401", "404"])},
            "/v1/staff/audit": {"get": operation("readAudit", "The audit log, newest first.", staff, &["audit_patient_id", "limit", "audit_before"], None,
                ok("200", "Entries.", array_of(schema_ref("AuditEntry"))), &["400", "401"])}
        }
    })
}
