//! Transports for the phone under test: [`Wire`] sends over real HTTP;
//! [`Faulty`] wraps it and injects one fault per request from a script, while
//! watching every answer the server really gave (even those the phone never
//! sees), so tests can count how often the server applied each mutation.

use std::collections::{BTreeMap, VecDeque};
use std::net::TcpListener;
use std::sync::Mutex;
use steady_core::{HttpRequest, HttpResponse, Transport, TransportError};
use steady_protocol::{MutationOutcome, PushResponse};

/// Real HTTP: the same transport the `steady` CLI uses.
pub use steady_http::UreqTransport as Wire;

/// The path of an `http://host:port/path` URL, with its leading slash.
fn path_of(url: &str) -> String {
    url.splitn(4, '/')
        .nth(3)
        .map(|p| format!("/{p}"))
        .unwrap_or_default()
}

fn network(reason: String) -> TransportError {
    TransportError::Network { reason }
}

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Delivered normally.
    None,
    /// Never reaches the server.
    LoseRequest,
    /// The server commits; the answer is lost on the way back.
    LoseResponse,
    /// Delivered twice; the phone sees the second answer.
    Duplicate,
    /// Delivered; a copy arrives again after the phone's next request (a
    /// delayed duplicate overtaken by newer traffic).
    ReplayLater,
    /// A proxy answers 503 without forwarding.
    ServerErrorBefore,
    /// Forwarded and committed, but a proxy answers 502.
    ServerErrorAfter,
    /// Sent to a server that never answers: a real timeout.
    Timeout,
}

pub const ALL_FAULTS: [Fault; 8] = [
    Fault::None,
    Fault::LoseRequest,
    Fault::LoseResponse,
    Fault::Duplicate,
    Fault::ReplayLater,
    Fault::ServerErrorBefore,
    Fault::ServerErrorAfter,
    Fault::Timeout,
];

#[derive(Default)]
struct State {
    script: VecDeque<Fault>,
    replay: Option<HttpRequest>,
    /// How many times the server answered `applied` for each push seq.
    applied: BTreeMap<i64, u32>,
    delivered: u32,
}

/// A fault-injecting transport around [`Wire`].
pub struct Faulty {
    state: Mutex<State>,
    black_hole: TcpListener,
}

impl Default for Faulty {
    fn default() -> Self {
        Faulty::new()
    }
}

impl Faulty {
    pub fn new() -> Faulty {
        Faulty {
            state: Mutex::new(State::default()),
            // Accepts connections (the kernel backlog) and never answers.
            black_hole: TcpListener::bind("127.0.0.1:0").expect("bind black hole"),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Faults for the next requests, in order; then requests go through.
    pub fn script(&self, faults: &[Fault]) {
        self.state().script.extend(faults.iter().copied());
    }

    /// Push seqs the server applied more than once (must stay empty).
    pub fn applied_twice(&self) -> Vec<i64> {
        self.state()
            .applied
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(seq, _)| *seq)
            .collect()
    }

    /// How many push seqs the server applied.
    pub fn applied_count(&self) -> usize {
        self.state().applied.len()
    }

    /// Requests that reached the server.
    pub fn delivered(&self) -> u32 {
        self.state().delivered
    }

    /// Sends for real and notes what the server applied.
    fn deliver(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let response = Wire.send(request.clone())?;
        let mut state = self.state();
        state.delivered += 1;
        if request.url.ends_with(steady_protocol::PATH_PUSH) && response.status == 200 {
            if let Ok(answer) = serde_json::from_slice::<PushResponse>(&response.body) {
                for result in answer.results {
                    if result.outcome == MutationOutcome::Applied {
                        *state.applied.entry(result.seq).or_default() += 1;
                    }
                }
            }
        }
        Ok(response)
    }

    fn timeout(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let addr = self
            .black_hole
            .local_addr()
            .map_err(|e| network(e.to_string()))?;
        let mut stalled = request.clone();
        stalled.url = format!("http://{addr}{}", path_of(&request.url));
        stalled.timeout_ms = 300;
        Wire.send(stalled)
    }
}

fn status(code: u16) -> HttpResponse {
    HttpResponse {
        status: code,
        headers: vec![],
        body: br#"{"error":{"code":"internal","reason":"proxy"}}"#.to_vec(),
    }
}

impl Transport for Faulty {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let (fault, replay) = {
            let mut state = self.state();
            (
                state.script.pop_front().unwrap_or(Fault::None),
                state.replay.take(),
            )
        };
        let answer = match fault {
            Fault::None => self.deliver(&request),
            Fault::LoseRequest => Err(network("request lost".into())),
            Fault::LoseResponse => self.deliver(&request).and_then(|_| {
                Err(TransportError::Timeout {
                    reason: "response lost".into(),
                })
            }),
            Fault::Duplicate => self.deliver(&request).and_then(|_| self.deliver(&request)),
            Fault::ReplayLater => {
                self.state().replay = Some(request.clone());
                self.deliver(&request)
            }
            Fault::ServerErrorBefore => Ok(status(503)),
            Fault::ServerErrorAfter => self.deliver(&request).map(|_| status(502)),
            Fault::Timeout => self.timeout(&request),
        };
        if let Some(old) = replay {
            let _ = self.deliver(&old);
        }
        answer
    }
}

/// Spreads requests over several server instances in turn, whatever base
/// address the phone enrolled with.
pub struct RoundRobin {
    bases: Vec<String>,
    next: Mutex<usize>,
}

impl RoundRobin {
    pub fn new(bases: Vec<String>) -> RoundRobin {
        RoundRobin {
            bases,
            next: Mutex::new(0),
        }
    }
}

impl Transport for RoundRobin {
    fn send(&self, mut request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let base = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            *next += 1;
            self.bases[*next % self.bases.len()].clone()
        };
        request.url = format!("{base}{}", path_of(&request.url));
        Wire.send(request)
    }
}
