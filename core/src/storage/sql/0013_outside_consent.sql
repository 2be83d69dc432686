-- A consent may name an outside recipient (docs/adr/0052): the patient lets
-- the clinic disclose a category to someone else (a doctor, a payer), with
-- that recipient's address. A consent with an address never decides what the
-- phone shares with the clinic; only consents without one do.
ALTER TABLE consent ADD COLUMN recipient_address TEXT;
