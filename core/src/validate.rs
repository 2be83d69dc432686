//! Shared input checks. Each returns [`Error::Invalid`] naming the field, so a
//! shell can point at the exact input that was wrong.

use crate::zone::Tz;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// Longest free-text note Steady stores, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// The earliest calendar date Steady accepts from a person (a sobriety date,
/// a program start, a `since`): far enough back for any recovery history,
/// near enough that date arithmetic on it never leaves chrono's range.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

/// A `YYYY-MM-DD` date from a person, on or after [`EARLIEST_DATE`].
pub fn date(field: &str, text: &str) -> Result<NaiveDate> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, "expected a date YYYY-MM-DD"))?;
    if date < EARLIEST_DATE {
        return Err(Error::invalid(field, format!("is before {EARLIEST_DATE}")));
    }
    Ok(date)
}

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
