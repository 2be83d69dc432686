//! The Steady side of the calendar corpus test (scripts/test-calendar-corpus.sh):
//! imports each calendar into a fresh encrypted database through
//! `Steady::import_calendar`, then lists every occurrence in a window through
//! `Steady::occurrences_between` — the same path a phone takes — and prints
//! one JSON line per file: the import report and the occurrences by UID.
//!
//!     cargo run -p steady-core --example calendar_corpus -- FROM TO FILE...
//!
//! FROM and TO are `YYYY-MM-DD` (UTC midnight; TO excluded).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use steady_core::{FixedClock, Steady, KEY_LEN};

fn day(text: &str) -> DateTime<Utc> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("dates are YYYY-MM-DD");
    date.and_hms_opt(0, 0, 0).expect("midnight").and_utc()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [from, to, files @ ..] = args.as_slice() else {
        eprintln!("usage: calendar_corpus FROM TO FILE...");
        std::process::exit(2);
    };
    let (from, to) = (day(from), day(to));
    let dir = tempfile::tempdir().expect("temporary directory");
    let key = vec![7u8; KEY_LEN];
    for (index, file) in files.iter().enumerate() {
        let bytes = std::fs::read(file).expect("corpus file");
        let text = String::from_utf8_lossy(&bytes);
        let clock = Arc::new(FixedClock::new(from, "UTC"));
        let path = dir.path().join(format!("{index}.db"));
        let steady = Steady::open(&path, &key, clock).expect("database");
        let line = match steady.import_calendar(&text) {
            Err(error) => json!({"file": file, "error": error.to_string()}),
            Ok(summary) => {
                let uids: HashMap<String, Option<String>> = steady
                    .session_series()
                    .expect("series")
                    .into_iter()
                    .map(|s| (s.id, s.uid))
                    .collect();
                let mut occurrences = Vec::new();
                let mut start = from;
                while start < to {
                    let end = (start + Duration::days(365)).min(to);
                    for o in steady.occurrences_between(start, end).expect("occurrences") {
                        occurrences.push(json!({
                            "uid": uids.get(&o.series_id).cloned().flatten(),
                            "start_ms": o.start_ms,
                            "end_ms": o.end_ms,
                            "cancelled": o.status == steady_core::OccurrenceStatus::Cancelled,
                        }));
                    }
                    start = end;
                }
                json!({
                    "file": file,
                    "error": null,
                    "skipped": summary.skipped,
                    "occurrences": occurrences,
                })
            }
        };
        drop(steady);
        let _ = std::fs::remove_file(&path);
        println!("{line}");
    }
}
