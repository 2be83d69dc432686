-- Abuse limits (issue 17). Enrollment codes are looked up by their first
-- group (`lookup`, not secret) so wrong guesses at a live code count against
-- that code; staff sign-ins remember the addresses each account signed in
-- from, which stay usable while strangers exhaust the account's limit.
ALTER TABLE enrollment_codes ADD COLUMN lookup TEXT;
ALTER TABLE enrollment_codes ADD COLUMN failed_attempts BIGINT NOT NULL DEFAULT 0;
CREATE INDEX enrollment_codes_lookup ON enrollment_codes (lookup);

CREATE TABLE staff_known_addresses (
    staff_id TEXT NOT NULL REFERENCES staff (id),
    address TEXT NOT NULL,
    last_ok_ms BIGINT NOT NULL,
    PRIMARY KEY (staff_id, address)
);

-- Staff read a patient's records a page at a time, oldest first.
CREATE INDEX records_patient_created ON records (patient_id, created_at_ms, record_type, record_id);
