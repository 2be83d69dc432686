//! Clinic sync and consent through the FFI. The shell implements
//! [`HttpTransport`] over its platform HTTP client (HttpURLConnection on
//! Android, URLSession on iOS) and hands it to `enroll` and `sync`, which
//! block: shells call them off the main thread.

use crate::{Steady, SteadyError};
use std::sync::Arc;
use steady_core::{
    ClinicRecord, Consent, ConsentCategory, ConsentGrant, ConsentStatus, EnrollmentInfo,
    HttpRequest, HttpResponse, OutsideConsent, SyncReport,
};

/// Sends one request exactly as built by the core and returns whatever came
/// back (any status). Fails only when no response arrived: `Timeout` after
/// `request.timeout_ms`, `Network` otherwise.
#[uniffi::export(with_foreign)]
pub trait HttpTransport: Send + Sync {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Why the shell's transport got no response. Declared here rather than in
/// the core because a foreign trait's error must live in the crate that
/// exports the trait (Kotlin bindings cannot lower another crate's error).
#[derive(Debug, Clone, thiserror::Error, uniffi::Error)]
pub enum TransportError {
    /// No answer within the request's `timeout_ms`.
    #[error("timed out: {reason}")]
    Timeout { reason: String },
    /// Could not connect, connection dropped, TLS failure...
    #[error("network failure: {reason}")]
    Network { reason: String },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TransportError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        TransportError::Network { reason: e.reason }
    }
}

/// Adapts the shell's transport to the core's.
pub(crate) struct ForeignTransport(pub(crate) Arc<dyn HttpTransport>);

impl steady_core::Transport for ForeignTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, steady_core::TransportError> {
        self.0.send(request).map_err(|e| match e {
            TransportError::Timeout { reason } => steady_core::TransportError::Timeout { reason },
            TransportError::Network { reason } => steady_core::TransportError::Network { reason },
        })
    }
}

#[uniffi::export]
impl Steady {
    /// Redeems the clinic's enrollment code at `server_url`.
    #[uniffi::method(default(device_name = None))]
    pub fn enroll(
        &self,
        code: String,
        server_url: String,
        transport: Arc<dyn HttpTransport>,
        device_name: Option<String>,
    ) -> Result<EnrollmentInfo, SteadyError> {
        Ok(self.core.enroll(
            &code,
            &server_url,
            device_name,
            &ForeignTransport(transport),
        )?)
    }

    /// The enrollment, or null when not enrolled.
    pub fn enrollment(&self) -> Result<Option<EnrollmentInfo>, SteadyError> {
        Ok(self.core.enrollment()?)
    }

    /// Pushes what the patient consented to share, then pulls clinic changes.
    pub fn sync(&self, transport: Arc<dyn HttpTransport>) -> Result<SyncReport, SteadyError> {
        Ok(self.core.sync(&ForeignTransport(transport))?)
    }

    /// Grants consent for the listed categories.
    pub fn grant_consent(&self, grant: ConsentGrant) -> Result<Vec<Consent>, SteadyError> {
        Ok(self.core.grant_consent(grant)?)
    }

    /// Revokes the listed categories at once.
    pub fn revoke_consent(
        &self,
        categories: Vec<ConsentCategory>,
    ) -> Result<Vec<Consent>, SteadyError> {
        Ok(self.core.revoke_consent(categories)?)
    }

    /// Revokes the listed categories' consents naming the outside `recipient`.
    pub fn revoke_outside_consent(
        &self,
        recipient: String,
        categories: Vec<ConsentCategory>,
    ) -> Result<Vec<Consent>, SteadyError> {
        Ok(self.core.revoke_outside_consent(recipient, categories)?)
    }

    /// Every consent naming an outside recipient, newest first, with its state.
    pub fn outside_consents(&self) -> Result<Vec<OutsideConsent>, SteadyError> {
        Ok(self.core.outside_consents()?)
    }

    /// Every category's consent state.
    pub fn consent_status(&self) -> Result<Vec<ConsentStatus>, SteadyError> {
        Ok(self.core.consent_status()?)
    }

    /// Clinic-authored records (read-only), optionally of one kind.
    #[uniffi::method(default(kind = None))]
    pub fn clinic_records(&self, kind: Option<String>) -> Result<Vec<ClinicRecord>, SteadyError> {
        Ok(self.core.clinic_records(kind)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PhoneClock;

    struct Clock;

    impl PhoneClock for Clock {
        fn now_ms(&self) -> i64 {
            1_798_977_600_000
        }
        fn time_zone(&self) -> String {
            "Europe/London".to_string()
        }
    }

    /// A shell transport that always fails the same way, or answers `status`.
    struct Canned(Result<u16, TransportError>);

    impl HttpTransport for Canned {
        fn send(&self, _request: HttpRequest) -> Result<HttpResponse, TransportError> {
            match &self.0 {
                Ok(status) => Ok(HttpResponse {
                    status: *status,
                    headers: vec![],
                    body: br#"{"error":{"code":"code_used","reason":"code already used"}}"#
                        .to_vec(),
                }),
                Err(e) => Err(e.clone()),
            }
        }
    }

    fn enroll(steady: &Steady, answer: Result<u16, TransportError>) -> SteadyError {
        steady
            .enroll(
                "ABCD-EFGH".into(),
                "http://127.0.0.1:9".into(),
                Arc::new(Canned(answer)),
                None,
            )
            .expect_err("enrollment cannot succeed")
    }

    #[test]
    fn transport_failures_and_refusals_reach_the_shell_as_typed_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.db").to_string_lossy().into_owned();
        let steady = Steady::open(path, vec![1; 32], Arc::new(Clock)).unwrap();
        let timeout = TransportError::Timeout {
            reason: "slow".into(),
        };
        assert!(matches!(
            enroll(&steady, Err(timeout)),
            SteadyError::SyncUnavailable { .. }
        ));
        assert!(matches!(
            enroll(&steady, Ok(410)),
            SteadyError::SyncRefused { status: 410, .. }
        ));
        assert!(matches!(
            steady.sync(Arc::new(Canned(Ok(200)))),
            Err(SteadyError::NotEnrolled)
        ));
    }
}
