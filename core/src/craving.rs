//! Craving logs: the quick in-the-moment record of an urge. Logging takes one
//! value (intensity 0–10); the moment and its zone default to now on the
//! phone's clock. Deleting leaves a tombstone so the deletion can be synced.

use crate::outbox::{self, Operation};
use crate::{ids, validate, Error, Result, Steady};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

/// Highest craving intensity on Steady's 0–10 scale.
pub const MAX_INTENSITY: u8 = 10;

/// What the patient enters when logging a craving.
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
}

/// A stored craving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Craving {
    pub id: String,
    pub intensity: u8,
    pub note: Option<String>,
    pub occurred_at_ms: i64,
    pub time_zone: String,
    pub logged_at_ms: i64,
}

/// Cravings may be logged a little ahead of the phone's clock (clock drift
/// between devices), never further.
const FUTURE_TOLERANCE_MS: i64 = 5 * 60 * 1000;

impl Steady {
    /// Logs a craving. Invalid input changes nothing and names the field.
    pub fn log_craving(&self, input: NewCraving) -> Result<Craving> {
        let now = self.now();
        let intensity = validate::range_0_to("intensity", input.intensity, MAX_INTENSITY)?;
        let note = validate::note("note", input.note)?;
        let time_zone = match input.time_zone {
            Some(name) => validate::time_zone("time_zone", &name)?.name().to_string(),
            None => self.zone()?.name().to_string(),
        };
        let occurred_at_ms = match input.occurred_at_ms {
            Some(ms) => {
                validate::instant_ms("occurred_at", ms)?;
                if ms > now.timestamp_millis() + FUTURE_TOLERANCE_MS {
                    return Err(Error::invalid("occurred_at", "is in the future"));
                }
                ms
            }
            None => now.timestamp_millis(),
        };
        let craving = Craving {
            id: ids::new_id(),
            intensity,
            note,
            occurred_at_ms,
            time_zone,
            logged_at_ms: now.timestamp_millis(),
        };
        self.write(|tx| {
            tx.execute(
                "INSERT INTO craving (id, intensity, note, occurred_at_ms, time_zone, logged_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    craving.id,
                    craving.intensity,
                    craving.note,
                    craving.occurred_at_ms,
                    craving.time_zone,
                    craving.logged_at_ms
                ],
            )?;
            outbox::record(tx, "craving", &craving.id, Operation::Upsert, &craving, now)?;
            Ok(())
        })?;
        Ok(craving)
    }

    /// Cravings that happened in `[from_ms, to_ms)`, newest first. Deleted
    /// cravings are never listed.
    pub fn list_cravings(&self, from_ms: i64, to_ms: i64) -> Result<Vec<Craving>> {
        if from_ms > to_ms {
            return Err(Error::invalid("from", "is after to"));
        }
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT id, intensity, note, occurred_at_ms, time_zone, logged_at_ms
                 FROM craving
                 WHERE deleted_at_ms IS NULL AND occurred_at_ms >= ?1 AND occurred_at_ms < ?2
                 ORDER BY occurred_at_ms DESC, logged_at_ms DESC",
            )?;
            let rows = stmt.query_map(params![from_ms, to_ms], craving_from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// One craving by id, unless deleted.
    pub fn craving(&self, id: &str) -> Result<Craving> {
        let id = ids::parse_id("id", id)?;
        self.read(|conn| find(conn, &id))
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
                "craving",
                &id,
                Operation::Delete,
                &serde_json::json!({ "id": id }),
                now,
            )
        })
    }
}

