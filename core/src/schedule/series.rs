//! Validating a [`SessionSeries`] into the typed form the recurrence expansion
//! works on. Every rejection names the field at fault.

use super::local_time::{format_local, parse_date, parse_local};
use super::rules::RuleSet;
use super::{OccurrenceChange, Recurrence, SessionSeries, Weekday};
use crate::zone::Tz;
use crate::{validate, Error, Result};
use chrono::{NaiveDateTime, NaiveTime};
use std::collections::HashMap;

/// Longest title or location Steady keeps, in characters.
pub const MAX_TEXT_CHARS: usize = 200;
/// A session lasts at most two weeks: a residential weekend or a multi-day
/// intensive is one session (one attendance record); anything longer is a
/// program, not a session.
pub const MAX_DURATION_MIN: u32 = 14 * 24 * 60;
const MAX_INTERVAL: u32 = 52;
const MAX_COUNT: u32 = 1000;
const MAX_RULES: usize = 10;
const MAX_EXTRA_STARTS: usize = 1000;

/// A validated series: parsed times, the clinic zone, changes by original start.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub record: SessionSeries,
    pub tz: Tz,
    pub start: NaiveDateTime,
    /// The repeat rule set, in floating clinic-local time
    /// ([`super::rules`]); `None` for a one-off session.
    pub rule: Option<RuleSet>,
    pub changes: HashMap<NaiveDateTime, Change>,
    /// Changes that also apply to every later occurrence, by original start.
    pub ranges: Vec<(NaiveDateTime, Change)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub cancelled: bool,
    pub start: Option<NaiveDateTime>,
    pub duration_min: Option<u32>,
    pub title: Option<String>,
    pub location: Option<String>,
}

/// Checks a series as the phone will when it arrives (the clinic server
/// validates what it sends with this).
pub fn check(record: SessionSeries) -> Result<SessionSeries> {
    validate(record).map(|series| series.record)
}

pub(crate) fn validate(mut record: SessionSeries) -> Result<Series> {
    record.title = required_text("title", &record.title)?;
    record.location = optional_text("location", record.location)?;
    record.video_url = optional_text("video_url", record.video_url)?;
    let tz = validate::time_zone("time_zone", &record.time_zone)?;
    record.time_zone = tz.name().to_string();
    let start = parse_local("start_local", &record.start_local)?;
    record.start_local = format_local(start);
    duration("duration_min", record.duration_min)?;
    let rule = match record.recurrence.as_mut() {
        Some(recurrence) => Some(rule(recurrence, start)?),
        None => None,
    };
    let mut changes = HashMap::new();
    let mut ranges = Vec::new();
    for (index, change) in record.changes.iter_mut().enumerate() {
        let (original, parsed) = validate_change(index, change)?;
        if change.this_and_future {
            ranges.push((original, parsed.clone()));
        }
        changes.insert(original, parsed);
    }
    ranges.sort_by_key(|(original, _)| *original);
    Ok(Series {
        record,
        tz,
        start,
        rule,
        changes,
        ranges,
    })
}

fn rule(recurrence: &mut Recurrence, start: NaiveDateTime) -> Result<RuleSet> {
    if recurrence.interval == 0 || recurrence.interval > MAX_INTERVAL {
        return Err(Error::invalid(
            "recurrence.interval",
            format!("must be 1 to {MAX_INTERVAL}"),
        ));
    }
    if let Some(count) = recurrence.count {
        if count == 0 || count > MAX_COUNT {
            return Err(Error::invalid(
                "recurrence.count",
                format!("must be 1 to {MAX_COUNT}"),
            ));
        }
    }
    let until = until(recurrence)?;
    if recurrence.rules.len() > MAX_RULES {
        return Err(Error::invalid(
            "recurrence.rules",
            format!("at most {MAX_RULES} rules"),
        ));
    }
    if recurrence.extra_starts.len() > MAX_EXTRA_STARTS {
        return Err(Error::invalid(
            "recurrence.extra_starts",
            format!("at most {MAX_EXTRA_STARTS} dates"),
        ));
    }
    let mut extra = Vec::with_capacity(recurrence.extra_starts.len());
    for (index, text) in recurrence.extra_starts.iter_mut().enumerate() {
        let local = parse_local(&format!("recurrence.extra_starts[{index}]"), text)?;
        *text = format_local(local);
        extra.push(local);
    }
    if recurrence.rules.is_empty() {
        // The typed rule, as the same engine's text: one expansion path.
        let rule = typed_rule(recurrence, until);
        return super::rules::rule_set(start, &[rule], &extra, false)
            .map_err(|reason| Error::invalid("recurrence", reason));
    }
    super::rules::rule_set(start, &recurrence.rules, &extra, true).map_err(|reason| {
        let index = recurrence
            .rules
            .iter()
            .position(|r| {
                super::rules::rule_set(start, std::slice::from_ref(r), &[], true).is_err()
            })
            .unwrap_or(0);
        Error::invalid(&format!("recurrence.rules[{index}]"), reason)
    })
}

