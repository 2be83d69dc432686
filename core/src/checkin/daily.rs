//! The daily check-in: used today, mood, strongest craving, sleep, medication,
//! an optional note — under 30 seconds. At most one per local day: a second
//! one that day amends it, keeping the earlier revision.

use crate::outbox::{self, Operation};
use crate::{ids, revision, validate, Error, Result, Steady};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// Record type of daily check-ins in the outbox and the revision history.
pub const RECORD_TYPE: &str = crate::vocabulary::RecordType::DailyCheckin.as_str();

#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewDailyCheckIn {
    pub used_today: bool,
    /// What was used, when `used_today`. Left empty, the use counts against
    /// every tracked substance (docs/checkins.md).
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub substances: Vec<String>,
    /// 1 (very low) to 5 (very good).
    pub mood: u8,
    /// Strongest craving today, 0–10.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub strongest_craving: Option<u8>,
    /// 1 (very poor) to 5 (very good).
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub sleep_quality: Option<u8>,
    /// Absent when the patient takes no medication.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub medication_taken: Option<bool>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub note: Option<String>,
    /// The local day answered for, YYYY-MM-DD; today in the phone's zone when
    /// absent. Never a future day.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub local_date: Option<String>,
}

/// A stored daily check-in; also its sync payload (`note` is the only note).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DailyCheckIn {
    pub id: String,
    pub local_date: String,
    pub time_zone: String,
    pub used_today: bool,
    /// The substances named for a use; empty when none was named (or no use).
    #[serde(default)]
    pub substances: Vec<String>,
    pub mood: u8,
    pub strongest_craving: Option<u8>,
    pub sleep_quality: Option<u8>,
    pub medication_taken: Option<bool>,
    pub note: Option<String>,
    pub recorded_at_ms: i64,
    /// 1 for the first answer that day; each later answer adds one.
    pub revision: u32,
    pub amended_at_ms: Option<i64>,
}

fn scale_1_to_5(field: &str, value: u8) -> Result<u8> {
    if !(1..=5).contains(&value) {
        return Err(Error::invalid(field, format!("{value} is outside 1-5")));
    }
    Ok(value)
}

