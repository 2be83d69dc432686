//! Which IANA zone a calendar's `TZID` means.
//!
//! Steady stores every session in an IANA zone, so that the zone rules in
//! force when a session happens decide its instant (not the rules an
//! exporter knew when it wrote the file). A `TZID` is resolved, in order:
//!
//! 1. an IANA name (`America/New_York`), also at the end of a path as
//!    Evolution, Thunderbird and others write it
//!    (`/freeassociation.sourceforge.net/Tzfile/America/New_York`,
//!    `/mozilla.org/20050126_1/Europe/Berlin`);
//! 2. a Windows zone name (`Eastern Standard Time`) through the full Unicode
//!    CLDR `windowsZones` mapping, world-wide (`001`) entry;
//! 3. any other name (Outlook's `(UTC-05:00) Eastern Time (US & Canada)`, a
//!    custom name) by its `VTIMEZONE` definition: the definition's UTC
//!    offsets are computed from its `STANDARD`/`DAYLIGHT` rules over the
//!    year the event starts, and the IANA zone with exactly the same offsets
//!    at every sampled instant is taken — preferring the zone the definition
//!    names in `X-LIC-LOCATION`, then a zone CLDR gives as a Windows zone's
//!    world-wide default (so Eastern Time is `America/New_York`, not
//!    `America/Detroit`), then the first by name.
//!
//! A name that none of these resolves makes its event skipped (reported),
//! never guessed.

use super::local_time::parse_offset_seconds;
use crate::zone::Tz;
use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};

/// One `STANDARD` or `DAYLIGHT` observance of a `VTIMEZONE`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Observance {
    /// Local start, in the offset before it (`TZOFFSETFROM`).
    pub start: Option<NaiveDateTime>,
    pub offset_from: Option<i32>,
    pub offset_to: Option<i32>,
    /// `RRULE` values.
    pub rules: Vec<String>,
    /// `RDATE`s, local.
    pub dates: Vec<NaiveDateTime>,
}

/// A `VTIMEZONE` definition.
#[derive(Debug, Clone, Default)]
pub(crate) struct Definition {
    pub tzid: String,
    /// `X-LIC-LOCATION` (Evolution, Thunderbird): the IANA name it came from.
    pub location: Option<String>,
    pub observances: Vec<Observance>,
}

/// An IANA or Windows name, or an IANA name at the end of a path.
pub(crate) fn by_name(tzid: &str) -> Option<Tz> {
    let name = tzid.trim().trim_matches('"').trim();
    if let Ok(tz) = name.parse::<Tz>() {
        return Some(tz);
    }
    if let Some(iana) = localzone::win_zone_to_iana(name, Some("001")) {
        if let Ok(tz) = iana.parse::<Tz>() {
            return Some(tz);
        }
    }
    // `/vendor/version/Area/City`: the longest tail that is an IANA name.
    let parts: Vec<&str> = name.split('/').collect();
    (1..parts.len())
        .map(|i| parts[i..].join("/"))
        .find_map(|tail| tail.parse::<Tz>().ok())
}

