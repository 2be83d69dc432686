//! An iCalendar file the patient imports: any bytes give a summary or a
//! typed error, never a panic.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = common::phone().import_calendar(&text);
});
