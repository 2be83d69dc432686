//! Craving logs: the in-the-moment record of an urge. A quick log is one value
//! (intensity 0–10); the moment and zone default to now on the phone's clock.
//! Details (duration, triggers, emotions, situation, substances, coping tried,
//! outcome, unsafe) can be given at once or added later by amending, which
//! keeps every earlier revision. Deleting leaves a tombstone for sync.
//!
//! Logging or amending returns the safety response with the craving: the
//! crisis card when the patient marks it unsafe, and the coping strategies
//! that most often helped when the craving is strong.

mod amend;
mod details;
#[cfg(test)]
mod foundation_tests;
#[cfg(test)]
mod tests;

pub use amend::CravingAmendment;
pub use details::{built_in_triggers, trigger_label, Company, CravingOutcome, Place, TRIGGERS};

use crate::coping::CopingStrategy;
use crate::crisis::{CrisisCard, CrisisReason};
use crate::outbox::{self, Operation};
use crate::{ids, moment, revision, tags, validate, Error, Result, Steady};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

pub use crate::vocabulary::MAX_INTENSITY;

/// Longest craving duration Steady accepts, in minutes (one day).
pub const MAX_DURATION_MINUTES: u32 = 24 * 60;
/// Record type of cravings in the outbox and the revision history.
pub const RECORD_TYPE: &str = crate::vocabulary::RecordType::Craving.as_str();

/// What the patient enters when logging a craving. Only `intensity` is
/// required: everything else defaults to empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewCraving {
    /// 0 (none) to 10 (strongest imaginable).
    pub intensity: u8,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub note: Option<String>,
    /// When it happened (Unix ms); now when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub occurred_at_ms: Option<i64>,
    /// IANA zone where it happened; the phone's zone when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub time_zone: Option<String>,
    /// How long it lasted, in minutes.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub duration_minutes: Option<u32>,
    /// Built-in trigger keys (see [`TRIGGERS`]) and the patient's own tags.
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub triggers: Vec<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub emotions: Vec<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub company: Option<Company>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub place: Option<Place>,
    /// The substance(s) the craving was for.
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub substances: Vec<String>,
    /// Built-in coping strategy keys and the patient's own strategies.
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub coping_tried: Vec<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub outcome: Option<CravingOutcome>,
    /// The patient does not feel safe: the crisis card comes back and the
    /// record is flagged for the clinic.
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub marked_unsafe: bool,
}

/// A stored craving, as of its latest revision. It is also the sync payload:
/// `note` is the only free text, so withholding notes drops one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Craving {
    pub id: String,
    pub intensity: u8,
    pub note: Option<String>,
    pub occurred_at_ms: i64,
    pub time_zone: String,
    pub logged_at_ms: i64,
    pub duration_minutes: Option<u32>,
    pub triggers: Vec<String>,
    pub emotions: Vec<String>,
    pub company: Option<Company>,
    pub place: Option<Place>,
    pub substances: Vec<String>,
    pub coping_tried: Vec<String>,
    pub outcome: Option<CravingOutcome>,
    pub marked_unsafe: bool,
    /// Needs the clinic's attention; stays set once any revision was unsafe.
    pub flagged_for_clinic: bool,
    /// 1 when logged; each amendment adds one.
    pub revision: u32,
    pub amended_at_ms: Option<i64>,
}

/// A craving just logged or amended, with the safety response the shell
/// shows at once.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CravingLogged {
    pub craving: Craving,
    /// Present when the craving is marked unsafe.
    pub crisis_card: Option<CrisisCard>,
    /// For a strong craving (at or above the plan's threshold) that has not
    /// passed or ended in use: the patient's coping strategies, those that
    /// most often helped cravings pass first. Empty otherwise.
    pub strategies: Vec<CopingStrategy>,
    /// The outcome is "used": offer to log a lapse (instead of coping
    /// strategies).
    pub offer_lapse: bool,
}

/// The checked details shared by logging and amending.
pub(crate) fn check_duration(minutes: Option<u32>) -> Result<Option<u32>> {
    match minutes {
        Some(m) if m > MAX_DURATION_MINUTES => Err(Error::invalid(
            "duration_minutes",
            format!("{m} is above {MAX_DURATION_MINUTES}"),
        )),
        other => Ok(other),
    }
}