/// The IANA zone whose offsets equal `definition`'s around `near`.
pub(crate) fn by_definition(definition: &Definition, near: NaiveDateTime) -> Option<Tz> {
    let transitions = transitions(definition, near + Duration::days(800));
    if transitions.is_empty() {
        return None;
    }
    let first = near - Duration::days(2);
    // Daily samples over a little more than a year catch every seasonal
    // change; two extra samples an hour either side of each transition in
    // the window catch the hour it happens at.
    let mut samples: Vec<DateTime<Utc>> = (0..400)
        .map(|day| Utc.from_utc_datetime(&(first + Duration::days(day))))
        .collect();
    let window_end = Utc.from_utc_datetime(&(first + Duration::days(400)));
    let window_start = Utc.from_utc_datetime(&first);
    for (at, _) in &transitions {
        if *at >= window_start && *at <= window_end {
            samples.push(*at - Duration::hours(1));
            samples.push(*at + Duration::minutes(1));
        }
    }
    let expected: Vec<i32> = samples
        .iter()
        .map(|at| offset_at(&transitions, *at))
        .collect();
    let matches = |tz: &Tz| {
        samples.iter().zip(&expected).all(|(at, want)| {
            tz.offset_from_utc_datetime(&at.naive_utc())
                .fix()
                .local_minus_utc()
                == *want
        })
    };
    if let Some(tz) = definition.location.as_deref().and_then(by_name) {
        if matches(&tz) {
            return Some(tz);
        }
    }
    let tzid = definition.tzid.to_ascii_lowercase();
    crate::zone::names()
        .iter()
        .filter_map(|name| Tz::named(name))
        .filter(|tz| matches(tz))
        .map(|tz| (preference(&tzid, tz.name()), tz))
        .fold(None, |best: Option<(u32, Tz)>, (score, tz)| match best {
            Some((top, _)) if top >= score => best,
            _ => Some((score, tz)),
        })
        .map(|(_, tz)| tz)
}

/// How well an IANA zone with the right offsets fits a `TZID`: Outlook's
/// display names ("(UTC-05:00) Eastern Time (US & Canada)") contain the
/// Windows zone's name without "Standard Time" ("Eastern"), others name a
/// city; a zone CLDR gives as a Windows zone's world-wide default is a
/// better guess than one it does not; `Etc/` zones come last.
fn preference(tzid: &str, iana: &str) -> u32 {
    let mut score = 0;
    if let Some(windows) = cldr_default(iana) {
        score += 1;
        let phrase = windows.to_ascii_lowercase().replace(" standard time", "");
        let phrase = format!("{phrase} ");
        if tzid.contains(&phrase) || tzid.ends_with(phrase.trim_end()) {
            score += 4;
        }
    }
    let city = iana.rsplit('/').next().unwrap_or(iana).replace('_', " ");
    if tzid.contains(&city.to_ascii_lowercase()) {
        score += 2;
    }
    if !iana.starts_with("Etc/") {
        score += 1;
    }
    score
}

/// The Windows zone for which CLDR names `iana` the world-wide default.
fn cldr_default(iana: &str) -> Option<&'static str> {
    let (windows, _) = localzone::iana_to_win_zone(iana)?;
    (localzone::win_zone_to_iana(windows, Some("001")) == Some(iana)).then_some(windows)
}

/// Every onset of every observance up to `until`, as (instant, offset
/// after it), by instant.
fn transitions(definition: &Definition, until: NaiveDateTime) -> Vec<(DateTime<Utc>, i32)> {
    let mut all = Vec::new();
    for observance in &definition.observances {
        let (Some(start), Some(from), Some(to)) = (
            observance.start,
            observance.offset_from,
            observance.offset_to,
        ) else {
            continue;
        };
        let mut locals = vec![start];
        locals.extend(observance.dates.iter().copied());
        if !observance.rules.is_empty() {
            if let Ok(set) = super::rules::rule_set(start, &observance.rules, &[], false) {
                locals.extend(super::rules::starts_until(&set, until, 2000));
            }
        }
        for local in locals {
            let at = Utc.from_utc_datetime(&(local - Duration::seconds(i64::from(from))));
            all.push((at, to));
        }
    }
    all.sort_by_key(|(at, _)| *at);
    all.dedup();
    all
}

fn offset_at(transitions: &[(DateTime<Utc>, i32)], at: DateTime<Utc>) -> i32 {
    match transitions.iter().rev().find(|(t, _)| *t <= at) {
        Some((_, offset)) => *offset,
        // Before the first onset, the offset the first one changes from is
        // unknown; the first offset in force is the best estimate.
        None => transitions.first().map_or(0, |(_, offset)| *offset),
    }
}

