//! Reading a clinic-supplied instrument from FHIR Questionnaire JSON. Steady
//! accepts a documented subset (docs/checkins.md): flat `item`s of type
//! `choice`, `integer`, `boolean`, `string`/`text`; answer weights through the
//! `itemWeight` (or R4 `ordinalValue`) extension; integer bounds through
//! `minValue`/`maxValue`; score bands through Steady's `score-band`
//! extension. Anything that would change meaning and is not supported
//! (groups, `enableWhen`, `repeats`) is refused, and every error names the
//! item (`item.<linkId>`, or `item[<index>]` before a linkId is known).

use super::builtin;
use super::instrument::{AnswerOption, ItemKind, Questionnaire, QuestionnaireItem, ScoreBand};
use crate::{Error, Result};
use serde_json::{Map, Value};

/// Largest definition accepted, in bytes.
pub const MAX_DEFINITION_BYTES: usize = 256 * 1024;
/// Most items in one instrument.
pub const MAX_ITEMS: usize = 200;

pub const ITEM_WEIGHT_URL: &str = "http://hl7.org/fhir/StructureDefinition/itemWeight";
pub const ORDINAL_VALUE_URL: &str = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
pub const MIN_VALUE_URL: &str = "http://hl7.org/fhir/StructureDefinition/minValue";
pub const MAX_VALUE_URL: &str = "http://hl7.org/fhir/StructureDefinition/maxValue";
pub const SCORE_BAND_URL: &str = "https://steady.app/fhir/StructureDefinition/score-band";

type Object = Map<String, Value>;

/// Parses and checks a definition.
pub(crate) fn parse(json: &str) -> Result<Questionnaire> {
    if json.len() > MAX_DEFINITION_BYTES {
        return Err(Error::invalid(
            "definition",
            format!(
                "{} bytes; at most {MAX_DEFINITION_BYTES} allowed",
                json.len()
            ),
        ));
    }
    let value: Value = serde_json::from_str(json).map_err(|e| {
        Error::invalid(
            "definition",
            format!("not JSON (line {}, column {})", e.line(), e.column()),
        )
    })?;
    let root = value
        .as_object()
        .ok_or_else(|| Error::invalid("definition", "is not a JSON object"))?;
    if root.get("resourceType").and_then(Value::as_str) != Some("Questionnaire") {
        return Err(Error::invalid("resourceType", "must be \"Questionnaire\""));
    }
    let id = text(root, "id", "id")?.ok_or_else(|| Error::invalid("id", "is required"))?;
    if id.is_empty()
        || id.len() > 64
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    {
        return Err(Error::invalid(
            "id",
            "must be 1-64 letters, digits, '-' or '.'",
        ));
    }
    if builtin::built_in(&id).is_some() {
        return Err(Error::invalid(
            "id",
            "is the id of a built-in questionnaire",
        ));
    }
    let title = text(root, "title", "title")?
        .or(text(root, "name", "name")?)
        .unwrap_or_else(|| id.clone());
    let items = root
        .get("item")
        .and_then(Value::as_array)
        .filter(|items| !items.is_empty())
        .ok_or_else(|| Error::invalid("item", "a questionnaire needs at least one item"))?;
    if items.len() > MAX_ITEMS {
        return Err(Error::invalid(
            "item",
            format!("{} items; at most {MAX_ITEMS} allowed", items.len()),
        ));
    }
    let mut parsed: Vec<QuestionnaireItem> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let item = parse_item(index, item)?;
        if parsed.iter().any(|p| p.link_id == item.link_id) {
            return Err(Error::invalid(
                &format!("item.{}", item.link_id),
                "linkId is used by another item",
            ));
        }
        parsed.push(item);
    }
    let mut questionnaire = Questionnaire {
        id,
        title,
        version: text(root, "version", "version")?,
        code: first_code(root),
        built_in: false,
        items: parsed,
        bands: Vec::new(),
    };
    questionnaire.bands = parse_bands(root)?;
    if !questionnaire.bands.is_empty() && !questionnaire.is_scored() {
        return Err(Error::invalid(
            "scoreBand",
            "bands need at least one weighted answer option to score",
        ));
    }
    Ok(questionnaire)
}

