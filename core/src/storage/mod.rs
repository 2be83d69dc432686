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
    // SQLCipher's own diagnostics go to stderr by default; the app logs nothing
    // about the database.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
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

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; KEY_LEN] = [42; KEY_LEN];

    #[test]
    fn a_new_database_is_at_the_current_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("s.db"), &KEY).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let fk: bool = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert!(fk);
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_wrong_key_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(open(&path, &KEY).unwrap());
        let mut other = KEY;
        other[0] ^= 1;
        assert!(matches!(open(&path, &other), Err(Error::WrongKey)));
        assert!(open(&path, &KEY).is_ok());
    }

    #[test]
    fn a_key_of_the_wrong_length_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let err = open(&dir.path().join("s.db"), &[1; 16]).unwrap_err();
        assert!(matches!(err, Error::Invalid { field, .. } if field == "key"));
    }

    #[test]
    fn a_plain_sqlite_file_is_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plain.db");
        let plain = Connection::open(&path).unwrap();
        plain
            .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        drop(plain);
        assert!(matches!(open(&path, &KEY), Err(Error::WrongKey)));
    }

    #[test]
    fn a_database_from_a_newer_steady_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let conn = open(&path, &KEY).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        match open(&path, &KEY) {
            Err(Error::DatabaseTooNew { found, supported }) => {
                assert_eq!(found, SCHEMA_VERSION + 1);
                assert_eq!(supported, SCHEMA_VERSION);
            }
            other => panic!("expected DatabaseTooNew, got {:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn the_file_holds_no_plaintext() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let conn = open(&path, &KEY).unwrap();
        conn.execute(
            "INSERT INTO craving (id, intensity, note, occurred_at_ms, time_zone, logged_at_ms)
             VALUES ('a', 5, 'unmistakable-plaintext-marker', 0, 'UTC', 0)",
            [],
        )
        .unwrap();
        // Checkpoint so the page reaches the main file as well as the WAL.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        drop(conn);
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            assert!(!contains(&bytes, b"unmistakable-plaintext-marker"));
            assert!(!contains(&bytes, b"SQLite format 3"));
        }
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }
}
