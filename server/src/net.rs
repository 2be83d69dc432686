//! Connections: how the server accepts, times and limits them, so that slow
//! or stalled clients cannot hold it (issue 17, point 1). See docs/security.md
//! for why each limit sits where it does.
//!
//! - A client has `header_timeout` to send a request's headers, counted from
//!   the moment the server waits for them: this is also the idle timeout of a
//!   kept-alive connection. A client that started a request and stalls gets
//!   `408` with Steady's JSON error, then the connection closes.
//! - The body must arrive within `body_timeout` (read by
//!   [`crate::extract::JsonBody`]), else `408`.
//! - A response the client does not read for `write_timeout` drops the
//!   connection.
//! - At most `max_connections` are served at once; past that the server stops
//!   accepting (back-pressure: new clients wait in the kernel's queue), and
//!   one address may hold at most `max_connections_per_address` (a trusted
//!   proxy is exempt); the connection over that limit gets `503` and closes.

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request};
use axum::Router;
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::sync::Semaphore;

/// How the server treats connections. `Default` is what `serve` uses.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// To send a request's headers, and the idle time allowed between
    /// requests on a kept-alive connection.
    pub header_timeout: Duration,
    /// To send a request's whole body.
    pub body_timeout: Duration,
    /// To take a response the server is writing.
    pub write_timeout: Duration,
    pub max_connections: usize,
    pub max_connections_per_address: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the real client.
    pub trusted_proxies: Vec<IpAddr>,
    /// Serve HTTPS with this certificate (see [`crate::tls`]).
    pub tls: Option<Arc<crate::tls::TlsConfig>>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            header_timeout: Duration::from_secs(15),
            body_timeout: Duration::from_secs(60),
            write_timeout: Duration::from_secs(30),
            max_connections: 512,
            max_connections_per_address: 64,
            trusted_proxies: Vec::new(),
            tls: None,
        }
    }
}

/// The address of the client a request came from: the peer, or — when the
/// peer is a trusted proxy — the last address in `X-Forwarded-For` that is
/// not itself a trusted proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> ClientAddr {
        if !trusted.contains(&peer) {
            return ClientAddr(peer);
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|part| part.trim().parse().ok())
            .collect();
        let client = forwarded
            .into_iter()
            .rev()
            .find(|ip| !trusted.contains(ip))
            .unwrap_or(peer);
        ClientAddr(client)
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(crate::error::ApiError::internal)?;
        let trusted = parts
            .extensions
            .get::<Arc<ServerOptions>>()
            .map(|o| o.trusted_proxies.clone())
            .unwrap_or_default();
        Ok(ClientAddr::resolve(peer, &parts.headers, &trusted))
    }
}

/// The options of the connection a request arrived on (defaults when the
/// router is driven without [`serve`], as in unit tests).
pub fn options_of<B>(request: &Request<B>) -> Arc<ServerOptions> {
    request
        .extensions()
        .get::<Arc<ServerOptions>>()
        .cloned()
        .unwrap_or_default()
}

/// Open connections per client address.
#[derive(Default)]
struct PerAddress(Mutex<HashMap<IpAddr, usize>>);

impl PerAddress {
    fn enter(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<AddressSlot> {
        let mut open = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let count = open.entry(ip).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(AddressSlot {
            table: self.clone(),
            ip,
        })
    }
}

struct AddressSlot {
    table: Arc<PerAddress>,
    ip: IpAddr,
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self.table.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// A complete answer written straight to a connection hyper is not serving
/// (refused before, or given up after).
fn canned(status: &str, code: &str, reason: &str) -> Vec<u8> {
    let body = serde_json::json!({"error": {"code": code, "reason": reason}}).to_string();
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\nconnection: close\r\n\
         retry-after: 5\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn busy() -> Vec<u8> {
    canned(
        "503 Service Unavailable",
        "rate_limited",
        "too many open connections from this address; try again shortly",
    )
}

fn too_slow() -> Vec<u8> {
    canned(
        "408 Request Timeout",
        "invalid_request",
        "headers: not received in time; the connection is closed",
    )
}

/// Serves `router` on `listener` until the process ends.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    options: ServerOptions,
) -> io::Result<()> {
    let options = Arc::new(options);
    let slots = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let per_address = Arc::new(PerAddress::default());
    loop {
        // Back-pressure: no free slot, no accept; clients wait in the backlog.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return Ok(());
        };
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(_) => {
                // Out of descriptors or a connection reset before accept:
                // wait a moment instead of spinning.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let options = options.clone();
        let router = router.clone();
        let per_address = per_address.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let exempt = options.trusted_proxies.contains(&peer.ip());
            let address_slot = if exempt {
                None
            } else {
                match per_address.enter(peer.ip(), options.max_connections_per_address) {
                    Some(slot) => Some(slot),
                    None => {
                        let mut stream = stream;
                        let _ = tokio::time::timeout(options.write_timeout, async {
                            stream.write_all(&busy()).await?;
                            stream.shutdown().await
                        })
                        .await;
                        return;
                    }
                }
            };
            let _address_slot = address_slot;
            match options.tls.clone() {
                Some(tls) => {
                    let Ok(Ok(stream)) =
                        tokio::time::timeout(options.header_timeout, tls.acceptor.accept(stream))
                            .await
                    else {
                        return;
                    };
                    connection(stream, peer, router, options).await;
                }
                None => connection(stream, peer, router, options).await,
            }
        });
    }
}

