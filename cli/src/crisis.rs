//! `steady crisis`: the crisis card, offline, in one command; and the text
//! form of the card other commands print when a record brings it up.

use crate::context::{CliError, Context};
use crate::output;
use steady_core::CrisisCard;

pub fn run(ctx: &Context) -> Result<(), CliError> {
    let steady = ctx.open()?;
    let card = steady.crisis_card();
    output::print(ctx.json, &card, || text(&card));
    Ok(())
}

/// The card as readable lines: crisis lines first, then the patient's people.
pub fn text(card: &CrisisCard) -> String {
    let mut lines = vec!["If you are in danger or thinking about harming yourself:".to_string()];
    for line in &card.lines {
        let text = line
            .text
            .as_ref()
            .map(|t| format!(" or text {t}"))
            .unwrap_or_default();
        lines.push(format!("  {}: call {}{text}", line.name, line.call));
    }
    if !card.support_contacts.is_empty() {
        lines.push("Your support people:".to_string());
        for contact in &card.support_contacts {
            lines.push(format!("  {}: {}", contact.name, contact.phone));
        }
    }
    lines.join("\n")
}
