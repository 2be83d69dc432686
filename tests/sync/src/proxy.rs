//! An HTTP proxy on loopback between a real `steady` process and the clinic
//! server. It can stall a request before forwarding it, or after the server
//! has answered (the server committed, the phone has no answer yet), so a
//! test can kill the process at exactly those points.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the proxy does with the next requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Pass,
    /// Hold the request; the server never sees it.
    StallBeforeForward,
    /// Forward it, let the server commit, hold the answer.
    StallAfterForward,
}

pub struct Proxy {
    pub url: String,
    mode: Arc<Mutex<Mode>>,
    stalled: Arc<AtomicU32>,
}

impl Proxy {
    pub fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let mode = Arc::new(Mutex::new(Mode::Pass));
        let stalled = Arc::new(AtomicU32::new(0));
        let upstream = upstream.to_string();
        let (m, s) = (mode.clone(), stalled.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (m, s, upstream) = (m.clone(), s.clone(), upstream.clone());
                std::thread::spawn(move || {
                    let _ = handle(stream, &upstream, &m, &s);
                });
            }
        });
        Proxy { url, mode, stalled }
    }

    pub fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap_or_else(|p| p.into_inner()) = mode;
    }

    /// Waits until `count` requests in all have been held; false after
    /// `limit`.
    pub fn wait_for_stalls(&self, count: u32, limit: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if self.stalled.load(Ordering::SeqCst) >= count {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

fn handle(
    stream: TcpStream,
    upstream: &str,
    mode: &Mutex<Mode>,
    stalled: &AtomicU32,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("GET").to_string();
    let path = parts.next().unwrap_or("/").to_string();
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            let (name, value) = (name.trim().to_string(), value.trim().to_string());
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().unwrap_or(0);
            }
            if !name.eq_ignore_ascii_case("host") && !name.eq_ignore_ascii_case("content-length") {
                headers.push((name, value));
            }
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    let current = *mode.lock().unwrap_or_else(|p| p.into_inner());
    if current == Mode::StallBeforeForward {
        stall(stalled);
        return Ok(());
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut builder = ureq::http::Request::builder()
        .method(method.as_str())
        .uri(format!("{upstream}{path}"));
    for (name, value) in &headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let request = builder
        .body(body)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut response = agent
        .run(request)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let status = response.status().as_u16();
    let answer = response
        .body_mut()
        .read_to_vec()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    if current == Mode::StallAfterForward {
        stall(stalled);
        return Ok(());
    }
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        answer.len()
    )?;
    out.write_all(&answer)?;
    out.flush()
}

/// Holds the connection open without answering until the test is done with
/// it (the client is killed meanwhile).
fn stall(stalled: &AtomicU32) {
    stalled.fetch_add(1, Ordering::SeqCst);
    std::thread::sleep(Duration::from_secs(20));
}
