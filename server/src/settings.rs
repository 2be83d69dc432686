//! Clinic-wide settings kept in the database (today: the clinic's name,
//! which phones show as the recipient of a consent).

use crate::store::{DbError, Tx};

const CLINIC_NAME: &str = "clinic_name";
const DEFAULT_CLINIC_NAME: &str = "Steady Clinic";

pub fn clinic_name(tx: &mut dyn Tx) -> Result<String, DbError> {
    Ok(tx
        .query_opt(
            "SELECT value FROM settings WHERE key = $1",
            &[CLINIC_NAME.into()],
        )?
        .map(|row| row.text(0))
        .transpose()?
        .unwrap_or_else(|| DEFAULT_CLINIC_NAME.to_string()))
}

pub fn set_clinic_name(tx: &mut dyn Tx, name: &str) -> Result<(), DbError> {
    tx.exec(
        "INSERT INTO settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[CLINIC_NAME.into(), name.into()],
    )?;
    Ok(())
}
