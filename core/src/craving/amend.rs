//! Amending a craving: details added or changed later. The revision being
//! replaced is kept in the revision history, the clinic flag never clears, and
//! the new state is queued for sync in the same transaction.

use super::{
    check_duration, details, find, store, Company, Craving, CravingLogged, CravingOutcome,
};
use super::{Place, MAX_INTENSITY, RECORD_TYPE};
use crate::outbox::{self, Operation};
use crate::{ids, moment, revision, tags, validate, Result, Steady};

/// The changes to a craving. Absent fields stay as they are; an empty note or
/// an empty list clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CravingAmendment {
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub intensity: Option<u8>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub note: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub occurred_at_ms: Option<i64>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub time_zone: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub duration_minutes: Option<u32>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub triggers: Option<Vec<String>>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub emotions: Option<Vec<String>>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub company: Option<Company>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub place: Option<Place>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub substances: Option<Vec<String>>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub coping_tried: Option<Vec<String>>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub outcome: Option<CravingOutcome>,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub marked_unsafe: Option<bool>,
}

impl Steady {
    /// Amends a craving, keeping the replaced revision. An amendment that
    /// changes nothing adds no revision. Returns the safety response for the
    /// amended craving.
    pub fn amend_craving(&self, id: &str, change: CravingAmendment) -> Result<CravingLogged> {
        let id = ids::parse_id("id", id)?;
        let now = self.now();
        let checked = self.check_amendment(change)?;
        let amended = self.write(|tx| {
            let current = find(tx, &id)?;
            let mut next = checked.apply_to(&current);
            if next == current {
                return Ok(current);
            }
            next.revision = current.revision + 1;
            next.amended_at_ms = Some(now.timestamp_millis());
            next.flagged_for_clinic = current.flagged_for_clinic || next.marked_unsafe;
            revision::keep(tx, RECORD_TYPE, &id, current.revision, &current, now)?;
            store(tx, &next)?;
            outbox::record(tx, RECORD_TYPE, &id, Operation::Upsert, &next, now)?;
            Ok(next)
        })?;
        self.craving_support(amended, true)
    }

    /// Validates every given field before anything is read or written.
    fn check_amendment(&self, change: CravingAmendment) -> Result<CravingAmendment> {
        let now = self.now();
        let coping_keys = crate::coping::strategy_keys();
        let list = |field: &str, values: Option<Vec<String>>, built_ins: &[&str]| {
            values.map(|v| tags::clean(field, v, built_ins)).transpose()
        };
        Ok(CravingAmendment {
            intensity: change
                .intensity
                .map(|i| validate::range_0_to("intensity", i, MAX_INTENSITY))
                .transpose()?,
            // Kept as given: an empty note means "clear" and is resolved in apply_to.
            note: match change.note {
                Some(text) => Some(validate::note("note", Some(text))?.unwrap_or_default()),
                None => None,
            },
            occurred_at_ms: change
                .occurred_at_ms
                .map(|ms| moment::occurred_at("occurred_at", Some(ms), now))
                .transpose()?,
            time_zone: change
                .time_zone
                .map(|name| validate::time_zone("time_zone", &name).map(|z| z.name().to_string()))
                .transpose()?,
            duration_minutes: check_duration(change.duration_minutes)?,
            triggers: list("triggers", change.triggers, &details::trigger_keys())?,
            emotions: list("emotions", change.emotions, &[])?,
            company: change.company,
            place: change.place,
            substances: list("substances", change.substances, &[])?,
            coping_tried: list("coping_tried", change.coping_tried, &coping_keys)?,
            outcome: change.outcome,
            marked_unsafe: change.marked_unsafe,
        })
    }
}

impl CravingAmendment {
    fn apply_to(&self, current: &Craving) -> Craving {
        let mut next = current.clone();
        if let Some(intensity) = self.intensity {
            next.intensity = intensity;
        }
        if let Some(note) = &self.note {
            next.note = (!note.is_empty()).then(|| note.clone());
        }
        if let Some(ms) = self.occurred_at_ms {
            next.occurred_at_ms = ms;
        }
        if let Some(zone) = &self.time_zone {
            next.time_zone = zone.clone();
        }
        if self.duration_minutes.is_some() {
            next.duration_minutes = self.duration_minutes;
        }
        let replace = |target: &mut Vec<String>, source: &Option<Vec<String>>| {
            if let Some(values) = source {
                target.clone_from(values);
            }
        };
        replace(&mut next.triggers, &self.triggers);
        replace(&mut next.emotions, &self.emotions);
        replace(&mut next.substances, &self.substances);
        replace(&mut next.coping_tried, &self.coping_tried);
        if self.company.is_some() {
            next.company = self.company;
        }
        if self.place.is_some() {
            next.place = self.place;
        }
        if self.outcome.is_some() {
            next.outcome = self.outcome;
        }
        if let Some(unsafe_now) = self.marked_unsafe {
            next.marked_unsafe = unsafe_now;
        }
        next
    }
}
