//! Sync and enrollment as steps, for shells that do their own (async) I/O:
//! the core hands out each request and takes each answer, so no thread is
//! blocked on the network inside the core. See docs/adr/0003-sync-steps.md.
//!
//! ```text
//! val run = steady.startSync()
//! while (true) {
//!     val request = run.nextRequest() ?: break
//!     try { run.receive(http.send(request)) }          // suspend / await
//!     catch (e: IOException) { run.transportFailed(TransportError.Network(...)) }
//! }
//! run.report()
//! ```

use crate::sync::TransportError;
use crate::{Steady, SteadyError};
use std::sync::{Arc, Mutex};
use steady_core::{EnrollmentInfo, HttpRequest, HttpResponse, PendingEnrollment, SyncReport};

fn core_error(e: TransportError) -> steady_core::TransportError {
    match e {
        TransportError::Timeout { reason } => steady_core::TransportError::Timeout { reason },
        TransportError::Network { reason } => steady_core::TransportError::Network { reason },
    }
}

/// One sync under way. Not for concurrent use: one step at a time.
#[derive(uniffi::Object)]
pub struct SyncSession {
    steady: Arc<Steady>,
    /// Taken out while a step runs, so no lock is held while the core writes
    /// and observers are told.
    run: Mutex<Option<steady_core::SyncRun>>,
}

impl SyncSession {
    fn step<T>(
        &self,
        f: impl FnOnce(&mut steady_core::SyncRun, &steady_core::Steady) -> steady_core::Result<T>,
    ) -> Result<T, SteadyError> {
        let taken = self
            .run
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        let Some(mut run) = taken else {
            return Err(SteadyError::InvalidInput {
                field: "sync".into(),
                reason: "another step of this sync is under way".into(),
            });
        };
        let result = f(&mut run, &self.steady.core);
        *self
            .run
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(run);
        Ok(result?)
    }
}

#[uniffi::export]
impl SyncSession {
    /// The next request to send, or null when the sync is complete.
    pub fn next_request(&self) -> Result<Option<HttpRequest>, SteadyError> {
        self.step(|run, core| run.next_request(core))
    }

    /// The response to the last request, whatever its status.
    pub fn receive(&self, response: HttpResponse) -> Result<(), SteadyError> {
        self.step(|run, core| run.receive(core, Ok(response)))
    }

    /// No response came for the last request. Always fails with
    /// `SyncUnavailable` (nothing is lost; sync again later).
    pub fn transport_failed(&self, error: TransportError) -> Result<(), SteadyError> {
        self.step(|run, core| run.receive(core, Err(core_error(error))))
    }

    /// What the sync did so far; final once `next_request` returned null.
    pub fn report(&self) -> Result<SyncReport, SteadyError> {
        self.step(|run, _| Ok(run.report().clone()))
    }
}

/// An enrollment waiting for the clinic's answer.
#[derive(uniffi::Object)]
pub struct EnrollmentSession {
    steady: Arc<Steady>,
    pending: PendingEnrollment,
}

#[uniffi::export]
impl EnrollmentSession {
    /// The request to send (it carries the one-time code).
    pub fn request(&self) -> HttpRequest {
        self.pending.request.clone()
    }

    /// Stores the credentials from the clinic's response.
    pub fn receive(&self, response: HttpResponse) -> Result<EnrollmentInfo, SteadyError> {
        Ok(self
            .steady
            .core
            .finish_enrollment(&self.pending, Ok(response))?)
    }

    /// No response came. Always fails with `SyncUnavailable`.
    pub fn transport_failed(&self, error: TransportError) -> Result<EnrollmentInfo, SteadyError> {
        Ok(self
            .steady
            .core
            .finish_enrollment(&self.pending, Err(core_error(error)))?)
    }
}

#[uniffi::export]
impl Steady {
    /// Starts a sync the shell drives step by step (see [`SyncSession`]).
    pub fn start_sync(self: Arc<Self>) -> Result<Arc<SyncSession>, SteadyError> {
        let run = self.core.start_sync()?;
        Ok(Arc::new(SyncSession {
            steady: self,
            run: Mutex::new(Some(run)),
        }))
    }

    /// Checks the code and address and builds the enrollment request.
    #[uniffi::method(default(device_name = None))]
    pub fn start_enrollment(
        self: Arc<Self>,
        code: String,
        server_url: String,
        device_name: Option<String>,
    ) -> Result<Arc<EnrollmentSession>, SteadyError> {
        let pending = self
            .core
            .enrollment_request(&code, &server_url, device_name)?;
        Ok(Arc::new(EnrollmentSession {
            steady: self,
            pending,
        }))
    }
}
