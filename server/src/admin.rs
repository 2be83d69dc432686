//! What the admin commands do, on a database opened directly (no server
//! needed): add staff, add a patient with an enrollment code, name the
//! clinic.

use crate::audit::Actor;
use crate::enroll::{self, IssuedCode};
use crate::error::ApiResult;
use crate::staff::{self, Patient};
use crate::store::{Db, Mode};
use crate::{secrets, settings};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct NewStaff {
    pub staff_id: String,
    pub email: String,
}

pub fn add_staff(
    db: &Db,
    email: &str,
    name: &str,
    password: &str,
    now_ms: i64,
) -> ApiResult<NewStaff> {
    if password.chars().count() < 10 {
        return Err(crate::error::ApiError::invalid(
            "password",
            "must be at least 10 characters",
        ));
    }
    let hash = secrets::hash_password(password)?;
    let email = staff::normalize_email(email)?;
    db.transact(Mode::Write, |tx| {
        let staff_id = staff::add_staff(tx, &email, name, &hash, now_ms)?;
        Ok(NewStaff { staff_id, email })
    })
}

#[derive(Debug, Serialize)]
pub struct NewPatient {
    #[serde(flatten)]
    pub patient: Patient,
    pub enrollment: IssuedCode,
}

/// The clinic of a server run for one clinic: staff and patients added from
/// the command line belong to it (the schema's default).
pub const DEFAULT_CLINIC: &str = "main";

pub fn add_patient(db: &Db, name: &str, now_ms: i64) -> ApiResult<NewPatient> {
    db.transact(Mode::Write, |tx| {
        let patient = staff::create_patient_tx(tx, &Actor::Admin, DEFAULT_CLINIC, name, now_ms)?;
        let enrollment = enroll::issue_code(tx, &Actor::Admin, &patient.patient_id, now_ms)?;
        Ok(NewPatient {
            patient,
            enrollment,
        })
    })
}

pub fn set_clinic_name(db: &Db, name: &str) -> ApiResult<()> {
    let name = crate::validate::text("clinic_name", name, 100)?;
    db.transact(Mode::Write, |tx| Ok(settings::set_clinic_name(tx, &name)?))
}