async fn connection<IO>(
    mut stream: IO,
    peer: SocketAddr,
    router: Router,
    options: Arc<ServerOptions>,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send,
{
    let mut guarded = Guarded::new(&mut stream, options.write_timeout);
    let service_options = options.clone();
    let hsts = options.tls.is_some();
    let service = hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        request.extensions_mut().insert(service_options.clone());
        let mut router = router.clone();
        async move {
            let mut response =
                tower_service::Service::call(&mut router, request.map(axum::body::Body::new))
                    .await?;
            if hsts {
                response.headers_mut().insert(
                    axum::http::header::STRICT_TRANSPORT_SECURITY,
                    axum::http::HeaderValue::from_static("max-age=31536000"),
                );
            }
            Ok::<_, std::convert::Infallible>(response)
        }
    });
    let result = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(options.header_timeout)
        .serve_connection(hyper_util::rt::TokioIo::new(&mut guarded), service)
        .await;
    let started_request = guarded.partial;
    if let Err(error) = result {
        if error.is_timeout() && started_request {
            let _ = tokio::time::timeout(options.write_timeout, async {
                stream.write_all(&too_slow()).await?;
                stream.shutdown().await
            })
            .await;
        }
    }
}

/// A connection's byte stream that knows whether a request has begun and
/// gives up on a client that stops taking a response.
struct Guarded<'a, IO> {
    inner: &'a mut IO,
    /// Bytes of a request arrived since the last response was written.
    partial: bool,
    write_timeout: Duration,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<'a, IO> Guarded<'a, IO> {
    fn new(inner: &'a mut IO, write_timeout: Duration) -> Self {
        Guarded {
            inner,
            partial: false,
            write_timeout,
            stalled: None,
        }
    }

    /// `Pending` from the socket: arm (or check) the stall timer.
    fn stall(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let timeout = self.write_timeout;
        let sleep = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading the response",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Guarded<'_, IO> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut *self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.partial = true;
        }
        result
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Guarded<'_, IO> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut *self.inner).poll_write(cx, data) {
            Poll::Pending => self.stall(cx),
            done => {
                self.stalled = None;
                self.partial = false;
                done
            }
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut *self.inner).poll_flush(cx) {
            Poll::Pending => self.stall(cx).map(|r| r.map(|_| ())),
            done => {
                self.stalled = None;
                done
            }
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        // Not trusted: the header is whatever the client wrote.
        assert_eq!(ClientAddr::resolve(proxy, &headers, &[]).0, proxy);
        // Trusted: the last hop before the proxy is the client.
        let client = ClientAddr::resolve(proxy, &headers, &[proxy]).0;
        assert_eq!(client, "198.51.100.7".parse::<IpAddr>().unwrap());
        // A chain of trusted proxies is skipped.
        let inner: IpAddr = "198.51.100.7".parse().unwrap();
        let client = ClientAddr::resolve(proxy, &headers, &[proxy, inner]).0;
        assert_eq!(client, "203.0.113.9".parse::<IpAddr>().unwrap());
        // No header from a trusted proxy: the proxy itself.
        assert_eq!(
            ClientAddr::resolve(proxy, &HeaderMap::new(), &[proxy]).0,
            proxy
        );
    }

    #[test]
    fn canned_answers_have_the_length_they_announce() {
        for answer in [busy(), too_slow()] {
            let text = String::from_utf8(answer).unwrap();
            let (head, body) = text.split_once("\r\n\r\n").unwrap();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(body.len(), length, "{head}");
            let json: serde_json::Value = serde_json::from_str(body.trim_end()).unwrap();
            assert!(json["error"]["reason"].is_string());
        }
    }
}
