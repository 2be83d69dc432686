//! The pre-session digest: what changed since this patient's last attended
//! session, readable in under a minute — lapses, flags, questionnaire
//! scores and their change, attendance, adherence, the craving trend and
//! the coping that helped. The session occurrences it counts are in
//! occurrences.rs.

use super::facts::Facts;
use super::occurrences::unconfirmed_sessions;
use super::triage::{band, last_attended_ms};

pub use super::occurrences::{occurrences, Occurrence};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, PartialEq)]
pub struct ScoreLine {
    pub title: &'static str,
    pub latest: i64,
    pub band: &'static str,
    /// Change from the previous answer, when there is one.
    pub change: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    /// The last attended session, or `None` (then: the last 7 days).
    pub since_ms: Option<i64>,
    pub lapses: usize,
    pub flags_raised: usize,
    pub scores: Vec<ScoreLine>,
    pub sessions_attended: usize,
    pub sessions_missed: usize,
    pub sessions_unconfirmed: usize,
    pub doses_taken: usize,
    pub doses_missed: usize,
    pub cravings: usize,
    pub craving_mean: Option<f64>,
    /// Coping the patient tried on cravings that passed, most used first.
    pub coping_helped: Vec<(String, usize)>,
}

/// The digest of `facts` at `now_ms`.
pub fn digest(facts: &Facts, now_ms: i64) -> Digest {
    let since_ms = last_attended_ms(facts);
    let from = since_ms.unwrap_or(now_ms - 7 * DAY_MS);
    let after = |at: i64| at > from && at <= now_ms;
    let mut scores = Vec::new();
    for (instrument, title) in [("phq9", "PHQ-9"), ("gad7", "GAD-7")] {
        let all: Vec<_> = facts
            .scores
            .iter()
            .filter(|s| s.instrument == instrument)
            .collect();
        if let Some(latest) = all.last() {
            scores.push(ScoreLine {
                title,
                latest: latest.score,
                band: band(instrument, latest.score).1,
                change: (all.len() >= 2).then(|| latest.score - all[all.len() - 2].score),
            });
        }
    }
    let attendance_after = |status: &[&str]| {
        facts
            .attendance
            .iter()
            .filter(|a| a.starts_at_ms >= from && status.contains(&a.status.as_str()))
            .count()
    };
    let cravings: Vec<_> = facts.cravings.iter().filter(|c| after(c.at_ms)).collect();
    let mut coping: Vec<(String, usize)> = Vec::new();
    for c in &cravings {
        if c.outcome.as_deref() == Some("passed") {
            for way in &c.coping {
                match coping.iter_mut().find(|(w, _)| w == way) {
                    Some((_, n)) => *n += 1,
                    None => coping.push((way.clone(), 1)),
                }
            }
        }
    }
    coping.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    coping.truncate(3);
    let dose_count = |status: &[&str]| {
        facts
            .doses
            .iter()
            .filter(|d| after(d.at_ms) && status.contains(&d.status.as_str()))
            .count()
    };
    Digest {
        since_ms,
        lapses: facts.lapses.iter().filter(|&&at| after(at)).count(),
        flags_raised: facts.flags.iter().filter(|f| after(f.raised_at_ms)).count(),
        scores,
        sessions_attended: attendance_after(&["attended", "late"]),
        sessions_missed: attendance_after(&["missed"]),
        sessions_unconfirmed: unconfirmed_sessions(facts, from - 1, now_ms).len(),
        doses_taken: dose_count(&["taken", "taken_late"]),
        doses_missed: dose_count(&["skipped"]),
        craving_mean: (!cravings.is_empty())
            .then(|| cravings.iter().map(|c| c.intensity).sum::<f64>() / cravings.len() as f64),
        cravings: cravings.len(),
        coping_helped: coping,
    }
}

#[cfg(test)]
mod tests {
    use super::super::facts::{Attendance, Craving, Dose};
    use super::*;
    use serde_json::json;

    /// 2027-01-04T12:00:00Z, a Monday.
    const NOW: i64 = 1_799_064_000_000;

    fn facts() -> Facts {
        let series = serde_json::from_value(json!({"kind": "group", "title": "Evening group",
            "time_zone": "UTC", "first_date": "2026-12-14", "start_time": "09:00",
            "duration_minutes": 60, "weekdays": ["mon", "wed"],
            "cancelled_dates": ["2026-12-30"]}))
        .unwrap();
        Facts {
            series: vec![("s".into(), series)],
            ..Facts::default()
        }
    }

    #[test]
    fn occurrences_follow_weekdays_and_skip_cancelled_dates() {
        let f = facts();
        let ids: Vec<_> = occurrences(&f, NOW - 8 * DAY_MS, NOW)
            .into_iter()
            .map(|o| o.id)
            .collect();
        // Mon 28 Dec, (Wed 30 Dec cancelled), Mon 4 Jan 09:00.
        assert_eq!(ids, ["s@2026-12-28T09:00", "s@2027-01-04T09:00"]);
    }

    /// A series bounded by a count ends where the phone ends it (a cancelled
    /// date uses up one of its sessions, as in RFC 5545).
    #[test]
    fn occurrences_stop_at_the_series_count() {
        let mut f = facts();
        f.series[0].1.count = Some(5);
        let ids: Vec<_> = occurrences(&f, NOW - 30 * DAY_MS, NOW)
            .into_iter()
            .map(|o| o.id)
            .collect();
        // 14, 16, 21, 23 Dec, then 28 Dec is the fifth; 30 Dec and after are past the count.
        assert_eq!(
            ids,
            [
                "s@2026-12-14T09:00",
                "s@2026-12-16T09:00",
                "s@2026-12-21T09:00",
                "s@2026-12-23T09:00",
                "s@2026-12-28T09:00"
            ]
        );
    }

    #[test]
    fn the_digest_counts_from_the_last_attended_session() {
        let mut f = facts();
        let attended = NOW - 7 * DAY_MS - 3 * 3_600_000; // Mon 28 Dec 09:00
        f.attendance.push(Attendance {
            occurrence_id: "s@2026-12-28T09:00".into(),
            series_id: "s".into(),
            starts_at_ms: attended,
            minutes: 60,
            status: "attended".into(),
            verified: true,
            self_report: None,
        });
        f.lapses = vec![attended - DAY_MS, NOW - DAY_MS];
        for (days_ago, outcome, coping) in [
            (8, "passed", "walk"),
            (3, "passed", "call a friend"),
            (2, "used", "walk"),
            (1, "passed", "call a friend"),
        ] {
            f.cravings.push(Craving {
                at_ms: NOW - days_ago * DAY_MS,
                intensity: 4.0,
                coping: vec![coping.into()],
                outcome: Some(outcome.into()),
            });
        }
        f.doses = vec![
            Dose {
                medication_id: "m".into(),
                status: "taken".into(),
                at_ms: NOW - DAY_MS,
            },
            Dose {
                medication_id: "m".into(),
                status: "skipped".into(),
                at_ms: NOW - 2 * DAY_MS,
            },
        ];
        let d = digest(&f, NOW);
        assert_eq!(d.since_ms, Some(attended));
        assert_eq!(d.lapses, 1);
        assert_eq!(d.cravings, 3);
        assert_eq!(d.coping_helped, [("call a friend".to_string(), 2)]);
        assert_eq!((d.doses_taken, d.doses_missed), (1, 1));
        // Mon 4 Jan 09:00–10:00 ended before noon with no record.
        assert_eq!((d.sessions_attended, d.sessions_unconfirmed), (1, 1));
    }
}
