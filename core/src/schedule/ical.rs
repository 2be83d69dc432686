//! Reading a clinic calendar (RFC 5545 `.ics`) into session series.
//!
//! Supported: line unfolding, VEVENT with DTSTART (TZID, UTC or the
//! calendar's X-WR-TIMEZONE), DTEND or DURATION, RRULE with FREQ=DAILY or
//! WEEKLY, INTERVAL, BYDAY, UNTIL and COUNT, EXDATE, RECURRENCE-ID overrides,
//! STATUS:CANCELLED, SUMMARY, LOCATION, URL and CATEGORIES. All-day events
//! (holidays, closures) are not sessions and are skipped. Anything else that
//! would change when sessions happen (other frequencies, RDATE, EXRULE) is
//! refused rather than guessed. Errors name the line and property; they never
//! quote the calendar's text.

use super::local_time::format_local;
use super::{
    Frequency, OccurrenceChange, Recurrence, ScheduleSource, SessionKind, SessionSeries, Weekday,
};
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

/// What one calendar file says.
#[derive(Debug, Default)]
pub(crate) struct Calendar {
    pub series: Vec<SessionSeries>,
    /// The `BEGIN:VEVENT` line of each series, for errors found later.
    pub lines: Vec<usize>,
    /// Series the calendar cancels as a whole.
    pub cancelled_uids: Vec<String>,
}

const DEFAULT_DURATION_MIN: u32 = 60;

/// One content line after unfolding.
struct Line<'a> {
    number: usize,
    name: String,
    params: Vec<(String, String)>,
    value: std::borrow::Cow<'a, str>,
}

impl Line<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn error(&self, reason: impl Into<String>) -> Error {
        error_at(self.number, &self.name, reason)
    }
}

pub(crate) fn error_at(line: usize, property: &str, reason: impl Into<String>) -> Error {
    Error::invalid(&format!("calendar line {line} ({property})"), reason)
}

pub(crate) fn parse(text: &str) -> Result<Calendar> {
    let lines = content_lines(text)?;
    let mut default_zone: Option<Tz> = None;
    let mut events: Vec<Vec<&Line<'_>>> = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut saw_calendar = false;
    for line in &lines {
        match line.name.as_str() {
            "BEGIN" => {
                let component = line.value.to_ascii_uppercase();
                if component == "VCALENDAR" {
                    saw_calendar = true;
                }
                if component == "VEVENT" && stack.last().map(String::as_str) == Some("VCALENDAR") {
                    events.push(vec![line]);
                }
                stack.push(component);
            }
            "END" => {
                let component = line.value.to_ascii_uppercase();
                if stack.pop().as_deref() != Some(component.as_str()) {
                    return Err(line.error("does not close the open component"));
                }
            }
            _ => match stack.last().map(String::as_str) {
                Some("VEVENT") if stack.len() == 2 => {
                    if let Some(event) = events.last_mut() {
                        event.push(line);
                    }
                }
                Some("VCALENDAR") if line.name == "X-WR-TIMEZONE" => {
                    default_zone = Some(zone(line, line.value.trim())?);
                }
                _ => {}
            },
        }
    }
    if !saw_calendar {
        return Err(error_at(1, "BEGIN", "not an iCalendar file (no VCALENDAR)"));
    }
    if let Some(open) = stack.last() {
        return Err(error_at(
            lines.len(),
            "END",
            format!("{open} is never closed"),
        ));
    }
    assemble(events, default_zone)
}

/// Splits into lines, unfolds continuation lines and parses each into name,
/// parameters and value.
fn content_lines(text: &str) -> Result<Vec<Line<'_>>> {
    let mut logical: Vec<(usize, std::borrow::Cow<'_, str>)> = Vec::new();
    // Files saved by some editors start with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t']) {
            match logical.last_mut() {
                Some((_, line)) => line.to_mut().push_str(rest),
                None => return Err(error_at(index + 1, "line", "starts with a continuation")),
            }
        } else if !raw.trim().is_empty() {
            logical.push((index + 1, std::borrow::Cow::Borrowed(raw)));
        }
    }
    logical
        .into_iter()
        .map(|(number, line)| split_line(number, line))
        .collect()
}

