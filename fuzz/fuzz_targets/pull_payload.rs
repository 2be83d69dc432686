//! What a clinic server (or anything pretending to be one) answers to a
//! pull: the sync engine applies it or reports a typed error, never panics.
//! The phone is enrolled once; each input is the body of a pull answer.
#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::{Mutex, OnceLock};
use steady_core::{HttpRequest, HttpResponse, Transport, TransportError};

struct Clinic {
    pull_body: Mutex<Vec<u8>>,
}

impl Transport for Clinic {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let body = if request.url.ends_with("/v1/enroll") {
            br#"{"device_id":"device-1","device_token":"dv_token","clinic_name":"Riverside IOP","protocol_version":1}"#.to_vec()
        } else if request.url.ends_with("/v1/sync/push") {
            br#"{"results":[],"last_seq":0}"#.to_vec()
        } else {
            // One page only: the engine would ask again while has_more.
            std::mem::replace(
                &mut *self.pull_body.lock().unwrap(),
                br#"{"changes":[],"next_cursor":0,"has_more":false}"#.to_vec(),
            )
        };
        let status = if request.url.ends_with("/v1/enroll") { 201 } else { 200 };
        Ok(HttpResponse { status, headers: Vec::new(), body })
    }
}

fn enrolled() -> &'static Clinic {
    static CLINIC: OnceLock<Clinic> = OnceLock::new();
    CLINIC.get_or_init(|| {
        let clinic = Clinic { pull_body: Mutex::new(Vec::new()) };
        common::phone()
            .enroll("ABCD-EFGH-JKMN", "http://clinic.test", None, &clinic)
            .expect("enroll");
        clinic
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let clinic = enrolled();
    *clinic.pull_body.lock().unwrap() = data.to_vec();
    let _ = common::phone().sync(clinic);
});
