//! The whole record as JSON: every row of every table, column by column. It is
//! both the patient's JSON export (without the clinic credentials and the sync
//! queue) and the plaintext inside an encrypted backup (everything). Reading
//! the tables generically means a table or column another concern adds later
//! is exported, backed up and restored without a change here.

use crate::{Error, Result, SCHEMA_VERSION};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{params_from_iter, Connection};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;

/// The `format` field of every Steady JSON export and backup plaintext.
pub const FORMAT: &str = "steady-record";
/// Version of the JSON layout (not of the database schema).
pub const FORMAT_VERSION: u32 = 1;

/// Tables a plain export leaves out: the device token that lets this phone
/// talk to its clinic, and the sync queue and restore bookkeeping, which only
/// mean something on the phone that wrote them. A backup keeps them all.
const DEVICE_ONLY: &[&str] = &["sync_enrollment", "outbox", "backup_restore"];

/// Tables a new database fills when it is first opened (the set-up day):
/// the record's own rows replace them on load, so a restored or imported
/// record keeps its program start, and they do not make a fresh install look
/// used.
const FILLED_ON_OPEN: &[&str] = &["app_setup"];

/// Tables derived from others (per-day craving tallies, migration 0011):
/// neither exported nor loaded; the core recomputes them from the cravings.
const DERIVED: &[&str] = &["craving_day", "craving_day_stale"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The patient's own record, to read or import on a fresh install.
    Export,
    /// Everything, to restore this phone (inside an encrypted backup only).
    Backup,
}

pub type Row = Map<String, Value>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dump {
    pub format: String,
    pub format_version: u32,
    pub scope: Scope,
    pub schema_version: i64,
    pub exported_at_ms: i64,
    /// Table name → its rows, each a column → value object.
    pub tables: BTreeMap<String, Vec<Row>>,
}

impl Dump {
    pub fn rows(&self, table: &str) -> &[Row] {
        self.tables.get(table).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Reads every table in `scope`.
pub(crate) fn read(conn: &Connection, scope: Scope, now_ms: i64) -> Result<Dump> {
    let mut tables = BTreeMap::new();
    for table in table_names(conn)? {
        if scope == Scope::Export && DEVICE_ONLY.contains(&table.as_str())
            || DERIVED.contains(&table.as_str())
        {
            continue;
        }
        tables.insert(table.clone(), read_table(conn, &table)?);
    }
    Ok(Dump {
        format: FORMAT.to_string(),
        format_version: FORMAT_VERSION,
        scope,
        schema_version: SCHEMA_VERSION,
        exported_at_ms: now_ms,
        tables,
    })
}

/// Parses and checks a dump's envelope; rows are checked while loading.
pub(crate) fn parse(field: &str, json: &[u8]) -> Result<Dump> {
    let dump: Dump = serde_json::from_slice(json).map_err(|e| {
        Error::invalid(
            field,
            format!(
                "not a Steady export (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    if dump.format != FORMAT || dump.format_version != FORMAT_VERSION {
        return Err(Error::invalid(
            field,
            format!("format must be {FORMAT} version {FORMAT_VERSION}"),
        ));
    }
    if dump.schema_version > SCHEMA_VERSION {
        return Err(Error::DatabaseTooNew {
            found: dump.schema_version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(dump)
}

/// Inserts every row of `dump` into the (empty) tables of `conn`. Unknown
/// tables or columns are refused by name; the caller's transaction makes it
/// all or nothing.
pub(crate) fn load(conn: &Connection, dump: &Dump) -> Result<()> {
    let known = table_names(conn)?;
    // Rows reference each other (attendance → session series); the check
    // runs at commit, when every table is in.
    conn.pragma_update(None, "defer_foreign_keys", true)?;
    for (table, rows) in &dump.tables {
        if DERIVED.contains(&table.as_str()) {
            continue;
        }
        if !known.contains(table) {
            return Err(Error::invalid(
                &format!("tables.{table}"),
                "is not a table of this version of Steady",
            ));
        }
        if FILLED_ON_OPEN.contains(&table.as_str()) && !rows.is_empty() {
            conn.execute(&format!("DELETE FROM \"{table}\""), [])?;
        }
        let columns = column_names(conn, table)?;
        for (index, row) in rows.iter().enumerate() {
            let field = format!("tables.{table}[{index}]");
            let mut names = Vec::with_capacity(row.len());
            let mut values = Vec::with_capacity(row.len());
            for (column, value) in row {
                if !columns.contains(column) {
                    return Err(Error::invalid(
                        &field,
                        format!("{column} is not a column of {table}"),
                    ));
                }
                names.push(format!("\"{column}\""));
                values.push(sql_value(&field, column, value)?);
            }
            let marks = (1..=values.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ");
            conn.execute(
                &format!(
                    "INSERT INTO \"{table}\" ({}) VALUES ({marks})",
                    names.join(", ")
                ),
                params_from_iter(values),
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _) => {
                    Error::invalid(&field, format!("refused by the database ({:?})", f.code))
                }
                other => other.into(),
            })?;
        }
    }
    Ok(())
}

/// True when no table that `dump` would fill holds a row yet.
pub(crate) fn is_empty(conn: &Connection, dump: &Dump) -> Result<bool> {
    let known = table_names(conn)?;
    for table in dump
        .tables
        .keys()
        .filter(|t| known.contains(t) && !FILLED_ON_OPEN.contains(&t.as_str()))
    {
        let count: i64 = conn.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
            r.get(0)
        })?;
        if count > 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

fn table_names(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         ORDER BY name",
    )?;
    let names = stmt
        .query_map([], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(names)
}

fn column_names(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?;
    let names = stmt
        .query_map([], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(names)
}

fn read_table(conn: &Connection, table: &str) -> Result<Vec<Row>> {
    let columns = column_names(conn, table)?;
    // rowid order is insertion order for tables without an integer key, and
    // key order for those with one: stable across export and import.
    let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut object = Map::new();
        for (i, column) in columns.iter().enumerate() {
            let value = match row.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::from(n),
                ValueRef::Real(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
                ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(_) => {
                    return Err(Error::Corrupt(format!("{table}.{column} holds bytes")))
                }
            };
            object.insert(column.clone(), value);
        }
        out.push(object);
    }
    Ok(out)
}

fn sql_value(field: &str, column: &str, value: &Value) -> Result<SqlValue> {
    Ok(match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => SqlValue::Integer(i),
            (None, Some(f)) => SqlValue::Real(f),
            _ => return Err(Error::invalid(field, format!("{column} is out of range"))),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        Value::Array(_) | Value::Object(_) => {
            return Err(Error::invalid(
                field,
                format!("{column} must be a number, text or null"),
            ))
        }
    })
}
