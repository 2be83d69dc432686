//! The production backend: PostgreSQL through the blocking client (requests
//! run their transaction on a blocking thread), a small pool of open
//! connections and nothing else in memory.

use super::{DbError, Row, Tx, Value};
use bytes::BytesMut;
use postgres::error::SqlState;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, Config, NoTls, Statement};
use std::collections::HashMap;
use std::sync::Mutex;

pub struct Pool {
    config: Config,
    idle: Mutex<Vec<Conn>>,
}

/// An open connection and the statements already prepared on it: a cached
/// statement saves a round trip per query.
struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl Pool {
    pub fn open(url: &str, schema: Option<&str>) -> Result<Pool, DbError> {
        let mut config: Config = url
            .parse()
            .map_err(|e| DbError::Other(format!("bad PostgreSQL URL: {e}")))?;
        if let Some(schema) = schema {
            if !schema
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return Err(DbError::Other("bad schema name".into()));
            }
            let mut client = config.connect(NoTls).map_err(from_pg)?;
            client
                .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                .map_err(from_pg)?;
            config.options(&format!("-c search_path={schema}"));
        }
        let pool = Pool {
            config,
            idle: Mutex::new(Vec::new()),
        };
        let conn = pool.connect()?;
        pool.give_back(conn);
        Ok(pool)
    }

    fn connect(&self) -> Result<Conn, DbError> {
        Ok(Conn {
            client: self.config.connect(NoTls).map_err(from_pg)?,
            statements: HashMap::new(),
        })
    }

    fn take(&self) -> Result<Conn, DbError> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        match idle {
            Some(conn) if !conn.client.is_closed() => Ok(conn),
            _ => self.connect(),
        }
    }

    fn give_back(&self, conn: Conn) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
    }

    pub fn transact<T, E>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError>,
    {
        let mut conn = self.take()?;
        let result = {
            let tx = conn.client.transaction().map_err(from_pg)?;
            let mut pg = PgTx {
                tx,
                statements: &mut conn.statements,
            };
            let result = f(&mut pg);
            match result {
                Ok(value) => pg
                    .tx
                    .commit()
                    .map(|()| value)
                    .map_err(|e| E::from(from_pg(e))),
                Err(e) => {
                    // Dropping the transaction rolls it back.
                    drop(pg);
                    Err(e)
                }
            }
        };
        if result.is_err() {
            // Statements prepared in a failed transaction are not trusted.
            conn.statements.clear();
        }
        if !conn.client.is_closed() {
            self.give_back(conn);
        }
        result
    }
}

/// The blocking client drives its own small runtime and panics when dropped
/// on a thread that runs async tasks — which is where the last handle to the
/// pool goes when a server shuts down. Idle clients are closed on a plain
/// thread instead.
impl Drop for Pool {
    fn drop(&mut self) {
        let idle = match self.idle.get_mut() {
            Ok(idle) => std::mem::take(idle),
            Err(poisoned) => std::mem::take(poisoned.into_inner()),
        };
        if idle.is_empty() {
            return;
        }
        if tokio::runtime::Handle::try_current().is_ok() {
            let _ = std::thread::spawn(move || drop(idle)).join();
        } else {
            drop(idle);
        }
    }
}

struct PgTx<'a> {
    tx: postgres::Transaction<'a>,
    statements: &'a mut HashMap<String, Statement>,
}

impl PgTx<'_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, DbError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.tx.prepare(sql).map_err(from_pg)?;
        self.statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
}

impl Tx for PgTx<'_> {
    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        self.tx.batch_execute(sql).map_err(from_pg)
    }

    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        super::check_params(params)?;
        let statement = self.statement(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        self.tx.execute(&statement, &params).map_err(from_pg)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        super::check_params(params)?;
        let statement = self.statement(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        let rows = self.tx.query(&statement, &params).map_err(from_pg)?;
        rows.iter().map(read_row).collect()
    }
}

fn read_row(row: &postgres::Row) -> Result<Row, DbError> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(i).map(|v| v.map(Value::Int))
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)
                .map(|v| v.map(|v| Value::Int(i64::from(v))))
        } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
            row.try_get::<_, Option<String>>(i)
                .map(|v| v.map(Value::Text))
        } else if *ty == Type::VOID {
            Ok(None)
        } else {
            return Err(DbError::Other(format!("column {i} has type {ty}")));
        };
        values.push(value.map_err(from_pg)?.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) if *ty == Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
            Value::Int(v) if *ty == Type::INT8 => v.to_sql(ty, out),
            Value::Int(v) => v.to_string().as_str().to_sql(ty, out),
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::INT8 || *ty == Type::INT4 || *ty == Type::TEXT || *ty == Type::VARCHAR
    }

    postgres::types::to_sql_checked!();
}

fn from_pg(e: postgres::Error) -> DbError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        DbError::Unique
    } else {
        // The server's message names the failure; its detail (which may
        // quote values) is left out.
        DbError::Other(match e.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => e.to_string(),
        })
    }
}
