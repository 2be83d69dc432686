//! `steady craving ...`: log (with optional details), amend, show history,
//! list and delete cravings.

use crate::context::{CliError, Context};
use crate::{crisis, output};
use chrono::DateTime;
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use steady_core::{
    Company, CopingStrategy, Craving, CravingAmendment, CravingLogged, CravingOutcome, CrisisCard,
    NewCraving, Place,
};

#[derive(Subcommand)]
pub enum CravingCommand {
    /// Log a craving of INTENSITY (0-10); every detail is optional.
    Log {
        intensity: u8,
        #[arg(long)]
        note: Option<String>,
        /// When it happened, RFC 3339 (default: now).
        #[arg(long)]
        at: Option<String>,
        #[command(flatten)]
        details: Details,
    },
    /// Add or change details of a craving; the earlier revision is kept.
    Amend {
        id: String,
        #[arg(long)]
        intensity: Option<u8>,
        /// New note ("" clears it).
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        at: Option<String>,
        #[command(flatten)]
        details: Details,
    },
    /// Every revision of a craving, oldest first.
    History { id: String },
    /// List cravings, newest first.
    List {
        /// How many days back from now (default 30).
        #[arg(long, default_value_t = 30)]
        days: i64,
    },
    /// Delete a craving by id.
    Delete { id: String },
}

/// The detail flags `log` and `amend` share. Repeat a list flag for several
/// values; on `amend` a given list replaces the stored one.
#[derive(Args)]
pub struct Details {
    /// A built-in trigger (hungry, angry, lonely, tired, stress, conflict,
    /// people, places, boredom, celebration, pain, withdrawal,
    /// seeing-substance) or your own tag.
    #[arg(long = "trigger")]
    triggers: Vec<String>,
    #[arg(long = "emotion")]
    emotions: Vec<String>,
    /// A coping strategy tried: a built-in key (urge-surfing, tipp, ...) or your own.
    #[arg(long = "coping")]
    coping: Vec<String>,
    #[arg(long = "substance")]
    substances: Vec<String>,
    #[arg(long, value_enum)]
    outcome: Option<OutcomeArg>,
    #[arg(long, value_enum)]
    company: Option<CompanyArg>,
    #[arg(long, value_enum)]
    place: Option<PlaceArg>,
    /// How long it lasted, in minutes.
    #[arg(long)]
    minutes: Option<u32>,
    /// You do not feel safe: shows the crisis card and flags the clinic.
    #[arg(long = "unsafe")]
    marked_unsafe: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutcomeArg {
    Passed,
    StillPresent,
    Used,
}

#[derive(Clone, Copy, ValueEnum)]
enum CompanyArg {
    Alone,
    WithOthers,
}

#[derive(Clone, Copy, ValueEnum)]
enum PlaceArg {
    Home,
    Work,
    Out,
}

impl From<OutcomeArg> for CravingOutcome {
    fn from(arg: OutcomeArg) -> Self {
        match arg {
            OutcomeArg::Passed => CravingOutcome::Passed,
            OutcomeArg::StillPresent => CravingOutcome::StillPresent,
            OutcomeArg::Used => CravingOutcome::Used,
        }
    }
}

impl From<CompanyArg> for Company {
    fn from(arg: CompanyArg) -> Self {
        match arg {
            CompanyArg::Alone => Company::Alone,
            CompanyArg::WithOthers => Company::WithOthers,
        }
    }
}

impl From<PlaceArg> for Place {
    fn from(arg: PlaceArg) -> Self {
        match arg {
            PlaceArg::Home => Place::Home,
            PlaceArg::Work => Place::Work,
            PlaceArg::Out => Place::Out,
        }
    }
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
    duration_minutes: Option<u32>,
    triggers: &'a [String],
    emotions: &'a [String],
    company: Option<Company>,
    place: Option<Place>,
    substances: &'a [String],
    coping_tried: &'a [String],
    outcome: Option<CravingOutcome>,
    marked_unsafe: bool,
    flagged_for_clinic: bool,
    revision: u32,
}

fn view(c: &Craving) -> CravingView<'_> {
    CravingView {
        id: &c.id,
        intensity: c.intensity,
        note: c.note.as_deref(),
        occurred_at: output::utc_rfc3339(c.occurred_at_ms),
        local: output::local_rfc3339(c.occurred_at_ms, &c.time_zone),
        time_zone: &c.time_zone,
        duration_minutes: c.duration_minutes,
        triggers: &c.triggers,
        emotions: &c.emotions,
        company: c.company,
        place: c.place,
        substances: &c.substances,
        coping_tried: &c.coping_tried,
        outcome: c.outcome,
        marked_unsafe: c.marked_unsafe,
        flagged_for_clinic: c.flagged_for_clinic,
        revision: c.revision,
    }
}

