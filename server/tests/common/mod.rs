//! Test harness: real servers on loopback over each storage backend, and a
//! small HTTP client. Every storage test runs on SQLite, and on PostgreSQL
//! too when STEADY_TEST_POSTGRES_URL is set (scripts/postgres.sh start);
//! each PostgreSQL test works in a fresh schema of that cluster.

#![allow(dead_code)]

use serde_json::{json, Value};
use std::sync::Arc;
use steady_clinic::app::AppState;
use steady_clinic::background::BackgroundServer;
use steady_clinic::clock::ManualClock;
use steady_clinic::store::{Backend, Db};

/// 2027-01-04T12:00:00Z, a Monday.
pub const T0: i64 = 1_798_977_600_000;
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;
pub const PASSWORD: &str = "correct horse battery";

/// A place to keep a database: a temporary SQLite file or a PostgreSQL schema.
pub struct Storage {
    pub name: &'static str,
    pub backend: Backend,
    _dir: Option<tempfile::TempDir>,
}

/// The backends every storage test runs on.
pub fn storages() -> Vec<Storage> {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut list = vec![Storage {
        name: "sqlite",
        backend: Backend::Sqlite(dir.path().join("clinic.db")),
        _dir: Some(dir),
    }];
    match std::env::var("STEADY_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => list.push(Storage {
            name: "postgres",
            backend: Backend::Postgres {
                url,
                schema: Some(format!("t_{}", uuid::Uuid::new_v4().simple())),
            },
            _dir: None,
        }),
        _ => eprintln!(
            "note: PostgreSQL skipped (set STEADY_TEST_POSTGRES_URL, see scripts/postgres.sh)"
        ),
    }
    list
}

/// Runs `test` once per backend, naming the backend on failure.
pub fn on_each_backend(test: impl Fn(&Storage)) {
    for storage in storages() {
        eprintln!("backend: {}", storage.name);
        test(&storage);
    }
}

/// A running server instance.
pub struct Server {
    pub base: String,
    pub clock: ManualClock,
    pub db: Db,
    _running: BackgroundServer,
}

impl Server {
    pub fn start(storage: &Storage) -> Server {
        Server::start_with_clock(storage, ManualClock::at(T0))
    }

    /// Another instance over the same database shares the clock of the test.
    pub fn start_with_clock(storage: &Storage, clock: ManualClock) -> Server {
        let db = Db::open(&storage.backend).expect("open database");
        let state = AppState {
            db: db.clone(),
            clock: Arc::new(clock.clone()),
        };
        let running = BackgroundServer::start("127.0.0.1:0", state).expect("start server");
        Server {
            base: running.base.clone(),
            clock,
            db,
            _running: running,
        }
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    pub fn clock_now(&self) -> i64 {
        use steady_clinic::clock::Clock;
        self.clock.now_ms()
    }
}

/// A blocking HTTP client that returns every status with its JSON body.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    pub base: String,
}

impl Client {
    pub fn new(base: &str) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Client {
            agent,
            base: base.to_string(),
        }
    }

    pub fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let bytes = body.map(|b| serde_json::to_vec(b).expect("encode"));
        self.raw(method, path, token, bytes.as_deref())
    }

    pub fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&[u8]>,
    ) -> (u16, Value) {
        let url = format!("{}{}", self.base, path);
        let auth = token.map(|t| format!("Bearer {t}"));
        let result = match method {
            "GET" | "DELETE" => {
                let mut request = if method == "GET" {
                    self.agent.get(&url)
                } else {
                    self.agent.delete(&url)
                };
                if let Some(auth) = &auth {
                    request = request.header("Authorization", auth);
                }
                request.call()
            }
            _ => {
                let mut request = if method == "PUT" {
                    self.agent.put(&url)
                } else {
                    self.agent.post(&url)
                };
                request = request.header("Content-Type", "application/json");
                if let Some(auth) = &auth {
                    request = request.header("Authorization", auth);
                }
                request.send(body.unwrap_or(b""))
            }
        };
        let mut response = result.expect("request reached the server");
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    pub fn ok(&self, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> Value {
        let (status, value) = self.call(method, path, token, body);
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {value}"
        );
        value
    }
}

/// Asserts an error answer: status, code, and a reason mentioning `needle`.
pub fn assert_error(answer: &(u16, Value), status: u16, code: &str, needle: &str) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    let reason = body["error"]["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains(needle),
        "reason {reason:?} lacks {needle:?}"
    );
}

/// A clinic with one signed-in staff member.
pub struct Clinic {
    pub client: Client,
    pub staff_token: String,
}

