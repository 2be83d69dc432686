//! Paged lists (issue 17, point 6): every list a staff member reads comes a
//! page at a time, ordered by a stable key, with a cursor to the next page — the `next_cursor` field of an object answer, or the
//! `Steady-Next-Cursor` header of an array answer (absent on the last page).

use crate::error::{ApiError, ApiResult};
use axum::http::{HeaderName, HeaderValue};

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

/// A cursor `<ms>:<word>:<rest>` as the records and clinic-records lists
/// make them: the instant and the kind or type of the last item, then its id.
pub fn encode(ms: i64, word: &str, id: &str) -> String {
    format!("{ms}:{word}:{id}")
}

/// The parts of a cursor [`encode`] made; `word` must satisfy `word_ok`.
/// Exactly the strings the OpenAPI pattern allows parse.
pub fn decode(cursor: &str, word_ok: impl Fn(&str) -> bool) -> ApiResult<(i64, String, String)> {
    let bad = || ApiError::invalid("after", "is not a cursor from this server");
    let mut parts = cursor.splitn(3, ':');
    let (Some(ms), Some(word), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    if !word_ok(word) || id.is_empty() {
        return Err(bad());
    }
    Ok((instant(ms)?, word.to_string(), id.to_string()))
}

/// The instant part of a cursor: `-?[0-9]{1,18}`.
pub fn instant(ms: &str) -> ApiResult<i64> {
    let digits = ms.strip_prefix('-').unwrap_or(ms);
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::invalid(
            "after",
            "is not a cursor from this server",
        ));
    }
    ms.parse()
        .map_err(|_| ApiError::invalid("after", "is not a cursor from this server"))
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
        let any = |_: &str| true;
        let cursor = encode(-5, "craving", "r:1");
        assert_eq!(
            decode(&cursor, any).unwrap(),
            (-5, "craving".to_string(), "r:1".to_string())
        );
        for bad in [
            "",
            "abc",
            "1:a",
            "1:a:",
            "x:a:b",
            "1234567890123456789:a:b",
            "-:a:b",
        ] {
            assert!(decode(bad, any).is_err(), "{bad}");
        }
        assert!(decode("1:a:b", |w| w == "b").is_err());
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(MAX_LIMIT + 1)).is_err());
        assert_eq!(limit(None).unwrap(), DEFAULT_LIMIT);
    }
}
