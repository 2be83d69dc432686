//! When a patient-recorded event happened: an instant that may be back-dated
//! but not set in the future, and the IANA zone it happened in (the phone's
//! zone unless the patient says otherwise).

use crate::zone::Tz;
use crate::{validate, Error, Result};
use chrono::{DateTime, Utc};

/// Events may be recorded a little ahead of the phone's clock (clock drift
/// between devices), never further.
pub(crate) const FUTURE_TOLERANCE_MS: i64 = 5 * 60 * 1000;

/// The instant an event happened: `ms` when given (checked), otherwise now.
pub(crate) fn occurred_at(field: &str, ms: Option<i64>, now: DateTime<Utc>) -> Result<i64> {
    let Some(ms) = ms else {
        return Ok(now.timestamp_millis());
    };
    validate::instant_ms(field, ms)?;
    if ms > now.timestamp_millis() + FUTURE_TOLERANCE_MS {
        return Err(Error::invalid(field, "is in the future"));
    }
    Ok(ms)
}

/// The zone an event happened in: `name` when given (checked), otherwise the
/// phone's zone.
pub(crate) fn zone(field: &str, name: Option<String>, phone: Tz) -> Result<String> {
    match name {
        Some(name) => Ok(validate::time_zone(field, &name)?.name().to_string()),
        None => Ok(phone.name().to_string()),
    }
}
