//! Clinic sync, sans-IO: the core builds every HTTP request and reads every
//! response; the shell's [`Transport`] only moves bytes. One [`Steady::sync`]
//! pushes the consented outbox in order (push.rs), then pulls clinic-authored
//! changes page by page (pull.rs). Every step commits locally before the next
//! request, so a failure at any point loses nothing and a retry repeats
//! nothing (the server recognises sequence numbers it has already seen).

pub(crate) mod clinic_schedule;
mod disclosures;
pub(crate) mod enrollment;
mod http;
mod pull;
mod push;
mod resume;
mod session;
#[cfg(test)]
mod tests;

pub use disclosures::DisclosureRecord;
pub use enrollment::{EnrollmentInfo, PendingEnrollment};
pub use http::{HttpHeader, HttpRequest, HttpResponse, Transport, TransportError};
pub use pull::ClinicRecord;
pub use push::SyncRejection;
pub(crate) use resume::note_restore;
pub use session::SyncRun;

use serde::Serialize;

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncReport {
    /// Mutations the clinic stored now.
    pub applied: u32,
    /// Mutations the clinic already had (an earlier answer was lost).
    pub duplicates: u32,
    /// Mutations refused for good, with the clinic's reasons.
    pub rejected: Vec<SyncRejection>,
    /// Saved records kept on the phone because their category is not consented.
    pub held: u32,
    /// Clinic-authored changes applied on the phone.
    pub clinic_changes: u32,
}
