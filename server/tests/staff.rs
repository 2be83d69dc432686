//! Staff API: sign-in, disclosures with consent scope and notice, audit log.

mod common;

use common::*;
use serde_json::{json, Value};

fn audit_actions(clinic: &Clinic, patient_id: &str) -> Vec<(String, String)> {
    let entries = clinic.staff_ok(
        "GET",
        &format!("/v1/staff/audit?patient_id={patient_id}&limit=1000"),
        None,
    );
    entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["purpose"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn staff_sign_in_needs_the_right_password_and_is_rate_limited() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        steady_clinic::admin::add_staff(&server.db, "Lee@Clinic.test", "Lee", PASSWORD, T0)
            .unwrap();
        let client = server.client();
        let wrong = json!({"email": "lee@clinic.test", "password": "not the password"});
        assert_error(
            &client.call("POST", "/v1/staff/sessions", None, Some(&wrong)),
            401,
            "unauthorized",
            "wrong email or password",
        );
        let right = json!({"email": "LEE@clinic.test", "password": PASSWORD});
        let (status, session) = client.call("POST", "/v1/staff/sessions", None, Some(&right));
        assert_eq!(status, 201, "{session}");
        let token = session["token"].as_str().unwrap();
        assert_eq!(
            client
                .call("GET", "/v1/staff/patients", Some(token), None)
                .0,
            200
        );
        assert_eq!(
            client
                .call("DELETE", "/v1/staff/sessions/current", Some(token), None)
                .0,
            204
        );
        assert_error(
            &client.call("GET", "/v1/staff/patients", Some(token), None),
            401,
            "unauthorized",
            "staff session",
        );
        // Ten more wrong ones from this address: the eleventh attempt from it
        // waits, even with the right password (other addresses: brute_force.rs).
        for _ in 0..10 {
            client.call("POST", "/v1/staff/sessions", None, Some(&wrong));
        }
        assert_error(
            &client.call("POST", "/v1/staff/sessions", None, Some(&right)),
            429,
            "rate_limited",
            "too many",
        );
    });
}

#[test]
fn staff_routes_need_a_staff_token_not_a_device_token() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        let client = server.client();
        assert_error(
            &client.call("GET", "/v1/staff/patients", None, None),
            401,
            "unauthorized",
            "Bearer",
        );
        assert_error(
            &client.call("GET", "/v1/staff/patients", Some(&phone.token), None),
            401,
            "unauthorized",
            "staff session",
        );
        assert_error(
            &client.call(
                "POST",
                "/v1/sync/pull",
                Some(&clinic.staff_token),
                Some(&json!({"device_id": phone.device_id, "cursor": 0})),
            ),
            401,
            "unauthorized",
            "device token",
        );
    });
}

#[test]
fn disclosures_carry_the_consent_scope_and_the_redisclosure_notice() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        phone.push_ok(vec![
            consent(1, "k1", "cravings", None),
            craving(2, "c1", 8),
        ]);
        let base = format!("/v1/staff/patients/{}", phone.patient_id);
        for path in [
            base.clone(),
            format!("{base}/records"),
            format!("{base}/summary"),
        ] {
            let body = clinic.staff_ok("GET", &path, None);
            assert_eq!(
                body["redisclosure_notice"],
                "42 CFR part 2 prohibits unauthorized use or disclosure of these records.",
                "{path}"
            );
            let scope = &body["consent_scope"][0];
            assert_eq!(scope["category"], "cravings", "{path}");
            assert_eq!(scope["recipient"], "Steady Clinic");
            assert_eq!(scope["purpose"], "treatment coordination");
            assert_eq!(scope["signature"], "Sam Rivera");
            assert_eq!(scope["status"], "current");
        }
        let summary = clinic.staff_ok("GET", &format!("{base}/summary"), None);
        let cravings = summary["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["category"] == "cravings")
            .unwrap()
            .clone();
        assert_eq!(cravings["consent"], "current");
        assert_eq!(cravings["records"], 1);
        assert_eq!(summary["cravings_last_7_days"]["strongest"], 8.0);
        let notes = summary["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["category"] == "notes")
            .unwrap()
            .clone();
        assert_eq!(notes["consent"], "none");
    });
}

