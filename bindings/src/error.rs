//! The public error the shells see, mapped from the core's internal error in
//! exactly one place, by the core's [`ErrorKind`] (the CLI prints the same
//! kinds). Variants carry what a shell needs to react (which field,
//! which record); none carries health data.
//!
//! No variant has a field called `message`: it collides with Kotlin's
//! `Throwable.message`.

use steady_core::{Error, ErrorKind};

#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum SteadyError {
    /// An input was rejected; nothing was written. `field` names it.
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: String, reason: String },

    #[error("no {what} with id {id}")]
    NotFound { what: String, id: String },

    /// The key does not open this database.
    #[error("wrong database key")]
    WrongKey,

    /// The file is not a Steady database (e.g. a plain SQLite file or text);
    /// it was left untouched.
    #[error("not a Steady database: {reason}")]
    NotSteadyDatabase { reason: String },

    /// The database file is empty, cut short or corrupted; it was left
    /// untouched (never replaced). Show the crisis card from
    /// `crisis_card_without_database` and tell the patient.
    #[error("the database file is damaged: {reason}")]
    DatabaseDamaged { reason: String },

    /// The database was written by a newer app version.
    #[error("database version {found} is newer than supported {supported}")]
    DatabaseTooNew { found: i64, supported: i64 },

    #[error("the database is closed")]
    Closed,

    /// Sync and consent need the phone enrolled with a clinic first.
    #[error("not enrolled with a clinic")]
    NotEnrolled,

    /// The clinic server could not be reached or failed: try again later,
    /// nothing is lost.
    #[error("clinic unavailable: {reason}")]
    SyncUnavailable { reason: String },

    /// The clinic refused the request (e.g. an expired enrollment code);
    /// `reason` can be shown to the patient.
    #[error("clinic refused ({status}): {reason}")]
    SyncRefused { status: u16, reason: String },

    /// The clinic revoked this device: enroll again with a new code.
    #[error("this device was revoked by the clinic")]
    DeviceRevoked,

    /// The passphrase does not open this encrypted backup; nothing changed.
    #[error("the passphrase does not open this backup")]
    WrongPassphrase,

    /// The backup file is damaged or not a Steady backup; nothing changed.
    #[error("the backup cannot be restored: {reason}")]
    DamagedBackup { reason: String },

    /// Storage or an unexpected internal failure; `detail` is for bug reports.
    #[error("internal error: {detail}")]
    Internal { detail: String },
}

/// One variant per [`ErrorKind`] (the CLI prints the same kinds); the
/// core decides the kind, this only carries each kind's fields across.
impl From<Error> for SteadyError {
    fn from(error: Error) -> Self {
        match (error.kind(), error) {
            (ErrorKind::InvalidInput, Error::Invalid { field, reason }) => {
                SteadyError::InvalidInput { field, reason }
            }
            (ErrorKind::NotFound, Error::NotFound { what, id }) => SteadyError::NotFound {
                what: what.to_string(),
                id,
            },
            (ErrorKind::DatabaseTooNew, Error::DatabaseTooNew { found, supported }) => {
                SteadyError::DatabaseTooNew { found, supported }
            }
            (ErrorKind::Unavailable, Error::Unavailable { detail }) => {
                SteadyError::SyncUnavailable { reason: detail }
            }
            (ErrorKind::Refused, Error::Refused { status, reason }) => {
                SteadyError::SyncRefused { status, reason }
            }
            (ErrorKind::NotSteadyDatabase, Error::NotSteadyDatabase { reason }) => {
                SteadyError::NotSteadyDatabase { reason }
            }
            (ErrorKind::DatabaseDamaged, Error::DatabaseDamaged { reason }) => {
                SteadyError::DatabaseDamaged { reason }
            }
            (ErrorKind::DamagedBackup, Error::DamagedBackup { detail }) => {
                SteadyError::DamagedBackup { reason: detail }
            }
            (ErrorKind::WrongPassphrase, _) => SteadyError::WrongPassphrase,
            (ErrorKind::WrongKey, _) => SteadyError::WrongKey,
            (ErrorKind::Closed, _) => SteadyError::Closed,
            (ErrorKind::NotEnrolled, _) => SteadyError::NotEnrolled,
            (ErrorKind::DeviceRevoked, _) => SteadyError::DeviceRevoked,
            (_, other) => SteadyError::Internal {
                detail: other.to_string(),
            },
        }
    }
}

impl SteadyError {
    /// The kind this error was mapped from (the CLI's `error.kind`).
    pub fn kind(&self) -> ErrorKind {
        match self {
            SteadyError::InvalidInput { .. } => ErrorKind::InvalidInput,
            SteadyError::NotFound { .. } => ErrorKind::NotFound,
            SteadyError::WrongKey => ErrorKind::WrongKey,
            SteadyError::NotSteadyDatabase { .. } => ErrorKind::NotSteadyDatabase,
            SteadyError::DatabaseDamaged { .. } => ErrorKind::DatabaseDamaged,
            SteadyError::DatabaseTooNew { .. } => ErrorKind::DatabaseTooNew,
            SteadyError::Closed => ErrorKind::Closed,
            SteadyError::NotEnrolled => ErrorKind::NotEnrolled,
            SteadyError::SyncUnavailable { .. } => ErrorKind::Unavailable,
            SteadyError::SyncRefused { .. } => ErrorKind::Refused,
            SteadyError::DeviceRevoked => ErrorKind::DeviceRevoked,
            SteadyError::WrongPassphrase => ErrorKind::WrongPassphrase,
            SteadyError::DamagedBackup { .. } => ErrorKind::DamagedBackup,
            SteadyError::Internal { .. } => ErrorKind::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_error_keeps_its_kind_across_the_ffi() {
        let errors = [
            Error::Invalid {
                field: "intensity".into(),
                reason: "too high".into(),
            },
            Error::NotFound {
                what: "craving",
                id: "x".into(),
            },
            Error::WrongKey,
            Error::NotSteadyDatabase {
                reason: "plain SQLite".into(),
            },
            Error::DatabaseDamaged {
                reason: "empty file".into(),
            },
            Error::WrongPassphrase,
            Error::DamagedBackup {
                detail: "cut short".into(),
            },
            Error::DatabaseTooNew {
                found: 9,
                supported: 6,
            },
            Error::Closed,
            Error::NotEnrolled,
            Error::Unavailable {
                detail: "timeout".into(),
            },
            Error::Refused {
                status: 410,
                reason: "code used".into(),
            },
            Error::DeviceRevoked,
            Error::Corrupt("bad row".into()),
            Error::Protocol {
                detail: "unreadable".into(),
            },
        ];
        for error in errors {
            let kind = error.kind();
            assert_eq!(SteadyError::from(error).kind(), kind);
        }
    }
}
