//! The patient's record as CSV: one file per record kind, a header row,
//! UTF-8, RFC 4180 quoting (the `csv` crate), instants in ISO 8601 with the
//! offset of the zone the record was made in, lists joined with "; ".
//! docs/export.md documents every column; scripts/test-fhir.sh holds the
//! files to those columns.

use super::fields::{flag, instant_of, int, list, text};
use super::records::{self, RecordSet};
use crate::{Error, Result};
use serde_json::Value;

/// How a column is read from a record.
#[derive(Clone, Copy)]
enum Cell {
    Text(&'static str),
    Int(&'static str),
    Flag(&'static str),
    /// Unix ms written as ISO 8601 with the record's offset.
    Instant(&'static str),
    List(&'static str),
    /// Questionnaire answers as `linkId=value; ...`.
    Answers,
    /// A score band's label.
    Band,
}

use Cell::*;

/// File name, record kind, and each column's header and cell.
type FileSpec = (&'static str, &'static str, &'static [(&'static str, Cell)]);

const FILES: &[FileSpec] = &[
    (
        "cravings.csv",
        records::CRAVING,
        &[
            ("id", Text("id")),
            ("occurred_at", Instant("occurred_at_ms")),
            ("time_zone", Text("time_zone")),
            ("intensity", Int("intensity")),
            ("duration_minutes", Int("duration_minutes")),
            ("triggers", List("triggers")),
            ("emotions", List("emotions")),
            ("company", Text("company")),
            ("place", Text("place")),
            ("substances", List("substances")),
            ("coping_tried", List("coping_tried")),
            ("outcome", Text("outcome")),
            ("marked_unsafe", Flag("marked_unsafe")),
            ("flagged_for_clinic", Flag("flagged_for_clinic")),
            ("note", Text("note")),
            ("logged_at", Instant("logged_at_ms")),
            ("revision", Int("revision")),
            ("amended_at", Instant("amended_at_ms")),
        ],
    ),
    (
        "lapses.csv",
        records::LAPSE,
        &[
            ("id", Text("id")),
            ("occurred_at", Instant("occurred_at_ms")),
            ("time_zone", Text("time_zone")),
            ("substances", List("substances")),
            ("amount", Text("amount")),
            ("triggers", List("triggers")),
            ("helped", Text("helped")),
            ("note", Text("note")),
            ("marked_unsafe", Flag("marked_unsafe")),
            ("flagged_for_clinic", Flag("flagged_for_clinic")),
            ("logged_at", Instant("logged_at_ms")),
        ],
    ),
    (
        "daily_checkins.csv",
        records::DAILY_CHECKIN,
        &[
            ("id", Text("id")),
            ("local_date", Text("local_date")),
            ("time_zone", Text("time_zone")),
            ("used_today", Flag("used_today")),
            ("mood", Int("mood")),
            ("strongest_craving", Int("strongest_craving")),
            ("sleep_quality", Int("sleep_quality")),
            ("medication_taken", Flag("medication_taken")),
            ("note", Text("note")),
            ("recorded_at", Instant("recorded_at_ms")),
            ("revision", Int("revision")),
            ("amended_at", Instant("amended_at_ms")),
        ],
    ),
    (
        "questionnaire_responses.csv",
        records::QUESTIONNAIRE_RESPONSE,
        &[
            ("id", Text("id")),
            ("questionnaire_id", Text("questionnaire_id")),
            ("completed_at", Instant("completed_at_ms")),
            ("time_zone", Text("time_zone")),
            ("score", Int("score")),
            ("band", Band),
            ("flagged_for_clinic", Flag("flagged_for_clinic")),
            ("answers", Answers),
        ],
    ),
    (
        "attendance.csv",
        records::ATTENDANCE,
        &[
            ("occurrence_id", Text("occurrence_id")),
            ("series_id", Text("series_id")),
            ("status", Text("status")),
            ("recorded_at", Instant("recorded_at_ms")),
            ("time_zone", Text("time_zone")),
        ],
    ),
    (
        "doses.csv",
        records::DOSE,
        &[
            ("dose_id", Text("dose_id")),
            ("medication_id", Text("medication_id")),
            ("due_local", Text("due_local")),
            ("status", Text("status")),
            ("confirmed_at", Instant("confirmed_at_ms")),
            ("time_zone", Text("time_zone")),
        ],
    ),
    (
        "medications.csv",
        records::MEDICATION,
        &[
            ("id", Text("id")),
            ("name", Text("name")),
            ("dose", Text("dose")),
            ("times", List("times")),
            ("weekdays", List("weekdays")),
            ("start_date", Text("start_date")),
            ("end_date", Text("end_date")),
            ("source", Text("source")),
        ],
    ),
    (
        "sessions.csv",
        records::SESSION_SERIES,
        &[
            ("id", Text("id")),
            ("kind", Text("kind")),
            ("title", Text("title")),
            ("location", Text("location")),
            ("time_zone", Text("time_zone")),
            ("start_local", Text("start_local")),
            ("duration_minutes", Int("duration_min")),
            ("source", Text("source")),
        ],
    ),
    (
        "consents.csv",
        records::CONSENT,
        &[
            ("id", Text("id")),
            ("category", Text("category")),
            ("discloser", Text("discloser")),
            ("recipient", Text("recipient")),
            ("recipient_address", Text("recipient_address")),
            ("purpose", Text("purpose")),
            ("signed_at", Instant("signed_at_ms")),
            ("expires_at", Instant("expires_at_ms")),
            ("revoked_at", Instant("revoked_at_ms")),
            ("signature", Text("signature")),
            ("time_zone", Text("time_zone")),
        ],
    ),
    (
        "coping_plan.csv",
        records::COPING_PLAN_ENTRY,
        &[
            ("id", Text("id")),
            ("section", Text("section")),
            ("text", Text("text")),
            ("phone", Text("phone")),
            ("created_at", Instant("created_at_ms")),
        ],
    ),
];

/// One CSV file of the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFile {
    pub name: String,
    pub content: String,
}

/// Every file, header row first, even when a kind has no record yet.
pub fn files(set: &RecordSet) -> Result<Vec<CsvFile>> {
    FILES
        .iter()
        .map(|(name, kind, columns)| {
            let mut writer = ::csv::WriterBuilder::new()
                .terminator(::csv::Terminator::CRLF)
                .from_writer(Vec::new());
            let failed = |_| Error::Corrupt(format!("writing {name}"));
            writer
                .write_record(columns.iter().map(|(header, _)| *header))
                .map_err(failed)?;
            for record in set.of(kind) {
                writer
                    .write_record(columns.iter().map(|(_, cell)| value(record, *cell)))
                    .map_err(failed)?;
            }
            let bytes = writer
                .into_inner()
                .map_err(|_| Error::Corrupt(format!("writing {name}")))?;
            Ok(CsvFile {
                name: name.to_string(),
                content: String::from_utf8(bytes)
                    .map_err(|_| Error::Corrupt(format!("{name} is not UTF-8")))?,
            })
        })
        .collect()
}

/// Each file name with its columns, as documented.
pub fn columns() -> Vec<(&'static str, Vec<&'static str>)> {
    FILES
        .iter()
        .map(|(name, _, columns)| (*name, columns.iter().map(|(h, _)| *h).collect()))
        .collect()
}

fn value(record: &Value, cell: Cell) -> String {
    match cell {
        Text(key) => text(record, key).unwrap_or_default().to_string(),
        Int(key) => int(record, key).map(|n| n.to_string()).unwrap_or_default(),
        Flag(key) => flag(record, key).map(|b| b.to_string()).unwrap_or_default(),
        Instant(key) => instant_of(record, key).unwrap_or_default(),
        List(key) => list(record, key).join("; "),
        Band => record
            .get("band")
            .and_then(|band| text(band, "label"))
            .unwrap_or_default()
            .to_string(),
        Answers => record
            .get("answers")
            .and_then(Value::as_array)
            .map(|answers| {
                answers
                    .iter()
                    .filter_map(|a| {
                        let given = a.get("value")?;
                        let shown = text(given, "code").map(str::to_string).or_else(|| {
                            given.get("value").map(|v| match v {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            })
                        })?;
                        Some(format!("{}={shown}", text(a, "link_id")?))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default(),
    }
}
