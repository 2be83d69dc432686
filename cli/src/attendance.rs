//! `steady attend` and `steady dose`: record what happened to a session
//! occurrence or a dose.

use crate::context::{CliError, Context};
use crate::output;
use clap::Args;
use steady_core::{AttendanceStatus, DoseStatus};

#[derive(Args)]
pub struct AttendArgs {
    /// An occurrence id from `steady schedule list`.
    occurrence_id: String,
    /// attended, late, missed or excused.
    status: String,
}

#[derive(Args)]
pub struct DoseArgs {
    /// A medication id from `steady med list`.
    medication_id: String,
    /// taken, skipped or late.
    status: String,
    /// Which dose, YYYY-MM-DDTHH:MM (default: the latest due now).
    #[arg(long)]
    due: Option<String>,
}

pub fn attend(ctx: &Context, args: AttendArgs) -> Result<(), CliError> {
    let status = AttendanceStatus::parse(&args.status).ok_or_else(|| {
        CliError::Usage("invalid status: expected attended, late, missed or excused".into())
    })?;
    let steady = ctx.open()?;
    let record = steady.record_attendance(&args.occurrence_id, status)?;
    let doc = serde_json::json!({
        "occurrence_id": record.occurrence_id,
        "series_id": record.series_id,
        "status": record.status,
        "recorded_at": output::utc_rfc3339(record.recorded_at_ms),
        "time_zone": record.time_zone,
    });
    output::print(ctx.json, &doc, || {
        format!("Recorded {} for {}", status.as_str(), record.occurrence_id)
    });
    Ok(())
}

pub fn dose(ctx: &Context, args: DoseArgs) -> Result<(), CliError> {
    let status = DoseStatus::parse(&args.status)
        .ok_or_else(|| CliError::Usage("invalid status: expected taken, skipped or late".into()))?;
    let steady = ctx.open()?;
    let confirmation = steady.confirm_dose(&args.medication_id, status, args.due.as_deref())?;
    let doc = serde_json::json!({
        "dose_id": confirmation.dose_id,
        "medication_id": confirmation.medication_id,
        "due_local": confirmation.due_local,
        "status": confirmation.status,
        "confirmed_at": output::utc_rfc3339(confirmation.confirmed_at_ms),
        "time_zone": confirmation.time_zone,
    });
    output::print(ctx.json, &doc, || {
        format!(
            "Recorded {} for the {} dose",
            status.as_str(),
            confirmation.due_local
        )
    });
    Ok(())
}
