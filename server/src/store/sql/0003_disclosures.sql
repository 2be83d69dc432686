-- The patient's accounting of disclosures (42 CFR 2.25): every time the
-- clinic sent the patient's records to an outside recipient under a consent
-- naming it. Rows are only ever added; the patient reads them from the phone.
CREATE TABLE disclosures (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    disclosed_at_ms BIGINT NOT NULL,
    recipient_name TEXT NOT NULL,
    recipient_address TEXT NOT NULL,
    -- What was disclosed: the format and the categories, never the records.
    description TEXT NOT NULL,
    purpose TEXT NOT NULL,
    disclosed_by TEXT NOT NULL
);
CREATE INDEX disclosures_patient ON disclosures (patient_id, disclosed_at_ms);
