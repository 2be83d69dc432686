//! Push and pull: exactly-once application, consent enforcement, paging.

mod common;

use common::*;
use serde_json::json;

#[test]
fn nothing_is_accepted_before_consent_and_everything_after() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        let early = phone.push_ok(vec![craving(1, "c1", 6)]);
        assert_eq!(outcomes(&early), ["rejected"]);
        assert_eq!(
            early["results"][0]["reason"],
            "no current consent for cravings"
        );
        let later = phone.push_ok(vec![
            consent(2, "k1", "cravings", None),
            craving(3, "c2", 7),
        ]);
        assert_eq!(outcomes(&later), ["applied", "applied"]);
        assert_eq!(later["last_seq"], 3);
        let read = clinic.staff_ok(
            "GET",
            &format!("/v1/staff/patients/{}/records", phone.patient_id),
            None,
        );
        let ids: Vec<&str> = read["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["record_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["c2"], "the refused craving was not stored");
    });
}

#[test]
fn a_repeated_push_applies_nothing_twice() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        let batch = vec![
            consent(1, "k1", "cravings", None),
            craving(2, "c1", 4),
            craving(3, "c2", 5),
        ];
        assert_eq!(outcomes(&phone.push_ok(batch.clone())), ["applied"; 3]);
        // The response was lost: the phone sends the same batch plus one more.
        let mut retry = batch;
        retry.push(craving(4, "c3", 6));
        let again = phone.push_ok(retry);
        assert_eq!(
            outcomes(&again),
            ["duplicate", "duplicate", "duplicate", "applied"]
        );
        assert_eq!(again["last_seq"], 4);
        let summary = clinic.staff_ok(
            "GET",
            &format!("/v1/staff/patients/{}/summary", phone.patient_id),
            None,
        );
        assert_eq!(summary["cravings_last_7_days"]["count"], 3);
        assert_eq!(summary["cravings_last_7_days"]["average_intensity"], 5.0);
    });
}

#[test]
fn a_rejected_mutation_does_not_block_the_ones_after_it() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        let mut bad = craving(2, "c1", 4);
        bad["payload"] = json!([1, 2, 3]);
        let mut bad_type = craving(3, "c2", 4);
        bad_type["record_type"] = json!("Craving!");
        let answer = phone.push_ok(vec![
            consent(1, "k1", "cravings", None),
            bad,
            bad_type,
            craving(4, "c3", 4),
        ]);
        assert_eq!(
            outcomes(&answer),
            ["applied", "rejected", "rejected", "applied"]
        );
        assert!(answer["results"][1]["reason"]
            .as_str()
            .unwrap()
            .starts_with("payload:"));
        assert!(answer["results"][2]["reason"]
            .as_str()
            .unwrap()
            .starts_with("record_type:"));
        assert_eq!(answer["last_seq"], 4);
        let again = phone.push_ok(vec![craving(2, "c1", 4)]);
        assert_eq!(outcomes(&again), ["duplicate"], "a rejection is final too");
    });
}

#[test]
fn revocation_refuses_what_follows_it_even_within_one_push() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        let answer = phone.push_ok(vec![
            consent(1, "k1", "cravings", None),
            craving(2, "c1", 4),
            consent(3, "k1", "cravings", Some(T0)),
            craving(4, "c2", 4),
        ]);
        assert_eq!(
            outcomes(&answer),
            ["applied", "applied", "applied", "rejected"]
        );
        // A revoked consent cannot come back; a new consent can.
        let revived = phone.push_ok(vec![consent(5, "k1", "cravings", None)]);
        assert_eq!(outcomes(&revived), ["rejected"]);
        let fresh = phone.push_ok(vec![
            consent(6, "k2", "cravings", None),
            craving(7, "c3", 2),
        ]);
        assert_eq!(outcomes(&fresh), ["applied", "applied"]);
        let detail = clinic.staff_ok(
            "GET",
            &format!("/v1/staff/patients/{}", phone.patient_id),
            None,
        );
        let statuses: Vec<&str> = detail["consent_scope"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["status"].as_str().unwrap())
            .collect();
        assert!(statuses.contains(&"revoked") && statuses.contains(&"current"));
    });
}

