//! Lapses: recording use is never punished. A lapse says when, what, how much
//! (free text), what triggered it and what helped afterwards. Lapses are never
//! erased; progress counts sober time around them and keeps earlier sober
//! time. The substances the program tracks live here too, since sober time is
//! counted per tracked substance.

use crate::crisis::{CrisisCard, CrisisReason};
use crate::outbox::{self, Operation};
use crate::overdose::{self, OverdoseGuidance};
use crate::zone::Tz;
use crate::{craving, ids, moment, tags, validate, Error, Result, Steady};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// Record type of lapses in the outbox.
pub const RECORD_TYPE: &str = crate::vocabulary::RecordType::Lapse.as_str();
/// Longest amount text, in characters.
pub const MAX_AMOUNT_CHARS: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewLapse {
    /// When it happened (Unix ms); now when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub occurred_at_ms: Option<i64>,
    /// IANA zone where it happened; the phone's zone when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub time_zone: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub substances: Vec<String>,
    /// How much, in the patient's words ("two beers").
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub amount: Option<String>,
    /// Built-in trigger keys (as for cravings) and own tags.
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub triggers: Vec<String>,
    /// What helped afterwards.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub helped: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub note: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub marked_unsafe: bool,
}

/// A stored lapse; also its sync payload (`note` is the only note field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Lapse {
    pub id: String,
    pub occurred_at_ms: i64,
    pub time_zone: String,
    /// The local day it happened on, YYYY-MM-DD in `time_zone`.
    pub local_date: String,
    pub substances: Vec<String>,
    pub amount: Option<String>,
    pub triggers: Vec<String>,
    pub helped: Option<String>,
    pub note: Option<String>,
    pub marked_unsafe: bool,
    pub flagged_for_clinic: bool,
    pub logged_at_ms: i64,
}

/// A lapse just logged, with the crisis card when marked unsafe and
/// overdose-risk guidance after an opioid, a stimulant, a pill not from a
/// pharmacy, or once naltrexone was stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LapseLogged {
    pub lapse: Lapse,
    pub crisis_card: Option<CrisisCard>,
    pub overdose_guidance: Option<OverdoseGuidance>,
}

impl Steady {
    pub fn log_lapse(&self, input: NewLapse) -> Result<LapseLogged> {
        let now = self.now();
        let occurred_at_ms = moment::occurred_at("occurred_at", input.occurred_at_ms, now)?;
        let time_zone = moment::zone("time_zone", input.time_zone, self.zone()?)?;
        let lapse = Lapse {
            id: ids::new_id(),
            local_date: local_date(occurred_at_ms, &time_zone).to_string(),
            occurred_at_ms,
            time_zone,
            substances: tags::clean("substances", input.substances, &[])?,
            amount: short_text("amount", input.amount)?,
            triggers: tags::clean(
                "triggers",
                input.triggers,
                &craving::TRIGGERS
                    .iter()
                    .map(|(k, _)| *k)
                    .collect::<Vec<_>>(),
            )?,
            helped: validate::note("helped", input.helped)?,
            note: validate::note("note", input.note)?,
            marked_unsafe: input.marked_unsafe,
            flagged_for_clinic: input.marked_unsafe,
            logged_at_ms: now.timestamp_millis(),
        };
        self.write(|tx| {
            tx.execute(
                "INSERT INTO lapse (id, occurred_at_ms, time_zone, substances, amount, triggers,
                    helped, note, marked_unsafe, flagged_for_clinic, logged_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    lapse.id,
                    lapse.occurred_at_ms,
                    lapse.time_zone,
                    tags::to_json(&lapse.substances),
                    lapse.amount,
                    tags::to_json(&lapse.triggers),
                    lapse.helped,
                    lapse.note,
                    lapse.marked_unsafe,
                    lapse.flagged_for_clinic,
                    lapse.logged_at_ms,
                ],
            )?;
            outbox::record(tx, RECORD_TYPE, &lapse.id, Operation::Upsert, &lapse, now)
        })?;
        let crisis_card = lapse
            .marked_unsafe
            .then(|| self.crisis_card_because(CrisisReason::LapseMarkedUnsafe));
        let stopped_naltrexone = self.stopped_naltrexone(self.local_today()?)?;
        let overdose_guidance = overdose::guidance(&lapse.substances, stopped_naltrexone);
        Ok(LapseLogged {
            lapse,
            crisis_card,
            overdose_guidance,
        })
    }

    /// Lapses in `[from_ms, to_ms)`, newest first.
    pub fn list_lapses(&self, from_ms: i64, to_ms: i64) -> Result<Vec<Lapse>> {
        if from_ms > to_ms {
            return Err(Error::invalid("from", "is after to"));
        }
        self.read(|conn| lapses_between(conn, from_ms, to_ms))
    }

    pub fn lapse(&self, id: &str) -> Result<Lapse> {
        let id = ids::parse_id("id", id)?;
        self.read(|conn| {
            conn.query_row(
                &format!("SELECT {COLUMNS} FROM lapse WHERE id = ?1 AND deleted_at_ms IS NULL"),
                params![id],
                lapse_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound { what: "lapse", id })
        })
    }

    /// Deletes a lapse entered by mistake: hidden at once, kept as a
    /// tombstone for sync.
    pub fn delete_lapse(&self, id: &str) -> Result<()> {
        let id = ids::parse_id("id", id)?;
        let now = self.now();
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE lapse SET deleted_at_ms = ?2 WHERE id = ?1 AND deleted_at_ms IS NULL",
                params![id, now.timestamp_millis()],
            )?;
            if changed == 0 {
                return Err(Error::NotFound { what: "lapse", id });
            }
            outbox::record(
                tx,
                RECORD_TYPE,
                &id,
                Operation::Delete,
                &serde_json::json!({ "id": id }),
                now,
            )
        })
    }

    /// The local days (YYYY-MM-DD) with a lapse, oldest first; with a
    /// substance, only lapses naming it or naming none.
    pub fn lapse_days(&self, substance: Option<String>) -> Result<Vec<String>> {
        let days = self.read(|conn| lapse_dates(conn, substance.as_deref()))?;
        Ok(days.iter().map(NaiveDate::to_string).collect())
    }

    /// Replaces the substances the program tracks (order kept).
    pub fn set_tracked_substances(&self, substances: Vec<String>) -> Result<Vec<String>> {
        let substances = tags::clean("substances", substances, &[])?;
        let now = self.now().timestamp_millis();
        self.write(|tx| {
            tx.execute("DELETE FROM tracked_substance", [])?;
            for (position, name) in substances.iter().enumerate() {
                tx.execute(
                    "INSERT INTO tracked_substance (name, position, added_at_ms)
                     VALUES (?1, ?2, ?3)",
                    params![name, position as i64, now],
                )?;
            }
            Ok(())
        })?;
        Ok(substances)
    }

    /// The substances the program tracks, in the order set.
    pub fn tracked_substances(&self) -> Result<Vec<String>> {
        self.read(tracked_substances)
    }
}

