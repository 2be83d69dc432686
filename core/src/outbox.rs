//! The sync outbox: every shareable write records a mutation here inside the
//! same transaction as the write itself, with the consent category the record
//! belongs to. The sync engine (sync/push.rs) drains it in `seq` order, sharing
//! only what the patient consented to.

use crate::consent::ConsentCategory;
use crate::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;
use steady_protocol::RECORD_TYPE_CONSENT;

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
    /// The consent category that decides whether it may leave the phone.
    pub category: String,
    /// The sequence number the clinic sees; `None` while held back.
    pub push_seq: Option<i64>,
}

/// Queues a mutation of a shareable record. Its consent category comes from
/// its record type ([`ConsentCategory::of_record_type`]).
pub(crate) fn record<T: Serialize>(
    conn: &Connection,
    record_type: &str,
    record_id: &str,
    operation: Operation,
    payload: &T,
    now: DateTime<Utc>,
) -> Result<()> {
    let category = crate::vocabulary::of_record_type(record_type)?;
    insert(
        conn,
        record_type,
        record_id,
        operation,
        category,
        payload,
        now,
    )
}

/// Queues a consent grant or revocation; it carries the category it governs.
pub(crate) fn record_consent<T: Serialize>(
    conn: &Connection,
    consent_id: &str,
    category: ConsentCategory,
    payload: &T,
    now: DateTime<Utc>,
) -> Result<()> {
    insert(
        conn,
        RECORD_TYPE_CONSENT,
        consent_id,
        Operation::Upsert,
        category,
        payload,
        now,
    )
}

fn insert<T: Serialize>(
    conn: &Connection,
    record_type: &str,
    record_id: &str,
    operation: Operation,
    category: ConsentCategory,
    payload: &T,
    now: DateTime<Utc>,
) -> Result<()> {
    let payload = serde_json::to_string(payload)
        .map_err(|e| crate::Error::Corrupt(format!("cannot encode {record_type}: {e}")))?;
    // Every write queues one: the statement is prepared once per connection.
    conn.prepare_cached(
        "INSERT INTO outbox (record_type, record_id, operation, payload, created_at_ms, category)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        record_type,
        record_id,
        operation.as_str(),
        payload,
        now.timestamp_millis(),
        category.as_str()
    ])?;
    Ok(())
}

/// Mutations the clinic has not acknowledged yet, oldest first.
pub(crate) fn pending(conn: &Connection) -> Result<Vec<OutboxEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, record_type, record_id, operation, payload, created_at_ms, category, push_seq
         FROM outbox WHERE result IS NULL ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(OutboxEntry {
            seq: row.get(0)?,
            record_type: row.get(1)?,
            record_id: row.get(2)?,
            operation: row.get(3)?,
            payload: row.get(4)?,
            created_at_ms: row.get(5)?,
            category: row.get::<_, Option<String>>(6)?.unwrap_or_default(),
            push_seq: row.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Saved records of `category` not yet given to the clinic.
pub(crate) fn held_count(conn: &Connection, category: &str) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT count(*) FROM outbox
         WHERE category = ?1 AND push_seq IS NULL AND result IS NULL AND record_type != ?2",
        params![category, RECORD_TYPE_CONSENT],
        |row| row.get(0),
    )?)
}
