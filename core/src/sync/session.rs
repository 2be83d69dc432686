//! One sync as explicit steps, with no I/O in the core (sans-IO, as ferrostar
//! does for navigation): the core hands out the next request, the shell sends
//! it however suits its platform — a Kotlin coroutine, Swift async/await, a
//! blocking Rust client — and hands back the response or why there was none.
//! [`Steady::sync`] is this loop over a blocking [`Transport`]; the phone
//! shells drive it themselves, so no thread waits on the network inside the
//! core. See docs/adr/0003-sync-steps.md.
//!
//! Every step commits locally before the next request is handed out, exactly
//! as before: a failure at any point loses nothing and a retry repeats nothing.

use super::enrollment;
use super::http::{self, HttpRequest, HttpResponse, Transport, TransportError};
use super::{pull, push, resume, SyncReport};
use crate::changes::{ChangeArea, Live};
use crate::{Error, Result, Steady};
use rusqlite::{params, Connection};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use steady_protocol::{PullResponse, PushResponse};

/// The field named when the steps are called out of order.
const MISUSE: &str = "sync";

/// A sync under way. Call [`SyncRun::next_request`] until it returns `None`,
/// giving each request's answer to [`SyncRun::receive`] in between.
pub struct SyncRun {
    phase: Phase,
    report: SyncReport,
    running: Option<Running>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    /// After a restore: ask the clinic how far it got with this device
    /// before numbering anything (resume.rs).
    Resume,
    AwaitResume,
    /// Ready to hand out the next push, or to move on to pulling.
    Push,
    AwaitPush {
        sent: Vec<i64>,
    },
    Pull,
    AwaitPull {
        asked: i64,
    },
    /// Everything pulled; the closing write is still to do.
    Pulled,
    Done,
    Failed,
}

/// Counts this run among the syncs under way while it lives.
struct Running(Arc<Live>);

