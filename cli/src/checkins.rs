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
        /// What was used, with `--used yes` (repeat for several). Without it a
        /// use counts against every tracked substance.
        #[arg(long = "substance")]
        substances: Vec<String>,
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
            substances,
            mood,
            craving,
            sleep,
            medication,
            note,
            date,
        } => {
            let checkin = steady.record_daily_checkin(NewDailyCheckIn {
                used_today: used.into(),
                substances,
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
                let mut text = format!("{verb} the check-in for {}", checkin.local_date);
                if checkin.used_today {
                    text.push_str(&if checkin.substances.is_empty() {
                        "\nCounted as use of every substance you track; name it with \
                         --substance to count it for that one only."
                            .to_string()
                    } else {
                        format!("\nCounted as use of {}.", checkin.substances.join(", "))
                    });
                }
                text
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
                            match (c.used_today, c.substances.is_empty()) {
                                (false, _) => "no".to_string(),
                                (true, true) => "yes".to_string(),
                                (true, false) => format!("yes ({})", c.substances.join(", ")),
                            },
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
