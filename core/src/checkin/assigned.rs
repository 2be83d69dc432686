//! Questionnaires the clinic assigns: they arrive by sync (pull) as
//! `questionnaire` clinic records, each due weekly on a weekday at a local
//! time that follows the phone (floating). The patient sees them with
//! whether one is due now; the reminder planner reminds them when due; the
//! answers are ordinary questionnaire responses, which sync back under the
//! check-ins consent. A clinic's own instrument comes with its FHIR
//! definition and can be answered by the id that definition gives.

use super::fhir;
use super::instrument::Questionnaire;
use crate::schedule::local_time::{format_date, format_time, resolve};
use crate::schedule::Weekday;
use crate::zone::Tz;
use crate::{Result, Steady};
use chrono::{DateTime, Datelike, Duration, NaiveDateTime, NaiveTime, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;

/// An answer up to this long before a due time counts for it.
pub const EARLY_ANSWER_DAYS: i64 = 3;

/// A questionnaire the clinic asked the patient to answer weekly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AssignedQuestionnaire {
    /// The clinic's record id for the assignment.
    pub assignment_id: String,
    /// What to pass to `submit_questionnaire`: `phq9`, `gad7` or the clinic
    /// instrument's id.
    pub questionnaire_id: String,
    pub title: String,
    pub weekday: Weekday,
    /// Local time it is due, `HH:MM`, on the phone's clock.
    pub time: String,
    /// The latest due time is not answered yet (answers up to three days
    /// early count). A new assignment is due at once, for the current week.
    pub due_now: bool,
    /// The latest due time at or before now, `YYYY-MM-DDTHH:MM` local.
    pub last_due_local: String,
    pub next_due_local: String,
    pub last_answered_at_ms: Option<i64>,
}

/// One assignment as the planner and the list read it.
#[derive(Debug, Clone)]
pub(crate) struct Assignment {
    pub assignment_id: String,
    pub questionnaire: Questionnaire,
    pub weekday: Weekday,
    pub time: NaiveTime,
    pub last_answered_at_ms: Option<i64>,
}

impl Assignment {
    /// Whether the due time `due` was answered (at most three days early).
    pub fn answered(&self, due: DateTime<Utc>) -> bool {
        let from = due - Duration::days(EARLY_ANSWER_DAYS);
        self.last_answered_at_ms
            .is_some_and(|at| at >= from.timestamp_millis())
    }

    /// The due wall-clock time on or before `local`, and the one after.
    fn due_around(&self, local: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
        let target = self.weekday.to_chrono().num_days_from_monday();
        let today = local.date().weekday().num_days_from_monday();
        let back = (7 + today - target) % 7;
        let mut last = (local.date() - Duration::days(i64::from(back))).and_time(self.time);
        if last > local {
            last -= Duration::days(7);
        }
        (last, last + Duration::days(7))
    }
}

impl Steady {
    /// The questionnaires the clinic assigned, by title, each with whether it
    /// is due now and when it is due next.
    pub fn assigned_questionnaires(&self) -> Result<Vec<AssignedQuestionnaire>> {
        let now = self.now();
        let zone = self.zone()?;
        let assignments = self.read(assignments)?;
        Ok(assignments
            .into_iter()
            .map(|a| view(a, now, zone))
            .collect())
    }
}

fn view(a: Assignment, now: DateTime<Utc>, zone: Tz) -> AssignedQuestionnaire {
    let local = now.with_timezone(&zone).naive_local();
    let (last, next) = a.due_around(local);
    let local_text =
        |t: NaiveDateTime| format!("{}T{}", format_date(t.date()), format_time(t.time()));
    AssignedQuestionnaire {
        due_now: !a.answered(resolve(zone, last)),
        last_due_local: local_text(last),
        next_due_local: local_text(next),
        assignment_id: a.assignment_id,
        questionnaire_id: a.questionnaire.id,
        title: a.questionnaire.title,
        weekday: a.weekday,
        time: format_time(a.time),
        last_answered_at_ms: a.last_answered_at_ms,
    }
}

/// Every readable assignment, by title. One the phone cannot read (an
/// instrument it does not know, a bad definition) is left out rather than
/// shown half-working.
pub(crate) fn assignments(conn: &Connection) -> Result<Vec<Assignment>> {
    let mut stmt = conn.prepare(
        "SELECT record_id, payload FROM clinic_record
         WHERE kind = 'questionnaire' ORDER BY record_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (assignment_id, payload) = row?;
        let Some((questionnaire, weekday, time)) = parse(&payload) else {
            continue;
        };
        let last_answered_at_ms = conn.query_row(
            "SELECT max(completed_at_ms) FROM questionnaire_response WHERE questionnaire_id = ?1",
            params![questionnaire.id],
            |r| r.get(0),
        )?;
        out.push(Assignment {
            assignment_id,
            questionnaire,
            weekday,
            time,
            last_answered_at_ms,
        });
    }
    out.sort_by(|a, b| a.questionnaire.title.cmp(&b.questionnaire.title));
    Ok(out)
}

/// A clinic instrument assigned by sync, by its FHIR id.
pub(crate) fn assigned_instrument(conn: &Connection, id: &str) -> Result<Option<Questionnaire>> {
    Ok(assignments(conn)?
        .into_iter()
        .map(|a| a.questionnaire)
        .find(|q| q.id == id))
}

