//! Days of the week and kinds of session: the words a schedule is written in.

use serde::{Deserialize, Serialize};

/// What a session is, as the patient would call it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SessionKind {
    Group,
    Individual,
    Family,
    MedicationManagement,
    Other,
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

/// A day of the week, Monday first (the ISO and iCalendar default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
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

#[cfg(test)]
mod tests {
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
