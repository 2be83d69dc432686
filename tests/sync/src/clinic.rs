//! A real steady-clinic server, started in this process on 127.0.0.1:0 over
//! SQLite (a temporary file) or PostgreSQL (a fresh schema of the cluster
//! named by STEADY_TEST_POSTGRES_URL), with a staff member signed in through
//! the staff API.

use serde_json::{json, Value};
use std::sync::Arc;
use steady_clinic::app::AppState;
use steady_clinic::background::BackgroundServer;
use steady_clinic::clock::{Clock, ManualClock};
use steady_clinic::store::{Backend, Db};

/// 2027-01-04T12:00:00Z, a Monday: where server clocks start.
pub const T0_MS: i64 = 1_798_977_600_000;
const PASSWORD: &str = "steady sync test password";

/// Where the clinic keeps its data.
pub struct Storage {
    pub name: &'static str,
    backend: Backend,
    _dir: Option<tempfile::TempDir>,
}

/// SQLite always; PostgreSQL too when STEADY_TEST_POSTGRES_URL is set.
pub fn storages() -> Vec<Storage> {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut list = vec![Storage {
        name: "sqlite",
        backend: Backend::Sqlite(dir.path().join("clinic.db")),
        _dir: Some(dir),
    }];
    if let Some(url) = std::env::var("STEADY_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        list.push(Storage {
            name: "postgres",
            backend: Backend::Postgres {
                url,
                schema: Some(format!("sync_{}", uuid::Uuid::new_v4().simple())),
            },
            _dir: None,
        });
    } else {
        eprintln!("note: PostgreSQL not tested (set STEADY_TEST_POSTGRES_URL)");
    }
    list
}

/// One running server instance.
pub type Instance = BackgroundServer;

fn start_instance(storage: &Storage, clock: ManualClock) -> Instance {
    let db = Db::open(&storage.backend).expect("open clinic database");
    let state = AppState {
        db,
        clock: Arc::new(clock),
    };
    BackgroundServer::start("127.0.0.1:0", state).expect("start clinic server")
}

/// A clinic: its server instances, clock and a signed-in staff member.
pub struct Clinic {
    pub instances: Vec<Instance>,
    pub clock: ManualClock,
    db: Db,
    staff_token: String,
    agent: ureq::Agent,
}

impl Clinic {
    /// `instances` servers over one database (two prove the server keeps no
    /// state in memory that matters).
    pub fn start(storage: &Storage, instances: usize) -> Clinic {
        let clock = ManualClock::at(T0_MS);
        let instances: Vec<_> = (0..instances.max(1))
            .map(|_| start_instance(storage, clock.clone()))
            .collect();
        let db = Db::open(&storage.backend).expect("open clinic database");
        let email = format!("staff+{}@clinic.test", uuid::Uuid::new_v4().simple());
        steady_clinic::admin::add_staff(&db, &email, "Dana", PASSWORD, T0_MS).expect("staff");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut clinic = Clinic {
            instances,
            clock,
            db,
            staff_token: String::new(),
            agent,
        };
        let session = clinic.staff(
            "POST",
            "/v1/staff/sessions",
            Some(json!({"email": email, "password": PASSWORD})),
        );
        clinic.staff_token = session["token"].as_str().expect("token").to_string();
        clinic
    }

    /// The first instance's address, which phones enroll with.
    pub fn url(&self) -> &str {
        &self.instances[0].base
    }

    /// A new patient and their one-time enrollment code.
    pub fn patient(&self, name: &str) -> (String, String) {
        let created = steady_clinic::admin::add_patient(&self.db, name, self.clock.now_ms())
            .expect("patient");
        (created.patient.patient_id, created.enrollment.code)
    }

    /// A staff request that must succeed; returns the JSON answer.
    pub fn staff(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, body) = self.staff_answer(method, path, body);
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {body}"
        );
        body
    }

    /// A staff request whatever its status: the status and the JSON body.
    pub fn staff_answer(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.url());
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(&url)
            .header("Content-Type", "application/json");
        if !self.staff_token.is_empty() {
            request = request.header("Authorization", format!("Bearer {}", self.staff_token));
        }
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut response = self
            .agent
            .run(request.body(body).expect("request"))
            .expect("staff request reached the server");
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Staff write a clinic record for the patient; returns its id.
    pub fn author(&self, patient_id: &str, kind: &str, payload: Value) -> String {
        let record = self.staff(
            "POST",
            &format!("/v1/staff/patients/{patient_id}/clinic-records/{kind}"),
            Some(payload),
        );
        record["record_id"].as_str().expect("record id").to_string()
    }

    /// Staff delete a clinic record.
    pub fn retract(&self, patient_id: &str, kind: &str, record_id: &str) {
        self.staff(
            "DELETE",
            &format!("/v1/staff/patients/{patient_id}/clinic-records/{kind}/{record_id}"),
            None,
        );
    }

    /// Staff revoke a device.
    pub fn revoke_device(&self, patient_id: &str, device_id: &str) {
        self.staff(
            "POST",
            &format!("/v1/staff/patients/{patient_id}/devices/{device_id}/revoke"),
            None,
        );
    }

    /// What the clinic holds of the patient's records, every page of them.
    pub fn records(&self, patient_id: &str) -> Vec<Value> {
        let mut all = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut path = format!("/v1/staff/patients/{patient_id}/records?limit=1000");
            if let Some(cursor) = &after {
                let encoded: String = cursor
                    .bytes()
                    .map(|b| match b {
                        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                            (b as char).to_string()
                        }
                        _ => format!("%{b:02X}"),
                    })
                    .collect();
                path.push_str(&format!("&after={encoded}"));
            }
            let page = self.staff("GET", &path, None);
            all.extend(page["records"].as_array().cloned().unwrap_or_default());
            match page["next_cursor"].as_str() {
                Some(cursor) => after = Some(cursor.to_string()),
                None => return all,
            }
        }
    }
}

/// A message payload for a clinic record.
pub fn message(body: &str) -> Value {
    json!({"from": "Dana (counselor)", "body": body})
}

/// A session series payload.
pub fn session_series(title: &str) -> Value {
    json!({
        "kind": "group", "title": title, "time_zone": "America/New_York",
        "first_date": "2027-01-04", "start_time": "18:00", "duration_minutes": 180,
        "weekdays": ["mon", "wed", "thu"]
    })
}

/// A medication plan payload.
pub fn medication_plan() -> Value {
    json!({"name": "Buprenorphine", "dose": "8 mg", "times": ["08:00"], "start_date": "2027-01-04"})
}