/// Parses `TZOFFSETFROM`/`TZOFFSETTO` (`-0500`, `+0530`, `+051500`).
pub(crate) fn offset(text: &str) -> Option<i32> {
    parse_offset_seconds(text.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::local_time::parse_local;

    fn outlook_eastern() -> Definition {
        Definition {
            tzid: "(UTC-05:00) Eastern Time (US & Canada)".into(),
            location: None,
            observances: vec![
                Observance {
                    start: Some(parse_local("t", "1601-11-04T02:00").unwrap()),
                    offset_from: Some(-4 * 3600),
                    offset_to: Some(-5 * 3600),
                    rules: vec!["FREQ=YEARLY;BYDAY=1SU;BYMONTH=11".into()],
                    dates: Vec::new(),
                },
                Observance {
                    start: Some(parse_local("t", "1601-03-11T02:00").unwrap()),
                    offset_from: Some(-5 * 3600),
                    offset_to: Some(-4 * 3600),
                    rules: vec!["FREQ=YEARLY;BYDAY=2SU;BYMONTH=3".into()],
                    dates: Vec::new(),
                },
            ],
        }
    }

    #[test]
    fn iana_windows_and_path_names_resolve_by_name() {
        assert_eq!(
            by_name("America/New_York"),
            Some(crate::zone::Tz::named("America/New_York").unwrap())
        );
        assert_eq!(
            by_name("Eastern Standard Time"),
            Some(crate::zone::Tz::named("America/New_York").unwrap())
        );
        // Beyond the twelve names Steady used to know.
        assert_eq!(
            by_name("E. South America Standard Time"),
            Some(crate::zone::Tz::named("America/Sao_Paulo").unwrap())
        );
        // CLDR keeps the older IANA names (links with the same rules).
        assert_eq!(
            by_name("India Standard Time"),
            Some(crate::zone::Tz::named("Asia/Calcutta").unwrap())
        );
        assert_eq!(
            by_name("/freeassociation.sourceforge.net/Tzfile/Europe/London"),
            Some(crate::zone::Tz::named("Europe/London").unwrap())
        );
        assert_eq!(
            by_name("/mozilla.org/20050126_1/America/Chicago"),
            Some(crate::zone::Tz::named("America/Chicago").unwrap())
        );
        assert_eq!(by_name("(UTC-05:00) Eastern Time (US & Canada)"), None);
        assert_eq!(by_name("Clinic time"), None);
    }

    #[test]
    fn outlook_display_name_matches_new_york_by_its_rules() {
        let near = parse_local("t", "2026-03-02T18:00").unwrap();
        assert_eq!(
            by_definition(&outlook_eastern(), near),
            Some(crate::zone::Tz::named("America/New_York").unwrap())
        );
    }

    #[test]
    fn a_custom_name_is_matched_and_location_is_preferred() {
        let near = parse_local("t", "2026-03-02T18:00").unwrap();
        let mut definition = outlook_eastern();
        definition.tzid = "Clinic time".into();
        definition.location = Some("America/Toronto".into());
        assert_eq!(
            by_definition(&definition, near),
            Some(crate::zone::Tz::named("America/Toronto").unwrap())
        );
        // A definition no zone follows (DST in the wrong months) matches none.
        definition.location = None;
        definition.observances[1].rules = vec!["FREQ=YEARLY;BYDAY=1SU;BYMONTH=6".into()];
        assert_eq!(by_definition(&definition, near), None);
    }

    #[test]
    fn a_fixed_offset_definition_matches_the_cldr_default() {
        let near = parse_local("t", "2026-03-02T18:00").unwrap();
        let definition = Definition {
            tzid: "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi".into(),
            location: None,
            observances: vec![Observance {
                start: Some(parse_local("t", "1601-01-01T00:00").unwrap()),
                offset_from: Some(19800),
                offset_to: Some(19800),
                rules: Vec::new(),
                dates: Vec::new(),
            }],
        };
        assert_eq!(
            by_definition(&definition, near),
            Some(crate::zone::Tz::named("Asia/Kolkata").unwrap())
        );
    }
}
