//! The server enforces consent itself (issue 17, point 5): whatever a device
//! sends — a lapse labelled `attendance`, a note without the notes consent, a
//! consent that never expires, names another recipient or is dated next
//! month, a consent naming an outside recipient (kept apart, ADR 0052) —
//! nothing outside a valid, current consent naming the clinic is stored or
//! shown.

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::{json, Value};
use steady_protocol::{ConsentCategory, RecordType, NOTE_FIELDS};

fn record(seq: i64, record_type: &str, category: &str, payload: Value) -> Value {
    json!({
        "seq": seq, "record_type": record_type, "record_id": format!("r{seq}"),
        "operation": "upsert", "category": category, "created_at_ms": T0, "payload": payload
    })
}

/// A consent mutation with chosen terms.
fn grant(seq: i64, category: &str, recipient: &str, granted: i64, expires: i64) -> Value {
    let mut m = consent(seq, &format!("c{seq}"), category, None);
    m["payload"]["recipient"] = json!(recipient);
    m["payload"]["granted_at_ms"] = json!(granted);
    m["payload"]["expires_at_ms"] = json!(expires);
    m
}

fn records(clinic: &Clinic, patient: &str) -> Value {
    clinic.staff_ok(
        "GET",
        &format!("/v1/staff/patients/{patient}/records"),
        None,
    )
}

fn has_note(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            NOTE_FIELDS.iter().any(|f| map.contains_key(*f)) || map.values().any(has_note)
        }
        Value::Array(items) => items.iter().any(has_note),
        _ => false,
    }
}

#[test]
fn a_record_labelled_with_another_category_is_refused() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let device = clinic.enrolled("Sam Rivera");
        let answer = device.push_ok(vec![
            consent(1, "c1", "attendance", None),
            record(2, "lapse", "attendance", json!({"substance": "alcohol"})),
            record(3, "craving", "attendance", json!({"intensity": 9})),
            record(4, "mystery", "attendance", json!({})),
            record(5, "attendance", "attendance", json!({"status": "attended"})),
        ]);
        assert_eq!(
            outcomes(&answer),
            ["applied", "rejected", "rejected", "rejected", "applied"]
        );
        let reason = answer["results"][1]["reason"].as_str().unwrap();
        assert!(reason.contains("a lapse record is lapses"), "{reason}");
        let held = records(&clinic, &device.patient_id);
        let types: Vec<_> = held["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["record_type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["attendance"]);
    });
}

#[test]
fn notes_inside_a_record_are_dropped_without_the_notes_consent() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let device = clinic.enrolled("Sam Rivera");
        let payload =
            json!({"intensity": 6, "note": "private words", "triggers": [{"notes": "x"}]});
        device.push_ok(vec![
            consent(1, "c1", "cravings", None),
            record(2, "craving", "cravings", payload.clone()),
        ]);
        let held = records(&clinic, &device.patient_id);
        assert_eq!(
            held["records"][0]["payload"],
            json!({"intensity": 6, "triggers": [{}]})
        );
        assert!(!held.to_string().contains("private words"));
        device.push_ok(vec![
            consent(3, "c3", "notes", None),
            record(4, "craving", "cravings", payload.clone()),
        ]);
        let held = records(&clinic, &device.patient_id);
        assert_eq!(held["records"][1]["payload"], payload, "notes consented");
    });
}

#[test]
fn consents_are_checked_element_by_element() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let device = clinic.enrolled("Sam Rivera");
        let now = server.clock_now();
        let answer = device.push_ok(vec![
            grant(1, "lapses", "Steady Clinic", now, i64::MAX),
            grant(2, "lapses", "Another Program", now, now + DAY_MS),
            grant(
                3,
                "lapses",
                "Steady Clinic",
                now + 30 * DAY_MS,
                now + 60 * DAY_MS,
            ),
            record(4, "lapse", "lapses", json!({"substance": "alcohol"})),
            // A phone clock three days ahead still shares.
            grant(
                5,
                "lapses",
                "Steady Clinic",
                now + 3 * DAY_MS,
                now + 300 * DAY_MS,
            ),
            record(6, "lapse", "lapses", json!({"substance": "alcohol"})),
        ]);
        assert_eq!(
            outcomes(&answer),
            ["rejected", "rejected", "rejected", "rejected", "applied", "applied"]
        );
        let reasons: Vec<_> = answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["reason"].as_str().unwrap_or_default().to_string())
            .collect();
        assert!(reasons[0].starts_with("expires_at_ms:"), "{reasons:?}");
        assert!(reasons[1].starts_with("recipient:"), "{reasons:?}");
        assert!(reasons[2].starts_with("granted_at_ms:"), "{reasons:?}");
    });
}

#[test]
fn a_revocation_is_accepted_after_the_clinic_was_renamed() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let device = clinic.enrolled("Sam Rivera");
        device.push_ok(vec![consent(1, "c1", "cravings", None)]);
        steady_clinic::admin::set_clinic_name(&server.db, "Riverside IOP").unwrap();
        let answer = device.push_ok(vec![
            consent(2, "c1", "cravings", Some(T0)),
            craving(3, "k1", 5),
        ]);
        assert_eq!(outcomes(&answer), ["applied", "rejected"]);
    });
}

