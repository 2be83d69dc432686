//! Wall-clock times and the rules that turn them into instants.
//!
//! Steady's DST rule, for every reminder and session: a local time that falls
//! in a spring-forward gap happens at the first valid instant after the gap (the
//! transition itself); a local time that falls in a fall-back fold happens
//! once, at its first occurrence. Nothing is skipped, nothing doubled.

use crate::zone::Tz;
use crate::{Error, Result};
use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Timelike, Utc,
};

/// The instant a wall-clock time in `tz` stands for, by the DST rule above.
pub fn resolve(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let local = local
        .with_second(0)
        .unwrap_or(local)
        .with_nanosecond(0)
        .unwrap_or(local);
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, second) => first.min(second).with_timezone(&Utc),
        LocalResult::None => after_gap(tz, local),
    }
}

/// The first valid minute after a gap is the transition instant itself:
/// transitions in the tz database fall on whole minutes.
fn after_gap(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let mut probe = local;
    // No zone has ever skipped more than a day of wall-clock time.
    for _ in 0..(24 * 60) {
        probe += Duration::minutes(1);
        if let Some(t) = tz.from_local_datetime(&probe).earliest() {
            return t.with_timezone(&Utc);
        }
    }
    Utc.from_utc_datetime(&local)
}

/// An instant as RFC 3339 with the offset `tz` has at that instant.
pub fn rfc3339_in(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

// Formatting and parsing are hand-written: chrono's strftime machinery
// re-parses its pattern on every call, which dominated planning time.

pub fn format_local(local: NaiveDateTime) -> String {
    format!(
        "{}T{:02}:{:02}",
        format_date(local.date()),
        local.hour(),
        local.minute()
    )
}

pub fn format_date(date: NaiveDate) -> String {
    let (year, month, day) = (date.year(), date.month(), date.day());
    match u32::try_from(year) {
        // Digit by digit: `format!` costs more than the rest of a five-year
        // report's per-day figures.
        Ok(year) if year <= 9999 => {
            let mut text = String::with_capacity(10);
            for (value, width) in [(year, 4), (month, 2), (day, 2)] {
                if width == 2 {
                    text.push('-');
                }
                for place in (0..width).rev() {
                    let digit = value / 10u32.pow(place) % 10;
                    text.push(char::from(b'0' + digit as u8));
                }
            }
            text
        }
        _ => format!("{year:04}-{month:02}-{day:02}"),
    }
}

/// The date of a `YYYY-MM-DD` in exactly that form (no spaces, four-digit
/// year), as [`format_date`] writes it: the text is that date's and no
/// other's. None for any other text.
pub fn parse_canonical_date(text: &str) -> Option<NaiveDate> {
    match text.as_bytes() {
        [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] => NaiveDate::from_ymd_opt(
            digits(&[*y0, *y1, *y2, *y3])? as i32,
            digits(&[*m0, *m1])?,
            digits(&[*d0, *d1])?,
        ),
        _ => None,
    }
}

/// The wall-clock time of a `YYYY-MM-DDTHH:MM` in exactly the form
/// [`format_local`] writes, so that `format_local` of the result is `text`.
/// None for any other text.
pub fn parse_canonical_local(text: &str) -> Option<NaiveDateTime> {
    let (date, time) = (text.get(..10)?, text.get(10..)?);
    match time.as_bytes() {
        [b'T', h0, h1, b':', m0, m1] => {
            parse_canonical_date(date)?.and_hms_opt(digits(&[*h0, *h1])?, digits(&[*m0, *m1])?, 0)
        }
        _ => None,
    }
}

/// ASCII digits as a number; none when any byte is not a digit.
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

pub fn format_time(time: NaiveTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// Parses a wall-clock `YYYY-MM-DDTHH:MM`.
pub fn parse_local(field: &str, text: &str) -> Result<NaiveDateTime> {
    let bad = || Error::invalid(field, "expected a local date and time YYYY-MM-DDTHH:MM");
    let text = text.trim();
    let (date, time) = text.split_once('T').ok_or_else(bad)?;
    if time.len() != 5 {
        return Err(bad());
    }
    let date = parse_date(field, date).map_err(|_| bad())?;
    let time = parse_time(field, time).map_err(|_| bad())?;
    Ok(date.and_time(time))
}

pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    let text = text.trim();
    let parts = (text.len() == 10 && text.get(4..5) == Some("-") && text.get(7..8) == Some("-"))
        .then(|| {
            Some((
                number(text.get(0..4)?)?,
                number(text.get(5..7)?)?,
                number(text.get(8..10)?)?,
            ))
        })
        .flatten();
    parts
        .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y as i32, m, d))
        .ok_or_else(|| Error::invalid(field, "expected a date YYYY-MM-DD"))
}

/// Parses a time of day `HH:MM` (24-hour; `H:MM` is accepted).
pub fn parse_time(field: &str, text: &str) -> Result<NaiveTime> {
    text.trim()
        .split_once(':')
        .filter(|(h, m)| (1..=2).contains(&h.len()) && m.len() == 2)
        .and_then(|(h, m)| NaiveTime::from_hms_opt(number(h)?, number(m)?, 0))
        .ok_or_else(|| Error::invalid(field, "expected a time of day HH:MM"))
}

