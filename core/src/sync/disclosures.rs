//! The patient's accounting of disclosures (42 CFR 2.25), read from the
//! clinic: each time the clinic sent the patient's records to an outside
//! recipient — when, to whom (name and address), what, and why.

use super::{enrollment, http};
use crate::{Error, Result, Steady};
use serde::{Deserialize, Serialize};

/// Where the clinic answers with this device's patient's accounting.
pub const PATH_DISCLOSURES: &str = "/v1/disclosures";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DisclosureRecord {
    pub disclosure_id: String,
    pub disclosed_at_ms: i64,
    pub recipient_name: String,
    pub recipient_address: String,
    pub description: String,
    pub purpose: String,
}

#[derive(Deserialize)]
struct Accounting {
    disclosures: Vec<DisclosureRecord>,
}

impl Steady {
    /// The request for the patient's accounting of disclosures; the shell
    /// sends it and hands the answer to [`Steady::read_disclosures`] (sans-IO,
    /// as sync is: docs/adr/0003-sync-steps.md).
    pub fn disclosures_request(&self) -> Result<http::HttpRequest> {
        let enrolled = self.read(enrollment::load)?.ok_or(Error::NotEnrolled)?;
        let mut request = http::post_json(
            &enrolled.server_url,
            PATH_DISCLOSURES,
            Some(&enrolled.device_token),
            &(),
        )?;
        request.method = "GET".to_string();
        request.body.clear();
        request.headers.retain(|h| h.name != "Content-Type");
        Ok(request)
    }

    /// Every disclosure of the patient's records the clinic made, newest
    /// first, from the answer to [`Steady::disclosures_request`].
    pub fn read_disclosures(
        &self,
        answer: std::result::Result<http::HttpResponse, http::TransportError>,
    ) -> Result<Vec<DisclosureRecord>> {
        let accounting: Accounting = http::read_answer(answer)?;
        Ok(accounting.disclosures)
    }

    /// The same over a blocking transport (the CLI): call it off the main
    /// thread.
    pub fn disclosures(&self, transport: &dyn http::Transport) -> Result<Vec<DisclosureRecord>> {
        let request = self.disclosures_request()?;
        self.read_disclosures(transport.send(request))
    }
}
