//! Encrypted storage: opening a SQLCipher database with the caller's key,
//! connection settings, and versioned migrations.
//!
//! The key is a raw 32-byte key (no passphrase derivation): phones keep it in the
//! Android Keystore / iOS Keychain, the CLI in a 0600 key file.
//!
//! A file that is there but cannot be read is never replaced, repaired or
//! deleted here: an empty or cut-short file, or something that is not a Steady
//! database, is refused with a typed error before SQLite touches it, so what
//! is in it (perhaps records not yet synced) stays for recovery
//! (docs/adr/0012-a-damaged-database-is-refused-and-kept.md).

pub(crate) mod migrations;

use crate::{Error, Result, KEY_LEN};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::io::Read;
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
    inspect(path)?;
    if !path.exists() {
        create(path, key)?;
    }
    if path.exists() {
        // Check the key and the file on a read-only connection first: closing
        // a read-write one would checkpoint a WAL into a file that may be
        // damaged.
        let probe = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        unlock(&probe, key, path)?;
    }
    let mut conn = configure(path, key)?;
    migrations::migrate(&mut conn)?;
    Ok(conn)
}

/// A read-write connection to `path` (created when missing), unlocked, with
/// Steady's settings.
fn configure(path: &Path, key: &[u8]) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    unlock(&conn, key, path)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Every page read is decrypted and its HMAC checked; SQLite's default
    // 2 MB cache is smaller than what the Progress screen reads over a long
    // history, so each report decrypted it all again. 8 MB keeps it.
    conn.pragma_update(None, "cache_size", -8192)?;
    // WAL lets the UI read while a sync writes; the mode is stored in the file.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    Ok(conn)
}

/// Creates the database whole or not at all: the schema is written into a
/// sibling `<name>.creating` file, which is synced and only then linked into
/// place. A first launch killed part-way leaves no file at `path` (only the
/// `.creating` file, replaced on the next attempt), never an empty or
/// half-made database that every later open would have to refuse as damaged.
fn create(path: &Path, key: &[u8]) -> Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".creating");
    let staging = path.with_file_name(name);
    remove_staging(&staging)?;
    {
        let mut conn = configure(&staging, key)?;
        migrations::migrate(&mut conn)?;
        // Closing checkpoints the WAL into the file and removes it.
        conn.close().map_err(|(_, e)| Error::from(e))?;
    }
    std::fs::File::open(&staging)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_failure("syncing the new database", &e))?;
    // A hard link never replaces a file another process created meanwhile.
    match std::fs::hard_link(&staging, path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io_failure("putting the new database in place", &e)),
    }
    remove_staging(&staging)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The new directory entry survives a power cut once the directory is
        // synced; where a platform cannot open a directory, skip it.
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

/// A file-system failure while creating the database, as the storage error
/// SQLite gives for I/O (it names the step, never a path or content).
fn io_failure(step: &str, e: &std::io::Error) -> Error {
    Error::Storage(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR),
        Some(format!("{step}: {}", e.kind())),
    ))
}

/// Removes a staging file and its SQLite side files, if any.
fn remove_staging(staging: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = staging.as_os_str().to_os_string();
        name.push(suffix);
        match std::fs::remove_file(&name) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_failure("removing an unfinished new database", &e)),
        }
    }
    Ok(())
}

/// SQLCipher's page size: an encrypted Steady file is always whole pages.
const PAGE_BYTES: u64 = 4096;
/// How every plain (unencrypted) SQLite file begins.
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

/// Looks at an existing file before SQLite opens it: SQLite would treat an
/// empty file as a new database and write one over it.
fn inspect(path: &Path) -> Result<()> {
    let Ok(meta) = std::fs::metadata(path) else {
        // No file yet: a first launch creates it.
        return Ok(());
    };
    if !meta.is_file() {
        return Err(Error::NotSteadyDatabase {
            reason: "the path is not a regular file".into(),
        });
    }
    let len = meta.len();
    if len == 0 {
        return Err(Error::DatabaseDamaged {
            reason: "the file is empty (0 bytes)".into(),
        });
    }
    let mut head = Vec::with_capacity(16);
    std::fs::File::open(path)
        .and_then(|f| f.take(16).read_to_end(&mut head))
        .map_err(|e| Error::DatabaseDamaged {
            reason: format!("the file cannot be read ({})", e.kind()),
        })?;
    if let Some(reason) = foreign_format(&head) {
        return Err(Error::NotSteadyDatabase { reason });
    }
    if len % PAGE_BYTES != 0 {
        return Err(Error::DatabaseDamaged {
            reason: format!(
                "{len} bytes is not a whole number of {PAGE_BYTES}-byte pages: \
                 the file was cut short"
            ),
        });
    }
    Ok(())
}

