//! Row readers the progress loaders and the stored craving tallies share:
//! cravings as facts, stored lists and zones, and the instant bounds that
//! cover a range of local dates in any zone.

use super::days::stored_zone;
use super::facts::CravingFact;
use crate::zone::Tz;
use crate::{Error, Result};
use chrono::{NaiveDate, NaiveTime};
use rusqlite::{params, Connection};

/// No zone is more than 14 hours from UTC: instant bounds widened by this
/// never miss an event whose local date is in range.
pub(super) const ZONE_SLACK_HOURS: i64 = 14;
pub(super) const ZONE_SLACK_MS: i64 = ZONE_SLACK_HOURS * 3_600_000;

/// Live cravings that happened in `[from_ms, to_ms)`.
pub(super) fn craving_rows(
    conn: &Connection,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<CravingFact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT occurred_at_ms, time_zone, intensity, triggers, coping_tried, outcome
         FROM craving WHERE deleted_at_ms IS NULL AND occurred_at_ms >= ?1 AND occurred_at_ms < ?2",
    )?;
    let mut rows = stmt.query(params![from_ms, to_ms])?;
    let mut zones = ZoneCache::default();
    let mut facts = Vec::new();
    while let Some(r) = rows.next()? {
        facts.push(CravingFact {
            at_ms: r.get(0)?,
            zone: zones.get(r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?)?,
            intensity: r.get(2)?,
            triggers: json_list(r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?)?,
            coping: json_list(r.get_ref(4)?.as_str().map_err(rusqlite::Error::from)?)?,
            passed: r.get::<_, Option<String>>(5)?.map(|o| o == "passed"),
        });
    }
    Ok(facts)
}

pub(super) fn day_start_ms(date: NaiveDate) -> i64 {
    date.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
}

pub(super) fn json_list(text: &str) -> Result<Vec<String>> {
    // Lists are stored as compact JSON by serde_json. Without a backslash no
    // string in them is escaped, so splitting on `","` is exact and spares
    // the parser for the tens of thousands of lists a long history holds.
    if text == "[]" {
        return Ok(Vec::new());
    }
    if !text.contains('\\') {
        if let Some(inner) = text.strip_prefix("[\"").and_then(|t| t.strip_suffix("\"]")) {
            let items: Vec<&str> = inner.split("\",\"").collect();
            if !items.iter().any(|item| item.contains('"')) {
                return Ok(items.into_iter().map(str::to_string).collect());
            }
        }
    }
    serde_json::from_str(text).map_err(|_| Error::Corrupt("stored list".into()))
}

/// Consecutive cravings almost always share a zone: parse each name once.
#[derive(Default)]
struct ZoneCache {
    last: Option<(String, Tz)>,
}

impl ZoneCache {
    fn get(&mut self, name: &str) -> Result<Tz> {
        match &self.last {
            Some((last, tz)) if last == name => Ok(*tz),
            _ => {
                let tz = stored_zone(name)?;
                self.last = Some((name.to_string(), tz));
                Ok(tz)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::json_list;

    #[test]
    fn stored_lists_read_the_same_with_or_without_the_parser() {
        let cases = [
            "[]",
            "[\"stress\"]",
            "[\"stress\",\"seeing the substance\",\"café\"]",
            "[\"say \\\"no\\\"\",\"a\\\\b\"]",
            "[\"a\", \"b\"]",
            "[ \"a\" ]",
        ];
        for text in cases {
            let parsed: Vec<String> = serde_json::from_str(text).unwrap();
            assert_eq!(json_list(text).unwrap(), parsed, "{text}");
        }
        assert!(json_list("[\"unterminated").is_err());
    }
}
