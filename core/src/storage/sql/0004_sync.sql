-- Steady schema: consent to share with the clinic, and clinic sync state.

-- One row per consent the patient signed (42 CFR Part 2): who discloses, to
-- whom, what (the category), why, until when, the typed signature and the
-- date. Revocation stamps the row; nothing is ever deleted, so the history of
-- what the patient allowed stays on the phone.
CREATE TABLE consent (
    id              TEXT PRIMARY KEY,
    category        TEXT NOT NULL CHECK (category IN
                      ('attendance', 'medication', 'cravings', 'checkins', 'lapses', 'notes')),
    discloser       TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    expires_at_ms   INTEGER NOT NULL,
    signature       TEXT NOT NULL,
    signed_at_ms    INTEGER NOT NULL,
    time_zone       TEXT NOT NULL,
    revoked_at_ms   INTEGER
);
CREATE INDEX consent_by_category ON consent (category, signed_at_ms);

-- The outbox learns what it may share and how far each mutation got:
--   category      the consent category the record belongs to (for a consent
--                 record, the category it grants or revokes; consent records
--                 themselves are always sent).
--   push_seq      the device sequence number the server sees, given when the
--                 mutation first becomes shareable; NULL while it is held
--                 back for lack of consent. Never changes once given, so a
--                 retry is recognised by the server.
--   wire_payload  the payload exactly as sent (notes removed unless the
--                 patient consented to share notes), fixed with push_seq so a
--                 retry carries the same bytes.
--   result        the server's answer: applied, duplicate or rejected; or
--                 withdrawn: the record was deleted on the phone before any
--                 of its mutations was shared, so the clinic never learns of it.
ALTER TABLE outbox ADD COLUMN category TEXT;
-- Rows queued before this version get the category of their record type.
UPDATE outbox SET category = CASE record_type
    WHEN 'craving' THEN 'cravings'
    WHEN 'attendance' THEN 'attendance'
    WHEN 'dose' THEN 'medication'
    WHEN 'daily_checkin' THEN 'checkins'
    WHEN 'questionnaire_response' THEN 'checkins'
    WHEN 'lapse' THEN 'lapses'
END;
ALTER TABLE outbox ADD COLUMN push_seq INTEGER;
ALTER TABLE outbox ADD COLUMN wire_payload TEXT;
ALTER TABLE outbox ADD COLUMN result TEXT
    CHECK (result IN ('applied', 'duplicate', 'rejected', 'withdrawn'));
ALTER TABLE outbox ADD COLUMN rejection TEXT;
ALTER TABLE outbox ADD COLUMN acked_at_ms INTEGER;
CREATE UNIQUE INDEX outbox_by_push_seq ON outbox (push_seq) WHERE push_seq IS NOT NULL;
CREATE INDEX outbox_unsent ON outbox (seq) WHERE push_seq IS NULL;

-- This phone's enrollment with its clinic (at most one). The device token is a
-- secret: it lives only here, inside the encrypted database.
CREATE TABLE sync_enrollment (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    server_url      TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    device_token    TEXT NOT NULL,
    clinic_name     TEXT NOT NULL,
    enrolled_at_ms  INTEGER NOT NULL,
    last_push_seq   INTEGER NOT NULL DEFAULT 0,
    -- Where the next pull starts: the last clinic change applied here.
    pull_cursor     INTEGER NOT NULL DEFAULT 0,
    last_sync_at_ms INTEGER
);

-- Clinic-authored records pulled from the server (session series, medication
-- plan, questionnaires, messages), the latest version of each; a clinic
-- deletion removes the row. Read-only on the phone: only a pull writes here.
CREATE TABLE clinic_record (
    kind            TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    payload         TEXT NOT NULL,
    authored_at_ms  INTEGER NOT NULL,
    received_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (kind, record_id)
);
