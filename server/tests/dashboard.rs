//! The clinician dashboard over HTTP, on every backend: cookie sessions and
//! CSRF, security headers, clinic isolation, the safety flag lifecycle and
//! its audit trail, clinic records reaching the phone, drug-screen flags,
//! and alert emails to a real SMTP sink on loopback (with retries and
//! escalation). The browser-level tests are tests/browser/dashboard.mjs.

mod common;

use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use steady_clinic::alerts::{self, AlertConfig};
use steady_clinic::store::Mode;

/// A browser: keeps cookies, never follows redirects.
struct Browser {
    agent: ureq::Agent,
    base: String,
    cookies: Vec<(String, String)>,
}

struct Page {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Page {
    fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a csrf field")
            + 19;
        self.body[at..].split('"').next().unwrap().to_string()
    }
}

impl Browser {
    fn new(server: &Server) -> Browser {
        Browser {
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .build()
                .into(),
            base: server.base.clone(),
            cookies: Vec::new(),
        }
    }

    fn keep(&mut self, response: &mut ureq::http::Response<ureq::Body>) -> Page {
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect();
        for (_, value) in headers.iter().filter(|(k, _)| k == "set-cookie") {
            let pair = value.split(';').next().unwrap_or_default();
            if let Some((name, v)) = pair.split_once('=') {
                self.cookies.retain(|(n, _)| n != name);
                if !v.is_empty() {
                    self.cookies.push((name.to_string(), v.to_string()));
                }
            }
        }
        Page {
            status: response.status().as_u16(),
            headers,
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn get(&mut self, path: &str) -> Page {
        let mut response = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header())
            .call()
            .expect("reached the server");
        self.keep(&mut response)
    }

    fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let mut response = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header())
            .send_form(form.iter().copied())
            .expect("reached the server");
        self.keep(&mut response)
    }

    fn sign_in(&mut self, email: &str) -> Page {
        let form = self.get("/dashboard/sign-in");
        let csrf = form.csrf();
        self.post(
            "/dashboard/sign-in",
            &[("email", email), ("password", PASSWORD), ("csrf", &csrf)],
        )
    }
}

fn staff(server: &Server) -> String {
    let email = format!("dana+{}@clinic.test", uuid::Uuid::new_v4().simple());
    steady_clinic::admin::add_staff(&server.db, &email, "Dana Ortiz", PASSWORD, T0).unwrap();
    email
}

fn flagged_craving(seq: i64, id: &str) -> Value {
    json!({
        "seq": seq, "record_type": "craving", "record_id": id, "operation": "upsert",
        "category": "cravings", "created_at_ms": T0,
        "payload": {"id": id, "intensity": 9, "occurred_at_ms": T0, "marked_unsafe": true,
                    "flagged_for_clinic": true, "time_zone": "America/New_York"}
    })
}

/// A staff member (their email) and an enrolled patient who has just pushed
/// an unsafe craving, at 2027-01-05 12:00 UTC (a Tuesday), inside clinic hours
/// (09:00-17:00 UTC): that instant is returned with the patient's phone.
fn flagged_in_hours(server: &Server) -> (String, Device, i64) {
    let clinic = Clinic::open(server);
    let first = staff(server);
    let device = clinic.enrolled("Alex Kim");
    server.clock.advance_ms(DAY_MS);
    device.push_ok(vec![
        consent(1, "c1", "cravings", None),
        flagged_craving(2, "k1"),
    ]);
    (first, device, T0 + DAY_MS)
}

fn flag_rows(server: &Server, patient_id: &str) -> Vec<(String, String)> {
    server
        .db
        .transact(Mode::Read, |tx| {
            tx.query(
                "SELECT id, status FROM safety_flags WHERE patient_id = $1",
                &[patient_id.into()],
            )
        })
        .unwrap()
        .iter()
        .map(|r| (r.text(0).unwrap(), r.text(1).unwrap()))
        .collect()
}

