//! Enrollment codes: one use, expiry, rate-limited guesses, hashed tokens.

mod common;

use common::*;
use serde_json::json;

#[test]
fn a_code_enrolls_one_device_and_then_is_used_up() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let patient = clinic.new_patient("Sam Rivera");
        let code = clinic.code_for(&patient);
        let (status, body) = clinic.client.call(
            "POST",
            "/v1/enroll",
            None,
            Some(&json!({"code": code.to_lowercase(), "device_name": "Pixel 8"})),
        );
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["protocol_version"], 1);
        assert!(body["device_token"].as_str().unwrap().starts_with("dv_"));
        let again = clinic
            .client
            .call("POST", "/v1/enroll", None, Some(&json!({"code": code})));
        assert_error(&again, 410, "code_used", "already used");
        let detail = clinic.staff_ok("GET", &format!("/v1/staff/patients/{patient}"), None);
        assert_eq!(detail["devices"].as_array().unwrap().len(), 1);
        assert_eq!(detail["devices"][0]["name"], "Pixel 8");
    });
}

#[test]
fn an_expired_code_is_refused_and_enrolls_nothing() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let patient = clinic.new_patient("Sam Rivera");
        let code = clinic.code_for(&patient);
        server.clock.advance_ms(72 * 60 * 60 * 1000);
        let answer = clinic
            .client
            .call("POST", "/v1/enroll", None, Some(&json!({"code": code})));
        assert_error(&answer, 410, "code_used", "expired");
        // Staff sessions last 12 hours: sign in again to look.
        let clinic = Clinic::open(&server);
        let detail = clinic.staff_ok("GET", &format!("/v1/staff/patients/{patient}"), None);
        assert!(detail["devices"].as_array().unwrap().is_empty());
    });
}

#[test]
fn unknown_and_malformed_codes_are_told_apart() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let client = server.client();
        let unknown = client.call(
            "POST",
            "/v1/enroll",
            None,
            Some(&json!({"code": "ABCD-EFGH-JKMN"})),
        );
        assert_error(&unknown, 404, "not_found", "enrollment code");
        // The old 8-character codes are no longer codes.
        let short = client.call(
            "POST",
            "/v1/enroll",
            None,
            Some(&json!({"code": "ABCD-EFGH"})),
        );
        assert_error(&short, 400, "invalid_request", "code");
        let malformed = client.call("POST", "/v1/enroll", None, Some(&json!({"code": "12"})));
        assert_error(&malformed, 400, "invalid_request", "code");
    });
}

#[test]
fn guessing_codes_is_rate_limited_in_the_database() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let patient = clinic.new_patient("Sam Rivera");
        let code = clinic.code_for(&patient);
        for _ in 0..20 {
            let guess = clinic.client.call(
                "POST",
                "/v1/enroll",
                None,
                Some(&json!({"code": "ABCD-EFGH-JKMN"})),
            );
            assert_eq!(guess.0, 404);
        }
        // A second instance counts the same: the next unknown code waits...
        let other = Server::start_with_clock(storage, server.clock.clone());
        let blocked = other.client().call(
            "POST",
            "/v1/enroll",
            None,
            Some(&json!({"code": "ABCD-EFGH-JKMP"})),
        );
        assert_error(&blocked, 429, "rate_limited", "too many");
        // ...but a real code is never refused for its address.
        let (status, body) =
            other
                .client()
                .call("POST", "/v1/enroll", None, Some(&json!({"code": code})));
        assert_eq!(status, 201, "{body}");
    });
}

#[test]
fn device_tokens_are_stored_only_as_hashes() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let device = clinic.enrolled("Sam Rivera");
        let stored: Vec<String> = server
            .db
            .transact(steady_clinic::store::Mode::Read, |tx| {
                tx.query("SELECT token_hash FROM devices", &[])?
                    .iter()
                    .map(|row| row.text(0))
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert_ne!(stored[0], device.token);
        assert!(!stored[0].contains(&device.token));
    });
}
