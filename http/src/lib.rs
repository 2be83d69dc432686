//! steady-http: the transport for clinic sync where no phone platform sends
//! requests (the `steady` CLI, demos, tests). A small blocking client (ureq)
//! that sends the core's requests as they are and returns every answer,
//! whatever its status. Built without TLS by default, for a clinic server on
//! loopback or a private network; the `tls` feature adds HTTPS.

use std::time::Duration;
use steady_core::{HttpHeader, HttpRequest, HttpResponse, Transport, TransportError};

/// Largest response body read; protocol v1 answers stay far below it.
const MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

pub struct UreqTransport;

impl Transport for UreqTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_millis(u64::from(request.timeout_ms))))
            .build()
            .into();
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(request.url.as_str());
        for header in &request.headers {
            builder = builder.header(header.name.as_str(), header.value.as_str());
        }
        let built = builder
            .body(request.body)
            .map_err(|e| TransportError::Network {
                reason: format!("cannot build the request: {e}"),
            })?;
        let response = agent.run(built).map_err(failure)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| HttpHeader {
                name: name.as_str().to_string(),
                value: String::from_utf8_lossy(value.as_bytes()).into_owned(),
            })
            .collect();
        let body = response
            .into_body()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .map_err(failure)?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

fn failure(error: ureq::Error) -> TransportError {
    match error {
        ureq::Error::Timeout(which) => TransportError::Timeout {
            reason: which.to_string(),
        },
        other => TransportError::Network {
            reason: other.to_string(),
        },
    }
}
