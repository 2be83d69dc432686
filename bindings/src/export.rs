//! The patient's record through the FFI: plain exports the phone shares
//! through the system share sheet (with the warning to show first and the
//! encrypted backup to offer before them), the encrypted backup itself, its
//! restore on a new phone or after a Keystore/Keychain loss, and import of a
//! JSON export on a fresh install.

use crate::clock::{ForeignClock, PhoneClock};
use crate::sync::ForeignTransport;
use crate::{HttpTransport, Steady, SteadyError};
use std::sync::Arc;
use steady_core::sync::DisclosureRecord;
use steady_core::{ExportFormat, PatientExport, RecordRestored};

#[uniffi::export]
impl Steady {
    /// The whole record as FHIR R4, CSV (one file per record kind) or JSON.
    /// Show `warning` and offer `create_backup` before sharing the files.
    pub fn export_record(&self, format: ExportFormat) -> Result<PatientExport, SteadyError> {
        Ok(self.core.export_record(format)?)
    }

    /// The whole database encrypted with the patient's passphrase (argon2id
    /// key, XChaCha20-Poly1305): one file to keep or move.
    pub fn create_backup(&self, passphrase: String) -> Result<Vec<u8>, SteadyError> {
        Ok(self.core.create_backup(&passphrase)?)
    }

    /// Restores `backup` into a database at `path` opened with `key` (a new
    /// key from the Keystore/Keychain), replacing what is there. A wrong
    /// passphrase (`WrongPassphrase`) or a damaged file (`DamagedBackup`)
    /// changes nothing.
    #[uniffi::constructor]
    pub fn restore_backup(
        path: String,
        key: Vec<u8>,
        clock: Arc<dyn PhoneClock>,
        backup: Vec<u8>,
        passphrase: String,
    ) -> Result<Arc<Self>, SteadyError> {
        let (core, _) = steady_core::Steady::restore_backup(
            path,
            &key,
            Arc::new(ForeignClock(clock)),
            &backup,
            &passphrase,
        )?;
        Ok(Arc::new(Steady { core }))
    }

    /// Reads a JSON export into this (fresh) database, all or nothing.
    pub fn import_record(&self, json: String) -> Result<RecordRestored, SteadyError> {
        Ok(self.core.import_record(json.as_bytes())?)
    }

    /// The clinic's accounting of disclosures of this patient's records
    /// (42 CFR 2.25): date, recipient name and address, what, and why.
    pub fn disclosures(
        &self,
        transport: Arc<dyn HttpTransport>,
    ) -> Result<Vec<DisclosureRecord>, SteadyError> {
        Ok(self.core.disclosures(&ForeignTransport(transport))?)
    }
}