fn split_line(number: usize, line: std::borrow::Cow<'_, str>) -> Result<Line<'_>> {
    let mut in_quotes = false;
    let mut colon = None;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ':' if !in_quotes => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(colon) = colon else {
        return Err(error_at(
            number,
            "line",
            "has no ':' between name and value",
        ));
    };
    let head = &line[..colon];
    let mut parts = split_unquoted(head, ';').into_iter();
    let name = parts.next().unwrap_or_default().trim().to_ascii_uppercase();
    if name.is_empty() {
        return Err(error_at(number, "line", "has no property name"));
    }
    let params = parts
        .map(|p| match p.split_once('=') {
            Some((k, v)) => Ok((
                k.trim().to_ascii_uppercase(),
                v.trim_matches('"').to_string(),
            )),
            None => Err(error_at(number, &name, "has a parameter without '='")),
        })
        .collect::<Result<Vec<_>>>()?;
    let value = match line {
        std::borrow::Cow::Borrowed(s) => std::borrow::Cow::Borrowed(&s[colon + 1..]),
        std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(s[colon + 1..].to_string()),
    };
    Ok(Line {
        number,
        name,
        params,
        value,
    })
}

fn split_unquoted(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut in_quotes = false;
    let mut begin = 0;
    for (i, c) in text.char_indices() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if c == separator && !in_quotes {
            parts.push(&text[begin..i]);
            begin = i + 1;
        }
    }
    parts.push(&text[begin..]);
    parts
}

/// A parsed date-time property: its zone and the wall-clock time there.
#[derive(Clone, Copy)]
enum Stamp {
    Local(Tz, NaiveDateTime),
    AllDay(NaiveDate),
}

impl Stamp {
    /// The same moment as wall-clock time in `tz`.
    fn local_in(self, tz: Tz) -> Option<NaiveDateTime> {
        match self {
            Stamp::Local(from, local) if from == tz => Some(local),
            Stamp::Local(from, local) => {
                let instant = super::local_time::resolve(from, local);
                Some(instant.with_timezone(&tz).naive_local())
            }
            Stamp::AllDay(_) => None,
        }
    }
}

/// Windows zone names some calendar programs write as TZID, with their IANA
/// equivalent (the Unicode CLDR mapping, "001" territory).
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Eastern Standard Time", "America/New_York"),
    ("Central Standard Time", "America/Chicago"),
    ("Mountain Standard Time", "America/Denver"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("GMT Standard Time", "Europe/London"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("UTC", "UTC"),
];

fn zone(line: &Line<'_>, name: &str) -> Result<Tz> {
    let name = name.trim_start_matches('/');
    let name = WINDOWS_ZONES
        .iter()
        .find(|(windows, _)| *windows == name)
        .map_or(name, |(_, iana)| iana);
    name.parse::<Tz>()
        .map_err(|_| line.error("TZID is not an IANA (or common Windows) time zone"))
}

fn stamp(line: &Line<'_>, value: &str, default_zone: Option<Tz>) -> Result<Stamp> {
    let value = value.trim();
    if line.param("VALUE") == Some("DATE") || value.len() == 8 {
        let date = NaiveDate::parse_from_str(value, "%Y%m%d")
            .map_err(|_| line.error("expected a date YYYYMMDD"))?;
        return Ok(Stamp::AllDay(date));
    }
    if let Some(utc) = value.strip_suffix('Z') {
        let local = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
            .map_err(|_| line.error("expected a date-time YYYYMMDDTHHMMSSZ"))?;
        return Ok(Stamp::Local(Tz::UTC, local));
    }
    let local = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S")
        .map_err(|_| line.error("expected a date-time YYYYMMDDTHHMMSS"))?;
    let tz = match line.param("TZID") {
        Some(name) => zone(line, name)?,
        None => default_zone
            .ok_or_else(|| line.error("floating time without TZID or calendar X-WR-TIMEZONE"))?,
    };
    Ok(Stamp::Local(tz, local))
}

/// The event's properties by name (repeatable ones keep every line).
struct Event<'a> {
    begin_line: usize,
    props: HashMap<String, Vec<&'a Line<'a>>>,
}