impl Steady {
    /// Logs a craving. Invalid input changes nothing and names the field.
    pub fn log_craving(&self, input: NewCraving) -> Result<Craving> {
        let now = self.now();
        let coping_keys = crate::coping::strategy_keys();
        let craving = Craving {
            id: ids::new_id(),
            intensity: validate::range_0_to("intensity", input.intensity, MAX_INTENSITY)?,
            note: validate::note("note", input.note)?,
            occurred_at_ms: moment::occurred_at("occurred_at", input.occurred_at_ms, now)?,
            time_zone: moment::zone("time_zone", input.time_zone, self.zone()?)?,
            logged_at_ms: now.timestamp_millis(),
            duration_minutes: check_duration(input.duration_minutes)?,
            triggers: tags::clean("triggers", input.triggers, &details::trigger_keys())?,
            emotions: tags::clean("emotions", input.emotions, &[])?,
            company: input.company,
            place: input.place,
            substances: tags::clean("substances", input.substances, &[])?,
            coping_tried: tags::clean("coping_tried", input.coping_tried, &coping_keys)?,
            outcome: input.outcome,
            marked_unsafe: input.marked_unsafe,
            flagged_for_clinic: input.marked_unsafe,
            revision: 1,
            amended_at_ms: None,
        };
        self.write(|tx| {
            store(tx, &craving)?;
            outbox::record(
                tx,
                RECORD_TYPE,
                &craving.id,
                Operation::Upsert,
                &craving,
                now,
            )
        })?;
        Ok(craving)
    }

    /// Logs a craving and returns it with its safety response (crisis card
    /// when unsafe, coping strategies when strong).
    pub fn log_craving_with_support(&self, input: NewCraving) -> Result<CravingLogged> {
        let craving = self.log_craving(input)?;
        self.craving_support(craving, false)
    }

    /// The safety response. A craving that passed or ended in use gets no
    /// strong-craving strategies; one that ended in use is offered a lapse
    /// log instead. An amendment that says an unsafe craving passed does not
    /// bring the crisis card back.
    pub(crate) fn craving_support(&self, craving: Craving, amended: bool) -> Result<CravingLogged> {
        let passed = craving.outcome == Some(CravingOutcome::Passed);
        let used = craving.outcome == Some(CravingOutcome::Used);
        let crisis_card = (craving.marked_unsafe && !(amended && passed))
            .then(|| self.crisis_card_because(CrisisReason::CravingMarkedUnsafe));
        let strong = craving.intensity >= self.strong_craving_threshold()?;
        let strategies = if strong && !passed && !used {
            self.strategies_by_help()?
        } else {
            Vec::new()
        };
        Ok(CravingLogged {
            craving,
            crisis_card,
            strategies,
            offer_lapse: used,
        })
    }

    /// Cravings that happened in `[from_ms, to_ms)`, newest first. Deleted
    /// cravings are never listed.
    pub fn list_cravings(&self, from_ms: i64, to_ms: i64) -> Result<Vec<Craving>> {
        if from_ms > to_ms {
            return Err(Error::invalid("from", "is after to"));
        }
        self.read(|conn| cravings_between(conn, from_ms, to_ms))
    }

    /// One craving by id, unless deleted.
    pub fn craving(&self, id: &str) -> Result<Craving> {
        let id = ids::parse_id("id", id)?;
        self.read(|conn| find(conn, &id))
    }

    /// Every revision of a craving, oldest first; the last is the current one.
    pub fn craving_history(&self, id: &str) -> Result<Vec<Craving>> {
        let id = ids::parse_id("id", id)?;
        self.read(|conn| {
            let current = find(conn, &id)?;
            let mut history: Vec<Craving> = revision::earlier(conn, RECORD_TYPE, &id)?;
            history.push(current);
            Ok(history)
        })
    }

    /// Deletes a craving: hidden from lists at once, kept as a tombstone for
    /// sync.
    pub fn delete_craving(&self, id: &str) -> Result<()> {
        let id = ids::parse_id("id", id)?;
        let now = self.now();
        self.write(|tx| {
            find(tx, &id)?;
            tx.execute(
                "UPDATE craving SET deleted_at_ms = ?2 WHERE id = ?1",
                params![id, now.timestamp_millis()],
            )?;
            outbox::record(
                tx,
                RECORD_TYPE,
                &id,
                Operation::Delete,
                &serde_json::json!({ "id": id }),
                now,
            )
        })
    }
}

