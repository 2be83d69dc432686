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
#[cfg(test)]
mod tests;

pub use disclosures::DisclosureRecord;
pub use enrollment::EnrollmentInfo;
pub use http::{HttpHeader, HttpRequest, HttpResponse, Transport, TransportError};
pub use pull::ClinicRecord;
pub use push::SyncRejection;
pub(crate) use resume::note_restore;

use crate::{Error, Result, Steady};
use serde::Serialize;
use steady_protocol::{PullResponse, PushResponse};

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

impl Steady {
    /// Pushes every consented mutation, then pulls every clinic change. Call
    /// it off the main thread: the transport blocks. On error, whatever was
    /// acknowledged is kept and the rest is sent again next time.
    pub fn sync(&self, transport: &dyn Transport) -> Result<SyncReport> {
        let enrolled = self.read(enrollment::load)?.ok_or(Error::NotEnrolled)?;
        let mut report = SyncReport::default();
        self.resume_after_restore(transport, &enrolled)?;
        self.write(|tx| push::assign(tx, self.now()))?;
        loop {
            let batch = self.read(push::next_batch)?;
            if batch.is_empty() {
                break;
            }
            let sent: Vec<i64> = batch.iter().map(|m| m.seq).collect();
            let answer: PushResponse = http::exchange(transport, push::request(&enrolled, batch)?)?;
            let tally = self.write(|tx| push::apply(tx, &sent, &answer, self.now()))?;
            if tally.applied + tally.duplicates == 0 && tally.rejections.is_empty() {
                return Err(Error::Protocol {
                    detail: "the push answer covers none of the mutations sent".to_string(),
                });
            }
            report.applied += tally.applied;
            report.duplicates += tally.duplicates;
            report.rejected.extend(tally.rejections);
        }
        loop {
            let current = self.read(enrollment::load)?.ok_or(Error::NotEnrolled)?;
            let asked = current.pull_cursor;
            let page: PullResponse = http::exchange(transport, pull::request(&current)?)?;
            report.clinic_changes += self.write(|tx| pull::apply(tx, asked, &page, self.now()))?;
            if !page.has_more {
                break;
            }
            if page.next_cursor <= asked {
                return Err(Error::Protocol {
                    detail: "the pull says more changes wait but its cursor did not move"
                        .to_string(),
                });
            }
        }
        let now = self.now();
        report.held = self.write(|tx| {
            tx.execute(
                "UPDATE sync_enrollment SET last_sync_at_ms = ?1 WHERE id = 1",
                [now.timestamp_millis()],
            )?;
            push::held(tx, now)
        })?;
        Ok(report)
    }
}
