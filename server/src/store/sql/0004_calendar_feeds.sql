-- Calendar feed subscriptions (server/src/feeds.rs): one feed per patient,
-- polled with the validators of the last answer; each series of the feed is
-- a clinic record, found again by its iCalendar UID.
CREATE TABLE calendar_feeds (
    patient_id TEXT PRIMARY KEY REFERENCES patients (id),
    url TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    polled_at_ms BIGINT,
    status TEXT,
    created_by TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE calendar_feed_series (
    patient_id TEXT NOT NULL REFERENCES patients (id),
    uid TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (patient_id, uid)
);
