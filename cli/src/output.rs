//! Printing results: one JSON document per command with `--json`, readable
//! text otherwise. Errors use the same two forms on stderr.

use crate::context::CliError;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;
use steady_core::Tz;

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

/// The flag a usage error names (`invalid --days: ...` names `days`).
fn usage_field(error: &CliError) -> Option<String> {
    let text = error.to_string();
    let flag = text.strip_prefix("invalid --")?;
    let name: String = flag
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (!name.is_empty()).then_some(name)
}

pub fn error(json: bool, error: &CliError) {
    if json {
        // Core errors are classified by the core (ErrorKind), as for the FFI.
        let (kind, field) = match error {
            CliError::Core(e) => (e.kind().as_str(), e.field().map(str::to_string)),
            CliError::Usage(_) => ("usage", usage_field(error)),
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

/// A command line clap could not parse (a bad number, an unknown flag): with
/// `--json` anywhere before `--`, one JSON error on stderr like every other
/// error; otherwise clap's own text. Exit 1 either way; help and version
/// print as usual and succeed.
pub fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let json = std::env::args_os()
        .skip(1)
        .take_while(|a| a != "--")
        .any(|a| a == "--json");
    if !json {
        let _ = error.print();
        return ExitCode::FAILURE;
    }
    let names_a_flag = matches!(
        error.kind(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation
    );
    let field = match error.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) if names_a_flag => {
            arg.split([' ', '=']).next().map(|name| {
                name.trim_start_matches('-')
                    .trim_matches(['<', '>'])
                    .to_lowercase()
            })
        }
        _ => None,
    };
    let rendered = error.render().to_string();
    let reason = rendered
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_string();
    let doc = serde_json::json!({
        "error": { "kind": "usage", "field": field, "reason": reason }
    });
    eprintln!("{doc}");
    ExitCode::FAILURE
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

/// An instant as a person reads it in `zone`: "2027-03-08 00:00 EST".
pub fn local_readable(ms: i64, zone: &str) -> String {
    let utc = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    match zone.parse::<Tz>() {
        Ok(tz) => utc
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string(),
        Err(_) => utc.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

pub fn utc_rfc3339(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Most days a `--days` look-back may span (a century).
pub const MAX_DAYS_BACK: i64 = 36_500;

/// `[now - days, now + clock drift)` in Unix ms for a `--days N` list; a
/// number out of range is a usage error naming the flag, never a panic.
pub fn days_back(now: DateTime<Utc>, days: i64) -> Result<(i64, i64), CliError> {
    if !(1..=MAX_DAYS_BACK).contains(&days) {
        return Err(CliError::Usage(format!(
            "invalid --days: {days} is outside 1 to {MAX_DAYS_BACK}"
        )));
    }
    let from = TimeDelta::try_days(days).and_then(|back| now.checked_sub_signed(back));
    // Include records logged up to the tolerated clock drift ahead.
    let to = now.checked_add_signed(TimeDelta::minutes(5));
    match (from, to) {
        (Some(from), Some(to)) => Ok((from.timestamp_millis(), to.timestamp_millis())),
        _ => Err(CliError::Usage(format!(
            "invalid --days: {days} days before now is not a representable date"
        ))),
    }
}

/// " (helped 3 times)" after a strategy that helped; nothing when it never
/// did — a count of zero is not worth reading on a bad day.
pub fn helped(count: u32) -> String {
    match count {
        0 => String::new(),
        1 => " (helped once)".to_string(),
        n => format!(" (helped {n} times)"),
    }
}

/// A duration in hours as a person reads it: "50 min", "1 h", "1 h 10 min".
pub fn hours(hours: f64) -> String {
    let minutes = (hours * 60.0).round().max(0.0) as u64;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// "1 week", "3 weeks": a count with its unit, singular when it is one.
pub fn count(n: u32, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_and_counts_read_as_a_person_says_them() {
        let cases = [
            (0.833, "50 min"),
            (1.0, "1 h"),
            (1.1667, "1 h 10 min"),
            (6.833, "6 h 50 min"),
        ];
        for (h, text) in cases {
            assert_eq!(hours(h), text);
        }
        assert_eq!(count(1, "week"), "1 week");
        assert_eq!(count(3, "week"), "3 weeks");
        assert_eq!(helped(0), "");
        assert_eq!(helped(1), " (helped once)");
    }

    #[test]
    fn a_days_look_back_out_of_range_is_a_usage_error() {
        let now = DateTime::<Utc>::MIN_UTC + TimeDelta::days(10);
        assert!(days_back(now, 36_500).is_err());
        assert!(days_back(Utc::now(), 36_500).is_ok());
        assert!(days_back(Utc::now(), i64::MAX).is_err());
    }
}
