//! `steady today`, `steady progress` and `steady program`: the home screen,
//! the full progress report and the settings progress is measured against.

use crate::context::{CliError, Context};
use crate::output;
use clap::{Args, Subcommand};
use steady_core::progress::{
    AttendanceWeek, CravingStats, PriorUse, ProgramSettings, SoberTime, SobrietyDate,
};
use steady_core::screens::Today;
use steady_core::ProgressReport;

#[derive(Args)]
pub struct ProgressArgs {
    /// First day of the report, YYYY-MM-DD (default: the program start).
    #[arg(long)]
    since: Option<String>,
}

#[derive(Subcommand)]
pub enum ProgramCommand {
    /// Show the program settings.
    Show,
    /// Replace the program settings (unset flags are cleared).
    Set {
        /// Program start date, YYYY-MM-DD.
        #[arg(long)]
        start: Option<String>,
        /// Planned session hours a week, e.g. 9.
        #[arg(long)]
        weekly_hours: Option<f64>,
        /// A back-dated first sober day: DATE for all substances or
        /// SUBSTANCE=DATE; repeatable.
        #[arg(long = "sober-since")]
        sober_since: Vec<String>,
        /// Imported history is complete from this date.
        #[arg(long)]
        history_from: Option<String>,
        /// A day of use from imported history: DATE or DATE=SUBSTANCE[,...];
        /// repeatable.
        #[arg(long = "prior-use")]
        prior_use: Vec<String>,
    },
}

pub fn today(ctx: &Context) -> Result<(), CliError> {
    let steady = ctx.open()?;
    let today = steady.today()?;
    let mut doc = serde_json::to_value(&today)
        .map_err(|e| CliError::Io(format!("cannot encode output: {e}")))?;
    // Instants also in UTC and in the clinic's local time, as elsewhere.
    if let (Some(session), Some(next)) = (&today.next_session, doc.get_mut("next_session")) {
        next["start_at"] = output::utc_rfc3339(session.start_ms).into();
        next["local"] = output::local_rfc3339(session.start_ms, &session.time_zone).into();
    }
    output::print(ctx.json, &doc, || today_text(&today));
    Ok(())
}

pub fn progress(ctx: &Context, args: ProgressArgs) -> Result<(), CliError> {
    let steady = ctx.open()?;
    let progress = steady.progress(args.since.as_deref())?;
    output::print(ctx.json, &progress, || progress_text(&progress));
    Ok(())
}

