//! Loading progress facts from storage: lapses, cravings, daily check-ins,
//! session occurrences and doses, reduced to the plain facts the metrics
//! read. Only the columns a metric needs are read, and cravings only as far
//! back as the period (plus the week the first moving average looks at).

use super::craving_days;
use super::days::{stored_date, stored_zone};
use super::facts::DayTally;
use super::facts::{DoseFact, Facts, OccurrenceFact, UseEvent};
use super::rows::{day_start_ms, json_list, ZONE_SLACK_HOURS};
use super::settings::{self, CheckedSettings};
use super::Program;
use crate::{Result, Steady};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Connection;
use std::collections::BTreeMap;

impl Steady {
    /// The phone's local date now.
    pub(crate) fn local_today(&self) -> Result<NaiveDate> {
        Ok(self.now().with_timezone(&self.zone()?).date_naive())
    }

    /// The program facts, with the start date defaulting to the day Steady
    /// was set up (stored at the first open, so it never moves).
    pub(crate) fn program(&self, today: NaiveDate) -> Result<(Program, Vec<UseEvent>)> {
        self.read(|conn| {
            let CheckedSettings {
                program_start,
                weekly_hours,
                prior,
                prior_uses,
            } = settings::check(&settings::load(conn)?, None)?;
            let start = match program_start {
                Some(start) => start,
                None => super::setup::set_up_on(conn)?.unwrap_or(today).min(today),
            };
            let program = Program {
                start,
                weekly_hours,
                substances: tracked_substances(conn)?,
                prior,
            };
            Ok((program, prior_uses))
        })
    }

    /// Every recorded use: lapses, cravings that ended in use, check-ins
    /// answering "used today", and imported prior uses.
    pub(crate) fn uses(&self, prior_uses: Vec<UseEvent>) -> Result<Vec<UseEvent>> {
        self.read(|conn| {
            let mut uses = prior_uses;
            for sql in [
                "SELECT occurred_at_ms, time_zone, substances FROM lapse
                 WHERE deleted_at_ms IS NULL",
                "SELECT occurred_at_ms, time_zone, substances FROM craving
                 WHERE deleted_at_ms IS NULL AND outcome = 'used'",
            ] {
                let mut stmt = conn.prepare_cached(sql)?;
                let rows = stmt.query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })?;
                for row in rows {
                    let (at_ms, zone, substances) = row?;
                    uses.push(UseEvent::at(
                        at_ms,
                        stored_zone(&zone)?,
                        json_list(&substances)?,
                    ));
                }
            }
            // A use with no substance named counts against every tracked one.
            let mut stmt = conn.prepare_cached(
                "SELECT local_date, substances FROM daily_checkin WHERE used_today = 1",
            )?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (date, substances) = row?;
                uses.push(UseEvent {
                    date: stored_date(&date)?,
                    substances: json_list(&substances)?,
                });
            }
            Ok(uses)
        })
    }

    /// Cravings whose local date may be on or after `first`, read row by
    /// row: what the stored per-day tallies are checked against.
    #[cfg(test)]
    pub(crate) fn craving_facts(&self, first: NaiveDate) -> Result<Vec<super::facts::CravingFact>> {
        use super::rows::{craving_rows, ZONE_SLACK_MS};
        let from_ms = day_start_ms(first) - ZONE_SLACK_MS;
        self.read(|conn| craving_rows(conn, from_ms, i64::MAX))
    }

    /// The stored craving tallies of the local dates `[first, last]`.
    pub(crate) fn craving_days(
        &self,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<BTreeMap<NaiveDate, DayTally>> {
        self.read(|conn| craving_days::stored(conn, first, last))
    }

    pub(crate) fn checkin_dates(&self) -> Result<Vec<NaiveDate>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached("SELECT local_date FROM daily_checkin")?;
            let dates = stmt.query_map([], |r| r.get::<_, String>(0))?;
            dates.map(|d| stored_date(&d?)).collect()
        })
    }

    /// Occurrences whose clinic-local date may fall in `[first, last]`.
    pub(crate) fn occurrence_facts(
        &self,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<OccurrenceFact>> {
        let slack = Duration::hours(ZONE_SLACK_HOURS).num_milliseconds();
        let from = instant(day_start_ms(first) - slack);
        let to = instant(day_start_ms(last + Duration::days(1)) + slack);
        // A program lasts years: progress reads its whole span, unlike the
        // bounded ranges the schedule screens ask for.
        let now = self.now();
        self.snapshot(|conn| crate::schedule::store::occurrences_over(conn, from, to, now))?
            .into_iter()
            .map(|o| {
                Ok(OccurrenceFact {
                    start_ms: o.start_ms,
                    zone: stored_zone(&o.time_zone)?,
                    duration_min: o.duration_min,
                    status: o.status,
                })
            })
            .collect()
    }

    /// Doses due on the local dates `[first, last]`, counted from the plans
    /// and the answers by local time.
    pub(crate) fn dose_facts(&self, first: NaiveDate, last: NaiveDate) -> Result<Vec<DoseFact>> {
        let zone = self.zone()?;
        let doses =
            self.snapshot(|conn| crate::schedule::store::dose_answers(conn, zone, first, last))?;
        Ok(doses
            .into_iter()
            .map(|dose| DoseFact {
                due_date: dose.due_local.date(),
                medication_id: dose.medication_id,
                name: dose.name,
                due_ms: dose.due_ms,
                answer: dose.answer,
            })
            .collect())
    }

    /// The same doses from the listing the schedule shows (`doses_due`):
    /// what the counted doses are checked against.
    #[cfg(test)]
    pub(crate) fn listed_dose_facts(
        &self,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<DoseFact>> {
        let zone = self.zone()?;
        self.snapshot(|conn| crate::schedule::store::doses_with_answers(conn, zone, first, last))?
            .into_iter()
            .map(|dose| {
                Ok(DoseFact {
                    due_date: stored_date(dose.due_local.get(..10).unwrap_or_default())?,
                    medication_id: dose.medication_id.into(),
                    name: dose.name.into(),
                    due_ms: dose.due_ms,
                    answer: dose.confirmation.map(|c| c.status),
                })
            })
            .collect()
    }

    /// All facts for a period starting `first`, as of `today`.
    pub(crate) fn facts(
        &self,
        first: NaiveDate,
        today: NaiveDate,
        prior_uses: Vec<UseEvent>,
    ) -> Result<Facts> {
        let lookback = first.min(today - Duration::days(13)) - Duration::days(6);
        let month = today - Duration::days(29);
        Ok(Facts {
            uses: self.uses(prior_uses)?,
            occurrences: self.occurrence_facts(first, today + Duration::days(6))?,
            doses: self.dose_facts(first.min(month), today)?,
            craving_days: self.craving_days(lookback, today)?,
            checkin_dates: self.checkin_dates()?,
        })
    }
}

fn tracked_substances(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT name FROM tracked_substance ORDER BY position")?;
    let names = stmt.query_map([], |r| r.get(0))?;
    Ok(names.collect::<Result<_, _>>()?)
}

fn instant(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}
