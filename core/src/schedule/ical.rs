//! Reading a clinic calendar (RFC 5545 `.ics`) into session series.
//!
//! Tolerant where it is harmless, strict where it matters:
//! * a `VTODO`, `VJOURNAL`, `VFREEBUSY` or any other component that is not
//!   an event, a malformed `X-` property, an all-day event, a zero-length
//!   event and an event Steady cannot place in time are **skipped**, each
//!   reported with its line, its UID when it has one and the reason;
//! * a malformed `VEVENT` (a broken line, a bad date, a rule RFC 5545 does
//!   not allow, a zone nothing resolves) is skipped and reported the same
//!   way, and every other event still imports;
//! * only a file that is not an iCalendar at all is refused whole.
//!
//! Recurrence (every `FREQ`, `BYDAY` with ordinals, `BYMONTHDAY`, `BYSETPOS`,
//! `WKST`, `COUNT`/`UNTIL`, several `RRULE`s, `RDATE`, `EXDATE`) is kept as
//! RFC 5545 rule text and expanded by the `rrule` crate ([`super::rules`]);
//! overrides by `RECURRENCE-ID` (moved, re-timed, retitled, cancelled, with
//! `RANGE=THISANDFUTURE`) become [`OccurrenceChange`]s. Zones: see
//! [`super::zones`]. Reasons never quote the calendar's text.

use super::local_time::format_local;
use super::series::MAX_DURATION_MIN;
use super::zones::{self, Definition, Observance};
use super::{
    Frequency, OccurrenceChange, Recurrence, ScheduleSource, SessionKind, SessionSeries, Weekday,
};
use crate::zone::Tz;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Something in a calendar that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportSkip {
    /// The line it starts on (or the line at fault), 1-based.
    pub line: u32,
    /// `VEVENT`, `VTODO`, `VTIMEZONE`, a property name such as `X-FOO`, or
    /// `line`.
    pub component: String,
    /// The event's UID, when it has one.
    pub uid: Option<String>,
    pub reason: String,
}

/// What one calendar file says.
#[derive(Debug, Default)]
pub(crate) struct Calendar {
    pub series: Vec<SessionSeries>,
    /// The `BEGIN:VEVENT` line of each series, for problems found later.
    pub lines: Vec<usize>,
    /// Series the calendar cancels as a whole.
    pub cancelled_uids: Vec<String>,
    pub skipped: Vec<ImportSkip>,
}

/// A timed event with neither `DTEND` nor `DURATION` is taken as one hour.
pub const DEFAULT_DURATION_MIN: u32 = 60;

/// One content line after unfolding; `broken` when it cannot be read.
struct Line<'a> {
    number: usize,
    name: String,
    params: Vec<(String, String)>,
    value: Cow<'a, str>,
    broken: Option<&'static str>,
}

impl Line<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn bad(&self, reason: impl Into<String>) -> Bad {
        Bad {
            line: self.number,
            property: self.name.clone(),
            reason: reason.into(),
        }
    }
}

/// Why one event (or one override) cannot be imported.
#[derive(Debug)]
struct Bad {
    line: usize,
    property: String,
    reason: String,
}

type Found<T> = std::result::Result<T, Bad>;

pub(crate) fn error_at(line: usize, property: &str, reason: impl Into<String>) -> Error {
    Error::invalid(&format!("calendar line {line} ({property})"), reason)
}

/// A component with its own properties and the components inside it.
struct Component<'a> {
    name: String,
    line: usize,
    props: Vec<&'a Line<'a>>,
    children: Vec<Component<'a>>,
    /// The first thing wrong inside it: (line, reason).
    broken: Option<(usize, String)>,
}

impl<'a> Component<'a> {
    fn new(name: String, line: usize) -> Self {
        Component {
            name,
            line,
            props: Vec::new(),
            children: Vec::new(),
            broken: None,
        }
    }

    fn break_at(&mut self, line: usize, reason: impl Into<String>) {
        if self.broken.is_none() {
            self.broken = Some((line, reason.into()));
        }
    }

    fn one(&self, name: &str) -> Option<&'a Line<'a>> {
        self.props.iter().copied().find(|l| l.name == name)
    }

    fn all(&self, name: &str) -> impl Iterator<Item = &'a Line<'a>> + '_ {
        let name = name.to_string();
        self.props.iter().copied().filter(move |l| l.name == name)
    }

    fn text(&self, name: &str) -> Option<String> {
        self.one(name)
            .map(|l| unescape(&l.value))
            .filter(|t| !t.trim().is_empty())
    }

    fn uid(&self) -> Option<String> {
        self.text("UID")
    }

    fn cancelled(&self) -> bool {
        self.one("STATUS")
            .is_some_and(|l| l.value.trim().eq_ignore_ascii_case("CANCELLED"))
    }
}