#[test]
fn pages_need_a_session_cookie_and_carry_strict_security_headers() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let email = staff(&server);
        let mut browser = Browser::new(&server);
        let page = browser.get("/dashboard");
        assert_eq!(page.status, 303, "{:?} {}", page.headers, page.body);
        assert_eq!(page.header("location"), ["/dashboard/sign-in"]);
        let form = browser.get("/dashboard/sign-in");
        assert_eq!(form.status, 200);
        let csp = form.header("content-security-policy")[0];
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline") && !form.body.contains("<script"));
        assert_eq!(form.header("x-frame-options"), ["DENY"]);
        // A sign-in post without the form's token is refused.
        let forged = browser.post(
            "/dashboard/sign-in",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("csrf", "forged"),
            ],
        );
        assert_eq!(forged.status, 403);
        let wrong = {
            let csrf = browser.get("/dashboard/sign-in").csrf();
            browser.post(
                "/dashboard/sign-in",
                &[
                    ("email", &email),
                    ("password", "wrong password!"),
                    ("csrf", &csrf),
                ],
            )
        };
        assert_eq!(wrong.status, 401);
        assert!(wrong.body.contains("wrong email or password"));
        let signed_in = browser.sign_in(&email);
        assert_eq!(signed_in.status, 303);
        let cookie = signed_in
            .header("set-cookie")
            .into_iter()
            .find(|c| c.starts_with("steady_staff=st_"))
            .expect("session cookie");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        assert!(!cookie.contains("Secure"), "plain loopback HTTP");
        let caseload = browser.get("/dashboard");
        assert_eq!(caseload.status, 200);
        assert!(caseload.body.contains("<h1>Caseload</h1>"));
        // Signing out needs the token too, then the cookie no longer works.
        assert_eq!(browser.post("/dashboard/sign-out", &[]).status, 403);
        let csrf = caseload.csrf();
        assert_eq!(
            browser
                .post("/dashboard/sign-out", &[("csrf", &csrf)])
                .status,
            303
        );
        assert_eq!(browser.get("/dashboard").status, 303);
    });
}

#[test]
fn a_safety_flag_goes_from_new_to_acknowledged_to_resolved_and_each_step_is_audited() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let device = clinic.enrolled("Alex Kim");
        let calm = clinic.enrolled("Blair Calm");
        device.push_ok(vec![
            consent(1, "c1", "cravings", None),
            flagged_craving(2, "k1"),
        ]);
        calm.push_ok(vec![
            consent(1, "c2", "cravings", None),
            craving(2, "k2", 3),
        ]);
        let mut browser = Browser::new(&server);
        browser.sign_in(&staff(&server));
        let caseload = browser.get("/dashboard");
        let alex = caseload.body.find("Alex Kim").unwrap();
        let blair = caseload.body.find("Blair Calm").unwrap();
        assert!(alex < blair, "the flagged patient comes first");
        assert!(caseload
            .body
            .contains("1 open safety flag (1 not acknowledged)"));
        let flags = flag_rows(&server, &device.patient_id);
        assert_eq!(flags.len(), 1);
        let flag_id = flags[0].0.clone();
        let page_path = format!("/dashboard/patients/{}", device.patient_id);
        let page = browser.get(&format!("{page_path}?purpose=pre-session%20review"));
        assert!(page.body.contains("Craving marked unsafe"));
        let csrf = page.csrf();
        let ack = format!("{page_path}/flags/{flag_id}/acknowledge");
        assert_eq!(browser.post(&ack, &[]).status, 403, "no CSRF token");
        assert_eq!(flag_rows(&server, &device.patient_id)[0].1, "new");
        assert_eq!(browser.post(&ack, &[("csrf", &csrf)]).status, 303);
        assert_eq!(flag_rows(&server, &device.patient_id)[0].1, "acknowledged");
        assert_eq!(browser.post(&ack, &[("csrf", &csrf)]).status, 409);
        let caseload = browser.get("/dashboard");
        assert!(caseload
            .body
            .contains("1 open safety flag (0 not acknowledged)"));
        let resolve = format!("{page_path}/flags/{flag_id}/resolve");
        let bad = browser.post(
            &resolve,
            &[("csrf", &csrf), ("assessment", "vibes"), ("outcome", "ok")],
        );
        assert_eq!(bad.status, 400);
        assert!(bad.body.contains("assessment: must be"));
        let resolved = browser.post(
            &resolve,
            &[
                ("csrf", &csrf),
                ("assessment", "risk_assessment"),
                ("outcome", "Low risk; safety plan reviewed"),
            ],
        );
        assert_eq!(resolved.status, 303);
        assert_eq!(flag_rows(&server, &device.patient_id)[0].1, "resolved");
        assert!(!browser.get("/dashboard").body.contains("open safety flag"));
        let audit = clinic.staff_ok(
            "GET",
            &format!("/v1/staff/audit?patient_id={}", device.patient_id),
            None,
        );
        let actions: Vec<(&str, &str)> = audit
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["action"].as_str().unwrap(),
                    e["purpose"].as_str().unwrap(),
                )
            })
            .collect();
        for expected in [
            ("flag.raise", "treatment"),
            ("flag.acknowledge", "treatment"),
            ("flag.resolve", "treatment"),
            ("triage.read", "treatment"),
            ("patient.page.read", "pre-session review"),
        ] {
            assert!(actions.contains(&expected), "{expected:?} in {actions:?}");
        }
        let log = serde_json::to_string(&audit).unwrap();
        assert!(
            !log.contains("safety plan reviewed"),
            "no outcome text in the log"
        );
    });
}