fn find(conn: &Connection, id: &str) -> Result<Craving> {
    conn.query_row(
        "SELECT id, intensity, note, occurred_at_ms, time_zone, logged_at_ms
         FROM craving WHERE id = ?1 AND deleted_at_ms IS NULL",
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{open_at, TestDb};

    fn quick(intensity: u8) -> NewCraving {
        NewCraving {
            intensity,
            ..NewCraving::default()
        }
    }

    #[test]
    fn logging_defaults_to_now_in_the_phones_zone() {
        let db = TestDb::new("2026-03-08T12:00:00Z", "America/New_York");
        let craving = db.steady.log_craving(quick(6)).unwrap();
        assert_eq!(craving.intensity, 6);
        assert_eq!(craving.time_zone, "America/New_York");
        assert_eq!(craving.occurred_at_ms, db.now_ms());
        assert_eq!(db.steady.craving(&craving.id).unwrap(), craving);
    }

    #[test]
    fn list_is_newest_first_within_the_range() {
        let db = TestDb::new("2026-03-08T12:00:00Z", "Europe/London");
        let hour = 3_600_000;
        let old = db.steady.log_craving(NewCraving {
            occurred_at_ms: Some(db.now_ms() - 5 * hour),
            ..quick(3)
        });
        let mid = db.steady.log_craving(NewCraving {
            occurred_at_ms: Some(db.now_ms() - 2 * hour),
            ..quick(5)
        });
        let new = db.steady.log_craving(quick(8)).unwrap();
        let listed = db
            .steady
            .list_cravings(db.now_ms() - 3 * hour, db.now_ms() + 1)
            .unwrap();
        assert_eq!(listed, vec![new, mid.unwrap()]);
        assert!(old.is_ok());
    }

    #[test]
    fn bad_input_names_the_field_and_writes_nothing() {
        let db = TestDb::new("2026-03-08T12:00:00Z", "UTC");
        let cases = [
            (quick(11), "intensity"),
            (
                NewCraving {
                    time_zone: Some("Mars/Olympus_Mons".into()),
                    ..quick(4)
                },
                "time_zone",
            ),
            (
                NewCraving {
                    note: Some("x".repeat(crate::validate::MAX_NOTE_CHARS + 1)),
                    ..quick(4)
                },
                "note",
            ),
            (
                NewCraving {
                    occurred_at_ms: Some(db.now_ms() + 86_400_000),
                    ..quick(4)
                },
                "occurred_at",
            ),
            (
                NewCraving {
                    occurred_at_ms: Some(i64::MAX),
                    ..quick(4)
                },
                "occurred_at",
            ),
        ];
        for (input, expected_field) in cases {
            match db.steady.log_craving(input) {
                Err(Error::Invalid { field, .. }) => assert_eq!(field, expected_field),
                other => panic!("expected invalid {expected_field}, got {other:?}"),
            }
        }
        assert!(db.steady.list_cravings(0, i64::MAX).unwrap().is_empty());
        assert!(db.steady.pending_outbox().unwrap().is_empty());
    }

    #[test]
    fn delete_hides_the_craving_and_queues_a_tombstone() {
        let db = TestDb::new("2026-03-08T12:00:00Z", "UTC");
        let craving = db.steady.log_craving(quick(7)).unwrap();
        db.steady.delete_craving(&craving.id).unwrap();
        assert!(db.steady.list_cravings(0, i64::MAX).unwrap().is_empty());
        assert!(matches!(
            db.steady.craving(&craving.id),
            Err(Error::NotFound { .. })
        ));
        let ops: Vec<_> = db
            .steady
            .pending_outbox()
            .unwrap()
            .into_iter()
            .map(|e| (e.record_id, e.operation))
            .collect();
        assert_eq!(
            ops,
            vec![
                (craving.id.clone(), "upsert".to_string()),
                (craving.id.clone(), "delete".to_string())
            ]
        );
        assert!(matches!(
            db.steady.delete_craving(&craving.id),
            Err(Error::NotFound { .. })
        ));
        assert!(matches!(
            db.steady.delete_craving("not-an-id"),
            Err(Error::Invalid { field, .. }) if field == "id"
        ));
    }

    #[test]
    fn cravings_survive_close_and_reopen() {
        let db = TestDb::new("2026-03-08T12:00:00Z", "UTC");
        let craving = db.steady.log_craving(quick(2)).unwrap();
        db.steady.close();
        assert!(matches!(
            db.steady.list_cravings(0, i64::MAX),
            Err(Error::Closed)
        ));
        let reopened = open_at(&db.path, &db.key, db.clock.clone()).unwrap();
        assert_eq!(reopened.list_cravings(0, i64::MAX).unwrap(), vec![craving]);
    }
}
