//! Who needs attention, and why: the reasons a patient rises in the
//! caseload list, each computed from the patient's facts alone (rules in
//! docs/dashboard.md). Open safety flags always come first; then patients
//! with more and weightier reasons.

use super::facts::Facts;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Days without a sync before it becomes a reason.
pub const NO_SYNC_DAYS: i64 = 3;
/// How far back missed sessions and doses count.
const RECENT_DAYS: i64 = 14;

/// One reason, with its weight in the ordering (higher first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub kind: &'static str,
    pub text: String,
    pub weight: u32,
}

/// PHQ-9 bands (Kroenke 2001) and GAD-7 bands (Spitzer 2006): 0 minimal,
/// 1 mild, 2 moderate, 3 moderately severe / severe, 4 severe.
pub fn band(instrument: &str, score: i64) -> (u8, &'static str) {
    match (instrument, score) {
        (_, s) if s <= 4 => (0, "minimal"),
        (_, s) if s <= 9 => (1, "mild"),
        (_, s) if s <= 14 => (2, "moderate"),
        ("phq9", s) if s <= 19 => (3, "moderately severe"),
        ("phq9", _) => (4, "severe"),
        _ => (3, "severe"),
    }
}

/// A clinically meaningful worsening between two scores: PHQ-9 up 5 or
/// more, GAD-7 up 4 or more, or into a higher band.
pub fn worsened(instrument: &str, before: i64, after: i64) -> bool {
    let meaningful = if instrument == "phq9" { 5 } else { 4 };
    after - before >= meaningful || band(instrument, after).0 > band(instrument, before).0
}

