//! Short labels a patient attaches to a record: triggers, emotions, substances,
//! coping strategies tried. Each list mixes built-in keys (stored as the key,
//! so `Hungry` and `hungry` are one trigger) with the patient's own tags.

use crate::{Error, Result};

/// Longest own tag, in characters.
pub const MAX_TAG_CHARS: usize = 40;
/// Most tags on one list.
pub const MAX_TAGS: usize = 20;

/// A built-in label: the stable key stored in records and a display name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BuiltInTag {
    pub key: String,
    pub label: String,
}

/// Cleans a tag list: whitespace collapsed, built-ins mapped to their key,
/// duplicates (ignoring case) dropped, order kept.
pub(crate) fn clean(field: &str, values: Vec<String>, built_ins: &[&str]) -> Result<Vec<String>> {
    let mut cleaned: Vec<String> = Vec::new();
    for value in values {
        let tag = value.split_whitespace().collect::<Vec<_>>().join(" ");
        if tag.is_empty() {
            return Err(Error::invalid(field, "contains an empty tag"));
        }
        if tag.chars().any(char::is_control) {
            return Err(Error::invalid(field, "a tag contains control characters"));
        }
        let chars = tag.chars().count();
        if chars > MAX_TAG_CHARS {
            return Err(Error::invalid(
                field,
                format!("a tag has {chars} characters; at most {MAX_TAG_CHARS} allowed"),
            ));
        }
        let as_key = tag.to_lowercase().replace([' ', '-'], "_");
        let tag = match built_ins.iter().find(|key| **key == as_key) {
            Some(key) => key.to_string(),
            None => tag,
        };
        if !cleaned.iter().any(|t| same_tag(t, &tag)) {
            cleaned.push(tag);
        }
    }
    if cleaned.len() > MAX_TAGS {
        return Err(Error::invalid(
            field,
            format!("{} tags; at most {MAX_TAGS} allowed", cleaned.len()),
        ));
    }
    Ok(cleaned)
}

/// Tags compare without regard to case: "Mom" and "mom" are one person.
pub(crate) fn same_tag(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

pub(crate) fn to_json(tags: &[String]) -> String {
    serde_json::Value::from(tags.to_vec()).to_string()
}

pub(crate) fn from_json(column: usize, text: &str) -> rusqlite::Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_map_to_their_key_and_own_tags_keep_their_spelling() {
        let tags = clean(
            "triggers",
            vec![
                "Hungry".into(),
                " my   ex ".into(),
                "seeing substance".into(),
            ],
            &["hungry", "seeing_substance"],
        )
        .unwrap();
        assert_eq!(tags, vec!["hungry", "my ex", "seeing_substance"]);
    }

    #[test]
    fn duplicates_ignoring_case_are_dropped() {
        let tags = clean("emotions", vec!["Sad".into(), "sad".into()], &[]).unwrap();
        assert_eq!(tags, vec!["Sad"]);
    }

    #[test]
    fn empty_long_control_and_too_many_tags_are_rejected_naming_the_field() {
        let field_of = |values: Vec<String>| match clean("emotions", values, &[]) {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected invalid, got {other:?}"),
        };
        assert_eq!(field_of(vec!["  ".into()]), "emotions");
        assert_eq!(field_of(vec!["x".repeat(MAX_TAG_CHARS + 1)]), "emotions");
        assert_eq!(field_of(vec!["a\u{0}b".into()]), "emotions");
        assert_eq!(
            field_of((0..=MAX_TAGS).map(|i| format!("tag {i}")).collect()),
            "emotions"
        );
        assert!(clean("emotions", vec!["x".repeat(MAX_TAG_CHARS)], &[]).is_ok());
    }
}
