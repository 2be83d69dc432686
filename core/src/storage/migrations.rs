//! Versioned schema migrations. The version lives in the file (`PRAGMA
//! user_version`); each migration runs in its own transaction. A file newer than
//! this code is refused rather than opened blindly.

use crate::{Error, Result};
use rusqlite::Connection;

/// Migrations in order; migration `i` brings the schema to version `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("sql/0001_foundation.sql"),
    include_str!("sql/0002_schedule.sql"),
    include_str!("sql/0003_checkins.sql"),
    include_str!("sql/0004_sync.sql"),
    include_str!("sql/0005_progress.sql"),
    include_str!("sql/0006_setup_day.sql"),
    include_str!("sql/0007_checkin_substances.sql"),
    include_str!("sql/0008_backup_restore.sql"),
    include_str!("sql/0009_screens.sql"),
    include_str!("sql/0010_messages.sql"),
    include_str!("sql/0011_reminder_fired.sql"),
    include_str!("sql/0012_craving_days.sql"),
    include_str!("sql/0013_outside_consent.sql"),
    include_str!("sql/0014_craving_day_blobs.sql"),
];

/// The schema version this build of Steady writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(Error::DatabaseTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
