//! Payloads of clinic-authored records (pull changes). Staff write them
//! through the staff API; phones treat them as read-only.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A day of the week, Monday first (the ISO and iCalendar default). The
/// phone's core uses this type too (one definition, steady-core's vocabulary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// What a session is, as the patient would call it. The phone's core uses
/// this type too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    Group,
    Individual,
    Family,
    MedicationManagement,
    Other,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    pub fn to_chrono(self) -> chrono::Weekday {
        match self {
            Weekday::Mon => chrono::Weekday::Mon,
            Weekday::Tue => chrono::Weekday::Tue,
            Weekday::Wed => chrono::Weekday::Wed,
            Weekday::Thu => chrono::Weekday::Thu,
            Weekday::Fri => chrono::Weekday::Fri,
            Weekday::Sat => chrono::Weekday::Sat,
            Weekday::Sun => chrono::Weekday::Sun,
        }
    }

    pub fn from_chrono(day: chrono::Weekday) -> Weekday {
        Weekday::ALL[day.num_days_from_monday() as usize % 7]
    }

    /// Parses `mon`, `monday` or the iCalendar `MO`, in any case.
    pub fn parse(text: &str) -> Option<Weekday> {
        let lower = text.trim().to_ascii_lowercase();
        Weekday::ALL.into_iter().find(|day| {
            let name = day.name();
            lower == name || lower == name[..3] || lower == name[..2]
        })
    }

    /// The iCalendar name, e.g. `MO`.
    pub fn rfc5545(self) -> &'static str {
        match self {
            Weekday::Mon => "MO",
            Weekday::Tue => "TU",
            Weekday::Wed => "WE",
            Weekday::Thu => "TH",
            Weekday::Fri => "FR",
            Weekday::Sat => "SA",
            Weekday::Sun => "SU",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Weekday::Mon => "monday",
            Weekday::Tue => "tuesday",
            Weekday::Wed => "wednesday",
            Weekday::Thu => "thursday",
            Weekday::Fri => "friday",
            Weekday::Sat => "saturday",
            Weekday::Sun => "sunday",
        }
    }
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Group => "group",
            SessionKind::Individual => "individual",
            SessionKind::Family => "family",
            SessionKind::MedicationManagement => "medication_management",
            SessionKind::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<SessionKind> {
        Some(match text {
            "group" => SessionKind::Group,
            "individual" => SessionKind::Individual,
            "family" => SessionKind::Family,
            "medication_management" => SessionKind::MedicationManagement,
            "other" => SessionKind::Other,
            _ => return None,
        })
    }
}

/// A series of sessions, zoned in the clinic's time zone: sessions keep their
/// instant when the patient travels.
///
/// Version 1 says a weekly rule (`weekdays`, `interval_weeks`, `until_date`,
/// `count`, `cancelled_dates`). A series from a calendar may say more; the
/// optional fields below carry it and are left out when empty, so a weekly
/// series is byte-for-byte what phones that know only version 1 read (they
/// refuse unknown fields, and keep such a series out of their schedule
/// rather than show it wrong).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSeries {
    pub kind: SessionKind,
    pub title: String,
    /// The clinic's IANA zone, e.g. `"America/New_York"`.
    pub time_zone: String,
    /// First day of the series, `YYYY-MM-DD` in `time_zone`.
    pub first_date: String,
    /// Local start time, `HH:MM`.
    pub start_time: String,
    pub duration_minutes: u32,
    /// The weekdays it meets on; at least one.
    pub weekdays: Vec<Weekday>,
    /// Every N weeks (1 = weekly).
    #[serde(default = "one")]
    pub interval_weeks: u32,
    /// Last possible day, `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub until_date: Option<String>,
    /// Number of occurrences, when bounded by count.
    #[serde(default)]
    pub count: Option<u32>,
    /// Room, address or video link.
    #[serde(default)]
    pub location: Option<String>,
    /// Occurrences that will not happen, `YYYY-MM-DD`.
    #[serde(default)]
    pub cancelled_dates: Vec<String>,
    /// RFC 5545 `RRULE` values in clinic-local floating time (an `UNTIL` is a
    /// wall-clock time of `time_zone`, without `Z`), e.g.
    /// `FREQ=MONTHLY;BYDAY=1SA`. When present they replace `weekdays`,
    /// `interval_weeks`, `until_date` and `count`, and the first start is
    /// always an occurrence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// Extra clinic-local starts, `YYYY-MM-DDTHH:MM` (iCalendar `RDATE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_starts: Vec<String>,
    /// Changes to single occurrences, keyed by their original start.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<OccurrenceChange>,
    /// The calendar UID the series came from (a feed subscription).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
}

/// One occurrence of a series moved, re-timed, retitled or cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OccurrenceChange {
    /// The start the rule gives it, clinic-local `YYYY-MM-DDTHH:MM`.
    pub original_start: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cancelled: bool,
    /// New clinic-local start, `YYYY-MM-DDTHH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Also every later occurrence (iCalendar `RANGE=THISANDFUTURE`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub this_and_future: bool,
}

fn one() -> u32 {
    1
}

/// A medication plan, floating: `08:00` stays `08:00` on the phone's clock
/// wherever the patient is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedicationPlan {
    pub name: String,
    /// Free text, e.g. `"8 mg"`.
    #[serde(default)]
    pub dose: Option<String>,
    /// Local times of day, `HH:MM`; at least one.
    pub times: Vec<String>,
    /// Days it is taken; empty means every day.
    #[serde(default)]
    pub weekdays: Vec<Weekday>,
    /// `YYYY-MM-DD`.
    pub start_date: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub end_date: Option<String>,
}

/// A weekly questionnaire the patient is asked to answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// `"phq9"`, `"gad7"` or `"custom"`.
    pub instrument: String,
    pub title: String,
    /// The day of the week it is due.
    pub weekday: Weekday,
    /// Local time it is offered, `HH:MM` (floating).
    pub time: String,
    /// For `custom`: the instrument as a FHIR Questionnaire subset (see the
    /// check-ins documentation); absent for built-ins.
    #[serde(default)]
    pub definition: Option<Value>,
}

/// A short note from the clinic to the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClinicMessage {
    /// Who wrote it (staff display name).
    pub from: String,
    pub body: String,
}

#[cfg(test)]
mod weekday_tests {
    use super::Weekday;

    #[test]
    fn weekdays_parse_from_short_long_and_icalendar_names_only() {
        for text in ["mon", "Monday", "MO", " mo "] {
            assert_eq!(Weekday::parse(text), Some(Weekday::Mon), "{text}");
        }
        assert_eq!(Weekday::parse("th"), Some(Weekday::Thu));
        for text in ["monkey", "m", "", "lundi"] {
            assert_eq!(Weekday::parse(text), None, "{text}");
        }
    }
}
