//! Bad input gets a clear 4xx with a reason and changes nothing.

mod common;

use common::*;
use serde_json::json;
use steady_clinic::store::{Db, Mode};

/// Row counts of everything a request could change (rate-limit counters
/// aside) plus every device's last sequence.
fn snapshot(db: &Db) -> Vec<i64> {
    db.transact(Mode::Read, |tx| {
        let mut counts = Vec::new();
        for table in [
            "patients",
            "devices",
            "consents",
            "records",
            "clinic_records",
            "clinic_changes",
            "audit_log",
            "enrollment_codes",
        ] {
            let row = tx.query_opt(&format!("SELECT COUNT(*) FROM {table}"), &[])?;
            counts.push(row.map(|r| r.int(0)).transpose()?.unwrap_or(0));
        }
        for row in tx.query("SELECT last_seq FROM devices ORDER BY id", &[])? {
            counts.push(row.int(0)?);
        }
        Ok::<_, steady_clinic::store::DbError>(counts)
    })
    .unwrap()
}

#[test]
fn malformed_wrong_typed_unknown_and_oversized_bodies_change_nothing() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        let before = snapshot(&server.db);
        let push = |body: &[u8]| {
            phone
                .client
                .raw("POST", "/v1/sync/push", Some(&phone.token), Some(body))
        };

        assert_error(&push(b"{\"device_id\": "), 400, "invalid_request", "body");
        assert_error(&push(b"not json"), 400, "invalid_request", "body");
        let wrong_type = json!({"device_id": phone.device_id, "mutations": [{
            "seq": "one", "record_type": "craving", "record_id": "c1", "operation": "upsert",
            "category": "cravings", "created_at_ms": T0, "payload": {}}]});
        assert_error(
            &push(wrong_type.to_string().as_bytes()),
            400,
            "invalid_request",
            "invalid type",
        );
        let unknown_top = json!({"device_id": phone.device_id, "mutations": [], "patient_id": "x"});
        assert_error(
            &push(unknown_top.to_string().as_bytes()),
            400,
            "invalid_request",
            "unknown field `patient_id`",
        );
        let mut extra = craving(1, "c1", 3);
        extra["priority"] = json!(1);
        let unknown_inner = json!({"device_id": phone.device_id, "mutations": [extra]});
        assert_error(
            &push(unknown_inner.to_string().as_bytes()),
            400,
            "invalid_request",
            "unknown field `priority`",
        );
        let bad_category = json!({"device_id": phone.device_id, "mutations": [{
            "seq": 1, "record_type": "craving", "record_id": "c1", "operation": "upsert",
            "category": "everything", "created_at_ms": T0, "payload": {}}]});
        assert_error(
            &push(bad_category.to_string().as_bytes()),
            400,
            "invalid_request",
            "unknown variant",
        );
        let huge = vec![b' '; steady_protocol::MAX_BODY_BYTES + 1];
        assert_error(&push(&huge), 413, "too_large", "larger than");

        assert_eq!(snapshot(&server.db), before);
    });
}

#[test]
fn out_of_order_or_oversized_pushes_are_refused_whole() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        let before = snapshot(&server.db);
        assert_error(
            &phone.push(vec![
                consent(2, "k1", "cravings", None),
                craving(2, "c1", 3),
            ]),
            400,
            "invalid_request",
            "mutations[1].seq",
        );
        assert_error(
            &phone.push(vec![craving(0, "c1", 3)]),
            400,
            "invalid_request",
            "mutations[0].seq",
        );
        let many: Vec<_> = (1..=501)
            .map(|seq| craving(seq, &format!("c{seq}"), 1))
            .collect();
        assert_error(&phone.push(many), 400, "invalid_request", "more than 500");
        assert_error(&phone.pull(0, 0), 400, "invalid_request", "limit");
        assert_error(&phone.pull(-1, 10), 400, "invalid_request", "cursor");
        assert_eq!(snapshot(&server.db), before);
    });
}

