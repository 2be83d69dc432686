//! `steady enroll CODE --server URL` and `steady sync`: joining a clinic and
//! exchanging records with it over the CLI's HTTP transport.

use crate::context::{CliError, Context};
use crate::output;
use serde_json::json;
use steady_http::UreqTransport;

pub fn enroll(
    ctx: &Context,
    code: &str,
    server: &str,
    device_name: Option<String>,
) -> Result<(), CliError> {
    let steady = ctx.open()?;
    let info = steady.enroll(code, server, device_name, &UreqTransport)?;
    output::print(
        ctx.json,
        &json!({
            "server_url": info.server_url,
            "device_id": info.device_id,
            "clinic_name": info.clinic_name,
            "enrolled_at": output::utc_rfc3339(info.enrolled_at_ms),
        }),
        || {
            format!(
                "Enrolled with {} ({}). Nothing is shared until you grant consent: \
                 `steady consent grant CATEGORY... --signature \"Your Name\"`.",
                info.clinic_name, info.server_url
            )
        },
    );
    Ok(())
}

pub fn sync(ctx: &Context) -> Result<(), CliError> {
    let steady = ctx.open()?;
    let report = steady.sync(&UreqTransport)?;
    output::print(ctx.json, &report, || {
        let mut lines = vec![format!(
            "Shared {} record(s) ({} already at the clinic); {} clinic update(s) received.",
            report.applied, report.duplicates, report.clinic_changes
        )];
        if report.held > 0 {
            lines.push(format!(
                "{} saved record(s) stay on this phone: their category is not shared.",
                report.held
            ));
        }
        for r in &report.rejected {
            lines.push(format!(
                "Refused by the clinic: {} {}: {}",
                r.record_type, r.record_id, r.reason
            ));
        }
        lines.join("\n")
    });
    Ok(())
}
