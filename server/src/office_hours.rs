//! A clinic's hours and on-call settings: its time zone, the days and hours
//! it is open, the reply time it promises for messages, who is on call out
//! of hours, and how long a safety flag may wait unacknowledged before the
//! alert goes to the next person. Kept as `clinic:<id>:<key>` rows in
//! `settings`.

use crate::error::{ApiError, ApiResult};
use crate::store::{DbError, Tx};
use crate::validate;
use chrono::{Datelike, Duration, NaiveTime, TimeZone, Timelike, Utc};
use steady_core::Tz;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicHours {
    pub time_zone: String,
    /// Open weekdays, `mon`..`sun`.
    pub days: Vec<String>,
    /// `HH:MM`.
    pub opens: String,
    pub closes: String,
    /// Promised reply time for messages, in business hours.
    pub reply_hours: i64,
    /// Email of the clinician on call out of hours (empty: none).
    pub on_call_email: String,
    /// Minutes a flag may stay unacknowledged before escalating.
    pub escalation_minutes: i64,
}

impl Default for ClinicHours {
    fn default() -> Self {
        ClinicHours {
            time_zone: "UTC".into(),
            days: ["mon", "tue", "wed", "thu", "fri"]
                .map(String::from)
                .to_vec(),
            opens: "09:00".into(),
            closes: "17:00".into(),
            reply_hours: 24,
            on_call_email: String::new(),
            escalation_minutes: 30,
        }
    }
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn key(clinic_id: &str, name: &str) -> String {
    format!("clinic:{clinic_id}:{name}")
}

fn get(tx: &mut dyn Tx, clinic_id: &str, name: &str) -> Result<Option<String>, DbError> {
    tx.query_opt(
        "SELECT value FROM settings WHERE key = $1",
        &[key(clinic_id, name).into()],
    )?
    .map(|row| row.text(0))
    .transpose()
}

fn put(tx: &mut dyn Tx, clinic_id: &str, name: &str, value: &str) -> Result<(), DbError> {
    tx.exec(
        "INSERT INTO settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[key(clinic_id, name).into(), value.into()],
    )?;
    Ok(())
}

pub fn load(tx: &mut dyn Tx, clinic_id: &str) -> Result<ClinicHours, DbError> {
    let d = ClinicHours::default();
    let int = |v: Option<String>, default: i64| v.and_then(|s| s.parse().ok()).unwrap_or(default);
    Ok(ClinicHours {
        time_zone: get(tx, clinic_id, "time_zone")?.unwrap_or(d.time_zone),
        days: get(tx, clinic_id, "days")?
            .map(|s| {
                s.split(',')
                    .map(String::from)
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or(d.days),
        opens: get(tx, clinic_id, "opens")?.unwrap_or(d.opens),
        closes: get(tx, clinic_id, "closes")?.unwrap_or(d.closes),
        reply_hours: int(get(tx, clinic_id, "reply_hours")?, d.reply_hours),
        on_call_email: get(tx, clinic_id, "on_call_email")?.unwrap_or(d.on_call_email),
        escalation_minutes: int(
            get(tx, clinic_id, "escalation_minutes")?,
            d.escalation_minutes,
        ),
    })
}

pub fn validate(hours: &ClinicHours) -> ApiResult<()> {
    validate::time_zone("time_zone", &hours.time_zone)?;
    if hours.days.iter().any(|d| !DAYS.contains(&d.as_str())) {
        return Err(ApiError::invalid("days", "must be mon to sun"));
    }
    validate::time_of_day("opens", &hours.opens)?;
    validate::time_of_day("closes", &hours.closes)?;
    if hours.closes <= hours.opens {
        return Err(ApiError::invalid("closes", "must be after opens"));
    }
    if !(1..=168).contains(&hours.reply_hours) {
        return Err(ApiError::invalid("reply_hours", "must be 1 to 168"));
    }
    if !hours.on_call_email.is_empty() {
        crate::staff::normalize_email(&hours.on_call_email)
            .map_err(|_| ApiError::invalid("on_call_email", "is not an email address"))?;
    }
    if !(1..=1440).contains(&hours.escalation_minutes) {
        return Err(ApiError::invalid("escalation_minutes", "must be 1 to 1440"));
    }
    Ok(())
}

pub fn save(tx: &mut dyn Tx, clinic_id: &str, hours: &ClinicHours) -> ApiResult<()> {
    validate(hours)?;
    put(tx, clinic_id, "time_zone", &hours.time_zone)?;
    put(tx, clinic_id, "days", &hours.days.join(","))?;
    put(tx, clinic_id, "opens", &hours.opens)?;
    put(tx, clinic_id, "closes", &hours.closes)?;
    put(tx, clinic_id, "reply_hours", &hours.reply_hours.to_string())?;
    put(
        tx,
        clinic_id,
        "on_call_email",
        &hours.on_call_email.to_lowercase(),
    )?;
    put(
        tx,
        clinic_id,
        "escalation_minutes",
        &hours.escalation_minutes.to_string(),
    )?;
    Ok(())
}

impl ClinicHours {
    pub fn zone(&self) -> Tz {
        self.time_zone.parse().unwrap_or(Tz::UTC)
    }

    fn times(&self) -> (NaiveTime, NaiveTime) {
        let parse = |t: &str, d| NaiveTime::parse_from_str(t, "%H:%M").unwrap_or(d);
        (
            parse(&self.opens, NaiveTime::MIN),
            parse(&self.closes, NaiveTime::MIN),
        )
    }

    /// Whether the clinic is open at `ms`.
    pub fn is_open(&self, ms: i64) -> bool {
        let Some(t) = Utc.timestamp_millis_opt(ms).single() else {
            return false;
        };
        let local = t.with_timezone(&self.zone());
        let day = DAYS[local.weekday().num_days_from_monday() as usize];
        let (opens, closes) = self.times();
        let now = NaiveTime::from_hms_opt(local.hour(), local.minute(), 0).unwrap_or_default();
        self.days.iter().any(|d| d == day) && now >= opens && now < closes
    }

    /// The next time the clinic opens after `ms` (or `ms` while open).
    pub fn next_open_ms(&self, ms: i64) -> Option<i64> {
        if self.is_open(ms) {
            return Some(ms);
        }
        let zone = self.zone();
        let local = Utc.timestamp_millis_opt(ms).single()?.with_timezone(&zone);
        let (opens, _) = self.times();
        (0..8).find_map(|offset| {
            let date = local.date_naive() + Duration::days(offset);
            let day = DAYS[date.weekday().num_days_from_monday() as usize];
            let at = zone.from_local_datetime(&date.and_time(opens)).earliest()?;
            (self.days.iter().any(|d| d == day) && at.timestamp_millis() > ms)
                .then(|| at.timestamp_millis())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2027-01-04T12:00:00Z, a Monday: 07:00 in New York.
    const MONDAY_NOON_UTC: i64 = 1_799_064_000_000;

    #[test]
    fn open_hours_are_read_in_the_clinics_zone() {
        let hours = ClinicHours {
            time_zone: "America/New_York".into(),
            ..ClinicHours::default()
        };
        assert!(!hours.is_open(MONDAY_NOON_UTC));
        // Opens at 09:00 New York = 14:00 UTC the same day.
        assert_eq!(
            hours.next_open_ms(MONDAY_NOON_UTC),
            Some(MONDAY_NOON_UTC + 2 * 3_600_000)
        );
        assert!(hours.is_open(MONDAY_NOON_UTC + 3 * 3_600_000));
        // Friday 18:00 New York → Monday 09:00.
        let friday_evening = MONDAY_NOON_UTC + 4 * 86_400_000 + 11 * 3_600_000;
        assert_eq!(
            hours.next_open_ms(friday_evening),
            Some(MONDAY_NOON_UTC + 7 * 86_400_000 + 2 * 3_600_000)
        );
    }

    #[test]
    fn settings_are_checked_field_by_field() {
        let mut hours = ClinicHours::default();
        assert!(validate(&hours).is_ok());
        hours.closes = "08:00".into();
        assert!(validate(&hours).unwrap_err().reason.starts_with("closes:"));
        hours.closes = "17:00".into();
        hours.days.push("someday".into());
        assert!(validate(&hours).unwrap_err().reason.starts_with("days:"));
    }
}
