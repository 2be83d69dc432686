//! Calendar feed subscriptions: conditional polling, the calendar mirrored
//! into clinic records, and a fetcher that takes only http(s), bounds size
//! and time, and refuses loopback and private addresses unless a test
//! allows its own loopback feed.

mod common;

use common::{assert_error, on_each_backend, Clinic, Server};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use steady_clinic::app::AppState;
use steady_clinic::audit::Actor;
use steady_clinic::feeds::{self, FeedError, FetchPolicy};

const CALENDAR: &str =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n\
X-WR-TIMEZONE:America/Chicago\r\n\
BEGIN:VEVENT\r\nUID:group@feed\r\nSUMMARY:Evening group\r\n\
DTSTART;TZID=America/Chicago:20270104T180000\r\nDTEND;TZID=America/Chicago:20270104T200000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO,WE\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:family@feed\r\nSUMMARY:Family session\r\n\
DTSTART;TZID=America/Chicago:20270102T100000\r\nDURATION:PT2H\r\n\
RRULE:FREQ=MONTHLY;BYDAY=1SA\r\nEND:VEVENT\r\n\
BEGIN:VTODO\r\nUID:todo@feed\r\nSUMMARY:Paperwork\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";

/// What the little feed server answers: status line extras, headers, body.
#[derive(Clone)]
struct Answer {
    status: &'static str,
    headers: Vec<(String, String)>,
    body: String,
}

/// A feed on loopback: answers each request with `answer(request headers)`
/// and counts the requests.
struct Feed {
    url: String,
    requests: Arc<Mutex<Vec<Vec<String>>>>,
}

fn serve(answer: impl Fn(&[String]) -> Answer + Send + 'static) -> Feed {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/clinic.ics", listener.local_addr().expect("addr"));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                headers.push(line.trim().to_string());
            }
            let reply = answer(&headers);
            seen.lock().expect("lock").push(headers);
            let mut text = format!(
                "HTTP/1.1 {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                reply.status,
                reply.body.len()
            );
            for (name, value) in &reply.headers {
                text.push_str(&format!("{name}: {value}\r\n"));
            }
            text.push_str("\r\n");
            text.push_str(&reply.body);
            let _ = stream.write_all(text.as_bytes());
        }
    });
    Feed { url, requests }
}

fn calendar_feed(body: Arc<Mutex<String>>) -> Feed {
    serve(move |headers| {
        let body = body.lock().expect("lock").clone();
        let etag = format!("\"{}\"", body.len());
        let matches = headers
            .iter()
            .any(|h| h.to_ascii_lowercase() == format!("if-none-match: {etag}"));
        Answer {
            status: if matches {
                "304 Not Modified"
            } else {
                "200 OK"
            },
            headers: vec![
                ("ETag".into(), etag),
                ("Content-Type".into(), "text/calendar".into()),
            ],
            body: if matches { String::new() } else { body },
        }
    })
}

fn loopback_only(ip: IpAddr) -> bool {
    ip.is_loopback()
}

fn test_policy() -> FetchPolicy {
    FetchPolicy {
        allow_address: loopback_only,
        max_bytes: 64 * 1024,
        timeout: Duration::from_secs(3),
        max_redirects: 2,
    }
}

fn poll(server: &Server, patient: &str, policy: FetchPolicy) -> Value {
    let state = AppState {
        db: server.db.clone(),
        clock: Arc::new(server.clock.clone()),
    };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let report = runtime
        .block_on(feeds::poll(&state, Actor::Admin, patient, policy))
        .expect("poll");
    serde_json::to_value(report).expect("json")
}