pub(crate) fn parse(text: &str) -> Result<Calendar> {
    let lines = content_lines(text);
    let mut skipped = Vec::new();
    let roots = tree(&lines, &mut skipped);
    let calendars: Vec<&Component<'_>> = roots.iter().filter(|c| c.name == "VCALENDAR").collect();
    if calendars.is_empty() {
        return Err(error_at(
            1,
            "VCALENDAR",
            "not an iCalendar file (no VCALENDAR)",
        ));
    }
    let mut calendar = Calendar {
        skipped,
        ..Calendar::default()
    };
    for root in calendars {
        read_calendar(root, &mut calendar);
    }
    calendar.skipped.sort_by_key(|s| s.line);
    Ok(calendar)
}

/// Splits into lines and unfolds continuation lines; a line that cannot be
/// read is kept, marked broken, so the component holding it is reported.
fn content_lines(text: &str) -> Vec<Line<'_>> {
    let mut logical: Vec<(usize, Cow<'_, str>)> = Vec::new();
    // Files saved by some editors start with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t']) {
            if let Some((_, line)) = logical.last_mut() {
                line.to_mut().push_str(rest);
                continue;
            }
        }
        if !raw.trim().is_empty() {
            logical.push((index + 1, Cow::Borrowed(raw)));
        }
    }
    logical
        .into_iter()
        .map(|(number, line)| split_line(number, line))
        .collect()
}

