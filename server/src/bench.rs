//! The load benchmark behind `steady-clinic bench`: N simulated phones enroll,
//! then each pushes one day of records (consents, cravings, a check-in,
//! doses, attendance) and pulls its clinic schedule, from a pool of client
//! threads over loopback HTTP. Reports throughput and latency percentiles.

use crate::admin;
use crate::app::AppState;
use crate::audit::Actor;
use crate::background::BackgroundServer;
use crate::clinic_records;
use crate::clock::{Clock, SystemClock};
use crate::error::{ApiError, ApiResult};
use crate::store::{Backend, Db, Mode};
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use steady_protocol::{ChangeKind, ErrorCode};

pub struct Options {
    pub devices: usize,
    pub clients: usize,
}

#[derive(Debug, Serialize)]
pub struct Latency {
    pub requests: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub backend: &'static str,
    pub devices: usize,
    pub clients: usize,
    pub mutations: usize,
    pub seconds: f64,
    /// Devices that finished push + pull per second.
    pub devices_per_second: f64,
    pub requests_per_second: f64,
    pub mutations_per_second: f64,
    pub push: Latency,
    pub pull: Latency,
}

struct Phone {
    device_id: String,
    token: String,
}

fn failed(what: &str, detail: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("bench: {what}: {detail}"))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

fn latency(mut samples: Vec<Duration>) -> Latency {
    samples.sort();
    Latency {
        requests: samples.len(),
        p50_ms: percentile(&samples, 0.50),
        p99_ms: percentile(&samples, 0.99),
        max_ms: percentile(&samples, 1.0),
    }
}

/// One day on a phone: consents for four categories, then the day's records.
fn one_day(now_ms: i64) -> Vec<Value> {
    let mut mutations = Vec::new();
    let mut seq = 0;
    let mut add = |record_type: &str, category: &str, payload: Value| {
        seq += 1;
        let id = uuid::Uuid::new_v4().to_string();
        let mut payload = payload;
        if record_type == "consent" {
            payload["consent_id"] = json!(id);
        }
        mutations.push(json!({
            "seq": seq, "record_type": record_type, "record_id": id, "operation": "upsert",
            "category": category, "created_at_ms": now_ms, "payload": payload
        }));
    };
    for category in ["attendance", "medication", "cravings", "checkins"] {
        add(
            "consent",
            category,
            json!({
                "category": category, "discloser": "Bench Patient", "recipient": "Steady Clinic",
                "purpose": "treatment coordination", "granted_at_ms": now_ms - 60_000,
                "expires_at_ms": now_ms + 90 * 86_400_000_i64, "right_to_revoke_acknowledged": true,
                "signature": "Bench Patient"
            }),
        );
    }
    for intensity in [3, 7, 5] {
        add(
            "craving",
            "cravings",
            json!({"intensity": intensity, "occurred_at_ms": now_ms, "time_zone": "America/New_York"}),
        );
    }
    add(
        "daily_checkin",
        "checkins",
        json!({"used_today": false, "mood": 4, "sleep": 3}),
    );
    for status in ["taken", "taken"] {
        add(
            "dose",
            "medication",
            json!({"status": status, "at_ms": now_ms, "time_zone": "America/New_York"}),
        );
    }
    add(
        "attendance",
        "attendance",
        json!({"status": "attended", "occurrence": "2027-01-04T18:00"}),
    );
    mutations
}

/// Creates the clinic: patients with a code each and a schedule to pull.
fn seed(db: &Db, devices: usize, now_ms: i64) -> ApiResult<Vec<String>> {
    let mut codes = Vec::with_capacity(devices);
    for i in 0..devices {
        let added = admin::add_patient(db, &format!("Bench patient {i}"), now_ms)?;
        db.transact(Mode::Write, |tx| {
            let series = json!({"kind": "group", "title": "Evening group", "time_zone": "America/New_York",
                "first_date": "2027-01-04", "start_time": "18:00", "duration_minutes": 180, "weekdays": ["mon", "wed", "thu"]});
            let plan = json!({"name": "Buprenorphine", "dose": "8 mg", "times": ["08:00"], "start_date": "2027-01-04"});
            for (kind, payload) in [(ChangeKind::SessionSeries, series), (ChangeKind::MedicationPlan, plan)] {
                let payload = clinic_records::validate_payload(kind, payload)?;
                let id = uuid::Uuid::new_v4().to_string();
                clinic_records::write_change(tx, &Actor::Admin, &added.patient.patient_id, kind, &id, Some(&payload), now_ms)?;
            }
            Ok::<_, ApiError>(())
        })?;
        codes.push(added.enrollment.code);
    }
    Ok(codes)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

fn post(agent: &ureq::Agent, url: &str, token: Option<&str>, body: &Value) -> ApiResult<Value> {
    let mut request = agent.post(url).header("Content-Type", "application/json");
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let mut response = request
        .send(body.to_string().as_bytes())
        .map_err(|e| failed(url, e))?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| failed(url, e))?;
    if !(200..300).contains(&status) {
        return Err(failed(url, format!("{status} {text}")));
    }
    serde_json::from_str(&text).map_err(|e| failed(url, e))
}

