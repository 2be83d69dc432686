-- The clinician dashboard (docs/dashboard.md): clinics, safety flags and
-- their lifecycle, the clinic's own attendance and drug-screen records,
-- clinic settings for alerts, and the alert outbox.

-- One server may host several clinics; staff see only their own clinic's
-- patients. Rows created before this migration belong to clinic 'main'.
ALTER TABLE staff ADD COLUMN clinic_id TEXT NOT NULL DEFAULT 'main';
ALTER TABLE patients ADD COLUMN clinic_id TEXT NOT NULL DEFAULT 'main';
CREATE INDEX patients_clinic ON patients (clinic_id);

-- A safety flag: raised by a synced record that asks for the clinic's
-- attention (PHQ-9 item 9 > 0, an unsafe craving or lapse) or by an
-- unexpected drug screen. new -> acknowledged (who, when) -> resolved (who,
-- when, the assessment or contact made, its outcome).
CREATE TABLE safety_flags (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    source_type TEXT NOT NULL,
    source_id TEXT NOT NULL,
    raised_at_ms BIGINT NOT NULL,
    status TEXT NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at_ms BIGINT,
    resolved_by TEXT,
    resolved_at_ms BIGINT,
    assessment TEXT,
    outcome TEXT,
    UNIQUE (patient_id, source_type, source_id)
);
CREATE INDEX safety_flags_patient ON safety_flags (patient_id, status);

-- Drug screens the clinic recorded; results is a JSON list of
-- {substance, result, method, expected}. released_at_ms is set when the
-- clinician releases it to the patient's app.
CREATE TABLE drug_screens (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    collected_on TEXT NOT NULL,
    specimen TEXT NOT NULL,
    panel TEXT NOT NULL,
    results TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at_ms BIGINT NOT NULL,
    released_at_ms BIGINT
);
CREATE INDEX drug_screens_patient ON drug_screens (patient_id, collected_on);

-- Alert emails waiting to go out (never health data: only a fixed text and
-- the recipient). The sender retries with backoff; a flag not acknowledged
-- within the escalation time queues the next person.
CREATE TABLE alert_outbox (
    id TEXT PRIMARY KEY,
    flag_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    level BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_ms BIGINT NOT NULL,
    sent_at_ms BIGINT,
    last_error TEXT,
    UNIQUE (flag_id, level, recipient)
);
