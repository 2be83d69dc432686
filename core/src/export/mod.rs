//! The patient's record is theirs (docs/export.md): a plain export as FHIR R4,
//! CSV or JSON; an encrypted backup of the whole database that restores on a
//! new phone or after the Keystore/Keychain lost the database key; and import
//! of Steady's own JSON export on a fresh install.
//!
//! A plain export leaves treatment records readable wherever it is saved, so
//! every plain export carries [`PLAIN_EXPORT_WARNING`] and points to the
//! encrypted backup first.

mod backup;
pub mod csv;
mod dump;
pub mod fhir;
mod fields;
pub mod records;

pub use backup::{LANES, MEMORY_KIB, MIN_PASSPHRASE_CHARS, PASSES};
pub use dump::{Dump, Scope, FORMAT, FORMAT_VERSION};
pub use records::RecordSet;

use crate::clock::Clock;
use crate::{Error, Result, Steady, KEY_LEN};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Shown with every plain export, before it is saved or shared.
pub const PLAIN_EXPORT_WARNING: &str = "This export is not encrypted: anyone who can open the \
place where you save or share it can read your treatment records. To keep or move your record \
safely, make an encrypted backup instead, locked with a passphrase only you know.";

/// What the shell offers first, before a plain export.
pub const SAFER_OPTION: &str = "encrypted_backup";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ExportFormat {
    /// One FHIR R4 document Bundle (JSON).
    Fhir,
    /// One CSV file per record kind.
    Csv,
    /// Steady's own JSON record, which [`Steady::import_record`] reads back.
    Json,
}

impl ExportFormat {
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        match text {
            "fhir" => Ok(ExportFormat::Fhir),
            "csv" => Ok(ExportFormat::Csv),
            "json" => Ok(ExportFormat::Json),
            _ => Err(Error::invalid(field, "must be fhir, csv or json")),
        }
    }
}

/// One file of an export, ready to save or share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExportFile {
    pub name: String,
    pub media_type: String,
    pub content: String,
}

/// A plain export: its files, the warning to show first, and the safer
/// option to offer before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PatientExport {
    pub format: ExportFormat,
    pub files: Vec<ExportFile>,
    pub warning: String,
    /// Always `encrypted_backup`: offer [`Steady::create_backup`] first.
    pub safer_option: String,
}

/// What an import or a restore brought in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RecordRestored {
    pub tables: u32,
    pub rows: u32,
    /// When the export or backup was made (Unix ms).
    pub made_at_ms: i64,
}

impl RecordRestored {
    fn of(dump: &Dump) -> Self {
        RecordRestored {
            tables: dump.tables.len() as u32,
            rows: dump.tables.values().map(Vec::len).sum::<usize>() as u32,
            made_at_ms: dump.exported_at_ms,
        }
    }
}

impl Steady {
    /// The patient's whole record in `format`, with the plain-export warning.
    pub fn export_record(&self, format: ExportFormat) -> Result<PatientExport> {
        let now_ms = self.now().timestamp_millis();
        let dump = self.read(|conn| dump::read(conn, Scope::Export, now_ms))?;
        let stamp = self.now().format("%Y%m%d-%H%M%S");
        let files = match format {
            ExportFormat::Json => vec![ExportFile {
                name: format!("steady-record-{stamp}.json"),
                media_type: "application/json".into(),
                content: to_json(&dump)?,
            }],
            ExportFormat::Fhir => {
                let set = records::from_dump(&dump);
                let context = fhir::BundleContext {
                    patient_id: "patient".into(),
                    patient_name: patient_name(&set),
                    generated_at_ms: now_ms,
                    time_zone: self.zone()?.name().to_string(),
                    disclosure: None,
                };
                vec![ExportFile {
                    name: format!("steady-record-{stamp}.fhir.json"),
                    media_type: "application/fhir+json".into(),
                    content: to_json(&fhir::bundle(&set, &context))?,
                }]
            }
            ExportFormat::Csv => csv::files(&records::from_dump(&dump))?
                .into_iter()
                .map(|file| ExportFile {
                    name: file.name,
                    media_type: "text/csv; charset=utf-8".into(),
                    content: file.content,
                })
                .collect(),
        };
        Ok(PatientExport {
            format,
            files,
            warning: PLAIN_EXPORT_WARNING.into(),
            safer_option: SAFER_OPTION.into(),
        })
    }

