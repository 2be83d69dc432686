//! Shared input checks. Each returns [`Error::Invalid`] naming the field, so a
//! shell can point at the exact input that was wrong.

use crate::{Error, Result};
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Longest free-text note Steady stores, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

pub fn time_zone(field: &str, name: &str) -> Result<Tz> {
    name.parse::<Tz>()
        .map_err(|_| Error::invalid(field, format!("unknown IANA time zone {name:?}")))
}

pub fn instant_ms(field: &str, ms: i64) -> Result<DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .ok_or_else(|| Error::invalid(field, "not a representable instant"))
}

pub fn note(field: &str, text: Option<String>) -> Result<Option<String>> {
    let Some(text) = text else { return Ok(None) };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let chars = trimmed.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(Error::invalid(
            field,
            format!("{chars} characters; at most {MAX_NOTE_CHARS} allowed"),
        ));
    }
    Ok(Some(trimmed.to_string()))
}

pub fn range_0_to(field: &str, value: u8, max: u8) -> Result<u8> {
    if value > max {
        return Err(Error::invalid(field, format!("{value} is above {max}")));
    }
    Ok(value)
}