impl Clinic {
    pub fn open(server: &Server) -> Clinic {
        let email = format!("dana+{}@clinic.test", uuid::Uuid::new_v4().simple());
        steady_clinic::admin::add_staff(&server.db, &email, "Dana", PASSWORD, T0).expect("staff");
        let client = server.client();
        let session = client.ok(
            "POST",
            "/v1/staff/sessions",
            None,
            Some(&json!({"email": email, "password": PASSWORD})),
        );
        Clinic {
            client,
            staff_token: session["token"].as_str().expect("token").to_string(),
        }
    }

    pub fn staff(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        self.client
            .call(method, path, Some(&self.staff_token), body)
    }

    pub fn staff_ok(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        self.client.ok(method, path, Some(&self.staff_token), body)
    }

    pub fn new_patient(&self, name: &str) -> String {
        let patient = self.staff_ok("POST", "/v1/staff/patients", Some(&json!({"name": name})));
        patient["patient_id"].as_str().expect("id").to_string()
    }

    pub fn code_for(&self, patient_id: &str) -> String {
        let issued = self.staff_ok(
            "POST",
            &format!("/v1/staff/patients/{patient_id}/enrollment-codes"),
            None,
        );
        issued["code"].as_str().expect("code").to_string()
    }

    /// A new patient with an enrolled device.
    pub fn enrolled(&self, name: &str) -> Device {
        let patient_id = self.new_patient(name);
        let code = self.code_for(&patient_id);
        let enrolled = self
            .client
            .ok("POST", "/v1/enroll", None, Some(&json!({"code": code})));
        Device {
            client: self.client.clone(),
            patient_id,
            device_id: enrolled["device_id"].as_str().expect("device").to_string(),
            token: enrolled["device_token"]
                .as_str()
                .expect("token")
                .to_string(),
        }
    }

    pub fn add_clinic_record(&self, patient_id: &str, kind: &str, payload: Value) -> Value {
        self.staff_ok(
            "POST",
            &format!("/v1/staff/patients/{patient_id}/clinic-records/{kind}"),
            Some(&payload),
        )
    }
}

/// An enrolled phone.
#[derive(Clone)]
pub struct Device {
    pub client: Client,
    pub patient_id: String,
    pub device_id: String,
    pub token: String,
}

impl Device {
    pub fn on(&self, client: &Client) -> Device {
        Device {
            client: client.clone(),
            ..self.clone()
        }
    }

    pub fn push(&self, mutations: Vec<Value>) -> (u16, Value) {
        self.client.call(
            "POST",
            "/v1/sync/push",
            Some(&self.token),
            Some(&json!({"device_id": self.device_id, "mutations": mutations})),
        )
    }

    pub fn push_ok(&self, mutations: Vec<Value>) -> Value {
        let (status, body) = self.push(mutations);
        assert_eq!(status, 200, "{body}");
        body
    }

    pub fn pull(&self, cursor: i64, limit: u32) -> (u16, Value) {
        self.client.call(
            "POST",
            "/v1/sync/pull",
            Some(&self.token),
            Some(&json!({"device_id": self.device_id, "cursor": cursor, "limit": limit})),
        )
    }
}

/// The `result` of each mutation in a push answer.
pub fn outcomes(response: &Value) -> Vec<String> {
    response["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["result"].as_str().unwrap_or_default().to_string())
        .collect()
}

pub fn consent(seq: i64, id: &str, category: &str, revoked_at_ms: Option<i64>) -> Value {
    json!({
        "seq": seq, "record_type": "consent", "record_id": id, "operation": "upsert",
        "category": category, "created_at_ms": T0,
        "payload": {
            "consent_id": id, "category": category, "discloser": "Sam Rivera",
            "recipient": "Steady Clinic", "purpose": "treatment coordination",
            "granted_at_ms": T0 - 1000, "expires_at_ms": T0 + 30 * DAY_MS,
            "right_to_revoke_acknowledged": true, "signature": "Sam Rivera",
            "revoked_at_ms": revoked_at_ms
        }
    })
}

pub fn craving(seq: i64, id: &str, intensity: i64) -> Value {
    json!({
        "seq": seq, "record_type": "craving", "record_id": id, "operation": "upsert",
        "category": "cravings", "created_at_ms": T0,
        "payload": {"id": id, "intensity": intensity, "occurred_at_ms": T0, "time_zone": "America/New_York"}
    })
}

pub fn session_series() -> Value {
    json!({
        "kind": "group", "title": "Evening group", "time_zone": "America/New_York",
        "first_date": "2027-01-04", "start_time": "18:00", "duration_minutes": 180,
        "weekdays": ["mon", "wed", "thu"]
    })
}

pub fn medication_plan() -> Value {
    json!({"name": "Buprenorphine", "dose": "8 mg", "times": ["08:00"], "start_date": "2027-01-04"})
}

/// Runs the `openssl` command in `dir` (certificates for TLS tests are made
/// by a tool independent of the server's own TLS stack).
pub fn openssl(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    assert!(out.status.success(), "openssl {args:?}: {out:?}");
}
