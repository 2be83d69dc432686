-- Consents naming an outside recipient (docs/adr/0052): the patient lets the
-- clinic disclose a category to someone else, at an address. Kept apart from
-- `consents`, which alone decides what the clinic accepts at push and shows
-- staff, so such a consent can never widen what reaches the clinic; only the
-- FHIR disclosure (server/src/fhir.rs) reads this table.
CREATE TABLE outside_consents (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    device_id TEXT NOT NULL,
    category TEXT NOT NULL,
    discloser TEXT NOT NULL,
    recipient TEXT NOT NULL,
    recipient_address TEXT NOT NULL,
    purpose TEXT NOT NULL,
    granted_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    signature TEXT NOT NULL,
    revoked_at_ms BIGINT,
    received_at_ms BIGINT NOT NULL
);
CREATE INDEX outside_consents_patient ON outside_consents (patient_id, category);