#[test]
fn consent_is_per_category_and_expires() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        let note = json!({
            "seq": 3, "record_type": "note", "record_id": "n1", "operation": "upsert",
            "category": "notes", "created_at_ms": T0, "payload": {"text": "private"}
        });
        let answer = phone.push_ok(vec![
            consent(1, "k1", "cravings", None),
            craving(2, "c1", 4),
            note,
        ]);
        assert_eq!(outcomes(&answer), ["applied", "applied", "rejected"]);
        server.clock.advance_ms(31 * DAY_MS);
        let expired = phone.push_ok(vec![craving(4, "c2", 4)]);
        assert_eq!(outcomes(&expired), ["rejected"]);
    });
}

#[test]
fn deletes_leave_tombstones_staff_can_see() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        let delete = json!({
            "seq": 3, "record_type": "craving", "record_id": "c1", "operation": "delete",
            "category": "cravings", "created_at_ms": T0
        });
        phone.push_ok(vec![
            consent(1, "k1", "cravings", None),
            craving(2, "c1", 4),
            delete,
        ]);
        let read = clinic.staff_ok(
            "GET",
            &format!(
                "/v1/staff/patients/{}/records?category=cravings",
                phone.patient_id
            ),
            None,
        );
        assert_eq!(read["records"][0]["deleted"], true);
        assert_eq!(read["records"][0]["payload"], serde_json::Value::Null);
    });
}

#[test]
fn pull_pages_clinic_changes_in_cursor_order() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        let series =
            clinic.add_clinic_record(&phone.patient_id, "session_series", session_series());
        clinic.add_clinic_record(&phone.patient_id, "medication_plan", medication_plan());
        clinic.add_clinic_record(
            &phone.patient_id,
            "questionnaire",
            json!({"instrument": "phq9", "title": "PHQ-9", "weekday": "mon", "time": "09:00"}),
        );
        clinic.add_clinic_record(
            &phone.patient_id,
            "message",
            json!({"from": "Dana", "body": "See you Monday."}),
        );
        let series_id = series["record_id"].as_str().unwrap();
        let path = format!(
            "/v1/staff/patients/{}/clinic-records/session_series/{series_id}",
            phone.patient_id
        );
        let mut moved = session_series();
        moved["start_time"] = json!("17:30");
        clinic.staff_ok("PUT", &path, Some(&moved));
        clinic.staff_ok("DELETE", &path, None);

        let mut cursor = 0;
        let mut seen = Vec::new();
        loop {
            let (status, page) = phone.pull(cursor, 2);
            assert_eq!(status, 200, "{page}");
            for change in page["changes"].as_array().unwrap() {
                seen.push((
                    change["cursor"].as_i64().unwrap(),
                    change["kind"].as_str().unwrap().to_string(),
                    change["operation"].as_str().unwrap().to_string(),
                ));
            }
            cursor = page["next_cursor"].as_i64().unwrap();
            if !page["has_more"].as_bool().unwrap() {
                break;
            }
        }
        let cursors: Vec<i64> = seen.iter().map(|s| s.0).collect();
        assert_eq!(cursors, [1, 2, 3, 4, 5, 6]);
        assert_eq!(seen[4].2, "upsert");
        assert_eq!(seen[5].2, "delete");
        let (_, empty) = phone.pull(cursor, 2);
        assert_eq!(empty["changes"], json!([]));
        assert_eq!(empty["next_cursor"], cursor);
        // The other patient sees none of it.
        let other = clinic.enrolled("Alex Kim");
        let (_, theirs) = other.pull(0, 100);
        assert_eq!(theirs["changes"], json!([]));
    });
}

#[test]
fn a_revoked_device_is_refused() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let phone = clinic.enrolled("Sam Rivera");
        clinic.staff_ok(
            "POST",
            &format!(
                "/v1/staff/patients/{}/devices/{}/revoke",
                phone.patient_id, phone.device_id
            ),
            None,
        );
        assert_error(
            &phone.push(vec![consent(1, "k1", "cravings", None)]),
            403,
            "device_revoked",
            "revoked",
        );
        assert_error(&phone.pull(0, 10), 403, "device_revoked", "revoked");
        let detail = clinic.staff_ok(
            "GET",
            &format!("/v1/staff/patients/{}", phone.patient_id),
            None,
        );
        assert!(
            detail["consent_scope"].as_array().unwrap().is_empty(),
            "nothing was recorded"
        );
    });
}
