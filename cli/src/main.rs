//! `steady`: the desktop shell over Steady's core, for scripting and demos.
//! Every command prints either readable text or, with `--json`, one stable
//! JSON document (see docs/cli.md). Errors go to stderr with a non-zero exit.

mod attendance;
mod checkins;
mod consent;
mod context;
mod coping;
mod cravings;
mod crisis;
mod export;
mod init;
mod lapses;
mod messages;
mod output;
mod progress;
mod questionnaires;
mod reminders;
mod schedule;
mod screens;
mod sync;

use clap::{Parser, Subcommand};
use context::Context;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "steady",
    version,
    about = "Steady: a companion for intensive outpatient treatment"
)]
pub struct Cli {
    /// The encrypted database file.
    #[arg(long, global = true, env = "STEADY_DB")]
    db: Option<std::path::PathBuf>,
    /// The file holding the 32-byte database key (created by `init`, mode 0600).
    #[arg(long, global = true, env = "STEADY_KEY_FILE")]
    key_file: Option<std::path::PathBuf>,
    /// IANA time zone of "now" (default: this machine's zone).
    #[arg(long, global = true)]
    tz: Option<String>,
    /// Fixed current instant, RFC 3339 (default: the system clock).
    #[arg(long, global = true)]
    now: Option<String>,
    /// Print one JSON document instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the encrypted database and its key file.
    Init {
        /// When the database file is damaged or not a Steady database, rename
        /// it aside (kept untouched as DB.damaged-TIME) and start a new one.
        #[arg(long)]
        set_aside_damaged: bool,
    },
    /// Log, list and delete cravings.
    #[command(subcommand)]
    Craving(cravings::CravingCommand),
    /// The home screen: next session, doses due, check-in, sober time, trend.
    Today,
    /// Every progress figure, from the program start or --since.
    Progress(progress::ProgressArgs),
    /// Where the time-zone rules come from (the system's tz database) and its release.
    Zones,
    /// Show or set the program settings progress is measured against.
    #[command(subcommand)]
    Program(progress::ProgramCommand),
    /// Import the clinic calendar and list sessions.
    #[command(subcommand)]
    Schedule(schedule::ScheduleCommand),
    /// Add and list medication plans.
    #[command(subcommand)]
    Med(schedule::MedCommand),
    /// The reminders a phone would hold now.
    Reminders(reminders::RemindersArgs),
    /// Record attendance for a session occurrence.
    Attend(attendance::AttendArgs),
    /// Confirm a dose: taken, skipped or late.
    Dose(attendance::DoseArgs),
    /// Record lapses and the substances the program tracks.
    #[command(subcommand)]
    Lapse(lapses::LapseCommand),
    /// The daily check-in.
    #[command(subcommand)]
    Checkin(checkins::CheckinCommand),
    /// PHQ-9, GAD-7 and clinic questionnaires.
    #[command(subcommand)]
    Questionnaire(questionnaires::QuestionnaireCommand),
    /// Show and edit the coping plan.
    #[command(subcommand)]
    Coping(coping::CopingCommand),
    /// The crisis card: crisis lines and your support contacts.
    Crisis,
    /// Enroll with a clinic using the one-time code it gave you.
    Enroll {
        code: String,
        /// The clinic server's address, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        server: String,
        /// A name the clinic sees for this device.
        #[arg(long)]
        device_name: Option<String>,
    },
    /// Grant, revoke and show consent to share with the clinic.
    #[command(subcommand)]
    Consent(consent::ConsentCommand),
    /// Share consented records with the clinic and receive its updates.
    Sync,
    /// Export the whole record as FHIR R4, CSV or JSON (not encrypted).
    Export(export::ExportArgs),
    /// Write an encrypted backup of the whole database.
    Backup(export::BackupArgs),
    /// Restore an encrypted backup (new machine, or a lost key file).
    Restore(export::RestoreArgs),
    /// Import a JSON export into a fresh database.
    Import(export::ImportArgs),
    /// What a phone screen shows, as the core decides it (JSON).
    #[command(subcommand)]
    Screen(screens::ScreenCommand),
    /// Messages with your care team (not for emergencies).
    #[command(subcommand)]
    Message(messages::MessageCommand),
    /// The clinic's own records about you: verified attendance, drug screens.
    #[command(subcommand)]
    Clinic(messages::ClinicCommand),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return output::usage_error(&error),
    };
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            output::error(json, &error);
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), context::CliError> {
    let ctx = Context::from_cli(&cli)?;
    match cli.command {
        Command::Init { set_aside_damaged } => init::init(&ctx, set_aside_damaged),
        Command::Craving(command) => cravings::run(&ctx, command),
        Command::Today => progress::today(&ctx),
        Command::Zones => reminders::zones(&ctx),
        Command::Progress(args) => progress::progress(&ctx, args),
        Command::Program(command) => progress::program(&ctx, command),
        Command::Schedule(command) => schedule::run(&ctx, command),
        Command::Med(command) => schedule::run_med(&ctx, command),
        Command::Reminders(args) => reminders::run(&ctx, args),
        Command::Attend(args) => attendance::attend(&ctx, args),
        Command::Dose(args) => attendance::dose(&ctx, args),
        Command::Lapse(command) => lapses::run(&ctx, command),
        Command::Message(command) => messages::run(&ctx, command),
        Command::Clinic(command) => messages::run_clinic(&ctx, command),
        Command::Checkin(command) => checkins::run(&ctx, command),
        Command::Questionnaire(command) => questionnaires::run(&ctx, command),
        Command::Coping(command) => coping::run(&ctx, command),
        Command::Crisis => crisis::run(&ctx),
        Command::Enroll {
            code,
            server,
            device_name,
        } => sync::enroll(&ctx, &code, &server, device_name),
        Command::Consent(command) => consent::run(&ctx, command),
        Command::Sync => sync::sync(&ctx),
        Command::Export(args) => export::export(&ctx, args),
        Command::Backup(args) => export::backup(&ctx, args),
        Command::Restore(args) => export::restore(&ctx, args),
        Command::Import(args) => export::import(&ctx, args),
        Command::Screen(command) => screens::run(&ctx, command),
    }
}