fn split_line(number: usize, line: Cow<'_, str>) -> Line<'_> {
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
    let guess = |line: &str| {
        line.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_uppercase()
    };
    let broken = |name: String, reason| Line {
        number,
        name,
        params: Vec::new(),
        value: Cow::Borrowed(""),
        broken: Some(reason),
    };
    let Some(colon) = colon else {
        return broken(guess(&line), "has no ':' between name and value");
    };
    let head = &line[..colon];
    let mut parts = split_unquoted(head, ';').into_iter();
    let name = parts.next().unwrap_or_default().trim().to_ascii_uppercase();
    let valid_name =
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !valid_name {
        return broken(guess(&line), "has no valid property name");
    }
    let mut params = Vec::new();
    for part in parts {
        match part.split_once('=') {
            Some((k, v)) => params.push((
                k.trim().to_ascii_uppercase(),
                v.trim().trim_matches('"').to_string(),
            )),
            None => return broken(name, "has a parameter without '='"),
        }
    }
    let value = match line {
        Cow::Borrowed(s) => Cow::Borrowed(&s[colon + 1..]),
        Cow::Owned(s) => Cow::Owned(s[colon + 1..].to_string()),
    };
    Line {
        number,
        name,
        params,
        value,
        broken: None,
    }
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

/// Builds the component tree, recovering from what is broken: a component
/// left open is closed where its parent closes (and marked broken), a stray
/// `END` marks the open component broken, a malformed `X-` property is
/// dropped and reported.
fn tree<'a>(lines: &'a [Line<'a>], skipped: &mut Vec<ImportSkip>) -> Vec<Component<'a>> {
    let mut roots: Vec<Component<'a>> = Vec::new();
    let mut stack: Vec<Component<'a>> = Vec::new();
    fn close<'a>(
        stack: &mut Vec<Component<'a>>,
        roots: &mut Vec<Component<'a>>,
        component: Component<'a>,
    ) {
        match stack.last_mut() {
            Some(parent) => parent.children.push(component),
            None => roots.push(component),
        }
    }
    for line in lines {
        if line.broken.is_none() && line.name == "BEGIN" {
            let name = line.value.trim().to_ascii_uppercase();
            // A calendar's own components never nest: one that opens inside
            // another means the other was never closed.
            if TOP_LEVEL.contains(&name.as_str()) {
                while stack.len() > 1
                    && stack
                        .iter()
                        .skip(1)
                        .any(|c| TOP_LEVEL.contains(&c.name.as_str()))
                {
                    let Some(mut open) = stack.pop() else { break };
                    open.break_at(open.line, format!("{} is never closed", open.name));
                    close(&mut stack, &mut roots, open);
                }
            }
            stack.push(Component::new(name, line.number));
            continue;
        }
        if line.broken.is_none() && line.name == "END" {
            let name = line.value.trim().to_ascii_uppercase();
            if stack.iter().any(|c| c.name == name) {
                while let Some(mut open) = stack.pop() {
                    if open.name == name {
                        close(&mut stack, &mut roots, open);
                        break;
                    }
                    open.break_at(open.line, format!("{} is never closed", open.name));
                    close(&mut stack, &mut roots, open);
                }
            } else if let Some(open) = stack.last_mut() {
                open.break_at(line.number, "has an END that closes nothing");
            }
            continue;
        }
        if let Some(reason) = line.broken {
            if line.name.starts_with("X-") {
                skipped.push(ImportSkip {
                    line: line.number as u32,
                    component: line.name.clone(),
                    uid: None,
                    reason: format!("malformed X- property: {reason}"),
                });
                continue;
            }
            match stack.last_mut() {
                Some(open) => open.break_at(line.number, format!("a line {reason}")),
                None => skipped.push(ImportSkip {
                    line: line.number as u32,
                    component: "line".into(),
                    uid: None,
                    reason: format!("outside any component; it {reason}"),
                }),
            }
            continue;
        }
        if let Some(open) = stack.last_mut() {
            open.props.push(line);
        }
    }
    while let Some(mut open) = stack.pop() {
        open.break_at(open.line, format!("{} is never closed", open.name));
        close(&mut stack, &mut roots, open);
    }
    roots
}

/// Components that sit directly in a `VCALENDAR`.
const TOP_LEVEL: &[&str] = &[
    "VEVENT",
    "VTODO",
    "VJOURNAL",
    "VFREEBUSY",
    "VTIMEZONE",
    "VAVAILABILITY",
];

/// What reading the whole file needs to know: the calendar's default zone
/// and its `VTIMEZONE` definitions.
struct Context {
    default_zone: Option<Tz>,
    definitions: HashMap<String, Definition>,
    resolved: std::cell::RefCell<HashMap<String, Option<Tz>>>,
}

impl Context {
    /// The IANA zone a `TZID` means ([`super::zones`]).
    fn zone(&self, line: &Line<'_>, tzid: &str, near: NaiveDateTime) -> Found<Tz> {
        let key = tzid.trim().trim_matches('"').to_string();
        if let Some(found) = self.resolved.borrow().get(&key) {
            return found.ok_or_else(|| line.bad(UNKNOWN_ZONE));
        }
        let found = zones::by_name(&key).or_else(|| {
            self.definitions
                .get(&key)
                .and_then(|definition| zones::by_definition(definition, near))
        });
        self.resolved.borrow_mut().insert(key, found);
        found.ok_or_else(|| line.bad(UNKNOWN_ZONE))
    }
}

const UNKNOWN_ZONE: &str =
    "TZID is neither an IANA nor a Windows zone, and no VTIMEZONE in the file matches an IANA zone";

fn read_calendar(root: &Component<'_>, calendar: &mut Calendar) {
    let mut context = Context {
        default_zone: None,
        definitions: HashMap::new(),
        resolved: Default::default(),
    };
    if let Some(line) = root.one("X-WR-TIMEZONE") {
        context.default_zone = zones::by_name(&line.value);
        if context.default_zone.is_none() {
            calendar.skipped.push(ImportSkip {
                line: line.number as u32,
                component: line.name.clone(),
                uid: None,
                reason: "not a known time zone; floating times cannot be placed".into(),
            });
        }
    }
    if let Some((line, reason)) = &root.broken {
        calendar.skipped.push(ImportSkip {
            line: *line as u32,
            component: root.name.clone(),
            uid: None,
            reason: format!("{reason} (the file may be cut short)"),
        });
    }
    let mut events = Vec::new();
    for child in &root.children {
        match child.name.as_str() {
            "VEVENT" => events.push(child),
            "VTIMEZONE" => match definition(child) {
                Some(definition) => {
                    context
                        .definitions
                        .insert(definition.tzid.clone(), definition);
                }
                None => calendar.skipped.push(ImportSkip {
                    line: child.line as u32,
                    component: child.name.clone(),
                    uid: None,
                    reason: "malformed time zone definition".into(),
                }),
            },
            other => calendar.skipped.push(ImportSkip {
                line: child.line as u32,
                component: other.to_string(),
                uid: child.uid(),
                reason: format!("a {other} is not a session"),
            }),
        }
    }
    read_events(&events, &context, calendar);
}

fn definition(component: &Component<'_>) -> Option<Definition> {
    if component.broken.is_some() {
        return None;
    }
    let tzid = component.text("TZID")?;
    let mut definition = Definition {
        tzid,
        location: component.text("X-LIC-LOCATION"),
        observances: Vec::new(),
    };
    for child in &component.children {
        if child.name != "STANDARD" && child.name != "DAYLIGHT" {
            continue;
        }
        let local = |value: &str| {
            NaiveDateTime::parse_from_str(value.trim().trim_end_matches('Z'), "%Y%m%dT%H%M%S").ok()
        };
        let mut observance = Observance {
            start: child.one("DTSTART").and_then(|l| local(&l.value)),
            offset_from: child
                .one("TZOFFSETFROM")
                .and_then(|l| zones::offset(&l.value)),
            offset_to: child
                .one("TZOFFSETTO")
                .and_then(|l| zones::offset(&l.value)),
            rules: child.all("RRULE").map(|l| l.value.to_string()).collect(),
            dates: Vec::new(),
        };
        for line in child.all("RDATE") {
            observance
                .dates
                .extend(line.value.split(',').filter_map(local));
        }
        definition.observances.push(observance);
    }
    Some(definition)
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

fn stamp(line: &Line<'_>, value: &str, context: &Context) -> Found<Stamp> {
    let value = value.trim();
    if line.param("VALUE") == Some("DATE") || value.len() == 8 {
        let date = NaiveDate::parse_from_str(value, "%Y%m%d")
            .map_err(|_| line.bad("expected a date YYYYMMDD"))?;
        return Ok(Stamp::AllDay(date));
    }
    if let Some(utc) = value.strip_suffix('Z') {
        let local = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
            .map_err(|_| line.bad("expected a date-time YYYYMMDDTHHMMSSZ"))?;
        return Ok(Stamp::Local(Tz::UTC, local));
    }
    let local = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S")
        .map_err(|_| line.bad("expected a date-time YYYYMMDDTHHMMSS"))?;
    let tz = match line.param("TZID") {
        Some(name) => context.zone(line, name, local)?,
        None => context
            .default_zone
            .ok_or_else(|| line.bad("floating time without TZID or calendar X-WR-TIMEZONE"))?,
    };
    Ok(Stamp::Local(tz, local))
}

/// What a master event becomes.
enum Master {
    Series(Box<SessionSeries>),
    /// An all-day event, or one Steady does not keep as a session: its
    /// overrides are skipped with the same reason.
    NotASession(String),
    Cancelled,
}

fn skip(uid: Option<String>, bad: Bad) -> ImportSkip {
    ImportSkip {
        line: bad.line as u32,
        component: if bad.property.is_empty() {
            "VEVENT".into()
        } else {
            bad.property
        },
        uid,
        reason: bad.reason,
    }
}

fn read_events(events: &[&Component<'_>], context: &Context, calendar: &mut Calendar) {
    let mut masters: HashMap<String, usize> = HashMap::new();
    let mut not_sessions: HashMap<String, String> = HashMap::new();
    let mut cancelled: HashSet<String> = HashSet::new();
    let mut overrides = Vec::new();
    for event in events {
        let uid = event.uid();
        if let Some((line, reason)) = &event.broken {
            calendar.skipped.push(ImportSkip {
                line: *line as u32,
                component: "VEVENT".into(),
                uid: uid.clone(),
                reason: format!("malformed event: {reason}"),
            });
            if let Some(uid) = uid {
                not_sessions.insert(uid, "its series is malformed".into());
            }
            continue;
        }
        // RFC 5545 requires a UID; an event without one gets one derived
        // from its start, rule and title, so a re-import still finds it.
        let Some(uid) = uid.or_else(|| derived_uid(event)) else {
            calendar.skipped.push(ImportSkip {
                line: event.line as u32,
                component: "VEVENT".into(),
                uid: None,
                reason: "event has neither UID nor DTSTART".into(),
            });
            continue;
        };
        if event.one("RECURRENCE-ID").is_some() {
            overrides.push((uid, *event));
            continue;
        }
        if masters.contains_key(&uid) || cancelled.contains(&uid) || not_sessions.contains_key(&uid)
        {
            calendar.skipped.push(ImportSkip {
                line: event.line as u32,
                component: "VEVENT".into(),
                uid: Some(uid),
                reason: "a second event with the same UID".into(),
            });
            continue;
        }
        match master(event, uid.clone(), context) {
            Ok(Master::Series(series)) => {
                masters.insert(uid, calendar.series.len());
                calendar.series.push(*series);
                calendar.lines.push(event.line);
            }
            Ok(Master::Cancelled) => {
                cancelled.insert(uid.clone());
                calendar.cancelled_uids.push(uid);
            }
            Ok(Master::NotASession(reason)) => {
                calendar.skipped.push(ImportSkip {
                    line: event.line as u32,
                    component: "VEVENT".into(),
                    uid: Some(uid.clone()),
                    reason: reason.clone(),
                });
                not_sessions.insert(uid, reason);
            }
            Err(bad) => {
                calendar.skipped.push(skip(Some(uid.clone()), bad));
                not_sessions.insert(uid, "its series was skipped".into());
            }
        }
    }
    for (uid, event) in overrides {
        if cancelled.contains(&uid) {
            continue;
        }
        let reason = match (masters.get(&uid), not_sessions.get(&uid)) {
            (Some(index), _) => {
                let series = &mut calendar.series[*index];
                match override_change(event, series, context) {
                    Ok((change, note)) => {
                        series
                            .changes
                            .retain(|c| c.original_start_local != change.original_start_local);
                        series.changes.push(change);
                        match note {
                            Some(note) => note.to_string(),
                            None => continue,
                        }
                    }
                    Err(bad) => {
                        calendar.skipped.push(skip(Some(uid), bad));
                        continue;
                    }
                }
            }
            (None, Some(reason)) => format!("override skipped: {reason}"),
            (None, None) => "override of a series that is not in this file".to_string(),
        };
        calendar.skipped.push(ImportSkip {
            line: event.line as u32,
            component: "VEVENT".into(),
            uid: Some(uid),
            reason,
        });
    }
}

/// `noid-` and a hash (FNV-1a) of the event's `DTSTART`, `RRULE` and
/// `SUMMARY` lines: stable across exports of the same event.
fn derived_uid(event: &Component<'_>) -> Option<String> {
    event.one("DTSTART")?;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for name in ["DTSTART", "RRULE", "SUMMARY", "RECURRENCE-ID"] {
        for line in event.all(name) {
            for byte in line.value.bytes().chain(line.name.bytes()) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    Some(format!("noid-{hash:016x}"))
}

fn master(event: &Component<'_>, uid: String, context: &Context) -> Found<Master> {
    let dtstart = event.one("DTSTART").ok_or_else(|| Bad {
        line: event.line,
        property: "DTSTART".into(),
        reason: "event has no DTSTART".into(),
    })?;
    let Stamp::Local(found_tz, found_start) = stamp(dtstart, &dtstart.value, context)? else {
        return Ok(Master::NotASession("all-day event (not a session)".into()));
    };
    if event.cancelled() {
        return Ok(Master::Cancelled);
    }
    if let Some(line) = event.one("EXRULE") {
        return Err(line.bad("EXRULE is not supported (RFC 5545 deprecated it)"));
    }
    // A UTC start is shown in the calendar's own zone when it names one.
    let tz = match (found_tz, context.default_zone) {
        (utc, Some(zone)) if utc == Tz::UTC => zone,
        _ => found_tz,
    };
    let start = Stamp::Local(found_tz, found_start)
        .local_in(tz)
        .unwrap_or(found_start);
    let duration_min = match duration_min(event, found_tz, found_start, context)? {
        Length::Minutes(minutes) => minutes,
        Length::Unstated => DEFAULT_DURATION_MIN,
        Length::NotASession(reason) => return Ok(Master::NotASession(reason.into())),
    };
    let mut changes = Vec::new();
    let mut extra_starts = Vec::new();
    for line in event.all("RDATE") {
        for value in line.value.split(',') {
            let (begin, end) = match value.split_once('/') {
                Some((begin, end)) if line.param("VALUE") == Some("PERIOD") => (begin, Some(end)),
                _ => (value, None),
            };
            let original = match stamp(line, begin, context)? {
                Stamp::AllDay(date) => date.and_time(start.time()),
                stamp => stamp.local_in(tz).unwrap_or(start),
            };
            extra_starts.push(format_local(original));
            if let Some(end) = end {
                let minutes = period_minutes(line, begin, end, context)?;
                if minutes != duration_min {
                    changes.push(OccurrenceChange {
                        cancelled: false,
                        duration_min: Some(minutes),
                        ..cancellation(original, false)
                    });
                }
            }
        }
    }
    let rules: Vec<&Line<'_>> = event.all("RRULE").collect();
    let mut texts = Vec::new();
    for line in &rules {
        let text = local_rule(line, tz)?;
        super::rules::rule_set(start, std::slice::from_ref(&text), &[], true)
            .map_err(|reason| line.bad(reason))?;
        texts.push(text);
    }
    for line in event.all("EXDATE") {
        for value in line.value.split(',') {
            // Some exporters write a date-only EXDATE for a timed series:
            // it still cancels that day's session.
            let original = match stamp(line, value, context)? {
                Stamp::AllDay(date) => date.and_time(start.time()),
                stamp => stamp.local_in(tz).unwrap_or(start),
            };
            changes.push(cancellation(original, false));
        }
    }
    let recurrence = if texts.is_empty() && extra_starts.is_empty() {
        None
    } else {
        Some(recurrence(texts, extra_starts, start))
    };
    let title = event
        .text("SUMMARY")
        .unwrap_or_else(|| "Session".to_string());
    let (location, video_url) = place(event);
    Ok(Master::Series(Box::new(SessionSeries {
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
    })))
}

/// The model's recurrence: the typed fields when one simple rule says it
/// all (so the phone's editor and protocol v1 can show it), the rule text
/// otherwise.
fn recurrence(rules: Vec<String>, extra_starts: Vec<String>, start: NaiveDateTime) -> Recurrence {
    let first = rules
        .first()
        .map(String::as_str)
        .unwrap_or("FREQ=DAILY;COUNT=1");
    let mut typed = Recurrence {
        frequency: Frequency::Daily,
        interval: 1,
        weekdays: Vec::new(),
        until: None,
        count: None,
        rules: Vec::new(),
        extra_starts,
    };
    let mut simple = rules.len() <= 1;
    for part in first.split(';') {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        let value = value.trim();
        match key.trim().to_ascii_uppercase().as_str() {
            "FREQ" => match Frequency::parse_rfc5545(value) {
                Some(frequency) => typed.frequency = frequency,
                None => simple = false,
            },
            "INTERVAL" => match value.parse::<u32>() {
                Ok(n @ 1..=52) => typed.interval = n,
                _ => simple = false,
            },
            "COUNT" => match value.parse::<u32>() {
                Ok(n @ 1..=1000) => typed.count = Some(n),
                _ => simple = false,
            },
            "UNTIL" => {
                typed.until = until_text(value);
                simple &= typed.until.is_some();
            }
            "BYDAY" => {
                for day in value.split(',') {
                    match Weekday::parse(day.trim()).filter(|_| day.trim().len() == 2) {
                        Some(day) => typed.weekdays.push(day),
                        None => simple = false,
                    }
                }
            }
            "WKST" if value.eq_ignore_ascii_case("MO") => {}
            _ => simple = false,
        }
    }
    // The typed rule follows the phone's editor: a first start outside the
    // rule is not an occurrence there, but is one in RFC 5545.
    let start_day = Weekday::from_chrono(chrono::Datelike::weekday(&start.date()));
    simple &= matches!(typed.frequency, Frequency::Daily | Frequency::Weekly)
        && (typed.weekdays.is_empty() || typed.weekdays.contains(&start_day))
        && typed.extra_starts.is_empty()
        && !rules.is_empty();
    if !simple {
        typed.rules = rules;
    }
    typed
}

fn until_text(value: &str) -> Option<String> {
    if value.len() == 8 {
        let date = NaiveDate::parse_from_str(value, "%Y%m%d").ok()?;
        return Some(super::local_time::format_date(date));
    }
    let local = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").ok()?;
    Some(format_local(local))
}

/// The rule with its `UNTIL` as clinic-local wall-clock time (a UTC `UNTIL`
/// is converted into `tz`), the form [`super::rules`] expands.
fn local_rule(line: &Line<'_>, tz: Tz) -> Found<String> {
    let mut parts = Vec::new();
    for part in line.value.split(';').filter(|p| !p.trim().is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| line.bad("expected KEY=VALUE parts"))?;
        let key = key.trim().to_ascii_uppercase();
        let value = value.trim();
        if key == "UNTIL" {
            let until = if let Some(utc) = value.strip_suffix('Z') {
                let naive = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
                    .map_err(|_| line.bad("UNTIL must be a date or date-time"))?;
                Utc.from_utc_datetime(&naive)
                    .with_timezone(&tz)
                    .naive_local()
                    .format("%Y%m%dT%H%M%S")
                    .to_string()
            } else {
                value.to_string()
            };
            parts.push(format!("UNTIL={until}"));
        } else {
            parts.push(format!("{key}={value}"));
        }
    }
    Ok(parts.join(";"))
}

fn cancellation(original: NaiveDateTime, this_and_future: bool) -> OccurrenceChange {
    OccurrenceChange {
        original_start_local: format_local(original),
        cancelled: true,
        start_local: None,
        duration_min: None,
        title: None,
        location: None,
        this_and_future,
    }
}

/// An override's change, and a note for the report when the override makes
/// the occurrence something that is not a session.
fn override_change(
    event: &Component<'_>,
    series: &SessionSeries,
    context: &Context,
) -> Found<(OccurrenceChange, Option<&'static str>)> {
    let tz: Tz = series.time_zone.parse().unwrap_or(Tz::UTC);
    let series_start =
        super::local_time::parse_local("start", &series.start_local).map_err(|_| Bad {
            line: event.line,
            property: "VEVENT".into(),
            reason: "its series has no valid start".into(),
        })?;
    let id_line = event.one("RECURRENCE-ID").ok_or_else(|| Bad {
        line: event.line,
        property: "RECURRENCE-ID".into(),
        reason: "missing".into(),
    })?;
    let original = match stamp(id_line, &id_line.value, context)? {
        Stamp::AllDay(date) => date.and_time(series_start.time()),
        stamp => stamp.local_in(tz).unwrap_or(series_start),
    };
    let this_and_future = id_line
        .param("RANGE")
        .is_some_and(|r| r.eq_ignore_ascii_case("THISANDFUTURE"));
    if event.cancelled() {
        return Ok((cancellation(original, this_and_future), None));
    }
    let mut start_local = None;
    let mut duration = None;
    if let Some(line) = event.one("DTSTART") {
        match stamp(line, &line.value, context)? {
            Stamp::Local(found_tz, found) => {
                let moved = Stamp::Local(found_tz, found).local_in(tz).unwrap_or(found);
                if moved != original {
                    start_local = Some(format_local(moved));
                }
                let minutes = match duration_min(event, found_tz, found, context)? {
                    Length::Minutes(minutes) => minutes,
                    Length::Unstated => DEFAULT_DURATION_MIN,
                    Length::NotASession(_) => {
                        return Ok((
                            cancellation(original, this_and_future),
                            Some("an occurrence changed to zero length or over 14 days is not a session; it shows as cancelled"),
                        ));
                    }
                };
                duration = Some(minutes).filter(|m| *m != series.duration_min);
            }
            Stamp::AllDay(_) => {
                return Ok((
                    cancellation(original, this_and_future),
                    Some("an occurrence moved to an all-day event is not a session; it shows as cancelled"),
                ));
            }
        }
    }
    let title = event.text("SUMMARY").filter(|t| *t != series.title);
    let (location, _) = place(event);
    Ok((
        OccurrenceChange {
            original_start_local: format_local(original),
            cancelled: false,
            start_local,
            duration_min: duration,
            title,
            location: location.filter(|l| Some(l) != series.location.as_ref()),
            this_and_future,
        },
        None,
    ))
}

enum Length {
    Minutes(u32),
    Unstated,
    NotASession(&'static str),
}

fn duration_min(
    event: &Component<'_>,
    start_tz: Tz,
    start: NaiveDateTime,
    context: &Context,
) -> Found<Length> {
    let minutes = if let Some(line) = event.one("DTEND") {
        let end = match stamp(line, &line.value, context) {
            // A DTEND without TZID is in the start's zone.
            Err(_) if line.param("TZID").is_none() && !line.value.trim().ends_with('Z') => {
                let local = NaiveDateTime::parse_from_str(line.value.trim(), "%Y%m%dT%H%M%S")
                    .map_err(|_| line.bad("expected a date-time YYYYMMDDTHHMMSS"))?;
                Stamp::Local(start_tz, local)
            }
            other => other?,
        };
        let Stamp::Local(end_tz, end) = end else {
            return Err(line.bad("is a date but DTSTART is a date-time"));
        };
        let begin: DateTime<Utc> = super::local_time::resolve(start_tz, start);
        let finish: DateTime<Utc> = super::local_time::resolve(end_tz, end);
        (finish - begin).num_minutes()
    } else if let Some(line) = event.one("DURATION") {
        iso_duration_min(line)?
    } else {
        return Ok(Length::Unstated);
    };
    Ok(length(minutes))
}

fn length(minutes: i64) -> Length {
    if minutes <= 0 {
        Length::NotASession("zero-length event (not a session)")
    } else if minutes > i64::from(MAX_DURATION_MIN) {
        Length::NotASession("longer than 14 days (not a session)")
    } else {
        Length::Minutes(minutes as u32)
    }
}

/// The length of an `RDATE;VALUE=PERIOD` (`start/end` or `start/duration`).
fn period_minutes(line: &Line<'_>, begin: &str, end: &str, context: &Context) -> Found<u32> {
    let first = stamp(line, begin, context)?;
    let minutes = if end.trim_start_matches(['+', '-']).starts_with('P') {
        iso_duration_text(line, end)?
    } else {
        match (first, stamp(line, end, context)?) {
            (Stamp::Local(a_tz, a), Stamp::Local(b_tz, b)) => (super::local_time::resolve(b_tz, b)
                - super::local_time::resolve(a_tz, a))
            .num_minutes(),
            _ => return Err(line.bad("a period must be two date-times")),
        }
    };
    match length(minutes) {
        Length::Minutes(m) => Ok(m),
        _ => Err(line.bad("a period must last 1 minute to 14 days")),
    }
}

/// `P1W`, `PT1H30M`, `P1DT2H`… (no months or years in RFC 5545 durations).
fn iso_duration_min(line: &Line<'_>) -> Found<i64> {
    iso_duration_text(line, &line.value)
}

fn iso_duration_text(line: &Line<'_>, text: &str) -> Found<i64> {
    let bad = || line.bad("expected a duration like PT1H30M");
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
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
    Ok(if negative {
        -seconds / 60
    } else {
        seconds / 60
    })
}

/// LOCATION, URL: a location that is a link is the video link.
fn place(event: &Component<'_>) -> (Option<String>, Option<String>) {
    let location = event.text("LOCATION");
    let url = event.text("URL");
    match location {
        Some(l) if l.starts_with("https://") || l.starts_with("http://") => (None, url.or(Some(l))),
        other => (other, url),
    }
}

/// The session kind from CATEGORIES, else from words in the title.
fn kind(event: &Component<'_>, title: &str) -> SessionKind {
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

    /// The skipped items as (line, component, reason start).
    fn skips(text: &str) -> Vec<(u32, String, String)> {
        parse(text)
            .unwrap()
            .skipped
            .into_iter()
            .map(|s| (s.line, s.component, s.reason))
            .collect()
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
        assert!(rule.rules.is_empty(), "a simple rule stays typed");
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
        // The all-day closure is reported, not imported.
        assert_eq!(
            skips(CLINIC),
            [(
                42,
                "VEVENT".to_string(),
                "all-day event (not a session)".to_string()
            )]
        );
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
    fn a_broken_event_is_skipped_with_its_line_and_the_others_import() {
        let cases = [
            // (change, line, component, reason start)
            (
                CLINIC.replace("FREQ=WEEKLY;BYDAY", "FREQ=FORTNIGHTLY;BYDAY"),
                15,
                "RRULE",
                "is not a valid",
            ),
            (
                CLINIC.replace(
                    "DTSTART;TZID=America/New_York:20260302",
                    "DTSTART;TZID=Mars/Olympus:20260302",
                ),
                13,
                "DTSTART",
                "TZID is neither",
            ),
            (
                CLINIC.replace("20260304T150000Z", "2026-03-04"),
                39,
                "DTSTART",
                "expected a date",
            ),
            (
                CLINIC.replace("CATEGORIES:GROUP", "CATEGORIES GROUP"),
                11,
                "VEVENT",
                "malformed event: a line has no ':'",
            ),
            (
                CLINIC.replace("PT50M", "PT50X"),
                40,
                "DURATION",
                "expected a duration",
            ),
            (
                CLINIC.replace("PT50M", "PT0M"),
                35,
                "VEVENT",
                "zero-length event",
            ),
            (
                CLINIC.replace("CATEGORIES:GROUP", "EXRULE:FREQ=DAILY"),
                11,
                "EXRULE",
                "EXRULE is not supported",
            ),
        ];
        for (text, line, component, reason) in cases {
            let calendar = parse(&text).unwrap();
            let found = calendar
                .skipped
                .iter()
                .find(|s| s.component == component && s.reason.starts_with(reason));
            let skip =
                found.unwrap_or_else(|| panic!("{component} {reason}: {:?}", calendar.skipped));
            assert_eq!(skip.line, line, "{reason}");
            assert!(skip.uid.is_some(), "{reason}");
            // Exactly one series is lost; the other still imports.
            assert_eq!(calendar.series.len(), 1, "{reason}");
        }
    }

    #[test]
    fn only_a_file_that_is_no_calendar_is_refused_whole() {
        match parse("hello") {
            Err(Error::Invalid { field, .. }) => assert_eq!(field, "calendar line 1 (VCALENDAR)"),
            other => panic!("expected an invalid-calendar error, got {other:?}"),
        }
        // A calendar cut short still gives its complete events.
        let cut = &CLINIC[..CLINIC.find("BEGIN:VEVENT\r\nUID:holiday").unwrap()];
        let calendar = parse(cut).unwrap();
        assert_eq!(calendar.series.len(), 2);
        assert!(calendar
            .skipped
            .iter()
            .any(|s| s.reason.contains("never closed")));
    }

    #[test]
    fn other_components_and_malformed_x_properties_are_counted_not_fatal() {
        let text = CLINIC.replace(
            "BEGIN:VEVENT\r\nUID:intake",
            "BEGIN:VTODO\r\nUID:todo-1\r\nEND:VTODO\r\nBEGIN:VJOURNAL\r\nEND:VJOURNAL\r\n\
BEGIN:VFREEBUSY\r\nFREEBUSY:broken\r\nEND:VFREEBUSY\r\nX-BROKEN-WITHOUT-VALUE\r\n\
BEGIN:VEVENT\r\nX-ALSO BROKEN\r\nUID:intake",
        );
        let calendar = parse(&text).unwrap();
        assert_eq!(calendar.series.len(), 2);
        let found: Vec<(String, Option<String>)> = calendar
            .skipped
            .iter()
            .map(|s| (s.component.clone(), s.uid.clone()))
            .collect();
        for (component, uid) in [
            ("VTODO", Some("todo-1")),
            ("VJOURNAL", None),
            ("VFREEBUSY", None),
            ("X-BROKEN-WITHOUT-VALUE", None),
            ("X-ALSO", None),
        ] {
            assert!(
                found.contains(&(component.to_string(), uid.map(String::from))),
                "{component}: {found:?}"
            );
        }
    }

    #[test]
    fn a_component_never_closed_does_not_swallow_the_next_events() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VTODO\nUID:t\nEND:VTOOD\nBEGIN:VEVENT\nUID:g\n\
DTSTART;TZID=Europe/Paris:20260302T100000\nDURATION:PT1H\nEND:VEVENT\nEND:VCALENDAR\n";
        let calendar = parse(text).unwrap();
        assert_eq!(calendar.series.len(), 1);
        assert_eq!(calendar.skipped[0].component, "VTODO");
    }

    #[test]
    fn reasons_never_quote_the_calendar() {
        let bad = CLINIC
            .replace("FREQ=WEEKLY;BYDAY", "FREQ=WEEKLY;BYSECRET=therapy;BYDAY")
            .replace(
                "TZID=America/New_York:20260302T18",
                "TZID=Room therapy:20260302T18",
            );
        for skip in parse(&bad).unwrap().skipped {
            assert!(
                !skip.reason.contains("therapy") && !skip.reason.contains("Room"),
                "{}",
                skip.reason
            );
        }
    }

    #[test]
    fn all_day_series_with_a_moved_instance_does_not_break_the_calendar() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:closed\nDTSTART;VALUE=DATE:20260301\n\
RRULE:FREQ=WEEKLY\nEND:VEVENT\nBEGIN:VEVENT\nUID:closed\nRECURRENCE-ID;VALUE=DATE:20260308\n\
DTSTART;VALUE=DATE:20260309\nEND:VEVENT\nBEGIN:VEVENT\nUID:g\n\
DTSTART;TZID=Europe/Paris:20260302T100000\nDURATION:PT1H\nEND:VEVENT\nEND:VCALENDAR\n";
        let calendar = parse(text).unwrap();
        assert_eq!(calendar.series.len(), 1);
        assert_eq!(calendar.skipped.len(), 2);
        assert!(calendar.skipped[1]
            .reason
            .starts_with("override skipped: all-day"));
    }

    #[test]
    fn overrides_this_and_future_all_day_and_outside_the_rule() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:g\n\
DTSTART;TZID=Europe/Paris:20260302T100000\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;BYDAY=MO\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:g\nRECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Paris:20260316T100000\n\
DTSTART;TZID=Europe/Paris:20260316T110000\nDURATION:PT1H\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:g\nRECURRENCE-ID;TZID=Europe/Paris:20260309T100000\n\
DTSTART;VALUE=DATE:20260309\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:g\nRECURRENCE-ID;TZID=Europe/Paris:20260304T100000\n\
DTSTART;TZID=Europe/Paris:20260305T100000\nDURATION:PT2H\nEND:VEVENT\nEND:VCALENDAR\n";
        let calendar = parse(text).unwrap();
        let changes = &calendar.series[0].changes;
        assert!(changes[0].this_and_future);
        assert_eq!(changes[0].start_local.as_deref(), Some("2026-03-16T11:00"));
        assert!(changes[1].cancelled, "an all-day override is not a session");
        assert_eq!(changes[2].original_start_local, "2026-03-04T10:00");
        assert_eq!(changes[2].duration_min, Some(120));
        assert!(calendar.skipped[0].reason.contains("all-day"));
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
                broken: None,
            };
            assert_eq!(iso_duration_min(&line).unwrap(), minutes, "{value}");
        }
    }
}
