//! The coping plan: the patient's warning signs, coping strategies (built-in
//! skills taught in IOP groups plus their own), reasons for recovery, support
//! contacts and safe places, and the strong-craving threshold. It lives on the
//! phone only (no outbox row: it is not one of the shared categories), so it is
//! always available offline. Removing an entry keeps its row.
//!
//! Strategies are ranked by how often they helped: the number of live cravings
//! that passed after the patient tried them.

use crate::{ids, tags, Error, Result, Steady};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::HashMap;

pub use crate::crisis_contacts::SupportContact;

/// Cravings at or above this intensity count as strong unless the patient
/// sets another threshold.
pub const DEFAULT_STRONG_CRAVING: u8 = 8;
/// Longest plan entry (a warning sign, reason, place, strategy), in characters.
pub const MAX_ENTRY_CHARS: usize = 200;
/// Longest contact name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// TIPP changes heart rate fast (cold water triggers the dive reflex), so it
/// always carries this caution.
pub const TIPP_CAUTION: &str = "Cold water and intense exercise change your heart rate quickly. \
    Check with your doctor before using TIPP if you have a heart condition, low blood pressure, \
    an eating disorder, or take medicine that affects your heart rate.";

/// Built-in strategies: key, name, caution.
const STRATEGIES: &[(&str, &str, Option<&str>)] = &[
    ("urge_surfing", "Urge surfing", None),
    ("delay_15_minutes", "Delay 15 minutes", None),
    ("distraction", "Distraction", None),
    ("paced_breathing", "Paced breathing", None),
    (
        "tipp",
        "TIPP (temperature, intense exercise, paced breathing, paired muscle relaxation)",
        Some(TIPP_CAUTION),
    ),
    ("call_support_person", "Call a support person", None),
    ("leave_situation", "Leave the situation", None),
    ("play_tape_forward", "Play the tape forward", None),
];

/// The name a person reads for a strategy key: the built-in's name, or the
/// patient's own strategy as they wrote it.
pub fn strategy_name(key: &str) -> String {
    STRATEGIES
        .iter()
        .find(|(k, _, _)| k.eq_ignore_ascii_case(key))
        .map_or_else(|| key.to_string(), |(_, name, _)| name.to_string())
}

pub(crate) fn strategy_keys() -> Vec<&'static str> {
    STRATEGIES.iter().map(|(key, _, _)| *key).collect()
}

/// A part of the plan that holds plain text entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PlanSection {
    WarningSign,
    Strategy,
    Reason,
    SafePlace,
}

