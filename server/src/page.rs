//! Paged lists (issue 17, point 6): every list a staff member reads comes a
//! page at a time, ordered by a stable key, with an opaque cursor to the
//! next page — the `next_cursor` field of an object answer, or the
//! `Steady-Next-Cursor` header of an array answer (absent on the last page).

use crate::error::{ApiError, ApiResult};
use axum::http::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Page size when the request names none.
pub const DEFAULT_LIMIT: u32 = 500;
/// Largest page: about a megabyte of records at most.
pub const MAX_LIMIT: u32 = 1000;
/// The header carrying an array answer's next cursor.
pub static NEXT_CURSOR: HeaderName = HeaderName::from_static("steady-next-cursor");

pub fn limit(requested: Option<u32>) -> ApiResult<u32> {
    match requested.unwrap_or(DEFAULT_LIMIT) {
        n @ 1..=MAX_LIMIT => Ok(n),
        _ => Err(ApiError::invalid(
            "limit",
            format!("must be 1 to {MAX_LIMIT}"),
        )),
    }
}

/// A cursor for the key of the last item of a page.
pub fn encode<K: Serialize>(key: &K) -> String {
    serde_json::to_vec(key)
        .unwrap_or_default()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The key in a cursor this server made.
pub fn decode<K: DeserializeOwned>(cursor: &str) -> ApiResult<K> {
    let bad = || ApiError::invalid("after", "is not a cursor from this server");
    if cursor.is_empty() || cursor.len() % 2 != 0 || cursor.len() > 2048 {
        return Err(bad());
    }
    let bytes = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| bad())?;
    serde_json::from_slice(&bytes).map_err(|_| bad())
}

/// Splits one extra fetched row off: `(page, whether more follow)`.
pub fn split<T>(mut rows: Vec<T>, limit: u32) -> (Vec<T>, bool) {
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    (rows, more)
}

/// The `Steady-Next-Cursor` header for an array answer, if more follow.
pub fn header(next: Option<String>) -> Vec<(HeaderName, HeaderValue)> {
    next.and_then(|c| HeaderValue::from_str(&c).ok())
        .map(|v| vec![(NEXT_CURSOR.clone(), v)])
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        let key = (5i64, "craving".to_string(), "r:1".to_string());
        let cursor = encode(&key);
        assert_eq!(decode::<(i64, String, String)>(&cursor).unwrap(), key);
        for bad in ["", "abc", "zz", "7b7d"] {
            assert!(decode::<(i64, String, String)>(bad).is_err(), "{bad}");
        }
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(MAX_LIMIT + 1)).is_err());
        assert_eq!(limit(None).unwrap(), DEFAULT_LIMIT);
    }
}
