-- Steady schema: craving details and revisions, lapses, tracked substances,
-- daily check-ins, questionnaires, the coping plan and safety settings.
-- Lists (triggers, emotions, substances, coping tried, answers) are JSON arrays
-- of strings: they are read whole with their record and never queried alone.

ALTER TABLE craving ADD COLUMN duration_minutes INTEGER;
ALTER TABLE craving ADD COLUMN triggers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE craving ADD COLUMN emotions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE craving ADD COLUMN company TEXT CHECK (company IN ('alone', 'with_others'));
ALTER TABLE craving ADD COLUMN place TEXT CHECK (place IN ('home', 'work', 'out'));
ALTER TABLE craving ADD COLUMN substances TEXT NOT NULL DEFAULT '[]';
ALTER TABLE craving ADD COLUMN coping_tried TEXT NOT NULL DEFAULT '[]';
ALTER TABLE craving ADD COLUMN outcome TEXT CHECK (outcome IN ('passed', 'still_present', 'used'));
ALTER TABLE craving ADD COLUMN marked_unsafe INTEGER NOT NULL DEFAULT 0;
-- Set when the record needs the clinic's attention (e.g. marked unsafe); it
-- stays set across later amendments.
ALTER TABLE craving ADD COLUMN flagged_for_clinic INTEGER NOT NULL DEFAULT 0;
ALTER TABLE craving ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE craving ADD COLUMN amended_at_ms INTEGER;

-- Every earlier revision of an amended record, as the JSON it had before the
-- change. Rows are only ever added: the history matters to the clinic and to
-- sync.
CREATE TABLE record_revision (
    record_type     TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    snapshot        TEXT NOT NULL,
    replaced_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (record_type, record_id, revision)
);

CREATE TABLE lapse (
    id                  TEXT PRIMARY KEY,
    occurred_at_ms      INTEGER NOT NULL,
    time_zone           TEXT NOT NULL,
    substances          TEXT NOT NULL DEFAULT '[]',
    amount              TEXT,
    triggers            TEXT NOT NULL DEFAULT '[]',
    helped              TEXT,
    note                TEXT,
    marked_unsafe       INTEGER NOT NULL DEFAULT 0,
    flagged_for_clinic  INTEGER NOT NULL DEFAULT 0,
    logged_at_ms        INTEGER NOT NULL,
    -- A tombstone for an entry made by mistake: kept and synced, never listed.
    deleted_at_ms       INTEGER
);
CREATE INDEX lapse_by_time ON lapse (occurred_at_ms) WHERE deleted_at_ms IS NULL;

-- The substances the patient's recovery program tracks (progress counts sober
-- time per substance).
CREATE TABLE tracked_substance (
    name            TEXT PRIMARY KEY COLLATE NOCASE,
    position        INTEGER NOT NULL,
    added_at_ms     INTEGER NOT NULL
);

CREATE TABLE daily_checkin (
    id                  TEXT PRIMARY KEY,
    -- The patient's local day (YYYY-MM-DD) in `time_zone`: at most one a day.
    local_date          TEXT NOT NULL UNIQUE,
    time_zone           TEXT NOT NULL,
    used_today          INTEGER NOT NULL,
    mood                INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
    strongest_craving   INTEGER CHECK (strongest_craving BETWEEN 0 AND 10),
    sleep_quality       INTEGER CHECK (sleep_quality BETWEEN 1 AND 5),
    medication_taken    INTEGER,
    note                TEXT,
    recorded_at_ms      INTEGER NOT NULL,
    revision            INTEGER NOT NULL DEFAULT 1,
    amended_at_ms       INTEGER
);

-- Clinic-supplied instruments, as the validated FHIR Questionnaire JSON.
CREATE TABLE questionnaire_definition (
    id              TEXT PRIMARY KEY,
    definition      TEXT NOT NULL,
    loaded_at_ms    INTEGER NOT NULL
);

CREATE TABLE questionnaire_response (
    id                  TEXT PRIMARY KEY,
    questionnaire_id    TEXT NOT NULL,
    answers             TEXT NOT NULL,
    score               INTEGER,
    band                TEXT,
    flagged_for_clinic  INTEGER NOT NULL DEFAULT 0,
    completed_at_ms     INTEGER NOT NULL,
    time_zone           TEXT NOT NULL
);
CREATE INDEX questionnaire_response_by_time ON questionnaire_response (completed_at_ms);

-- The coping plan: one row per warning sign, own strategy, reason for
-- recovery, support contact or safe place. Removed entries keep their row.
CREATE TABLE coping_plan_entry (
    id              TEXT PRIMARY KEY,
    section         TEXT NOT NULL
                    CHECK (section IN ('warning_sign', 'strategy', 'reason', 'contact', 'safe_place')),
    text            TEXT NOT NULL,
    phone           TEXT,
    created_at_ms   INTEGER NOT NULL,
    removed_at_ms   INTEGER
);

-- Patient-adjustable safety settings, e.g. the strong-craving threshold.
CREATE TABLE safety_setting (
    name    TEXT PRIMARY KEY,
    value   INTEGER NOT NULL
);
