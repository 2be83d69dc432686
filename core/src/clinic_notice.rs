//! What to tell a patient whose record was just flagged for the clinic: will
//! the clinic see it, and when. Nobody at the clinic watches Steady around
//! the clock, so the answer always ends by pointing to 988 and 911 for now.
//! The words fit the situation: not enrolled, not shared (no consent), sent
//! at the next sync (offline until then), outside usual clinic hours.

use crate::consent::{self, ConsentCategory};
use crate::crisis::CrisisReason;
use crate::enrollment;
use crate::Steady;
use chrono::{Datelike, Timelike, Weekday};

/// Said last, whatever the situation.
pub const ACT_NOW: &str = "If you might act on thoughts of harming yourself, call or text 988 \
    or call 911 now.";

/// Hours a clinic is usually staffed, Monday to Friday, in the patient's zone
/// (the phone does not know the clinic's own hours).
const OPEN_HOURS: std::ops::Range<u32> = 8..18;

impl Steady {
    /// The notice for a card raised by `reason`. Reads what it can; an
    /// unreadable database gives the most cautious words.
    pub(crate) fn clinic_notice(&self, reason: CrisisReason) -> String {
        let category = match reason {
            CrisisReason::CravingMarkedUnsafe => ConsentCategory::Cravings,
            CrisisReason::LapseMarkedUnsafe => ConsentCategory::Lapses,
            CrisisReason::SelfHarmThoughts | CrisisReason::Requested => ConsentCategory::Checkins,
        };
        let now = self.now();
        let state = self.read(|conn| {
            let enrolled = enrollment::load(conn)?;
            let shared = match &enrolled {
                Some(_) => !consent::active(conn, category, now.timestamp_millis())?.is_empty(),
                None => false,
            };
            Ok((enrolled.map(|e| e.clinic_name), shared))
        });
        let first = match state {
            Err(_) | Ok((None, _)) => "Your clinic will not see this: Steady is not connected \
                to a clinic. Tell your counselor yourself when you can."
                .to_string(),
            Ok((Some(clinic), false)) => format!(
                "{clinic} will not see this: you have not agreed to share {} with them. You \
                 can tell your counselor yourself, or share it in Clinic settings.",
                match category {
                    ConsentCategory::Cravings => "your cravings",
                    ConsentCategory::Lapses => "your lapses",
                    _ => "your check-ins and questionnaire answers",
                }
            ),
            Ok((Some(clinic), true)) => {
                let local = self.zone().map(|zone| now.with_timezone(&zone));
                let open = local.is_ok_and(|t| {
                    !matches!(t.weekday(), Weekday::Sat | Weekday::Sun)
                        && OPEN_HOURS.contains(&t.hour())
                });
                let when = if open {
                    "Staff check flags during clinic hours, not around the clock."
                } else {
                    "The clinic is probably closed now: staff will see it when it next opens, \
                     not at once."
                };
                format!(
                    "{clinic} will get this flag at Steady's next sync (if you are offline, \
                     when you are back online). {when}"
                )
            }
        };
        format!("{first} {ACT_NOW}")
    }
}