fn parse(payload: &str) -> Option<(Questionnaire, Weekday, NaiveTime)> {
    let wire: steady_protocol::Questionnaire = serde_json::from_str(payload).ok()?;
    let time = NaiveTime::parse_from_str(&wire.time, "%H:%M").ok()?;
    let mut questionnaire = match wire.instrument.as_str() {
        "phq9" => super::builtin::phq9(),
        "gad7" => super::builtin::gad7(),
        "custom" => fhir::parse(&wire.definition?.to_string()).ok()?,
        _ => return None,
    };
    if !wire.title.trim().is_empty() {
        questionnaire.title = wire.title.trim().to_string();
    }
    Some((questionnaire, wire.weekday, time))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TestDb;
    use crate::{AnswerValue, QuestionnaireAnswer, ReminderKind};

    /// Stores a clinic record as a pull would.
    fn assign(db: &TestDb, id: &str, payload: serde_json::Value, authored_at_ms: i64) {
        db.steady
            .write(|tx| {
                tx.execute(
                    "INSERT INTO clinic_record (kind, record_id, payload, authored_at_ms,
                         received_at_ms) VALUES ('questionnaire', ?1, ?2, ?3, ?3)",
                    params![id, payload.to_string(), authored_at_ms],
                )?;
                Ok(())
            })
            .unwrap();
    }

    fn custom() -> serde_json::Value {
        serde_json::json!({
            "instrument": "custom", "title": "Weekly cravings", "weekday": "wed", "time": "18:30",
            "definition": {"resourceType": "Questionnaire", "id": "weekly-cravings",
                "item": [{"linkId": "q1", "text": "How strong at worst?", "type": "integer",
                          "required": true}]}
        })
    }

    #[test]
    fn assigned_questionnaires_are_listed_due_reminded_and_answered() {
        // Monday 2027-01-04 10:00 in New York.
        let db = TestDb::new("2027-01-04T15:00:00Z", "America/New_York");
        let assigned_at = db.now_ms() - 30 * 86_400_000;
        let phq9 = serde_json::json!({"instrument": "phq9", "title": "Weekly mood",
                                      "weekday": "mon", "time": "09:00"});
        assign(&db, "a-mood", phq9, assigned_at);
        assign(&db, "a-cravings", custom(), assigned_at);
        assign(
            &db,
            "a-unknown",
            serde_json::json!({"instrument": "audit"}),
            assigned_at,
        );

        let list = db.steady.assigned_questionnaires().unwrap();
        let ids: Vec<_> = list.iter().map(|a| a.questionnaire_id.as_str()).collect();
        assert_eq!(
            ids,
            ["weekly-cravings", "phq9"],
            "by title; unreadable left out"
        );
        let mood = &list[1];
        assert!(mood.due_now);
        assert_eq!(mood.last_due_local, "2027-01-04T09:00");
        assert_eq!(mood.next_due_local, "2027-01-11T09:00");
        let cravings = &list[0];
        assert!(cravings.due_now, "last Wednesday's is still open");
        assert_eq!(cravings.next_due_local, "2027-01-06T18:30");

        let reminders = db.steady.plan_reminders().unwrap();
        let due: Vec<_> = reminders
            .iter()
            .filter(|r| r.kind == ReminderKind::Questionnaire)
            .map(|r| r.id.as_str())
            .collect();
        assert!(
            due.contains(&"questionnaire:a-cravings:2027-01-06"),
            "{due:?}"
        );
        assert!(due.contains(&"questionnaire:a-mood:2027-01-11"), "{due:?}");
        let text = reminders
            .iter()
            .find(|r| r.kind == ReminderKind::Questionnaire)
            .unwrap();
        assert!(!text.title.contains("cravings") && !text.body.contains("cravings"));

        // A clinic instrument is answered by its id without loading it.
        db.steady
            .submit_questionnaire(
                "weekly-cravings",
                vec![QuestionnaireAnswer {
                    link_id: "q1".into(),
                    value: AnswerValue::Number { value: 6 },
                }],
            )
            .unwrap();
        let list = db.steady.assigned_questionnaires().unwrap();
        assert!(!list[0].due_now);
        assert!(list[1].due_now);
        // Answered two days before Wednesday's due time: no reminder for it.
        let again = db.steady.plan_reminders().unwrap();
        assert!(!again
            .iter()
            .any(|r| r.id == "questionnaire:a-cravings:2027-01-06"));
    }

    #[test]
    fn a_new_assignment_is_due_at_once_and_then_weekly() {
        // Tuesday: Monday's due time passed before the clinic assigned it.
        let db = TestDb::new("2027-01-05T15:00:00Z", "America/New_York");
        let phq9 = serde_json::json!({"instrument": "phq9", "title": "Mood",
                                      "weekday": "mon", "time": "09:00"});
        assign(&db, "a-mood", phq9, db.now_ms() - 60_000);
        let list = db.steady.assigned_questionnaires().unwrap();
        assert!(list[0].due_now);
        assert_eq!(list[0].last_due_local, "2027-01-04T09:00");
        assert_eq!(list[0].next_due_local, "2027-01-11T09:00");
    }
}