impl<'a> Event<'a> {
    fn new(lines: Vec<&'a Line<'a>>) -> Self {
        let begin_line = lines.first().map_or(1, |l| l.number);
        let mut props: HashMap<String, Vec<&Line<'_>>> = HashMap::new();
        for line in lines.into_iter().skip(1) {
            props.entry(line.name.clone()).or_default().push(line);
        }
        Event { begin_line, props }
    }

    fn one(&self, name: &str) -> Option<&'a Line<'a>> {
        self.props
            .get(name)
            .and_then(|lines| lines.first().copied())
    }

    fn text(&self, name: &str) -> Option<String> {
        self.one(name)
            .map(|l| unescape(&l.value))
            .filter(|t| !t.trim().is_empty())
    }

    fn cancelled(&self) -> bool {
        self.one("STATUS")
            .is_some_and(|l| l.value.trim().eq_ignore_ascii_case("CANCELLED"))
    }
}

fn assemble(events: Vec<Vec<&Line<'_>>>, default_zone: Option<Tz>) -> Result<Calendar> {
    let events: Vec<Event<'_>> = events.into_iter().map(Event::new).collect();
    let mut calendar = Calendar::default();
    let mut masters: HashMap<String, usize> = HashMap::new();
    let mut overrides = Vec::new();
    for event in &events {
        for unsupported in ["RDATE", "EXRULE"] {
            if let Some(line) = event.one(unsupported) {
                return Err(line.error("is not supported; list the sessions or use EXDATE"));
            }
        }
        let uid = event
            .text("UID")
            .ok_or_else(|| error_at(event.begin_line, "UID", "VEVENT has no UID"))?;
        if event.one("RECURRENCE-ID").is_some() {
            overrides.push((uid, event));
            continue;
        }
        if masters.contains_key(&uid) || calendar.cancelled_uids.contains(&uid) {
            let line = event.one("UID").map_or(event.begin_line, |l| l.number);
            return Err(error_at(line, "UID", "appears on two events"));
        }
        if event.cancelled() {
            calendar.cancelled_uids.push(uid);
            continue;
        }
        if let Some(series) = master(event, uid.clone(), default_zone)? {
            masters.insert(uid, calendar.series.len());
            calendar.series.push(series);
            calendar.lines.push(event.begin_line);
        }
    }
    for (uid, event) in overrides {
        if calendar.cancelled_uids.contains(&uid) {
            continue;
        }
        let Some(series) = masters.get(&uid).and_then(|i| calendar.series.get_mut(*i)) else {
            let line = event
                .one("RECURRENCE-ID")
                .map_or(event.begin_line, |l| l.number);
            return Err(error_at(
                line,
                "RECURRENCE-ID",
                "no event with this UID repeats",
            ));
        };
        let change = override_change(event, series, default_zone)?;
        series
            .changes
            .retain(|c| c.original_start_local != change.original_start_local);
        series.changes.push(change);
    }
    Ok(calendar)
}

fn master(
    event: &Event<'_>,
    uid: String,
    default_zone: Option<Tz>,
) -> Result<Option<SessionSeries>> {
    let dtstart = event
        .one("DTSTART")
        .ok_or_else(|| error_at(event.begin_line, "DTSTART", "VEVENT has no DTSTART"))?;
    let Stamp::Local(found_tz, found_start) = stamp(dtstart, &dtstart.value, default_zone)? else {
        return Ok(None);
    };
    // A UTC start is shown in the calendar's own zone when it names one.
    let tz = match (found_tz, default_zone) {
        (Tz::UTC, Some(zone)) => zone,
        _ => found_tz,
    };
    let start = Stamp::Local(found_tz, found_start)
        .local_in(tz)
        .unwrap_or(found_start);
    let duration_min =
        duration_min(event, found_tz, found_start, default_zone)?.unwrap_or(DEFAULT_DURATION_MIN);
    let recurrence = event.one("RRULE").map(|l| rrule(l, tz)).transpose()?;
    let mut changes = Vec::new();
    for line in event.props.get("EXDATE").into_iter().flatten() {
        for value in line.value.split(',') {
            // Some exporters write a date-only EXDATE for a timed series:
            // it still cancels that day's session.
            let original = match stamp(line, value, Some(tz))? {
                Stamp::AllDay(date) => date.and_time(start.time()),
                stamp => stamp.local_in(tz).unwrap_or(start),
            };
            changes.push(cancellation(original));
        }
    }
    let title = event
        .text("SUMMARY")
        .unwrap_or_else(|| "Session".to_string());
    let (location, video_url) = place(event);
    Ok(Some(SessionSeries {
        id: String::new(),
        uid: Some(uid),
        kind: kind(event, &title),
        title,
        location,
        video_url,
        time_zone: tz.name().to_string(),
        start_local: format_local(start),
        duration_min,
        recurrence,
        changes,
        source: ScheduleSource::Clinic,
    }))
}