#[test]
fn another_clinics_patient_is_answered_like_a_missing_one() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let ours = clinic.new_patient("Ours");
        let theirs = clinic.new_patient("Theirs");
        server
            .db
            .transact(Mode::Write, |tx| {
                tx.exec(
                    "UPDATE patients SET clinic_id = 'lakeside' WHERE id = $1",
                    &[theirs.clone().into()],
                )
            })
            .unwrap();
        let mut browser = Browser::new(&server);
        browser.sign_in(&staff(&server));
        let caseload = browser.get("/dashboard");
        assert!(caseload.body.contains("Ours") && !caseload.body.contains("Theirs"));
        let csrf = caseload.csrf();
        assert_eq!(
            browser.get(&format!("/dashboard/patients/{ours}")).status,
            200
        );
        for path in [
            format!("/dashboard/patients/{theirs}"),
            format!("/dashboard/patients/{theirs}/messages"),
        ] {
            assert_eq!(browser.get(&path).status, 404, "{path}");
        }
        let post = browser.post(
            &format!("/dashboard/patients/{theirs}/messages"),
            &[("csrf", &csrf), ("body", "hello")],
        );
        assert_eq!(post.status, 404);
        let audit = browser.get(&format!("/dashboard/audit?patient_id={theirs}"));
        assert!(!audit.body.contains("patient.create"), "no rows of theirs");
        // The JSON staff API's per-patient routes are scoped the same way.
        for path in [
            format!("/v1/staff/patients/{theirs}"),
            format!("/v1/staff/patients/{theirs}/records"),
            format!("/v1/staff/patients/{theirs}/summary"),
        ] {
            assert_error(
                &clinic.staff("GET", &path, None),
                404,
                "not_found",
                "patient",
            );
        }
        clinic.staff_ok("GET", &format!("/v1/staff/patients/{ours}"), None);
        // The list, a new patient and the audit log are the caller's clinic's.
        let listed = clinic.staff_ok("GET", "/v1/staff/patients", None);
        let ids: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["patient_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, vec![ours.as_str()], "only our clinic's patients");
        assert_error(
            &clinic.staff("GET", &format!("/v1/staff/patients?after={theirs}"), None),
            404,
            "not_found",
            "patient",
        );
        let created = clinic.new_patient("Newcomer");
        let listed = clinic.staff_ok("GET", "/v1/staff/patients", None);
        assert!(
            listed.to_string().contains(&created),
            "a new patient joins our clinic"
        );
        let audit = clinic.staff_ok("GET", "/v1/staff/audit?limit=1000", None);
        let text = audit.to_string();
        assert!(text.contains(&ours) && !text.contains(&theirs), "{text}");
        let filtered =
            clinic.staff_ok("GET", &format!("/v1/staff/audit?patient_id={theirs}"), None);
        assert_eq!(filtered, serde_json::json!([]));
    });
}

