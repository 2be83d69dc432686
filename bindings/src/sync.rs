//! Clinic sync and consent through the FFI. The shell implements
//! [`HttpTransport`] over its platform HTTP client (HttpURLConnection on
//! Android, URLSession on iOS) and hands it to `enroll` and `sync`, which
//! block: shells call them off the main thread.

use crate::{Steady, SteadyError};
use std::sync::Arc;
use steady_core::{
    ClinicRecord, Consent, ConsentCategory, ConsentGrant, ConsentStatus, EnrollmentInfo,
    HttpRequest, HttpResponse, SyncReport, TransportError,
};

/// Sends one request exactly as built by the core and returns whatever came
/// back (any status). Fails only when no response arrived: `Timeout` after
/// `request.timeout_ms`, `Network` otherwise.
#[uniffi::export(with_foreign)]
pub trait HttpTransport: Send + Sync {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Adapts the shell's transport to the core's.
struct ForeignTransport(Arc<dyn HttpTransport>);

impl steady_core::Transport for ForeignTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.0.send(request)
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
