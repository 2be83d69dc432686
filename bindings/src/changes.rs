//! Change signals through the FFI: the shell registers a [`ChangeListener`]
//! once and keeps the returned [`ListenerHandle`]; dropping (Kotlin `close()`,
//! Swift `deinit`) or cancelling the handle unregisters it. See
//! docs/adr/0002-change-observer.md.

use crate::Steady;
use std::sync::{Arc, Mutex};
use steady_core::{ChangeObserver, ChangeSet, ObserverToken};

/// Told after every committed write which areas changed and which screens
/// are stale. Called on the thread that wrote, after the commit and with no
/// lock held: post to the UI thread and return. A thrown exception is
/// ignored (the write stands).
#[uniffi::export(with_foreign)]
pub trait ChangeListener: Send + Sync {
    fn on_change(&self, changes: ChangeSet) -> Result<(), ListenerError>;
}

/// Whatever a listener throws; the core ignores it.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ListenerError {
    #[error("listener failed: {reason}")]
    Failed { reason: String },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for ListenerError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        ListenerError::Failed { reason: e.reason }
    }
}

struct ForeignListener(Arc<dyn ChangeListener>);

impl ChangeObserver for ForeignListener {
    fn changed(&self, changes: &ChangeSet) {
        // A listener's failure must not reach the write that triggered it.
        let _ = self.0.on_change(changes.clone());
    }
}

/// Keeps a listener registered while it lives.
#[derive(uniffi::Object)]
pub struct ListenerHandle {
    token: Mutex<Option<ObserverToken>>,
}

#[uniffi::export]
impl ListenerHandle {
    /// Unregisters now (dropping the handle does the same).
    pub fn cancel(&self) {
        let token = self
            .token
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        drop(token);
    }
}

#[uniffi::export]
impl Steady {
    /// Registers `listener` until the handle is dropped or cancelled.
    pub fn observe(&self, listener: Arc<dyn ChangeListener>) -> Arc<ListenerHandle> {
        let token = self.core.observe(Arc::new(ForeignListener(listener)));
        Arc::new(ListenerHandle {
            token: Mutex::new(Some(token)),
        })
    }
}