/// Parses a UTC offset `+HHMM`, `-HHMM` or `+HHMMSS` into seconds east of UTC.
pub fn parse_offset_seconds(text: &str) -> Option<i32> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    if digits.len() != 4 && digits.len() != 6 {
        return None;
    }
    let hours = number(digits.get(0..2)?)?;
    let minutes = number(digits.get(2..4)?)?;
    let seconds = match digits.get(4..6) {
        Some(s) if !s.is_empty() => number(s)?,
        _ => 0,
    };
    if hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60 + seconds) as i32)
}

fn number(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_as_format_would_and_read_back_only_in_that_form() {
        let mut date = NaiveDate::from_ymd_opt(-3, 12, 25).unwrap();
        let last = NaiveDate::from_ymd_opt(10_001, 1, 3).unwrap();
        while date <= last {
            let text = format_date(date);
            let expected = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
            assert_eq!(text, expected);
            let canonical = (0..=9999).contains(&date.year()).then_some(date);
            assert_eq!(parse_canonical_date(&text), canonical, "{text}");
            let local = date.and_hms_opt(7, 5, 0).unwrap();
            assert_eq!(
                parse_canonical_local(&format_local(local)),
                canonical.map(|_| local)
            );
            // Step through the edges of every year, and every day of some.
            date = if date.year() % 997 == 0 || date.ordinal() > 360 || date.ordinal() < 5 {
                date + Duration::days(1)
            } else {
                date + Duration::days(7)
            };
        }
        for text in [
            "2026-3-05",
            " 2026-03-05",
            "2026-03-05 ",
            "+026-03-05",
            "2026-02-30",
            "2026/03/05",
            "2026-03-0a",
            "20260-03-05",
        ] {
            assert_eq!(parse_canonical_date(text), None, "{text}");
        }
        for text in [
            "2026-03-05T8:00",
            "2026-03-05T08:00 ",
            "2026-03-05 08:00",
            "2026-03-05T24:00",
            "2026-03-05T08:60",
            "2026-03-05T08:00:00",
        ] {
            assert_eq!(parse_canonical_local(text), None, "{text}");
        }
    }

    fn at(text: &str) -> NaiveDateTime {
        parse_local("at", text).unwrap()
    }

    fn resolved(zone: Tz, local: &str) -> String {
        rfc3339_in(zone, resolve(zone, at(local)))
    }

    #[test]
    fn new_york_gap_fires_at_the_transition() {
        let ny = crate::zone::Tz::named("America/New_York").unwrap();
        assert_eq!(
            resolved(ny, "2026-03-08T02:30"),
            "2026-03-08T03:00:00-04:00"
        );
        assert_eq!(
            resolved(ny, "2026-03-08T02:00"),
            "2026-03-08T03:00:00-04:00"
        );
        assert_eq!(
            resolved(ny, "2026-03-08T03:00"),
            "2026-03-08T03:00:00-04:00"
        );
    }

    #[test]
    fn new_york_fold_fires_at_the_first_occurrence() {
        let ny = crate::zone::Tz::named("America/New_York").unwrap();
        assert_eq!(
            resolved(ny, "2026-11-01T01:30"),
            "2026-11-01T01:30:00-04:00"
        );
    }

    #[test]
    fn london_gap_and_fold() {
        let london = crate::zone::Tz::named("Europe/London").unwrap();
        assert_eq!(
            resolved(london, "2026-03-29T01:15"),
            "2026-03-29T02:00:00+01:00"
        );
        assert_eq!(
            resolved(london, "2026-10-25T01:15"),
            "2026-10-25T01:15:00+01:00"
        );
    }

    #[test]
    fn sydney_gap_in_october_and_fold_in_april() {
        let sydney = crate::zone::Tz::named("Australia/Sydney").unwrap();
        assert_eq!(
            resolved(sydney, "2026-10-04T02:30"),
            "2026-10-04T03:00:00+11:00"
        );
        assert_eq!(
            resolved(sydney, "2026-04-05T02:30"),
            "2026-04-05T02:30:00+11:00"
        );
    }

    #[test]
    fn half_hour_gap_of_lord_howe() {
        let lord_howe = crate::zone::Tz::named("Australia/Lord_Howe").unwrap();
        assert_eq!(
            resolved(lord_howe, "2026-10-04T02:10"),
            "2026-10-04T02:30:00+11:00"
        );
    }

    #[test]
    fn parse_errors_name_the_field() {
        match parse_time("times", "25:00") {
            Err(Error::Invalid { field, .. }) => assert_eq!(field, "times"),
            other => panic!("expected invalid, got {other:?}"),
        }
        for bad in [
            "2026-01-01 09:00",
            "2026-01-01T9:00",
            "2026-01-01T09:00:00",
            "+026-01-01T09:00",
        ] {
            assert!(parse_local("start_local", bad).is_err(), "{bad}");
        }
        for bad in [
            "2026-02-30",
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "２０２６-01-01",
        ] {
            assert!(parse_date("start_date", bad).is_err(), "{bad}");
        }
        for bad in ["24:00", "08:60", "0800", "8:0", "-1:00", "08:+5"] {
            assert!(parse_time("times", bad).is_err(), "{bad}");
        }
        assert_eq!(format_local(at("2026-03-08T02:30")), "2026-03-08T02:30");
        assert_eq!(format_time(parse_time("t", "8:05").unwrap()), "08:05");
    }
}
