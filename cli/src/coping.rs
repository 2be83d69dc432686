//! `steady coping ...`: show and edit the coping plan.

use crate::context::{CliError, Context};
use crate::output;
use clap::Subcommand;
use steady_core::{PlanEntry, PlanSection};

#[derive(Subcommand)]
pub enum CopingCommand {
    /// The whole plan.
    Show,
    /// Add to the plan.
    #[command(subcommand)]
    Add(AddCommand),
    /// Remove an entry, own strategy or contact by the id `show` prints.
    Remove { id: String },
    /// Set the intensity (1-10) from which a craving counts as strong.
    Threshold { intensity: u8 },
}

#[derive(Subcommand)]
pub enum AddCommand {
    WarningSign { text: String },
    Strategy { text: String },
    Reason { text: String },
    SafePlace { text: String },
    Contact { name: String, phone: String },
}

pub fn run(ctx: &Context, command: CopingCommand) -> Result<(), CliError> {
    let steady = ctx.open()?;
    match command {
        CopingCommand::Show => {
            let plan = steady.coping_plan()?;
            output::print(ctx.json, &plan, || {
                let list = |title: &str, entries: &[PlanEntry]| {
                    let mut text = format!("{title}:");
                    for e in entries {
                        text.push_str(&format!("\n  {}  ({})", e.text, e.id));
                    }
                    text
                };
                let mut out = vec![list("Warning signs", &plan.warning_signs)];
                let mut strategies = "Coping strategies:".to_string();
                for s in &plan.strategies {
                    let id = s
                        .entry_id
                        .as_ref()
                        .map(|id| format!("  ({id})"))
                        .unwrap_or_default();
                    strategies.push_str(&format!(
                        "\n  {}{}{id}",
                        s.name,
                        output::helped(s.helped_count)
                    ));
                    if let Some(caution) = &s.caution {
                        strategies.push_str(&format!("\n    Caution: {caution}"));
                    }
                }
                out.push(strategies);
                out.push(list("Reasons for recovery", &plan.reasons));
                let mut contacts = "Support contacts:".to_string();
                for c in &plan.support_contacts {
                    contacts.push_str(&format!("\n  {}: {}  ({})", c.name, c.phone, c.id));
                }
                out.push(contacts);
                out.push(list("Safe places", &plan.safe_places));
                out.push(format!(
                    "Strong craving from intensity {}",
                    plan.strong_craving_threshold
                ));
                out.join("\n")
            });
        }
        CopingCommand::Add(add) => {
            let (section, text) = match add {
                AddCommand::WarningSign { text } => (PlanSection::WarningSign, text),
                AddCommand::Strategy { text } => (PlanSection::Strategy, text),
                AddCommand::Reason { text } => (PlanSection::Reason, text),
                AddCommand::SafePlace { text } => (PlanSection::SafePlace, text),
                AddCommand::Contact { name, phone } => {
                    let contact = steady.add_support_contact(name, phone)?;
                    output::print(ctx.json, &contact, || {
                        format!(
                            "Added {} ({}) to your support contacts",
                            contact.name, contact.phone
                        )
                    });
                    return Ok(());
                }
            };
            let entry = steady.add_to_coping_plan(section, text)?;
            output::print(
                ctx.json,
                &serde_json::json!({ "section": section, "id": entry.id, "text": entry.text }),
                || format!("Added \"{}\" to your plan", entry.text),
            );
        }
        CopingCommand::Remove { id } => {
            steady.remove_from_coping_plan(&id)?;
            output::print(ctx.json, &serde_json::json!({ "removed": id }), || {
                format!("Removed {id} from your plan")
            });
        }
        CopingCommand::Threshold { intensity } => {
            steady.set_strong_craving_threshold(intensity)?;
            output::print(
                ctx.json,
                &serde_json::json!({ "strong_craving_threshold": intensity }),
                || format!("Cravings of {intensity} or more now count as strong"),
            );
        }
    }
    Ok(())
}
