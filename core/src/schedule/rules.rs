//! RFC 5545 recurrence (every `FREQ`, `BYDAY` with ordinals, `BYMONTHDAY`,
//! `BYSETPOS`, `WKST`, `COUNT`/`UNTIL`, several rules, extra dates) by the
//! recurrence engine of the `ical-rs` crate, expanded in **floating**
//! wall-clock time (docs/adr/0040-calendar-recurrence-and-zones.md).
//!
//! The engine is civil by design: it never sees a zone. Each wall-clock
//! start it returns is turned into an instant afterwards by the one
//! zone-resolution function, [`super::local_time::resolve`], with the rules
//! of the platform's tz database ([`crate::zone`]). The engine has no
//! dependencies, so the phone library carries no zone tables through it.

use chrono::{DateTime, NaiveDateTime};
use ical_rs::recur::expand::IcalRecurExpand;
use ical_rs::recur::{IcalRecurDateTime, IcalRecurRule};

/// Why a rule was refused. The text never quotes the rule (it comes from a
/// clinic's calendar).
pub(crate) type RuleError = &'static str;

/// A series' recurrence set: its rules, its extra dates (`RDATE`) and, when
/// RFC 5545 §3.8.5.3 says so, its first start.
#[derive(Debug, Clone)]
pub(crate) struct RuleSet {
    start: IcalRecurDateTime,
    rules: Vec<IcalRecurRule>,
    extra: Vec<NaiveDateTime>,
}

fn civil(local: NaiveDateTime) -> IcalRecurDateTime {
    IcalRecurDateTime::from_seconds(local.and_utc().timestamp())
}

fn wall_clock(civil: IcalRecurDateTime) -> Option<NaiveDateTime> {
    DateTime::from_timestamp(civil.seconds(), 0).map(|at| at.naive_utc())
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
) -> Result<RuleSet, RuleError> {
    let mut parsed = Vec::with_capacity(rules.len());
    let mut ends_before_start = !rules.is_empty();
    for text in rules {
        let (normalized, until) = normalize(text)?;
        if until.is_some_and(|until| until < start) {
            // Ends before it begins: gives nothing.
            continue;
        }
        ends_before_start = false;
        let rule = IcalRecurRule::parse(&normalized)
            .map_err(|_| "is not a valid RFC 5545 recurrence rule")?;
        // The engine ignores a part the frequency forbids (liberal in); a
        // rule that decides when sessions happen is not guessed at.
        if !rule.problems().is_empty() {
            return Err("is a recurrence rule outside what RFC 5545 allows");
        }
        if rule.scale.as_deref().is_some_and(|s| s != "GREGORIAN") {
            return Err("uses a calendar other than the Gregorian (RSCALE)");
        }
        parsed.push(rule);
    }
    let mut extra = extra.to_vec();
    if include_start && !ends_before_start {
        extra.push(start);
    }
    Ok(RuleSet {
        start: civil(start),
        rules: parsed,
        extra,
    })
}

/// Wall-clock starts of `set` up to and including `last`, at most `limit`,
/// in order, each once.
pub(crate) fn starts_until(set: &RuleSet, last: NaiveDateTime, limit: usize) -> Vec<NaiveDateTime> {
    let bound = civil(last);
    let mut starts: Vec<NaiveDateTime> =
        set.extra.iter().copied().filter(|at| *at <= last).collect();
    for rule in &set.rules {
        starts.extend(
            IcalRecurExpand::new(rule.clone(), set.start)
                .take_while(|at| *at <= bound)
                .take(limit)
                .filter_map(wall_clock),
        );
    }
    // A start given by both a rule and a date (or two rules) is one start.
    starts.sort_unstable();
    starts.dedup();
    starts.truncate(limit);
    starts
}

/// The parts of an RFC 5545 rule (§3.3.10), and RFC 7529's two.
const RULE_PARTS: [&str; 16] = [
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
    "RSCALE",
    "SKIP",
];

/// The rule with its `UNTIL` as floating wall-clock time (a UTC `UNTIL`
/// is first turned into the series' zone by the caller), and that `UNTIL`. A date-only `UNTIL` includes its whole day.
fn normalize(text: &str) -> Result<(String, Option<NaiveDateTime>), RuleError> {
    // RFC 5545 rules are ASCII (a wider character once panicked the earlier
    // engine; found by fuzzing the import).
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
        let key = key.trim().to_ascii_uppercase();
        if key.starts_with("X-") {
            // A vendor's extension part: RFC 5545 lets readers ignore it.
            continue;
        }
        // Any other unknown part is refused, not ignored: `UNTL=` is a
        // misspelt end, and a series that should end must not run forever.
        if !RULE_PARTS.contains(&key.as_str()) {
            return Err("has a rule part RFC 5545 does not define");
        }
        if key == "UNTIL" {
            let local = until_local(value).ok_or("has an UNTIL that is not a date or date-time")?;
            until = Some(local);
            parts.push(format!("UNTIL={}", local.format("%Y%m%dT%H%M%S")));
        } else {
            parts.push(format!("{key}={}", value.trim()));
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
            // A misspelt UNTIL would make the series endless.
            "FREQ=WEEKLY;UNTL=20191023;BYDAY=TH",
            "FREQ=WEEKLY;COUNT=3;UNTIL=20260601",
            "FREQ=WEEKLY;BYWEEKNO=3",
        ] {
            let error = rule_set(start, &[bad.to_string()], &[], true).unwrap_err();
            assert!(!error.contains(bad), "{error}");
        }
    }
}
