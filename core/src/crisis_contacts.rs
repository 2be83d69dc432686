//! A copy of the patient's support contacts kept in a small file beside the
//! database, so the crisis card can show them when the database cannot be
//! opened: a key the Keystore/Keychain lost, a damaged or missing file. It
//! holds names and phone numbers only, no health data, and is rewritten
//! (atomically, mode 0600) whenever the contacts change and at every open.
//! Why a plain file and not the database: docs/adr/0010-crisis-contacts-beside-the-database.md.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Someone the patient can call: on the crisis card and in the coping plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SupportContact {
    pub id: String,
    pub name: String,
    pub phone: String,
}

/// Most contacts read back from the copy (the card shows a handful).
const MAX_CONTACTS: usize = 50;
/// Largest copy read back, in bytes: a damaged or foreign file is skipped.
const MAX_BYTES: u64 = 64 * 1024;

#[derive(Serialize, Deserialize)]
struct ContactsCopy {
    support_contacts: Vec<SupportContact>,
}

/// Where the copy of `database`'s contacts lives: beside it, named like
/// SQLite's own `-wal` and `-shm` companions.
pub fn path_for(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-contacts.json");
    PathBuf::from(name)
}

/// Replaces the copy with `contacts`: written to a temporary file, synced,
/// then renamed over the old copy, so a crash leaves the old or the new one.
pub(crate) fn write(path: &Path, contacts: &[SupportContact]) -> std::io::Result<()> {
    use std::io::Write;
    let bytes = serde_json::to_vec(&ContactsCopy {
        support_contacts: contacts.to_vec(),
    })?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// The contacts in the copy; none when it is missing, too large or unreadable.
pub(crate) fn read(path: &Path) -> Vec<SupportContact> {
    let fits = std::fs::metadata(path).is_ok_and(|m| m.len() <= MAX_BYTES);
    if !fits {
        return Vec::new();
    }
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<ContactsCopy>(&bytes).ok())
        .map(|copy| {
            copy.support_contacts
                .into_iter()
                .take(MAX_CONTACTS)
                .collect()
        })
        .unwrap_or_default()
}
