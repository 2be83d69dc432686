-- Steady schema: what progress is measured against — the program start date,
-- the program's weekly hours, back-dated sobriety dates and imported prior
-- history. One row holding the JSON ProgramSettings.

CREATE TABLE program_settings (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    settings        TEXT NOT NULL,
    updated_at_ms   INTEGER NOT NULL
);

-- Today and the progress report read two slices of a long history on every
-- home-screen visit: cravings that ended in use (sober time) and cravings that
-- passed with coping tried (the coping shortcuts). Leading with the outcome
-- lets both seek to their slice, and the index covers the columns they read.
CREATE INDEX craving_by_outcome
    ON craving (outcome, occurred_at_ms, time_zone, substances, coping_tried)
    WHERE deleted_at_ms IS NULL;
