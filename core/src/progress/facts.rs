//! The plain facts progress is computed from. Loading them from storage is
//! one step; computing metrics over them is another, pure and tested with
//! hand-counted histories.

use super::days::{local_date, local_time};
use crate::zone::Tz;
use crate::{DoseStatus, OccurrenceStatus};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::BTreeMap;
use std::rc::Rc;

/// One recorded use: a lapse, a craving whose outcome was use, or a daily
/// check-in answering "used today". Its local day is fixed by the zone it
/// happened in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UseEvent {
    pub date: NaiveDate,
    /// The substances named; none named means every tracked substance.
    pub substances: Vec<String>,
}

impl UseEvent {
    pub fn at(at_ms: i64, zone: Tz, substances: Vec<String>) -> Self {
        UseEvent {
            date: local_date(at_ms, zone),
            substances,
        }
    }

    /// Whether this use breaks sober time for `substance` (all substances
    /// when `None`).
    pub fn concerns(&self, substance: Option<&str>) -> bool {
        match substance {
            None => true,
            Some(name) => {
                self.substances.is_empty()
                    || self.substances.iter().any(|s| s.eq_ignore_ascii_case(name))
            }
        }
    }
}

/// A sobriety date the patient back-dates: the first sober day of the
/// current streak, for one substance or (`None`) for all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SobrietyStart {
    pub substance: Option<String>,
    pub first_sober_day: NaiveDate,
}

/// One session occurrence, in the clinic's zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OccurrenceFact {
    pub start_ms: i64,
    pub zone: Tz,
    pub duration_min: u32,
    pub status: OccurrenceStatus,
}

impl OccurrenceFact {
    pub fn date(&self) -> NaiveDate {
        local_date(self.start_ms, self.zone)
    }
}

/// One scheduled dose. Dose times float with the phone, so the dose's own
/// local date is part of what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DoseFact {
    /// Shared by every dose of the medication.
    pub medication_id: Rc<str>,
    pub name: Rc<str>,
    pub due_date: NaiveDate,
    pub due_ms: i64,
    pub answer: Option<DoseStatus>,
}

/// One craving with the details progress reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CravingFact {
    pub at_ms: i64,
    pub zone: Tz,
    pub intensity: u8,
    pub triggers: Vec<String>,
    pub coping: Vec<String>,
    /// Whether it passed; none when no outcome was recorded.
    pub passed: Option<bool>,
}

impl CravingFact {
    pub fn local(&self) -> NaiveDateTime {
        local_time(self.at_ms, self.zone)
    }
}

/// Everything progress reads, already loaded.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    pub uses: Vec<UseEvent>,
    pub occurrences: Vec<OccurrenceFact>,
    pub doses: Vec<DoseFact>,
    /// Craving tallies per local day (stored ones, see craving_days.rs).
    pub craving_days: BTreeMap<NaiveDate, DayTally>,
    /// Local dates with a daily check-in.
    pub checkin_dates: Vec<NaiveDate>,
}

/// How often a coping strategy was tried on a day, how many of those
/// cravings had an outcome, and how many passed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CopingTally {
    pub tried: u32,
    pub with_outcome: u32,
    pub passed: u32,
}

/// Everything the craving figures need from one local day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DayTally {
    pub count: u32,
    pub sum: u32,
    pub peak: Option<u8>,
    /// Cravings per local hour 0–23.
    pub hours: [u32; 24],
    /// Cravings per trigger, by name, each name once. Names are shared
    /// (`Rc`): a long history names the same few on most days.
    pub triggers: Vec<(Rc<str>, u32)>,
    /// Per coping strategy, by name, each name once.
    pub coping: Vec<(Rc<str>, CopingTally)>,
}