/// One thing a device may send.
#[derive(Debug, Clone)]
enum Step {
    Grant {
        category: usize,
        /// 0 this clinic, 1 someone else without an address (refused), 2 an
        /// outside recipient with its address (stored apart, never counts).
        recipient: u8,
        /// 0 normal, 1 "forever", 2 ends before it starts.
        expiry: u8,
        days_ahead: i64,
    },
    Revoke(usize),
    Record {
        record_type: usize,
        label: usize,
        note: u8,
        delete: bool,
    },
    Wait(i64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (0..6usize, 0..3u8, 0..3u8, prop_oneof![Just(0i64), Just(3), Just(40)]).prop_map(
            |(category, recipient, expiry, days_ahead)| Step::Grant {
                category,
                recipient,
                expiry,
                days_ahead
            }
        ),
        1 => (0..8usize).prop_map(Step::Revoke),
        4 => (0..RecordType::ALL.len() + 1, 0..6usize, 0..3u8, any::<bool>()).prop_map(
            |(record_type, label, note, delete)| Step::Record { record_type, label, note, delete }
        ),
        1 => (1..40i64).prop_map(Step::Wait),
    ]
}

/// Every consent staff see as current has valid terms.
fn current_consents_are_valid(scope: &Value, now: i64) -> Vec<ConsentCategory> {
    let mut current = Vec::new();
    for c in scope.as_array().unwrap() {
        if c["status"] == "current" {
            let granted = c["granted_at_ms"].as_i64().unwrap();
            let expires = c["expires_at_ms"].as_i64().unwrap();
            assert_eq!(c["recipient"], "Steady Clinic", "{c}");
            assert!(
                expires > granted && expires - granted <= 5 * 365 * DAY_MS,
                "{c}"
            );
            assert!(granted <= now + 7 * DAY_MS, "{c}");
            current.push(ConsentCategory::parse(c["category"].as_str().unwrap()).unwrap());
        }
    }
    current
}

#[test]
fn whatever_a_device_sends_nothing_outside_current_consent_is_stored() {
    let storage = storages().remove(0);
    let server = Server::start(&storage);
    let config = ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(steps in proptest::collection::vec(step(), 1..24))| {
        // Staff sessions last 12 hours: sign in again after the clock moves.
        let mut clinic = Clinic::open(&server);
        let device = clinic.enrolled("Sam Rivera");
        let mut granted: Vec<String> = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            let seq = i as i64 + 1;
            let now = server.clock_now();
            let mutation = match step {
                Step::Wait(days) => {
                    server.clock.advance_ms(days * DAY_MS);
                    clinic = Clinic::open(&server);
                    continue;
                }
                Step::Grant { category, recipient, expiry, days_ahead } => {
                    let granted_at = now + days_ahead * DAY_MS;
                    let expires = match expiry {
                        0 => granted_at + 30 * DAY_MS,
                        1 => i64::MAX,
                        _ => granted_at - 1,
                    };
                    let name = if *recipient == 0 { "Steady Clinic" } else { "Elsewhere" };
                    granted.push(format!("c{seq}"));
                    let mut m = grant(seq, ConsentCategory::ALL[*category].as_str(), name, granted_at, expires);
                    if *recipient == 2 {
                        m["payload"]["recipient_address"] = json!("9 Far Rd");
                    }
                    m
                }
                Step::Revoke(which) => {
                    let Some(id) = granted.get(which % granted.len().max(1)) else { continue };
                    let mut m = consent(seq, id, "cravings", Some(now));
                    // Revoke with the stored terms: find them in the scope.
                    let held = records(&clinic, &device.patient_id);
                    let Some(c) = held["consent_scope"].as_array().unwrap().iter()
                        .find(|c| c["consent_id"] == id.as_str()) else { continue };
                    for field in ["category", "discloser", "recipient", "purpose",
                                  "granted_at_ms", "expires_at_ms", "signature"] {
                        m["payload"][field] = c[field].clone();
                    }
                    m["category"] = c["category"].clone();
                    m
                }
                Step::Record { record_type, label, note, delete } => {
                    let record_type = RecordType::ALL
                        .get(*record_type)
                        .map_or("mystery", |t| t.as_str());
                    let payload = match note {
                        0 => json!({"value": 1}),
                        1 => json!({"value": 1, "note": "secret"}),
                        _ => json!({"value": 1, "parts": [{"deep": {"notes": "secret"}}]}),
                    };
                    let mut m = record(seq, record_type, ConsentCategory::ALL[*label].as_str(), payload);
                    if *delete {
                        m["operation"] = json!("delete");
                        m["payload"] = Value::Null;
                    }
                    m
                }
            };
            let answer = device.push_ok(vec![mutation]);
            prop_assert_eq!(answer["results"].as_array().unwrap().len(), 1);
            let held = records(&clinic, &device.patient_id);
            let current = current_consents_are_valid(&held["consent_scope"], server.clock_now());
            let applied = answer["results"][0]["result"] == "applied";
            for r in held["records"].as_array().unwrap() {
                let record_type = r["record_type"].as_str().unwrap();
                let category = RecordType::parse(record_type).map(RecordType::category);
                prop_assert_eq!(category.map(ConsentCategory::as_str), r["category"].as_str(), "{}", r);
                if applied && r["record_id"] == format!("r{seq}") {
                    let category = category.unwrap();
                    prop_assert!(current.contains(&category), "{} under {:?}", r, current);
                    prop_assert!(
                        !has_note(&r["payload"])
                            || category == ConsentCategory::Notes
                            || current.contains(&ConsentCategory::Notes),
                        "{} without notes consent", r
                    );
                }
            }
        }
    });
}
