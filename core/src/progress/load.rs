//! Loading progress facts from storage: lapses, cravings, daily check-ins,
//! session occurrences and doses, reduced to the plain facts the metrics
//! read. Only the columns a metric needs are read, and cravings only as far
//! back as the period (plus the week the first moving average looks at).

use super::craving_days::{self, DayTally};
use super::days::local_date;
use super::facts::{CravingFact, DoseFact, Facts, OccurrenceFact, UseEvent};
use super::settings::{self, CheckedSettings};
use super::Program;
use crate::{validate, Error, Result, Steady};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;

/// No zone is more than 14 hours from UTC: instant bounds widened by this
/// never miss an event whose local date is in range.
const ZONE_SLACK_HOURS: i64 = 14;
pub(super) const ZONE_SLACK_MS: i64 = ZONE_SLACK_HOURS * 3_600_000;

impl Steady {
    /// The phone's local date now.
    pub(crate) fn local_today(&self) -> Result<NaiveDate> {
        Ok(self.now().with_timezone(&self.zone()?).date_naive())
    }

    /// The program facts, with the start date defaulting to the day Steady
    /// was set up (stored at the first open, so it never moves).
    pub(crate) fn program(&self, today: NaiveDate) -> Result<(Program, Vec<UseEvent>)> {
        self.read(|conn| {
            let CheckedSettings {
                program_start,
                weekly_hours,
                prior,
                prior_uses,
            } = settings::check(&settings::load(conn)?, None)?;
            let start = match program_start {
                Some(start) => start,
                None => super::setup::set_up_on(conn)?.unwrap_or(today).min(today),
            };
            let program = Program {
                start,
                weekly_hours,
                substances: tracked_substances(conn)?,
                prior,
            };
            Ok((program, prior_uses))
        })
    }

