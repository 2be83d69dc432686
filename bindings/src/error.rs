//! The public error the shells see, mapped from the core's internal error in
//! exactly one place. Variants carry what a shell needs to react (which field,
//! which record); none carries health data.
//!
//! No variant has a field called `message`: it collides with Kotlin's
//! `Throwable.message`.

use steady_core::Error;

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

impl From<Error> for SteadyError {
    fn from(error: Error) -> Self {
        match error {
            Error::Invalid { field, reason } => SteadyError::InvalidInput { field, reason },
            Error::NotFound { what, id } => SteadyError::NotFound {
                what: what.to_string(),
                id,
            },
            Error::WrongKey => SteadyError::WrongKey,
            Error::NotSteadyDatabase { reason } => SteadyError::NotSteadyDatabase { reason },
            Error::DatabaseDamaged { reason } => SteadyError::DatabaseDamaged { reason },
            Error::DatabaseTooNew { found, supported } => {
                SteadyError::DatabaseTooNew { found, supported }
            }
            Error::Closed => SteadyError::Closed,
            Error::NotEnrolled => SteadyError::NotEnrolled,
            Error::Unavailable { detail } => SteadyError::SyncUnavailable { reason: detail },
            Error::Refused { status, reason } => SteadyError::SyncRefused { status, reason },
            Error::DeviceRevoked => SteadyError::DeviceRevoked,
            Error::WrongPassphrase => SteadyError::WrongPassphrase,
            Error::DamagedBackup { detail } => SteadyError::DamagedBackup { reason: detail },
            other @ (Error::Storage(_) | Error::Corrupt(_) | Error::Protocol { .. }) => {
                SteadyError::Internal {
                    detail: other.to_string(),
                }
            }
        }
    }
}