pub fn program(ctx: &Context, command: ProgramCommand) -> Result<(), CliError> {
    let steady = ctx.open()?;
    let settings = match command {
        ProgramCommand::Show => steady.program_settings()?,
        ProgramCommand::Set {
            start,
            weekly_hours,
            sober_since,
            history_from,
            prior_use,
        } => steady.set_program_settings(ProgramSettings {
            program_start_date: start,
            weekly_program_hours: weekly_hours,
            sobriety_dates: sober_since.iter().map(|s| sobriety_date(s)).collect(),
            history_known_from: history_from,
            prior_uses: prior_use.iter().map(|s| prior_use_day(s)).collect(),
        })?,
    };
    output::print(ctx.json, &settings, || {
        format!(
            "Program start: {}\nWeekly hours: {}\nSobriety dates: {}\nImported history: {}",
            settings
                .program_start_date
                .as_deref()
                .unwrap_or("(first record)"),
            settings
                .weekly_program_hours
                .map_or("(not set)".to_string(), |h| h.to_string()),
            if settings.sobriety_dates.is_empty() {
                "(none)".to_string()
            } else {
                settings
                    .sobriety_dates
                    .iter()
                    .map(|d| match &d.substance {
                        Some(s) => format!("{s} since {}", d.first_sober_date),
                        None => format!("all since {}", d.first_sober_date),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            match &settings.history_known_from {
                Some(from) => format!("from {from}, {} days of use", settings.prior_uses.len()),
                None => "(none)".to_string(),
            }
        )
    });
    Ok(())
}

/// `DATE` or `SUBSTANCE=DATE`; the core validates both parts.
fn sobriety_date(arg: &str) -> SobrietyDate {
    match arg.split_once('=') {
        Some((substance, date)) => SobrietyDate {
            substance: Some(substance.to_string()),
            first_sober_date: date.to_string(),
        },
        None => SobrietyDate {
            substance: None,
            first_sober_date: arg.to_string(),
        },
    }
}

/// `DATE` or `DATE=SUBSTANCE[,SUBSTANCE...]`.
fn prior_use_day(arg: &str) -> PriorUse {
    let (date, substances) = arg.split_once('=').unwrap_or((arg, ""));
    PriorUse {
        local_date: date.to_string(),
        substances: substances
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
            .collect(),
    }
}

fn sober_line(sober: &SoberTime) -> String {
    let days = |n: u32| output::count(n, "day");
    format!(
        "{} (longest {}; {} of {} program days sober); next milestone {} in {}",
        days(sober.days_since_last_use),
        days(sober.longest_streak_days),
        sober.sober_days_in_program,
        sober.days_in_program,
        days(sober.next_milestone_days),
        days(sober.days_to_next_milestone),
    )
}

fn today_text(today: &Today) -> String {
    let mut lines = vec![format!("Today {} ({})", today.date, today.time_zone)];
    lines.push(match &today.next_session {
        Some(s) => format!(
            "Next session: {} at {}  [{}]",
            s.title,
            output::local_rfc3339(s.start_ms, &s.time_zone),
            s.id
        ),
        None => "Next session: none scheduled".to_string(),
    });
    if today.doses_due_now.is_empty() {
        lines.push("Doses due now: none".to_string());
    }
    for dose in &today.doses_due_now {
        lines.push(format!("Dose due: {} at {}", dose.name, dose.due_local));
    }
    lines.push(format!(
        "Daily check-in: {}",
        if today.checkin_due { "due" } else { "done" }
    ));
    lines.push(format!("Sober: {}", sober_line(&today.sober)));
    lines.push(format!("Craving trend: {}", label(&today.craving_trend)));
    let coping: Vec<&str> = today
        .coping_shortcuts
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    lines.push(format!("Coping plan: {}", coping.join(", ")));
    for line in &today.crisis_card.lines {
        lines.push(format!("Crisis: {} — call {}", line.name, line.call));
    }
    lines.join("\n")
}

fn progress_text(p: &ProgressReport) -> String {
    let mut lines = vec![format!(
        "Progress {} to {} (program started {})",
        p.period_start, p.as_of_date, p.program_start
    )];
    lines.push(format!("Sober: {}", sober_line(&p.sober)));
    for s in &p.sober_by_substance {
        lines.push(format!(
            "  {}: {}",
            s.substance.as_deref().unwrap_or("all"),
            sober_line(s)
        ));
    }
    let a = &p.attendance;
    lines.push(format!(
        "Attendance: {} attended, {} late, {} missed, {} excused, {} unconfirmed ({}); {}; {} in a row on plan",
        a.overall.attended,
        a.overall.late,
        a.overall.missed,
        a.overall.excused,
        a.overall.unconfirmed,
        percent(a.overall.rate),
        output::hours(a.hours_attended),
        output::count(a.weeks_meeting_plan_in_a_row, "week")
    ));
    for week in a.weeks.iter().rev().take(4) {
        lines.push(week_line(week));
    }
    for m in &p.medications {
        lines.push(format!(
            "Medication {}: 7 days {}, 30 days {}, overall {}",
            m.name,
            percent(m.last_7_days.rate),
            percent(m.last_30_days.rate),
            percent(m.overall.rate)
        ));
    }
    lines.push(cravings_text(&p.cravings));
    lines.push(format!(
        "Daily check-ins: {} of {} days ({}; target {})",
        p.checkins.done,
        p.checkins.expected,
        percent(p.checkins.rate),
        percent(Some(p.checkins.target))
    ));
    lines.join("\n")
}

fn week_line(w: &AttendanceWeek) -> String {
    format!(
        "  week of {}: {} of {}, {}",
        w.week_start,
        output::hours(w.hours_attended),
        output::hours(w.hours_planned),
        label(&w.plan)
    )
}

fn cravings_text(c: &CravingStats) -> String {
    let triggers: Vec<String> = c
        .top_triggers
        .iter()
        .map(|t| {
            format!(
                "{} ({})",
                steady_core::craving::trigger_label(&t.trigger),
                t.count
            )
        })
        .collect();
    let coping: Vec<String> = c
        .coping
        .iter()
        .take(3)
        .map(|s| {
            format!(
                "{} ({} of {} passed)",
                steady_core::coping::strategy_name(&s.strategy),
                s.passed,
                s.with_outcome
            )
        })
        .collect();
    format!(
        "Cravings: {} (mean {}, peak {}); trend {}\n  top triggers: {}\n  coping that helped: {}",
        c.total,
        c.mean_intensity.map_or("-".to_string(), |m| m.to_string()),
        c.peak_intensity.map_or("-".to_string(), |m| m.to_string()),
        label(&c.trend),
        if triggers.is_empty() {
            "-".to_string()
        } else {
            triggers.join(", ")
        },
        if coping.is_empty() {
            "-".to_string()
        } else {
            coping.join(", ")
        },
    )
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or("-".to_string(), |r| format!("{:.0}%", r * 100.0))
}

/// The JSON name of an enum value (`not_met`), as text.
fn label<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}
