//! The sync state the Today and Clinic screens show: whether a sync runs, the
//! last success, the last error, and what waits on the phone and why.

use super::{label, Label};
use crate::consent::{self, ConsentCategory};
use crate::sync::enrollment;
use crate::typed_time::Instant;
use crate::{Result, Steady};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::sync::atomic::Ordering;
use steady_protocol::RECORD_TYPE_CONSENT;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SyncPhase {
    /// No clinic yet: nothing is ever sent.
    NotEnrolled,
    /// Nothing under way; the last attempt succeeded (or none was made).
    Idle,
    Running,
    /// The last attempt could not reach the clinic: it will be retried and
    /// nothing is lost.
    Offline,
    /// The clinic refused the last attempt or revoked this phone, or the
    /// answer could not be read: the patient (or support) must act.
    NeedsAttention,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SyncProblemKind {
    Offline,
    Refused,
    DeviceRevoked,
    NotEnrolled,
    Internal,
}

/// How the last failed attempt ended. `reason` is safe to show (the clinic's
/// words or a transport failure; never a payload or a token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncProblem {
    pub kind: SyncProblemKind,
    pub label: Label,
    pub reason: String,
    pub at: Instant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum WaitReason {
    /// The category is not consented: kept on the phone until it is.
    NoConsent,
    /// Consented: goes with the next sync.
    NextSync,
}

/// Saved records of one category not yet acknowledged by the clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WaitingItems {
    pub category: ConsentCategory,
    pub count: u32,
    pub reason: WaitReason,
    pub label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncState {
    pub phase: SyncPhase,
    pub label: Label,
    pub last_success: Option<Instant>,
    pub last_attempt: Option<Instant>,
    /// The last attempt's error; none once a later sync succeeded.
    pub last_error: Option<SyncProblem>,
    /// Per category with anything waiting, in category order.
    pub waiting: Vec<WaitingItems>,
}

impl Steady {
    /// The sync state now.
    pub fn sync_state(&self) -> Result<SyncState> {
        let now_ms = self.now().timestamp_millis();
        let running = self.live.syncs_running.load(Ordering::SeqCst) > 0;
        self.read(|conn| sync_state(conn, now_ms, running))
    }
}

/// `sync_status`: last attempt, error kind, error reason, error time.
type StatusRow = (i64, Option<String>, Option<String>, Option<i64>);

pub(crate) fn sync_state(conn: &Connection, now_ms: i64, running: bool) -> Result<SyncState> {
    let enrolled = enrollment::load(conn)?;
    let status: Option<StatusRow> = conn
        .query_row(
            "SELECT last_attempt_at_ms, error_kind, error_reason, error_at_ms
             FROM sync_status WHERE id = 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    let last_error = status.as_ref().and_then(|(_, kind, reason, at)| {
        let kind = match kind.as_deref()? {
            "offline" => SyncProblemKind::Offline,
            "refused" => SyncProblemKind::Refused,
            "revoked" => SyncProblemKind::DeviceRevoked,
            "not_enrolled" => SyncProblemKind::NotEnrolled,
            _ => SyncProblemKind::Internal,
        };
        Some(SyncProblem {
            kind,
            label: problem_label(kind),
            reason: reason.clone().unwrap_or_default(),
            at: Instant::from_millis(at.unwrap_or_default()),
        })
    });
    let phase = match (&enrolled, running, &last_error) {
        (None, _, _) => SyncPhase::NotEnrolled,
        (Some(_), true, _) => SyncPhase::Running,
        (Some(_), false, None) => SyncPhase::Idle,
        (Some(_), false, Some(p)) if p.kind == SyncProblemKind::Offline => SyncPhase::Offline,
        (Some(_), false, Some(_)) => SyncPhase::NeedsAttention,
    };
    Ok(SyncState {
        phase,
        label: phase_label(phase),
        last_success: enrolled
            .as_ref()
            .and_then(|e| e.last_sync_at_ms)
            .map(Instant::from_millis),
        last_attempt: status.map(|s| Instant::from_millis(s.0)),
        last_error,
        waiting: waiting(conn, now_ms)?,
    })
}

/// Records not yet acknowledged, per category: those that may leave now wait
/// for the next sync, the others for consent. (Consent records themselves
/// always go first and are not counted.)
fn waiting(conn: &Connection, now_ms: i64) -> Result<Vec<WaitingItems>> {
    let consented = consent::consented(conn, now_ms)?;
    let mut out = Vec::new();
    for category in ConsentCategory::ALL {
        let (unnumbered, numbered): (u32, u32) = conn.query_row(
            "SELECT coalesce(sum(push_seq IS NULL), 0), coalesce(sum(push_seq IS NOT NULL), 0)
             FROM outbox WHERE category = ?1 AND result IS NULL AND record_type != ?2",
            params![category.as_str(), RECORD_TYPE_CONSENT],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let (next_sync, no_consent) = if consented.contains(&category) {
            (unnumbered + numbered, 0)
        } else {
            (numbered, unnumbered)
        };
        if no_consent > 0 {
            out.push(WaitingItems {
                category,
                count: no_consent,
                reason: WaitReason::NoConsent,
                label: label(
                    "sync.waiting.no_consent",
                    "Kept on this phone until you agree to share this kind of record",
                ),
            });
        }
        if next_sync > 0 {
            out.push(WaitingItems {
                category,
                count: next_sync,
                reason: WaitReason::NextSync,
                label: label("sync.waiting.next_sync", "Will be shared at the next sync"),
            });
        }
    }
    Ok(out)
}

fn phase_label(phase: SyncPhase) -> Label {
    match phase {
        SyncPhase::NotEnrolled => label("sync.phase.not_enrolled", "Not connected to a clinic"),
        SyncPhase::Idle => label("sync.phase.idle", "Up to date"),
        SyncPhase::Running => label("sync.phase.running", "Syncing…"),
        SyncPhase::Offline => label(
            "sync.phase.offline",
            "Could not reach your clinic; will try again",
        ),
        SyncPhase::NeedsAttention => label("sync.phase.needs_attention", "Sync needs attention"),
    }
}

fn problem_label(kind: SyncProblemKind) -> Label {
    match kind {
        SyncProblemKind::Offline => label("sync.problem.offline", "No connection to the clinic"),
        SyncProblemKind::Refused => label("sync.problem.refused", "The clinic refused the request"),
        SyncProblemKind::DeviceRevoked => label(
            "sync.problem.device_revoked",
            "Your clinic disconnected this phone; enroll again with a new code",
        ),
        SyncProblemKind::NotEnrolled => {
            label("sync.problem.not_enrolled", "Not connected to a clinic")
        }
        SyncProblemKind::Internal => label("sync.problem.internal", "Something went wrong"),
    }
}
