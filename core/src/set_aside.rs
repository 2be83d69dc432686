//! Setting a damaged database aside: when the file cannot be opened
//! (`DatabaseDamaged`, `NotSteadyDatabase`) and the patient agrees to start
//! afresh, the file and its `-wal`/`-shm` companions are renamed, never
//! deleted or changed, so whatever is in them (perhaps records not yet
//! synced) stays for recovery. The contacts copy stays where it is, so the
//! crisis card keeps the patient's people (docs/adr/0012).

use crate::{Error, Result};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// Renames `database` (and its `-wal`/`-shm` files) to
/// `<database>.damaged-<UTC time>`; returns the new path of the database
/// file. Refuses when there is no file or the new name is taken.
pub fn set_aside_database(database: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    if !database.is_file() {
        return Err(Error::invalid("database_path", "no database file there"));
    }
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let with = |base: &Path, suffix: &str| {
        let mut name = base.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let aside = with(database, &format!(".damaged-{stamp}"));
    let moves: Vec<(PathBuf, PathBuf)> = ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| (with(database, suffix), with(&aside, suffix)))
        .filter(|(from, _)| from.exists())
        .collect();
    if moves.iter().any(|(_, to)| to.exists()) {
        return Err(Error::invalid(
            "database_path",
            "a file set aside now already exists",
        ));
    }
    for (from, to) in &moves {
        std::fs::rename(from, to).map_err(|e| Error::DatabaseDamaged {
            reason: format!("it could not be set aside ({})", e.kind()),
        })?;
    }
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{open_at, TestDb};
    use crate::{crisis_card_without_database, Error};

    #[test]
    fn a_damaged_file_is_renamed_untouched_and_a_new_database_can_start() {
        let db = TestDb::new("2026-03-08T12:00:00Z", "America/New_York");
        db.steady
            .add_support_contact("Sam Rivera".into(), "555 0100".into())
            .unwrap();
        db.steady.close();
        std::fs::write(&db.path, b"").unwrap();
        assert!(matches!(
            open_at(&db.path, &db.key, db.clock.clone()),
            Err(Error::DatabaseDamaged { .. })
        ));
        let now = crate::Clock::now(db.clock.as_ref());
        let aside = set_aside_database(&db.path, now).unwrap();
        assert!(aside
            .to_string_lossy()
            .ends_with(".damaged-20260308T120000Z"));
        assert_eq!(std::fs::read(&aside).unwrap(), b"");
        let fresh = open_at(&db.path, &db.key, db.clock.clone()).unwrap();
        assert_eq!(fresh.support_contacts().unwrap()[0].name, "Sam Rivera");
        assert_eq!(
            crisis_card_without_database(&db.path)
                .support_contacts
                .len(),
            1
        );
        drop(fresh);
        // Twice in the same second would overwrite: refused.
        std::fs::write(&aside, b"kept").unwrap();
        assert!(set_aside_database(&db.path, now).is_err());
        assert_eq!(std::fs::read(&aside).unwrap(), b"kept");
    }
}