fn parse_item(index: usize, item: &Value) -> Result<QuestionnaireItem> {
    let at_index = format!("item[{index}]");
    let item = item
        .as_object()
        .ok_or_else(|| Error::invalid(&at_index, "is not a JSON object"))?;
    let link_id = text(item, "linkId", &at_index)?
        .filter(|l| !l.trim().is_empty())
        .ok_or_else(|| Error::invalid(&at_index, "linkId is required"))?;
    if link_id.chars().count() > 64 {
        return Err(Error::invalid(
            &at_index,
            "linkId is longer than 64 characters",
        ));
    }
    let field = format!("item.{link_id}");
    for unsupported in ["item", "enableWhen"] {
        if item.contains_key(unsupported) {
            return Err(Error::invalid(
                &field,
                format!("{unsupported} is not supported"),
            ));
        }
    }
    if item.get("repeats").and_then(Value::as_bool) == Some(true) {
        return Err(Error::invalid(&field, "repeats is not supported"));
    }
    let kind = match text(item, "type", &field)?.as_deref() {
        Some("choice") => ItemKind::Choice,
        Some("integer") => ItemKind::Integer,
        Some("boolean") => ItemKind::Boolean,
        Some("string" | "text") => ItemKind::Text,
        Some(other) => {
            return Err(Error::invalid(
                &field,
                format!("type {other:?} is not supported (choice, integer, boolean, string, text)"),
            ))
        }
        None => return Err(Error::invalid(&field, "type is required")),
    };
    let required = match item.get("required") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Error::invalid(&field, "required must be true or false")),
    };
    let options = match (kind, item.get("answerOption")) {
        (ItemKind::Choice, Some(Value::Array(options))) if !options.is_empty() => options
            .iter()
            .enumerate()
            .map(|(i, o)| parse_option(&field, i, o))
            .collect::<Result<Vec<_>>>()?,
        (ItemKind::Choice, _) => {
            return Err(Error::invalid(&field, "a choice item needs answerOption"))
        }
        (_, Some(_)) => {
            return Err(Error::invalid(
                &field,
                "answerOption is only supported on choice items",
            ))
        }
        (_, None) => Vec::new(),
    };
    for (i, option) in options.iter().enumerate() {
        if options[..i].iter().any(|o| o.code == option.code) {
            return Err(Error::invalid(
                &field,
                format!("answer code {:?} appears twice", option.code),
            ));
        }
    }
    let weighted = options.iter().filter(|o| o.weight.is_some()).count();
    if weighted != 0 && weighted != options.len() {
        return Err(Error::invalid(
            &field,
            "either every answerOption has a weight or none does",
        ));
    }
    let bound = |url| extension_integer(item, url, &field);
    let (min_value, max_value) = (bound(MIN_VALUE_URL)?, bound(MAX_VALUE_URL)?);
    if (min_value.is_some() || max_value.is_some()) && kind != ItemKind::Integer {
        return Err(Error::invalid(
            &field,
            "minValue/maxValue apply to integer items only",
        ));
    }
    if let (Some(min), Some(max)) = (min_value, max_value) {
        if min > max {
            return Err(Error::invalid(&field, "minValue is above maxValue"));
        }
    }
    Ok(QuestionnaireItem {
        text: text(item, "text", &field)?.unwrap_or_else(|| link_id.clone()),
        link_id,
        kind,
        required,
        options,
        min_value,
        max_value,
    })
}

