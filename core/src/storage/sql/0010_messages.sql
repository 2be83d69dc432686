-- Messages the patient writes to the care team, and the clinic messages the
-- patient has read (both shared under the `messages` consent category).
CREATE TABLE patient_message (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    in_reply_to TEXT,
    sent_at_ms INTEGER NOT NULL
);

CREATE TABLE message_read (
    message_id TEXT PRIMARY KEY,
    read_at_ms INTEGER NOT NULL
);

-- The consent table learns the `messages` category: SQLite cannot change a
-- CHECK constraint, so the table is rebuilt with every row kept.
CREATE TABLE consent_v2 (
    id              TEXT PRIMARY KEY,
    category        TEXT NOT NULL CHECK (category IN
                      ('attendance', 'medication', 'cravings', 'checkins', 'lapses', 'notes',
                       'messages')),
    discloser       TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    expires_at_ms   INTEGER NOT NULL,
    signature       TEXT NOT NULL,
    signed_at_ms    INTEGER NOT NULL,
    time_zone       TEXT NOT NULL,
    revoked_at_ms   INTEGER
);
INSERT INTO consent_v2 SELECT id, category, discloser, recipient, purpose, expires_at_ms,
    signature, signed_at_ms, time_zone, revoked_at_ms FROM consent;
DROP TABLE consent;
ALTER TABLE consent_v2 RENAME TO consent;
CREATE INDEX consent_by_category ON consent (category, signed_at_ms);
