//! The embedded backend: a SQLite file in WAL mode, one connection per
//! concurrent request (a small pool of open handles, nothing else).

use super::{DbError, Mode, Row, Tx, Value};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode, ToSql};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

pub struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// SQLite runs one writer at a time; queueing this process's writers here
    /// spares them SQLite's sleep-and-retry busy handler (which is what
    /// still arbitrates between processes sharing the file).
    writer: Mutex<()>,
}

impl Pool {
    pub fn open(path: &Path) -> Result<Pool, DbError> {
        let pool = Pool {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
            writer: Mutex::new(()),
        };
        let conn = pool.connect()?;
        pool.give_back(conn);
        Ok(pool)
    }

    fn connect(&self) -> Result<Connection, DbError> {
        let conn = Connection::open(&self.path).map_err(from_sqlite)?;
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
        let _writing = match mode {
            Mode::Write => Some(
                self.writer
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()),
            ),
            Mode::Read => None,
        };
        let mut conn = self.take()?;
        let begin = match mode {
            Mode::Read => "BEGIN DEFERRED",
            Mode::Write => "BEGIN IMMEDIATE",
        };
        conn.execute_batch(begin).map_err(from_sqlite)?;
        let mut tx = SqliteTx { conn: &mut conn };
        let result = f(&mut tx);
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
}

struct SqliteTx<'a> {
    conn: &'a mut Connection,
}

impl Tx for SqliteTx<'_> {
    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        self.conn.execute_batch(sql).map_err(from_sqlite)
    }

    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
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
    use super::placeholders;

    #[test]
    fn numbered_placeholders_become_sqlite_positional_ones() {
        assert_eq!(
            placeholders("SELECT a FROM t WHERE b = $2 AND c = $1 AND d = '$x'"),
            "SELECT a FROM t WHERE b = ?2 AND c = ?1 AND d = '$x'"
        );
    }
}
