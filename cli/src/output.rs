//! Printing results: one JSON document per command with `--json`, readable
//! text otherwise. Errors use the same two forms on stderr.

use crate::context::CliError;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::io::Write;

pub fn print<T: Serialize>(json: bool, value: &T, text: impl FnOnce() -> String) {
    let out = if json {
        match serde_json::to_string_pretty(value) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("steady: cannot encode output: {e}");
                return;
            }
        }
    } else {
        text()
    };
    // The command already happened; a reader that went away (`steady … |
    // head`) is not an error worth a panic.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{out}");
}

pub fn error(json: bool, error: &CliError) {
    if json {
        // Core errors are classified by the core (ErrorKind), as for the FFI.
        let (kind, field) = match error {
            CliError::Core(e) => (e.kind().as_str(), e.field().map(str::to_string)),
            CliError::Usage(_) => ("usage", None),
            CliError::Io(_) => ("io", None),
        };
        let doc = serde_json::json!({
            "error": { "kind": kind, "field": field, "reason": error.to_string() }
        });
        eprintln!("{doc}");
    } else {
        eprintln!("steady: {error}");
    }
}

/// An instant as RFC 3339 in the given zone (with its offset).
pub fn local_rfc3339(ms: i64, zone: &str) -> String {
    let utc = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    match zone.parse::<Tz>() {
        Ok(tz) => utc
            .with_timezone(&tz)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        Err(_) => utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

pub fn utc_rfc3339(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