/// Runs `work(i)` for i in 0..n on `clients` threads.
fn in_parallel(
    n: usize,
    clients: usize,
    work: impl Fn(&ureq::Agent, usize) -> ApiResult<()> + Sync,
) -> ApiResult<()> {
    let next = AtomicUsize::new(0);
    let first_error = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..clients {
            scope.spawn(|| {
                let agent = agent();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    if let Err(e) = work(&agent, i) {
                        if let Ok(mut slot) = first_error.lock() {
                            slot.get_or_insert(e);
                        }
                        next.store(n, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    match first_error.into_inner().ok().flatten() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

pub fn run(backend: &Backend, options: &Options) -> ApiResult<Report> {
    let db = Db::open(backend).map_err(|e| failed("open database", e))?;
    let now = SystemClock.now_ms();
    let codes = seed(&db, options.devices, now)?;
    let state = AppState {
        db: db.clone(),
        clock: Arc::new(SystemClock),
    };
    let server =
        BackgroundServer::start("127.0.0.1:0", state).map_err(|e| failed("start server", e))?;
    let base = server.base.clone();

    let phones: Vec<Mutex<Option<Phone>>> =
        (0..options.devices).map(|_| Mutex::new(None)).collect();
    in_parallel(options.devices, options.clients, |agent, i| {
        let answer = post(
            agent,
            &format!("{base}/v1/enroll"),
            None,
            &json!({"code": codes[i]}),
        )?;
        let phone = Phone {
            device_id: answer["device_id"].as_str().unwrap_or_default().to_string(),
            token: answer["device_token"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        };
        if let Ok(mut slot) = phones[i].lock() {
            *slot = Some(phone);
        }
        Ok(())
    })?;

    let per_device = one_day(now).len();
    let pushes = Mutex::new(Vec::with_capacity(options.devices));
    let pulls = Mutex::new(Vec::with_capacity(options.devices));
    let started = Instant::now();
    in_parallel(options.devices, options.clients, |agent, i| {
        let (device_id, token) = match phones[i]
            .lock()
            .ok()
            .and_then(|p| p.as_ref().map(|p| (p.device_id.clone(), p.token.clone())))
        {
            Some(phone) => phone,
            None => return Err(failed("enroll", "a phone did not enroll")),
        };
        let day = one_day(now);
        let t = Instant::now();
        let answer = post(
            agent,
            &format!("{base}/v1/sync/push"),
            Some(&token),
            &json!({"device_id": device_id, "mutations": day}),
        )?;
        let push_time = t.elapsed();
        let applied = answer["results"]
            .as_array()
            .map_or(0, |r| r.iter().filter(|m| m["result"] == "applied").count());
        if applied != day.len() {
            return Err(failed(
                "push",
                format!(
                    "{applied} of {} applied: {}",
                    day.len(),
                    answer["results"][0]
                ),
            ));
        }
        let t = Instant::now();
        let page = post(
            agent,
            &format!("{base}/v1/sync/pull"),
            Some(&token),
            &json!({"device_id": device_id, "cursor": 0}),
        )?;
        let pull_time = t.elapsed();
        if page["changes"].as_array().map_or(0, Vec::len) != 2 {
            return Err(failed("pull", "the schedule did not arrive"));
        }
        if let (Ok(mut p), Ok(mut q)) = (pushes.lock(), pulls.lock()) {
            p.push(push_time);
            q.push(pull_time);
        }
        Ok(())
    })?;
    let seconds = started.elapsed().as_secs_f64();
    drop(server);
    let push = latency(pushes.into_inner().unwrap_or_default());
    let pull = latency(pulls.into_inner().unwrap_or_default());
    let mutations = options.devices * per_device;
    Ok(Report {
        backend: db.backend_name(),
        devices: options.devices,
        clients: options.clients,
        mutations,
        seconds,
        devices_per_second: options.devices as f64 / seconds,
        requests_per_second: (push.requests + pull.requests) as f64 / seconds,
        mutations_per_second: mutations as f64 / seconds,
        push,
        pull,
    })
}
