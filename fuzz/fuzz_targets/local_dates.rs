//! The date, time and local date-time parsers behind the CLI's and the
//! shells' arguments: a value or a typed error, never a panic.
#![no_main]

use steady_core::schedule::local_time::{parse_date, parse_local, parse_time};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = parse_date("date", &text);
    let _ = parse_time("time", &text);
    let _ = parse_local("at", &text);
});
