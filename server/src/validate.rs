//! Input checks shared by the handlers; each error names its field.

use crate::error::{ApiError, ApiResult};

/// Trimmed, non-empty, at most `max` characters, no control characters.
pub fn text(field: &str, value: &str, max: usize) -> ApiResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ApiError::invalid(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(ApiError::invalid(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ApiError::invalid(field, "contains control characters"));
    }
    Ok(value.to_string())
}

pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> ApiResult<Option<String>> {
    value.map(|v| text(field, v, max)).transpose()
}

/// An id the server issued (a UUID).
pub fn server_id(field: &str, value: &str) -> ApiResult<String> {
    uuid::Uuid::parse_str(value)
        .map(|id| id.to_string())
        .map_err(|_| ApiError::invalid(field, "is not a valid id"))
}

/// `YYYY-MM-DD`.
pub fn date(field: &str, value: &str) -> ApiResult<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|_| value.len() == 10)
        .ok_or_else(|| ApiError::invalid(field, "must be a date YYYY-MM-DD"))
}

/// `HH:MM`, 24-hour.
pub fn time_of_day(field: &str, value: &str) -> ApiResult<()> {
    chrono::NaiveTime::parse_from_str(value, "%H:%M")
        .ok()
        .filter(|_| value.len() == 5)
        .map(|_| ())
        .ok_or_else(|| ApiError::invalid(field, "must be a time HH:MM"))
}

/// An IANA zone name.
pub fn time_zone(field: &str, value: &str) -> ApiResult<()> {
    value
        .parse::<steady_core::Tz>()
        .map(|_| ())
        .map_err(|_| ApiError::invalid(field, "is not an IANA time zone"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("name", "  Sam ", 10).unwrap(), "Sam");
        assert!(text("name", "   ", 10)
            .unwrap_err()
            .reason
            .starts_with("name:"));
        assert!(text("name", "abcdefghijk", 10).is_err());
        assert!(text("name", "a\u{7}b", 10).is_err());
    }

    #[test]
    fn dates_times_and_zones_are_strict() {
        assert!(date("d", "2027-01-04").is_ok());
        assert!(date("d", "2027-1-4").is_err());
        assert!(date("d", "2027-02-30").is_err());
        assert!(time_of_day("t", "08:00").is_ok());
        assert!(time_of_day("t", "8:00").is_err());
        assert!(time_of_day("t", "24:00").is_err());
        assert!(time_zone("z", "America/New_York").is_ok());
        assert!(time_zone("z", "Mars/Base").is_err());
    }
}
