//! Clinic-authored sessions and medication plans from a pull, applied into the
//! schedule (core/src/schedule) inside the pull's transaction, marked
//! `source = clinic`, so the reminder planner sees them at once. The record
//! id is the clinic's, so a later change replaces the same row and a clinic
//! deletion tombstones it. Questionnaires and messages are read from
//! `clinic_record` by their own concerns.

use crate::schedule::medication::{self, Medication};
use crate::schedule::{series, store, ScheduleSource, SessionSeries};
use crate::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, Transaction};
use steady_protocol::{ChangeKind, ClinicChange, Operation};

/// Applies `change` to the schedule when it is a session series or a
/// medication plan. A payload the schedule cannot accept is left out of the
/// schedule (it stays in `clinic_record`) rather than blocking every later
/// clinic change behind it.
pub(crate) fn apply(tx: &Transaction<'_>, change: &ClinicChange, now: DateTime<Utc>) -> Result<()> {
    let table = match change.kind {
        ChangeKind::SessionSeries => "session_series",
        ChangeKind::MedicationPlan => "medication",
        ChangeKind::Questionnaire
        | ChangeKind::Message
        | ChangeKind::Attendance
        | ChangeKind::DrugScreen => return Ok(()),
    };
    if change.operation == Operation::Delete {
        tx.execute(
            &format!(
                "UPDATE {table} SET deleted_at_ms = ?2, updated_at_ms = ?2
                 WHERE id = ?1 AND source = 'clinic' AND deleted_at_ms IS NULL"
            ),
            params![change.record_id, now.timestamp_millis()],
        )?;
        return Ok(());
    }
    match change.kind {
        ChangeKind::SessionSeries => {
            let Ok(wire) = serde_json::from_value(change.payload.clone()) else {
                return Ok(());
            };
            if let Ok(valid) = series::validate(session_series(&change.record_id, wire)) {
                store::upsert(tx, valid, now)?;
            }
        }
        _ => {
            let Ok(wire) = serde_json::from_value(change.payload.clone()) else {
                return Ok(());
            };
            if let Ok(plan) = medication::plan(medication(&change.record_id, wire)) {
                store::save_plan(tx, &plan.record, now)?;
            }
        }
    }
    Ok(())
}

fn session_series(id: &str, wire: steady_protocol::SessionSeries) -> SessionSeries {
    crate::schedule::wire::from_wire(id, wire)
}

fn medication(id: &str, wire: steady_protocol::MedicationPlan) -> Medication {
    Medication {
        id: id.to_string(),
        name: wire.name,
        dose: wire.dose,
        times: wire.times,
        weekdays: wire.weekdays,
        start_date: wire.start_date,
        end_date: wire.end_date,
        source: ScheduleSource::Clinic,
    }
}
