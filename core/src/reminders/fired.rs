//! When each reminder actually fired. Phones hold alarms the platform may
//! deliver late (Android Doze, manufacturers' battery savers, inexact alarms);
//! the shell records each delivery here, so lateness is measured by one rule
//! on both phones and the shell can show the late-reminder guidance only when
//! the core says reminders did arrive late. Device-local: never synced.

use crate::{Error, Instant, Result, Steady};
use chrono::Duration;
use rusqlite::params;
use serde::Serialize;

/// A reminder delivered more than this many minutes after its planned time
/// is late: past what Doze's allow-while-idle alarms normally add, and what a
/// patient notices.
pub const LATE_AFTER_MINUTES: u32 = 10;
/// `late_recently` looks back this far.
const RECENT_DAYS: i64 = 7;
/// Firings older than this are forgotten.
const KEEP_DAYS: i64 = 30;
/// A planned time further ahead than this is not a firing but a mistake.
const AHEAD_TOLERANCE_MIN: i64 = 24 * 60;
const MAX_ID_LEN: usize = 300;

/// One delivery of one reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReminderFiring {
    pub reminder_id: String,
    /// When the plan said it should fire.
    pub planned_at: Instant,
    /// When the phone delivered it (as the shell reported, or the clock at
    /// the call).
    pub fired_at: Instant,
    /// Whole minutes after `planned_at`; 0 when early or on time.
    pub late_minutes: u32,
    /// `late_minutes` above [`LATE_AFTER_MINUTES`].
    pub late: bool,
}

/// How reminders were delivered over the last seven days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReminderDelivery {
    pub fired: u32,
    pub late: u32,
    pub worst_late_minutes: u32,
    /// The latest late delivery, if any.
    pub last_late: Option<ReminderFiring>,
    /// At least one reminder arrived late: show why, and the way to the
    /// battery-optimisation setting.
    pub late_recently: bool,
}

fn firing(reminder_id: String, planned_ms: i64, fired_ms: i64) -> ReminderFiring {
    let late_minutes = u32::try_from((fired_ms - planned_ms).max(0) / 60_000).unwrap_or(u32::MAX);
    ReminderFiring {
        reminder_id,
        planned_at: Instant::from_millis(planned_ms),
        fired_at: Instant::from_millis(fired_ms),
        late_minutes,
        late: late_minutes > LATE_AFTER_MINUTES,
    }
}

impl Steady {
    /// Records that the reminder `reminder_id` planned for `planned_at` was
    /// delivered at `fired_at`, or now when `None`. A shell that learns of a
    /// delivery later (iOS reports delivered notifications with their
    /// delivery date when the app next runs) passes that date, so lateness is
    /// the platform's and not the app's. A second call for the same delivery
    /// keeps the first record.
    pub fn record_reminder_fired(
        &self,
        reminder_id: &str,
        planned_at: Instant,
        fired_at: Option<Instant>,
    ) -> Result<ReminderFiring> {
        if reminder_id.trim().is_empty() || reminder_id.len() > MAX_ID_LEN {
            return Err(Error::invalid(
                "reminder_id",
                format!("must be 1 to {MAX_ID_LEN} characters"),
            ));
        }
        let now = self.now();
        let forget_before = (now - Duration::days(KEEP_DAYS)).timestamp_millis();
        let fired_ms = match fired_at {
            None => now.timestamp_millis(),
            Some(at) if at.as_millis() > (now + Duration::minutes(1)).timestamp_millis() => {
                return Err(Error::invalid(
                    "fired_at",
                    "is after now: record a delivery once it happened",
                ));
            }
            Some(at) if at.as_millis() < forget_before => {
                return Err(Error::invalid(
                    "fired_at",
                    format!("is more than {KEEP_DAYS} days ago; firings are kept {KEEP_DAYS} days"),
                ));
            }
            Some(at) => at.as_millis(),
        };
        if planned_at.as_millis() > fired_ms.saturating_add(AHEAD_TOLERANCE_MIN * 60_000) {
            return Err(Error::invalid(
                "planned_at",
                "is more than a day after the delivery: a reminder cannot fire before it is due",
            ));
        }
        let stored_ms = self.write(|tx| {
            tx.execute(
                "DELETE FROM reminder_fired WHERE fired_at_ms < ?1",
                params![forget_before],
            )?;
            tx.execute(
                "INSERT OR IGNORE INTO reminder_fired (reminder_id, planned_at_ms, fired_at_ms)
                 VALUES (?1, ?2, ?3)",
                params![reminder_id, planned_at.as_millis(), fired_ms],
            )?;
            Ok(tx.query_row(
                "SELECT fired_at_ms FROM reminder_fired
                 WHERE reminder_id = ?1 AND planned_at_ms = ?2",
                params![reminder_id, planned_at.as_millis()],
                |row| row.get::<_, i64>(0),
            )?)
        })?;
        Ok(firing(
            reminder_id.to_string(),
            planned_at.as_millis(),
            stored_ms,
        ))
    }