    /// Every recorded use: lapses, cravings that ended in use, check-ins
    /// answering "used today", and imported prior uses.
    pub(crate) fn uses(&self, prior_uses: Vec<UseEvent>) -> Result<Vec<UseEvent>> {
        self.read(|conn| {
            let mut uses = prior_uses;
            for sql in [
                "SELECT occurred_at_ms, time_zone, substances FROM lapse
                 WHERE deleted_at_ms IS NULL",
                "SELECT occurred_at_ms, time_zone, substances FROM craving
                 WHERE deleted_at_ms IS NULL AND outcome = 'used'",
            ] {
                let mut stmt = conn.prepare_cached(sql)?;
                let rows = stmt.query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })?;
                for row in rows {
                    let (at_ms, zone, substances) = row?;
                    uses.push(UseEvent::at(
                        at_ms,
                        stored_zone(&zone)?,
                        json_list(&substances)?,
                    ));
                }
            }
            // A use with no substance named counts against every tracked one.
            let mut stmt = conn.prepare_cached(
                "SELECT local_date, substances FROM daily_checkin WHERE used_today = 1",
            )?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (date, substances) = row?;
                uses.push(UseEvent {
                    date: stored_date(&date)?,
                    substances: json_list(&substances)?,
                });
            }
            Ok(uses)
        })
    }

    /// Cravings whose local date may be on or after `first`, read row by
    /// row: what the stored per-day tallies are checked against.
    #[cfg(test)]
    pub(crate) fn craving_facts(&self, first: NaiveDate) -> Result<Vec<CravingFact>> {
        let from_ms = day_start_ms(first) - ZONE_SLACK_MS;
        self.read(|conn| craving_rows(conn, from_ms, i64::MAX))
    }

    /// The stored craving tallies of the local dates `[first, last]`.
    pub(crate) fn craving_days(
        &self,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<BTreeMap<NaiveDate, DayTally>> {
        self.read(|conn| craving_days::stored(conn, first, last))
    }

    pub(crate) fn checkin_dates(&self) -> Result<Vec<NaiveDate>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached("SELECT local_date FROM daily_checkin")?;
            let dates = stmt.query_map([], |r| r.get::<_, String>(0))?;
            dates.map(|d| stored_date(&d?)).collect()
        })
    }

    /// Occurrences whose clinic-local date may fall in `[first, last]`.
    pub(crate) fn occurrence_facts(
        &self,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<OccurrenceFact>> {
        let slack = Duration::hours(ZONE_SLACK_HOURS).num_milliseconds();
        let from = instant(day_start_ms(first) - slack);
        let to = instant(day_start_ms(last + Duration::days(1)) + slack);
        // A program lasts years: progress reads its whole span, unlike the
        // bounded ranges the schedule screens ask for.
        let now = self.now();
        self.snapshot(|conn| crate::schedule::store::occurrences_in(conn, from, to, now))?
            .into_iter()
            .map(|o| {
                Ok(OccurrenceFact {
                    start_ms: o.start_ms,
                    zone: stored_zone(&o.time_zone)?,
                    duration_min: o.duration_min,
                    status: o.status,
                })
            })
            .collect()
    }

    /// Doses due on the local dates `[first, last]`.
    pub(crate) fn dose_facts(&self, first: NaiveDate, last: NaiveDate) -> Result<Vec<DoseFact>> {
        let zone = self.zone()?;
        self.snapshot(|conn| crate::schedule::store::doses_with_answers(conn, zone, first, last))?
            .into_iter()
            .map(|dose| {
                Ok(DoseFact {
                    due_date: stored_date(dose.due_local.get(..10).unwrap_or_default())?,
                    medication_id: dose.medication_id,
                    name: dose.name,
                    due_ms: dose.due_ms,
                    answer: dose.confirmation.map(|c| c.status),
                })
            })
            .collect()
    }

    /// All facts for a period starting `first`, as of `today`.
    pub(crate) fn facts(
        &self,
        first: NaiveDate,
        today: NaiveDate,
        prior_uses: Vec<UseEvent>,
    ) -> Result<Facts> {
        let lookback = first.min(today - Duration::days(13)) - Duration::days(6);
        let month = today - Duration::days(29);
        Ok(Facts {
            uses: self.uses(prior_uses)?,
            occurrences: self.occurrence_facts(first, today + Duration::days(6))?,
            doses: self.dose_facts(first.min(month), today)?,
            craving_days: self.craving_days(lookback, today)?,
            checkin_dates: self.checkin_dates()?,
        })
    }
}

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

/// The local date of the earliest craving, lapse or check-in.
pub(super) fn first_record_day(conn: &Connection) -> Result<Option<NaiveDate>> {
    let mut first: Option<NaiveDate> = None;
    for sql in [
        "SELECT occurred_at_ms, time_zone FROM craving WHERE deleted_at_ms IS NULL
         ORDER BY occurred_at_ms LIMIT 1",
        "SELECT occurred_at_ms, time_zone FROM lapse WHERE deleted_at_ms IS NULL
         ORDER BY occurred_at_ms LIMIT 1",
    ] {
        let row: Option<(i64, String)> = conn
            .query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((at_ms, zone)) = row {
            let day = local_date(at_ms, stored_zone(&zone)?);
            first = Some(first.map_or(day, |f| f.min(day)));
        }
    }
    let checkin: Option<String> = conn
        .query_row("SELECT min(local_date) FROM daily_checkin", [], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    if let Some(day) = checkin {
        let day = stored_date(&day)?;
        first = Some(first.map_or(day, |f| f.min(day)));
    }
    Ok(first)
}

fn tracked_substances(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT name FROM tracked_substance ORDER BY position")?;
    let names = stmt.query_map([], |r| r.get(0))?;
    Ok(names.collect::<Result<_, _>>()?)
}

pub(super) fn day_start_ms(date: NaiveDate) -> i64 {
    date.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
}

fn instant(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

pub(super) fn stored_zone(name: &str) -> Result<Tz> {
    validate::time_zone("time_zone", name).map_err(|_| Error::Corrupt("stored time zone".into()))
}

pub(super) fn stored_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| Error::Corrupt("stored date".into()))
}

fn json_list(text: &str) -> Result<Vec<String>> {
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