/// The instant of the last attended (or late) session, if any.
pub fn last_attended_ms(facts: &Facts) -> Option<i64> {
    facts
        .attendance
        .iter()
        .filter(|a| a.status == "attended" || a.status == "late")
        .map(|a| a.starts_at_ms)
        .max()
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

/// Every reason this patient needs attention now.
pub fn reasons(facts: &Facts, now_ms: i64) -> Vec<Reason> {
    let mut out = Vec::new();
    let open: Vec<_> = facts.flags.iter().filter(|f| f.is_open()).collect();
    let new = open.iter().filter(|f| f.status == "new").count();
    if !open.is_empty() {
        let oldest = open.iter().map(|f| f.raised_at_ms).min().unwrap_or(now_ms);
        out.push(Reason {
            kind: "flag",
            text: format!(
                "{} open safety flag{} ({} not acknowledged), oldest {} old",
                open.len(),
                if open.len() == 1 { "" } else { "s" },
                new,
                super::page::age(oldest, now_ms)
            ),
            weight: if new > 0 { 1000 } else { 500 },
        });
    }
    let since = last_attended_ms(facts).unwrap_or(now_ms - 7 * DAY_MS);
    let lapses = facts.lapses.iter().filter(|&&at| at > since).count();
    if lapses > 0 {
        out.push(Reason {
            kind: "lapse",
            text: format!(
                "{lapses} lapse{} since the last attended session",
                if lapses == 1 { "" } else { "s" }
            ),
            weight: 60,
        });
    }
    let recent = now_ms - RECENT_DAYS * DAY_MS;
    let missed = facts
        .attendance
        .iter()
        .filter(|a| a.starts_at_ms > recent && a.status == "missed")
        .count();
    let unconfirmed = super::occurrences::unconfirmed_sessions(facts, recent, now_ms).len();
    if missed + unconfirmed > 0 {
        out.push(Reason {
            kind: "sessions",
            text: format!(
                "{missed} missed and {unconfirmed} unconfirmed session{} in {RECENT_DAYS} days",
                if missed + unconfirmed == 1 { "" } else { "s" }
            ),
            weight: 30 + 10 * u32::try_from(missed).unwrap_or(10).min(10),
        });
    }
    let skipped = facts
        .doses
        .iter()
        .filter(|d| d.at_ms > recent && d.status == "skipped")
        .count();
    if skipped > 0 {
        out.push(Reason {
            kind: "doses",
            text: format!(
                "{skipped} missed dose{} in {RECENT_DAYS} days",
                if skipped == 1 { "" } else { "s" }
            ),
            weight: 40,
        });
    }
    if let Some(text) = rising_cravings(facts, now_ms) {
        out.push(Reason {
            kind: "cravings",
            text,
            weight: 35,
        });
    }
    for instrument in ["phq9", "gad7"] {
        let scores: Vec<_> = facts
            .scores
            .iter()
            .filter(|s| s.instrument == instrument)
            .collect();
        if let [.., before, after] = scores.as_slice() {
            if worsened(instrument, before.score, after.score) {
                out.push(Reason {
                    kind: "scores",
                    text: format!(
                        "{} worse: {} → {} ({})",
                        if instrument == "phq9" {
                            "PHQ-9"
                        } else {
                            "GAD-7"
                        },
                        before.score,
                        after.score,
                        band(instrument, after.score).1
                    ),
                    weight: 50,
                });
            }
        }
    }
    match facts.last_sync_ms {
        Some(at) if now_ms - at > NO_SYNC_DAYS * DAY_MS => out.push(Reason {
            kind: "sync",
            text: format!("no sync for {}", super::page::age(at, now_ms)),
            weight: 20,
        }),
        None => out.push(Reason {
            kind: "sync",
            text: "no phone enrolled yet".to_string(),
            weight: 5,
        }),
        _ => {}
    }
    out
}

/// Cravings rising: the last 7 days against the 7 before, by count (3 or
/// more extra) or by mean intensity (1 point or more higher). Both need a
/// baseline: at least 2 cravings the week before.
pub fn rising_cravings(facts: &Facts, now_ms: i64) -> Option<String> {
    let window = |from: i64, to: i64| {
        facts
            .cravings
            .iter()
            .filter(move |c| c.at_ms > from && c.at_ms <= to)
    };
    let last = (now_ms - 7 * DAY_MS, now_ms);
    let before = (now_ms - 14 * DAY_MS, now_ms - 7 * DAY_MS);
    let (n_last, n_before) = (
        window(last.0, last.1).count(),
        window(before.0, before.1).count(),
    );
    if n_before < 2 {
        return None;
    }
    if n_last >= n_before + 3 {
        return Some(format!(
            "cravings rising: {n_last} this week, {n_before} the week before"
        ));
    }
    let mean_last = mean(window(last.0, last.1).map(|c| c.intensity))?;
    let mean_before = mean(window(before.0, before.1).map(|c| c.intensity))?;
    (mean_last >= mean_before + 1.0).then(|| {
        format!("craving intensity rising: mean {mean_last:.1} this week, {mean_before:.1} before")
    })
}

/// Orders the caseload: weight of reasons, then name.
pub fn order(rows: &mut [(Facts, Vec<Reason>)]) {
    rows.sort_by(|(a, ra), (b, rb)| {
        let wa: u32 = ra.iter().map(|r| r.weight).sum();
        let wb: u32 = rb.iter().map(|r| r.weight).sum();
        wb.cmp(&wa).then_with(|| a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::super::facts::{Attendance, Craving, Score};
    use super::*;
    use crate::flags::Flag;

    const NOW: i64 = 1_799_064_000_000;

    fn flag(status: &str) -> Flag {
        Flag {
            id: "f".into(),
            patient_id: "p".into(),
            source_type: "craving".into(),
            source_id: "c".into(),
            raised_at_ms: NOW - 2 * 3_600_000,
            status: status.into(),
            acknowledged_by: None,
            acknowledged_at_ms: None,
            resolved_by: None,
            resolved_at_ms: None,
            assessment: None,
            outcome: None,
        }
    }

    fn synced(name: &str) -> Facts {
        Facts {
            name: name.into(),
            last_sync_ms: Some(NOW - 3_600_000),
            ..Facts::default()
        }
    }

    #[test]
    fn bands_and_meaningful_change_follow_the_instruments() {
        assert_eq!(band("phq9", 4).1, "minimal");
        assert_eq!(band("phq9", 15).1, "moderately severe");
        assert_eq!(band("gad7", 15).1, "severe");
        assert!(worsened("phq9", 5, 10)); // +5
        assert!(!worsened("phq9", 10, 14)); // +4, same band
        assert!(worsened("phq9", 9, 10)); // into moderate
        assert!(worsened("gad7", 10, 14)); // +4
        assert!(!worsened("gad7", 10, 13));
        assert!(!worsened("phq9", 12, 6));
    }

    #[test]
    fn only_resolved_flags_leave_the_top() {
        let mut open = synced("Zed");
        open.flags.push(flag("acknowledged"));
        let mut resolved = synced("Amy");
        resolved.flags.push(flag("resolved"));
        let mut worse = synced("Bo");
        worse.scores = vec![
            Score {
                instrument: "phq9".into(),
                at_ms: NOW - 8 * DAY_MS,
                score: 4,
            },
            Score {
                instrument: "phq9".into(),
                at_ms: NOW - DAY_MS,
                score: 12,
            },
        ];
        let mut rows: Vec<_> = [resolved, worse, open]
            .into_iter()
            .map(|f| {
                let r = reasons(&f, NOW);
                (f, r)
            })
            .collect();
        order(&mut rows);
        let names: Vec<_> = rows.iter().map(|(f, _)| f.name.as_str()).collect();
        assert_eq!(names, ["Zed", "Bo", "Amy"]);
        assert!(rows[0].1[0].text.contains("0 not acknowledged"));
        assert!(rows[1].1[0].text.contains("PHQ-9 worse: 4 → 12"));
        assert!(rows[2].1.is_empty());
    }

    #[test]
    fn lapses_count_from_the_last_attended_session() {
        let mut f = synced("A");
        f.attendance.push(Attendance {
            occurrence_id: "s@x".into(),
            series_id: "s".into(),
            starts_at_ms: NOW - 2 * DAY_MS,
            minutes: 180,
            status: "attended".into(),
            verified: true,
            self_report: None,
        });
        f.lapses = vec![NOW - 3 * DAY_MS, NOW - DAY_MS];
        let r = reasons(&f, NOW);
        assert_eq!(r[0].text, "1 lapse since the last attended session");
    }

    #[test]
    fn rising_cravings_and_a_silent_phone_are_reasons() {
        let mut f = synced("A");
        f.last_sync_ms = Some(NOW - 4 * DAY_MS);
        for (days_ago, intensity) in [(10, 3.0), (9, 3.0), (3, 6.0), (2, 5.0)] {
            f.cravings.push(Craving {
                at_ms: NOW - days_ago * DAY_MS,
                intensity,
                coping: vec![],
                outcome: None,
            });
        }
        let kinds: Vec<_> = reasons(&f, NOW).iter().map(|r| r.kind).collect();
        assert_eq!(kinds, ["cravings", "sync"]);
        assert!(rising_cravings(&f, NOW)
            .unwrap()
            .contains("mean 5.5 this week, 3.0 before"));
    }
}
