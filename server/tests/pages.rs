//! Every list staff read comes a page at a time (issue 17, point 6): a
//! patient with many records is read in bounded answers, each record once,
//! in order; a route that does not take a method answers 405.

mod common;

use common::*;
use serde_json::json;
use std::collections::BTreeSet;

fn craving_at(seq: i64, id: &str, created: i64) -> serde_json::Value {
    let mut m = craving(seq, id, 3);
    m["created_at_ms"] = json!(created);
    m
}

#[test]
fn records_come_in_pages_each_once_in_order() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let device = clinic.enrolled("Sam Rivera");
        device.push_ok(vec![consent(1, "k1", "cravings", None)]);
        // 1,200 records; every ten share an instant, so ties are ordered by id.
        let mut sent = BTreeSet::new();
        for batch in 0..3 {
            let mutations: Vec<_> = (0..400)
                .map(|i| {
                    let n = batch * 400 + i;
                    let id = format!("r{n:05}");
                    sent.insert(id.clone());
                    craving_at(n + 2, &id, T0 + n / 10)
                })
                .collect();
            device.push_ok(mutations);
        }
        let base = format!("/v1/staff/patients/{}/records", device.patient_id);
        let mut seen = Vec::new();
        let mut pages = 0;
        let mut path = format!("{base}?limit=500");
        loop {
            let page = clinic.staff_ok("GET", &path, None);
            pages += 1;
            let records = page["records"].as_array().unwrap();
            assert!(records.len() <= 500);
            seen.extend(
                records
                    .iter()
                    .map(|r| r["record_id"].as_str().unwrap().to_string()),
            );
            match page["next_cursor"].as_str() {
                Some(cursor) => {
                    path = format!("{base}?limit=500&after={}", urlencode(cursor));
                }
                None => break,
            }
        }
        assert_eq!(pages, 3);
        assert_eq!(seen.len(), 1200, "each record once");
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted, "oldest first, ties by id");
        assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), sent);
        assert_error(
            &clinic.staff("GET", &format!("{base}?after=not-a-cursor"), None),
            400,
            "invalid_request",
            "after",
        );
        assert_error(
            &clinic.staff("GET", &format!("{base}?limit=1001"), None),
            400,
            "invalid_request",
            "limit",
        );
    });
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn patients_and_clinic_records_come_in_pages_too() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let names: BTreeSet<String> = (0..7).map(|i| format!("Patient {i}")).collect();
        for name in &names {
            clinic.new_patient(name);
        }
        let mut seen = Vec::new();
        let mut path = "/v1/staff/patients?limit=3".to_string();
        loop {
            let (status, page, next) = get_with_cursor(&clinic, &path);
            assert_eq!(status, 200);
            seen.extend(
                page.as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["name"].as_str().unwrap().to_string()),
            );
            match next {
                Some(cursor) => path = format!("/v1/staff/patients?limit=3&after={cursor}"),
                None => break,
            }
        }
        assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), names);

        let patient = clinic.new_patient("Sam Rivera");
        for i in 0..5 {
            clinic.add_clinic_record(
                &patient,
                "message",
                json!({"from": "Dana", "body": format!("note {i}")}),
            );
        }
        let base = format!("/v1/staff/patients/{patient}/clinic-records");
        let mut count = 0;
        let mut path = format!("{base}?limit=2");
        loop {
            let (status, page, next) = get_with_cursor(&clinic, &path);
            assert_eq!(status, 200);
            count += page.as_array().unwrap().len();
            match next {
                Some(cursor) => path = format!("{base}?limit=2&after={}", urlencode(&cursor)),
                None => break,
            }
        }
        assert_eq!(count, 5);
    });
}

/// A GET answer with its Steady-Next-Cursor header.
fn get_with_cursor(clinic: &Clinic, path: &str) -> (u16, serde_json::Value, Option<String>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .get(&format!("{}{path}", clinic.client.base))
        .header("Authorization", &format!("Bearer {}", clinic.staff_token))
        .call()
        .unwrap();
    let next = response
        .headers()
        .get("steady-next-cursor")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let status = response.status().as_u16();
    let body = serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    (status, body, next)
}

#[test]
fn a_route_answers_405_for_a_method_it_does_not_take() {
    let storage = storages().remove(0);
    let server = Server::start(&storage);
    let answer = server
        .client()
        .call("PUT", "/v1/enroll", None, Some(&json!({})));
    assert_error(&answer, 405, "invalid_request", "method");
    let answer = server.client().call("DELETE", "/openapi.json", None, None);
    assert_eq!(answer.0, 405);
}

#[test]
fn the_audit_log_comes_in_pages_newest_first() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        for i in 0..5 {
            clinic.new_patient(&format!("Patient {i}"));
        }
        let mut seen: Vec<(i64, String)> = Vec::new();
        let mut path = "/v1/staff/audit?limit=2".to_string();
        loop {
            let (status, page, next) = get_with_cursor(&clinic, &path);
            assert_eq!(status, 200, "{page}");
            seen.extend(page.as_array().unwrap().iter().map(|e| {
                (
                    e["at_ms"].as_i64().unwrap(),
                    e["id"].as_str().unwrap().to_string(),
                )
            }));
            match next {
                Some(cursor) => {
                    path = format!("/v1/staff/audit?limit=2&before={}", urlencode(&cursor))
                }
                None => break,
            }
        }
        // Five patients created and the staff sign-in, each once, newest first
        // (the reads of the log are logged too, after each page was read).
        let mut sorted = seen.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(seen, sorted);
        let unique: BTreeSet<_> = seen.iter().map(|(_, id)| id.clone()).collect();
        assert_eq!(unique.len(), seen.len(), "each entry once");
        assert!(seen.len() >= 6, "{}", seen.len());
    });
}
