//! [`Steady`], the one handle a shell holds: an open encrypted database plus the
//! injected clock. Each concern (cravings, schedule, check-ins, progress, sync)
//! adds its methods in its own module; this file owns only opening, closing,
//! and the transaction discipline every write follows.

use crate::changes::Live;
use crate::clock::Clock;
use crate::{storage, validate, Error, Result};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, Transaction};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

pub struct Steady {
    conn: Mutex<Option<Connection>>,
    clock: Arc<dyn Clock>,
    /// The copy of the support contacts the crisis card reads when the
    /// database cannot be (see crisis_contacts.rs).
    contacts_copy: PathBuf,
    /// Change signals and sync activity (changes.rs).
    pub(crate) live: Arc<Live>,
}

impl Steady {
    /// Opens the database at `path` with its 32-byte key, creating and
    /// migrating it as needed. A file that is there but empty, damaged or not
    /// a Steady database is refused and left untouched. The first open
    /// stores the set-up day (the default program start).
    pub fn open(path: impl AsRef<Path>, key: &[u8], clock: Arc<dyn Clock>) -> Result<Self> {
        let mut conn = storage::open(path.as_ref(), key)?;
        let live = Arc::new(Live::default());
        live.watch(&mut conn)?;
        let steady = Steady {
            conn: Mutex::new(Some(conn)),
            clock,
            contacts_copy: crate::crisis_contacts::path_for(path.as_ref()),
            live,
        };
        // Cravings written outside the core or before migration 0011 get
        // their per-day tallies now (the write settles them).
        if steady.read(crate::progress::craving_days::unsettled)? {
            steady.write(|_| Ok(()))?;
        }
        if steady.read(crate::progress::setup::set_up_on)?.is_none() {
            let now = steady.now();
            let today = match steady.zone() {
                Ok(zone) => now.with_timezone(&zone).date_naive(),
                Err(_) => now.date_naive(),
            };
            steady.write(|tx| crate::progress::setup::record(tx, today, now.timestamp_millis()))?;
        }
        // A new database (after a damaged one was set aside) has no contacts
        // yet: it takes them back from the copy instead of blanking it.
        match steady.support_contacts() {
            Ok(contacts) if contacts.is_empty() => {
                let copied = crate::crisis_contacts::read(&steady.contacts_copy);
                steady.restore_support_contacts(&copied)?;
            }
            Ok(_) => steady.refresh_contacts_copy(),
            Err(_) => {}
        }
        Ok(steady)
    }

    /// Rewrites the copy of the support contacts beside the database. A
    /// failure is not the patient's problem now: the next open retries.
    pub(crate) fn refresh_contacts_copy(&self) {
        if let Ok(contacts) = self.support_contacts() {
            if crate::crisis_contacts::read(&self.contacts_copy) != contacts {
                let _ = crate::crisis_contacts::write(&self.contacts_copy, &contacts);
            }
        }
    }

    pub(crate) fn contacts_copy(&self) -> &Path {
        &self.contacts_copy
    }

    /// Closes the database. Later calls fail with [`Error::Closed`].
    pub fn close(&self) {
        self.lock().take();
    }

    /// The instant now, from the injected clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The phone's current zone, from the injected clock.
    pub fn zone(&self) -> Result<Tz> {
        validate::time_zone("clock.time_zone", &self.clock.time_zone())
    }

    /// Runs `f` in one transaction: every user action is all or nothing.
    /// Observers hear about a committed write after the lock is released.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let (value, touched) = {
            let mut guard = self.lock();
            let conn = guard.as_mut().ok_or(Error::Closed)?;
            let value = (|| -> Result<T> {
                let tx = conn.transaction()?;
                let value = f(&tx)?;
                // Derived per-day craving tallies follow the write, in it.
                crate::progress::craving_days::settle(&tx)?;
                tx.commit()?;
                Ok(value)
            })();
            (value, self.live.take())
        };
        let value = value?;
        self.live.notify(touched);
        Ok(value)
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let (value, touched) = {
            let guard = self.lock();
            let conn = guard.as_ref().ok_or(Error::Closed)?;
            (f(conn), self.live.take())
        };
        // Reads write nothing; should one ever autocommit a change, it is
        // still announced.
        self.live.notify(touched);
        value
    }

    fn lock(&self) -> MutexGuard<'_, Option<Connection>> {
        // A panic while holding the lock cannot leave a half-written
        // transaction (it rolls back on drop), so the connection stays usable.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Mutations waiting to be synced, oldest first.
    pub fn pending_outbox(&self) -> Result<Vec<crate::OutboxEntry>> {
        self.read(crate::outbox::pending)
    }
}
