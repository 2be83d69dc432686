//! `steady screen NAME`: the record a phone screen renders, exactly as the
//! core decides it (core/src/screens), so scripts and demos see what the
//! Android and iOS apps show. Printed as JSON (with or without `--json`).

use crate::context::{CliError, Context};
use crate::output;
use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use steady_core::screens::ProgressRange;
use steady_core::LocalDate;

#[derive(Subcommand)]
pub enum ScreenCommand {
    /// The home screen.
    Today,
    /// The Log a craving form's options.
    CravingForm,
    /// Today's check-in, questionnaires due, last scores.
    Checkins,
    /// A week of sessions and doses (the week holding --day, else this week).
    Week {
        /// Any day of the week, YYYY-MM-DD.
        #[arg(long)]
        day: Option<String>,
    },
    /// The progress report and its chart series.
    Progress {
        #[arg(long, value_enum, default_value = "program")]
        range: Range,
        /// With --range since: the first day, YYYY-MM-DD.
        #[arg(long)]
        since: Option<String>,
    },
    /// Enrollment, consents, what was shared, messages, sync state.
    Clinic,
    /// Notification text, lead times, quiet hours, program settings.
    Settings,
    /// Whether a sync runs, the last success and error, what waits and why.
    Sync,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Range {
    Week,
    Month,
    Program,
    Since,
}

fn date(field: &str, text: &str) -> Result<LocalDate, CliError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(LocalDate::new)
        .map_err(|_| CliError::Usage(format!("--{field}: expected a date YYYY-MM-DD")))
}

pub fn run(ctx: &Context, command: ScreenCommand) -> Result<(), CliError> {
    let steady = ctx.open()?;
    let doc = match command {
        ScreenCommand::Today => json(&steady.today()?),
        ScreenCommand::CravingForm => json(&steady.craving_form()?),
        ScreenCommand::Checkins => json(&steady.checkins_screen()?),
        ScreenCommand::Week { day } => {
            let day = day.map(|d| date("day", &d)).transpose()?;
            json(&steady.schedule_week(day)?)
        }
        ScreenCommand::Progress { range, since } => {
            let range = match (range, since) {
                (Range::Week, None) => ProgressRange::LastWeek,
                (Range::Month, None) => ProgressRange::LastMonth,
                (Range::Program, None) => ProgressRange::Program,
                (Range::Since, Some(since)) => ProgressRange::Since {
                    date: date("since", &since)?,
                },
                (Range::Since, None) => {
                    return Err(CliError::Usage("--range since needs --since".into()))
                }
                (_, Some(_)) => {
                    return Err(CliError::Usage("--since goes with --range since".into()))
                }
            };
            json(&steady.progress_screen(range)?)
        }
        ScreenCommand::Clinic => json(&steady.clinic_screen()?),
        ScreenCommand::Settings => json(&steady.settings_screen()?),
        ScreenCommand::Sync => json(&steady.sync_state()?),
    };
    output::print(true, &doc, String::new);
    Ok(())
}

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}