#[test]
fn another_patients_ids_are_forbidden_and_change_nothing() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let sam = clinic.enrolled("Sam Rivera");
        let alex = clinic.enrolled("Alex Kim");
        let plan = clinic.add_clinic_record(&alex.patient_id, "medication_plan", medication_plan());
        let before = snapshot(&server.db);

        // Sam's token naming Alex's device.
        let as_alex = Device {
            token: sam.token.clone(),
            ..alex.clone()
        };
        assert_error(
            &as_alex.push(vec![consent(1, "k1", "cravings", None)]),
            403,
            "forbidden",
            "device_id",
        );
        assert_error(&as_alex.pull(0, 10), 403, "forbidden", "device_id");
        // Staff addressing Alex's records under Sam.
        let plan_path = format!(
            "/v1/staff/patients/{}/clinic-records/medication_plan/{}",
            sam.patient_id,
            plan["record_id"].as_str().unwrap()
        );
        assert_error(
            &clinic.staff("PUT", &plan_path, Some(&medication_plan())),
            403,
            "forbidden",
            "another patient",
        );
        assert_error(
            &clinic.staff("DELETE", &plan_path, None),
            403,
            "forbidden",
            "another patient",
        );
        let revoke = format!(
            "/v1/staff/patients/{}/devices/{}/revoke",
            sam.patient_id, alex.device_id
        );
        assert_error(
            &clinic.staff("POST", &revoke, None),
            403,
            "forbidden",
            "another patient",
        );
        assert_eq!(snapshot(&server.db), before);

        // A consent id of Alex's pushed by Sam is rejected, not taken over.
        alex.push_ok(vec![consent(1, "shared-id", "cravings", None)]);
        let taken = sam.push_ok(vec![consent(1, "shared-id", "cravings", Some(T0))]);
        assert_eq!(outcomes(&taken), ["rejected"]);
        let still = alex.push_ok(vec![craving(2, "c1", 2)]);
        assert_eq!(
            outcomes(&still),
            ["applied"],
            "Alex's consent was not revoked"
        );
    });
}

#[test]
fn unknown_routes_ids_and_query_fields_get_json_errors() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        assert_error(
            &clinic.staff("GET", "/v1/nothing", None),
            404,
            "not_found",
            "no such route",
        );
        assert_error(
            &clinic.staff(
                "GET",
                "/v1/staff/patients/00000000-0000-0000-0000-000000000000/summary",
                None,
            ),
            404,
            "not_found",
            "patient",
        );
        assert_error(
            &clinic.staff("GET", "/v1/staff/patients?sort=name", None),
            400,
            "invalid_request",
            "sort",
        );
        assert_error(
            &clinic.staff("GET", "/v1/staff/audit?patient_id=", None),
            400,
            "invalid_request",
            "patient_id: is empty",
        );
        assert_error(
            &clinic.staff("GET", "/v1/staff/audit?limit=abc", None),
            400,
            "invalid_request",
            "limit",
        );
        assert_error(
            &clinic.staff("POST", "/v1/staff/patients", Some(&json!({"name": ""}))),
            400,
            "invalid_request",
            "name",
        );
        assert_error(
            &clinic.staff(
                "POST",
                "/v1/staff/patients",
                Some(&json!({"name": "Sam", "dob": "2000-01-01"})),
            ),
            400,
            "invalid_request",
            "dob",
        );
    });
}

/// PostgreSQL's TEXT cannot hold a NUL: a NUL or other control character in
/// a cursor, a filter, an id in the path or a JSON string is refused with a
/// 400 naming where it was, on both backends, and changes nothing.
#[test]
fn control_characters_in_paths_queries_and_bodies_are_named_and_change_nothing() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        clinic.new_patient("Sam Rivera");
        let before = snapshot(&server.db);
        for (path, field) in [
            ("/v1/staff/audit?before=1:%00", "before"),
            ("/v1/staff/audit?before=1:a%1Bb", "before"),
            ("/v1/staff/audit?patient_id=%00", "patient_id"),
            ("/v1/staff/patients/%00/summary", "path"),
            ("/v1/staff/patients/a%0Ab/summary", "path"),
        ] {
            assert_error(
                &clinic.staff("GET", path, None),
                400,
                "invalid_request",
                &format!("{field}: must not contain control characters"),
            );
        }
        // A NUL inside a JSON string reaches the store only as a parameter:
        // the store refuses it the same way on both backends.
        let answer = clinic.client.call(
            "POST",
            "/v1/staff/sessions",
            None,
            Some(&json!({"email": "st\u{0}@clinic.test", "password": "a long staff password"})),
        );
        assert_eq!(answer.0, 400, "{}", answer.1);
        assert_eq!(answer.1["error"]["code"], "invalid_request");
        assert_eq!(snapshot(&server.db), before);
    });
}
