//! The embedded backend: a SQLite file in WAL mode, one connection per
//! concurrent request (a small pool of open handles, nothing else).

use super::{DbError, Mode, Row, Tx, Value};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode, ToSql};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

pub struct Pool {
    path: PathBuf,
    /// SQLCipher's raw key; `None` for a plain file.
    key: Option<DbKey>,
    idle: Mutex<Vec<Connection>>,
    /// SQLite runs one writer at a time; queueing this process's writers here
    /// spares them SQLite's sleep-and-retry busy handler (which is what
    /// still arbitrates between processes sharing the file).
    writer: Mutex<Writer>,
    /// Writers waiting for `writer`: while any wait, the open group
    /// transaction stays open for them (group commit, docs/adr/0071).
    waiting: AtomicUsize,
}

/// At most this many writes share one commit, so a steady stream of writers
/// cannot hold a transaction open (and its writers unanswered) for long.
const MAX_GROUP: usize = 32;

/// The connection every write of this process goes through, and the group
/// transaction open on it, if any.
#[derive(Default)]
struct Writer {
    conn: Option<Connection>,
    group: Option<(Arc<Group>, usize)>,
}

/// Writes committed together: each waits for the one commit (and its
/// fsync) before it answers, so nothing is acknowledged before it is durable.
#[derive(Default)]
struct Group {
    outcome: Mutex<Option<Result<(), String>>>,
    ended: Condvar,
}

impl Group {
    fn end(&self, outcome: Result<(), String>) {
        if let Ok(mut slot) = self.outcome.lock() {
            *slot = Some(outcome);
        }
        self.ended.notify_all();
    }

    fn wait(&self) -> Result<(), String> {
        let mut slot = self
            .outcome
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        loop {
            if let Some(outcome) = slot.as_ref() {
                return outcome.clone();
            }
            slot = self
                .ended
                .wait(slot)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}

impl Pool {
    pub fn open(path: &Path, key: Option<DbKey>) -> Result<Pool, DbError> {
        let pool = Pool {
            path: path.to_path_buf(),
            key,
            idle: Mutex::new(Vec::new()),
            writer: Mutex::new(Writer::default()),
            waiting: AtomicUsize::new(0),
        };
        let conn = pool.connect()?;
        pool.give_back(conn);
        Ok(pool)
    }

    fn connect(&self) -> Result<Connection, DbError> {
        let conn = Connection::open(&self.path).map_err(from_sqlite)?;
        match &self.key {
            Some(key) => unlock(&conn, key)?,
            None => {
                let probe = conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
                    row.get::<_, i64>(0)
                });
                if let Err(rusqlite::Error::SqliteFailure(e, _)) = &probe {
                    if e.code == ErrorCode::NotADatabase {
                        return Err(DbError::Other(
                            "the database is encrypted (or damaged): give its key with \
                             STEADY_CLINIC_DB_KEY_FILE or --db-key-file"
                                .into(),
                        ));
                    }
                }
            }
        }
        conn.busy_timeout(Duration::from_secs(30))
            .map_err(from_sqlite)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(from_sqlite)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(from_sqlite)?;
        Ok(conn)
    }

