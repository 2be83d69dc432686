//! `steady init`: the key file and the encrypted database, or with
//! `--set-aside-damaged` a new database beside a damaged one kept untouched.

use crate::context::{self, CliError, Context};
use crate::output;
use std::fs;
use steady_core::{ErrorKind, Steady};

/// Creates the key file (0600, never overwritten) and the database. A
/// damaged or foreign database file is refused, or with `set_aside` renamed
/// aside (never changed or deleted) before a new database starts.
pub fn init(ctx: &Context, set_aside: bool) -> Result<(), CliError> {
    if let Some(parent) = ctx.db.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|e| CliError::Io(format!("cannot create {}: {e}", parent.display())))?;
    }
    let created_key = context::ensure_key(&ctx.key_file)?;
    let key = context::read_key(&ctx.key_file)?;
    let mut set_aside_as = None;
    let steady = match Steady::open(&ctx.db, &key, ctx.clock.clone()) {
        Err(e)
            if set_aside
                && matches!(
                    e.kind(),
                    ErrorKind::DatabaseDamaged | ErrorKind::NotSteadyDatabase
                ) =>
        {
            set_aside_as = Some(steady_core::set_aside_database(&ctx.db, ctx.clock.now())?);
            Steady::open(&ctx.db, &key, ctx.clock.clone())?
        }
        other => other?,
    };
    steady.close();
    output::print(
        ctx.json,
        &serde_json::json!({
            "db": ctx.db,
            "key_file": ctx.key_file,
            "created_key": created_key,
            "schema_version": steady_core::SCHEMA_VERSION,
            "set_aside_as": set_aside_as,
        }),
        || {
            let aside = set_aside_as
                .as_ref()
                .map(|p| format!("\nThe damaged file was kept, untouched, as {}", p.display()))
                .unwrap_or_default();
            format!(
                "Encrypted database ready at {} (key in {}{}){aside}",
                ctx.db.display(),
                ctx.key_file.display(),
                if created_key { ", new" } else { "" }
            )
        },
    );
    Ok(())
}