fn cancellation(original: NaiveDateTime) -> OccurrenceChange {
    OccurrenceChange {
        original_start_local: format_local(original),
        cancelled: true,
        start_local: None,
        duration_min: None,
        title: None,
        location: None,
    }
}

fn override_change(
    event: &Event<'_>,
    series: &SessionSeries,
    default_zone: Option<Tz>,
) -> Result<OccurrenceChange> {
    let tz: Tz = series.time_zone.parse().unwrap_or(Tz::UTC);
    let id_line = event
        .one("RECURRENCE-ID")
        .ok_or_else(|| error_at(event.begin_line, "RECURRENCE-ID", "missing"))?;
    let original = stamp(id_line, &id_line.value, Some(tz))?
        .local_in(tz)
        .ok_or_else(|| id_line.error("all-day overrides are not supported"))?;
    if event.cancelled() {
        return Ok(cancellation(original));
    }
    let mut start_local = None;
    let mut duration = None;
    if let Some(line) = event.one("DTSTART") {
        if let Stamp::Local(found_tz, found) = stamp(line, &line.value, default_zone)? {
            let moved = Stamp::Local(found_tz, found).local_in(tz).unwrap_or(found);
            if moved != original {
                start_local = Some(format_local(moved));
            }
            duration = duration_min(event, found_tz, found, default_zone)?
                .filter(|m| *m != series.duration_min);
        }
    }
    let title = event.text("SUMMARY").filter(|t| *t != series.title);
    let (location, _) = place(event);
    Ok(OccurrenceChange {
        original_start_local: format_local(original),
        cancelled: false,
        start_local,
        duration_min: duration,
        title,
        location: location.filter(|l| Some(l) != series.location.as_ref()),
    })
}

fn duration_min(
    event: &Event<'_>,
    start_tz: Tz,
    start: NaiveDateTime,
    default_zone: Option<Tz>,
) -> Result<Option<u32>> {
    let minutes = if let Some(line) = event.one("DTEND") {
        let Stamp::Local(end_tz, end) = stamp(line, &line.value, default_zone.or(Some(start_tz)))?
        else {
            return Err(line.error("is a date but DTSTART is a date-time"));
        };
        let begin: DateTime<Utc> = super::local_time::resolve(start_tz, start);
        let finish: DateTime<Utc> = super::local_time::resolve(end_tz, end);
        (finish - begin).num_minutes()
    } else if let Some(line) = event.one("DURATION") {
        iso_duration_min(line)?
    } else {
        return Ok(None);
    };
    if minutes <= 0 || minutes > i64::from(super::series::MAX_DURATION_MIN) {
        let property = if event.one("DTEND").is_some() {
            "DTEND"
        } else {
            "DURATION"
        };
        let line = event.one(property).map_or(event.begin_line, |l| l.number);
        return Err(error_at(
            line,
            property,
            "the session must last 1 minute to 24 hours",
        ));
    }
    Ok(u32::try_from(minutes).ok())
}