    fn take(&self) -> Result<Connection, DbError> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        match idle {
            Some(conn) => Ok(conn),
            None => self.connect(),
        }
    }

    fn give_back(&self, conn: Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
    }

    pub fn transact<T, E>(
        &self,
        mode: Mode,
        f: impl FnOnce(&mut dyn Tx) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<DbError>,
    {
        if mode == Mode::Write {
            return self.write(f);
        }
        let mut conn = self.take()?;
        conn.execute_batch("BEGIN DEFERRED").map_err(from_sqlite)?;
        let result = f(&mut SqliteTx { conn: &mut conn });
        let end = match &result {
            Ok(_) => conn.execute_batch("COMMIT"),
            Err(_) => conn.execute_batch("ROLLBACK"),
        };
        match end {
            Ok(()) => {
                self.give_back(conn);
                result
            }
            // A connection whose transaction could not end is not reused.
            Err(e) => Err(E::from(from_sqlite(e))),
        }
    }

    /// Group commit: writers queued behind each other share one
    /// transaction, each in its own savepoint (a failed write rolls back
    /// alone), and one COMMIT — one fsync — ends them all. The last writer
    /// of a group (none waiting behind it, or [`MAX_GROUP`] reached)
    /// commits; every writer answers only once the commit succeeded, and
    /// all of them fail if it did not.
    fn write<T, E>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError>,
    {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let (group, members) = match writer.group.take() {
            Some(open) => open,
            None => {
                let conn = match writer.conn.take() {
                    Some(conn) => conn,
                    None => self.connect()?,
                };
                conn.execute_batch("BEGIN IMMEDIATE").map_err(from_sqlite)?;
                writer.conn = Some(conn);
                (Arc::new(Group::default()), 0)
            }
        };
        let Some(conn) = writer.conn.as_mut() else {
            return Err(E::from(DbError::Other("no write connection".into())));
        };
        let ran = conn.execute_batch("SAVEPOINT write").map(|()| {
            std::panic::catch_unwind(AssertUnwindSafe(|| f(&mut SqliteTx { conn: &mut *conn })))
        });
        let (result, kept) = match ran {
            Ok(Ok(result)) => {
                let end = if result.is_ok() {
                    "RELEASE write"
                } else {
                    "ROLLBACK TO write; RELEASE write"
                };
                let kept = conn.execute_batch(end);
                (Some(result), kept)
            }
            Ok(Err(panic)) => {
                // The whole group goes: its other writers answer an error
                // and their phones retry; then the panic goes on.
                let _ = conn.execute_batch("ROLLBACK");
                writer.conn = None;
                group.end(Err("a write failed; nothing of this group was saved".into()));
                drop(writer);
                std::panic::resume_unwind(panic);
            }
            Err(e) => (None, Err(e)),
        };
        let members = members + 1;
        let commit_now =
            kept.is_err() || members >= MAX_GROUP || self.waiting.load(Ordering::SeqCst) == 0;
        if commit_now {
            let end = kept.and_then(|()| conn.execute_batch("COMMIT"));
            if end.is_err() {
                // A connection whose transaction could not end is not reused.
                let _ = conn.execute_batch("ROLLBACK");
                writer.conn = None;
            }
            group.end(end.map_err(|e| from_sqlite(e).to_string()));
        } else {
            writer.group = Some((group.clone(), members));
        }
        drop(writer);
        match (group.wait(), result) {
            (Ok(()), Some(result)) => result,
            (Err(e), _) => Err(E::from(DbError::Other(e))),
            (Ok(()), None) => Err(E::from(DbError::Other("savepoint failed".into()))),
        }
    }
}

/// Unlocks a SQLCipher file with a raw key (no passphrase derivation, as on
/// the phone). SQLCipher checks the key at the first read, so read once.
pub fn unlock(conn: &Connection, key: &DbKey) -> Result<(), DbError> {
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")
        .map_err(from_sqlite)?;
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.hex()))
        .map_err(from_sqlite)?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
        row.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase => {
            Err(DbError::Other(
                "the database key does not open this file (wrong key, or not encrypted)".into(),
            ))
        }
        Err(e) => Err(from_sqlite(e)),
    }
}

/// Copies the whole database, as one consistent snapshot taken while the
/// server keeps serving (a read transaction in WAL mode), into a new
/// SQLCipher file at `to` encrypted with `to_key`. `to` must not exist.
pub fn backup(
    from: &Path,
    from_key: Option<&DbKey>,
    to: &Path,
    to_key: &DbKey,
) -> Result<(), DbError> {
    if to.exists() {
        return Err(DbError::Other(format!(
            "{} already exists; nothing was written",
            to.display()
        )));
    }
    let conn = Connection::open(from).map_err(from_sqlite)?;
    conn.busy_timeout(Duration::from_secs(30))
        .map_err(from_sqlite)?;
    if let Some(key) = from_key {
        unlock(&conn, key)?;
    }
    let target = to
        .to_str()
        .ok_or_else(|| DbError::Other("backup path is not UTF-8".into()))?
        .replace('\'', "''");
    conn.execute_batch(&format!(
        "ATTACH DATABASE '{target}' AS backup KEY \"x'{}'\";",
        to_key.hex()
    ))
    .map_err(from_sqlite)?;
    let copied = conn
        .execute_batch("BEGIN DEFERRED; SELECT sqlcipher_export('backup'); COMMIT;")
        .map_err(from_sqlite);
    let detached = conn
        .execute_batch("DETACH DATABASE backup;")
        .map_err(from_sqlite);
    if copied.is_err() {
        let _ = std::fs::remove_file(to);
    }
    copied.and(detached)
}

/// A SQLCipher key: 32 raw bytes. Its `Debug` never shows them.
#[derive(Clone, PartialEq, Eq)]
pub struct DbKey([u8; 32]);

