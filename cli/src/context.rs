//! What every command needs: where the database and key live, the clock
//! (system or `--now`/`--tz`), and the output mode. The CLI is the shell here,
//! so it is the one place that reads the system clock and zone.

use crate::Cli;
use chrono::{DateTime, Utc};
use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use steady_core::{Clock, FixedClock, Steady, KEY_LEN};

pub struct Context {
    pub db: PathBuf,
    pub key_file: PathBuf,
    pub json: bool,
    pub clock: Arc<dyn Clock>,
}

#[derive(Debug)]
pub enum CliError {
    Core(steady_core::Error),
    Usage(String),
    Io(String),
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Core(e) => write!(f, "{e}"),
            CliError::Usage(s) | CliError::Io(s) => f.write_str(s),
        }
    }
}

impl From<steady_core::Error> for CliError {
    fn from(e: steady_core::Error) -> Self {
        CliError::Core(e)
    }
}

/// The system clock with a zone fixed at start-up (from `--tz` or the machine).
struct SystemClock {
    zone: String,
}

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn time_zone(&self) -> String {
        self.zone.clone()
    }
}

impl Context {
    pub fn from_cli(cli: &Cli) -> Result<Self, CliError> {
        let data_dir = default_data_dir();
        let db = cli.db.clone().unwrap_or_else(|| data_dir.join("steady.db"));
        let key_file = cli
            .key_file
            .clone()
            .unwrap_or_else(|| db.with_extension("key"));
        let zone = match &cli.tz {
            Some(zone) => zone.clone(),
            None => iana_time_zone::get_timezone().unwrap_or_else(|_| "UTC".to_string()),
        };
        if zone.parse::<steady_core::Tz>().is_err() {
            return Err(CliError::Usage(format!(
                "invalid --tz: unknown IANA time zone {zone:?}"
            )));
        }
        let clock: Arc<dyn Clock> = match &cli.now {
            Some(now) => {
                let now = DateTime::parse_from_rfc3339(now).map_err(|e| {
                    CliError::Usage(format!("invalid --now: {e} (expected RFC 3339)"))
                })?;
                Arc::new(FixedClock::new(now.with_timezone(&Utc), &zone))
            }
            None => Arc::new(SystemClock { zone }),
        };
        Ok(Context {
            db,
            key_file,
            json: cli.json,
            clock,
        })
    }

    /// Opens the existing database with the key file.
    pub fn open(&self) -> Result<Steady, CliError> {
        if !self.db.exists() {
            return Err(CliError::Usage(format!(
                "no database at {}; run `steady init` first",
                self.db.display()
            )));
        }
        let key = read_key(&self.key_file)?;
        Ok(Steady::open(&self.db, &key, self.clock.clone())?)
    }
}

fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(dir).join("steady");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    home.join(".local/share/steady")
}

/// Every command refuses a key file others can read, as `init` does: the key
/// is all that protects the database.
pub fn read_key(path: &Path) -> Result<Vec<u8>, CliError> {
    let mode = fs::metadata(path)
        .map_err(|e| CliError::Io(format!("cannot read key file {}: {e}", path.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(CliError::Usage(format!(
            "key file {} is readable by group or others (mode {:o}); run `chmod 600 {}` \
             and try again",
            path.display(),
            mode & 0o777,
            path.display()
        )));
    }
    let key = fs::read(path)
        .map_err(|e| CliError::Io(format!("cannot read key file {}: {e}", path.display())))?;
    if key.len() != KEY_LEN {
        return Err(CliError::Usage(format!(
            "key file {} holds {} bytes; expected {KEY_LEN}",
            path.display(),
            key.len()
        )));
    }
    Ok(key)
}

/// Creates the key file (0600) if there is none; true when it was
/// created now. [`read_key`] checks its mode, as for every command.
///
/// The key appears whole or not at all: it is written and synced under
/// `<key file>.creating`, then hard-linked into place (which fails rather
/// than replace a key another process made first). A process killed
/// half-way leaves only the `.creating` file, which the next run rewrites;
/// never an empty key file that would block both `init` and every command.
pub fn ensure_key(key_file: &Path) -> Result<bool, CliError> {
    if key_file.exists() {
        return Ok(false);
    }
    let mut key = [0u8; KEY_LEN];
    getrandom::fill(&mut key)
        .map_err(|e| CliError::Io(format!("no system randomness for the key: {e}")))?;
    let mut creating = key_file.as_os_str().to_owned();
    creating.push(".creating");
    let creating = PathBuf::from(creating);
    let cannot = |e: std::io::Error| {
        CliError::Io(format!(
            "cannot create key file {}: {e}",
            key_file.display()
        ))
    };
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&creating)
        .map_err(cannot)?;
    // An earlier, killed run may have made the file with other permissions.
    file.set_permissions(fs::Permissions::from_mode(0o600))
        .and_then(|_| file.write_all(&key))
        .and_then(|_| file.sync_all())
        .map_err(cannot)?;
    drop(file);
    let linked = fs::hard_link(&creating, key_file);
    let _ = fs::remove_file(&creating);
    match linked {
        Ok(()) => {
            if let Some(dir) = key_file.parent().filter(|d| !d.as_os_str().is_empty()) {
                // The new name is durable once its directory is.
                let _ = fs::File::open(dir).and_then(|d| d.sync_all());
            }
            Ok(true)
        }
        // Another process created it first: that key stands.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(cannot(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::{ensure_key, read_key};
    use std::fs;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_key_left_half_made_by_a_killed_run_is_made_again_whole() {
        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join("steady.key");
        let creating = dir.path().join("steady.key.creating");
        fs::write(&creating, b"half").unwrap();
        fs::set_permissions(&creating, fs::Permissions::from_mode(0o644)).unwrap();

        assert!(ensure_key(&key_file).unwrap(), "created now");
        assert_eq!(read_key(&key_file).unwrap().len(), steady_core::KEY_LEN);
        let mode = fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(!creating.exists(), "nothing left beside the key");

        let first = fs::read(&key_file).unwrap();
        assert!(!ensure_key(&key_file).unwrap(), "an existing key stands");
        assert_eq!(fs::read(&key_file).unwrap(), first);
    }
}
