-- Steady schema: what progress is measured against — the program start date,
-- the program's weekly hours, back-dated sobriety dates and imported prior
-- history. One row holding the JSON ProgramSettings.

CREATE TABLE program_settings (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    settings        TEXT NOT NULL,
    updated_at_ms   INTEGER NOT NULL
);