fn parse_option(field: &str, index: usize, option: &Value) -> Result<AnswerOption> {
    let bad = |reason: &str| Error::invalid(field, format!("answerOption[{index}] {reason}"));
    let option = option
        .as_object()
        .ok_or_else(|| bad("is not a JSON object"))?;
    let (code, display) = if let Some(coding) = option.get("valueCoding") {
        let code = coding
            .get("code")
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
            .ok_or_else(|| bad("valueCoding needs a code"))?;
        let display = coding
            .get("display")
            .and_then(Value::as_str)
            .unwrap_or(code);
        (code.to_string(), display.to_string())
    } else if let Some(s) = option.get("valueString").and_then(Value::as_str) {
        (s.to_string(), s.to_string())
    } else if let Some(n) = option.get("valueInteger").and_then(Value::as_i64) {
        (n.to_string(), n.to_string())
    } else {
        return Err(bad("needs valueCoding, valueString or valueInteger"));
    };
    let weight = match extension(option, ITEM_WEIGHT_URL).or(extension(option, ORDINAL_VALUE_URL)) {
        None => None,
        Some(ext) => Some(whole_number(ext).ok_or_else(|| bad("weight must be a whole number"))?),
    };
    Ok(AnswerOption {
        code,
        display,
        weight,
    })
}

fn parse_bands(root: &Object) -> Result<Vec<ScoreBand>> {
    let mut bands: Vec<ScoreBand> = Vec::new();
    for (index, ext) in extensions(root, SCORE_BAND_URL).enumerate() {
        let field = format!("scoreBand[{index}]");
        let part = |name: &str| {
            ext.get("extension")
                .and_then(Value::as_array)
                .and_then(|parts| {
                    parts
                        .iter()
                        .find(|p| p.get("url").and_then(Value::as_str) == Some(name))
                })
        };
        let from = part("from")
            .and_then(whole_number)
            .ok_or_else(|| Error::invalid(&field, "needs a whole-number from"))?;
        let code = part("code")
            .and_then(|p| p.get("valueString").or(p.get("valueCode")))
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
            .ok_or_else(|| Error::invalid(&field, "needs a code"))?
            .to_string();
        let label = part("display")
            .and_then(|p| p.get("valueString"))
            .and_then(Value::as_str)
            .unwrap_or(&code)
            .to_string();
        if let Some(previous) = bands.last() {
            if from <= previous.from {
                return Err(Error::invalid(
                    &field,
                    "bands must be in ascending order of from",
                ));
            }
        }
        if bands.iter().any(|b| b.code == code) {
            return Err(Error::invalid(&field, "band code is used twice"));
        }
        bands.push(ScoreBand { from, code, label });
    }
    Ok(bands)
}

/// An optional string property; present but not a string is an error.
fn text(object: &Object, key: &str, field: &str) -> Result<Option<String>> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(_) => Err(Error::invalid(field, format!("{key} must be a string"))),
    }
}

fn first_code(root: &Object) -> Option<String> {
    root.get("code")?
        .as_array()?
        .first()?
        .get("code")?
        .as_str()
        .map(str::to_string)
}

fn extensions<'a>(object: &'a Object, url: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    object
        .get("extension")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(move |ext| ext.get("url").and_then(Value::as_str) == Some(url))
}

fn extension<'a>(object: &'a Object, url: &'a str) -> Option<&'a Value> {
    extensions(object, url).next()
}

fn extension_integer(object: &Object, url: &str, field: &str) -> Result<Option<i64>> {
    match extension(object, url) {
        None => Ok(None),
        Some(ext) => whole_number(ext)
            .map(Some)
            .ok_or_else(|| Error::invalid(field, format!("{url} must be a whole number"))),
    }
}

/// `valueInteger`, or a `valueDecimal` with no fractional part.
fn whole_number(ext: &Value) -> Option<i64> {
    if let Some(n) = ext.get("valueInteger").and_then(Value::as_i64) {
        return Some(n);
    }
    let decimal = ext.get("valueDecimal")?;
    decimal.as_i64().or_else(|| {
        let f = decimal.as_f64()?;
        (f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64)
    })
}
