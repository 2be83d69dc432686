//! The core's internal error type. The FFI crate maps it, in one place, to the
//! small public error enum the shells see.
//!
//! Messages name the field or record at fault and never carry health data: an
//! error may end up in a platform log.

use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    /// An input failed validation; `field` is the name the caller used.
    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: String },

    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: String },

    /// The key does not decrypt the file. (An encrypted file whose first page
    /// is damaged cannot be told from one under another key.)
    #[error("the database key does not open this file (a wrong key, or a damaged first page)")]
    WrongKey,

    /// The file at the database path is something else (a plain SQLite
    /// database, a text file...). It is left untouched.
    #[error("the file is not a Steady database: {reason}")]
    NotSteadyDatabase { reason: String },

    /// The file is a Steady database that cannot be read whole: empty,
    /// truncated or corrupted. It is left untouched, never replaced.
    #[error("the database file is damaged: {reason}; it was left untouched")]
    DatabaseDamaged { reason: String },

    /// The file was written by a newer Steady; opening it could corrupt it.
    #[error("database schema version {found} is newer than this version of Steady supports ({supported})")]
    DatabaseTooNew { found: i64, supported: i64 },

    /// The database was closed by the shell; open it again to continue.
    #[error("the database is closed")]
    Closed,

    #[error("storage failure: {0}")]
    Storage(#[from] rusqlite::Error),

    #[error("stored data is corrupt: {0}")]
    Corrupt(String),

    /// Sync, consent and clinic calls need the phone enrolled first.
    #[error("this phone is not enrolled with a clinic")]
    NotEnrolled,

    /// The clinic could not be reached or failed (network, timeout, 5xx):
    /// nothing is lost, try again later.
    #[error("the clinic server is unavailable: {detail}")]
    Unavailable { detail: String },

    /// The clinic refused the request (a 4xx other than a revoked device):
    /// `reason` is the server's explanation, e.g. an expired enrollment code.
    #[error("the clinic refused the request ({status}): {reason}")]
    Refused { status: u16, reason: String },

    /// The clinic revoked this device; enroll again with a new code.
    #[error("the clinic revoked this device; enroll again with a new code")]
    DeviceRevoked,

    /// The passphrase does not open this encrypted backup.
    #[error("the passphrase does not open this backup")]
    WrongPassphrase,

    /// The backup file is damaged, cut short, or not a Steady backup.
    #[error("the backup file cannot be restored: {detail}")]
    DamagedBackup { detail: String },

    /// The server answered something this version of Steady cannot read.
    #[error("unexpected answer from the clinic server: {detail}")]
    Protocol { detail: String },
}

impl Error {
    pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.to_string(),
            reason: reason.into(),
        }
    }
}