    /// How reminders fired over the last seven days.
    pub fn reminder_delivery(&self) -> Result<ReminderDelivery> {
        let since = (self.now() - Duration::days(RECENT_DAYS)).timestamp_millis();
        let firings = self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT reminder_id, planned_at_ms, fired_at_ms FROM reminder_fired
                 WHERE fired_at_ms >= ?1 ORDER BY fired_at_ms, reminder_id",
            )?;
            let rows = stmt.query_map(params![since], |row| {
                Ok(firing(row.get(0)?, row.get(1)?, row.get(2)?))
            })?;
            Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
        })?;
        let late: Vec<&ReminderFiring> = firings.iter().filter(|f| f.late).collect();
        Ok(ReminderDelivery {
            fired: u32::try_from(firings.len()).unwrap_or(u32::MAX),
            late: u32::try_from(late.len()).unwrap_or(u32::MAX),
            worst_late_minutes: firings.iter().map(|f| f.late_minutes).max().unwrap_or(0),
            last_late: late.last().map(|f| (*f).clone()),
            late_recently: !late.is_empty(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{firing, ReminderFiring};
    use crate::test_support::{fixture, invalid_field, utc, TestDb};
    use crate::{ChangeArea, ChangeObserver, ChangeSet, Instant, Screen};
    use chrono::Duration;
    use rusqlite::{params, OptionalExtension};
    use std::sync::{Arc, Mutex};

    /// The delivery stored for `reminder_id` at `planned_at`, if any.
    fn stored(f: &TestDb, reminder_id: &str, planned_at: Instant) -> Option<ReminderFiring> {
        f.steady
            .read(|conn| {
                Ok(conn
                    .query_row(
                        "SELECT fired_at_ms FROM reminder_fired
                         WHERE reminder_id = ?1 AND planned_at_ms = ?2",
                        params![reminder_id, planned_at.as_millis()],
                        |row| row.get::<_, i64>(0),
                    )
                    .optional()?)
            })
            .unwrap()
            .map(|fired| firing(reminder_id.to_string(), planned_at.as_millis(), fired))
    }

    fn at(rfc3339: &str) -> Instant {
        Instant::from_datetime(utc(rfc3339))
    }

    #[test]
    fn lateness_is_whole_minutes_after_the_planned_time() {
        let f = fixture(); // 2026-03-10 14:00 UTC
        let on_time = f
            .steady
            .record_reminder_fired("checkin:2026-03-10", at("2026-03-10T13:59:30Z"), None)
            .unwrap();
        assert_eq!(on_time.late_minutes, 0);
        assert!(!on_time.late);
        assert_eq!(on_time.fired_at, at("2026-03-10T14:00:00Z"));

        let early = f
            .steady
            .record_reminder_fired("dose:m@2026-03-10T10:05", at("2026-03-10T14:05:00Z"), None)
            .unwrap();
        assert_eq!(
            early.late_minutes, 0,
            "an early delivery is not negative lateness"
        );

        let edge = f
            .steady
            .record_reminder_fired("dose:m@2026-03-10T09:50", at("2026-03-10T13:50:00Z"), None)
            .unwrap();
        assert_eq!((edge.late_minutes, edge.late), (10, false));
        let late = f
            .steady
            .record_reminder_fired("dose:m@2026-03-10T09:49", at("2026-03-10T13:49:00Z"), None)
            .unwrap();
        assert_eq!((late.late_minutes, late.late), (11, true));
    }

    #[test]
    fn a_second_delivery_of_the_same_reminder_keeps_the_first() {
        let f = fixture();
        let planned = at("2026-03-10T13:00:00Z");
        let first = f
            .steady
            .record_reminder_fired("checkin:x", planned, None)
            .unwrap();
        f.clock.advance(Duration::minutes(30));
        let again = f
            .steady
            .record_reminder_fired("checkin:x", planned, None)
            .unwrap();
        assert_eq!(again, first);
        assert_eq!(f.steady.reminder_delivery().unwrap().fired, 1);
    }

    #[test]
    fn delivery_summary_says_late_only_for_late_firings_of_the_last_week() {
        let f = fixture();
        assert!(!f.steady.reminder_delivery().unwrap().late_recently);
        f.steady
            .record_reminder_fired("a", at("2026-03-10T13:58:00Z"), None)
            .unwrap();
        let calm = f.steady.reminder_delivery().unwrap();
        assert_eq!((calm.fired, calm.late, calm.late_recently), (1, 0, false));

        f.steady
            .record_reminder_fired("b", at("2026-03-10T13:20:00Z"), None)
            .unwrap();
        let late = f.steady.reminder_delivery().unwrap();
        assert_eq!((late.fired, late.late, late.worst_late_minutes), (2, 1, 40));
        assert!(late.late_recently);
        assert_eq!(late.last_late.unwrap().reminder_id, "b");

        f.clock.advance(Duration::days(8));
        let week_on = f.steady.reminder_delivery().unwrap();
        assert_eq!((week_on.fired, week_on.late_recently), (0, false));
        assert!(
            stored(&f, "b", at("2026-03-10T13:20:00Z")).is_some(),
            "kept beyond the week"
        );
        f.clock.advance(Duration::days(30));
        f.steady
            .record_reminder_fired("c", at("2026-04-17T13:59:00Z"), None)
            .unwrap();
        assert!(
            stored(&f, "b", at("2026-03-10T13:20:00Z")).is_none(),
            "forgotten after 30 days"
        );
    }

    #[test]
    fn bad_input_is_refused_and_records_nothing() {
        let f = fixture();
        assert_eq!(
            invalid_field(
                f.steady
                    .record_reminder_fired(" ", at("2026-03-10T13:00:00Z"), None)
            ),
            "reminder_id"
        );
        assert_eq!(
            invalid_field(f.steady.record_reminder_fired(
                &"x".repeat(301),
                at("2026-03-10T13:00:00Z"),
                None
            )),
            "reminder_id"
        );
        assert_eq!(
            invalid_field(
                f.steady
                    .record_reminder_fired("a", at("2026-03-12T13:00:00Z"), None)
            ),
            "planned_at"
        );
        assert_eq!(
            invalid_field(f.steady.record_reminder_fired(
                "a",
                at("2026-03-10T13:00:00Z"),
                Some(at("2026-03-10T14:05:00Z"))
            )),
            "fired_at",
            "a delivery after now"
        );
        assert_eq!(
            invalid_field(f.steady.record_reminder_fired(
                "a",
                at("2026-02-01T13:00:00Z"),
                Some(at("2026-02-01T13:00:00Z"))
            )),
            "fired_at",
            "older than the 30 days kept"
        );
        assert_eq!(f.steady.reminder_delivery().unwrap().fired, 0);
    }

    #[test]
    fn a_delivery_reported_later_is_measured_at_its_own_time() {
        // 14:00 now: iOS reports a notification it delivered at 13:02 for 13:00.
        let f = fixture();
        let reported = f
            .steady
            .record_reminder_fired(
                "dose:m@2026-03-10T09:00",
                at("2026-03-10T13:00:00Z"),
                Some(at("2026-03-10T13:02:00Z")),
            )
            .unwrap();
        assert_eq!(reported.fired_at, at("2026-03-10T13:02:00Z"));
        assert_eq!((reported.late_minutes, reported.late), (2, false));
        assert!(!f.steady.reminder_delivery().unwrap().late_recently);

        let late = f
            .steady
            .record_reminder_fired(
                "checkin:2026-03-10",
                at("2026-03-10T12:00:00Z"),
                Some(at("2026-03-10T12:45:00Z")),
            )
            .unwrap();
        assert_eq!((late.late_minutes, late.late), (45, true));
    }

    struct Seen(Mutex<Vec<ChangeSet>>);
    impl ChangeObserver for Seen {
        fn changed(&self, changes: &ChangeSet) {
            self.0.lock().unwrap().push(changes.clone());
        }
    }

    #[test]
    fn a_firing_signals_the_reminder_plan() {
        let f = fixture();
        let seen = Arc::new(Seen(Mutex::new(Vec::new())));
        let _token = f.steady.observe(seen.clone());
        f.steady
            .record_reminder_fired("a", at("2026-03-10T13:00:00Z"), None)
            .unwrap();
        let seen = seen.0.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert!(seen[0].areas.contains(&ChangeArea::Reminders));
        assert!(seen[0].screens.contains(&Screen::ReminderPlan));
        assert!(seen[0].screens.contains(&Screen::Settings));
    }
}