fn short_text(field: &str, text: Option<String>) -> Result<Option<String>> {
    let text = validate::note(field, text)?;
    if let Some(t) = &text {
        let chars = t.chars().count();
        if chars > MAX_AMOUNT_CHARS {
            return Err(Error::invalid(
                field,
                format!("{chars} characters; at most {MAX_AMOUNT_CHARS} allowed"),
            ));
        }
    }
    Ok(text)
}

/// The local day of an instant in a stored zone (UTC if the zone is unknown,
/// which validation prevents).
pub(crate) fn local_date(ms: i64, zone: &str) -> NaiveDate {
    let utc = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    match zone.parse::<Tz>() {
        Ok(tz) => utc.with_timezone(&tz).date_naive(),
        Err(_) => utc.date_naive(),
    }
}

const COLUMNS: &str = "id, occurred_at_ms, time_zone, substances, amount, triggers, helped, note,
    marked_unsafe, flagged_for_clinic, logged_at_ms";

/// Live lapses in `[from_ms, to_ms)`, newest first.
pub(crate) fn lapses_between(conn: &Connection, from_ms: i64, to_ms: i64) -> Result<Vec<Lapse>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM lapse
         WHERE deleted_at_ms IS NULL AND occurred_at_ms >= ?1 AND occurred_at_ms < ?2
         ORDER BY occurred_at_ms DESC, logged_at_ms DESC"
    ))?;
    let rows = stmt.query_map(params![from_ms, to_ms], lapse_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The distinct local days with a lapse, oldest first; with `substance`, only
/// lapses naming it (ignoring case) or naming no substance at all (use of an
/// unnamed substance counts against every tracked one).
pub(crate) fn lapse_dates(conn: &Connection, substance: Option<&str>) -> Result<Vec<NaiveDate>> {
    let mut dates: Vec<NaiveDate> = lapses_between(conn, i64::MIN, i64::MAX)?
        .into_iter()
        .filter(|lapse| match substance {
            None => true,
            Some(s) => {
                lapse.substances.is_empty() || lapse.substances.iter().any(|l| tags::same_tag(l, s))
            }
        })
        .map(|lapse| local_date(lapse.occurred_at_ms, &lapse.time_zone))
        .collect();
    dates.sort();
    dates.dedup();
    Ok(dates)
}

pub(crate) fn tracked_substances(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM tracked_substance ORDER BY position")?;
    let rows = stmt.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn lapse_from_row(row: &Row<'_>) -> rusqlite::Result<Lapse> {
    let occurred_at_ms: i64 = row.get(1)?;
    let time_zone: String = row.get(2)?;
    Ok(Lapse {
        id: row.get(0)?,
        local_date: local_date(occurred_at_ms, &time_zone).to_string(),
        occurred_at_ms,
        time_zone,
        substances: tags::from_json(3, &row.get::<_, String>(3)?)?,
        amount: row.get(4)?,
        triggers: tags::from_json(5, &row.get::<_, String>(5)?)?,
        helped: row.get(6)?,
        note: row.get(7)?,
        marked_unsafe: row.get(8)?,
        flagged_for_clinic: row.get(9)?,
        logged_at_ms: row.get(10)?,
    })
}

#[cfg(test)]
mod tests;
