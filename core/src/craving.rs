//! Craving logs: the quick in-the-moment record of an urge. Logging takes one
//! value (intensity 0–10); the moment and its zone default to now on the
//! phone's clock. Deleting leaves a tombstone so the deletion can be synced.

use crate::outbox::{self, Operation};
use crate::{ids, validate, Error, Result, Steady};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

/// Highest craving intensity on Steady's 0–10 scale.
pub const MAX_INTENSITY: u8 = 10;

/// What the patient enters when logging a craving.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewCraving {
    /// 0 (none) to 10 (strongest imaginable).
    pub intensity: u8,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub note: Option<String>,
    /// When it happened (Unix ms); now when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub occurred_at_ms: Option<i64>,
    /// IANA zone where it happened; the phone's zone when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub time_zone: Option<String>,
}

/// A stored craving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Craving {
    pub id: String,
    pub intensity: u8,
    pub note: Option<String>,
    pub occurred_at_ms: i64,
    pub time_zone: String,
    pub logged_at_ms: i64,
}

/// Cravings may be logged a little ahead of the phone's clock (clock drift
/// between devices), never further.
const FUTURE_TOLERANCE_MS: i64 = 5 * 60 * 1000;

impl Steady {
    /// Logs a craving. Invalid input changes nothing and names the field.
    pub fn log_craving(&self, input: NewCraving) -> Result<Craving> {
        let now = self.now();
        let intensity = validate::range_0_to("intensity", input.intensity, MAX_INTENSITY)?;
        let note = validate::note("note", input.note)?;
        let time_zone = match input.time_zone {
            Some(name) => validate::time_zone("time_zone", &name)?.name().to_string(),
            None => self.zone()?.name().to_string(),
        };
        let occurred_at_ms = match input.occurred_at_ms {
            Some(ms) => {
                validate::instant_ms("occurred_at", ms)?;
                if ms > now.timestamp_millis() + FUTURE_TOLERANCE_MS {
                    return Err(Error::invalid("occurred_at", "is in the future"));
                }
                ms
            }
            None => now.timestamp_millis(),
        };
        let craving = Craving {
            id: ids::new_id(),
            intensity,
            note,
            occurred_at_ms,
            time_zone,
            logged_at_ms: now.timestamp_millis(),
        };
        self.write(|tx| {
            tx.execute(
                "INSERT INTO craving (id, intensity, note, occurred_at_ms, time_zone, logged_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    craving.id,
                    craving.intensity,
                    craving.note,
                    craving.occurred_at_ms,
                    craving.time_zone,
                    craving.logged_at_ms
                ],
            )?;
            outbox::record(tx, "craving", &craving.id, Operation::Upsert, &craving, now)?;
            Ok(())
        })?;
        Ok(craving)
    }

    /// Cravings that happened in `[from_ms, to_ms)`, newest first. Deleted
    /// cravings are never listed.
    pub fn list_cravings(&self, from_ms: i64, to_ms: i64) -> Result<Vec<Craving>> {
        if from_ms > to_ms {
            return Err(Error::invalid("from", "is after to"));
        }
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT id, intensity, note, occurred_at_ms, time_zone, logged_at_ms
                 FROM craving
                 WHERE deleted_at_ms IS NULL AND occurred_at_ms >= ?1 AND occurred_at_ms < ?2
                 ORDER BY occurred_at_ms DESC, logged_at_ms DESC",
            )?;
            let rows = stmt.query_map(params![from_ms, to_ms], craving_from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// One craving by id, unless deleted.
    pub fn craving(&self, id: &str) -> Result<Craving> {
        let id = ids::parse_id("id", id)?;
        self.read(|conn| find(conn, &id))
    }

    /// Deletes a craving: hidden from lists at once, kept as a tombstone for
    /// sync.
    pub fn delete_craving(&self, id: &str) -> Result<()> {
        let id = ids::parse_id("id", id)?;
        let now = self.now();
        self.write(|tx| {
            find(tx, &id)?;
            tx.execute(
                "UPDATE craving SET deleted_at_ms = ?2 WHERE id = ?1",
                params![id, now.timestamp_millis()],
            )?;
            outbox::record(
                tx,
                "craving",
                &id,
                Operation::Delete,
                &serde_json::json!({ "id": id }),
                now,
            )
        })
    }
}

fn find(conn: &Connection, id: &str) -> Result<Craving> {
    conn.query_row(
        "SELECT id, intensity, note, occurred_at_ms, time_zone, logged_at_ms
         FROM craving WHERE id = ?1 AND deleted_at_ms IS NULL",
        params![id],
        craving_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        what: "craving",
        id: id.to_string(),
    })
}

fn craving_from_row(row: &Row<'_>) -> rusqlite::Result<Craving> {
    Ok(Craving {
        id: row.get(0)?,
        intensity: row.get(1)?,
        note: row.get(2)?,
        occurred_at_ms: row.get(3)?,
        time_zone: row.get(4)?,
        logged_at_ms: row.get(5)?,
    })
}
