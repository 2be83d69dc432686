//! `steady consent grant|revoke|show`: what the patient shares with the clinic,
//! and what the clinic may disclose to outside recipients the patient names.

use crate::context::{CliError, Context};
use crate::output;
use chrono::{DateTime, NaiveDate, TimeZone};
use clap::Subcommand;
use serde::Serialize;
use steady_core::Tz;
use steady_core::{
    Consent, ConsentCategory, ConsentGrant, ConsentState, ConsentStatus, OutsideConsent,
};

#[derive(Subcommand)]
pub enum ConsentCommand {
    /// Share CATEGORY... with the clinic (attendance, medication, cravings,
    /// checkins, lapses, notes), or with --recipient let the clinic disclose
    /// them to that outside recipient.
    Grant {
        #[arg(required = true)]
        categories: Vec<String>,
        /// Your full name, typed as your signature.
        #[arg(long)]
        signature: String,
        /// Why you share (default for the clinic: "coordinating my treatment
        /// with my clinic"; required with --recipient).
        #[arg(long)]
        purpose: Option<String>,
        /// When the consent ends: YYYY-MM-DD (end of that day) or RFC 3339
        /// (default: one year from now).
        #[arg(long)]
        expires: Option<String>,
        /// An outside recipient the clinic may disclose these categories to
        /// (a doctor, a program); needs --recipient-address. Shares nothing
        /// more with the clinic.
        #[arg(long)]
        recipient: Option<String>,
        /// The outside recipient's address.
        #[arg(long)]
        recipient_address: Option<String>,
    },
    /// Stop sharing CATEGORY... at once (with --recipient: stop the clinic
    /// disclosing them to that outside recipient).
    Revoke {
        #[arg(required = true)]
        categories: Vec<String>,
        /// The outside recipient, as the consent names it.
        #[arg(long)]
        recipient: Option<String>,
    },
    /// Show what is shared, until when, and what waits on the phone (with
    /// --outside: the consents naming outside recipients).
    Show {
        #[arg(long)]
        outside: bool,
    },
}

#[derive(Serialize)]
struct ConsentView<'a> {
    id: &'a str,
    category: ConsentCategory,
    discloser: &'a str,
    recipient: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipient_address: Option<&'a str>,
    information: &'a str,
    purpose: &'a str,
    expires_at: String,
    /// The expiry in the patient's zone now, with its offset.
    expires_local: String,
    right_to_revoke: &'a str,
    signature: &'a str,
    signed_at: String,
    revoked_at: Option<String>,
}

fn view<'a>(c: &'a Consent, zone: &str) -> ConsentView<'a> {
    ConsentView {
        id: &c.id,
        category: c.category,
        discloser: &c.discloser,
        recipient: &c.recipient,
        recipient_address: c.recipient_address.as_deref(),
        information: &c.information,
        purpose: &c.purpose,
        expires_at: output::utc_rfc3339(c.expires_at_ms),
        expires_local: output::local_rfc3339(c.expires_at_ms, zone),
        right_to_revoke: &c.right_to_revoke,
        signature: &c.signature,
        signed_at: output::local_rfc3339(c.signed_at_ms, &c.time_zone),
        revoked_at: c.revoked_at_ms.map(output::utc_rfc3339),
    }
}

#[derive(Serialize)]
struct StatusView<'a> {
    category: ConsentCategory,
    state: ConsentState,
    held_records: u32,
    consent: Option<ConsentView<'a>>,
}

fn status_view<'a>(s: &'a ConsentStatus, zone: &str) -> StatusView<'a> {
    StatusView {
        category: s.category,
        state: s.state,
        held_records: s.held_records,
        consent: s.consent.as_ref().map(|c| view(c, zone)),
    }
}

#[derive(Serialize)]
struct OutsideView<'a> {
    state: ConsentState,
    consent: ConsentView<'a>,
}

fn outside_view<'a>(o: &'a OutsideConsent, zone: &str) -> OutsideView<'a> {
    OutsideView {
        state: o.state,
        consent: view(&o.consent, zone),
    }
}

