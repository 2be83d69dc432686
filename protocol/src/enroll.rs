//! Enrollment: a phone redeems the one-time code the clinic gave the patient
//! and receives the device credentials it signs every later request with.

use serde::{Deserialize, Serialize};

/// `POST /v1/enroll` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The code as printed for the patient (case and dashes are ignored).
    pub code: String,
    /// A label staff see in the device list (e.g. "Pixel 8").
    #[serde(default)]
    pub device_name: Option<String>,
}

/// `POST /v1/enroll` answer (201).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub device_id: String,
    /// Secret bearer token: `Authorization: Bearer <device_token>`. The server
    /// keeps only its hash; it cannot be shown again.
    pub device_token: String,
    /// The clinic's name, the default recipient of a consent.
    pub clinic_name: String,
    pub protocol_version: u32,
}
