//! Encrypted storage: opening a SQLCipher database with the caller's key,
//! connection settings, and versioned migrations.
//!
//! The key is a raw 32-byte key (no passphrase derivation): phones keep it in the
//! Android Keystore / iOS Keychain, the CLI in a 0600 key file.

mod migrations;

use crate::{Error, Result, KEY_LEN};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::Path;

pub use migrations::SCHEMA_VERSION;

/// Opens (creating if needed) the database at `path`, unlocks it with `key`,
/// and brings its schema up to date.
pub(crate) fn open(path: &Path, key: &[u8]) -> Result<Connection> {
    if key.len() != KEY_LEN {
        return Err(Error::invalid(
            "key",
            format!("{} bytes; the database key is {KEY_LEN} bytes", key.len()),
        ));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)?;
    unlock(&conn, key)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // WAL lets the UI read while a sync writes; the mode is stored in the file.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    migrations::migrate(&mut conn)?;
    Ok(conn)
}

fn unlock(conn: &Connection, key: &[u8]) -> Result<()> {
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    conn.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))?;
    // SQLCipher only checks the key on first read of the file.
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
        row.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase => {
            Err(Error::WrongKey)
        }
        Err(e) => Err(e.into()),
    }
}
