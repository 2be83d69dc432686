//! The session occurrences the clinic's series produce: for the digest, the
//! charts, recording attendance and the unconfirmed sessions triage counts.
//! Below the digest and triage, which both read it.

use super::facts::Facts;

/// One planned session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// `series@YYYY-MM-DDTHH:MM`, the id the phone uses too.
    pub id: String,
    pub series_id: String,
    pub title: String,
    pub starts_at_ms: i64,
    pub minutes: i64,
}

/// Sessions of the clinic's series starting in `(from_ms, to_ms]`, oldest
/// first, expanded by the core exactly as the patient's phone expands them
/// (interval, end date, count, rules, extra dates, moves; cancelled ones
/// left out), so the clinic and the phone agree on what was scheduled.
pub fn occurrences(facts: &Facts, from_ms: i64, to_ms: i64) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for (series_id, s) in &facts.series {
        // The core's window is `[from, to)`: one millisecond on gives `(from, to]`.
        let Ok(found) = steady_core::schedule::wire::wire_occurrences(
            series_id,
            s.clone(),
            from_ms.saturating_add(1),
            to_ms.saturating_add(1),
        ) else {
            continue;
        };
        out.extend(
            found
                .into_iter()
                .filter(|o| !o.cancelled)
                .map(|o| Occurrence {
                    id: o.id,
                    series_id: series_id.clone(),
                    title: o.title,
                    starts_at_ms: o.starts_at_ms,
                    minutes: i64::from(o.duration_minutes),
                }),
        );
    }
    out.sort_by_key(|o| o.starts_at_ms);
    out
}

/// Sessions that ended after `from_ms` and before now with no record from
/// the patient or the clinic.
pub fn unconfirmed_sessions(facts: &Facts, from_ms: i64, now_ms: i64) -> Vec<Occurrence> {
    occurrences(facts, from_ms, now_ms)
        .into_iter()
        .filter(|o| o.starts_at_ms + o.minutes * 60_000 < now_ms)
        .filter(|o| !facts.attendance.iter().any(|a| a.occurrence_id == o.id))
        .collect()
}