/// `P1W`, `PT1H30M`, `P1DT2H`… (no months or years in RFC 5545 durations).
fn iso_duration_min(line: &Line<'_>) -> Result<i64> {
    let bad = || line.error("expected a duration like PT1H30M");
    let text = line.value.trim();
    let text = text.strip_prefix('+').unwrap_or(text);
    let body = text.strip_prefix('P').ok_or_else(bad)?;
    let mut seconds = 0i64;
    let mut number = String::new();
    let mut in_time = false;
    for c in body.chars() {
        match c {
            '0'..='9' => number.push(c),
            'T' if number.is_empty() => in_time = true,
            unit => {
                let n: i64 = number.parse().map_err(|_| bad())?;
                number.clear();
                let unit_seconds = match (unit, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3_600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return Err(bad()),
                };
                // A huge count is refused, never overflowed.
                seconds = n
                    .checked_mul(unit_seconds)
                    .and_then(|s| seconds.checked_add(s))
                    .ok_or_else(bad)?;
            }
        }
    }
    if !number.is_empty() {
        return Err(bad());
    }
    Ok(seconds / 60)
}

fn rrule(line: &Line<'_>, tz: Tz) -> Result<Recurrence> {
    let mut recurrence = Recurrence {
        frequency: Frequency::Weekly,
        interval: 1,
        weekdays: Vec::new(),
        until: None,
        count: None,
    };
    let mut saw_freq = false;
    for part in line.value.split(';').filter(|p| !p.is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| line.error("expected KEY=VALUE parts"))?;
        match key.trim().to_ascii_uppercase().as_str() {
            "FREQ" => {
                saw_freq = true;
                recurrence.frequency = match value.trim().to_ascii_uppercase().as_str() {
                    "WEEKLY" => Frequency::Weekly,
                    "DAILY" => Frequency::Daily,
                    _ => return Err(line.error("only FREQ=DAILY and FREQ=WEEKLY are supported")),
                };
            }
            "INTERVAL" => {
                recurrence.interval = value
                    .trim()
                    .parse()
                    .map_err(|_| line.error("INTERVAL must be a positive number"))?;
            }
            "COUNT" => {
                recurrence.count = Some(
                    value
                        .trim()
                        .parse()
                        .map_err(|_| line.error("COUNT must be a positive number"))?,
                );
            }
            "UNTIL" => {
                let value = value.trim();
                recurrence.until = Some(if value.len() == 8 {
                    let date = NaiveDate::parse_from_str(value, "%Y%m%d")
                        .map_err(|_| line.error("UNTIL must be a date or date-time"))?;
                    super::local_time::format_date(date)
                } else {
                    let utc = value.strip_suffix('Z').unwrap_or(value);
                    let naive = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
                        .map_err(|_| line.error("UNTIL must be a date or date-time"))?;
                    let local = if value.ends_with('Z') {
                        Utc.from_utc_datetime(&naive)
                            .with_timezone(&tz)
                            .naive_local()
                    } else {
                        naive
                    };
                    format_local(local)
                });
            }
            "BYDAY" => {
                for day in value.split(',') {
                    let day = day.trim();
                    if day.len() != 2 {
                        return Err(line.error("BYDAY with an ordinal (e.g. 1MO) is not supported"));
                    }
                    let day = Weekday::parse(day)
                        .ok_or_else(|| line.error("BYDAY has an unknown weekday"))?;
                    recurrence.weekdays.push(day);
                }
            }
            "WKST" => {}
            other => {
                return Err(line.error(format!("the rule part {other} is not supported")));
            }
        }
    }
    if !saw_freq {
        return Err(line.error("FREQ is required"));
    }
    if recurrence.interval == 0 || recurrence.count == Some(0) {
        return Err(line.error("INTERVAL and COUNT must be at least 1"));
    }
    Ok(recurrence)
}

/// LOCATION, URL: a location that is a link is the video link.
fn place(event: &Event<'_>) -> (Option<String>, Option<String>) {
    let location = event.text("LOCATION");
    let url = event.text("URL");
    match location {
        Some(l) if l.starts_with("https://") || l.starts_with("http://") => (None, url.or(Some(l))),
        other => (other, url),
    }
}