impl PlanSection {
    fn as_str(self) -> &'static str {
        match self {
            PlanSection::WarningSign => "warning_sign",
            PlanSection::Strategy => "strategy",
            PlanSection::Reason => "reason",
            PlanSection::SafePlace => "safe_place",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlanEntry {
    pub id: String,
    pub text: String,
}

/// A coping strategy. `key` is what cravings record in `coping_tried`: the
/// built-in key, or the patient's own strategy text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CopingStrategy {
    pub key: String,
    pub name: String,
    pub caution: Option<String>,
    pub built_in: bool,
    /// The plan entry id of an own strategy (to remove it); none for built-ins.
    pub entry_id: Option<String>,
    /// Live cravings that passed after this strategy was tried.
    pub helped_count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CopingPlan {
    pub warning_signs: Vec<PlanEntry>,
    /// Built-ins first, then the patient's own, in the order added.
    pub strategies: Vec<CopingStrategy>,
    pub reasons: Vec<PlanEntry>,
    pub support_contacts: Vec<SupportContact>,
    pub safe_places: Vec<PlanEntry>,
    pub strong_craving_threshold: u8,
}

impl Steady {
    /// The whole plan in one call.
    pub fn coping_plan(&self) -> Result<CopingPlan> {
        self.read(|conn| {
            Ok(CopingPlan {
                warning_signs: entries(conn, PlanSection::WarningSign)?,
                strategies: strategies(conn)?,
                reasons: entries(conn, PlanSection::Reason)?,
                support_contacts: contacts(conn)?,
                safe_places: entries(conn, PlanSection::SafePlace)?,
                strong_craving_threshold: threshold(conn)?,
            })
        })
    }

    /// Adds a warning sign, own strategy, reason or safe place.
    pub fn add_to_coping_plan(&self, section: PlanSection, text: String) -> Result<PlanEntry> {
        let text = entry_text("text", &text, MAX_ENTRY_CHARS)?;
        let now = self.now();
        self.write(|tx| {
            let mut taken: Vec<String> =
                entries(tx, section)?.into_iter().map(|e| e.text).collect();
            if section == PlanSection::Strategy {
                taken.extend(
                    STRATEGIES
                        .iter()
                        .flat_map(|(k, n, _)| [k.to_string(), n.to_string()]),
                );
            }
            if taken.iter().any(|t| tags::same_tag(t, &text)) {
                return Err(Error::invalid(
                    "text",
                    "is already in this part of the plan",
                ));
            }
            let entry = PlanEntry {
                id: ids::new_id(),
                text,
            };
            tx.execute(
                "INSERT INTO coping_plan_entry (id, section, text, created_at_ms)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    entry.id,
                    section.as_str(),
                    entry.text,
                    now.timestamp_millis()
                ],
            )?;
            Ok(entry)
        })
    }

    pub fn add_support_contact(&self, name: String, phone: String) -> Result<SupportContact> {
        let contact = SupportContact {
            id: ids::new_id(),
            name: entry_text("name", &name, MAX_NAME_CHARS)?,
            phone: phone_number(&phone)?,
        };
        let now = self.now();
        let contact = self.write(|tx| {
            tx.execute(
                "INSERT INTO coping_plan_entry (id, section, text, phone, created_at_ms)
                 VALUES (?1, 'contact', ?2, ?3, ?4)",
                params![
                    contact.id,
                    contact.name,
                    contact.phone,
                    now.timestamp_millis()
                ],
            )?;
            Ok(contact)
        })?;
        self.refresh_contacts_copy();
        Ok(contact)
    }

    /// Puts contacts read from the copy beside the database back into a
    /// database that has none (a new one after a damaged one was set aside).
    /// Each is checked as when it was added; one that no longer passes is
    /// left out.
    /// Rewrites the copy of the support contacts beside the database. A
    /// failure is not the patient's problem now: the next open retries.
    pub(crate) fn refresh_contacts_copy(&self) {
        if let Ok(contacts) = self.support_contacts() {
            if crate::crisis_contacts::read(self.contacts_copy()) != contacts {
                let _ = crate::crisis_contacts::write(self.contacts_copy(), &contacts);
            }
        }
    }

    pub(crate) fn restore_support_contacts(&self, contacts: &[SupportContact]) -> Result<()> {
        if contacts.is_empty() {
            return Ok(());
        }
        let now = self.now().timestamp_millis();
        self.write(|tx| {
            for c in contacts {
                let (Ok(name), Ok(phone), Ok(id)) = (
                    entry_text("name", &c.name, MAX_NAME_CHARS),
                    phone_number(&c.phone),
                    ids::parse_id("id", &c.id),
                ) else {
                    continue;
                };
                tx.execute(
                    "INSERT OR IGNORE INTO coping_plan_entry (id, section, text, phone,
                         created_at_ms) VALUES (?1, 'contact', ?2, ?3, ?4)",
                    params![id, name, phone, now],
                )?;
            }
            Ok(())
        })
    }

    /// Removes an entry or contact from the plan (its row is kept).
    pub fn remove_from_coping_plan(&self, id: &str) -> Result<()> {
        let id = ids::parse_id("id", id)?;
        let now = self.now();
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE coping_plan_entry SET removed_at_ms = ?2
                 WHERE id = ?1 AND removed_at_ms IS NULL",
                params![id, now.timestamp_millis()],
            )?;
            if changed == 0 {
                return Err(Error::NotFound {
                    what: "coping plan entry",
                    id,
                });
            }
            Ok(())
        })?;
        self.refresh_contacts_copy();
        Ok(())
    }

    /// Sets the intensity (1–10) from which a craving counts as strong.
    pub fn set_strong_craving_threshold(&self, threshold: u8) -> Result<()> {
        if !(1..=crate::vocabulary::MAX_INTENSITY).contains(&threshold) {
            return Err(Error::invalid(
                "strong_craving_threshold",
                format!("{threshold} is outside 1-10"),
            ));
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO safety_setting (name, value) VALUES ('strong_craving_threshold', ?1)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                params![threshold],
            )?;
            Ok(())
        })
    }

    pub fn strong_craving_threshold(&self) -> Result<u8> {
        self.read(threshold)
    }

    pub fn support_contacts(&self) -> Result<Vec<SupportContact>> {
        self.read(contacts)
    }

    /// Every strategy, those that most often helped cravings pass first (ties
    /// keep plan order).
    pub fn strategies_by_help(&self) -> Result<Vec<CopingStrategy>> {
        let mut ranked = self.read(strategies)?;
        ranked.sort_by_key(|s| std::cmp::Reverse(s.helped_count));
        Ok(ranked)
    }
}