pub fn run(ctx: &Context, command: ConsentCommand) -> Result<(), CliError> {
    let steady = ctx.open()?;
    // Expiry reads in the patient's zone now (the consent keeps its own).
    let zone = ctx.clock.time_zone();
    match command {
        ConsentCommand::Grant {
            categories,
            signature,
            purpose,
            expires,
            recipient,
            recipient_address,
        } => {
            let expires_at_ms = expires
                .map(|text| expiry_ms(&text, &ctx.clock.time_zone()))
                .transpose()?;
            let granted = steady.grant_consent(ConsentGrant {
                categories: parse(&categories)?,
                purpose,
                expires_at_ms,
                signature,
                recipient,
                recipient_address,
            })?;
            let views: Vec<_> = granted.iter().map(|c| view(c, &zone)).collect();
            output::print(ctx.json, &serde_json::json!({ "granted": views }), || {
                granted
                    .iter()
                    .map(|c| match &c.recipient_address {
                        Some(address) => format!(
                            "{} may disclose {} to {} ({address}) until {}.",
                            c.discloser,
                            c.category.as_str(),
                            c.recipient,
                            output::local_readable(c.expires_at_ms, &zone)
                        ),
                        None => format!(
                            "Sharing {} with {} until {}.",
                            c.category.as_str(),
                            c.recipient,
                            output::local_readable(c.expires_at_ms, &zone)
                        ),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ConsentCommand::Revoke {
            categories,
            recipient,
        } => {
            let categories = parse(&categories)?;
            let revoked = match recipient {
                Some(recipient) => steady.revoke_outside_consent(recipient, categories)?,
                None => steady.revoke_consent(categories)?,
            };
            let views: Vec<_> = revoked.iter().map(|c| view(c, &zone)).collect();
            output::print(ctx.json, &serde_json::json!({ "revoked": views }), || {
                if revoked.is_empty() {
                    return "Nothing to revoke: those categories were not shared.".to_string();
                }
                revoked
                    .iter()
                    .map(|c| match &c.recipient_address {
                        Some(_) => format!(
                            "{} may no longer disclose {} to {}.",
                            c.discloser,
                            c.category.as_str(),
                            c.recipient
                        ),
                        None => format!("Stopped sharing {}.", c.category.as_str()),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ConsentCommand::Show { outside: true } => {
            let outside = steady.outside_consents()?;
            let views: Vec<_> = outside.iter().map(|o| outside_view(o, &zone)).collect();
            output::print(ctx.json, &views, || {
                if outside.is_empty() {
                    return "No consent names an outside recipient.".to_string();
                }
                outside
                    .iter()
                    .map(|o| {
                        let c = &o.consent;
                        let state = match o.state {
                            ConsentState::Active => {
                                format!("until {}", output::local_readable(c.expires_at_ms, &zone))
                            }
                            ConsentState::Revoked => "revoked".to_string(),
                            _ => "expired".to_string(),
                        };
                        format!(
                            "{:<11} to {} ({}): {state}",
                            c.category.as_str(),
                            c.recipient,
                            c.recipient_address.as_deref().unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ConsentCommand::Show { outside: false } => {
            let status = steady.consent_status()?;
            let views: Vec<_> = status.iter().map(|s| status_view(s, &zone)).collect();
            output::print(ctx.json, &views, || {
                status
                    .iter()
                    .map(|s| {
                        let state = match (s.state, &s.consent) {
                            (ConsentState::Active, Some(c)) => format!(
                                "shared with {} until {}",
                                c.recipient,
                                output::local_readable(c.expires_at_ms, &zone)
                            ),
                            (ConsentState::Revoked, _) => "not shared (revoked)".to_string(),
                            (ConsentState::Expired, _) => "not shared (expired)".to_string(),
                            _ => "not shared".to_string(),
                        };
                        format!(
                            "{:<11} {state}; {} record(s) waiting",
                            s.category.as_str(),
                            s.held_records
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

fn parse(names: &[String]) -> Result<Vec<ConsentCategory>, CliError> {
    names
        .iter()
        .map(|n| {
            steady_core::vocabulary::parse_consent_category("category", n).map_err(CliError::from)
        })
        .collect()
}

/// `YYYY-MM-DD` is the end of that day in the phone's zone; otherwise RFC 3339.
fn expiry_ms(text: &str, zone: &str) -> Result<i64, CliError> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let tz: Tz = zone
            .parse()
            .map_err(|_| CliError::Usage(format!("invalid --tz {zone:?}")))?;
        let next = date
            .succ_opt()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| tz.from_local_datetime(&t).earliest())
            .ok_or_else(|| CliError::Usage("invalid --expires: no such day".into()))?;
        return Ok(next.timestamp_millis());
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp_millis())
        .map_err(|e| CliError::Usage(format!("invalid --expires: {e} (YYYY-MM-DD or RFC 3339)")))
}
