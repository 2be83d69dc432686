//! Attendance per session occurrence and dose confirmations: what the patient
//! says happened. Both are shareable with the clinic, so each write adds an
//! outbox row (`attendance`, `dose`) in the same transaction. A later answer
//! for the same occurrence or dose replaces the earlier one.

use crate::outbox::{self, Operation};
use crate::schedule::local_time::{format_local, parse_local, resolve};
use crate::schedule::medication::{dose_id, due_times, DoseConfirmation, DoseStatus};
use crate::schedule::recurrence::has_original;
use crate::schedule::store::{find_plan, find_series};
use crate::schedule::AttendanceStatus;
use crate::vocabulary::RecordType;
use crate::{ids, Error, Result, Steady};
use chrono::Duration;
use rusqlite::params;
use serde::Serialize;

/// A dose may be confirmed up to this long before its time.
const EARLY_CONFIRMATION: Duration = Duration::minutes(60);
/// A patient who has arrived may say so ("I'm here") up to this long before
/// the session starts: early arrival for group is common, and the session
/// reminders fire 60 and 15 minutes ahead.
pub const ARRIVAL_WINDOW_MINUTES: i64 = 60;

/// What the patient recorded for one occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttendanceRecord {
    pub occurrence_id: String,
    pub series_id: String,
    pub status: AttendanceStatus,
    pub recorded_at_ms: i64,
    pub time_zone: String,
}

impl AttendanceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AttendanceStatus::Attended => "attended",
            AttendanceStatus::Late => "late",
            AttendanceStatus::Missed => "missed",
            AttendanceStatus::Excused => "excused",
        }
    }

    pub fn parse(text: &str) -> Option<AttendanceStatus> {
        Some(match text {
            "attended" => AttendanceStatus::Attended,
            "late" => AttendanceStatus::Late,
            "missed" => AttendanceStatus::Missed,
            "excused" => AttendanceStatus::Excused,
            _ => return None,
        })
    }
}

impl Steady {
    /// Records attendance for the occurrence `occurrence_id` (as given by
    /// [`Steady::occurrences`]). `excused` may be recorded any time ahead,
    /// `attended` from [`ARRIVAL_WINDOW_MINUTES`] before the start (the
    /// patient has arrived), `late` and `missed` once the session started; a
    /// cancelled occurrence takes no record.
    pub fn record_attendance(
        &self,
        occurrence_id: &str,
        status: AttendanceStatus,
    ) -> Result<AttendanceRecord> {
        let field = "occurrence_id";
        let (series_id, original) = occurrence_id
            .rsplit_once('@')
            .ok_or_else(|| Error::invalid(field, "expected <series id>@<local start>"))?;
        let series_id = ids::parse_id(field, series_id)?;
        let original = parse_local(field, original)?;
        let now = self.now();
        let zone = self.zone()?;
        self.write(|tx| {
            let series = find_series(tx, &series_id)?;
            if !has_original(&series, original) {
                return Err(Error::NotFound {
                    what: "session occurrence",
                    id: occurrence_id.to_string(),
                });
            }
            let change = series.changes.get(&original);
            if change.is_some_and(|c| c.cancelled) {
                return Err(Error::invalid(field, "the session was cancelled"));
            }
            let start = resolve(series.tz, change.and_then(|c| c.start).unwrap_or(original));
            // When each answer opens, and how the refusal says it.
            let opens = match status {
                AttendanceStatus::Excused => None,
                AttendanceStatus::Attended => Some((
                    start - Duration::minutes(ARRIVAL_WINDOW_MINUTES),
                    "from an hour before the session starts",
                )),
                AttendanceStatus::Late | AttendanceStatus::Missed => {
                    Some((start, "once the session has started"))
                }
            };
            if let Some((_, when)) = opens.filter(|(opens, _)| *opens > now) {
                return Err(Error::invalid(
                    "status",
                    format!(
                        "{} can be recorded only {when}; before that, only excused",
                        status.as_str()
                    ),
                ));
            }
            let record = AttendanceRecord {
                occurrence_id: crate::schedule::recurrence::occurrence_id(&series_id, original),
                series_id: series_id.clone(),
                status,
                recorded_at_ms: now.timestamp_millis(),
                time_zone: zone.name().to_string(),
            };
            tx.execute(
                "INSERT INTO attendance (occurrence_id, series_id, status, recorded_at_ms, time_zone)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (occurrence_id) DO UPDATE SET status = excluded.status,
                     recorded_at_ms = excluded.recorded_at_ms, time_zone = excluded.time_zone",
                params![
                    record.occurrence_id,
                    record.series_id,
                    status.as_str(),
                    record.recorded_at_ms,
                    record.time_zone
                ],
            )?;
            outbox::record(tx, RecordType::Attendance.as_str(), &record.occurrence_id, Operation::Upsert, &record, now)?;
            Ok(record)
        })
    }

    /// Confirms a dose of `medication_id`. `due_local` (`YYYY-MM-DDTHH:MM`)
    /// names the dose; when absent, the latest dose due by now (or within the
    /// next hour) on the phone's clock.
    pub fn confirm_dose(
        &self,
        medication_id: &str,
        status: DoseStatus,
        due_local: Option<&str>,
    ) -> Result<DoseConfirmation> {
        let medication_id = ids::parse_id("medication_id", medication_id)?;
        let requested = due_local.map(|t| parse_local("due_local", t)).transpose()?;
        let now = self.now();
        let zone = self.zone()?;
        let latest = (now + EARLY_CONFIRMATION)
            .with_timezone(&zone)
            .naive_local();
        self.write(|tx| {
            let plan = find_plan(tx, &medication_id)?;
            let due = match requested {
                Some(due) => {
                    if !due_times(&plan, due.date(), due.date()).contains(&due) {
                        return Err(Error::invalid(
                            "due_local",
                            "no dose of this medication is due then",
                        ));
                    }
                    if due > latest {
                        return Err(Error::invalid("due_local", "is more than an hour ahead"));
                    }
                    due
                }
                None => due_times(&plan, latest.date() - Duration::days(1), latest.date())
                    .into_iter()
                    .rfind(|due| *due <= latest)
                    .ok_or_else(|| Error::invalid("due_local", "no dose is due now; name one"))?,
            };
            let confirmation = DoseConfirmation {
                dose_id: dose_id(&medication_id, due),
                medication_id: medication_id.clone(),
                due_local: format_local(due),
                status,
                confirmed_at_ms: now.timestamp_millis(),
                time_zone: zone.name().to_string(),
            };
            tx.execute(
                "INSERT INTO dose_confirmation (dose_id, medication_id, due_local, status,
                     confirmed_at_ms, time_zone)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (dose_id) DO UPDATE SET status = excluded.status,
                     confirmed_at_ms = excluded.confirmed_at_ms, time_zone = excluded.time_zone",
                params![
                    confirmation.dose_id,
                    confirmation.medication_id,
                    confirmation.due_local,
                    status.as_str(),
                    confirmation.confirmed_at_ms,
                    confirmation.time_zone
                ],
            )?;
            outbox::record(
                tx,
                RecordType::Dose.as_str(),
                &confirmation.dose_id,
                Operation::Upsert,
                &confirmation,
                now,
            )?;
            Ok(confirmation)
        })
    }
}
