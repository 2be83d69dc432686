//! Change signals: a shell registers an observer once and is told, after every
//! committed write, which areas of the patient's data changed and so which
//! screens are stale — writes a sync brings in included, because every write
//! goes through [`Steady::write`](crate::Steady) on the one connection.
//!
//! How a change is noticed: SQLite's update hook (installed at open) names
//! every table a statement touches; the tables map to [`ChangeArea`]s here.
//! The areas gathered during a transaction are taken after it commits (and
//! dropped when it rolls back), the connection lock is released, and only then
//! are observers called — never inside the transaction, never under a lock. An
//! observer that panics or throws is caught and ignored: the write has already
//! happened. See docs/adr/0002-change-observer.md.

use serde::Serialize;
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

/// A part of the patient's data; one write may touch several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ChangeArea {
    Cravings,
    Lapses,
    CheckIns,
    /// Sessions (own or the clinic's) and their attendance.
    Schedule,
    /// Medication plans and dose answers.
    Medication,
    /// Reminder settings and snoozes.
    Reminders,
    /// The coping plan, support contacts and the strong-craving threshold.
    CopingPlan,
    Consent,
    /// Enrollment and clinic-authored records (messages, questionnaires).
    Clinic,
    /// The sync queue and the sync status.
    Sync,
    /// Program settings and tracked substances.
    Program,
    /// A table this build does not classify (never expected; a test checks
    /// every table has an area). Shells refresh everything.
    Other,
}

/// A phone screen whose content is decided in the core (see `screens`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Screen {
    Today,
    CravingForm,
    CheckIns,
    ScheduleWeek,
    Progress,
    CopingPlan,
    Clinic,
    Settings,
    /// Not a screen: the reminders the shell holds must be planned again
    /// (`plan_reminders` and `diff_reminders`).
    ReminderPlan,
}

/// What one committed write changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChangeSet {
    pub areas: Vec<ChangeArea>,
    /// The screens showing any of `areas`, decided here so that no shell
    /// keeps its own map.
    pub screens: Vec<Screen>,
}

impl Screen {
    pub const ALL: [Screen; 9] = [
        Screen::Today,
        Screen::CravingForm,
        Screen::CheckIns,
        Screen::ScheduleWeek,
        Screen::Progress,
        Screen::CopingPlan,
        Screen::Clinic,
        Screen::Settings,
        Screen::ReminderPlan,
    ];
}

impl ChangeArea {
    /// The area of a table of the core's schema.
    pub(crate) fn of_table(table: &str) -> ChangeArea {
        use ChangeArea::*;
        match table {
            "craving" | "craving_day" | "craving_day_stale" => Cravings,
            "lapse" => Lapses,
            "daily_checkin" | "questionnaire_response" | "questionnaire_definition" => CheckIns,
            "session_series" | "attendance" => Schedule,
            "medication" | "dose_confirmation" => Medication,
            "reminder_settings" | "reminder_snooze" | "reminder_fired" => Reminders,
            "coping_plan_entry" | "safety_setting" => CopingPlan,
            "consent" => Consent,
            "sync_enrollment" | "clinic_record" | "screen_mark" | "patient_message"
            | "message_read" => Clinic,
            "outbox" | "sync_status" | "backup_restore" => Sync,
            "program_settings" | "tracked_substance" | "app_setup" => Program,
            // A revision row always comes with the write of its record.
            "record_revision" => Other,
            _ => Other,
        }
    }

    /// The screens (and the reminder plan) that show this area.
    pub fn screens(self) -> &'static [Screen] {
        use Screen::*;
        match self {
            ChangeArea::Cravings => &[Today, CravingForm, Progress, CopingPlan],
            ChangeArea::Lapses => &[Today, Progress],
            ChangeArea::CheckIns => &[Today, CheckIns, Progress, ReminderPlan],
            ChangeArea::Schedule => &[Today, ScheduleWeek, Progress, ReminderPlan],
            ChangeArea::Medication => &[Today, ScheduleWeek, Progress, ReminderPlan],
            ChangeArea::Reminders => &[Settings, ReminderPlan],
            ChangeArea::CopingPlan => &[Today, CravingForm, CopingPlan],
            ChangeArea::Consent => &[Clinic, Today],
            ChangeArea::Clinic => &[Today, CheckIns, Clinic],
            ChangeArea::Sync => &[Today, Clinic],
            ChangeArea::Program => &[Today, Progress, Settings],
            ChangeArea::Other => &Screen::ALL,
        }
    }
}

impl ChangeSet {
    fn of(areas: BTreeSet<ChangeArea>) -> ChangeSet {
        let screens: BTreeSet<Screen> = areas
            .iter()
            .flat_map(|a| a.screens().iter().copied())
            .collect();
        ChangeSet {
            areas: areas.into_iter().collect(),
            screens: screens.into_iter().collect(),
        }
    }
}

/// Told after every committed write. Runs on the thread that wrote; keep it
/// short (post to the UI thread). It may call back into `Steady`.
pub trait ChangeObserver: Send + Sync {
    fn changed(&self, changes: &ChangeSet);
}

/// Keeps an observer registered; dropping it (or [`ObserverToken::cancel`])
/// unregisters it.
pub struct ObserverToken {
    id: u64,
    live: Weak<Live>,
}

impl ObserverToken {
    pub fn cancel(&self) {
        if let Some(live) = self.live.upgrade() {
            lock(&live.observers).retain(|(id, _)| *id != self.id);
        }
    }
}

impl Drop for ObserverToken {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// In-memory state shared by one open `Steady`: the areas the current
/// transaction touched, the observers, and how many syncs are under way.
#[derive(Default)]
pub(crate) struct Live {
    touched: Arc<Mutex<BTreeSet<ChangeArea>>>,
    observers: Mutex<Vec<(u64, Arc<dyn ChangeObserver>)>>,
    next_id: AtomicU64,
    pub(crate) syncs_running: AtomicUsize,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Live {
    /// Installs the update hook that records which areas a statement touched.
    pub(crate) fn watch(&self, conn: &mut rusqlite::Connection) -> crate::Result<()> {
        let touched = Arc::clone(&self.touched);
        conn.update_hook(Some(
            move |_action: rusqlite::hooks::Action, _db: &str, table: &str, _row: i64| {
                lock(&touched).insert(ChangeArea::of_table(table));
            },
        ))?;
        Ok(())
    }

    pub(crate) fn register(self: &Arc<Self>, observer: Arc<dyn ChangeObserver>) -> ObserverToken {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        lock(&self.observers).push((id, observer));
        ObserverToken {
            id,
            live: Arc::downgrade(self),
        }
    }

    /// Takes what the last transaction touched (call with the connection
    /// locked, right after commit or rollback).
    pub(crate) fn take(&self) -> BTreeSet<ChangeArea> {
        std::mem::take(&mut *lock(&self.touched))
    }

    /// Tells every observer; call with no lock held.
    pub(crate) fn notify(&self, areas: BTreeSet<ChangeArea>) {
        if areas.is_empty() {
            return;
        }
        let changes = ChangeSet::of(areas);
        let observers: Vec<Arc<dyn ChangeObserver>> = lock(&self.observers)
            .iter()
            .map(|(_, o)| Arc::clone(o))
            .collect();
        for observer in observers {
            // The write is committed: a failing observer must not undo or
            // hide it, nor stop the others from hearing about it.
            let _ = catch_unwind(AssertUnwindSafe(|| observer.changed(&changes)));
        }
    }
}
