-- The clinic's schema, written once for SQLite and PostgreSQL alike: BIGINT
-- instants in Unix ms (*_ms), TEXT ids (UUIDs) and JSON, 0/1 flags.

-- Single-row settings, e.g. the clinic's name shown to phones.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

-- Signed-in staff; only the token's SHA-256 is kept.
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    ended_at_ms BIGINT
);

-- change_seq numbers the patient's clinic-authored changes; updating it
-- locks the patient row, so changes commit in cursor order.
CREATE TABLE patients (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    change_seq BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE enrollment_codes (
    code_hash TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    created_by TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    redeemed_at_ms BIGINT,
    device_id TEXT
);

-- last_seq is the highest push sequence processed for the device; it moves
-- in the same transaction as the effects of that push.
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    name TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    enrolled_at_ms BIGINT NOT NULL,
    last_seq BIGINT NOT NULL DEFAULT 0,
    last_seen_ms BIGINT,
    revoked_at_ms BIGINT,
    revoked_by TEXT
);
CREATE INDEX devices_patient ON devices (patient_id);

CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    device_id TEXT NOT NULL,
    category TEXT NOT NULL,
    discloser TEXT NOT NULL,
    recipient TEXT NOT NULL,
    purpose TEXT NOT NULL,
    granted_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    signature TEXT NOT NULL,
    revoked_at_ms BIGINT,
    received_at_ms BIGINT NOT NULL
);
CREATE INDEX consents_patient ON consents (patient_id, category);

-- The patient's synced records (current state; deleted = tombstone).
CREATE TABLE records (
    patient_id TEXT NOT NULL REFERENCES patients (id),
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    category TEXT NOT NULL,
    payload TEXT,
    deleted BIGINT NOT NULL DEFAULT 0,
    device_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    received_at_ms BIGINT NOT NULL,
    PRIMARY KEY (patient_id, record_type, record_id)
);
CREATE INDEX records_received ON records (patient_id, received_at_ms);

-- Clinic-authored records as they are now (staff view).
CREATE TABLE clinic_records (
    patient_id TEXT NOT NULL REFERENCES patients (id),
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (patient_id, kind, record_id)
);
CREATE UNIQUE INDEX clinic_records_id ON clinic_records (record_id);

-- Every clinic-authored change, in cursor order per patient (pull).
CREATE TABLE clinic_changes (
    patient_id TEXT NOT NULL REFERENCES patients (id),
    cursor BIGINT NOT NULL,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    operation TEXT NOT NULL,
    payload TEXT,
    authored_at_ms BIGINT NOT NULL,
    authored_by TEXT NOT NULL,
    PRIMARY KEY (patient_id, cursor)
);

-- Append-only: the server never updates or deletes a row.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    patient_id TEXT,
    purpose TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at_ms);
CREATE INDEX audit_log_patient ON audit_log (patient_id, at_ms);

-- Fixed-window attempt counters (enrollment codes, staff sign-in), shared
-- by every server instance.
CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY,
    window_start_ms BIGINT NOT NULL,
    attempts BIGINT NOT NULL
)
