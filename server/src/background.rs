//! A server running in the background of the calling process, on its own
//! runtime and a loopback port: what the integration tests, the sync tests
//! and the load benchmark start. It stops when dropped.

use crate::app::{self, AppState};

pub struct BackgroundServer {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    runtime: Option<tokio::runtime::Runtime>,
}

impl BackgroundServer {
    /// Binds `listen` (e.g. `127.0.0.1:0` for any free port) and serves
    /// `state` until dropped.
    pub fn start(listen: &str, state: AppState) -> std::io::Result<BackgroundServer> {
        BackgroundServer::start_with(listen, state, crate::net::ServerOptions::default())
    }

    /// [`BackgroundServer::start`] with chosen connection limits and timeouts.
    pub fn start_with(
        listen: &str,
        state: AppState,
        options: crate::net::ServerOptions,
    ) -> std::io::Result<BackgroundServer> {
        let scheme = if options.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let runtime = tokio::runtime::Runtime::new()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind(listen))?;
        let base = format!("{scheme}://{}", listener.local_addr()?);
        runtime.spawn(async move {
            let _ = app::serve_with(listener, state, options).await;
        });
        Ok(BackgroundServer {
            base,
            runtime: Some(runtime),
        })
    }
}

impl Drop for BackgroundServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
