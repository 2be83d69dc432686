-- Steady schema: restores of an encrypted backup (docs/export.md).
-- A restored database may be behind the clinic: the phone it came from may
-- have sent more mutations after the backup was made. Until the first sync
-- after a restore has asked the clinic how far it got with this device
-- (`sync_resumed_at_ms` set), the sync engine numbers nothing new, so no
-- record is mistaken for one the clinic already has.
CREATE TABLE backup_restore (
    id                   INTEGER PRIMARY KEY,
    backup_created_at_ms INTEGER NOT NULL,
    restored_at_ms       INTEGER NOT NULL,
    sync_resumed_at_ms   INTEGER
);