/// The typed fields as one RFC 5545 rule (for the wire, when version 1's
/// fields cannot say it).
pub(crate) fn typed_rule_text(recurrence: &Recurrence) -> Result<String> {
    Ok(typed_rule(recurrence, until(recurrence)?))
}

fn until(recurrence: &Recurrence) -> Result<Option<NaiveDateTime>> {
    Ok(match &recurrence.until {
        None => None,
        Some(text) if text.trim().len() == 10 => Some(
            parse_date("recurrence.until", text)?
                .and_time(NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default()),
        ),
        Some(text) => Some(parse_local("recurrence.until", text)?),
    })
}

/// `FREQ=…;INTERVAL=…;BYDAY=…;UNTIL=…;COUNT=…` of the typed fields (weeks
/// start on Monday).
fn typed_rule(recurrence: &Recurrence, until: Option<NaiveDateTime>) -> String {
    let mut rule = format!(
        "FREQ={};INTERVAL={}",
        recurrence.frequency.rfc5545(),
        recurrence.interval
    );
    let mut days: Vec<Weekday> = recurrence.weekdays.clone();
    days.sort();
    days.dedup();
    if !days.is_empty() {
        let names: Vec<&str> = days.iter().map(|d| d.rfc5545()).collect();
        rule.push_str(&format!(";BYDAY={}", names.join(",")));
    }
    if let Some(until) = until {
        rule.push_str(&format!(";UNTIL={}", until.format("%Y%m%dT%H%M%S")));
    }
    if let Some(count) = recurrence.count {
        rule.push_str(&format!(";COUNT={count}"));
    }
    rule
}

fn validate_change(index: usize, change: &mut OccurrenceChange) -> Result<(NaiveDateTime, Change)> {
    let field = |name: &str| format!("changes[{index}].{name}");
    let original = parse_local(&field("original_start_local"), &change.original_start_local)?;
    change.original_start_local = format_local(original);
    let start = match &change.start_local {
        Some(text) => {
            let start = parse_local(&field("start_local"), text)?;
            change.start_local = Some(format_local(start));
            Some(start)
        }
        None => None,
    };
    if let Some(minutes) = change.duration_min {
        duration(&field("duration_min"), minutes)?;
    }
    let title = match change.title.take() {
        Some(text) => Some(required_text(&field("title"), &text)?),
        None => None,
    };
    change.title = title.clone();
    change.location = optional_text(&field("location"), change.location.take())?;
    Ok((
        original,
        Change {
            cancelled: change.cancelled,
            start,
            duration_min: change.duration_min,
            title,
            location: change.location.clone(),
        },
    ))
}

pub(crate) fn duration(field: &str, minutes: u32) -> Result<()> {
    if minutes == 0 || minutes > MAX_DURATION_MIN {
        return Err(Error::invalid(
            field,
            format!("must be 1 to {MAX_DURATION_MIN} minutes"),
        ));
    }
    Ok(())
}

pub(crate) fn required_text(field: &str, text: &str) -> Result<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    let chars = trimmed.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(Error::invalid(
            field,
            format!("{chars} characters; at most {MAX_TEXT_CHARS} allowed"),
        ));
    }
    Ok(trimmed.to_string())
}

pub(crate) fn optional_text(field: &str, text: Option<String>) -> Result<Option<String>> {
    match text {
        Some(text) if !text.trim().is_empty() => Ok(Some(required_text(field, &text)?)),
        _ => Ok(None),
    }
}
