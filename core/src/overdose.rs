//! Overdose-risk guidance after a lapse. Tolerance falls during abstinence,
//! and fentanyl in the supply reaches opioids, stimulants and pills not from
//! a pharmacy; stopping naltrexone removes its blockade as well. After such
//! a lapse the response says so plainly: do not use alone (the Never Use
//! Alone line), carry naloxone, start low, and in a suspected overdose call
//! 911, give naloxone and stay.

use crate::crisis::CrisisLine;
use crate::{Result, Steady};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

/// The guidance shown with a lapse that carries overdose risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OverdoseGuidance {
    /// Why it is shown (which substance or change raised the risk).
    pub why: String,
    /// What to do, in order.
    pub steps: Vec<String>,
    /// The line that stays with someone who uses alone.
    pub never_use_alone: CrisisLine,
}

/// Whole words (lowercase) that name an opioid, a stimulant, or a pill that
/// may not come from a pharmacy.
const OPIOIDS: &[&str] = &[
    "opioid",
    "opioids",
    "opiate",
    "opiates",
    "heroin",
    "fentanyl",
    "fent",
    "oxy",
    "oxycodone",
    "oxycontin",
    "percocet",
    "vicodin",
    "hydrocodone",
    "hydromorphone",
    "dilaudid",
    "morphine",
    "codeine",
    "methadone",
    "tramadol",
    "dope",
];
const STIMULANTS: &[&str] = &[
    "stimulant",
    "stimulants",
    "cocaine",
    "coke",
    "crack",
    "meth",
    "methamphetamine",
    "amphetamine",
    "amphetamines",
    "speed",
    "crystal",
    "adderall",
];
const PILLS: &[&str] = &[
    "pill", "pills", "pressed", "bar", "bars", "xanax", "benzo", "benzos", "m30", "m30s", "blues",
];
const NALTREXONE: &[&str] = &["naltrexone", "vivitrol"];

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn names_any(substances: &[String], list: &[&str]) -> bool {
    substances
        .iter()
        .any(|s| words(s).any(|w| list.contains(&w.as_str())))
}

/// Why a lapse with `substances` carries overdose risk, if it does.
fn risk(substances: &[String], stopped_naltrexone: bool) -> Option<&'static str> {
    if names_any(substances, OPIOIDS) {
        Some(
            "You used an opioid. After time without using, your tolerance is lower, and \
              fentanyl in the supply makes any opioid more dangerous.",
        )
    } else if names_any(substances, PILLS) {
        Some(
            "Pills that do not come from a pharmacy may contain fentanyl, and after time \
              without using your tolerance is lower.",
        )
    } else if names_any(substances, STIMULANTS) {
        Some(
            "Stimulants in the supply are often mixed with fentanyl, and after time without \
              using your tolerance to it is low.",
        )
    } else if stopped_naltrexone {
        Some(
            "You stopped naltrexone: it no longer blocks opioids, and your tolerance is \
              lower than before.",
        )
    } else {
        None
    }
}

pub(crate) fn guidance(
    substances: &[String],
    stopped_naltrexone: bool,
) -> Option<OverdoseGuidance> {
    let why = risk(substances, stopped_naltrexone)?;
    Some(OverdoseGuidance {
        why: why.to_string(),
        steps: vec![
            "Do not use alone. If you do, call the Never Use Alone line, 1-800-484-3731: \
             someone stays on the line and sends help if you stop answering."
                .into(),
            "Carry naloxone (Narcan, sold without a prescription) and tell the people around \
             you where it is."
                .into(),
            "Start low and go slow: the amount you used to take can now be too much.".into(),
            "In a suspected overdose, call 911, give naloxone and stay with the person, \
             whatever else was taken."
                .into(),
        ],
        never_use_alone: CrisisLine {
            name: "Never Use Alone".into(),
            call: "1-800-484-3731".into(),
            text: None,
            description: "If you use, call: a volunteer stays on the line and sends help if \
                          you stop answering."
                .into(),
        },
    })
}

impl Steady {
    /// Whether a naltrexone plan was stopped on or before `today` (removed,
    /// or its end date passed).
    pub(crate) fn stopped_naltrexone(&self, today: NaiveDate) -> Result<bool> {
        self.read(|conn| stopped(conn, today))
    }
}

fn stopped(conn: &Connection, today: NaiveDate) -> Result<bool> {
    let mut stmt = conn.prepare(
        "SELECT name FROM medication
         WHERE deleted_at_ms IS NOT NULL OR (end_date IS NOT NULL AND end_date < ?1)",
    )?;
    let names = stmt.query_map(params![today.to_string()], |r| r.get::<_, String>(0))?;
    for name in names {
        if words(&name?).any(|w| NALTREXONE.contains(&w.as_str())) {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn opioids_stimulants_and_street_pills_carry_the_guidance() {
        for names in [
            &["Heroin"][..],
            &["fentanyl"],
            &["crack cocaine"],
            &["alcohol", "pressed pills"],
            &["Meth"],
        ] {
            let g = guidance(&list(names), false).expect("guidance");
            assert_eq!(g.never_use_alone.call, "1-800-484-3731");
            let all = g.steps.join(" ");
            assert!(all.contains("naloxone") && all.contains("911"), "{all}");
        }
    }

    #[test]
    fn alcohol_or_cannabis_alone_do_not_unless_naltrexone_was_stopped() {
        assert!(guidance(&list(&["alcohol", "cannabis"]), false).is_none());
        assert!(guidance(&list(&["methadone clinic"]), false).is_some());
        let g = guidance(&list(&["alcohol"]), true).expect("after naltrexone");
        assert!(g.why.contains("naltrexone"));
    }
}