#[test]
fn clinic_attendance_messages_and_released_screens_reach_the_phone() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let device = clinic.enrolled("Sam Rivera");
        let series =
            clinic.add_clinic_record(&device.patient_id, "session_series", session_series());
        let series_id = series["record_id"].as_str().unwrap().to_string();
        clinic.add_clinic_record(&device.patient_id, "medication_plan", medication_plan());
        // Monday 2027-01-04 12:00 UTC, the series' first day.
        server.clock.advance_ms(DAY_MS);
        let mut browser = Browser::new(&server);
        browser.sign_in(&staff(&server));
        let path = format!("/dashboard/patients/{}", device.patient_id);
        let page = browser.get(&path);
        let csrf = page.csrf();
        let occurrence = format!("{series_id}@2027-01-04T18:00");
        assert!(
            page.body.contains(&occurrence),
            "the form offers the session"
        );
        let bad = browser.post(
            &format!("{path}/attendance"),
            &[
                ("csrf", &csrf),
                ("occurrence_id", &occurrence),
                ("status", "present"),
            ],
        );
        assert_eq!(bad.status, 400);
        let recorded = browser.post(
            &format!("{path}/attendance"),
            &[
                ("csrf", &csrf),
                ("occurrence_id", &occurrence),
                ("status", "attended"),
            ],
        );
        assert_eq!(recorded.status, 303);
        browser.post(
            &format!("{path}/messages"),
            &[("csrf", &csrf), ("body", "See you Monday.")],
        );
        // Buprenorphine is prescribed (the plan): a negative screen is a flag.
        let screen = browser.post(
            &format!("{path}/drug-screens"),
            &[
                ("csrf", &csrf),
                ("collected_on", "2027-01-04"),
                ("specimen", "urine"),
                ("panel", "12-panel cup"),
                ("result_buprenorphine", "negative"),
                ("method_buprenorphine", "presumptive"),
                ("result_fentanyl", "negative"),
                ("method_fentanyl", "confirmed"),
            ],
        );
        assert_eq!(screen.status, 303);
        let flags = flag_rows(&server, &device.patient_id);
        assert_eq!(flags.len(), 1, "an unexpected negative raises a flag");
        let page = browser.get(&path);
        assert!(page.body.contains("expected (prescribed) but not found"));
        assert!(page.body.contains("Unexpected drug screen result"));
        let (_, pulled) = device.pull(0, 100);
        let kinds: Vec<&str> = pulled["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["kind"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"attendance") && kinds.contains(&"message"));
        assert!(!kinds.contains(&"drug_screen"), "not released yet");
        let screen_id = server
            .db
            .transact(Mode::Read, |tx| {
                tx.query_opt("SELECT id FROM drug_screens", &[])
            })
            .unwrap()
            .unwrap()
            .text(0)
            .unwrap();
        assert_eq!(
            browser
                .post(
                    &format!("{path}/drug-screens/{screen_id}/release"),
                    &[("csrf", &csrf)]
                )
                .status,
            303
        );
        let (_, pulled) = device.pull(0, 100);
        let released: Vec<&Value> = pulled["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == "drug_screen")
            .collect();
        assert_eq!(released.len(), 1);
        assert_eq!(
            released[0]["payload"]["results"][0]["substance"],
            "buprenorphine"
        );
        assert_eq!(released[0]["payload"]["results"][0]["expected"], true);
        // A substance found that is not prescribed needs attention too.
        let screen = browser.post(
            &format!("{path}/drug-screens"),
            &[
                ("csrf", &csrf),
                ("collected_on", "2027-01-05"),
                ("specimen", "urine"),
                ("panel", "12-panel cup"),
                ("result_buprenorphine", "positive"),
                ("method_buprenorphine", "presumptive"),
                ("result_fentanyl", "positive"),
                ("method_fentanyl", "presumptive"),
            ],
        );
        assert_eq!(screen.status, 303);
        assert_eq!(
            flag_rows(&server, &device.patient_id).len(),
            2,
            "an unexpected positive raises a flag"
        );
        assert!(browser.get(&path).body.contains("found, not prescribed"));
        // The plan from the browser: a questionnaire assigned, then removed.
        let bad = browser.post(
            &format!("{path}/plan/questionnaire"),
            &[
                ("csrf", &csrf),
                ("instrument", "phq9"),
                ("weekday", "someday"),
                ("time", "09:00"),
            ],
        );
        assert_eq!(bad.status, 400);
        let added = browser.post(
            &format!("{path}/plan/questionnaire"),
            &[
                ("csrf", &csrf),
                ("instrument", "gad7"),
                ("weekday", "mon"),
                ("time", "09:00"),
            ],
        );
        assert_eq!(added.status, 303);
        let (_, pulled) = device.pull(0, 100);
        let assigned = pulled["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == "questionnaire")
            .expect("the phone receives the questionnaire")
            .clone();
        assert_eq!(assigned["payload"]["instrument"], "gad7");
        let id = assigned["record_id"].as_str().unwrap();
        assert!(browser.get(&path).body.contains("GAD-7 every mon at 09:00"));
        let removed = browser.post(
            &format!("{path}/plan/questionnaire/{id}/remove"),
            &[("csrf", &csrf)],
        );
        assert_eq!(removed.status, 303);
        let (_, pulled) = device.pull(0, 100);
        assert!(pulled["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "questionnaire" && c["operation"] == "delete"));
    });
}

/// Recipients and DATA of each message a sink received.
type Received = Arc<Mutex<Vec<(Vec<String>, String)>>>;

/// A tiny SMTP server on loopback that keeps every message it receives,
/// in plain text, with STARTTLS, or with TLS from the first byte.
struct SmtpSink {
    port: u16,
    messages: Received,
    /// Every AUTH command received, and whether it came over TLS.
    auths: Arc<Mutex<Vec<(String, bool)>>>,
}

#[derive(Clone)]
enum SinkTls {
    None,
    StartTls(Arc<tokio_rustls::rustls::ServerConfig>),
    Implicit(Arc<tokio_rustls::rustls::ServerConfig>),
}

trait Stream: std::io::Read + Write + Send {}
impl<T: std::io::Read + Write + Send> Stream for T {}

fn over_tls(
    config: &Arc<tokio_rustls::rustls::ServerConfig>,
    inner: Box<dyn Stream>,
) -> Box<dyn Stream> {
    let connection = tokio_rustls::rustls::ServerConnection::new(config.clone()).unwrap();
    Box::new(tokio_rustls::rustls::StreamOwned::new(connection, inner))
}

impl SmtpSink {
    fn start() -> SmtpSink {
        SmtpSink::with_tls(SinkTls::None)
    }

    fn with_tls(tls: SinkTls) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages: Received = Arc::new(Mutex::new(Vec::new()));
        let auths = Arc::new(Mutex::new(Vec::new()));
        let (kept, auth_log) = (messages.clone(), auths.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (stream, secure, starttls): (Box<dyn Stream>, bool, _) = match &tls {
                    SinkTls::None => (Box::new(stream), false, None),
                    SinkTls::StartTls(config) => (Box::new(stream), false, Some(config.clone())),
                    SinkTls::Implicit(config) => (over_tls(config, Box::new(stream)), true, None),
                };
                let mut stream = stream;
                if stream.write_all(b"220 sink ESMTP\r\n").is_err() || stream.flush().is_err() {
                    continue;
                }
                sink_session(stream, secure, starttls, &kept, &auth_log);
            }
        });
        SmtpSink {
            port,
            messages,
            auths,
        }
    }
}