    /// The whole database, encrypted with a key derived from `passphrase`.
    pub fn create_backup(&self, passphrase: &str) -> Result<Vec<u8>> {
        backup::check_passphrase(passphrase)?;
        let now_ms = self.now().timestamp_millis();
        let dump = self.read(|conn| dump::read(conn, Scope::Backup, now_ms))?;
        backup::seal(&dump, passphrase)
    }

    /// Reads a JSON export made by Steady into this database, which must hold
    /// no records yet (a fresh install). All or nothing.
    pub fn import_record(&self, json: &[u8]) -> Result<RecordRestored> {
        let dump = dump::parse("export", json)?;
        if dump.scope != Scope::Export {
            return Err(Error::invalid("export", "is not a Steady export"));
        }
        self.write(|tx| {
            if !dump::is_empty(tx, &dump)? {
                return Err(Error::invalid(
                    "export",
                    "this phone already holds records; import into a fresh install",
                ));
            }
            dump::load(tx, &dump)
        })?;
        Ok(RecordRestored::of(&dump))
    }

    /// Restores an encrypted backup into a database at `path` opened with
    /// `key` (a new phone, or a new key after the Keystore/Keychain lost the
    /// old one), replacing whatever is there. A wrong passphrase or a damaged
    /// file is refused before anything is written.
    pub fn restore_backup(
        path: impl AsRef<Path>,
        key: &[u8],
        clock: Arc<dyn Clock>,
        backup: &[u8],
        passphrase: &str,
    ) -> Result<(Steady, RecordRestored)> {
        if key.len() != KEY_LEN {
            return Err(Error::invalid(
                "key",
                format!("{} bytes; the database key is {KEY_LEN} bytes", key.len()),
            ));
        }
        let dump = backup::open(backup, passphrase)?;
        let path = path.as_ref();
        let staging = sibling(path, "restoring");
        remove_database(&staging)?;
        let staged = stage(&staging, key, clock.clone(), &dump);
        if let Err(e) = staged {
            remove_database(&staging)?;
            return Err(e);
        }
        remove_database(path)?;
        std::fs::rename(&staging, path).map_err(|e| {
            Error::invalid(
                "path",
                format!("cannot place the restored database: {}", e.kind()),
            )
        })?;
        remove_database(&staging)?;
        let steady = Steady::open(path, key, clock)?;
        Ok((steady, RecordRestored::of(&dump)))
    }
}

/// Builds the restored database beside the real one, fully written and
/// checkpointed before it replaces anything.
fn stage(staging: &Path, key: &[u8], clock: Arc<dyn Clock>, dump: &Dump) -> Result<()> {
    let staged = Steady::open(staging, key, clock)?;
    let now_ms = staged.now().timestamp_millis();
    staged.write(|tx| {
        dump::load(tx, dump)?;
        crate::sync::note_restore(tx, dump.exported_at_ms, now_ms)
    })?;
    staged.read(|conn| {
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    })?;
    staged.close();
    Ok(())
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{suffix}"));
    PathBuf::from(name)
}

/// Removes a database file and its WAL and shared-memory files.
fn remove_database(path: &Path) -> Result<()> {
    let companions = ["-wal", "-shm"].map(|suffix| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    });
    for file in std::iter::once(path.to_path_buf()).chain(companions) {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::invalid(
                    "path",
                    format!("cannot replace the database: {}", e.kind()),
                ))
            }
        }
    }
    Ok(())
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value)
        .map_err(|_| Error::Corrupt("the export could not be written as JSON".into()))
}

/// The name the patient signs consents with, the latest one.
fn patient_name(set: &RecordSet) -> Option<String> {
    set.of(records::CONSENT)
        .iter()
        .max_by_key(|c| fields::int(c, "signed_at_ms"))
        .and_then(|c| fields::text(c, "discloser"))
        .map(str::to_string)
}

#[cfg(test)]
mod tests;
