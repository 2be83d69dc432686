//! `steady crisis`: the crisis card, offline, in one command — also when the
//! database cannot be opened (no file, a wrong key, a damaged file), from the
//! lines and the copy of the support contacts kept beside the database; and
//! the text form of the card other commands print when a record brings it up.

use crate::context::{CliError, Context};
use crate::output;
use serde::Serialize;
use steady_core::CrisisCard;

#[derive(Serialize)]
struct CardView<'a> {
    #[serde(flatten)]
    card: &'a CrisisCard,
    /// Why the database could not be read, when it could not.
    database_error: Option<String>,
}

pub fn run(ctx: &Context) -> Result<(), CliError> {
    let (card, database_error) = match ctx.open() {
        Ok(steady) => (steady.crisis_card(), None),
        Err(error) => (
            steady_core::crisis_card_without_database(&ctx.db),
            Some(error.to_string()),
        ),
    };
    let view = CardView {
        card: &card,
        database_error: database_error.clone(),
    };
    output::print(ctx.json, &view, || {
        let mut out = text(&card);
        if let Some(error) = &database_error {
            out.push_str(&format!(
                "\n(Your Steady data could not be opened: {error}. The lines above always \
                 work; your support people come from the copy kept beside the database.)"
            ));
        }
        out
    });
    Ok(())
}

/// The card as readable lines: 911 and the crisis lines first, each with what
/// it is for, then the patient's people, then what the clinic will see.
pub fn text(card: &CrisisCard) -> String {
    let mut lines = vec!["If you are in danger or thinking about harming yourself:".to_string()];
    for line in &card.lines {
        let how = match &line.text {
            Some(t) if *t == line.call => format!("call or text {t}"),
            Some(t) => format!("call {} or text {t}", line.call),
            None => format!("call {}", line.call),
        };
        lines.push(format!("  {}: {how}", line.name));
        lines.push(format!("    {}", line.description));
    }
    if !card.support_contacts.is_empty() {
        lines.push("Your support people:".to_string());
        for contact in &card.support_contacts {
            lines.push(format!("  {}: {}", contact.name, contact.phone));
        }
    }
    if let Some(notice) = &card.clinic_notice {
        lines.push(notice.clone());
    }
    lines.join("\n")
}
