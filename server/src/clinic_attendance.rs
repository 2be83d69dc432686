//! Attendance the clinic records: the verified record of a session
//! occurrence. It goes to the phone as a clinic change (kind `attendance`),
//! where it is shown over the patient's own report, and the dashboard
//! counts it first.

use crate::audit::Actor;
use crate::clinic_changes;
use crate::error::{ApiError, ApiResult};
use crate::store::Tx;
use crate::validate;
use steady_protocol::{ChangeKind, ClinicAttendance};

pub const STATUSES: [&str; 4] = ["attended", "late", "missed", "excused"];

pub fn validate(a: &ClinicAttendance) -> ApiResult<()> {
    validate::text("series_id", &a.series_id, 64)?;
    validate::text("recorded_by", &a.recorded_by, 100)?;
    if !STATUSES.contains(&a.status.as_str()) {
        return Err(ApiError::invalid(
            "status",
            "must be attended, late, missed or excused",
        ));
    }
    let Some((series, local)) = a.occurrence_id.split_once('@') else {
        return Err(ApiError::invalid(
            "occurrence_id",
            "must be SERIES@YYYY-MM-DDTHH:MM",
        ));
    };
    if series != a.series_id
        || chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").is_err()
    {
        return Err(ApiError::invalid(
            "occurrence_id",
            "must be SERIES@YYYY-MM-DDTHH:MM of this series",
        ));
    }
    Ok(())
}

/// Records (or corrects) the clinic's attendance for one occurrence of one
/// of the patient's series.
pub fn record(
    tx: &mut dyn Tx,
    actor: &Actor,
    patient_id: &str,
    attendance: ClinicAttendance,
    now_ms: i64,
) -> ApiResult<()> {
    validate(&attendance)?;
    let owns_series = tx
        .query_opt(
            "SELECT 1 FROM clinic_records WHERE patient_id = $1 AND kind = 'session_series'
             AND record_id = $2",
            &[patient_id.into(), attendance.series_id.clone().into()],
        )?
        .is_some();
    if !owns_series {
        return Err(ApiError::not_found("session series"));
    }
    let payload = serde_json::to_value(&attendance).map_err(|_| ApiError::internal())?;
    // One record per occurrence and patient (record ids are unique across
    // the clinic's records).
    let record_id = format!("{patient_id}:{}", attendance.occurrence_id);
    clinic_changes::write_change(
        tx,
        actor,
        patient_id,
        ChangeKind::Attendance,
        &record_id,
        Some(&payload),
        now_ms,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attendance(occurrence: &str, status: &str) -> ClinicAttendance {
        ClinicAttendance {
            occurrence_id: occurrence.into(),
            series_id: "s1".into(),
            status: status.into(),
            recorded_by: "Dana".into(),
        }
    }

    #[test]
    fn attendance_names_an_occurrence_of_its_series_and_a_known_status() {
        assert!(validate(&attendance("s1@2027-01-04T18:00", "attended")).is_ok());
        let e = validate(&attendance("s1@2027-01-04T18:00", "present")).unwrap_err();
        assert!(e.reason.starts_with("status:"));
        let e = validate(&attendance("s2@2027-01-04T18:00", "missed")).unwrap_err();
        assert!(e.reason.starts_with("occurrence_id:"));
        let e = validate(&attendance("s1@yesterday", "missed")).unwrap_err();
        assert!(e.reason.starts_with("occurrence_id:"));
    }
}