/// A logged or amended craving with its safety response.
#[derive(Serialize)]
struct LoggedView<'a> {
    #[serde(flatten)]
    craving: CravingView<'a>,
    crisis_card: Option<&'a CrisisCard>,
    strategies: &'a [CopingStrategy],
    offer_lapse: bool,
}

fn parse_at(at: Option<String>) -> Result<Option<i64>, CliError> {
    at.map(|at| {
        DateTime::parse_from_rfc3339(&at)
            .map(|t| t.timestamp_millis())
            .map_err(|e| CliError::Usage(format!("invalid --at: {e}")))
    })
    .transpose()
}

/// Keys are typed with dashes on the command line, stored with underscores.
fn keys(values: Vec<String>) -> Vec<String> {
    values.into_iter().map(|v| v.replace('-', "_")).collect()
}

fn print_logged(ctx: &Context, verb: &str, logged: &CravingLogged) {
    let view = LoggedView {
        craving: view(&logged.craving),
        crisis_card: logged.crisis_card.as_ref(),
        strategies: &logged.strategies,
        offer_lapse: logged.offer_lapse,
    };
    output::print(ctx.json, &view, || {
        let c = &logged.craving;
        let mut text = format!(
            "{verb} craving {} (intensity {}, revision {})",
            c.id, c.intensity, c.revision
        );
        // Not feeling safe comes first: the lines and the patient's people.
        if let Some(card) = &logged.crisis_card {
            text.push('\n');
            text.push_str(&crisis::text(card));
        }
        if logged.offer_lapse {
            text.push_str(
                "\nYou used. That is information, not failure, and your earlier progress \
                 still counts. Log it as a lapse so you can see what happened and what \
                 helped: steady lapse log --substance NAME",
            );
        }
        if !logged.strategies.is_empty() {
            text.push_str("\nThis is a strong craving. Strategies from your plan:");
            for s in &logged.strategies {
                text.push_str(&format!("\n  {}{}", s.name, output::helped(s.helped_count)));
                if let Some(caution) = &s.caution {
                    text.push_str(&format!("\n    Caution: {caution}"));
                }
            }
        }
        text
    });
}

pub fn run(ctx: &Context, command: CravingCommand) -> Result<(), CliError> {
    let steady = ctx.open()?;
    match command {
        CravingCommand::Log {
            intensity,
            note,
            at,
            details,
        } => {
            let logged = steady.log_craving_with_support(NewCraving {
                intensity,
                note,
                occurred_at_ms: parse_at(at)?,
                time_zone: None,
                duration_minutes: details.minutes,
                triggers: keys(details.triggers),
                emotions: details.emotions,
                company: details.company.map(Into::into),
                place: details.place.map(Into::into),
                substances: details.substances,
                coping_tried: keys(details.coping),
                outcome: details.outcome.map(Into::into),
                marked_unsafe: details.marked_unsafe,
            })?;
            print_logged(ctx, "Logged", &logged);
        }
        CravingCommand::Amend {
            id,
            intensity,
            note,
            at,
            details,
        } => {
            let list = |values: Vec<String>| (!values.is_empty()).then_some(values);
            let logged = steady.amend_craving(
                &id,
                CravingAmendment {
                    intensity,
                    note,
                    occurred_at_ms: parse_at(at)?,
                    time_zone: None,
                    duration_minutes: details.minutes,
                    triggers: list(keys(details.triggers)),
                    emotions: list(details.emotions),
                    company: details.company.map(Into::into),
                    place: details.place.map(Into::into),
                    substances: list(details.substances),
                    coping_tried: list(keys(details.coping)),
                    outcome: details.outcome.map(Into::into),
                    marked_unsafe: details.marked_unsafe.then_some(true),
                },
            )?;
            print_logged(ctx, "Amended", &logged);
        }
        CravingCommand::History { id } => {
            let history = steady.craving_history(&id)?;
            let views: Vec<_> = history.iter().map(view).collect();
            output::print(ctx.json, &views, || {
                history
                    .iter()
                    .map(|c| {
                        format!(
                            "revision {}: intensity {}, outcome {}, triggers [{}]",
                            c.revision,
                            c.intensity,
                            c.outcome
                                .map(|o| {
                                    serde_json::json!(o)
                                        .as_str()
                                        .unwrap_or("-")
                                        .replace('_', " ")
                                })
                                .unwrap_or_else(|| "-".into()),
                            c.triggers
                                .iter()
                                .map(|t| steady_core::craving::trigger_label(t))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        CravingCommand::List { days } => {
            let (from, to) = output::days_back(steady.now(), days)?;
            let cravings = steady.list_cravings(from, to)?;
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
