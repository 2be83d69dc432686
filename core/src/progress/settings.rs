//! The program settings progress is measured against: when the program
//! started, its weekly hours, sobriety dates the patient back-dates and prior
//! history imported from before Steady. Saving replaces them as a whole.
//! They stay on the phone: imported use history is sensitive, and no consent
//! category covers it (the clinic keeps its own program dates).

use super::days::format_date;
use super::facts::{SobrietyStart, UseEvent};
use super::sober::PriorHistory;
use crate::{validate, Error, Result, Steady};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// Most weekly hours a program can plan (IOP is 6–19; partial hospitalization
/// goes beyond 20).
pub const MAX_WEEKLY_HOURS: f64 = 60.0;
/// Most prior use days one import may hold.
pub const MAX_PRIOR_USES: usize = 10_000;
const MAX_SUBSTANCE_CHARS: usize = 100;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProgramSettings {
    /// `YYYY-MM-DD`; when absent, the first day anything was recorded.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub program_start_date: Option<String>,
    /// Hours of sessions a week the program plans, e.g. 9.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub weekly_program_hours: Option<f64>,
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub sobriety_dates: Vec<SobrietyDate>,
    /// Imported history is complete from this date (`YYYY-MM-DD`): its days
    /// without a listed use were sober.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub history_known_from: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub prior_uses: Vec<PriorUse>,
}

/// A back-dated first sober day, for one substance or (none) for all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SobrietyDate {
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub substance: Option<String>,
    pub first_sober_date: String,
}

/// A day of use from imported history; no substances means all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PriorUse {
    pub local_date: String,
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub substances: Vec<String>,
}

/// Settings parsed into dates, ready for the metrics.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CheckedSettings {
    pub program_start: Option<NaiveDate>,
    pub weekly_hours: Option<f64>,
    pub prior: PriorHistory,
    pub prior_uses: Vec<UseEvent>,
}

impl Steady {
    /// The saved program settings (all empty until set).
    pub fn program_settings(&self) -> Result<ProgramSettings> {
        self.read(load)
    }

    /// Replaces the program settings. Invalid input names the field and
    /// changes nothing.
    pub fn set_program_settings(&self, settings: ProgramSettings) -> Result<ProgramSettings> {
        let now = self.now();
        let today = now.with_timezone(&self.zone()?).date_naive();
        let settings = normalize(settings, today)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO program_settings (id, settings, updated_at_ms) VALUES (1, ?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET settings = excluded.settings,
                     updated_at_ms = excluded.updated_at_ms",
                params![encode(&settings)?, now.timestamp_millis()],
            )?;
            Ok(())
        })?;
        Ok(settings)
    }
}

pub(crate) fn load(conn: &Connection) -> Result<ProgramSettings> {
    let text: Option<String> = conn
        .query_row(
            "SELECT settings FROM program_settings WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    match text {
        None => Ok(ProgramSettings::default()),
        Some(text) => serde_json::from_str(&text)
            .map_err(|_| Error::Corrupt("stored program settings".into())),
    }
}

fn encode(settings: &ProgramSettings) -> Result<String> {
    serde_json::to_string(settings).map_err(|_| Error::Corrupt("program settings".into()))
}

/// Validates, trims and puts dates in canonical form.
fn normalize(settings: ProgramSettings, today: NaiveDate) -> Result<ProgramSettings> {
    let checked = check(&settings, Some(today))?;
    Ok(ProgramSettings {
        program_start_date: checked.program_start.map(format_date),
        weekly_program_hours: checked.weekly_hours,
        sobriety_dates: checked
            .prior
            .sobriety_starts
            .iter()
            .map(|s| SobrietyDate {
                substance: s.substance.clone(),
                first_sober_date: format_date(s.first_sober_day),
            })
            .collect(),
        history_known_from: checked.prior.known_from.map(format_date),
        prior_uses: checked
            .prior_uses
            .iter()
            .map(|u| PriorUse {
                local_date: format_date(u.date),
                substances: u.substances.clone(),
            })
            .collect(),
    })
}

