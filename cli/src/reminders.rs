//! `steady reminders`: the local notifications a phone would hold now.

use crate::context::{CliError, Context};
use crate::output;
use clap::Args;
use serde::Serialize;
use steady_core::{Reminder, ReminderKind};

#[derive(Args)]
pub struct RemindersArgs {
    /// Horizon in days (default: the stored setting, 7).
    #[arg(long)]
    days: Option<u32>,
    /// Most reminders to hold (default: the stored setting, 60; at most 64).
    #[arg(long)]
    cap: Option<u32>,
    /// Name sessions and medications in the text (default: discreet).
    #[arg(long)]
    detailed: bool,
}

/// One reminder as `steady --json reminders` prints it (see docs/cli.md).
#[derive(Serialize)]
struct ReminderView<'a> {
    id: &'a str,
    fire_at: String,
    local: &'a str,
    time_zone: &'a str,
    kind: ReminderKind,
    title: &'a str,
    body: &'a str,
    priority: u8,
    subject_id: &'a str,
    snoozed: bool,
}

fn view(r: &Reminder) -> ReminderView<'_> {
    ReminderView {
        id: &r.id,
        fire_at: output::utc_rfc3339(r.fire_at_ms),
        local: &r.local,
        time_zone: &r.time_zone,
        kind: r.kind,
        title: &r.title,
        body: &r.body,
        priority: r.priority,
        subject_id: &r.subject_id,
        snoozed: r.snoozed,
    }
}

pub fn run(ctx: &Context, args: RemindersArgs) -> Result<(), CliError> {
    let steady = ctx.open()?;
    let mut settings = steady.reminder_settings()?;
    if let Some(days) = args.days {
        settings.horizon_days = days;
    }
    if let Some(cap) = args.cap {
        settings.cap = cap;
    }
    settings.detailed_text |= args.detailed;
    let reminders = steady.plan_reminders_with(settings)?;
    let views: Vec<_> = reminders.iter().map(view).collect();
    output::print(ctx.json, &views, || {
        if views.is_empty() {
            return "No reminders planned.".to_string();
        }
        views
            .iter()
            .map(|v| {
                format!(
                    "{}  {:<8} {} — {}",
                    v.local,
                    v.kind.as_str(),
                    v.title,
                    v.body
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

/// `steady zones`: the tz database reminders are planned with. Needs no
/// database: the rules are the machine's.
pub fn zones(ctx: &Context) -> Result<(), CliError> {
    #[derive(Serialize)]
    struct ZonesView {
        source: String,
        version: Option<String>,
        zones: u32,
    }
    let rules = steady_core::zone::rules();
    let view = ZonesView {
        source: rules.source,
        version: rules.version,
        zones: rules.zones,
    };
    output::print(ctx.json, &view, || {
        format!(
            "Time-zone rules: {} (release {}), {} zones",
            view.source,
            view.version.as_deref().unwrap_or("not stated"),
            view.zones
        )
    });
    Ok(())
}
