//! Validating a [`SessionSeries`] into the typed form the recurrence expansion
//! works on. Every rejection names the field at fault.

use super::local_time::{format_local, parse_date, parse_local};
use super::{Frequency, OccurrenceChange, Recurrence, SessionSeries};
use crate::{validate, Error, Result};
use chrono::{NaiveDateTime, NaiveTime};
use chrono_tz::Tz;
use std::collections::HashMap;

/// Longest title or location Steady keeps, in characters.
pub const MAX_TEXT_CHARS: usize = 200;
/// A session lasts at most a day.
pub const MAX_DURATION_MIN: u32 = 24 * 60;
const MAX_INTERVAL: u32 = 52;
const MAX_COUNT: u32 = 1000;

/// A validated series: parsed times, the clinic zone, changes by original start.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub record: SessionSeries,
    pub tz: Tz,
    pub start: NaiveDateTime,
    pub rule: Option<Rule>,
    pub changes: HashMap<NaiveDateTime, Change>,
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub frequency: Frequency,
    pub interval: u32,
    /// Sorted Monday first, no repeats.
    pub weekdays: Vec<chrono::Weekday>,
    pub until: Option<NaiveDateTime>,
    pub count: Option<u32>,
}

#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub cancelled: bool,
    pub start: Option<NaiveDateTime>,
    pub duration_min: Option<u32>,
    pub title: Option<String>,
    pub location: Option<String>,
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
    let rule = record.recurrence.as_ref().map(rule).transpose()?;
    let mut changes = HashMap::new();
    for (index, change) in record.changes.iter_mut().enumerate() {
        let (original, parsed) = validate_change(index, change)?;
        changes.insert(original, parsed);
    }
    Ok(Series {
        record,
        tz,
        start,
        rule,
        changes,
    })
}

fn rule(recurrence: &Recurrence) -> Result<Rule> {
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
    let until = match &recurrence.until {
        None => None,
        Some(text) if text.trim().len() == 10 => Some(
            parse_date("recurrence.until", text)?
                .and_time(NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default()),
        ),
        Some(text) => Some(parse_local("recurrence.until", text)?),
    };
    let mut weekdays: Vec<chrono::Weekday> =
        recurrence.weekdays.iter().map(|d| d.to_chrono()).collect();
    weekdays.sort_by_key(|d| d.num_days_from_monday());
    weekdays.dedup();
    Ok(Rule {
        frequency: recurrence.frequency,
        interval: recurrence.interval,
        weekdays,
        until,
        count: recurrence.count,
    })
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

fn duration(field: &str, minutes: u32) -> Result<()> {
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