/// What a file that cannot be a Steady database is, from its first bytes.
/// An encrypted file begins with 16 random bytes (the salt): all printable
/// text by chance about once in ten million.
fn foreign_format(head: &[u8]) -> Option<String> {
    if head.starts_with(SQLITE_HEADER) {
        return Some("it is an unencrypted SQLite database".into());
    }
    let text = |b: &u8| b.is_ascii_graphic() || b.is_ascii_whitespace();
    (head.len() == 16 && head.iter().all(text)).then(|| "it holds text".into())
}

fn unlock(conn: &Connection, key: &[u8], path: &Path) -> Result<()> {
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
            // Under a wrong key page 1 fails its check; a file shorter than
            // one page is too short to have been written by Steady.
            match std::fs::metadata(path).map(|m| m.len()) {
                Ok(len) if len > 0 && len < PAGE_BYTES => Err(Error::DatabaseDamaged {
                    reason: format!("{len} bytes is shorter than one database page"),
                }),
                _ => Err(Error::WrongKey),
            }
        }
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::DatabaseCorrupt => {
            Err(Error::DatabaseDamaged {
                reason: "its pages do not hold a whole database (truncated or corrupted)".into(),
            })
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

    /// A first launch killed while creating the database leaves a staging
    /// file (here: an empty one and a stale WAL), never a file at the
    /// database's path; the next open replaces the staging file and succeeds.
    #[test]
    fn an_interrupted_creation_leaves_no_database_and_the_next_open_succeeds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        std::fs::write(dir.path().join("s.db.creating"), b"").unwrap();
        std::fs::write(dir.path().join("s.db.creating-wal"), b"half a page").unwrap();
        let conn = open(&path, &KEY).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        drop(conn);
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("creating"))
            .collect();
        names.sort();
        assert_eq!(names, Vec::<String>::new(), "staging files left behind");
        // And the file created is a whole encrypted database, opened again.
        assert!(std::fs::metadata(&path).unwrap().len() % PAGE_BYTES == 0);
        open(&path, &KEY).unwrap();
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
        assert!(matches!(
            open(&path, &KEY),
            Err(Error::NotSteadyDatabase { .. })
        ));
    }

    /// Opening `bytes` is refused with `expected`, and the file is unchanged.
    fn refused_untouched(bytes: &[u8], expected: fn(&Error) -> bool) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        std::fs::write(&path, bytes).unwrap();
        let err = open(&path, &KEY).map(|_| ()).unwrap_err();
        assert!(expected(&err), "{err:?}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
    }

    fn written_database() -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let conn = open(&path, &KEY).unwrap();
        for i in 0..400 {
            conn.execute(
                "INSERT INTO craving (id, intensity, note, occurred_at_ms, time_zone,
                    logged_at_ms) VALUES (?1, 5, ?2, 0, 'UTC', 0)",
                rusqlite::params![format!("id-{i}"), "x".repeat(200)],
            )
            .unwrap();
        }
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        drop(conn);
        std::fs::read(&path).unwrap()
    }

    #[test]
    fn an_empty_file_is_refused_as_damaged_and_never_replaced() {
        refused_untouched(&[], |e| matches!(e, Error::DatabaseDamaged { .. }));
    }

    #[test]
    fn a_truncated_database_is_refused_as_damaged_and_kept() {
        let whole = written_database();
        assert!(whole.len() > 8 * PAGE_BYTES as usize);
        let half_pages = whole.len() / 2 / PAGE_BYTES as usize * PAGE_BYTES as usize;
        for cut in [half_pages, half_pages + 100, 1000] {
            refused_untouched(&whole[..cut], |e| {
                matches!(e, Error::DatabaseDamaged { .. })
            });
        }
    }

    #[test]
    fn a_text_file_is_not_a_steady_database_nor_a_wrong_key() {
        refused_untouched(b"name,phone\nSam,555 0100\n", |e| {
            matches!(e, Error::NotSteadyDatabase { .. })
        });
        let mut page = vec![b'#'; PAGE_BYTES as usize];
        page[100] = 0;
        refused_untouched(&page, |e| matches!(e, Error::NotSteadyDatabase { .. }));
    }

    #[test]
    fn a_wrong_key_is_told_apart_from_damage() {
        let whole = written_database();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        std::fs::write(&path, &whole).unwrap();
        let mut other = KEY;
        other[3] ^= 1;
        assert!(matches!(open(&path, &other), Err(Error::WrongKey)));
        assert_eq!(std::fs::read(&path).unwrap(), whole);
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
