//! Opening Steady: the database, then what the first open of a database (or
//! the first after a damaged one was set aside) settles: the set-up day and
//! the support contacts taken back from their copy beside the file.

use crate::clock::Clock;
use crate::progress::{craving_days, setup};
use crate::{crisis_contacts, storage, Result, Steady};
use std::path::Path;
use std::sync::Arc;

impl Steady {
    /// Opens the database at `path` with its 32-byte key, creating and
    /// migrating it as needed. A file that is there but empty, damaged or not
    /// a Steady database is refused and left untouched. The first open
    /// stores the set-up day (the default program start).
    pub fn open(path: impl AsRef<Path>, key: &[u8], clock: Arc<dyn Clock>) -> Result<Self> {
        let conn = storage::open(path.as_ref(), key)?;
        let steady = Steady::new(
            conn,
            clock,
            crisis_contacts::path_for(path.as_ref()),
            craving_days::settle,
        )?;
        // Cravings written outside the core or before migration 0012 get
        // their per-day tallies now (the write settles them).
        if steady.read(craving_days::unsettled)? {
            steady.write(|_| Ok(()))?;
        }
        if steady.read(setup::set_up_on)?.is_none() {
            let now = steady.now();
            let today = match steady.zone() {
                Ok(zone) => now.with_timezone(&zone).date_naive(),
                Err(_) => now.date_naive(),
            };
            steady.write(|tx| setup::record(tx, today, now.timestamp_millis()))?;
        }
        // A new database (after a damaged one was set aside) has no contacts
        // yet: it takes them back from the copy instead of blanking it.
        match steady.support_contacts() {
            Ok(contacts) if contacts.is_empty() => {
                let copied = crisis_contacts::read(steady.contacts_copy());
                steady.restore_support_contacts(&copied)?;
            }
            Ok(_) => steady.refresh_contacts_copy(),
            Err(_) => {}
        }
        Ok(steady)
    }
}
