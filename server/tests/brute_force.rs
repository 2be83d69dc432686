//! Guessing passwords and enrollment codes (issue 17, points 2–4): attempts
//! are counted before they are checked, so concurrency cannot bypass a
//! limit; password checks run two at a time; strangers cannot lock out the
//! right person; unknown emails cost the same as known ones. Loopback only,
//! bounded in count; nothing here measures speed.

mod common;

use common::*;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex, MutexGuard};
use steady_clinic::app::AppState;
use steady_clinic::background::BackgroundServer;
use steady_clinic::clock::ManualClock;
use steady_clinic::net::ServerOptions;
use steady_clinic::secrets::{password_check_stats, MAX_CONCURRENT_PASSWORD_CHECKS};
use steady_clinic::store::{Db, Mode};

/// The password-check counters are process-wide: one test at a time here.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// A server that believes `X-Forwarded-For` from loopback, as behind the
/// clinic's reverse proxy: each request can come "from" its own address.
struct Proxied {
    base: String,
    db: Db,
    _running: BackgroundServer,
}

fn behind_proxy(storage: &Storage) -> Proxied {
    let db = Db::open(&storage.backend).expect("open database");
    let state = AppState {
        db: db.clone(),
        clock: Arc::new(ManualClock::at(T0)),
    };
    let options = ServerOptions {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..ServerOptions::default()
    };
    let running = BackgroundServer::start_with("127.0.0.1:0", state, options).expect("start");
    Proxied {
        base: running.base.clone(),
        db,
        _running: running,
    }
}

/// POSTs `body` as if from `from` (through the trusted proxy).
fn post_from(base: &str, path: &str, from: &str, body: &Value) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .post(&format!("{base}{path}"))
        .header("Content-Type", "application/json")
        .header("X-Forwarded-For", from)
        .send(body.to_string().as_bytes())
        .expect("request reached the server");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Runs `count` requests at once and returns their statuses.
