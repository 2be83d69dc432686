-- When each reminder actually fired on this phone, so lateness is measured
-- the same way on Android and iOS (core/src/reminders/fired.rs). Device-local:
-- never synced, pruned after 30 days.
CREATE TABLE reminder_fired (
    reminder_id   TEXT    NOT NULL,
    planned_at_ms INTEGER NOT NULL,
    fired_at_ms   INTEGER NOT NULL,
    PRIMARY KEY (reminder_id, planned_at_ms)
);
CREATE INDEX reminder_fired_at ON reminder_fired (fired_at_ms);