fn entry_text(field: &str, text: &str, max: usize) -> Result<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(Error::invalid(
            field,
            format!("{chars} characters; at most {max} allowed"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(text)
}

/// A number a phone can dial: digits with the usual separators, 3 to 20 digits.
fn phone_number(phone: &str) -> Result<String> {
    let phone = phone.trim();
    let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
    if !phone.chars().all(allowed) {
        return Err(Error::invalid(
            "phone",
            "may hold only digits, spaces and + - ( ) .",
        ));
    }
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !(3..=20).contains(&digits) {
        return Err(Error::invalid(
            "phone",
            format!("{digits} digits; a phone number has 3 to 20"),
        ));
    }
    Ok(phone.to_string())
}

fn entries(conn: &Connection, section: PlanSection) -> Result<Vec<PlanEntry>> {
    let mut stmt = conn.prepare(
        "SELECT id, text FROM coping_plan_entry
         WHERE section = ?1 AND removed_at_ms IS NULL ORDER BY created_at_ms, rowid",
    )?;
    let rows = stmt.query_map(params![section.as_str()], |row| {
        Ok(PlanEntry {
            id: row.get(0)?,
            text: row.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn contacts(conn: &Connection) -> Result<Vec<SupportContact>> {
    let mut stmt = conn.prepare(
        "SELECT id, text, phone FROM coping_plan_entry
         WHERE section = 'contact' AND removed_at_ms IS NULL ORDER BY created_at_ms, rowid",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(SupportContact {
            id: row.get(0)?,
            name: row.get(1)?,
            phone: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn threshold(conn: &Connection) -> Result<u8> {
    let stored: Option<u8> = conn
        .query_row(
            "SELECT value FROM safety_setting WHERE name = 'strong_craving_threshold'",
            [],
            |row| row.get(0),
        )
        .optional()?;
    Ok(stored.unwrap_or(DEFAULT_STRONG_CRAVING))
}

/// Built-ins then own strategies, each with how often it helped.
fn strategies(conn: &Connection) -> Result<Vec<CopingStrategy>> {
    let helped = helped_counts(conn)?;
    let count = |key: &str| helped.get(&key.to_lowercase()).copied().unwrap_or(0);
    let built_ins = STRATEGIES
        .iter()
        .map(|(key, name, caution)| CopingStrategy {
            key: key.to_string(),
            name: name.to_string(),
            caution: caution.map(str::to_string),
            built_in: true,
            entry_id: None,
            helped_count: count(key),
        });
    let own = entries(conn, PlanSection::Strategy)?
        .into_iter()
        .map(|entry| CopingStrategy {
            helped_count: count(&entry.text),
            key: entry.text.clone(),
            name: entry.text,
            caution: None,
            built_in: false,
            entry_id: Some(entry.id),
        });
    Ok(built_ins.chain(own).collect())
}

/// For each strategy (lowercased key), how many live cravings passed after it
/// was tried.
fn helped_counts(conn: &Connection) -> Result<HashMap<String, u32>> {
    let mut stmt = conn.prepare(
        "SELECT coping_tried FROM craving
         WHERE deleted_at_ms IS NULL AND outcome = 'passed' AND coping_tried != '[]'",
    )?;
    let mut counts = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        for key in tags::from_json(0, &row.get::<_, String>(0)?)? {
            *counts.entry(key.to_lowercase()).or_insert(0) += 1;
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests;