impl DbKey {
    /// From 64 hexadecimal characters (surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Result<DbKey, String> {
        let text = text.trim();
        if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(
                "must be 64 hexadecimal characters (32 bytes), e.g. from `openssl rand -hex 32`"
                    .into(),
            );
        }
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())?;
        }
        Ok(DbKey(key))
    }

    fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(..)")
    }
}

struct SqliteTx<'a> {
    conn: &'a mut Connection,
}

impl Tx for SqliteTx<'_> {
    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        self.conn.execute_batch(sql).map_err(from_sqlite)
    }

    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        super::check_params(params)?;
        let mut stmt = self
            .conn
            .prepare_cached(&placeholders(sql))
            .map_err(from_sqlite)?;
        let changed = stmt
            .execute(rusqlite::params_from_iter(params.iter()))
            .map_err(from_sqlite)?;
        Ok(changed as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        super::check_params(params)?;
        let mut stmt = self
            .conn
            .prepare_cached(&placeholders(sql))
            .map_err(from_sqlite)?;
        let columns = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(from_sqlite)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(from_sqlite)? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(match row.get_ref(i).map_err(from_sqlite)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Real(_) | ValueRef::Blob(_) => {
                        return Err(DbError::Other(format!("column {i} has an unexpected type")))
                    }
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

/// `$1` -> `?1`: SQLite would treat `$1` as a named parameter numbered by
/// first appearance, which breaks statements that use them out of order.
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

fn from_sqlite(e: rusqlite::Error) -> DbError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == ErrorCode::ConstraintViolation
                && (f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY) =>
        {
            DbError::Unique
        }
        _ => DbError::Other(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::{placeholders, DbKey, Pool};
    use crate::store::{DbError, Mode};
    use std::sync::{Arc, Barrier};

    /// Writers racing into shared commits: each that succeeded is there
    /// when it returns (its commit is done), each that failed left nothing,
    /// and none waits forever.
    #[test]
    fn grouped_writes_are_each_all_or_nothing_and_committed_before_they_answer() {
        let dir = tempfile::tempdir().unwrap();
        let pool = Arc::new(Pool::open(&dir.path().join("group.db"), None).unwrap());
        pool.transact(Mode::Write, |tx| {
            tx.batch("CREATE TABLE t (n INTEGER PRIMARY KEY, writer INTEGER NOT NULL)")
        })
        .unwrap();
        let writers = 16;
        let start = Arc::new(Barrier::new(writers));
        let handles: Vec<_> = (0..writers as i64)
            .map(|w| {
                let (pool, start) = (pool.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    for round in 0..20i64 {
                        let n = w * 100 + round;
                        let wrote = pool.transact(Mode::Write, |tx| {
                            tx.exec("INSERT INTO t VALUES ($1, $2)", &[n.into(), w.into()])?;
                            tx.exec(
                                "INSERT INTO t VALUES ($1, $2)",
                                &[(n + 10_000).into(), w.into()],
                            )?;
                            // Every third write fails after writing: it must leave nothing.
                            if round % 3 == 0 {
                                return Err(DbError::Other("refused".into()));
                            }
                            Ok(())
                        });
                        let seen = pool
                            .transact(Mode::Read, |tx| {
                                tx.query(
                                    "SELECT count(*) FROM t WHERE n IN ($1, $2)",
                                    &[n.into(), (n + 10_000).into()],
                                )
                            })
                            .unwrap()[0]
                            .int(0)
                            .unwrap();
                        assert_eq!(seen, if wrote.is_ok() { 2 } else { 0 }, "write {n}");
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        let total = pool
            .transact(Mode::Read, |tx| tx.query("SELECT count(*) FROM t", &[]))
            .unwrap()[0]
            .int(0)
            .unwrap();
        // 13 of each writer's 20 rounds succeed, two rows each.
        assert_eq!(total, writers as i64 * 13 * 2);
    }

    #[test]
    fn keys_are_64_hex_characters_and_never_printed() {
        let key = DbKey::from_hex(&"ab".repeat(32)).unwrap();
        assert_eq!(format!("{key:?}"), "DbKey(..)");
        assert!(DbKey::from_hex("abc").is_err());
        assert!(DbKey::from_hex(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn numbered_placeholders_become_sqlite_positional_ones() {
        assert_eq!(
            placeholders("SELECT a FROM t WHERE b = $2 AND c = $1 AND d = '$x'"),
            "SELECT a FROM t WHERE b = ?2 AND c = ?1 AND d = '$x'"
        );
    }
}
