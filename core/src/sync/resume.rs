//! Sync after a backup was restored. The phone the backup came from may have
//! sent mutations after the backup was made, so the clinic may already hold
//! sequence numbers this database never saw. Before numbering anything, the
//! first sync after a restore asks the clinic for this device's last sequence
//! (an empty push answers with it): mutations numbered before the backup and
//! at or below it were sent by the old phone, so the clinic has them; new
//! numbers start above it. No record is then sent twice, and none is
//! mistaken for a duplicate and lost.

use super::http::HttpRequest;
use super::push;
use crate::enrollment::Enrollment;
use crate::Result;
use rusqlite::{params, Connection, OptionalExtension};
use steady_protocol::PushResponse;

/// Records a restore in its own transaction's database.
pub(crate) fn note_restore(tx: &Connection, backup_made_at_ms: i64, now_ms: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO backup_restore (backup_created_at_ms, restored_at_ms) VALUES (?1, ?2)",
        params![backup_made_at_ms, now_ms],
    )?;
    Ok(())
}

/// Whether a restore still waits for the clinic's last sequence.
pub(super) fn pending(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM backup_restore WHERE sync_resumed_at_ms IS NULL LIMIT 1",
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The request that asks the clinic for this device's last sequence: an
/// empty push.
pub(super) fn request(enrolled: &Enrollment) -> Result<HttpRequest> {
    push::request(enrolled, Vec::new())
}

/// Applies the clinic's last sequence, in the transaction that then numbers
/// what waits: what the old phone already sent is marked as the clinic's,
/// and new numbers start above it.
pub(super) fn apply(tx: &Connection, answer: &PushResponse, now_ms: i64) -> Result<()> {
    tx.execute(
        "UPDATE outbox SET result = 'duplicate', acked_at_ms = ?2
         WHERE push_seq IS NOT NULL AND result IS NULL AND push_seq <= ?1",
        params![answer.last_seq, now_ms],
    )?;
    tx.execute(
        "UPDATE sync_enrollment SET last_push_seq = max(last_push_seq, ?1) WHERE id = 1",
        params![answer.last_seq],
    )?;
    tx.execute(
        "UPDATE backup_restore SET sync_resumed_at_ms = ?1 WHERE sync_resumed_at_ms IS NULL",
        params![now_ms],
    )?;
    Ok(())
}
