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

    /// The key does not decrypt the file, or the file is not a Steady database.
    #[error("the database key is wrong or the file is not a Steady database")]
    WrongKey,

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
}

impl Error {
    pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.to_string(),
            reason: reason.into(),
        }
    }
}