/// Parses settings; `today`, when given, also rejects dates in the future
/// (stored settings were checked when saved and are read without it).
pub(crate) fn check(
    settings: &ProgramSettings,
    today: Option<NaiveDate>,
) -> Result<CheckedSettings> {
    let past = |field: &str, text: &str| -> Result<NaiveDate> {
        let date = date(field, text)?;
        if today.is_some_and(|t| date > t) {
            return Err(Error::invalid(field, "is in the future"));
        }
        Ok(date)
    };
    let program_start = settings
        .program_start_date
        .as_deref()
        .map(|t| past("program_start_date", t))
        .transpose()?;
    let weekly_hours = match settings.weekly_program_hours {
        Some(h) if !(h.is_finite() && h > 0.0 && h <= MAX_WEEKLY_HOURS) => {
            return Err(Error::invalid(
                "weekly_program_hours",
                format!("must be above 0 and at most {MAX_WEEKLY_HOURS}"),
            ))
        }
        other => other,
    };
    let mut sobriety_starts = Vec::new();
    for (i, s) in settings.sobriety_dates.iter().enumerate() {
        sobriety_starts.push(SobrietyStart {
            substance: s
                .substance
                .as_deref()
                .map(|name| substance(&format!("sobriety_dates[{i}].substance"), name))
                .transpose()?,
            first_sober_day: past(
                &format!("sobriety_dates[{i}].first_sober_date"),
                &s.first_sober_date,
            )?,
        });
    }
    let known_from = settings
        .history_known_from
        .as_deref()
        .map(|t| past("history_known_from", t))
        .transpose()?;
    if settings.prior_uses.len() > MAX_PRIOR_USES {
        return Err(Error::invalid(
            "prior_uses",
            format!("at most {MAX_PRIOR_USES} days per import"),
        ));
    }
    let mut prior_uses = Vec::new();
    for (i, u) in settings.prior_uses.iter().enumerate() {
        let day = past(&format!("prior_uses[{i}].local_date"), &u.local_date)?;
        if known_from.is_none_or(|from| day < from) {
            return Err(Error::invalid(
                format!("prior_uses[{i}].local_date").as_str(),
                "is before history_known_from (or that is not set)",
            ));
        }
        let substances = u
            .substances
            .iter()
            .map(|name| substance(&format!("prior_uses[{i}].substances"), name))
            .collect::<Result<_>>()?;
        prior_uses.push(UseEvent {
            date: day,
            substances,
        });
    }
    Ok(CheckedSettings {
        program_start,
        weekly_hours,
        prior: PriorHistory {
            sobriety_starts,
            known_from,
        },
        prior_uses,
    })
}

fn date(field: &str, text: &str) -> Result<NaiveDate> {
    validate::date(field, text)
}

fn substance(field: &str, name: &str) -> Result<String> {
    let name = validate::note(field, Some(name.to_string()))?
        .ok_or_else(|| Error::invalid(field, "is empty"))?;
    if name.chars().count() > MAX_SUBSTANCE_CHARS {
        return Err(Error::invalid(
            field,
            format!("at most {MAX_SUBSTANCE_CHARS} characters"),
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TestDb;

    fn sample() -> ProgramSettings {
        ProgramSettings {
            program_start_date: Some("2026-03-02".into()),
            weekly_program_hours: Some(9.0),
            sobriety_dates: vec![SobrietyDate {
                substance: Some(" alcohol ".into()),
                first_sober_date: "2026-02-10".into(),
            }],
            history_known_from: Some("2025-06-01".into()),
            prior_uses: vec![PriorUse {
                local_date: "2025-12-24".into(),
                substances: vec![],
            }],
        }
    }

    #[test]
    fn settings_round_trip_trimmed_and_stay_on_the_phone() {
        let db = TestDb::new("2026-03-08T12:00:00Z", "America/New_York");
        assert_eq!(
            db.steady.program_settings().unwrap(),
            ProgramSettings::default()
        );
        let saved = db.steady.set_program_settings(sample()).unwrap();
        assert_eq!(
            saved.sobriety_dates[0].substance.as_deref(),
            Some("alcohol")
        );
        assert_eq!(db.steady.program_settings().unwrap(), saved);
        assert!(db.steady.pending_outbox().unwrap().is_empty());
    }

    #[test]
    fn bad_settings_name_the_field_and_change_nothing() {
        let db = TestDb::new("2026-03-08T12:00:00Z", "America/New_York");
        let cases: Vec<(ProgramSettings, &str)> = vec![
            (
                ProgramSettings {
                    program_start_date: Some("2026-13-01".into()),
                    ..sample()
                },
                "program_start_date",
            ),
            (
                ProgramSettings {
                    program_start_date: Some("2026-03-09".into()),
                    ..sample()
                },
                "program_start_date",
            ),
            (
                ProgramSettings {
                    sobriety_dates: vec![SobrietyDate {
                        substance: None,
                        first_sober_date: "-262143-01-01".into(),
                    }],
                    ..sample()
                },
                "sobriety_dates[0].first_sober_date",
            ),
            (
                ProgramSettings {
                    weekly_program_hours: Some(0.0),
                    ..sample()
                },
                "weekly_program_hours",
            ),
            (
                ProgramSettings {
                    weekly_program_hours: Some(f64::NAN),
                    ..sample()
                },
                "weekly_program_hours",
            ),
            (
                ProgramSettings {
                    sobriety_dates: vec![SobrietyDate {
                        substance: None,
                        first_sober_date: "2026-03-09".into(),
                    }],
                    ..sample()
                },
                "sobriety_dates[0].first_sober_date",
            ),
            (
                ProgramSettings {
                    sobriety_dates: vec![SobrietyDate {
                        substance: Some("  ".into()),
                        first_sober_date: "2026-03-01".into(),
                    }],
                    ..sample()
                },
                "sobriety_dates[0].substance",
            ),
            (
                ProgramSettings {
                    history_known_from: Some("2026-01-01".into()),
                    ..sample()
                },
                "prior_uses[0].local_date",
            ),
        ];
        for (settings, field) in cases {
            match db.steady.set_program_settings(settings) {
                Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("expected invalid {field}, got {other:?}"),
            }
        }
        assert_eq!(
            db.steady.program_settings().unwrap(),
            ProgramSettings::default()
        );
        assert!(db.steady.pending_outbox().unwrap().is_empty());
    }
}
