-- The screens' own state (docs/adr/0001-screen-state-in-the-core.md).

-- How the last sync attempt ended, for the sync state the Today and Clinic
-- screens show. One row; the last success is sync_enrollment.last_sync_at_ms.
CREATE TABLE sync_status (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    last_attempt_at_ms  INTEGER NOT NULL,
    -- NULL after a success; otherwise 'offline', 'refused', 'revoked' or
    -- 'internal'.
    error_kind          TEXT,
    -- Safe to show: never a payload or a token.
    error_reason        TEXT,
    error_at_ms         INTEGER
);

-- Moments the patient saw something, by name (e.g. 'messages_seen': clinic
-- messages received before it count as read).
CREATE TABLE screen_mark (
    name    TEXT PRIMARY KEY,
    at_ms   INTEGER NOT NULL
);
