//! The patient's schedule: clinic sessions (one-off or recurring, zoned in the
//! clinic's time zone), medication plans (floating: they follow the phone's
//! clock) and the settings the reminder planner reads.
//!
//! Types here are what shells and the sync engine exchange; the files below
//! own validation ([`series`]), recurrence expansion ([`recurrence`]),
//! iCalendar import ([`ical`]), medications ([`medication`]) and storage.

pub mod ical;
pub mod local_time;
pub mod medication;
pub(crate) mod recorded;
pub mod recurrence;
pub(crate) mod rules;
pub mod series;
pub mod settings;
pub mod store;
#[cfg(test)]
mod tests;
pub mod wire;
pub(crate) mod zones;

pub use crate::vocabulary::{SessionKind, Weekday};
use serde::{Deserialize, Serialize};

/// Who authored a schedule entry. Clinic entries arrive by calendar import or
/// sync and are read-only on the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ScheduleSource {
    Clinic,
    Patient,
}

impl ScheduleSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ScheduleSource::Clinic => "clinic",
            ScheduleSource::Patient => "patient",
        }
    }

    pub(crate) fn parse(text: &str) -> ScheduleSource {
        if text == "clinic" {
            ScheduleSource::Clinic
        } else {
            ScheduleSource::Patient
        }
    }
}

/// How often a series repeats (the RFC 5545 `FREQ`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Yearly,
    Hourly,
    Minutely,
    Secondly,
}

impl Frequency {
    /// The RFC 5545 name, e.g. `WEEKLY`.
    pub fn rfc5545(self) -> &'static str {
        match self {
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::Yearly => "YEARLY",
            Frequency::Hourly => "HOURLY",
            Frequency::Minutely => "MINUTELY",
            Frequency::Secondly => "SECONDLY",
        }
    }

    pub fn parse_rfc5545(text: &str) -> Option<Frequency> {
        [
            Frequency::Daily,
            Frequency::Weekly,
            Frequency::Monthly,
            Frequency::Yearly,
            Frequency::Hourly,
            Frequency::Minutely,
            Frequency::Secondly,
        ]
        .into_iter()
        .find(|f| f.rfc5545().eq_ignore_ascii_case(text.trim()))
    }
}

/// The repeat rule of a session series.
///
/// The five typed fields describe a simple rule (what the phone's own
/// editor and the first version of the sync protocol can say). A calendar
/// can say more — `BYDAY=1SA`, `BYMONTHDAY`, `BYSETPOS`, `WKST=SU`, several
/// rules, extra dates — so `rules` carries RFC 5545 `RRULE` values verbatim
/// (in clinic-local floating time: an `UNTIL` is a wall-clock time of the
/// clinic's zone, without `Z`) and, when not empty, replaces the typed rule;
/// the typed fields then restate the first rule's frequency, interval, days,
/// end and count for display. `extra_starts` are the `RDATE`s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Recurrence {
    pub frequency: Frequency,
    /// Every `interval` days or weeks (1 = every one).
    pub interval: u32,
    /// Weekly: the days it meets (empty = the start's weekday). Daily: only
    /// these days (empty = every day).
    pub weekdays: Vec<Weekday>,
    /// Last possible start, clinic-local: `YYYY-MM-DD` (whole day) or
    /// `YYYY-MM-DDTHH:MM`.
    pub until: Option<String>,
    /// At most this many occurrences, counted from the first.
    pub count: Option<u32>,
    /// RFC 5545 rules (e.g. `FREQ=MONTHLY;BYDAY=1SA`), in clinic-local
    /// floating time. When present the series' first start is always an
    /// occurrence (RFC 5545 §3.8.5.3), and the typed rule is not used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub rules: Vec<String>,
    /// Extra clinic-local starts `YYYY-MM-DDTHH:MM` (iCalendar `RDATE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub extra_starts: Vec<String>,
}

/// A change to one occurrence of a series: cancelled, or moved/retitled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OccurrenceChange {
    /// The start the rule gives it, clinic-local `YYYY-MM-DDTHH:MM`.
    pub original_start_local: String,
    pub cancelled: bool,
    /// New clinic-local start when moved.
    pub start_local: Option<String>,
    pub duration_min: Option<u32>,
    pub title: Option<String>,
    pub location: Option<String>,
    /// The change also applies to every later occurrence (iCalendar
    /// `RANGE=THISANDFUTURE`): a later one moves by the same shift and takes
    /// the same duration, title and location, unless a change of its own
    /// says otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub this_and_future: bool,
}

/// A session series, or a one-off session when `recurrence` is absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SessionSeries {
    /// Record id (UUID). Empty when creating: a new one is minted, or the
    /// existing one is kept when `uid` matches a stored series.
    pub id: String,
    /// External key, e.g. the iCalendar UID: re-imports update, not duplicate.
    pub uid: Option<String>,
    pub kind: SessionKind,
    pub title: String,
    pub location: Option<String>,
    pub video_url: Option<String>,
    /// The clinic's IANA zone: sessions keep their instant when the patient
    /// travels.
    pub time_zone: String,
    /// First start, clinic-local `YYYY-MM-DDTHH:MM`.
    pub start_local: String,
    pub duration_min: u32,
    pub recurrence: Option<Recurrence>,
    pub changes: Vec<OccurrenceChange>,
    pub source: ScheduleSource,
}

/// Attendance the patient records for one session occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AttendanceStatus {
    Attended,
    Late,
    Missed,
    Excused,
}

/// Where one occurrence stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum OccurrenceStatus {
    /// Upcoming, under way, or recently ended and not yet recorded.
    Scheduled,
    Cancelled,
    /// Ended some hours ago with no record: never silently assumed missed.
    Unconfirmed,
    Attended,
    Late,
    Missed,
    Excused,
}

/// One concrete session, as the Today screen, reminders and progress see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SessionOccurrence {
    /// `<series id>@<original clinic-local start>`: stable and derivable.
    pub id: String,
    pub series_id: String,
    pub kind: SessionKind,
    pub title: String,
    pub location: Option<String>,
    pub video_url: Option<String>,
    pub time_zone: String,
    pub original_start_local: String,
    pub start_local: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub duration_min: u32,
    pub moved: bool,
    pub status: OccurrenceStatus,
}
