//! Two server instances over one database: nothing that matters lives in a
//! server's memory, so either instance can answer any request.

mod common;

use common::*;
use serde_json::json;
use std::collections::HashMap;

#[test]
fn sessions_codes_and_devices_work_across_instances() {
    on_each_backend(|storage| {
        let a = Server::start(storage);
        let b = Server::start_with_clock(storage, a.clock.clone());
        let clinic_a = Clinic::open(&a);
        let client_b = b.client();
        // A staff session from A is good on B.
        let patient = client_b.ok(
            "POST",
            "/v1/staff/patients",
            Some(&clinic_a.staff_token),
            Some(&json!({"name": "Sam Rivera"})),
        )["patient_id"]
            .as_str()
            .unwrap()
            .to_string();
        let code = clinic_a.code_for(&patient);
        let enrolled = client_b.ok("POST", "/v1/enroll", None, Some(&json!({"code": code})));
        let reuse = clinic_a
            .client
            .call("POST", "/v1/enroll", None, Some(&json!({"code": code})));
        assert_error(&reuse, 410, "code_used", "already used");
        let phone = Device {
            client: clinic_a.client.clone(),
            patient_id: patient.clone(),
            device_id: enrolled["device_id"].as_str().unwrap().to_string(),
            token: enrolled["device_token"].as_str().unwrap().to_string(),
        };
        phone.push_ok(vec![
            consent(1, "k1", "cravings", None),
            craving(2, "c1", 5),
        ]);
        let via_b = phone
            .on(&client_b)
            .push_ok(vec![craving(2, "c1", 5), craving(3, "c2", 5)]);
        assert_eq!(outcomes(&via_b), ["duplicate", "applied"]);
        // Revoked on B, refused on A.
        client_b.ok(
            "POST",
            &format!(
                "/v1/staff/patients/{patient}/devices/{}/revoke",
                phone.device_id
            ),
            Some(&clinic_a.staff_token),
            None,
        );
        assert_error(&phone.pull(0, 10), 403, "device_revoked", "revoked");
    });
}

#[test]
fn concurrent_retries_on_two_instances_apply_each_mutation_once() {
    on_each_backend(|storage| {
        let a = Server::start(storage);
        let b = Server::start_with_clock(storage, a.clock.clone());
        let clinic = Clinic::open(&a);
        let phone = clinic.enrolled("Sam Rivera");
        phone.push_ok(vec![consent(1, "k1", "cravings", None)]);
        let batch: Vec<_> = (2..=41)
            .map(|seq| craving(seq, &format!("c{seq}"), seq % 11))
            .collect();
        let client_b = b.client();
        let answers: Vec<serde_json::Value> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..6)
                .map(|i| {
                    let device = if i % 2 == 0 {
                        phone.clone()
                    } else {
                        phone.on(&client_b)
                    };
                    let batch = batch.clone();
                    scope.spawn(move || device.push_ok(batch))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut applied: HashMap<i64, usize> = HashMap::new();
        for answer in &answers {
            for result in answer["results"].as_array().unwrap() {
                if result["result"] == "applied" {
                    *applied.entry(result["seq"].as_i64().unwrap()).or_default() += 1;
                }
            }
        }
        assert_eq!(applied.len(), 40);
        assert!(applied.values().all(|n| *n == 1), "{applied:?}");
        let records = clinic.staff_ok(
            "GET",
            &format!("/v1/staff/patients/{}/records", phone.patient_id),
            None,
        );
        assert_eq!(records["records"].as_array().unwrap().len(), 40);
    });
}

#[test]
fn staff_writes_on_both_instances_reach_the_phone_in_gapless_cursor_order() {
    on_each_backend(|storage| {
        let a = Server::start(storage);
        let b = Server::start_with_clock(storage, a.clock.clone());
        let clinic = Clinic::open(&a);
        let phone = clinic.enrolled("Sam Rivera");
        let client_b = b.client();
        let path = format!(
            "/v1/staff/patients/{}/clinic-records/message",
            phone.patient_id
        );
        std::thread::scope(|scope| {
            for i in 0..4 {
                let client = if i % 2 == 0 {
                    clinic.client.clone()
                } else {
                    client_b.clone()
                };
                let token = clinic.staff_token.clone();
                let path = path.clone();
                scope.spawn(move || {
                    for n in 0..10 {
                        client.ok(
                            "POST",
                            &path,
                            Some(&token),
                            Some(&json!({"from": "Dana", "body": format!("note {i}-{n}")})),
                        );
                    }
                });
            }
        });
        let (_, page) = phone.on(&client_b).pull(0, 500);
        let cursors: Vec<i64> = page["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["cursor"].as_i64().unwrap())
            .collect();
        assert_eq!(cursors, (1..=40).collect::<Vec<_>>());
        // One instance going away changes nothing for the other.
        drop(a);
        let (status, _) = phone.on(&client_b).pull(40, 10);
        assert_eq!(status, 200);
    });
}

#[test]
fn one_code_redeemed_at_once_on_two_instances_enrolls_one_device() {
    on_each_backend(|storage| {
        let a = Server::start(storage);
        let b = Server::start_with_clock(storage, a.clock.clone());
        let clinic = Clinic::open(&a);
        let patient = clinic.new_patient("Sam Rivera");
        let code = clinic.code_for(&patient);
        let clients = [clinic.client.clone(), b.client()];
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..6)
                .map(|i| {
                    let client = clients[i % 2].clone();
                    let code = code.clone();
                    scope.spawn(move || {
                        client
                            .call("POST", "/v1/enroll", None, Some(&json!({"code": code})))
                            .0
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            1,
            "{statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| *s == 201 || *s == 410),
            "{statuses:?}"
        );
        let detail = clinic.staff_ok("GET", &format!("/v1/staff/patients/{patient}"), None);
        assert_eq!(detail["devices"].as_array().unwrap().len(), 1);
    });
}
