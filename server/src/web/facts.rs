//! One patient's facts as the dashboard reasons over them: what the phone
//! shared (only records that arrived under the patient's consent are in the
//! database), the clinic's own records (session series, medication plans,
//! the attendance it recorded) and the safety flags. Loaded in one
//! transaction; the triage list, the digest and the charts are pure
//! functions of it.

use crate::consent::{self, ConsentScope};
use crate::flags::{self, Flag};
use crate::store::{DbError, Tx};
use chrono::{NaiveDateTime, TimeZone};
use serde_json::Value;
use steady_protocol::{MedicationPlan, SessionSeries};

#[derive(Debug, Clone, PartialEq)]
pub struct Craving {
    pub at_ms: i64,
    pub intensity: f64,
    pub coping: Vec<String>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// `phq9` or `gad7`.
    pub instrument: String,
    pub at_ms: i64,
    pub score: i64,
}

/// One session occurrence with what is known of it; the clinic's record
/// wins over the patient's self-report.
#[derive(Debug, Clone, PartialEq)]
pub struct Attendance {
    pub occurrence_id: String,
    pub series_id: String,
    pub starts_at_ms: i64,
    pub minutes: i64,
    pub status: String,
    /// Recorded by the clinic (the verified record).
    pub verified: bool,
    /// What the patient reported, when the clinic's record differs.
    pub self_report: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dose {
    pub medication_id: String,
    pub status: String,
    pub at_ms: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub patient_id: String,
    pub name: String,
    pub created_at_ms: i64,
    pub last_sync_ms: Option<i64>,
    pub devices: i64,
    pub scope: Vec<ConsentScope>,
    pub cravings: Vec<Craving>,
    pub lapses: Vec<i64>,
    /// What helped, as the patient wrote it for lapses (shared under lapses).
    pub lapse_helped: Vec<String>,
    pub scores: Vec<Score>,
    pub attendance: Vec<Attendance>,
    pub doses: Vec<Dose>,
    pub series: Vec<(String, SessionSeries)>,
    pub plans: Vec<(String, MedicationPlan)>,
    pub flags: Vec<Flag>,
}

impl Facts {
    /// Whether the patient shares `category` now.
    pub fn shares(&self, category: &str) -> bool {
        self.scope
            .iter()
            .any(|c| c.category == category && c.status == "current")
    }
}

/// The start instant of occurrence `series@YYYY-MM-DDTHH:MM` in its series'
/// zone, and the session length.
pub fn occurrence_start(
    series: &[(String, SessionSeries)],
    occurrence_id: &str,
) -> Option<(i64, i64)> {
    let (series_id, local) = occurrence_id.split_once('@')?;
    let (_, s) = series.iter().find(|(id, _)| id == series_id)?;
    let zone: steady_core::Tz = s.time_zone.parse().ok()?;
    let local = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").ok()?;
    let start = zone.from_local_datetime(&local).earliest()?;
    Some((start.timestamp_millis(), i64::from(s.duration_minutes)))
}

fn payload(row: &crate::store::Row, i: usize) -> Result<Value, DbError> {
    Ok(row
        .opt_text(i)?
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null))
}

