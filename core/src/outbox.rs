//! The sync outbox: every shareable write records a mutation here inside the
//! same transaction as the write itself. The sync engine drains it in `seq`
//! order.

use crate::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    Upsert,
    Delete,
}

impl Operation {
    fn as_str(self) -> &'static str {
        match self {
            Operation::Upsert => "upsert",
            Operation::Delete => "delete",
        }
    }
}

/// One queued mutation, as the sync engine reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub seq: i64,
    pub record_type: String,
    pub record_id: String,
    pub operation: String,
    pub payload: String,
    pub created_at_ms: i64,
}

pub(crate) fn record<T: Serialize>(
    conn: &Connection,
    record_type: &str,
    record_id: &str,
    operation: Operation,
    payload: &T,
    now: DateTime<Utc>,
) -> Result<()> {
    let payload = serde_json::to_string(payload)
        .map_err(|e| crate::Error::Corrupt(format!("cannot encode {record_type}: {e}")))?;
    conn.execute(
        "INSERT INTO outbox (record_type, record_id, operation, payload, created_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            record_type,
            record_id,
            operation.as_str(),
            payload,
            now.timestamp_millis()
        ],
    )?;
    Ok(())
}

pub(crate) fn pending(conn: &Connection) -> Result<Vec<OutboxEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, record_type, record_id, operation, payload, created_at_ms
         FROM outbox ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(OutboxEntry {
            seq: row.get(0)?,
            record_type: row.get(1)?,
            record_id: row.get(2)?,
            operation: row.get(3)?,
            payload: row.get(4)?,
            created_at_ms: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
