//! `steady checkin daily ...`: the daily check-in (a second one the same
//! day amends it).

use crate::context::{CliError, Context};
use crate::output;
use clap::{Subcommand, ValueEnum};
use steady_core::NewDailyCheckIn;

#[derive(Subcommand)]
pub enum CheckinCommand {
    /// Answer today's check-in (or a past day's with --date).
    Daily {
        /// Used today?
        #[arg(long, value_enum)]
        used: YesNo,
        /// Mood, 1 (very low) to 5 (very good).
        #[arg(long)]
        mood: u8,
        /// Strongest craving today, 0-10.
        #[arg(long)]
        craving: Option<u8>,
        /// Sleep quality, 1 (very poor) to 5 (very good).
        #[arg(long)]
        sleep: Option<u8>,
        /// Medication taken (leave out if you take none).
        #[arg(long, value_enum)]
        medication: Option<YesNo>,
        #[arg(long)]
        note: Option<String>,
        /// The local day answered for, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Show the check-in of a local day with every revision.
    Show {
        /// YYYY-MM-DD.
        date: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum YesNo {
    Yes,
    No,
}

impl From<YesNo> for bool {
    fn from(answer: YesNo) -> bool {
        matches!(answer, YesNo::Yes)
    }
}

pub fn run(ctx: &Context, command: CheckinCommand) -> Result<(), CliError> {
    let steady = ctx.open()?;
    match command {
        CheckinCommand::Daily {
            used,
            mood,
            craving,
            sleep,
            medication,
            note,
            date,
        } => {
            let checkin = steady.record_daily_checkin(NewDailyCheckIn {
                used_today: used.into(),
                mood,
                strongest_craving: craving,
                sleep_quality: sleep,
                medication_taken: medication.map(Into::into),
                note,
                local_date: date,
            })?;
            output::print(ctx.json, &checkin, || {
                let verb = if checkin.revision > 1 {
                    "Updated"
                } else {
                    "Recorded"
                };
                format!("{verb} the check-in for {}", checkin.local_date)
            });
        }
        CheckinCommand::Show { date } => {
            let history = steady.daily_checkin_history(&date)?;
            output::print(ctx.json, &history, || {
                history
                    .iter()
                    .map(|c| {
                        format!(
                            "{} revision {}: used {}, mood {}/5",
                            c.local_date,
                            c.revision,
                            if c.used_today { "yes" } else { "no" },
                            c.mood
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
