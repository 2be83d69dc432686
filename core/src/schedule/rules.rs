//! RFC 5545 recurrence (every `FREQ`, `BYDAY` with ordinals, `BYMONTHDAY`,
//! `BYSETPOS`, `WKST`, `COUNT`/`UNTIL`, several rules, extra dates) by the
//! `rrule` crate, expanded in **floating** wall-clock time.
//!
//! The engine never sees a real zone: a clinic-local start is handed to it
//! as if it were UTC (a zone without DST, so its arithmetic is pure
//! wall-clock arithmetic), and each wall-clock start it returns is turned
//! into an instant afterwards by the one zone-resolution function,
//! [`super::local_time::resolve`]. Swapping where zone rules come from (the
//! OS tz database instead of compiled-in tables) therefore touches only that
//! function and the zone type, never the recurrence code.

use chrono::{DateTime, NaiveDateTime, TimeZone};
use rrule::{RRule, RRuleSet, Tz as Floating, Unvalidated};

/// Why a rule was refused. The text never quotes the rule (it comes from a
/// clinic's calendar).
pub(crate) type RuleError = &'static str;

fn floating(local: NaiveDateTime) -> DateTime<Floating> {
    Floating::UTC.from_utc_datetime(&local)
}

/// The rule set of a series starting at `start` (clinic-local): each of
/// `rules` (RFC 5545 `RRULE` values in floating time), each of `extra`
/// (`RDATE`s), and — with `include_start`, RFC 5545 §3.8.5.3 — the start
/// itself, unless every rule ends before it.
pub(crate) fn rule_set(
    start: NaiveDateTime,
    rules: &[String],
    extra: &[NaiveDateTime],
    include_start: bool,
) -> Result<RRuleSet, RuleError> {
    let dt_start = floating(start);
    let mut set = RRuleSet::new(dt_start);
    let mut ends_before_start = !rules.is_empty();
    for text in rules {
        let (normalized, until) = normalize(text)?;
        if until.is_some_and(|until| until < start) {
            // Ends before it begins: gives nothing (and the crate refuses it).
            continue;
        }
        ends_before_start = false;
        // The engine is outside code: should it still panic on some rule, the
        // rule is refused like any other bad rule, never the whole import.
        let parsed = std::panic::catch_unwind(|| normalized.parse::<RRule<Unvalidated>>())
            .map_err(|_| "is not a recurrence rule Steady can read")?;
        let rule = parsed.map_err(|_| "is not a valid RFC 5545 recurrence rule")?;
        let rule = std::panic::catch_unwind(move || rule.validate(dt_start))
            .map_err(|_| "is not a recurrence rule Steady can read")?
            .map_err(|_| "is a recurrence rule outside what RFC 5545 allows")?;
        set = set.rrule(rule);
    }
    for local in extra {
        set = set.rdate(floating(*local));
    }
    if include_start && !ends_before_start {
        set = set.rdate(dt_start);
    }
    Ok(set)
}

/// Wall-clock starts of `set` up to and including `last`, at most `limit`.
pub(crate) fn starts_until(
    set: &RRuleSet,
    last: NaiveDateTime,
    limit: usize,
) -> Vec<NaiveDateTime> {
    // A start given by both a rule and a date (or two rules) is one start.
    let mut starts: Vec<NaiveDateTime> = Vec::new();
    for at in set.into_iter().map(|at| at.naive_utc()) {
        if at > last || starts.len() >= limit {
            break;
        }
        if starts.last() != Some(&at) {
            starts.push(at);
        }
    }
    starts
}

