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
        let runtime = tokio::runtime::Runtime::new()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind(listen))?;
        let base = format!("http://{}", listener.local_addr()?);
        runtime.spawn(async move {
            let _ = app::serve(listener, state).await;
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
