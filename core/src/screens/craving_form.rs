//! The Log a craving screen: every option the form offers, decided here. The
//! response after logging is `log_craving_with_support` (crisis card when
//! marked unsafe, the strategies that helped when the craving is strong).

use super::{label, own, Label};
use crate::craving::{
    Company, CravingOutcome, Place, MAX_DURATION_MINUTES, MAX_INTENSITY, TRIGGERS,
};
use crate::{tags, Result, Steady};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;

/// One tappable option. `value` is what goes into `NewCraving` (a built-in
/// key, or the patient's own text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Choice {
    pub value: String,
    pub label: Label,
    pub built_in: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CompanyChoice {
    pub value: Company,
    pub label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlaceChoice {
    pub value: Place,
    pub label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OutcomeChoice {
    pub value: CravingOutcome,
    pub label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CravingForm {
    /// The intensity scale: 0 to `intensity_max`, with its end labels.
    pub intensity_max: u8,
    pub intensity_low: Label,
    pub intensity_high: Label,
    /// From this intensity the response offers coping strategies.
    pub strong_craving_threshold: u8,
    /// Built-in triggers in display order, then the patient's own (those
    /// used most often first).
    pub triggers: Vec<Choice>,
    /// The substances the program tracks.
    pub substances: Vec<Choice>,
    /// Built-in strategies, then the patient's own from the coping plan.
    pub coping_strategies: Vec<Choice>,
    pub company: Vec<CompanyChoice>,
    pub places: Vec<PlaceChoice>,
    pub outcomes: Vec<OutcomeChoice>,
    pub max_duration_minutes: u32,
}

impl Steady {
    /// Everything the Log a craving form offers.
    pub fn craving_form(&self) -> Result<CravingForm> {
        let threshold = self.strong_craving_threshold()?;
        let strategies = self.coping_plan()?.strategies;
        let substances = self.tracked_substances()?;
        let own_triggers = self.read(own_triggers)?;
        let triggers = TRIGGERS
            .iter()
            .map(|(key, text)| Choice {
                value: key.to_string(),
                label: label(&format!("trigger.{key}"), text),
                built_in: true,
            })
            .chain(own_triggers.into_iter().map(|text| Choice {
                label: own(&text),
                value: text,
                built_in: false,
            }))
            .collect();
        Ok(CravingForm {
            intensity_max: MAX_INTENSITY,
            intensity_low: label("craving.intensity.low", "No craving"),
            intensity_high: label("craving.intensity.high", "Strongest imaginable"),
            strong_craving_threshold: threshold,
            triggers,
            substances: substances
                .into_iter()
                .map(|s| Choice {
                    label: own(&s),
                    value: s,
                    built_in: false,
                })
                .collect(),
            coping_strategies: strategies
                .into_iter()
                .map(|s| Choice {
                    label: if s.built_in {
                        label(&format!("strategy.{}", s.key), &s.name)
                    } else {
                        own(&s.name)
                    },
                    value: s.key,
                    built_in: s.built_in,
                })
                .collect(),
            company: vec![
                CompanyChoice {
                    value: Company::Alone,
                    label: label("company.alone", "Alone"),
                },
                CompanyChoice {
                    value: Company::WithOthers,
                    label: label("company.with_others", "With others"),
                },
            ],
            places: vec![
                PlaceChoice {
                    value: Place::Home,
                    label: label("place.home", "Home"),
                },
                PlaceChoice {
                    value: Place::Work,
                    label: label("place.work", "Work"),
                },
                PlaceChoice {
                    value: Place::Out,
                    label: label("place.out", "Out"),
                },
            ],
            outcomes: vec![
                OutcomeChoice {
                    value: CravingOutcome::Passed,
                    label: label("outcome.passed", "It passed"),
                },
                OutcomeChoice {
                    value: CravingOutcome::StillPresent,
                    label: label("outcome.still_present", "Still there"),
                },
                OutcomeChoice {
                    value: CravingOutcome::Used,
                    label: label("outcome.used", "I used"),
                },
            ],
            max_duration_minutes: MAX_DURATION_MINUTES,
        })
    }
}

/// The patient's own triggers from live cravings and lapses, most used first
/// (ties alphabetical), spelled as first written.
fn own_triggers(conn: &Connection) -> Result<Vec<String>> {
    let built_in: Vec<&str> = TRIGGERS.iter().map(|(key, _)| *key).collect();
    let mut counts: HashMap<String, (String, u32)> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT triggers FROM craving WHERE deleted_at_ms IS NULL AND triggers != '[]'
         UNION ALL
         SELECT triggers FROM lapse WHERE deleted_at_ms IS NULL AND triggers != '[]'",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        for tag in tags::from_json(0, &row.get::<_, String>(0)?)? {
            if built_in.contains(&tag.as_str()) {
                continue;
            }
            let entry = counts
                .entry(tag.to_lowercase())
                .or_insert_with(|| (tag.clone(), 0));
            entry.1 += 1;
        }
    }
    let mut own: Vec<(String, u32)> = counts.into_values().collect();
    own.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| a.0.to_lowercase().cmp(&b.0.to_lowercase()))
    });
    Ok(own.into_iter().map(|(tag, _)| tag).collect())
}
