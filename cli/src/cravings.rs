//! `steady craving ...`: log, list and delete cravings.

use crate::context::{CliError, Context};
use crate::output;
use chrono::{DateTime, Duration};
use clap::Subcommand;
use serde::Serialize;
use steady_core::{Craving, NewCraving};

#[derive(Subcommand)]
pub enum CravingCommand {
    /// Log a craving of INTENSITY (0-10).
    Log {
        intensity: u8,
        #[arg(long)]
        note: Option<String>,
        /// When it happened, RFC 3339 (default: now).
        #[arg(long)]
        at: Option<String>,
    },
    /// List cravings, newest first.
    List {
        /// How many days back from now (default 30).
        #[arg(long, default_value_t = 30)]
        days: i64,
    },
    /// Delete a craving by id.
    Delete { id: String },
}

/// A craving as the CLI prints it in JSON.
#[derive(Serialize)]
struct CravingView<'a> {
    id: &'a str,
    intensity: u8,
    note: Option<&'a str>,
    occurred_at: String,
    local: String,
    time_zone: &'a str,
}

fn view(c: &Craving) -> CravingView<'_> {
    CravingView {
        id: &c.id,
        intensity: c.intensity,
        note: c.note.as_deref(),
        occurred_at: output::utc_rfc3339(c.occurred_at_ms),
        local: output::local_rfc3339(c.occurred_at_ms, &c.time_zone),
        time_zone: &c.time_zone,
    }
}

pub fn run(ctx: &Context, command: CravingCommand) -> Result<(), CliError> {
    let steady = ctx.open()?;
    match command {
        CravingCommand::Log {
            intensity,
            note,
            at,
        } => {
            let occurred_at_ms = at
                .map(|at| {
                    DateTime::parse_from_rfc3339(&at)
                        .map(|t| t.timestamp_millis())
                        .map_err(|e| CliError::Usage(format!("invalid --at: {e}")))
                })
                .transpose()?;
            let craving = steady.log_craving(NewCraving {
                intensity,
                note,
                occurred_at_ms,
                time_zone: None,
            })?;
            output::print(ctx.json, &view(&craving), || {
                format!(
                    "Logged craving {} (intensity {})",
                    craving.id, craving.intensity
                )
            });
        }
        CravingCommand::List { days } => {
            if days <= 0 {
                return Err(CliError::Usage("invalid --days: must be positive".into()));
            }
            let now = steady.now();
            let from = now - Duration::days(days);
            // Include cravings logged up to the tolerated clock drift ahead.
            let to = now + Duration::minutes(5);
            let cravings = steady.list_cravings(from.timestamp_millis(), to.timestamp_millis())?;
            let views: Vec<_> = cravings.iter().map(view).collect();
            output::print(ctx.json, &views, || {
                if cravings.is_empty() {
                    return "No cravings logged in this period.".to_string();
                }
                cravings
                    .iter()
                    .map(|c| {
                        format!(
                            "{}  {:>2}/10  {}{}",
                            output::local_rfc3339(c.occurred_at_ms, &c.time_zone),
                            c.intensity,
                            c.id,
                            c.note
                                .as_ref()
                                .map(|n| format!("  {n}"))
                                .unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        CravingCommand::Delete { id } => {
            steady.delete_craving(&id)?;
            output::print(ctx.json, &serde_json::json!({ "deleted": id }), || {
                format!("Deleted craving {id}")
            });
        }
    }
    Ok(())
}