fn sink_session(
    stream: Box<dyn Stream>,
    secure: bool,
    starttls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
    kept: &Received,
    auths: &Arc<Mutex<Vec<(String, bool)>>>,
) {
    let mut io = BufReader::new(stream);
    let (mut to, mut data, mut in_data) = (Vec::new(), String::new(), false);
    let mut line = String::new();
    while io.read_line(&mut line).unwrap_or(0) > 0 {
        let reply: String = if in_data {
            if line == ".\r\n" {
                in_data = false;
                kept.lock().unwrap().push((to.clone(), data.clone()));
                "250 queued\r\n".into()
            } else {
                data.push_str(&line);
                String::new()
            }
        } else {
            let upper = line.to_ascii_uppercase();
            if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                let mut offer = String::from("250-sink\r\n");
                if starttls.is_some() && !secure {
                    offer.push_str("250-STARTTLS\r\n");
                }
                offer.push_str("250 AUTH PLAIN LOGIN\r\n");
                offer
            } else if upper.starts_with("STARTTLS") {
                if let Some(config) = &starttls {
                    let _ = io.get_mut().write_all(b"220 go ahead\r\n");
                    let upgraded = over_tls(config, io.into_inner());
                    return sink_session(upgraded, true, None, kept, auths);
                }
                "454 no TLS here\r\n".into()
            } else if upper.starts_with("AUTH") {
                auths
                    .lock()
                    .unwrap()
                    .push((line.trim().to_string(), secure));
                "235 accepted\r\n".into()
            } else if upper.starts_with("RCPT TO:") {
                to.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                "250 ok\r\n".into()
            } else if upper.starts_with("DATA") {
                in_data = true;
                "354 go on\r\n".into()
            } else if upper.starts_with("QUIT") {
                let _ = io.get_mut().write_all(b"221 bye\r\n");
                let _ = io.get_mut().flush();
                break;
            } else {
                "250 ok\r\n".into()
            }
        };
        let _ = io.get_mut().write_all(reply.as_bytes());
        let _ = io.get_mut().flush();
        line.clear();
    }
}

