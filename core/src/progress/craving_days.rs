//! Per-day craving tallies, stored (`craving_day`, migration 0011) so the
//! full report reads one row per local day instead of every craving of years
//! (docs/adr/0070-craving-days.md).
//!
//! Exactness comes from having one computation: a day's tally is always
//! [`tally_days`] over that day's cravings, whether the day is recomputed
//! after a write or a test computes a whole history from scratch. Triggers on
//! `craving` note every instant and zone a craving had or has
//! (`craving_day_stale`), whatever wrote it; [`settle`] recomputes those days
//! before every write commits and at open, so a committed database never
//! holds a stale day.

use super::days::{local_date, stored_date, stored_zone};
use super::facts::{CravingFact, DayTally};
use super::rows::{craving_rows, day_start_ms, ZONE_SLACK_MS};
use crate::{Error, Result};
use chrono::{Duration, NaiveDate, Timelike};
use rusqlite::{params, Connection};
use std::collections::{BTreeMap, BTreeSet};

/// Above this many stale days one pass over every craving is cheaper than
/// one range read per day (a migrated or restored history).
const REBUILD_ALL_ABOVE: usize = 64;

impl DayTally {
    fn add(&mut self, craving: &CravingFact) {
        self.count += 1;
        self.sum += u32::from(craving.intensity);
        self.peak = self.peak.max(Some(craving.intensity));
        if let Some(cell) = self.hours.get_mut(craving.local().hour() as usize) {
            *cell += 1;
        }
        for trigger in &craving.triggers {
            *self.triggers.entry(trigger.clone()).or_default() += 1;
        }
        for strategy in &craving.coping {
            let tally = self.coping.entry(strategy.clone()).or_default();
            tally.tried += 1;
            if let Some(passed) = craving.passed {
                tally.with_outcome += 1;
                tally.passed += u32::from(passed);
            }
        }
    }
}

/// Local day → tally, for every day with a craving: the from-scratch
/// computation, and the only one.
pub(crate) fn tally_days(cravings: &[CravingFact]) -> BTreeMap<NaiveDate, DayTally> {
    let mut days: BTreeMap<NaiveDate, DayTally> = BTreeMap::new();
    for craving in cravings {
        days.entry(craving.local().date()).or_default().add(craving);
    }
    days
}

/// Recomputes every day a craving change since the last settle touched, and
/// forgets the changes. Runs inside the writing transaction.
pub(crate) fn settle(conn: &Connection) -> Result<()> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT occurred_at_ms, time_zone FROM craving_day_stale")?;
    let stale = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    if stale.is_empty() {
        return Ok(());
    }
    let mut dates = BTreeSet::new();
    for (at_ms, zone) in &stale {
        dates.insert(local_date(*at_ms, stored_zone(zone)?));
    }
    if dates.len() > REBUILD_ALL_ABOVE {
        conn.execute("DELETE FROM craving_day", [])?;
        let all = craving_rows(conn, i64::MIN, i64::MAX)?;
        for (date, tally) in tally_days(&all) {
            store(conn, date, &tally)?;
        }
    } else {
        for date in dates {
            let from = day_start_ms(date) - ZONE_SLACK_MS;
            let to = day_start_ms(date + Duration::days(1)) + ZONE_SLACK_MS;
            let cravings: Vec<CravingFact> = craving_rows(conn, from, to)?
                .into_iter()
                .filter(|c| c.local().date() == date)
                .collect();
            conn.prepare_cached("DELETE FROM craving_day WHERE local_date = ?1")?
                .execute(params![date.to_string()])?;
            if let Some(tally) = tally_days(&cravings).get(&date) {
                store(conn, date, tally)?;
            }
        }
    }
    conn.prepare_cached("DELETE FROM craving_day_stale")?
        .execute([])?;
    Ok(())
}

/// Whether a craving change is waiting to be settled (a raw write, or a
/// migrated history).
pub(crate) fn unsettled(conn: &Connection) -> Result<bool> {
    Ok(
        conn.query_row("SELECT EXISTS (SELECT 1 FROM craving_day_stale)", [], |r| {
            r.get(0)
        })?,
    )
}

fn store(conn: &Connection, date: NaiveDate, tally: &DayTally) -> Result<()> {
    let json = |value: serde_json::Result<String>| {
        value.map_err(|_| Error::Corrupt("craving day tally".into()))
    };
    conn.prepare_cached(
        "INSERT INTO craving_day (local_date, count, intensity_sum, peak, hours, triggers, coping)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        date.to_string(),
        tally.count,
        tally.sum,
        tally.peak,
        json(serde_json::to_string(&tally.hours))?,
        json(serde_json::to_string(&tally.triggers))?,
        json(serde_json::to_string(&tally.coping))?,
    ])?;
    Ok(())
}

/// The stored tallies of the local dates `[first, last]`.
pub(crate) fn stored(
    conn: &Connection,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<BTreeMap<NaiveDate, DayTally>> {
    let mut stmt = conn.prepare_cached(
        "SELECT local_date, count, intensity_sum, peak, hours, triggers, coping
         FROM craving_day WHERE local_date >= ?1 AND local_date <= ?2",
    )?;
    let mut rows = stmt.query(params![first.to_string(), last.to_string()])?;
    let corrupt = |_| Error::Corrupt("craving day tally".into());
    let mut days = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let text = |i| r.get_ref(i)?.as_str().map_err(rusqlite::Error::from);
        let date = stored_date(text(0)?)?;
        days.insert(
            date,
            DayTally {
                count: r.get(1)?,
                sum: r.get(2)?,
                peak: r.get(3)?,
                hours: serde_json::from_str(text(4)?).map_err(corrupt)?,
                triggers: serde_json::from_str(text(5)?).map_err(corrupt)?,
                coping: serde_json::from_str(text(6)?).map_err(corrupt)?,
            },
        );
    }
    Ok(days)
}
