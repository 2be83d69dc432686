//! A clinic questionnaire definition (FHIR Questionnaire subset) as it
//! arrives in a pull: loaded or refused with a typed error, never a panic.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = common::phone().load_questionnaire(&text);
});