/// A certificate authority and a certificate it issued for 127.0.0.1, made
/// by the `openssl` command: (CA certificate, leaf certificate, leaf key).
fn loopback_ca(dir: &std::path::Path) -> [std::path::PathBuf; 3] {
    let path = |name: &str| dir.join(name);
    let run = |args: &[&str]| openssl(dir, args);
    run(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Steady test relay CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]);
    run(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "relay.key",
        "-out",
        "relay.csr",
    ]);
    std::fs::write(
        path("relay.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "relay.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "relay.ext",
        "-out",
        "relay.pem",
    ]);
    [path("ca.pem"), path("relay.pem"), path("relay.key")]
}

/// Alerts reach a relay over STARTTLS and over implicit TLS, checked against
/// the clinic's own CA, with the relay's user name and password sent only
/// inside TLS; a relay whose certificate is not trusted gets nothing, and a
/// password is refused for plain SMTP.
#[test]
fn alerts_go_to_the_relay_over_tls_with_credentials_only_inside_it() {
    let dir = tempfile::tempdir().unwrap();
    let [ca, cert, key] = loopback_ca(dir.path());
    let relay_tls = steady_clinic::tls::server_config(&cert, &key).unwrap();
    for (scheme, tls) in [
        ("smtp+starttls", SinkTls::StartTls(relay_tls.clone())),
        ("smtps", SinkTls::Implicit(relay_tls.clone())),
    ] {
        on_each_backend(|storage| {
            let server = Server::start(storage);
            let (_, _device, t0) = flagged_in_hours(&server);
            // Not trusting the clinic's CA, the relay is refused: nothing sent.
            let sink = SmtpSink::with_tls(tls.clone());
            let untrusted = AlertConfig {
                smtp_url: format!("{scheme}://127.0.0.1:{}", sink.port),
                from: "alerts@clinic.test".into(),
                dashboard_url: "https://clinic.test/dashboard".into(),
                credentials: Some(("alerts".into(), "relay secret".into())),
                ca_file: None,
            };
            assert_eq!(alerts::tick(&server.db, Some(&untrusted), t0).unwrap(), 0);
            assert!(sink.auths.lock().unwrap().is_empty(), "{scheme}");
            let trusted = AlertConfig {
                ca_file: Some(ca.clone()),
                ..untrusted
            };
            let sent = alerts::tick(&server.db, Some(&trusted), t0 + 60_000).unwrap();
            assert!(sent >= 1, "{scheme}: sent {sent}");
            let auths = sink.auths.lock().unwrap().clone();
            assert!(!auths.is_empty(), "{scheme}: the relay was asked to log in");
            assert!(
                auths.iter().all(|(_, secure)| *secure),
                "{scheme}: {auths:?}"
            );
            assert_eq!(sink.messages.lock().unwrap().len(), sent, "{scheme}");
        });
    }
    let plain = AlertConfig {
        smtp_url: "smtp://relay.clinic.test".into(),
        credentials: Some(("alerts".into(), "relay secret".into())),
        ..AlertConfig::default()
    };
    let refused = plain.relay().unwrap_err();
    assert!(
        refused.reason.contains("only sent over TLS"),
        "{}",
        refused.reason
    );
    for (url, port) in [
        ("smtps://relay.clinic.test", 465),
        ("smtp+starttls://relay.clinic.test", 587),
        ("smtp://relay.clinic.test", 25),
        ("smtps://relay.clinic.test:2465/", 2465),
    ] {
        let config = AlertConfig {
            smtp_url: url.into(),
            ..AlertConfig::default()
        };
        assert_eq!(config.relay().unwrap().1, port, "{url}");
    }
    for url in ["http://relay", "smtps://", "smtp://relay:many"] {
        let config = AlertConfig {
            smtp_url: url.into(),
            ..AlertConfig::default()
        };
        assert!(config.relay().is_err(), "{url}");
    }
}

