-- The per-day craving tallies (0012) keep their hours and lists in binary
-- instead of JSON, so a five-year Progress report reads them without a JSON
-- parser (docs/progress.md, docs/adr/0070). Derived data, as before:
--
-- `hours`    24 counts, one per local hour 0-23, each a u32 little-endian.
-- `triggers` per trigger, in name order: the name's length in bytes (u32
--            LE), its UTF-8 bytes, the count (u32 LE).
-- `coping`   per strategy, in name order: the name (as above), then tried,
--            with an outcome, passed (u32 LE each).
DROP TABLE craving_day;
CREATE TABLE craving_day (
    local_date    TEXT PRIMARY KEY,
    count         INTEGER NOT NULL,
    intensity_sum INTEGER NOT NULL,
    peak          INTEGER,
    hours         BLOB NOT NULL,
    triggers      BLOB NOT NULL,
    coping        BLOB NOT NULL
) WITHOUT ROWID;

-- Every craving's day is computed again, in the new form, at the next open
-- (more than 64 stale days rebuild the table from every craving in one pass).
DELETE FROM craving_day_stale;
INSERT INTO craving_day_stale SELECT occurred_at_ms, time_zone FROM craving;