/// The session kind from CATEGORIES, else from words in the title.
fn kind(event: &Event<'_>, title: &str) -> SessionKind {
    let categories = event.text("CATEGORIES").unwrap_or_default();
    let text = format!("{categories} {title}").to_ascii_lowercase();
    if text.contains("medication") || text.contains("prescriber") {
        SessionKind::MedicationManagement
    } else if text.contains("family") {
        SessionKind::Family
    } else if text.contains("individual") || text.contains("one-on-one") || text.contains("1:1") {
        SessionKind::Individual
    } else if text.contains("group") {
        SessionKind::Group
    } else {
        SessionKind::Other
    }
}

fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const CLINIC: &str = "BEGIN:VCALENDAR\r\n\
VERSION:2.0\r\n\
PRODID:-//Clinic//Schedule//EN\r\n\
BEGIN:VTIMEZONE\r\n\
TZID:America/New_York\r\n\
END:VTIMEZONE\r\n\
BEGIN:VEVENT\r\n\
UID:group-mwf@clinic.example\r\n\
SUMMARY:Evening group\r\n\
\x20 therapy\r\n\
CATEGORIES:GROUP\r\n\
LOCATION:Room 2\\, Main St\r\n\
DTSTART;TZID=America/New_York:20260302T180000\r\n\
DTEND;TZID=America/New_York:20260302T210000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20260601T035959Z\r\n\
EXDATE;TZID=America/New_York:20260309T180000,20260311T180000\r\n\
BEGIN:VALARM\r\n\
ACTION:DISPLAY\r\n\
TRIGGER:-PT15M\r\n\
END:VALARM\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
UID:group-mwf@clinic.example\r\n\
RECURRENCE-ID;TZID=America/New_York:20260313T180000\r\n\
DTSTART;TZID=America/New_York:20260314T100000\r\n\
DURATION:PT2H\r\n\
SUMMARY:Evening group therapy\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
UID:group-mwf@clinic.example\r\n\
RECURRENCE-ID;TZID=America/New_York:20260316T180000\r\n\
STATUS:CANCELLED\r\n\
DTSTART;TZID=America/New_York:20260316T180000\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
UID:intake@clinic.example\r\n\
SUMMARY:Individual counseling\r\n\
URL:https://video.example/room/7\r\n\
DTSTART:20260304T150000Z\r\n\
DURATION:PT50M\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
UID:holiday@clinic.example\r\n\
SUMMARY:Closed\r\n\
DTSTART;VALUE=DATE:20260525\r\n\
END:VEVENT\r\n\
END:VCALENDAR\r\n";

    fn field_of(result: Result<Calendar>) -> String {
        match result {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected an invalid-calendar error, got {other:?}"),
        }
    }

    #[test]
    fn clinic_calendar_becomes_series_with_exceptions() {
        let calendar = parse(CLINIC).unwrap();
        assert_eq!(calendar.series.len(), 2);
        let group = &calendar.series[0];
        assert_eq!(group.uid.as_deref(), Some("group-mwf@clinic.example"));
        assert_eq!(group.title, "Evening group therapy");
        assert_eq!(group.location.as_deref(), Some("Room 2, Main St"));
        assert_eq!(group.kind, SessionKind::Group);
        assert_eq!(group.time_zone, "America/New_York");
        assert_eq!(group.start_local, "2026-03-02T18:00");
        assert_eq!(group.duration_min, 180);
        let rule = group.recurrence.as_ref().unwrap();
        assert_eq!(rule.weekdays, [Weekday::Mon, Weekday::Wed, Weekday::Fri]);
        assert_eq!(rule.until.as_deref(), Some("2026-05-31T23:59"));
        let changes: Vec<_> = group
            .changes
            .iter()
            .map(|c| {
                (
                    c.original_start_local.as_str(),
                    c.cancelled,
                    c.start_local.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            changes,
            [
                ("2026-03-09T18:00", true, None),
                ("2026-03-11T18:00", true, None),
                ("2026-03-13T18:00", false, Some("2026-03-14T10:00")),
                ("2026-03-16T18:00", true, None),
            ]
        );
        assert_eq!(group.changes[2].duration_min, Some(120));
        let one_off = &calendar.series[1];
        assert!(one_off.recurrence.is_none());
        assert_eq!(one_off.time_zone, "UTC");
        assert_eq!(one_off.kind, SessionKind::Individual);
        assert_eq!(
            one_off.video_url.as_deref(),
            Some("https://video.example/room/7")
        );
        assert_eq!(one_off.duration_min, 50);
    }

    #[test]
    fn utc_start_uses_the_calendar_zone_when_named() {
        let text = "BEGIN:VCALENDAR\nX-WR-TIMEZONE:Europe/London\nBEGIN:VEVENT\nUID:a\n\
DTSTART:20260701T090000Z\nDURATION:PT1H\nEND:VEVENT\nEND:VCALENDAR\n";
        let series = &parse(text).unwrap().series[0];
        assert_eq!(series.time_zone, "Europe/London");
        assert_eq!(series.start_local, "2026-07-01T10:00");
    }

    #[test]
    fn errors_name_the_line_and_property() {
        let bad_rule = CLINIC.replace("FREQ=WEEKLY;BYDAY", "FREQ=MONTHLY;BYDAY");
        assert_eq!(field_of(parse(&bad_rule)), "calendar line 15 (RRULE)");
        let bad_zone = CLINIC.replace(
            "DTSTART;TZID=America/New_York:20260302",
            "DTSTART;TZID=Mars/Olympus:20260302",
        );
        assert_eq!(field_of(parse(&bad_zone)), "calendar line 13 (DTSTART)");
        let bad_date = CLINIC.replace("20260304T150000Z", "2026-03-04");
        assert_eq!(field_of(parse(&bad_date)), "calendar line 39 (DTSTART)");
        let no_colon = CLINIC.replace("CATEGORIES:GROUP", "CATEGORIES GROUP");
        assert_eq!(field_of(parse(&no_colon)), "calendar line 11 (line)");
        let bad_duration = CLINIC.replace("PT50M", "PT50X");
        assert_eq!(
            field_of(parse(&bad_duration)),
            "calendar line 40 (DURATION)"
        );
        let unclosed = CLINIC.replace("END:VCALENDAR\r\n", "");
        assert!(field_of(parse(&unclosed)).contains("END"));
        assert_eq!(field_of(parse("hello")), "calendar line 1 (line)");
        let rdate = CLINIC.replace("CATEGORIES:GROUP", "RDATE:20260401T180000");
        assert_eq!(field_of(parse(&rdate)), "calendar line 11 (RDATE)");
        let orphan = CLINIC.replace(
            "UID:group-mwf@clinic.example\r\nRECURRENCE-ID;TZID=America/New_York:20260316",
            "UID:nobody\r\nRECURRENCE-ID;TZID=America/New_York:20260316",
        );
        assert!(field_of(parse(&orphan)).ends_with("(RECURRENCE-ID)"));
    }

    #[test]
    fn error_text_never_quotes_the_calendar() {
        let bad = CLINIC.replace("FREQ=WEEKLY;BYDAY", "FREQ=WEEKLY;BYSECRET=x;BYDAY");
        let text = parse(&bad).unwrap_err().to_string();
        assert!(
            !text.contains("therapy") && !text.contains("Room"),
            "{text}"
        );
    }

    #[test]
    fn windows_zone_names_date_only_exdates_and_a_byte_order_mark_are_understood() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n\
DTSTART;TZID=Eastern Standard Time:20260302T090000\nDURATION:PT1H\n\
RRULE:FREQ=WEEKLY\nEXDATE;VALUE=DATE:20260309\nEND:VEVENT\nEND:VCALENDAR\n";
        let series = &parse(&format!("\u{feff}{text}")).unwrap().series[0];
        assert_eq!(series.time_zone, "America/New_York");
        assert_eq!(series.changes[0].original_start_local, "2026-03-09T09:00");
        assert!(series.changes[0].cancelled);
    }

    #[test]
    fn durations_parse_weeks_days_hours_minutes() {
        for (value, minutes) in [
            ("PT1H30M", 90),
            ("P1DT2H", 1560),
            ("PT45M", 45),
            ("PT3600S", 60),
        ] {
            let line = Line {
                number: 1,
                name: "DURATION".into(),
                params: Vec::new(),
                value: value.into(),
            };
            assert_eq!(iso_duration_min(&line).unwrap(), minutes, "{value}");
        }
    }
}
