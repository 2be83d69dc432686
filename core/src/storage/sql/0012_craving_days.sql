-- Per-day craving figures, so a five-year Progress report reads one row a day
-- instead of every craving (docs/progress.md, docs/adr/0070). Derived data:
-- rebuilt from the craving table, never exported, backed up or synced.
--
-- `craving_day` holds, for each local date (each craving on the date of the
-- zone it happened in), the count, intensity sum and peak, the count per
-- local hour, and the trigger and coping tallies, all as JSON.
CREATE TABLE craving_day (
    local_date  TEXT PRIMARY KEY,
    count       INTEGER NOT NULL,
    intensity_sum INTEGER NOT NULL,
    peak        INTEGER,
    hours       TEXT NOT NULL,
    triggers    TEXT NOT NULL,
    coping      TEXT NOT NULL
) WITHOUT ROWID;

-- Every change to a craving, however it is written (the core's own writes,
-- sync, restore, import, a raw SQL insert), leaves the instant and zone it had
-- and has here. The core recomputes those days and empties this table before
-- every write commits, and at open (docs/adr/0070).
-- No unique key: a conflict clause of the statement that fires a trigger
-- overrides the trigger's own, so repeats are kept and settled once.
CREATE TABLE craving_day_stale (
    occurred_at_ms INTEGER NOT NULL,
    time_zone      TEXT NOT NULL
);

CREATE TRIGGER craving_day_on_insert AFTER INSERT ON craving BEGIN
    INSERT INTO craving_day_stale VALUES (NEW.occurred_at_ms, NEW.time_zone);
END;
CREATE TRIGGER craving_day_on_update AFTER UPDATE ON craving BEGIN
    INSERT INTO craving_day_stale VALUES (OLD.occurred_at_ms, OLD.time_zone);
    INSERT INTO craving_day_stale VALUES (NEW.occurred_at_ms, NEW.time_zone);
END;
CREATE TRIGGER craving_day_on_delete AFTER DELETE ON craving BEGIN
    INSERT INTO craving_day_stale VALUES (OLD.occurred_at_ms, OLD.time_zone);
END;

-- An existing history: every craving's day is computed at the next open.
INSERT INTO craving_day_stale SELECT occurred_at_ms, time_zone FROM craving;