#[test]
fn a_flag_alerts_the_care_team_by_email_without_health_data_then_escalates() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let (first, device, t0) = flagged_in_hours(&server);
        // No SMTP server yet: the alert waits, and the push was not held up.
        let dead = AlertConfig {
            smtp_url: format!("smtp://127.0.0.1:{}", {
                let l = TcpListener::bind("127.0.0.1:0").unwrap();
                l.local_addr().unwrap().port()
            }),
            from: "alerts@clinic.test".into(),
            dashboard_url: "https://clinic.test/dashboard".into(),
            ..AlertConfig::default()
        };
        assert_eq!(alerts::tick(&server.db, Some(&dead), t0).unwrap(), 0);
        let failed = server
            .db
            .transact(Mode::Read, |tx| {
                tx.query(
                    "SELECT attempts, last_error FROM alert_outbox WHERE sent_at_ms IS NULL",
                    &[],
                )
            })
            .unwrap();
        assert!(!failed.is_empty());
        assert!(failed.iter().all(|r| r.int(0).unwrap() == 1));
        let sink = SmtpSink::start();
        let config = AlertConfig {
            smtp_url: format!("smtp://127.0.0.1:{}", sink.port),
            ..dead
        };
        // The retry waits for its backoff.
        assert_eq!(
            alerts::tick(&server.db, Some(&config), t0 + 1000).unwrap(),
            0
        );
        let sent = alerts::tick(&server.db, Some(&config), t0 + 60_000).unwrap();
        let staff_count = server
            .db
            .transact(Mode::Read, |tx| tx.query("SELECT id FROM staff", &[]))
            .unwrap()
            .len();
        let errors = server
            .db
            .transact(Mode::Read, |tx| {
                tx.query(
                    "SELECT recipient, attempts, last_error, sent_at_ms FROM alert_outbox",
                    &[],
                )
            })
            .unwrap();
        let errors: Vec<String> = errors
            .iter()
            .map(|r| {
                format!(
                    "{:?} {:?} {:?} {:?}",
                    r.text(0),
                    r.int(1),
                    r.opt_text(2),
                    r.opt_int(3)
                )
            })
            .collect();
        assert_eq!(
            sent, staff_count,
            "the whole care team, in hours: {errors:?}"
        );
        {
            let messages = sink.messages.lock().unwrap();
            let recipients: Vec<&String> = messages.iter().flat_map(|(to, _)| to).collect();
            assert!(recipients.contains(&&first));
            for (_, data) in messages.iter() {
                assert!(data.contains("needs attention"));
                assert!(
                    !data.contains("Alex") && !data.contains("craving") && !data.contains("unsafe")
                );
            }
        }
        // Nobody acknowledged within the escalation time (30 min): level 1
        // goes to the next person of the chain, once.
        let escalated = alerts::tick(&server.db, Some(&config), t0 + 31 * 60_000).unwrap();
        assert_eq!(escalated, 1);
        assert_eq!(
            alerts::tick(&server.db, Some(&config), t0 + 32 * 60_000).unwrap(),
            0
        );
        // Once acknowledged, nothing more goes out.
        let flag_id = flag_rows(&server, &device.patient_id)[0].0.clone();
        server
            .db
            .transact(Mode::Write, |tx| {
                steady_clinic::flags::acknowledge(
                    tx,
                    &steady_clinic::audit::Actor::Admin,
                    &device.patient_id,
                    &flag_id,
                    t0 + 33 * 60_000,
                )
            })
            .unwrap();
        assert_eq!(
            alerts::tick(&server.db, Some(&config), t0 + 90 * 60_000).unwrap(),
            0
        );
    });
}