fn at_once(count: usize, request: impl Fn(usize) -> u16 + Send + Sync + 'static) -> Vec<u16> {
    let request = Arc::new(request);
    let start = Arc::new(std::sync::Barrier::new(count));
    let threads: Vec<_> = (0..count)
        .map(|i| {
            let request = request.clone();
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                request(i)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

fn sign_in(email: &str, password: &str) -> Value {
    json!({"email": email, "password": password})
}

#[test]
fn concurrent_wrong_passwords_are_all_counted_and_hashed_two_at_a_time() {
    let _one = serial();
    on_each_backend(|storage| {
        let server = Server::start(storage);
        steady_clinic::admin::add_staff(&server.db, "lee@clinic.test", "Lee", PASSWORD, T0)
            .unwrap();
        let (checks_before, _) = password_check_stats();
        let base = server.base.clone();
        let statuses = at_once(60, move |_| {
            Client::new(&base)
                .call(
                    "POST",
                    "/v1/staff/sessions",
                    None,
                    Some(&sign_in("lee@clinic.test", "not the password")),
                )
                .0
        });
        assert_eq!(count(&statuses, 401), 10, "{statuses:?}");
        assert_eq!(count(&statuses, 429), 50, "{statuses:?}");
        let (checks_after, peak) = password_check_stats();
        assert_eq!(
            checks_after - checks_before,
            10,
            "only admitted attempts are hashed"
        );
        assert!(peak <= MAX_CONCURRENT_PASSWORD_CHECKS, "peak {peak}");
    });
}

#[test]
fn an_unknown_email_costs_one_password_check_like_a_known_one() {
    let _one = serial();
    on_each_backend(|storage| {
        let server = Server::start(storage);
        steady_clinic::admin::add_staff(&server.db, "lee@clinic.test", "Lee", PASSWORD, T0)
            .unwrap();
        let client = server.client();
        for email in ["lee@clinic.test", "nobody@clinic.test"] {
            let (before, _) = password_check_stats();
            let answer = client.call(
                "POST",
                "/v1/staff/sessions",
                None,
                Some(&sign_in(email, "not the password")),
            );
            assert_error(&answer, 401, "unauthorized", "wrong email or password");
            let (after, _) = password_check_stats();
            assert_eq!(after - before, 1, "{email}");
        }
    });
}

#[test]
fn strangers_cannot_lock_a_clinician_out() {
    let _one = serial();
    on_each_backend(|storage| {
        let server = behind_proxy(storage);
        steady_clinic::admin::add_staff(&server.db, "lee@clinic.test", "Lee", PASSWORD, T0)
            .unwrap();
        let office = "203.0.113.5";
        let right = sign_in("lee@clinic.test", PASSWORD);
        let (status, body) = post_from(&server.base, "/v1/staff/sessions", office, &right);
        assert_eq!(status, 201, "{body}");
        // 60 wrong guesses from 60 addresses: past the account's limit of 50
        // (the clinician's own successful sign-in does not count).
        let base = server.base.clone();
        let statuses = at_once(60, move |i| {
            post_from(
                &base,
                "/v1/staff/sessions",
                &format!("198.51.100.{}", i + 1),
                &sign_in("lee@clinic.test", "guess"),
            )
            .0
        });
        assert_eq!(count(&statuses, 401), 50, "{statuses:?}");
        assert_eq!(count(&statuses, 429), 10, "{statuses:?}");
        // A new address waits; the clinician's own office still signs in.
        let (status, _) = post_from(&server.base, "/v1/staff/sessions", "192.0.2.77", &right);
        assert_eq!(status, 429);
        let (status, body) = post_from(&server.base, "/v1/staff/sessions", office, &right);
        assert_eq!(status, 201, "{body}");
    });
}

fn code_for(server: &Proxied, name: &str) -> String {
    steady_clinic::admin::add_patient(&server.db, name, T0)
        .unwrap()
        .enrollment
        .code
}

/// A wrong code that shares the live code's lookup group (its first four).
fn near_miss(code: &str) -> String {
    let last = code.chars().last().unwrap();
    let other = if last == 'A' { 'B' } else { 'A' };
    format!("{}{other}", &code[..code.len() - 1])
}

#[test]
fn concurrent_wrong_codes_from_one_address_are_all_counted() {
    let _one = serial();
    on_each_backend(|storage| {
        let server = behind_proxy(storage);
        let code = code_for(&server, "Sam Rivera");
        let base = server.base.clone();
        let statuses = at_once(80, move |i| {
            let guess = format!("ZZZZ-ZZZZ-{:04}", 2000 + i).replace(['0', '1'], "2");
            post_from(&base, "/v1/enroll", "198.51.100.9", &json!({"code": guess})).0
        });
        assert_eq!(count(&statuses, 404), 20, "{statuses:?}");
        assert_eq!(count(&statuses, 429), 60, "{statuses:?}");
        // The limited address still enrolls with a real code.
        let (status, body) = post_from(
            &server.base,
            "/v1/enroll",
            "198.51.100.9",
            &json!({"code": code}),
        );
        assert_eq!(status, 201, "{body}");
    });
}

#[test]
fn guesses_at_a_live_code_lock_only_that_code() {
    let _one = serial();
    on_each_backend(|storage| {
        let server = behind_proxy(storage);
        let target = code_for(&server, "Sam Rivera");
        let other = code_for(&server, "Alex Doe");
        // Rotating addresses, all aiming at one code's lookup group.
        let base = server.base.clone();
        let miss = near_miss(&target);
        let statuses = at_once(30, move |i| {
            let from = format!("198.51.100.{}", i + 1);
            post_from(&base, "/v1/enroll", &from, &json!({"code": miss})).0
        });
        assert_eq!(count(&statuses, 404), 30, "{statuses:?}");
        let attempts: i64 = server
            .db
            .transact(Mode::Read, |tx| {
                tx.query_opt("SELECT MAX(failed_attempts) FROM enrollment_codes", &[])?
                    .unwrap()
                    .int(0)
            })
            .unwrap();
        assert_eq!(attempts, 30, "every racing guess was counted");
        let (status, body) = post_from(
            &server.base,
            "/v1/enroll",
            "192.0.2.1",
            &json!({"code": target}),
        );
        assert_eq!(status, 410, "{body}");
        assert!(body.to_string().contains("new code"), "{body}");
        // Nobody else's enrollment is touched, from any address.
        let (status, body) = post_from(
            &server.base,
            "/v1/enroll",
            "198.51.100.1",
            &json!({"code": other}),
        );
        assert_eq!(status, 201, "{body}");
    });
}

#[test]
fn typos_anywhere_never_block_enrollment_clinic_wide() {
    let _one = serial();
    on_each_backend(|storage| {
        // Without trusted-proxy configuration every phone behind the proxy
        // shares one address; a valid code must still enroll.
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let patient = clinic.new_patient("Sam Rivera");
        let code = clinic.code_for(&patient);
        for i in 0..40 {
            let guess = format!("YYYY-YYYY-Y{:03}", 200 + i).replace(['0', '1'], "3");
            let (status, _) =
                clinic
                    .client
                    .call("POST", "/v1/enroll", None, Some(&json!({"code": guess})));
            assert!(status == 404 || status == 429, "{status}");
        }
        let (status, body) =
            clinic
                .client
                .call("POST", "/v1/enroll", None, Some(&json!({"code": code})));
        assert_eq!(status, 201, "{body}");
    });
}
