//! The Today screen in one call: everything the home screen shows, already
//! decided, so a shell renders it without logic.

use super::{DueQuestionnaire, SyncState};
use crate::coping::CopingStrategy;
use crate::crisis::CrisisCard;
use crate::progress::cravings::{craving_stats_by_day, CravingTrend};
use crate::progress::days;
use crate::progress::sober::{sober_time, SoberTime};
use crate::{DoseDue, OccurrenceStatus, SessionOccurrence};
use crate::{Result, Steady};
use chrono::Duration;
use serde::Serialize;

/// How far ahead Today looks for the next session.
pub const NEXT_SESSION_HORIZON_DAYS: i64 = 60;
/// A dose shows as due this long before its time (as early as it can be
/// confirmed).
pub const DOSE_DUE_AHEAD_MINUTES: i64 = 60;
/// How many coping strategies the home screen offers as shortcuts.
pub const COPING_SHORTCUTS: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Today {
    /// The phone's local date, `YYYY-MM-DD`, and its zone.
    pub date: String,
    pub time_zone: String,
    /// The session under way or next to start; its `id` is the occurrence id
    /// attendance is recorded against.
    pub next_session: Option<SessionOccurrence>,
    /// Today's unanswered doses whose time has come (or comes within the
    /// hour), earliest first.
    pub doses_due_now: Vec<DoseDue>,
    /// No daily check-in yet today.
    pub checkin_due: bool,
    pub sober: SoberTime,
    pub craving_trend: CravingTrend,
    /// The strategies that most often helped cravings pass: shortcuts into
    /// the coping plan.
    pub coping_shortcuts: Vec<CopingStrategy>,
    /// Crisis lines and support contacts, always present.
    pub crisis_card: CrisisCard,
    /// Clinic messages received since the patient last read them.
    pub unread_messages: u32,
    /// Questionnaires due now, as the Check-ins screen lists them.
    pub questionnaires_due: Vec<DueQuestionnaire>,
    pub sync: SyncState,
}

impl Steady {
    /// Everything the home screen shows, now.
    pub fn today(&self) -> Result<Today> {
        let now = self.now();
        let now_ms = now.timestamp_millis();
        let zone = self.zone()?;
        let today = now.with_timezone(&zone).date_naive();
        let (program, prior_uses) = self.program(today)?;
        let uses = self.uses(prior_uses)?;
        // The trend reads the last 14 days; the stats' lookback, 6 more.
        let days = self.craving_days(today - Duration::days(19), today)?;
        let trend = craving_stats_by_day(&days, today, today, program.start).trend;
        let next_session = self
            .occurrences_between(
                now - Duration::days(1),
                now + Duration::days(NEXT_SESSION_HORIZON_DAYS),
            )?
            .into_iter()
            .find(|o| o.status == OccurrenceStatus::Scheduled && o.end_ms > now_ms);
        let due_by = now_ms + Duration::minutes(DOSE_DUE_AHEAD_MINUTES).num_milliseconds();
        let doses_due_now = self
            .doses_due(today, today)?
            .into_iter()
            .filter(|d| d.confirmation.is_none() && d.due_ms <= due_by)
            .collect();
        let checkin_due = self.daily_checkin(&days::format_date(today))?.is_none();
        let mut coping_shortcuts = self.strategies_by_help()?;
        coping_shortcuts.truncate(COPING_SHORTCUTS);
        Ok(Today {
            date: days::format_date(today),
            time_zone: zone.name().to_string(),
            next_session,
            doses_due_now,
            checkin_due,
            sober: sober_time(None, &uses, &program.prior, program.start, today),
            craving_trend: trend,
            coping_shortcuts,
            crisis_card: self.crisis_card(),
            unread_messages: super::unread_messages(self)?,
            questionnaires_due: super::questionnaires_due(self)?,
            sync: self.sync_state()?,
        })
    }
}
