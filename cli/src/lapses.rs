//! `steady lapse ...`: record a lapse (never punished), list lapses, and set
//! the substances the program tracks.

use crate::context::{CliError, Context};
use crate::{crisis, output};
use chrono::DateTime;
use clap::Subcommand;
use steady_core::NewLapse;

#[derive(Subcommand)]
pub enum LapseCommand {
    /// Record a lapse: when, what, how much, what triggered it, what helped.
    Log {
        /// When it happened, RFC 3339 (default: now).
        #[arg(long)]
        at: Option<String>,
        #[arg(long = "substance")]
        substances: Vec<String>,
        /// How much, in your words.
        #[arg(long)]
        amount: Option<String>,
        #[arg(long = "trigger")]
        triggers: Vec<String>,
        /// What helped afterwards.
        #[arg(long)]
        helped: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// You do not feel safe: shows the crisis card and flags the clinic.
        #[arg(long = "unsafe")]
        marked_unsafe: bool,
    },
    /// List lapses, newest first.
    List {
        #[arg(long, default_value_t = 365)]
        days: i64,
    },
    /// Show or set the substances the program tracks.
    Track {
        /// Replaces the tracked list when given.
        substances: Vec<String>,
    },
}

pub fn run(ctx: &Context, command: LapseCommand) -> Result<(), CliError> {
    let steady = ctx.open()?;
    match command {
        LapseCommand::Log {
            at,
            substances,
            amount,
            triggers,
            helped,
            note,
            marked_unsafe,
        } => {
            let occurred_at_ms = at
                .map(|at| {
                    DateTime::parse_from_rfc3339(&at)
                        .map(|t| t.timestamp_millis())
                        .map_err(|e| CliError::Usage(format!("invalid --at: {e}")))
                })
                .transpose()?;
            let logged = steady.log_lapse(NewLapse {
                occurred_at_ms,
                time_zone: None,
                substances,
                amount,
                triggers: triggers.into_iter().map(|t| t.replace('-', "_")).collect(),
                helped,
                note,
                marked_unsafe,
            })?;
            let json = serde_json::json!({
                "lapse": logged.lapse,
                "crisis_card": logged.crisis_card,
                "overdose_guidance": logged.overdose_guidance,
            });
            output::print(ctx.json, &json, || {
                let mut text = format!(
                    "Recorded lapse {} on {}. Thank you for logging it: it is information, \
                     and your earlier progress still counts.",
                    logged.lapse.id, logged.lapse.local_date
                );
                if let Some(card) = &logged.crisis_card {
                    text.push('\n');
                    text.push_str(&crisis::text(card));
                }
                if let Some(guidance) = &logged.overdose_guidance {
                    text.push_str(&format!("\nStay safe: {}", guidance.why));
                    for step in &guidance.steps {
                        text.push_str(&format!("\n  - {step}"));
                    }
                }
                text
            });
        }
        LapseCommand::List { days } => {
            let (from, to) = output::days_back(steady.now(), days)?;
            let lapses = steady.list_lapses(from, to)?;
            output::print(ctx.json, &lapses, || {
                if lapses.is_empty() {
                    return "No lapses recorded in this period.".to_string();
                }
                lapses
                    .iter()
                    .map(|l| format!("{}  {}  [{}]", l.local_date, l.id, l.substances.join(", ")))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        LapseCommand::Track { substances } => {
            let tracked = if substances.is_empty() {
                steady.tracked_substances()?
            } else {
                steady.set_tracked_substances(substances)?
            };
            output::print(ctx.json, &serde_json::json!({ "tracked": tracked }), || {
                format!("Tracked substances: {}", tracked.join(", "))
            });
        }
    }
    Ok(())
}
