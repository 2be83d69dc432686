//! One call per phone screen, each returning one record with everything the
//! screen shows, already decided — so the Android and iOS shells only render,
//! and no rule is written three times. Built on the domain functions of the
//! other modules; nothing here stores health data of its own.
//!
//! | screen | call |
//! |---|---|
//! | Today | [`Steady::today`](crate::Steady::today) |
//! | Log a craving | [`Steady::craving_form`], then `log_craving_with_support` |
//! | Check-ins | [`Steady::checkins_screen`] |
//! | Schedule week | [`Steady::schedule_week`] |
//! | Progress | [`Steady::progress_screen`] |
//! | Coping plan, crisis card | `coping_plan`, `crisis_card` |
//! | Clinic | [`Steady::clinic_screen`] |
//! | Settings | [`Steady::settings_screen`] |
//!
//! Words the patient reads are [`Label`]s: a stable key a shell may localise
//! by, and the default English text. See docs/adr/0001-screen-state-in-the-core.md.

mod checkins;
mod clinic;
mod craving_form;
mod progress;
mod schedule_week;
mod settings;
mod sync_state;
#[cfg(test)]
mod tests;
mod today;

pub use checkins::{
    CheckinsScreen, DailyCheckinState, DueQuestionnaire, QuestionnaireSource, ScoreChange,
    ScoreSummary,
};
pub use clinic::{
    ClinicMessageView, ClinicScreen, ConsentCard, ConsentElement, Disclosure, EnrollmentState,
};
pub use craving_form::{Choice, CompanyChoice, CravingForm, OutcomeChoice, PlaceChoice};
pub use progress::{ChartPoint, ChartSeries, ProgressRange, ProgressScreen, SeriesPeriod};
pub use schedule_week::{
    AttendanceMark, RecordedBy, ScheduleDay, ScheduleWeek, WeekDose, WeekSession,
};
pub use settings::{NotificationText, NotificationTextChoice, SettingsScreen};
pub use sync_state::{
    SyncPhase, SyncProblem, SyncProblemKind, SyncState, WaitReason, WaitingItems,
};

pub use today::{Today, COPING_SHORTCUTS, DOSE_DUE_AHEAD_MINUTES, NEXT_SESSION_HORIZON_DAYS};

pub(crate) use checkins::questionnaires_due;
pub(crate) use clinic::unread_messages;

use serde::Serialize;

/// Text the patient reads: `key` is stable (shells may localise by it; an
/// unknown key falls back to `text`), `text` is the default English. Own
/// entries the patient typed have the key `own`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Label {
    pub key: String,
    pub text: String,
}

pub(crate) fn label(key: &str, text: &str) -> Label {
    Label {
        key: key.to_string(),
        text: text.to_string(),
    }
}

/// A label for something the patient wrote themselves: shown as written.
pub(crate) fn own(text: &str) -> Label {
    label("own", text)
}