fn series_titles(clinic: &Clinic, patient: &str) -> Vec<String> {
    let records = clinic.staff_ok(
        "GET",
        &format!("/v1/staff/patients/{patient}/clinic-records"),
        None,
    );
    let mut titles: Vec<String> = records
        .as_array()
        .expect("list")
        .iter()
        .map(|r| {
            r["payload"]["title"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    titles.sort();
    titles
}

#[test]
fn a_feed_is_polled_conditionally_and_mirrored_into_clinic_records() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let patient = clinic.new_patient("Sam");
        let body = Arc::new(Mutex::new(CALENDAR.to_string()));
        let feed = calendar_feed(body.clone());
        let webcal = feed.url.replace("http://", "webcal://");
        let path = format!("/v1/staff/patients/{patient}/calendar-feed");
        // webcal:// is https://; this test feed speaks plain http.
        let (status, _) = clinic.staff("PUT", &path, Some(&json!({"url": webcal})));
        assert_eq!(status, 204);
        clinic.staff_ok("PUT", &path, Some(&json!({"url": feed.url})));

        let first = poll(&server, &patient, test_policy());
        assert_eq!(first["status"], "updated", "{first}");
        assert_eq!(
            (first["added"].as_u64(), first["updated"].as_u64()),
            (Some(2), Some(0))
        );
        assert_eq!(first["skipped"][0]["component"], "VTODO");
        assert_eq!(
            series_titles(&clinic, &patient),
            ["Evening group", "Family session"]
        );
        let records = clinic.staff_ok(
            "GET",
            &format!("/v1/staff/patients/{patient}/clinic-records"),
            None,
        );
        let family = records
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["payload"]["title"] == "Family session")
            .unwrap();
        assert_eq!(
            family["payload"]["rules"],
            json!(["FREQ=MONTHLY;BYDAY=1SA"])
        );

        // Unchanged: the validator makes it a 304 and nothing is written.
        let second = poll(&server, &patient, test_policy());
        assert_eq!(second["status"], "not_modified", "{second}");
        let sent = feed.requests.lock().unwrap();
        assert!(sent[1]
            .iter()
            .any(|h| h.to_ascii_lowercase().starts_with("if-none-match:")));
        drop(sent);

        // The family session leaves the feed; the group changes time.
        *body.lock().unwrap() = CALENDAR
            .replace(
                "T180000\r\nDTEND;TZID=America/Chicago:20270104T200000",
                "T173000\r\nDTEND;TZID=America/Chicago:20270104T193000",
            )
            .replace(
                "BEGIN:VEVENT\r\nUID:family@feed\r\nSUMMARY:Family session\r\n\
DTSTART;TZID=America/Chicago:20270102T100000\r\nDURATION:PT2H\r\n\
RRULE:FREQ=MONTHLY;BYDAY=1SA\r\nEND:VEVENT\r\n",
                "",
            );
        let third = poll(&server, &patient, test_policy());
        assert_eq!(
            (third["updated"].as_u64(), third["removed"].as_u64()),
            (Some(1), Some(1)),
            "{third}"
        );
        assert_eq!(series_titles(&clinic, &patient), ["Evening group"]);
    });
}

#[test]
fn the_default_policy_refuses_loopback_and_private_addresses() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let patient = clinic.new_patient("Sam");
        let feed = calendar_feed(Arc::new(Mutex::new(CALENDAR.to_string())));
        let path = format!("/v1/staff/patients/{patient}/calendar-feed");
        clinic.staff_ok("PUT", &path, Some(&json!({"url": feed.url})));
        let report = clinic.staff_ok("POST", &format!("{path}/poll"), None);
        assert_eq!(report["status"], "failed");
        assert!(
            report["error"]
                .as_str()
                .unwrap()
                .contains("loopback or private"),
            "{report}"
        );
        assert!(feed.requests.lock().unwrap().is_empty(), "never connected");
        assert!(series_titles(&clinic, &patient).is_empty());
    });
}

#[test]
fn only_http_urls_are_taken() {
    on_each_backend(|storage| {
        let server = Server::start(storage);
        let clinic = Clinic::open(&server);
        let patient = clinic.new_patient("Sam");
        let path = format!("/v1/staff/patients/{patient}/calendar-feed");
        for url in [
            "file:///etc/passwd",
            "ftp://example.com/a.ics",
            "gopher://x",
            "https://user:pw@example.com/a.ics",
            &format!("https://example.com/{}.ics", "a".repeat(2000)),
            "webcal://calendar.example:65000*/a.ics",
            "https://calendar.example:70000/a.ics",
        ] {
            let answer = clinic.staff("PUT", &path, Some(&json!({"url": url})));
            assert_error(&answer, 400, "invalid_request", "url");
        }
    });
}

#[test]
fn a_redirect_to_a_private_address_is_refused_before_connecting() {
    let feed = serve(|_| Answer {
        status: "302 Found",
        headers: vec![("Location".into(), "http://10.20.30.40/internal.ics".into())],
        body: String::new(),
    });
    let error = feeds::fetch(&feed.url, None, None, &test_policy()).unwrap_err();
    assert!(error.0.contains("10.20.30.40"), "{error:?}");
    let error = feeds::fetch(
        "http://192.168.1.5/cal.ics",
        None,
        None,
        &FetchPolicy::default(),
    )
    .unwrap_err();
    assert!(error.0.contains("loopback or private"), "{error:?}");
}

#[test]
fn size_and_time_are_bounded() {
    let big = serve(|_| Answer {
        status: "200 OK",
        headers: Vec::new(),
        body: "X".repeat(200 * 1024),
    });
    let error = feeds::fetch(&big.url, None, None, &test_policy()).unwrap_err();
    assert!(error.0.contains("larger than"), "{error:?}");
    // A server that accepts and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/slow.ics", silent.local_addr().unwrap());
    let policy = FetchPolicy {
        timeout: Duration::from_secs(1),
        ..test_policy()
    };
    let error = feeds::fetch(&url, None, None, &policy).unwrap_err();
    assert_eq!(
        error,
        FeedError("the feed did not answer within 1 s".into())
    );
    drop(silent);
}

#[test]
fn addresses_are_classified() {
    for public in ["93.184.216.34", "2606:4700::1111"] {
        assert!(feeds::is_public(public.parse().unwrap()), "{public}");
    }
    for private in [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.0.1",
        "169.254.1.1",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fc00::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ] {
        assert!(!feeds::is_public(private.parse().unwrap()), "{private}");
    }
}
