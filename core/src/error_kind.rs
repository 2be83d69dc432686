//! What kind of failure an [`Error`] is, decided once. The FFI's public
//! `SteadyError` and the CLI's `--json` error `kind` both come from here, so a
//! shell and a script never classify the same failure differently.

use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An input was rejected; nothing was written.
    InvalidInput,
    NotFound,
    WrongKey,
    /// The file is something other than a Steady database; left untouched.
    NotSteadyDatabase,
    /// The database file is empty, cut short or corrupted; left untouched.
    DatabaseDamaged,
    DatabaseTooNew,
    Closed,
    NotEnrolled,
    /// The clinic could not be reached: try again later, nothing is lost.
    Unavailable,
    /// The clinic refused the request, with its reason.
    Refused,
    DeviceRevoked,
    /// The passphrase does not open the backup; nothing changed.
    WrongPassphrase,
    /// The backup file is damaged or not a Steady backup; nothing changed.
    DamagedBackup,
    /// Storage, corrupt data or an unreadable server answer: a bug report.
    Internal,
}

impl ErrorKind {
    /// The stable snake_case name (the CLI's `error.kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::NotFound => "not_found",
            ErrorKind::WrongKey => "wrong_key",
            ErrorKind::NotSteadyDatabase => "not_a_steady_database",
            ErrorKind::DatabaseDamaged => "database_damaged",
            ErrorKind::DatabaseTooNew => "database_too_new",
            ErrorKind::Closed => "closed",
            ErrorKind::NotEnrolled => "not_enrolled",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Refused => "refused",
            ErrorKind::DeviceRevoked => "device_revoked",
            ErrorKind::WrongPassphrase => "wrong_passphrase",
            ErrorKind::DamagedBackup => "damaged_backup",
            ErrorKind::Internal => "internal",
        }
    }
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid { .. } => ErrorKind::InvalidInput,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::WrongKey => ErrorKind::WrongKey,
            Error::NotSteadyDatabase { .. } => ErrorKind::NotSteadyDatabase,
            Error::DatabaseDamaged { .. } => ErrorKind::DatabaseDamaged,
            Error::DatabaseTooNew { .. } => ErrorKind::DatabaseTooNew,
            Error::Closed => ErrorKind::Closed,
            Error::NotEnrolled => ErrorKind::NotEnrolled,
            Error::Unavailable { .. } => ErrorKind::Unavailable,
            Error::Refused { .. } => ErrorKind::Refused,
            Error::DeviceRevoked => ErrorKind::DeviceRevoked,
            Error::WrongPassphrase => ErrorKind::WrongPassphrase,
            Error::DamagedBackup { .. } => ErrorKind::DamagedBackup,
            Error::Storage(_) | Error::Corrupt(_) | Error::Protocol { .. } => ErrorKind::Internal,
        }
    }

    /// The input field at fault, for an invalid input.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}
