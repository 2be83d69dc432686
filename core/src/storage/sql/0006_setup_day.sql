-- The day Steady was set up on this phone. It is the program start when the
-- patient sets none, stored once so that start never moves: a first lapse
-- weeks after set-up must not erase the sober days before it. A database
-- from before this table gets the earliest of its first record and the day
-- of the upgrade.
CREATE TABLE app_setup (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    set_up_on TEXT NOT NULL,
    set_up_at_ms INTEGER NOT NULL
);
