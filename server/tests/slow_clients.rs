//! Stalled and slow clients (issue 17, point 1): real half-sent requests on
//! loopback. Each is answered (`408`, or `503` past the per-address limit)
//! and closed, and normal requests are served meanwhile. Every wait here has
//! a generous deadline; nothing asserts how fast the server is.

mod common;

use common::*;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use steady_clinic::app::AppState;
use steady_clinic::background::BackgroundServer;
use steady_clinic::clock::ManualClock;
use steady_clinic::net::ServerOptions;
use steady_clinic::store::Db;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Upper bound on any wait in these tests (a loaded build machine).
const DEADLINE: Duration = Duration::from_secs(90);

struct Running {
    base: String,
    addr: SocketAddr,
    _server: BackgroundServer,
}

fn start(storage: &Storage, options: ServerOptions) -> Running {
    let db = Db::open(&storage.backend).expect("open database");
    let state = AppState {
        db,
        clock: Arc::new(ManualClock::at(T0)),
    };
    let server = BackgroundServer::start_with("127.0.0.1:0", state, options).expect("start");
    let addr = server.base.trim_start_matches("http://").parse().unwrap();
    Running {
        base: server.base.clone(),
        addr,
        _server: server,
    }
}

/// A connection from another loopback address (127.0.0.2), so the test's
/// normal client (127.0.0.1) is a different client to the server.
async fn stranger(addr: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
    socket.connect(addr).await.unwrap()
}

/// Reads until the server closes; returns what it said.
async fn answer(mut stream: TcpStream) -> String {
    let mut seen = Vec::new();
    let _ = tokio::time::timeout(DEADLINE, stream.read_to_end(&mut seen)).await;
    String::from_utf8_lossy(&seen).into_owned()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Opens `count` connections from the stranger's address, each sending
/// `start` and then nothing more.
fn stall(
    rt: &tokio::runtime::Runtime,
    addr: SocketAddr,
    count: usize,
    start: &[u8],
) -> Vec<TcpStream> {
    rt.block_on(async {
        let mut all = Vec::new();
        for _ in 0..count {
            let mut stream = stranger(addr).await;
            stream.write_all(start).await.unwrap();
            all.push(stream);
        }
        all
    })
}

/// What the server said on each connection before closing it.
fn answers(rt: &tokio::runtime::Runtime, streams: Vec<TcpStream>) -> Vec<String> {
    rt.block_on(async {
        let tasks: Vec<_> = streams
            .into_iter()
            .map(|s| tokio::spawn(answer(s)))
            .collect();
        let mut out = Vec::new();
        for task in tasks {
            out.push(task.await.unwrap());
        }
        out
    })
}

fn normal_request_succeeds(base: &str) {
    let (status, body) = Client::new(base).call("GET", "/openapi.json", None, None);
    assert_eq!(status, 200, "{body}");
}

#[test]
fn half_sent_requests_are_answered_and_dropped_while_others_are_served() {
    let storage = storages().remove(0);
    let running = start(
        &storage,
        ServerOptions {
            header_timeout: Duration::from_secs(3),
            max_connections_per_address: 20,
            ..ServerOptions::default()
        },
    );
    let rt = runtime();
    let stalled = stall(
        &rt,
        running.addr,
        120,
        b"POST /v1/enroll HTTP/1.1\r\nHost: clinic\r\nContent-Type: app",
    );
    // Served while 120 half-sent requests are open.
    normal_request_succeeds(&running.base);
    let answers = answers(&rt, stalled);
    let timed_out = answers
        .iter()
        .filter(|a| a.starts_with("HTTP/1.1 408"))
        .count();
    let busy = answers
        .iter()
        .filter(|a| a.starts_with("HTTP/1.1 503"))
        .count();
    assert_eq!(timed_out + busy, 120, "every stalled client got an answer");
    assert!(timed_out >= 20, "{timed_out}");
    assert!(answers.iter().all(|a| a.contains("\"error\"")));
    normal_request_succeeds(&running.base);
}

#[test]
fn a_body_that_never_finishes_gets_408() {
    let storage = storages().remove(0);
    let running = start(
        &storage,
        ServerOptions {
            body_timeout: Duration::from_secs(2),
            ..ServerOptions::default()
        },
    );
    let rt = runtime();
    let said = rt.block_on(async {
        let mut stream = stranger(running.addr).await;
        stream
            .write_all(
                b"POST /v1/enroll HTTP/1.1\r\nHost: clinic\r\nContent-Type: application/json\r\n\
                  Content-Length: 100\r\n\r\n{\"code\":",
            )
            .await
            .unwrap();
        answer(stream).await
    });
    assert!(said.starts_with("HTTP/1.1 408"), "{said}");
    assert!(said.contains("body: not received within 2 s"), "{said}");
}

#[test]
fn past_the_connection_limit_new_clients_wait_instead_of_failing() {
    let storage = storages().remove(0);
    let running = start(
        &storage,
        ServerOptions {
            header_timeout: Duration::from_secs(2),
            max_connections: 8,
            ..ServerOptions::default()
        },
    );
    let rt = runtime();
    let stalled = stall(&rt, running.addr, 8, b"GET /openapi.json HTTP/1.1\r\n");
    // Every slot is held: this request waits in the listen queue until the
    // stalled ones time out, then is served.
    normal_request_succeeds(&running.base);
    let answers = answers(&rt, stalled);
    assert!(
        answers.iter().all(|a| a.starts_with("HTTP/1.1 408")),
        "{answers:?}"
    );
}

#[test]
fn an_idle_kept_alive_connection_is_closed_without_an_answer() {
    let storage = storages().remove(0);
    let running = start(
        &storage,
        ServerOptions {
            header_timeout: Duration::from_secs(2),
            ..ServerOptions::default()
        },
    );
    let rt = runtime();
    let said = rt.block_on(async {
        let mut stream = stranger(running.addr).await;
        stream
            .write_all(b"GET /openapi.json HTTP/1.1\r\nHost: clinic\r\n\r\n")
            .await
            .unwrap();
        answer(stream).await
    });
    // One answer for the one request, then the idle connection closed.
    assert!(
        said.starts_with("HTTP/1.1 200"),
        "{}",
        &said[..said.len().min(200)]
    );
    assert_eq!(said.matches("HTTP/1.1 ").count(), 1);
}