/// The rule with its `UNTIL` as the engine expects it (a UTC-marked
/// date-time, standing for floating time), and that `UNTIL` as wall-clock
/// time. A date-only `UNTIL` includes its whole day.
fn normalize(text: &str) -> Result<(String, Option<NaiveDateTime>), RuleError> {
    // RFC 5545 rules are ASCII; the engine slices its text by byte and would
    // panic inside a wider character (found by fuzzing the import).
    if !text.is_ascii() {
        return Err("is not a valid RFC 5545 recurrence rule (a character outside ASCII)");
    }
    let mut until = None;
    let mut parts = Vec::new();
    for part in text.trim().trim_start_matches("RRULE:").split(';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (key, value) = part
            .split_once('=')
            .ok_or("is not a valid RFC 5545 recurrence rule")?;
        // Spaces inside a rule (`BYDAY=MO, TU`) are not RFC 5545; a rule
        // that decides when sessions happen is not guessed at.
        if value.trim().contains(char::is_whitespace) {
            return Err("is not a valid RFC 5545 recurrence rule (spaces inside a value)");
        }
        if key.trim().eq_ignore_ascii_case("UNTIL") {
            let local = until_local(value).ok_or("has an UNTIL that is not a date or date-time")?;
            until = Some(local);
            parts.push(format!("UNTIL={}Z", local.format("%Y%m%dT%H%M%S")));
        } else {
            parts.push(format!(
                "{}={}",
                key.trim().to_ascii_uppercase(),
                value.trim()
            ));
        }
    }
    Ok((parts.join(";"), until))
}

fn until_local(value: &str) -> Option<NaiveDateTime> {
    let value = value.trim();
    let value = value.strip_suffix('Z').unwrap_or(value);
    if value.len() == 8 {
        let date = chrono::NaiveDate::parse_from_str(value, "%Y%m%d").ok()?;
        return date.and_hms_opt(23, 59, 59);
    }
    NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::local_time::{format_local, parse_local};

    fn starts(start: &str, rules: &[&str], last: &str) -> Vec<String> {
        let rules: Vec<String> = rules.iter().map(|r| r.to_string()).collect();
        let set = rule_set(parse_local("s", start).unwrap(), &rules, &[], true).unwrap();
        starts_until(&set, parse_local("l", last).unwrap(), 1000)
            .into_iter()
            .map(format_local)
            .collect()
    }

    #[test]
    fn wkst_sunday_puts_google_biweekly_sessions_in_the_right_week() {
        // Google writes WKST=SU: with Monday weeks, every second Sunday would
        // fall in the wrong fortnight.
        let got = starts(
            "2026-03-01T10:00",
            &["FREQ=WEEKLY;WKST=SU;INTERVAL=2;BYDAY=SU,TU"],
            "2026-03-31T00:00",
        );
        assert_eq!(
            got,
            [
                "2026-03-01T10:00",
                "2026-03-03T10:00",
                "2026-03-15T10:00",
                "2026-03-17T10:00",
                "2026-03-29T10:00"
            ]
        );
    }

    #[test]
    fn monthly_ordinals_setpos_and_several_rules() {
        let first_saturday = starts(
            "2026-01-03T10:00",
            &["FREQ=MONTHLY;BYDAY=1SA;COUNT=3"],
            "2027-01-01T00:00",
        );
        assert_eq!(
            first_saturday,
            ["2026-01-03T10:00", "2026-02-07T10:00", "2026-03-07T10:00"]
        );
        let last_weekday = starts(
            "2026-01-30T09:00",
            &["FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3"],
            "2027-01-01T00:00",
        );
        assert_eq!(
            last_weekday,
            ["2026-01-30T09:00", "2026-02-27T09:00", "2026-03-31T09:00"]
        );
        let two_rules = starts(
            "2026-01-05T09:00",
            &[
                "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260112T090000",
                "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=2",
            ],
            "2027-01-01T00:00",
        );
        assert_eq!(
            two_rules,
            [
                "2026-01-05T09:00",
                "2026-01-12T09:00",
                "2026-01-15T09:00",
                "2026-02-15T09:00"
            ]
        );
    }

    #[test]
    fn bad_rules_are_refused_without_quoting_them() {
        let start = parse_local("s", "2026-01-05T09:00").unwrap();
        for bad in [
            "FREQ=FORTNIGHTLY",
            "FREQ=WEEKLY;BYDAY=XX",
            "nonsense",
            "FREQ=DAILY;BYDAY=MO, TU",
            // Once panicked inside the engine (fuzzing): a character wider
            // than a byte in a BYDAY value.
            "FREQ=WEEKLY;BYDAY=\u{FFFD}O,WE;UNTIL=20260601T035959Z",
            "FREQ=WEEKLY;BYDAY=M\u{E9},WE",
        ] {
            let error = rule_set(start, &[bad.to_string()], &[], true).unwrap_err();
            assert!(!error.contains(bad), "{error}");
        }
    }
}