fn int(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Loads everything about one patient (who must exist).
pub fn load(tx: &mut dyn Tx, patient_id: &str, now_ms: i64) -> Result<Facts, DbError> {
    let mut facts = Facts {
        patient_id: patient_id.to_string(),
        ..Facts::default()
    };
    if let Some(row) = tx.query_opt(
        "SELECT name, created_at_ms FROM patients WHERE id = $1",
        &[patient_id.into()],
    )? {
        facts.name = row.text(0)?;
        facts.created_at_ms = row.int(1)?;
    }
    if let Some(row) = tx.query_opt(
        "SELECT MAX(last_seen_ms), COUNT(*) FROM devices
         WHERE patient_id = $1 AND revoked_at_ms IS NULL",
        &[patient_id.into()],
    )? {
        facts.last_sync_ms = row.opt_int(0)?;
        facts.devices = row.int(1)?;
    }
    facts.scope = consent::scope(tx, patient_id, now_ms)?;
    let mut clinic_attendance = Vec::new();
    for row in tx.query(
        "SELECT kind, record_id, payload FROM clinic_records WHERE patient_id = $1
         ORDER BY updated_at_ms, record_id",
        &[patient_id.into()],
    )? {
        let kind = row.text(0)?;
        let id = row.text(1)?;
        let value = payload(&row, 2)?;
        match kind.as_str() {
            "session_series" => {
                if let Ok(s) = serde_json::from_value(value) {
                    facts.series.push((id, s));
                }
            }
            "medication_plan" => {
                if let Ok(p) = serde_json::from_value(value) {
                    facts.plans.push((id, p));
                }
            }
            "attendance" => clinic_attendance.push(value),
            _ => {}
        }
    }
    let mut self_reported = Vec::new();
    for row in tx.query(
        "SELECT record_type, payload, created_at_ms FROM records
         WHERE patient_id = $1 AND deleted = 0 ORDER BY created_at_ms, record_id",
        &[patient_id.into()],
    )? {
        let record_type = row.text(0)?;
        let value = payload(&row, 1)?;
        let created = row.int(2)?;
        match record_type.as_str() {
            "craving" => facts.cravings.push(Craving {
                at_ms: int(&value, "occurred_at_ms").unwrap_or(created),
                intensity: value
                    .get("intensity")
                    .and_then(Value::as_f64)
                    .unwrap_or(0.0),
                coping: strings(&value, "coping_tried"),
                outcome: text(&value, "outcome"),
            }),
            "lapse" => {
                facts
                    .lapses
                    .push(int(&value, "occurred_at_ms").unwrap_or(created));
                if let Some(helped) = text(&value, "helped") {
                    facts.lapse_helped.push(helped);
                }
            }
            "questionnaire_response" => {
                if let (Some(instrument), Some(score)) =
                    (text(&value, "questionnaire_id"), int(&value, "score"))
                {
                    facts.scores.push(Score {
                        instrument,
                        at_ms: int(&value, "completed_at_ms").unwrap_or(created),
                        score,
                    });
                }
            }
            "attendance" => self_reported.push(value),
            "dose" => facts.doses.push(Dose {
                medication_id: text(&value, "medication_id").unwrap_or_default(),
                status: text(&value, "status").unwrap_or_default(),
                at_ms: int(&value, "confirmed_at_ms").unwrap_or(created),
            }),
            _ => {}
        }
    }
    facts.attendance = merge_attendance(&facts.series, &clinic_attendance, &self_reported);
    facts.flags = flags::of_patient(tx, patient_id)?;
    Ok(facts)
}

/// The clinic's attendance records, then self-reports for occurrences the
/// clinic did not record; sorted by session start.
fn merge_attendance(
    series: &[(String, SessionSeries)],
    clinic: &[Value],
    patient: &[Value],
) -> Vec<Attendance> {
    let mut merged: Vec<Attendance> = Vec::new();
    let mut add = |value: &Value, verified: bool| {
        let Some(occurrence_id) = text(value, "occurrence_id") else {
            return;
        };
        let status = text(value, "status").unwrap_or_default();
        if let Some(existing) = merged.iter_mut().find(|a| a.occurrence_id == occurrence_id) {
            if existing.status != status {
                existing.self_report = Some(status);
            }
            return;
        }
        let (starts_at_ms, minutes) = occurrence_start(series, &occurrence_id)
            .unwrap_or((int(value, "recorded_at_ms").unwrap_or(0), 0));
        merged.push(Attendance {
            series_id: text(value, "series_id").unwrap_or_default(),
            occurrence_id,
            starts_at_ms,
            minutes,
            status,
            verified,
            self_report: None,
        });
    };
    for value in clinic {
        add(value, true);
    }
    for value in patient {
        add(value, false);
    }
    merged.sort_by_key(|a| a.starts_at_ms);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn series() -> Vec<(String, SessionSeries)> {
        vec![(
            "s1".to_string(),
            serde_json::from_value(json!({"kind": "group", "title": "Group",
                "time_zone": "America/New_York", "first_date": "2027-01-04",
                "start_time": "18:00", "duration_minutes": 180, "weekdays": ["mon"]}))
            .unwrap(),
        )]
    }

    #[test]
    fn the_clinics_attendance_record_wins_over_the_self_report() {
        let clinic = [
            json!({"occurrence_id": "s1@2027-01-04T18:00", "series_id": "s1",
            "status": "missed"}),
        ];
        let patient = [
            json!({"occurrence_id": "s1@2027-01-04T18:00", "series_id": "s1",
                "status": "attended", "recorded_at_ms": 1}),
            json!({"occurrence_id": "s1@2027-01-11T18:00", "series_id": "s1",
                "status": "attended", "recorded_at_ms": 2}),
        ];
        let merged = merge_attendance(&series(), &clinic, &patient);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].status, "missed");
        assert!(merged[0].verified);
        assert_eq!(merged[0].self_report.as_deref(), Some("attended"));
        // 18:00 in New York on 2027-01-04 is 23:00 UTC.
        assert_eq!(merged[0].starts_at_ms, 1_799_064_000_000 + 11 * 3_600_000);
        assert_eq!(merged[0].minutes, 180);
        assert!(!merged[1].verified);
    }
}