impl Running {
    fn start(live: &Arc<Live>) -> Running {
        live.syncs_running.fetch_add(1, Ordering::SeqCst);
        Running(Arc::clone(live))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.syncs_running.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Drop for SyncRun {
    fn drop(&mut self) {
        // Abandoned half-way: the shell's sync indicator must still stop.
        if let Some(running) = self.running.take() {
            let live = Arc::clone(&running.0);
            drop(running);
            live.notify([ChangeArea::Sync].into());
        }
    }
}

impl Steady {
    /// Starts a sync: numbers what may leave the phone now (one transaction)
    /// and returns the run the shell drives. `NotEnrolled` before enrolling.
    pub fn start_sync(&self) -> Result<SyncRun> {
        self.read(enrollment::load)?.ok_or(Error::NotEnrolled)?;
        let running = Running::start(&self.live);
        let now = self.now();
        let resuming = self.read(resume::pending)?;
        self.write(|tx| {
            if !resuming {
                push::assign(tx, now)?;
            }
            tx.execute(
                "INSERT INTO sync_status (id, last_attempt_at_ms) VALUES (1, ?1)
                 ON CONFLICT (id) DO UPDATE SET last_attempt_at_ms = ?1",
                params![now.timestamp_millis()],
            )?;
            Ok(())
        })?;
        Ok(SyncRun {
            phase: if resuming { Phase::Resume } else { Phase::Push },
            report: SyncReport::default(),
            running: Some(running),
        })
    }

    /// Pushes every consented mutation, then pulls every clinic change,
    /// blocking on `transport` for each exchange. The CLI and the Rust tests
    /// use it; the phone shells drive [`Steady::start_sync`] themselves. On
    /// error, whatever was acknowledged is kept and the rest is sent again
    /// next time.
    pub fn sync(&self, transport: &dyn Transport) -> Result<SyncReport> {
        let mut run = self.start_sync()?;
        while let Some(request) = run.next_request(self)? {
            run.receive(self, transport.send(request))?;
        }
        Ok(run.report().clone())
    }
}

impl SyncRun {
    /// The next request to send, or `None` when the sync is complete (then
    /// [`SyncRun::report`] is final). An error ends the run.
    pub fn next_request(&mut self, steady: &Steady) -> Result<Option<HttpRequest>> {
        let step = self.advance(steady);
        self.settle(steady, step)
    }

    /// The answer to the last request: the response, whatever its status, or
    /// the transport's reason for having none. An error ends the run.
    pub fn receive(
        &mut self,
        steady: &Steady,
        answer: std::result::Result<HttpResponse, TransportError>,
    ) -> Result<()> {
        let step = self.apply(steady, answer);
        self.settle(steady, step)
    }

    /// What the run did so far (all of it once `next_request` gave `None`).
    pub fn report(&self) -> &SyncReport {
        &self.report
    }

    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    fn advance(&mut self, steady: &Steady) -> Result<Option<HttpRequest>> {
        loop {
            match &self.phase {
                Phase::Resume => {
                    let enrolled = steady.read(enrollment::load)?.ok_or(Error::NotEnrolled)?;
                    let request = resume::request(&enrolled)?;
                    self.phase = Phase::AwaitResume;
                    return Ok(Some(request));
                }
                Phase::Push => {
                    let batch = steady.read(push::next_batch)?;
                    if batch.is_empty() {
                        self.phase = Phase::Pull;
                        continue;
                    }
                    let enrolled = steady.read(enrollment::load)?.ok_or(Error::NotEnrolled)?;
                    let sent = batch.iter().map(|m| m.seq).collect();
                    let request = push::request(&enrolled, batch)?;
                    self.phase = Phase::AwaitPush { sent };
                    return Ok(Some(request));
                }
                Phase::Pull => {
                    let current = steady.read(enrollment::load)?.ok_or(Error::NotEnrolled)?;
                    let request = pull::request(&current)?;
                    self.phase = Phase::AwaitPull {
                        asked: current.pull_cursor,
                    };
                    return Ok(Some(request));
                }
                Phase::Pulled => {
                    // The run stops counting as under way before its last
                    // write, so observers told of that write see it idle.
                    self.running = None;
                    let now = steady.now();
                    self.report.held = steady.write(|tx| {
                        tx.execute(
                            "UPDATE sync_enrollment SET last_sync_at_ms = ?1 WHERE id = 1",
                            [now.timestamp_millis()],
                        )?;
                        tx.execute(
                            "UPDATE sync_status SET error_kind = NULL, error_reason = NULL,
                                 error_at_ms = NULL WHERE id = 1",
                            [],
                        )?;
                        push::held(tx, now)
                    })?;
                    self.phase = Phase::Done;
                    return Ok(None);
                }
                Phase::Done => return Ok(None),
                Phase::AwaitResume | Phase::AwaitPush { .. } | Phase::AwaitPull { .. } => {
                    return Err(Error::invalid(
                        MISUSE,
                        "the last request has not been answered yet",
                    ))
                }
                Phase::Failed => {
                    return Err(Error::invalid(MISUSE, "this sync failed; start a new one"))
                }
            }
        }
    }

    fn apply(
        &mut self,
        steady: &Steady,
        answer: std::result::Result<HttpResponse, TransportError>,
    ) -> Result<()> {
        match std::mem::replace(&mut self.phase, Phase::Failed) {
            Phase::AwaitResume => {
                let answer: PushResponse = http::read_answer(answer)?;
                let now = steady.now();
                steady.write(|tx| {
                    resume::apply(tx, &answer, now.timestamp_millis())?;
                    push::assign(tx, now)
                })?;
                self.phase = Phase::Push;
            }
            Phase::AwaitPush { sent } => {
                let answer: PushResponse = http::read_answer(answer)?;
                let now = steady.now();
                let tally = steady.write(|tx| push::apply(tx, &sent, &answer, now))?;
                if tally.applied + tally.duplicates == 0 && tally.rejections.is_empty() {
                    return Err(Error::Protocol {
                        detail: "the push answer covers none of the mutations sent".to_string(),
                    });
                }
                self.report.applied += tally.applied;
                self.report.duplicates += tally.duplicates;
                self.report.rejected.extend(tally.rejections);
                self.phase = Phase::Push;
            }
            Phase::AwaitPull { asked } => {
                let page: PullResponse = http::read_answer(answer)?;
                let now = steady.now();
                self.report.clinic_changes +=
                    steady.write(|tx| pull::apply(tx, asked, &page, now))?;
                if !page.has_more {
                    self.phase = Phase::Pulled;
                } else if page.next_cursor <= asked {
                    return Err(Error::Protocol {
                        detail: "the pull says more changes wait but its cursor did not move"
                            .to_string(),
                    });
                } else {
                    self.phase = Phase::Pull;
                }
            }
            other => {
                self.phase = other;
                return Err(Error::invalid(
                    MISUSE,
                    "no request is waiting for an answer",
                ));
            }
        }
        Ok(())
    }

    /// An error ends the run and is kept as the sync state's last error
    /// (misuse of the steps is the caller's bug, not the sync's state).
    fn settle<T>(&mut self, steady: &Steady, step: Result<T>) -> Result<T> {
        if let Err(error) = &step {
            if matches!(error, Error::Invalid { field, .. } if field == MISUSE) {
                return step;
            }
            self.phase = Phase::Failed;
            self.running = None;
            let now = steady.now().timestamp_millis();
            let (kind, reason) = failure_kind(error);
            // Best effort: the sync's own error is what the caller must see.
            let _ = steady.write(|tx| record_failure(tx, kind, &reason, now));
        }
        step
    }
}

/// How the sync state names an error, and the reason it may show.
fn failure_kind(error: &Error) -> (&'static str, String) {
    match error {
        Error::Unavailable { .. } => ("offline", error.to_string()),
        Error::Refused { reason, .. } => ("refused", reason.clone()),
        Error::DeviceRevoked => ("revoked", error.to_string()),
        Error::NotEnrolled => ("not_enrolled", error.to_string()),
        _ => ("internal", error.to_string()),
    }
}

fn record_failure(tx: &Connection, kind: &str, reason: &str, now_ms: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_status (id, last_attempt_at_ms, error_kind, error_reason, error_at_ms)
         VALUES (1, ?3, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET error_kind = ?1, error_reason = ?2, error_at_ms = ?3",
        params![kind, reason, now_ms],
    )?;
    Ok(())
}
