//! Steady's core: every rule of the app lives here — craving logs, schedules and
//! reminders, check-ins, progress, encrypted storage and sync. The phone shells and
//! the `steady` CLI only render what this crate computes.
//!
//! Time never comes from the system inside this crate: it enters through a
//! [`Clock`] the shell supplies, so every rule is deterministic under test.

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("steady_core");

mod api;
mod app;
pub mod attendance;
pub mod changes;
pub mod checkin;
mod clinic_notice;
mod clock;
pub mod consent;
pub mod coping;
pub mod craving;
pub mod crisis;
pub mod crisis_contacts;
mod enrollment;
mod error;
mod error_kind;
pub mod export;
mod ids;
pub mod lapse;
pub mod messages;
mod moment;
mod outbox;
pub mod overdose;
pub mod progress;
pub mod reminders;
mod revision;
pub mod schedule;
pub mod screens;
mod set_aside;
mod storage;
pub mod sync;
mod tags;
#[cfg(test)]
mod test_support;
mod typed_time;
mod validate;
pub mod vocabulary;
pub mod zone;

pub use app::Steady;
pub use attendance::AttendanceRecord;
pub use changes::{ChangeArea, ChangeObserver, ChangeSet, ObserverToken, Screen};
pub use checkin::{
    AnswerOption, AnswerValue, AssignedQuestionnaire, DailyCheckIn, ItemKind, NewDailyCheckIn,
    Questionnaire, QuestionnaireAnswer, QuestionnaireItem, QuestionnaireResponse,
    QuestionnaireSubmitted, ScoreBand,
};
pub use clock::{Clock, FixedClock};
pub use consent::{
    Consent, ConsentCategory, ConsentGrant, ConsentState, ConsentStatus, OutsideConsent,
};
pub use coping::{CopingPlan, CopingStrategy, PlanEntry, PlanSection, SupportContact};
pub use craving::{
    Company, Craving, CravingAmendment, CravingLogged, CravingOutcome, NewCraving, Place,
};
pub use crisis::{crisis_card_without_database, CrisisCard, CrisisLine, CrisisReason};
pub use error::{Error, Result};
pub use error_kind::ErrorKind;
pub use export::{ExportFile, ExportFormat, PatientExport, RecordRestored};
pub use lapse::{Lapse, LapseLogged, NewLapse};
pub use messages::{ClinicAttendanceRecord, DrugScreenRelease, MessageSent, ThreadMessage};
pub use outbox::OutboxEntry;
pub use overdose::OverdoseGuidance;
pub use progress::ProgressReport;
pub use reminders::{
    diff_reminders, Reminder, ReminderDelivery, ReminderDiff, ReminderFiring, ReminderKind,
};
pub use schedule::ical::ImportSkip;
pub use schedule::medication::{DoseConfirmation, DoseDue, DoseStatus, Medication, NewMedication};
pub use schedule::settings::ReminderSettings;
pub use schedule::store::ImportSummary;
pub use schedule::{
    AttendanceStatus, Frequency, OccurrenceChange, OccurrenceStatus, Recurrence, ScheduleSource,
    SessionKind, SessionOccurrence, SessionSeries, Weekday,
};
pub use set_aside::set_aside_database;
pub use storage::SCHEMA_VERSION;
pub use sync::{
    ClinicRecord, EnrollmentInfo, HttpHeader, HttpRequest, HttpResponse, SyncRejection, SyncReport,
    Transport, TransportError,
};
pub use sync::{PendingEnrollment, SyncRun};
pub use tags::BuiltInTag;
pub use typed_time::{Instant, LocalDate};
pub use zone::{names as zone_names, TimeZoneRules, Tz};

/// Length in bytes of the database key the shell supplies (SQLCipher raw key).
pub const KEY_LEN: usize = 32;
