//! `steady export`, `steady backup`, `steady restore` and `steady import`:
//! the patient's record in open formats, and the encrypted backup that moves
//! it to a new machine or survives a lost key (docs/export.md).

use crate::context::{self, CliError, Context};
use crate::output;
use clap::{Args, ValueEnum};
use serde_json::json;
use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use steady_core::export::{LANES, MEMORY_KIB, PASSES};
use steady_core::{ExportFormat, Steady};

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Fhir,
    Csv,
    Json,
}

#[derive(Args)]
pub struct ExportArgs {
    /// fhir: one FHIR R4 Bundle; csv: one file per record kind; json: Steady's own record.
    #[arg(long, value_enum)]
    format: Format,
    /// The file to write (a directory for csv).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
pub struct PassphraseArgs {
    /// A file whose first line is the passphrase (not given on the command
    /// line, where other users could see it).
    #[arg(long, env = "STEADY_BACKUP_PASSPHRASE_FILE")]
    passphrase_file: PathBuf,
}

#[derive(Args)]
pub struct BackupArgs {
    /// The encrypted backup file to write.
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    passphrase: PassphraseArgs,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// The encrypted backup file.
    #[arg(long)]
    from: PathBuf,
    #[command(flatten)]
    passphrase: PassphraseArgs,
    /// Replace the database that is already there.
    #[arg(long)]
    replace: bool,
}

#[derive(Args)]
pub struct ImportArgs {
    /// A JSON export made by `steady export --format json`.
    #[arg(long)]
    from: PathBuf,
}

pub fn export(ctx: &Context, args: ExportArgs) -> Result<(), CliError> {
    let format = match args.format {
        Format::Fhir => ExportFormat::Fhir,
        Format::Csv => ExportFormat::Csv,
        Format::Json => ExportFormat::Json,
    };
    let steady = ctx.open()?;
    let export = steady.export_record(format)?;
    let mut written = Vec::new();
    if format == ExportFormat::Csv {
        fs::create_dir_all(&args.out)
            .map_err(|e| CliError::Io(format!("cannot create {}: {e}", args.out.display())))?;
        for file in &export.files {
            let path = args.out.join(&file.name);
            write_private(&path, file.content.as_bytes())?;
            written.push(path);
        }
    } else {
        write_private(&args.out, export.files[0].content.as_bytes())?;
        written.push(args.out.clone());
    }
    output::print(
        ctx.json,
        &json!({
            "format": export.format,
            "files": written,
            "warning": export.warning,
            "safer_option": export.safer_option,
            "safer_command": "steady backup --out FILE --passphrase-file FILE",
        }),
        || {
            format!(
                "Warning: {}\n  (steady backup --out FILE --passphrase-file FILE)\nWrote {}",
                export.warning,
                written
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
    );
    Ok(())
}

pub fn backup(ctx: &Context, args: BackupArgs) -> Result<(), CliError> {
    let passphrase = read_passphrase(&args.passphrase.passphrase_file)?;
    let steady = ctx.open()?;
    let bytes = steady.create_backup(&passphrase)?;
    write_private(&args.out, &bytes)?;
    output::print(
        ctx.json,
        &json!({
            "file": args.out,
            "bytes": bytes.len(),
            "key_derivation": {"algorithm": "argon2id", "memory_kib": MEMORY_KIB, "passes": PASSES, "lanes": LANES},
            "cipher": "XChaCha20-Poly1305",
        }),
        || {
            format!(
                "Encrypted backup written to {} ({} bytes). Keep the passphrase: without it the backup cannot be opened.",
                args.out.display(),
                bytes.len()
            )
        },
    );
    Ok(())
}

pub fn restore(ctx: &Context, args: RestoreArgs) -> Result<(), CliError> {
    let passphrase = read_passphrase(&args.passphrase.passphrase_file)?;
    let bytes = fs::read(&args.from)
        .map_err(|e| CliError::Io(format!("cannot read {}: {e}", args.from.display())))?;
    if ctx.db.exists() && !args.replace {
        return Err(CliError::Usage(format!(
            "a database already exists at {}; pass --replace to restore over it",
            ctx.db.display()
        )));
    }
    if let Some(parent) = ctx.db.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|e| CliError::Io(format!("cannot create {}: {e}", parent.display())))?;
    }
    // A lost key file is one reason to restore: a new key is made then, and
    // kept only if the restore succeeds.
    let new_key = !ctx.key_file.exists();
    let key_file = if new_key {
        let mut staged = ctx.key_file.clone().into_os_string();
        staged.push(".new");
        PathBuf::from(staged)
    } else {
        ctx.key_file.clone()
    };
    context::ensure_key(&key_file)?;
    let key = context::read_key(&key_file)?;
    let restored = Steady::restore_backup(&ctx.db, &key, ctx.clock.clone(), &bytes, &passphrase);
    let (steady, restored) = match restored {
        Ok(done) => done,
        Err(e) => {
            if new_key {
                let _ = fs::remove_file(&key_file);
            }
            return Err(e.into());
        }
    };
    if new_key {
        fs::rename(&key_file, &ctx.key_file)
            .map_err(|e| CliError::Io(format!("cannot place the new key file: {e}")))?;
    }
    steady.close();
    output::print(
        ctx.json,
        &json!({
            "db": ctx.db,
            "new_key": new_key,
            "tables": restored.tables,
            "rows": restored.rows,
            "backup_made_at": output::utc_rfc3339(restored.made_at_ms),
        }),
        || {
            format!(
                "Restored {} rows from the backup made {} into {}",
                restored.rows,
                output::utc_rfc3339(restored.made_at_ms),
                ctx.db.display()
            )
        },
    );
    Ok(())
}

pub fn import(ctx: &Context, args: ImportArgs) -> Result<(), CliError> {
    let bytes = fs::read(&args.from)
        .map_err(|e| CliError::Io(format!("cannot read {}: {e}", args.from.display())))?;
    let steady = ctx.open()?;
    let imported = steady.import_record(&bytes)?;
    output::print(
        ctx.json,
        &json!({"tables": imported.tables, "rows": imported.rows,
                "export_made_at": output::utc_rfc3339(imported.made_at_ms)}),
        || format!("Imported {} rows", imported.rows),
    );
    Ok(())
}

fn read_passphrase(path: &Path) -> Result<String, CliError> {
    let text = fs::read_to_string(path).map_err(|e| {
        CliError::Io(format!(
            "cannot read passphrase file {}: {e}",
            path.display()
        ))
    })?;
    Ok(text.lines().next().unwrap_or_default().to_string())
}

/// Health data on disk: readable by the patient's account only.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| CliError::Io(format!("cannot write {}: {e}", path.display())))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| CliError::Io(format!("cannot write {}: {e}", path.display())))
}
