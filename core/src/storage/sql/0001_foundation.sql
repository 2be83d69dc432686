-- Steady schema version 1: cravings and the sync outbox.
-- Instants are Unix milliseconds (UTC); each event keeps the IANA zone it
-- happened in, so local days can be computed as the patient lived them.

CREATE TABLE craving (
    id              TEXT PRIMARY KEY,
    intensity       INTEGER NOT NULL CHECK (intensity BETWEEN 0 AND 10),
    note            TEXT,
    occurred_at_ms  INTEGER NOT NULL,
    time_zone       TEXT NOT NULL,
    logged_at_ms    INTEGER NOT NULL,
    -- A tombstone: the row stays so the deletion can be synced, but it is
    -- hidden from every list and metric.
    deleted_at_ms   INTEGER
);
CREATE INDEX craving_by_time ON craving (occurred_at_ms) WHERE deleted_at_ms IS NULL;

-- Every shareable write adds a row here in the same transaction, so nothing the
-- patient saved can be lost before it is synced. `seq` is the device's
-- mutation sequence number.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    record_type     TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    operation       TEXT NOT NULL CHECK (operation IN ('upsert', 'delete')),
    payload         TEXT NOT NULL,
    created_at_ms   INTEGER NOT NULL
);