#[test]
fn every_read_and_write_of_patient_data_is_audited_with_its_purpose() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        phone.push_ok(vec![
            consent(1, "k1", "cravings", None),
            craving(2, "c1", 3),
        ]);
        clinic.add_clinic_record(&phone.patient_id, "medication_plan", medication_plan());
        phone.pull(0, 10);
        let base = format!("/v1/staff/patients/{}", phone.patient_id);
        clinic.staff_ok(
            "GET",
            &format!("{base}/records?purpose=care%20planning"),
            None,
        );
        clinic.staff_ok("GET", &format!("{base}/summary"), None);
        clinic.staff_ok("GET", &format!("{base}/clinic-records"), None);
        let actions = audit_actions(&clinic, &phone.patient_id);
        for expected in [
            "patient.create",
            "enrollment_code.issue",
            "device.enroll",
            "records.push",
            "clinic_record.write",
            "clinic_changes.pull",
            "records.read",
            "summary.read",
            "clinic_records.read",
        ] {
            assert!(
                actions.iter().any(|(a, _)| a == expected),
                "{expected} missing from {actions:?}"
            );
        }
        assert!(actions.contains(&("records.read".to_string(), "care planning".to_string())));
        assert!(actions.contains(&("summary.read".to_string(), "treatment".to_string())));
        // Reading the audit log is audited too.
        let again = audit_actions(&clinic, &phone.patient_id);
        assert_eq!(again[0].0, "audit.read");
    });
}

#[test]
fn audit_entries_hold_no_health_data() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        let mut secret = craving(2, "c1", 9);
        secret["payload"]["note"] = json!("relapse-detail-xyz");
        phone.push_ok(vec![consent(1, "k1", "cravings", None), secret]);
        let entries = clinic.staff_ok("GET", "/v1/staff/audit?limit=1000", None);
        assert!(!entries.to_string().contains("relapse-detail-xyz"));
    });
}

#[test]
fn staff_set_and_change_schedules_with_validated_payloads() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let patient = clinic.new_patient("Sam Rivera");
        let base = format!("/v1/staff/patients/{patient}/clinic-records");
        let mut bad = session_series();
        bad["time_zone"] = json!("Mars/Base");
        assert_error(
            &clinic.staff("POST", &format!("{base}/session_series"), Some(&bad)),
            400,
            "invalid_request",
            "time_zone",
        );
        let mut late = medication_plan();
        late["times"] = json!(["25:00"]);
        assert_error(
            &clinic.staff("POST", &format!("{base}/medication_plan"), Some(&late)),
            400,
            "invalid_request",
            "times",
        );
        assert_error(
            &clinic.staff("POST", &format!("{base}/questionnaire"), Some(&json!({"instrument": "custom", "title": "Mine", "weekday": "fri", "time": "10:00"}))),
            400,
            "invalid_request",
            "definition",
        );
        assert_error(
            &clinic.staff("POST", &format!("{base}/diagnosis"), Some(&json!({}))),
            404,
            "not_found",
            "no such route",
        );
        let plan = clinic.add_clinic_record(&patient, "medication_plan", medication_plan());
        let id = plan["record_id"].as_str().unwrap();
        let mut changed = medication_plan();
        changed["times"] = json!(["08:00", "20:00"]);
        clinic.staff_ok(
            "PUT",
            &format!("{base}/medication_plan/{id}"),
            Some(&changed),
        );
        let listed = clinic.staff_ok("GET", &base, None);
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert_eq!(listed[0]["payload"]["times"], json!(["08:00", "20:00"]));
        assert_eq!(
            listed[0]["payload"]["weekdays"],
            Value::Array(vec![]),
            "canonical form"
        );
    });
}

#[test]
fn the_summary_counts_attendance_and_doses_by_status() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        let record = |seq: i64, record_type: &str, category: &str, status: &str| {
            json!({
                "seq": seq, "record_type": record_type, "record_id": format!("r{seq}"),
                "operation": "upsert", "category": category, "created_at_ms": T0,
                "payload": {"status": status}
            })
        };
        phone.push_ok(vec![
            consent(1, "k1", "attendance", None),
            consent(2, "k2", "medication", None),
            record(3, "attendance", "attendance", "attended"),
            record(4, "attendance", "attendance", "missed"),
            record(5, "attendance", "attendance", "attended"),
            record(6, "dose", "medication", "taken"),
            record(7, "dose", "medication", "skipped"),
        ]);
        let summary = clinic.staff_ok(
            "GET",
            &format!("/v1/staff/patients/{}/summary", phone.patient_id),
            None,
        );
        assert_eq!(
            summary["statuses_last_7_days"],
            json!({"attendance": {"attended": 2, "missed": 1}, "dose": {"taken": 1, "skipped": 1}})
        );
        assert_eq!(summary["last_7_days"]["attendance"], 3);
    });
}

#[test]
fn the_database_itself_refuses_to_change_or_delete_audit_entries() {
    use steady_clinic::store::{DbError, Mode};
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        clinic.new_patient("Sam Rivera");
        for sql in [
            "UPDATE audit_log SET purpose = 'nothing'",
            "DELETE FROM audit_log",
        ] {
            let refused = server
                .db
                .transact(Mode::Write, |tx| tx.exec(sql, &[]).map(|_| ()));
            assert!(
                matches!(refused, Err(DbError::Other(ref e)) if e.contains("append-only")),
                "{sql}: {refused:?}"
            );
        }
        let entries = clinic.staff_ok("GET", "/v1/staff/audit", None);
        assert!(entries
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["purpose"] != "nothing"));
    });
}
