//! Clinic-authored sessions and medication plans from a pull, applied into the
//! schedule (core/src/schedule) inside the pull's transaction, marked
//! `source = clinic`, so the reminder planner sees them at once. The record
//! id is the clinic's, so a later change replaces the same row and a clinic
//! deletion tombstones it. Questionnaires and messages are read from
//! `clinic_record` by their own concerns.

use crate::schedule::medication::{self, Medication};
use crate::schedule::{
    series, store, Frequency, OccurrenceChange, Recurrence, ScheduleSource, SessionKind,
    SessionSeries, Weekday,
};
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
    let start = |date: &str| format!("{date}T{}", wire.start_time);
    SessionSeries {
        id: id.to_string(),
        uid: None,
        kind: match wire.kind {
            steady_protocol::SessionKind::Group => SessionKind::Group,
            steady_protocol::SessionKind::Individual => SessionKind::Individual,
            steady_protocol::SessionKind::Family => SessionKind::Family,
            steady_protocol::SessionKind::MedicationManagement => SessionKind::MedicationManagement,
            steady_protocol::SessionKind::Other => SessionKind::Other,
        },
        title: wire.title.clone(),
        location: wire.location.clone(),
        video_url: None,
        time_zone: wire.time_zone.clone(),
        start_local: start(&wire.first_date),
        duration_min: wire.duration_minutes,
        recurrence: Some(Recurrence {
            frequency: Frequency::Weekly,
            interval: wire.interval_weeks,
            weekdays: wire.weekdays.iter().map(|d| weekday(*d)).collect(),
            until: wire.until_date.clone(),
            count: wire.count,
        }),
        changes: wire
            .cancelled_dates
            .iter()
            .map(|date| OccurrenceChange {
                original_start_local: start(date),
                cancelled: true,
                start_local: None,
                duration_min: None,
                title: None,
                location: None,
            })
            .collect(),
        source: ScheduleSource::Clinic,
    }
}

fn medication(id: &str, wire: steady_protocol::MedicationPlan) -> Medication {
    Medication {
        id: id.to_string(),
        name: wire.name,
        dose: wire.dose,
        times: wire.times,
        weekdays: wire.weekdays.into_iter().map(weekday).collect(),
        start_date: wire.start_date,
        end_date: wire.end_date,
        source: ScheduleSource::Clinic,
    }
}

fn weekday(day: steady_protocol::Weekday) -> Weekday {
    match day {
        steady_protocol::Weekday::Mon => Weekday::Mon,
        steady_protocol::Weekday::Tue => Weekday::Tue,
        steady_protocol::Weekday::Wed => Weekday::Wed,
        steady_protocol::Weekday::Thu => Weekday::Thu,
        steady_protocol::Weekday::Fri => Weekday::Fri,
        steady_protocol::Weekday::Sat => Weekday::Sat,
        steady_protocol::Weekday::Sun => Weekday::Sun,
    }
}
