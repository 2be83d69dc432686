//! Storage: one small SQL interface over an embedded SQLite file (default)
//! and PostgreSQL (production). The same SQL text runs on both: `$1`-style
//! placeholders, BIGINT/TEXT columns, `ON CONFLICT ... DO UPDATE` and
//! `RETURNING`. Nothing that matters lives in memory: the pools only hold
//! open connections, so several server instances can share one database.

mod postgres;
mod sqlite;
mod value;

pub use sqlite::{backup as backup_sqlite, DbKey};
pub use value::{Row, Value};

use std::sync::Arc;

/// A storage failure. `Unique` lets callers turn a uniqueness race into a
/// clear conflict instead of an internal error.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unique constraint violated")]
    Unique,
    /// A text value holds a NUL character, which PostgreSQL's TEXT cannot
    /// store; both backends refuse it so they answer alike.
    #[error("a text value contains a NUL character")]
    NulInText,
    #[error("database: {0}")]
    Other(String),
}

/// Refuses parameters PostgreSQL cannot store (a NUL inside TEXT), before
/// either backend sees them.
fn check_params(params: &[Value]) -> Result<(), DbError> {
    if params
        .iter()
        .any(|p| matches!(p, Value::Text(text) if text.contains('\0')))
    {
        return Err(DbError::NulInText);
    }
    Ok(())
}

/// One open transaction. Everything a request changes goes through one.
pub trait Tx {
    /// Runs a statement; returns the number of rows changed.
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError>;
    /// Runs a query and returns every row.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError>;

    /// Runs several `;`-separated statements without parameters (schema).
    fn batch(&mut self, sql: &str) -> Result<(), DbError>;

    /// The first row, if any.
    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
}

/// Whether a transaction writes. SQLite takes its write lock up front for
/// writers (no deadlock-prone lock upgrades); PostgreSQL treats both alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Read,
    Write,
}

/// The key to read the SQLite file at `path` with: `None` when it is a plain
/// (not yet encrypted) SQLite file, so `backup` can also encrypt an old one.
pub fn source_key(path: &std::path::Path, key: &DbKey) -> Option<DbKey> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let plain = std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok()
        && &header == b"SQLite format 3\0";
    (!plain).then(|| key.clone())
}

/// Which database a server runs on.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite(std::path::PathBuf),
    /// A SQLite file encrypted with SQLCipher under `key`.
    SqliteEncrypted {
        path: std::path::PathBuf,
        key: DbKey,
    },
    /// A connection URL and an optional schema to work in (tests isolate
    /// themselves in a fresh schema of one throwaway cluster).
    Postgres {
        url: String,
        schema: Option<String>,
    },
}

#[derive(Clone)]
pub struct Db {
    pool: Arc<Pool>,
}

enum Pool {
    Sqlite(Box<sqlite::Pool>),
    Postgres(Box<postgres::Pool>),
}

impl Db {
    /// Opens the database and brings its schema up to date.
    pub fn open(backend: &Backend) -> Result<Db, DbError> {
        let pool = match backend {
            Backend::Sqlite(path) => Pool::Sqlite(Box::new(sqlite::Pool::open(path, None)?)),
            Backend::SqliteEncrypted { path, key } => {
                Pool::Sqlite(Box::new(sqlite::Pool::open(path, Some(key.clone()))?))
            }
            Backend::Postgres { url, schema } => {
                Pool::Postgres(Box::new(postgres::Pool::open(url, schema.as_deref())?))
            }
        };
        let db = Db {
            pool: Arc::new(pool),
        };
        db.migrate()?;
        Ok(db)
    }

    pub fn backend_name(&self) -> &'static str {
        match *self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// Runs `f` in one transaction: committed when it returns `Ok`, rolled
    /// back otherwise. Blocking; async callers use [`Db::run`].
    pub fn transact<T, E>(
        &self,
        mode: Mode,
        f: impl FnOnce(&mut dyn Tx) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<DbError>,
    {
        match &*self.pool {
            Pool::Sqlite(pool) => pool.transact(mode, f),
            Pool::Postgres(pool) => pool.transact(f),
        }
    }

    /// [`Db::transact`] on a blocking thread, for request handlers.
    pub async fn run<T, E>(
        &self,
        mode: Mode,
        f: impl FnOnce(&mut dyn Tx) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        match tokio::task::spawn_blocking(move || db.transact(mode, f)).await {
            Ok(result) => result,
            Err(e) => Err(E::from(DbError::Other(format!("storage task failed: {e}")))),
        }
    }

    fn migrate(&self) -> Result<(), DbError> {
        let is_postgres = matches!(*self.pool, Pool::Postgres(_));
        self.transact(Mode::Write, |tx| {
            if is_postgres {
                // Two instances starting together must not both create tables.
                tx.query("SELECT pg_advisory_xact_lock(7426)", &[])?;
            }
            tx.exec(
                "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)",
                &[],
            )?;
            let current = tx
                .query_opt("SELECT MAX(version) FROM schema_version", &[])?
                .and_then(|row| row.opt_int(0).ok().flatten())
                .unwrap_or(0);
            for (version, migration) in MIGRATIONS.iter().enumerate() {
                let version = version as i64 + 1;
                if version > current {
                    tx.batch(migration.shared)?;
                    tx.batch(if is_postgres {
                        migration.postgres
                    } else {
                        migration.sqlite
                    })?;
                    tx.exec(
                        "INSERT INTO schema_version (version) VALUES ($1)",
                        &[version.into()],
                    )?;
                }
            }
            Ok(())
        })
    }
}

/// One schema step: SQL both databases run, then each one's own dialect
/// (triggers differ).
struct Migration {
    shared: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

/// The schema, in order; each step runs once, in one transaction.
const MIGRATIONS: &[Migration] = &[
    Migration {
        shared: include_str!("sql/0001_clinic.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        shared: "",
        sqlite: include_str!("sql/0002_audit_append_only.sqlite.sql"),
        postgres: include_str!("sql/0002_audit_append_only.postgres.sql"),
    },
    Migration {
        shared: include_str!("sql/0003_disclosures.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        shared: include_str!("sql/0004_calendar_feeds.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        shared: include_str!("sql/0005_dashboard.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        shared: include_str!("sql/0006_abuse_limits.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        shared: include_str!("sql/0007_outside_consents.sql"),
        sqlite: "",
        postgres: "",
    },
];
