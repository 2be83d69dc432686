//! Per-day craving tallies, stored (`craving_day`, migration 0012; hours and
//! lists in binary since 0014) so the full report reads one row per local day
//! instead of every craving of years (docs/adr/0070-craving-days.md).
//!
//! Exactness comes from having one computation: a day's tally is always
//! [`tally_days`] over that day's cravings, whether the day is recomputed
//! after a write or a test computes a whole history from scratch. Triggers on
//! `craving` note every instant and zone a craving had or has
//! (`craving_day_stale`), whatever wrote it; [`settle`] recomputes those days
//! before every write commits and at open, so a committed database never
//! holds a stale day.

use super::days::{local_date, stored_date, stored_zone};
use super::facts::{CopingTally, CravingFact, DayTally};
use super::rows::{craving_rows, day_start_ms, ZONE_SLACK_MS};
use crate::{Error, Result};
use chrono::{Duration, NaiveDate, Timelike};
use rusqlite::{params, Connection};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

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
            *named(&mut self.triggers, trigger) += 1;
        }
        for strategy in &craving.coping {
            let tally = named(&mut self.coping, strategy);
            tally.tried += 1;
            if let Some(passed) = craving.passed {
                tally.with_outcome += 1;
                tally.passed += u32::from(passed);
            }
        }
    }
}

/// The entry for `name` in a list kept in name order, added when missing.
fn named<'a, T: Default>(list: &'a mut Vec<(Rc<str>, T)>, name: &str) -> &'a mut T {
    let at = match list.binary_search_by(|(n, _)| (**n).cmp(name)) {
        Ok(at) => at,
        Err(at) => {
            list.insert(at, (name.into(), T::default()));
            at
        }
    };
    &mut list[at].1
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
    let mut hours = Vec::with_capacity(24 * 4);
    for count in tally.hours {
        hours.extend(count.to_le_bytes());
    }
    let mut triggers = Vec::new();
    for (name, count) in &tally.triggers {
        put_name(&mut triggers, name)?;
        triggers.extend(count.to_le_bytes());
    }
    let mut coping = Vec::new();
    for (name, t) in &tally.coping {
        put_name(&mut coping, name)?;
        for n in [t.tried, t.with_outcome, t.passed] {
            coping.extend(n.to_le_bytes());
        }
    }
    conn.prepare_cached(
        "INSERT INTO craving_day (local_date, count, intensity_sum, peak, hours, triggers, coping)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        date.to_string(),
        tally.count,
        tally.sum,
        tally.peak,
        hours,
        triggers,
        coping,
    ])?;
    Ok(())
}

/// A name in a stored list: its length in bytes (u32, little-endian), then
/// its UTF-8 bytes.
fn put_name(out: &mut Vec<u8>, name: &str) -> Result<()> {
    let len = u32::try_from(name.len()).map_err(|_| Error::Corrupt("craving day tally".into()))?;
    out.extend(len.to_le_bytes());
    out.extend(name.as_bytes());
    Ok(())
}

/// Reads a stored blob front to back; none when it ends early.
struct Blob<'a>(&'a [u8]);

impl<'a> Blob<'a> {
    fn u32(&mut self) -> Option<u32> {
        let (head, rest) = self.0.split_first_chunk::<4>()?;
        self.0 = rest;
        Some(u32::from_le_bytes(*head))
    }

    /// A name, shared with the same name read before (`names`, in order).
    fn name(&mut self, names: &mut Vec<Rc<str>>) -> Option<Rc<str>> {
        let len = usize::try_from(self.u32()?).ok()?;
        let (bytes, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        // Found by its bytes (strings order by them too); a name is checked
        // to be UTF-8 once, when first read.
        Some(match names.binary_search_by(|n| n.as_bytes().cmp(bytes)) {
            Ok(at) => names[at].clone(),
            Err(at) => {
                names.insert(at, std::str::from_utf8(bytes).ok()?.into());
                names[at].clone()
            }
        })
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One stored day's hours and lists, as [`store`] wrote them.
fn decode(
    hours: &[u8],
    triggers: &[u8],
    coping: &[u8],
    names: &mut Vec<Rc<str>>,
) -> Option<DayTally> {
    let mut tally = DayTally::default();
    let mut blob = Blob(hours);
    for cell in &mut tally.hours {
        *cell = blob.u32()?;
    }
    if !blob.is_empty() {
        return None;
    }
    let mut blob = Blob(triggers);
    while !blob.is_empty() {
        let name = blob.name(names)?;
        tally.triggers.push((name, blob.u32()?));
    }
    let mut blob = Blob(coping);
    while !blob.is_empty() {
        let name = blob.name(names)?;
        let t = CopingTally {
            tried: blob.u32()?,
            with_outcome: blob.u32()?,
            passed: blob.u32()?,
        };
        tally.coping.push((name, t));
    }
    Some(tally)
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
    let mut names = Vec::new();
    // Rows come by date (the key): the map is built from them in one pass.
    let mut days = Vec::new();
    while let Some(r) = rows.next()? {
        let blob = |i| r.get_ref(i)?.as_blob().map_err(rusqlite::Error::from);
        let date = stored_date(r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?)?;
        let mut tally = decode(blob(4)?, blob(5)?, blob(6)?, &mut names)
            .ok_or_else(|| Error::Corrupt("craving day tally".into()))?;
        tally.count = r.get(1)?;
        tally.sum = r.get(2)?;
        tally.peak = r.get(3)?;
        days.push((date, tally));
    }
    Ok(days.into_iter().collect())
}
