//! `steady schedule ...` and `steady med ...`: import a clinic calendar, list
//! upcoming sessions, add and list medication plans.

use crate::context::{CliError, Context};
use crate::output;
use chrono::Duration;
use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;
use steady_core::{Medication, NewMedication, SessionOccurrence, Weekday};

#[derive(Subcommand)]
pub enum ScheduleCommand {
    /// Import a clinic calendar (.ics); re-importing updates by UID.
    Import { file: PathBuf },
    /// List session occurrences from today on (phone's zone).
    List {
        /// How many days, today included (default 7).
        #[arg(long, default_value_t = 7)]
        days: i64,
    },
}

#[derive(Subcommand)]
pub enum MedCommand {
    /// Add a medication plan.
    Add {
        name: String,
        /// Times of day, HH:MM[,HH:MM...].
        #[arg(long, value_delimiter = ',', required = true)]
        times: Vec<String>,
        /// Weekdays, mon,tue,... (default: every day).
        #[arg(long, value_delimiter = ',')]
        days: Vec<String>,
        /// Dose text, e.g. "50 mg".
        #[arg(long)]
        dose: Option<String>,
        /// First day YYYY-MM-DD (default: today).
        #[arg(long)]
        start: Option<String>,
        /// Last day YYYY-MM-DD (default: open-ended).
        #[arg(long)]
        end: Option<String>,
    },
    /// List medication plans.
    List,
}

/// A session occurrence as the CLI prints it in JSON.
#[derive(Serialize)]
struct OccurrenceView<'a> {
    id: &'a str,
    series_id: &'a str,
    kind: steady_core::SessionKind,
    title: &'a str,
    location: Option<&'a str>,
    video_url: Option<&'a str>,
    start: String,
    local: String,
    time_zone: &'a str,
    duration_min: u32,
    moved: bool,
    status: steady_core::OccurrenceStatus,
}

fn occurrence_view(o: &SessionOccurrence) -> OccurrenceView<'_> {
    OccurrenceView {
        id: &o.id,
        series_id: &o.series_id,
        kind: o.kind,
        title: &o.title,
        location: o.location.as_deref(),
        video_url: o.video_url.as_deref(),
        start: output::utc_rfc3339(o.start_ms),
        local: output::local_rfc3339(o.start_ms, &o.time_zone),
        time_zone: &o.time_zone,
        duration_min: o.duration_min,
        moved: o.moved,
        status: o.status,
    }
}

pub fn run(ctx: &Context, command: ScheduleCommand) -> Result<(), CliError> {
    let steady = ctx.open()?;
    match command {
        ScheduleCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| CliError::Io(format!("cannot read {}: {e}", file.display())))?;
            let summary = steady.import_calendar(&text)?;
            output::print(ctx.json, &summary, || {
                let mut text = format!(
                    "Imported {}: {} added, {} updated, {} cancelled, {} skipped",
                    file.display(),
                    summary.added,
                    summary.updated,
                    summary.cancelled,
                    summary.skipped.len()
                );
                for skip in &summary.skipped {
                    text.push_str(&format!(
                        "\n  skipped line {} {}{}: {}",
                        skip.line,
                        skip.component,
                        skip.uid
                            .as_deref()
                            .map(|uid| format!(" (UID {uid})"))
                            .unwrap_or_default(),
                        skip.reason
                    ));
                }
                text
            });
        }
        ScheduleCommand::List { days } => {
            if !(1..=366).contains(&days) {
                return Err(CliError::Usage("invalid --days: must be 1 to 366".into()));
            }
            let today = steady.now().with_timezone(&steady.zone()?).date_naive();
            let occurrences = steady.occurrences(today, today + Duration::days(days - 1))?;
            let views: Vec<_> = occurrences.iter().map(occurrence_view).collect();
            output::print(ctx.json, &views, || {
                if views.is_empty() {
                    return "No sessions in this period.".to_string();
                }
                views
                    .iter()
                    .map(|v| {
                        format!(
                            "{}  {:>3} min  {:<12} {}  [{}]  {}",
                            v.local,
                            v.duration_min,
                            format!("{:?}", v.status).to_lowercase(),
                            v.title,
                            v.kind.as_str(),
                            v.id
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

fn medication_text(m: &Medication) -> String {
    let days = if m.weekdays.is_empty() {
        "every day".to_string()
    } else {
        m.weekdays
            .iter()
            .map(|d| format!("{d:?}").to_lowercase())
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(
        "{}  {}{} at {} ({days}, from {})",
        m.id,
        m.name,
        m.dose.as_ref().map(|d| format!(" {d}")).unwrap_or_default(),
        m.times.join(", "),
        m.start_date
    )
}

pub fn run_med(ctx: &Context, command: MedCommand) -> Result<(), CliError> {
    let steady = ctx.open()?;
    match command {
        MedCommand::Add {
            name,
            times,
            days,
            dose,
            start,
            end,
        } => {
            let weekdays = days
                .iter()
                .map(|d| {
                    Weekday::parse(d).ok_or_else(|| {
                        CliError::Usage(format!("invalid --days: {d:?} is not a weekday"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let medication = steady.add_medication(NewMedication {
                name,
                dose,
                times,
                weekdays,
                start_date: start,
                end_date: end,
            })?;
            output::print(ctx.json, &medication, || {
                format!("Added {}", medication_text(&medication))
            });
        }
        MedCommand::List => {
            let medications = steady.medications()?;
            output::print(ctx.json, &medications, || {
                if medications.is_empty() {
                    return "No medication plans.".to_string();
                }
                medications
                    .iter()
                    .map(medication_text)
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
