//! [`Steady`], the one handle a shell holds: an open encrypted database plus the
//! injected clock. It sits low, below every domain module: this file owns only
//! the handle, closing, the observer registry and the transaction discipline
//! every write follows. Opening (which also settles the set-up day and the
//! support contacts) is in api/open.rs; each concern (cravings, schedule,
//! check-ins, progress, sync) adds its methods in its own module.

use crate::changes::{ChangeObserver, Live, ObserverToken};
use crate::clock::Clock;
use crate::zone::Tz;
use crate::{validate, Error, Result};
use chrono::{DateTime, Utc};
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
    /// Brings derived tables up to date inside every write, before it
    /// commits. The handle sits below the modules that own such tables, so
    /// api/open.rs passes it in (the per-day craving tallies).
    settle: Settle,
}

/// A step every write runs in its transaction just before `COMMIT`.
pub(crate) type Settle = fn(&Connection) -> Result<()>;

impl Steady {
    /// The handle over a database `storage::open` opened and migrated;
    /// [`Steady::open`] (api/open.rs) is the way in.
    pub(crate) fn new(
        mut conn: Connection,
        clock: Arc<dyn Clock>,
        contacts_copy: PathBuf,
        settle: Settle,
    ) -> Result<Self> {
        let live = Arc::new(Live::default());
        live.watch(&mut conn)?;
        Ok(Steady {
            conn: Mutex::new(Some(conn)),
            clock,
            contacts_copy,
            live,
            settle,
        })
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
                // Derived tables follow the write, in it.
                (self.settle)(&tx)?;
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

    /// Registers `observer` until the returned token is dropped or cancelled.
    pub fn observe(&self, observer: Arc<dyn ChangeObserver>) -> ObserverToken {
        self.live.register(observer)
    }
}
