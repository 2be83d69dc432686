//! Reading record fields leniently (a flag may be stored as 0/1 on the phone
//! and as a boolean in a sync payload) and writing times as the patient lived
//! them: ISO 8601 with the offset of the zone the record was made in.

use crate::zone::Tz;
use chrono::{DateTime, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde_json::Value;

pub fn text<'a>(record: &'a Value, key: &str) -> Option<&'a str> {
    record.get(key)?.as_str().filter(|s| !s.is_empty())
}

pub fn int(record: &Value, key: &str) -> Option<i64> {
    record.get(key)?.as_i64()
}

pub fn flag(record: &Value, key: &str) -> Option<bool> {
    match record.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        _ => None,
    }
}

pub fn list(record: &Value, key: &str) -> Vec<String> {
    record
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| match item {
                    Value::String(s) => Some(s.clone()),
                    Value::Null => None,
                    other => Some(other.to_string()),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The record's zone, UTC when it has none or an unknown one.
pub fn zone(record: &Value) -> Tz {
    text(record, "time_zone")
        .and_then(|name| name.parse().ok())
        .unwrap_or(Tz::UTC)
}

/// An instant (Unix ms) in `zone`, e.g. `2026-03-10T10:00:00-04:00`.
pub fn instant(ms: i64, zone: Tz) -> Option<String> {
    let utc: DateTime<Utc> = DateTime::from_timestamp_millis(ms)?;
    Some(
        utc.with_timezone(&zone)
            .to_rfc3339_opts(SecondsFormat::Secs, false),
    )
}

/// The record's `key` instant in its own zone.
pub fn instant_of(record: &Value, key: &str) -> Option<String> {
    instant(int(record, key)?, zone(record))
}

/// A wall-clock time (`YYYY-MM-DDTHH:MM`) in `zone`, with its offset; the
/// earlier instant when the clock was set back, none in a skipped hour.
pub fn wall_clock(local: &str, zone: Tz) -> Option<String> {
    let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").ok()?;
    let at = zone.from_local_datetime(&naive).earliest()?;
    Some(at.to_rfc3339_opts(SecondsFormat::Secs, false))
}
