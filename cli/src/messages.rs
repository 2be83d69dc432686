//! `steady message ...` and `steady clinic ...`: the thread with the care
//! team (list, read, send) and the clinic's own records about you (the
//! attendance it recorded, drug screens it released). Messages reach the
//! clinic with the next `steady sync` once you consent to share messages.

use crate::context::{CliError, Context};
use crate::output;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum MessageCommand {
    /// The thread with your care team, oldest first.
    List,
    /// Mark a message from the care team read.
    Read { id: String },
    /// Write to your care team (not for emergencies).
    Send {
        body: String,
        /// The id of the care team's message you answer.
        #[arg(long)]
        reply_to: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum ClinicCommand {
    /// Attendance the clinic recorded: the verified record.
    Attendance,
    /// Drug screen results the clinician released to you.
    Screens,
}

pub fn run(ctx: &Context, command: MessageCommand) -> Result<(), CliError> {
    let steady = ctx.open()?;
    match command {
        MessageCommand::List => {
            let thread = steady.messages()?;
            output::print(ctx.json, &thread, || {
                let mut lines = vec![steady_core::messages::messaging_notice()];
                for m in &thread {
                    let read = match (m.from_patient, m.read_at_ms) {
                        (false, None) => "  [new]",
                        _ => "",
                    };
                    lines.push(format!(
                        "{}  {}  {}: {}{read}",
                        output::utc_rfc3339(m.sent_at_ms),
                        m.id,
                        m.from,
                        m.body
                    ));
                }
                lines.join("\n")
            });
        }
        MessageCommand::Read { id } => {
            let message = steady.mark_message_read(&id)?;
            output::print(ctx.json, &message, || {
                format!("{}: {}", message.from, message.body)
            });
        }
        MessageCommand::Send { body, reply_to } => {
            let sent = steady.send_message(body, reply_to)?;
            output::print(ctx.json, &sent, || {
                let shared = if sent.will_be_shared {
                    "It goes to your care team with the next sync."
                } else {
                    "It stays on this phone until you consent to share messages \
                     (steady consent grant messages)."
                };
                format!(
                    "Message {} saved. {shared}\n{}",
                    sent.message.id, sent.notice
                )
            });
        }
    }
    Ok(())
}

pub fn run_clinic(ctx: &Context, command: ClinicCommand) -> Result<(), CliError> {
    let steady = ctx.open()?;
    match command {
        ClinicCommand::Attendance => {
            let records = steady.clinic_attendance()?;
            output::print(ctx.json, &records, || {
                if records.is_empty() {
                    return "The clinic has recorded no attendance yet.".to_string();
                }
                records
                    .iter()
                    .map(|a| {
                        let own = a
                            .self_report
                            .as_deref()
                            .map(|s| format!(" (you recorded {s})"))
                            .unwrap_or_default();
                        format!(
                            "{}  {} — verified by {}{own}",
                            a.occurrence_id, a.status, a.recorded_by
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ClinicCommand::Screens => {
            let screens = steady.drug_screens()?;
            output::print(ctx.json, &screens, || {
                if screens.is_empty() {
                    return "No drug screen results released to you.".to_string();
                }
                screens
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {} ({}):\n  {}",
                            s.collected_on,
                            s.specimen,
                            s.panel,
                            s.results.join("\n  ")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
