-- Steady schema version 2: the schedule (session series, medication plans),
-- attendance and dose confirmations, reminder settings and snoozes.
-- Session times are clinic-local wall-clock text plus the clinic's IANA zone
-- (zoned); dose times are wall-clock text only (floating, they follow the
-- phone). Instants are Unix milliseconds.

CREATE TABLE session_series (
    id              TEXT PRIMARY KEY,
    -- External key (iCalendar UID): a re-import updates instead of duplicating.
    uid             TEXT UNIQUE,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    location        TEXT,
    video_url       TEXT,
    time_zone       TEXT NOT NULL,
    start_local     TEXT NOT NULL,
    duration_min    INTEGER NOT NULL CHECK (duration_min > 0),
    -- JSON Recurrence, NULL for a one-off session.
    recurrence      TEXT,
    -- JSON list of OccurrenceChange (cancelled or moved occurrences).
    changes         TEXT NOT NULL DEFAULT '[]',
    source          TEXT NOT NULL CHECK (source IN ('clinic', 'patient')),
    updated_at_ms   INTEGER NOT NULL,
    deleted_at_ms   INTEGER
);

CREATE TABLE medication (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    dose            TEXT,
    -- JSON list of "HH:MM" and of weekdays ("mon"...; empty = every day).
    times           TEXT NOT NULL,
    weekdays        TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    end_date        TEXT,
    source          TEXT NOT NULL CHECK (source IN ('clinic', 'patient')),
    updated_at_ms   INTEGER NOT NULL,
    deleted_at_ms   INTEGER
);

-- One record per session occurrence (`<series id>@<original local start>`).
CREATE TABLE attendance (
    occurrence_id   TEXT PRIMARY KEY,
    series_id       TEXT NOT NULL REFERENCES session_series (id),
    status          TEXT NOT NULL CHECK (status IN ('attended', 'late', 'missed', 'excused')),
    recorded_at_ms  INTEGER NOT NULL,
    time_zone       TEXT NOT NULL
);

-- One answer per dose (`<medication id>@<local YYYY-MM-DDTHH:MM>`).
CREATE TABLE dose_confirmation (
    dose_id         TEXT PRIMARY KEY,
    medication_id   TEXT NOT NULL REFERENCES medication (id),
    due_local       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('taken', 'skipped', 'taken_late')),
    confirmed_at_ms INTEGER NOT NULL,
    time_zone       TEXT NOT NULL
);
CREATE INDEX dose_confirmation_by_due ON dose_confirmation (due_local);

-- This phone's reminder settings (JSON ReminderSettings), one row.
CREATE TABLE reminder_settings (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    settings        TEXT NOT NULL
);

-- A snoozed reminder fires at `fire_at_ms` instead of its planned time.
CREATE TABLE reminder_snooze (
    reminder_id     TEXT PRIMARY KEY,
    fire_at_ms      INTEGER NOT NULL
);
