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
    DatabaseTooNew,
    Closed,
    NotEnrolled,
    /// The clinic could not be reached: try again later, nothing is lost.
    Unavailable,
    /// The clinic refused the request, with its reason.
    Refused,
    DeviceRevoked,
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
            ErrorKind::DatabaseTooNew => "database_too_new",
            ErrorKind::Closed => "closed",
            ErrorKind::NotEnrolled => "not_enrolled",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Refused => "refused",
            ErrorKind::DeviceRevoked => "device_revoked",
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
            Error::DatabaseTooNew { .. } => ErrorKind::DatabaseTooNew,
            Error::Closed => ErrorKind::Closed,
            Error::NotEnrolled => ErrorKind::NotEnrolled,
            Error::Unavailable { .. } => ErrorKind::Unavailable,
            Error::Refused { .. } => ErrorKind::Refused,
            Error::DeviceRevoked => ErrorKind::DeviceRevoked,
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
