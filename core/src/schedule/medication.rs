//! Medication plans: a name, dose text, times of day and weekdays between a
//! start and an optional end date. Dose times are floating: 08:00 is 08:00 on
//! the phone's clock wherever the patient is, so a dose is identified by its
//! medication and local date-time, never by an instant.

use super::local_time::{format_date, format_local, format_time, parse_date, parse_time};
use super::series::{optional_text, required_text};
use super::{ScheduleSource, Weekday};
use crate::{Error, Result};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// At most this many dose times a day.
const MAX_TIMES: usize = 12;

/// What the patient (or the clinic) enters to add a medication plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewMedication {
    pub name: String,
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub dose: Option<String>,
    /// Times of day `HH:MM`, at least one.
    pub times: Vec<String>,
    /// Days it is taken; empty means every day.
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub weekdays: Vec<Weekday>,
    /// First day `YYYY-MM-DD`; today on the phone's clock when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub start_date: Option<String>,
    /// Last day `YYYY-MM-DD`, inclusive; open-ended when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub end_date: Option<String>,
}

/// A stored medication plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Medication {
    pub id: String,
    pub name: String,
    pub dose: Option<String>,
    /// Sorted `HH:MM` times of day.
    pub times: Vec<String>,
    pub weekdays: Vec<Weekday>,
    pub start_date: String,
    pub end_date: Option<String>,
    pub source: ScheduleSource,
}

/// How the patient answered a dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum DoseStatus {
    Taken,
    Skipped,
    TakenLate,
}

impl DoseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DoseStatus::Taken => "taken",
            DoseStatus::Skipped => "skipped",
            DoseStatus::TakenLate => "taken_late",
        }
    }

    pub fn parse(text: &str) -> Option<DoseStatus> {
        Some(match text {
            "taken" => DoseStatus::Taken,
            "skipped" => DoseStatus::Skipped,
            "taken_late" | "late" => DoseStatus::TakenLate,
            _ => return None,
        })
    }
}

/// A dose confirmation, with the moment it was confirmed and the zone then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DoseConfirmation {
    pub dose_id: String,
    pub medication_id: String,
    pub due_local: String,
    pub status: DoseStatus,
    pub confirmed_at_ms: i64,
    pub time_zone: String,
}

/// One scheduled dose and, if answered, its confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DoseDue {
    /// `<medication id>@<local YYYY-MM-DDTHH:MM>`: stable across zones.
    pub id: String,
    pub medication_id: String,
    pub name: String,
    pub dose: Option<String>,
    pub due_local: String,
    /// The instant in `time_zone` (the phone's zone when planned).
    pub due_ms: i64,
    pub time_zone: String,
    pub confirmation: Option<DoseConfirmation>,
}

/// A validated plan with parsed dates and times.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub record: Medication,
    pub times: Vec<NaiveTime>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

pub fn dose_id(medication_id: &str, due_local: NaiveDateTime) -> String {
    format!("{medication_id}@{}", format_local(due_local))
}

pub(crate) fn validate_new(id: String, input: NewMedication, today: NaiveDate) -> Result<Plan> {
    let start_date = match &input.start_date {
        Some(text) => text.clone(),
        None => format_date(today),
    };
    plan(Medication {
        id,
        name: input.name,
        dose: input.dose,
        times: input.times,
        weekdays: input.weekdays,
        start_date,
        end_date: input.end_date,
        source: ScheduleSource::Patient,
    })
}

pub(crate) fn plan(mut record: Medication) -> Result<Plan> {
    record.name = required_text("name", &record.name)?;
    record.dose = optional_text("dose", record.dose)?;
    if record.times.is_empty() {
        return Err(Error::invalid(
            "times",
            "at least one time of day is needed",
        ));
    }
    if record.times.len() > MAX_TIMES {
        return Err(Error::invalid(
            "times",
            format!("at most {MAX_TIMES} a day"),
        ));
    }
    let mut times = record
        .times
        .iter()
        .map(|t| parse_time("times", t))
        .collect::<Result<Vec<_>>>()?;
    times.sort();
    times.dedup();
    record.times = times.iter().copied().map(format_time).collect();
    record.weekdays.sort();
    record.weekdays.dedup();
    let start = parse_date("start_date", &record.start_date)?;
    record.start_date = format_date(start);
    let end = record
        .end_date
        .as_deref()
        .map(|t| parse_date("end_date", t))
        .transpose()?;
    if let Some(end) = end {
        if end < start {
            return Err(Error::invalid("end_date", "is before start_date"));
        }
        record.end_date = Some(format_date(end));
    }
    Ok(Plan {
        record,
        times,
        start,
        end,
    })
}

/// Local due times of `plan` on the days `[first, last]`, in order.
pub(crate) fn due_times(plan: &Plan, first: NaiveDate, last: NaiveDate) -> Vec<NaiveDateTime> {
    let first = first.max(plan.start);
    let last = plan.end.map_or(last, |end| end.min(last));
    let mut due = Vec::new();
    let mut day = first;
    while day <= last {
        let weekday = Weekday::from_chrono(day.weekday());
        if plan.record.weekdays.is_empty() || plan.record.weekdays.contains(&weekday) {
            due.extend(plan.times.iter().map(|t| day.and_time(*t)));
        }
        day += Duration::days(1);
    }
    due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(times: &[&str], days: &[Weekday]) -> NewMedication {
        NewMedication {
            name: "Naltrexone".into(),
            dose: Some("50 mg".into()),
            times: times.iter().map(|t| t.to_string()).collect(),
            weekdays: days.to_vec(),
            start_date: Some("2026-03-02".into()),
            end_date: Some("2026-03-08".into()),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    #[test]
    fn times_are_sorted_and_days_filter_the_week() {
        let plan = validate_new(
            "m".into(),
            new(&["20:00", "08:00"], &[Weekday::Mon, Weekday::Fri]),
            today(),
        )
        .unwrap();
        assert_eq!(plan.record.times, ["08:00", "20:00"]);
        let due: Vec<_> = due_times(&plan, today(), today() + Duration::days(30))
            .into_iter()
            .map(format_local)
            .collect();
        assert_eq!(
            due,
            [
                "2026-03-02T08:00",
                "2026-03-02T20:00",
                "2026-03-06T08:00",
                "2026-03-06T20:00"
            ]
        );
    }

    #[test]
    fn invalid_plans_name_the_field() {
        let cases = [
            (new(&[], &[]), "times"),
            (new(&["8am"], &[]), "times"),
            (
                NewMedication {
                    name: " ".into(),
                    ..new(&["08:00"], &[])
                },
                "name",
            ),
            (
                NewMedication {
                    end_date: Some("2026-03-01".into()),
                    ..new(&["08:00"], &[])
                },
                "end_date",
            ),
            (
                NewMedication {
                    start_date: Some("March".into()),
                    ..new(&["08:00"], &[])
                },
                "start_date",
            ),
        ];
        for (input, expected) in cases {
            match validate_new("m".into(), input, today()) {
                Err(Error::Invalid { field, .. }) => assert_eq!(field, expected),
                other => panic!("expected invalid {expected}, got {other:?}"),
            }
        }
    }
}
