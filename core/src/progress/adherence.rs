//! Medication adherence: doses taken out of doses due, per medication, over
//! the last 7 and 30 local days and over the whole period. A dose counts as
//! due once answered or once its grace time has passed, so a dose due five
//! minutes ago does not yet lower the figure.

use super::days::ratio;
use super::facts::DoseFact;
use crate::DoseStatus;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// How long after its time an unanswered dose starts to count as due.
pub const DOSE_GRACE_MINUTES: i64 = 120;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DoseCounts {
    pub taken: u32,
    pub taken_late: u32,
    pub skipped: u32,
    /// Past their grace time with no answer.
    pub unanswered: u32,
    pub due: u32,
    /// `(taken + taken_late) / due`.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MedicationAdherence {
    pub medication_id: String,
    pub name: String,
    pub last_7_days: DoseCounts,
    pub last_30_days: DoseCounts,
    pub overall: DoseCounts,
}

impl DoseCounts {
    fn add(&mut self, answer: Option<DoseStatus>) {
        match answer {
            Some(DoseStatus::Taken) => self.taken += 1,
            Some(DoseStatus::TakenLate) => self.taken_late += 1,
            Some(DoseStatus::Skipped) => self.skipped += 1,
            None => self.unanswered += 1,
        }
        self.due += 1;
        self.rate = ratio(self.taken + self.taken_late, self.due);
    }
}

/// Adherence per medication (by name) for doses due on `[first, today]`.
pub(crate) fn adherence(
    doses: &[DoseFact],
    first: NaiveDate,
    today: NaiveDate,
    now_ms: i64,
) -> Vec<MedicationAdherence> {
    let grace_ms = Duration::minutes(DOSE_GRACE_MINUTES).num_milliseconds();
    let week_from = today - Duration::days(6);
    let month_from = today - Duration::days(29);
    let mut by_medication: BTreeMap<(&str, &str), MedicationAdherence> = BTreeMap::new();
    for dose in doses {
        let entry = by_medication
            .entry((&dose.name, &dose.medication_id))
            .or_insert_with(|| MedicationAdherence {
                medication_id: dose.medication_id.to_string(),
                name: dose.name.to_string(),
                last_7_days: DoseCounts::default(),
                last_30_days: DoseCounts::default(),
                overall: DoseCounts::default(),
            });
        let counts = dose.answer.is_some() || dose.due_ms + grace_ms <= now_ms;
        if !counts || dose.due_date > today {
            continue;
        }
        if dose.due_date >= first {
            entry.overall.add(dose.answer);
        }
        if dose.due_date >= month_from {
            entry.last_30_days.add(dose.answer);
        }
        if dose.due_date >= week_from {
            entry.last_7_days.add(dose.answer);
        }
    }
    by_medication.into_values().collect()
}