/// Writes a craving's current state: inserts it, or on amendment replaces
/// everything but its id and when it was first logged.
fn store(conn: &Connection, craving: &Craving) -> Result<()> {
    // The write a patient makes most, in seconds: prepared once per connection.
    conn.prepare_cached(
        "INSERT INTO craving (id, intensity, note, occurred_at_ms, time_zone, logged_at_ms,
            duration_minutes, triggers, emotions, company, place, substances, coping_tried,
            outcome, marked_unsafe, flagged_for_clinic, revision, amended_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
         ON CONFLICT (id) DO UPDATE SET intensity = excluded.intensity, note = excluded.note,
            occurred_at_ms = excluded.occurred_at_ms, time_zone = excluded.time_zone,
            duration_minutes = excluded.duration_minutes, triggers = excluded.triggers,
            emotions = excluded.emotions, company = excluded.company, place = excluded.place,
            substances = excluded.substances, coping_tried = excluded.coping_tried,
            outcome = excluded.outcome, marked_unsafe = excluded.marked_unsafe,
            flagged_for_clinic = excluded.flagged_for_clinic, revision = excluded.revision,
            amended_at_ms = excluded.amended_at_ms",
    )?
    .execute(params![
        craving.id,
        craving.intensity,
        craving.note,
        craving.occurred_at_ms,
        craving.time_zone,
        craving.logged_at_ms,
        craving.duration_minutes,
        tags::to_json(&craving.triggers),
        tags::to_json(&craving.emotions),
        craving.company.as_ref().map(details::key_of),
        craving.place.as_ref().map(details::key_of),
        tags::to_json(&craving.substances),
        tags::to_json(&craving.coping_tried),
        craving.outcome.as_ref().map(details::key_of),
        craving.marked_unsafe,
        craving.flagged_for_clinic,
        craving.revision,
        craving.amended_at_ms,
    ])?;
    Ok(())
}

const COLUMNS: &str = "id, intensity, note, occurred_at_ms, time_zone, logged_at_ms,
    duration_minutes, triggers, emotions, company, place, substances, coping_tried, outcome,
    marked_unsafe, flagged_for_clinic, revision, amended_at_ms";

/// Live cravings in `[from_ms, to_ms)`, newest first: the query progress and
/// the clinic summary build on.
pub(crate) fn cravings_between(
    conn: &Connection,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<Craving>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM craving
         WHERE deleted_at_ms IS NULL AND occurred_at_ms >= ?1 AND occurred_at_ms < ?2
         ORDER BY occurred_at_ms DESC, logged_at_ms DESC"
    ))?;
    let rows = stmt.query_map(params![from_ms, to_ms], craving_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn find(conn: &Connection, id: &str) -> Result<Craving> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM craving WHERE id = ?1 AND deleted_at_ms IS NULL"),
        params![id],
        craving_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        what: "craving",
        id: id.to_string(),
    })
}

fn craving_from_row(row: &Row<'_>) -> rusqlite::Result<Craving> {
    Ok(Craving {
        id: row.get(0)?,
        intensity: row.get(1)?,
        note: row.get(2)?,
        occurred_at_ms: row.get(3)?,
        time_zone: row.get(4)?,
        logged_at_ms: row.get(5)?,
        duration_minutes: row.get(6)?,
        triggers: tags::from_json(7, &row.get::<_, String>(7)?)?,
        emotions: tags::from_json(8, &row.get::<_, String>(8)?)?,
        company: details::column(9, row.get(9)?)?,
        place: details::column(10, row.get(10)?)?,
        substances: tags::from_json(11, &row.get::<_, String>(11)?)?,
        coping_tried: tags::from_json(12, &row.get::<_, String>(12)?)?,
        outcome: details::column(13, row.get(13)?)?,
        marked_unsafe: row.get(14)?,
        flagged_for_clinic: row.get(15)?,
        revision: row.get(16)?,
        amended_at_ms: row.get(17)?,
    })
}
