//! The vocabulary of craving details: situation, outcome and the built-in
//! triggers (HALT and the other common ones taught in IOP groups).

use crate::tags::BuiltInTag;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Who the patient was with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Company {
    Alone,
    WithOthers,
}

/// Where the patient was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Place {
    Home,
    Work,
    Out,
}

/// How the craving ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CravingOutcome {
    Passed,
    StillPresent,
    Used,
}

/// Built-in trigger keys with their display names, in display order.
pub const TRIGGERS: &[(&str, &str)] = &[
    ("hungry", "Hungry"),
    ("angry", "Angry"),
    ("lonely", "Lonely"),
    ("tired", "Tired"),
    ("stress", "Stress"),
    ("conflict", "Conflict"),
    ("people", "People"),
    ("places", "Places"),
    ("boredom", "Boredom"),
    ("celebration", "Celebration"),
    ("pain", "Pain"),
    ("withdrawal", "Withdrawal"),
    ("seeing_substance", "Seeing the substance"),
];

pub(crate) fn trigger_keys() -> Vec<&'static str> {
    TRIGGERS.iter().map(|(key, _)| *key).collect()
}

/// The label a person reads for a trigger key: the built-in's label, or the
/// patient's own tag as they wrote it.
pub fn trigger_label(key: &str) -> String {
    TRIGGERS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map_or_else(|| key.to_string(), |(_, label)| label.to_string())
}

/// The built-in triggers a shell offers as one-tap choices.
pub fn built_in_triggers() -> Vec<BuiltInTag> {
    TRIGGERS
        .iter()
        .map(|(key, label)| BuiltInTag {
            key: key.to_string(),
            label: label.to_string(),
        })
        .collect()
}

/// Stored and printed names of the enums (their serde names).
pub(crate) fn key_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Parses a stored or typed enum name; `field` names the input when wrong.
pub(crate) fn parse_key<T: serde::de::DeserializeOwned>(field: &str, key: &str) -> Result<T> {
    let normalized = key.trim().to_lowercase().replace([' ', '-'], "_");
    serde_json::from_value(serde_json::Value::String(normalized))
        .map_err(|_| Error::invalid(field, format!("unknown value {key:?}")))
}

pub(crate) fn column<T: serde::de::DeserializeOwned>(
    index: usize,
    key: Option<String>,
) -> rusqlite::Result<Option<T>> {
    key.map(|key| {
        parse_key("column", &key).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                index,
                rusqlite::types::Type::Text,
                Box::new(e),
            )
        })
    })
    .transpose()
}