impl Steady {
    /// Records today's (or a past day's) check-in; a second one for the same
    /// day replaces its answers and keeps the earlier revision.
    pub fn record_daily_checkin(&self, input: NewDailyCheckIn) -> Result<DailyCheckIn> {
        let now = self.now();
        let zone = self.zone()?;
        let today = now.with_timezone(&zone).date_naive();
        let local_date = match input.local_date {
            Some(text) => {
                let date = parse_date("local_date", &text)?;
                if date > today {
                    return Err(Error::invalid("local_date", "is a future day"));
                }
                date
            }
            None => today,
        };
        let mut checkin = DailyCheckIn {
            id: ids::new_id(),
            local_date: local_date.to_string(),
            time_zone: zone.name().to_string(),
            used_today: input.used_today,
            substances: used_substances(input.used_today, input.substances)?,
            mood: scale_1_to_5("mood", input.mood)?,
            strongest_craving: input
                .strongest_craving
                .map(|c| {
                    validate::range_0_to("strongest_craving", c, crate::vocabulary::MAX_INTENSITY)
                })
                .transpose()?,
            sleep_quality: input
                .sleep_quality
                .map(|s| scale_1_to_5("sleep_quality", s))
                .transpose()?,
            medication_taken: input.medication_taken,
            note: validate::note("note", input.note)?,
            recorded_at_ms: now.timestamp_millis(),
            revision: 1,
            amended_at_ms: None,
        };
        self.write(|tx| {
            if let Some(earlier) = on_day(tx, &checkin.local_date)? {
                checkin.id.clone_from(&earlier.id);
                checkin.recorded_at_ms = earlier.recorded_at_ms;
                checkin.revision = earlier.revision + 1;
                checkin.amended_at_ms = Some(now.timestamp_millis());
                revision::keep(
                    tx,
                    RECORD_TYPE,
                    &earlier.id,
                    earlier.revision,
                    &earlier,
                    now,
                )?;
            }
            tx.execute(
                "INSERT INTO daily_checkin (id, local_date, time_zone, used_today, mood,
                    strongest_craving, sleep_quality, medication_taken, note, recorded_at_ms,
                    revision, amended_at_ms, substances)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                 ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone,
                    used_today = excluded.used_today, substances = excluded.substances,
                    mood = excluded.mood,
                    strongest_craving = excluded.strongest_craving,
                    sleep_quality = excluded.sleep_quality,
                    medication_taken = excluded.medication_taken, note = excluded.note,
                    revision = excluded.revision, amended_at_ms = excluded.amended_at_ms",
                params![
                    checkin.id,
                    checkin.local_date,
                    checkin.time_zone,
                    checkin.used_today,
                    checkin.mood,
                    checkin.strongest_craving,
                    checkin.sleep_quality,
                    checkin.medication_taken,
                    checkin.note,
                    checkin.recorded_at_ms,
                    checkin.revision,
                    checkin.amended_at_ms,
                    crate::tags::to_json(&checkin.substances),
                ],
            )?;
            outbox::record(
                tx,
                RECORD_TYPE,
                &checkin.id,
                Operation::Upsert,
                &checkin,
                now,
            )
        })?;
        Ok(checkin)
    }

    /// The check-in for a local day, if answered.
    pub fn daily_checkin(&self, local_date: &str) -> Result<Option<DailyCheckIn>> {
        let date = parse_date("local_date", local_date)?;
        self.read(|conn| on_day(conn, &date.to_string()))
    }

    /// Check-ins for local days `from`..=`to` (YYYY-MM-DD), oldest first.
    pub fn daily_checkins(&self, from: &str, to: &str) -> Result<Vec<DailyCheckIn>> {
        let from = parse_date("from", from)?;
        let to = parse_date("to", to)?;
        if from > to {
            return Err(Error::invalid("from", "is after to"));
        }
        self.read(|conn| checkins_between(conn, from, to))
    }

    /// Every revision of a day's check-in, oldest first; the last is current.
    pub fn daily_checkin_history(&self, local_date: &str) -> Result<Vec<DailyCheckIn>> {
        let date = parse_date("local_date", local_date)?;
        self.read(|conn| {
            let current = on_day(conn, &date.to_string())?.ok_or_else(|| Error::NotFound {
                what: "daily check-in",
                id: date.to_string(),
            })?;
            let mut history: Vec<DailyCheckIn> = revision::earlier(conn, RECORD_TYPE, &current.id)?;
            history.push(current);
            Ok(history)
        })
    }
}

pub(crate) fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    validate::date(field, text)
}

const COLUMNS: &str = "id, local_date, time_zone, used_today, mood, strongest_craving,
    sleep_quality, medication_taken, note, recorded_at_ms, revision, amended_at_ms, substances";

/// Substances may be named only for a day with use.
fn used_substances(used_today: bool, substances: Vec<String>) -> Result<Vec<String>> {
    let substances = crate::tags::clean("substances", substances, &[])?;
    if !used_today && !substances.is_empty() {
        return Err(Error::invalid(
            "substances",
            "can be named only when used today is yes",
        ));
    }
    Ok(substances)
}

fn on_day(conn: &Connection, local_date: &str) -> Result<Option<DailyCheckIn>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM daily_checkin WHERE local_date = ?1"),
            params![local_date],
            checkin_from_row,
        )
        .optional()?)
}

/// Check-ins for local days `from..=to`, oldest first: what progress counts
/// completion and use days from.
pub(crate) fn checkins_between(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DailyCheckIn>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM daily_checkin
         WHERE local_date >= ?1 AND local_date <= ?2 ORDER BY local_date"
    ))?;
    let rows = stmt.query_map(params![from.to_string(), to.to_string()], checkin_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn checkin_from_row(row: &Row<'_>) -> rusqlite::Result<DailyCheckIn> {
    Ok(DailyCheckIn {
        id: row.get(0)?,
        local_date: row.get(1)?,
        time_zone: row.get(2)?,
        used_today: row.get(3)?,
        mood: row.get(4)?,
        strongest_craving: row.get(5)?,
        sleep_quality: row.get(6)?,
        medication_taken: row.get(7)?,
        note: row.get(8)?,
        recorded_at_ms: row.get(9)?,
        revision: row.get(10)?,
        amended_at_ms: row.get(11)?,
        substances: crate::tags::from_json(12, &row.get::<_, String>(12)?)?,
    })
}
