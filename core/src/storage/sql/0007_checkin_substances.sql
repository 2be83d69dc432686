-- The substances a daily check-in answering "used today" names (a JSON list).
-- Empty means not named: that use counts against every tracked substance.
ALTER TABLE daily_checkin ADD COLUMN substances TEXT NOT NULL DEFAULT '[]';
