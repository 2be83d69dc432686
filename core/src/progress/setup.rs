//! The day Steady was set up: stored once, at the first open, and used as the
//! program start when the patient sets none, so that start never moves.

use super::days::{local_date, stored_date, stored_zone};
use crate::Result;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

/// Stores the set-up day unless one is stored. On a database from before
/// the set-up day was kept, the earliest record counts as set-up.
pub(crate) fn record(conn: &Connection, today: NaiveDate, now_ms: i64) -> Result<()> {
    if set_up_on(conn)?.is_some() {
        return Ok(());
    }
    let day = first_record_day(conn)?.map_or(today, |first| first.min(today));
    conn.execute(
        "INSERT OR IGNORE INTO app_setup (id, set_up_on, set_up_at_ms) VALUES (1, ?1, ?2)",
        params![day.to_string(), now_ms],
    )?;
    Ok(())
}

/// The stored set-up day, if any.
pub(crate) fn set_up_on(conn: &Connection) -> Result<Option<NaiveDate>> {
    let text: Option<String> = conn
        .query_row("SELECT set_up_on FROM app_setup WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    text.map(|t| {
        NaiveDate::parse_from_str(&t, "%Y-%m-%d")
            .map_err(|_| crate::Error::Corrupt("stored set-up day".into()))
    })
    .transpose()
}

/// The local date of the earliest craving, lapse or check-in.
fn first_record_day(conn: &Connection) -> Result<Option<NaiveDate>> {
    let mut first: Option<NaiveDate> = None;
    for sql in [
        "SELECT occurred_at_ms, time_zone FROM craving WHERE deleted_at_ms IS NULL
         ORDER BY occurred_at_ms LIMIT 1",
        "SELECT occurred_at_ms, time_zone FROM lapse WHERE deleted_at_ms IS NULL
         ORDER BY occurred_at_ms LIMIT 1",
    ] {
        let row: Option<(i64, String)> = conn
            .query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((at_ms, zone)) = row {
            let day = local_date(at_ms, stored_zone(&zone)?);
            first = Some(first.map_or(day, |f| f.min(day)));
        }
    }
    let checkin: Option<String> = conn
        .query_row("SELECT min(local_date) FROM daily_checkin", [], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    if let Some(day) = checkin {
        let day = stored_date(&day)?;
        first = Some(first.map_or(day, |f| f.min(day)));
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use crate::test_support::{open_at, utc, TestDb};
    use crate::NewLapse;

    #[test]
    fn the_set_up_day_is_the_program_start_and_a_later_first_lapse_does_not_move_it() {
        let db = TestDb::new("2026-01-01T15:00:00Z", "America/New_York");
        db.clock.set(utc("2026-01-20T15:00:00Z"));
        db.steady.log_lapse(NewLapse::default()).unwrap();
        let p = db.steady.progress(None).unwrap();
        assert_eq!(p.program_start, "2026-01-01");
        assert_eq!(p.sober.sober_days_in_program, 19);
        assert_eq!(p.sober.days_in_program, 20);
        // Reopened months later, the start stays.
        db.clock.set(utc("2026-06-01T15:00:00Z"));
        let again = open_at(&db.path, &db.key, db.clock.clone()).unwrap();
        assert_eq!(again.progress(None).unwrap().program_start, "2026-01-01");
    }
}
