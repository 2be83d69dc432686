//! Revision history of amended records. Before a record changes, its current
//! state is kept here as JSON; rows are never updated or removed, so the
//! clinic and sync can always see what a record said before.
//!
//! Snapshots are read back with serde: a field added to a record later needs
//! `#[serde(default)]` so that older snapshots still read.

use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde::{de::DeserializeOwned, Serialize};

/// Keeps `snapshot`, revision `revision` of a record, as replaced at `now`.
pub(crate) fn keep<T: Serialize>(
    conn: &Connection,
    record_type: &str,
    record_id: &str,
    revision: u32,
    snapshot: &T,
    now: DateTime<Utc>,
) -> Result<()> {
    let snapshot = serde_json::to_string(snapshot)
        .map_err(|e| Error::Corrupt(format!("cannot encode {record_type} revision: {e}")))?;
    conn.execute(
        "INSERT INTO record_revision (record_type, record_id, revision, snapshot, replaced_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            record_type,
            record_id,
            revision,
            snapshot,
            now.timestamp_millis()
        ],
    )?;
    Ok(())
}

/// Earlier revisions of a record, oldest first.
pub(crate) fn earlier<T: DeserializeOwned>(
    conn: &Connection,
    record_type: &str,
    record_id: &str,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare(
        "SELECT snapshot FROM record_revision
         WHERE record_type = ?1 AND record_id = ?2 ORDER BY revision",
    )?;
    let rows = stmt.query_map(params![record_type, record_id], |row| {
        row.get::<_, String>(0)
    })?;
    rows.map(|text| {
        serde_json::from_str(&text?)
            .map_err(|e| Error::Corrupt(format!("unreadable {record_type} revision: {e}")))
    })
    .collect()
}
