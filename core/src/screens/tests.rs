//! The screen calls, the change signals and the sync steps, against a real
//! encrypted database and a small scripted clinic that speaks protocol v1.

use super::*;
use crate::changes::{ChangeArea, ChangeObserver, ChangeSet, Screen};
use crate::test_support::{utc, TestDb};
use crate::typed_time::{Instant, LocalDate};
use crate::{
    AttendanceStatus, ConsentCategory, ConsentGrant, ConsentState, DoseStatus, Error, HttpRequest,
    HttpResponse, NewCraving, Transport, TransportError,
};
use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// Answers enroll, push (everything applied) and pull (the scripted changes,
/// one page) like a clinic server; counts requests; fails when told to.
#[derive(Default)]
struct Clinic {
    changes: Mutex<Vec<Value>>,
    offline: Mutex<bool>,
    requests: Mutex<Vec<String>>,
}

impl Clinic {
    fn message(&self, id: &str, body: &str) {
        self.author("message", id, json!({"from": "Dana", "body": body}));
    }

    /// A weekly group on Mondays and Wednesdays from 2026-03-02.
    fn group(&self, start_time: &str, minutes: u32) {
        self.author(
            "session_series",
            SERIES_ID,
            json!({"kind": "group", "title": "Group", "time_zone": "America/New_York",
                   "first_date": "2026-03-02", "start_time": start_time,
                   "duration_minutes": minutes, "weekdays": ["mon", "wed"],
                   "interval_weeks": 1, "cancelled_dates": []}),
        );
    }

    fn author(&self, kind: &str, id: &str, payload: Value) {
        let mut changes = self.changes.lock().unwrap();
        let cursor = changes.len() as i64 + 1;
        changes.push(json!({
            "cursor": cursor, "kind": kind, "record_id": id, "operation": "upsert",
            "payload": payload, "authored_at_ms": 1_773_150_000_000i64 + cursor,
        }));
    }

    fn answer(&self, request: &HttpRequest) -> std::result::Result<HttpResponse, TransportError> {
        if *self.offline.lock().unwrap() {
            return Err(TransportError::Network {
                reason: "no route".into(),
            });
        }
        let path = request
            .url
            .trim_start_matches("http://clinic.test")
            .to_string();
        self.requests.lock().unwrap().push(path.clone());
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let answer = match path.as_str() {
            "/v1/enroll" => json!({"device_id": "d1", "device_token": "t0ken",
                "clinic_name": "Riverside IOP", "protocol_version": 1}),
            "/v1/sync/push" => {
                let results: Vec<Value> = body["mutations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| json!({"seq": m["seq"], "result": "applied"}))
                    .collect();
                json!({"results": results, "last_seq": 0})
            }
            "/v1/sync/pull" => {
                let cursor = body["cursor"].as_i64().unwrap();
                let changes: Vec<Value> = self
                    .changes
                    .lock()
                    .unwrap()
                    .iter()
                    .filter(|c| c["cursor"].as_i64().unwrap() > cursor)
                    .cloned()
                    .collect();
                let next = changes
                    .last()
                    .map_or(cursor, |c| c["cursor"].as_i64().unwrap());
                json!({"changes": changes, "next_cursor": next, "has_more": false})
            }
            other => panic!("unexpected {other}"),
        };
        Ok(HttpResponse {
            status: 200,
            headers: vec![],
            body: serde_json::to_vec(&answer).unwrap(),
        })
    }
}

impl Transport for Clinic {
    fn send(&self, request: HttpRequest) -> std::result::Result<HttpResponse, TransportError> {
        self.answer(&request)
    }
}

/// Clinic record ids are UUIDs, as the server makes them.
const SERIES_ID: &str = "5e55f0a1-0000-4000-8000-000000000001";
const PLAN_ID: &str = "5e55f0a1-0000-4000-8000-000000000002";

/// Tuesday 2026-03-10, 10:00 in New York.
fn db() -> TestDb {
    TestDb::new("2026-03-10T14:00:00Z", "America/New_York")
}

/// A phone enrolled with a fresh scripted clinic.
fn enrolled_db() -> (TestDb, Clinic) {
    let f = db();
    let clinic = Clinic::default();
    enrolled(&f, &clinic);
    (f, clinic)
}

fn enrolled(db: &TestDb, clinic: &Clinic) {
    db.steady
        .enroll("ABCD-EFGH", "http://clinic.test", None, clinic)
        .unwrap();
}

fn grant(db: &TestDb, categories: &[ConsentCategory]) {
    db.steady
        .grant_consent(ConsentGrant {
            categories: categories.to_vec(),
            signature: "Sam Rivera".into(),
            ..ConsentGrant::default()
        })
        .unwrap();
}

fn craving(f: &TestDb, intensity: u8) {
    f.steady
        .log_craving(NewCraving {
            intensity,
            ..NewCraving::default()
        })
        .unwrap();
}

fn date(text: &str) -> LocalDate {
    LocalDate::new(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
}

/// Records every change set it is told about.
#[derive(Default)]
struct Recorder(Mutex<Vec<ChangeSet>>);

impl ChangeObserver for Recorder {
    fn changed(&self, changes: &ChangeSet) {
        self.0.lock().unwrap().push(changes.clone());
    }
}

impl Recorder {
    fn areas(&self) -> Vec<ChangeArea> {
        let mut all: Vec<ChangeArea> = self
            .0
            .lock()
            .unwrap()
            .iter()
            .flat_map(|c| c.areas.clone())
            .collect();
        all.sort();
        all.dedup();
        all
    }
    fn clear(&self) {
        self.0.lock().unwrap().clear();
    }
}

#[test]
fn an_observer_hears_each_committed_write_with_its_areas_and_stale_screens() {
    let f = db();
    let recorder = Arc::new(Recorder::default());
    let token = f.steady.observe(recorder.clone());
    craving(&f, 7);
    let seen = recorder.0.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "one write, one signal");
    assert!(seen[0].areas.contains(&ChangeArea::Cravings));
    assert!(seen[0].areas.contains(&ChangeArea::Sync), "its outbox row");
    assert!(seen[0].screens.contains(&Screen::Today));
    assert!(seen[0].screens.contains(&Screen::Progress));

    // A refused write changes nothing and says nothing.
    recorder.clear();
    assert!(f.steady.set_strong_craving_threshold(0).is_err());
    assert!(f
        .steady
        .log_craving(NewCraving {
            intensity: 11,
            ..NewCraving::default()
        })
        .is_err());
    assert!(recorder.0.lock().unwrap().is_empty());

    // Reads say nothing either.
    f.steady.today().unwrap();
    assert!(recorder.0.lock().unwrap().is_empty());

    drop(token);
    f.steady.set_strong_craving_threshold(5).unwrap();
    assert!(
        recorder.0.lock().unwrap().is_empty(),
        "dropping the token unregisters"
    );
}

/// Calls back into Steady from inside the signal: this only works if no lock
/// is held and the transaction is over (it sees the committed row).
struct ReadsBack {
    steady: Arc<crate::Steady>,
    seen: Mutex<Vec<u8>>,
}

impl ChangeObserver for ReadsBack {
    fn changed(&self, _changes: &ChangeSet) {
        let threshold = self.steady.strong_craving_threshold().unwrap();
        self.seen.lock().unwrap().push(threshold);
    }
}

struct Panics;

impl ChangeObserver for Panics {
    fn changed(&self, _changes: &ChangeSet) {
        panic!("a broken observer");
    }
}

#[test]
fn observers_run_after_commit_without_locks_and_a_failing_one_breaks_nothing() {
    let f = db();
    let steady = Arc::new(crate::Steady::open(&f.path, &f.key, f.clock.clone()).unwrap());
    let _panics = steady.observe(Arc::new(Panics));
    let reads = Arc::new(ReadsBack {
        steady: steady.clone(),
        seen: Mutex::default(),
    });
    let _reads = steady.observe(reads.clone());
    steady.set_strong_craving_threshold(4).unwrap();
    assert_eq!(*reads.seen.lock().unwrap(), vec![4], "the committed value");
    assert_eq!(
        steady.strong_craving_threshold().unwrap(),
        4,
        "the write stands"
    );
    // Break the reference cycle (observer → steady → observer).
    drop(_reads);
}

#[test]
fn a_sync_signals_the_clinic_records_and_schedule_it_brings_in() {
    let (f, clinic) = enrolled_db();
    clinic.message("m1", "See you Monday");
    clinic.group("18:00", 180);
    let recorder = Arc::new(Recorder::default());
    let _token = f.steady.observe(recorder.clone());
    f.steady.sync(&clinic).unwrap();
    let areas = recorder.areas();
    for area in [ChangeArea::Clinic, ChangeArea::Schedule, ChangeArea::Sync] {
        assert!(areas.contains(&area), "{area:?} in {areas:?}");
    }
    let screens: Vec<Screen> = recorder
        .0
        .lock()
        .unwrap()
        .iter()
        .flat_map(|c| c.screens.clone())
        .collect();
    assert!(
        screens.contains(&Screen::ReminderPlan),
        "a new schedule replans reminders"
    );
}

#[test]
fn every_table_of_the_schema_has_a_change_area() {
    let f = db();
    let tables: Vec<String> = f
        .steady
        .read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table'
                 AND name NOT LIKE 'sqlite_%'",
            )?;
            let rows = stmt.query_map([], |row| row.get(0))?;
            Ok(rows.collect::<std::result::Result<_, _>>()?)
        })
        .unwrap();
    for table in tables {
        let area = ChangeArea::of_table(&table);
        assert!(
            area != ChangeArea::Other || table == "record_revision",
            "table {table} has no change area"
        );
    }
}

#[test]
fn the_sync_steps_hand_out_requests_and_take_answers_without_io() {
    let f = db();
    let clinic = Clinic::default();
    let pending = f
        .steady
        .enrollment_request("ABCD-EFGH", "http://clinic.test/", None)
        .unwrap();
    assert_eq!(pending.request.url, "http://clinic.test/v1/enroll");
    f.steady
        .finish_enrollment(&pending, clinic.answer(&pending.request))
        .unwrap();
    grant(&f, &[ConsentCategory::Cravings]);
    craving(&f, 3);
    clinic.message("m1", "Hello");

    let mut run = f.steady.start_sync().unwrap();
    assert_eq!(f.steady.sync_state().unwrap().phase, SyncPhase::Running);
    // Answering before asking is the caller's bug: typed, and harmless.
    assert!(matches!(
        run.receive(&f.steady, clinic.answer(&pending.request)),
        Err(Error::Invalid { .. })
    ));
    let mut paths = Vec::new();
    while let Some(request) = run.next_request(&f.steady).unwrap() {
        paths.push(request.url.clone());
        assert!(matches!(
            run.next_request(&f.steady),
            Err(Error::Invalid { .. })
        ));
        run.receive(&f.steady, clinic.answer(&request)).unwrap();
    }
    assert_eq!(
        paths,
        [
            "http://clinic.test/v1/sync/push",
            "http://clinic.test/v1/sync/pull"
        ]
    );
    assert_eq!(run.report().applied, 2, "the consent and the craving");
    assert_eq!(run.report().clinic_changes, 1);
    assert!(run.is_done());
    let state = f.steady.sync_state().unwrap();
    assert_eq!(state.phase, SyncPhase::Idle);
    assert_eq!(state.last_success, Some(Instant::from_millis(f.now_ms())));
    assert!(state.waiting.is_empty());
}

#[test]
fn an_unreachable_clinic_shows_offline_with_what_waits_and_why() {
    let (f, clinic) = enrolled_db();
    grant(&f, &[ConsentCategory::Cravings]);
    craving(&f, 3);
    f.steady.log_lapse(crate::NewLapse::default()).unwrap();
    *clinic.offline.lock().unwrap() = true;
    assert!(matches!(
        f.steady.sync(&clinic),
        Err(Error::Unavailable { .. })
    ));
    let state = f.steady.sync_state().unwrap();
    assert_eq!(state.phase, SyncPhase::Offline);
    let problem = state.last_error.unwrap();
    assert_eq!(problem.kind, SyncProblemKind::Offline);
    assert!(problem.reason.contains("no route"));
    let waiting: Vec<(ConsentCategory, u32, WaitReason)> = state
        .waiting
        .iter()
        .map(|w| (w.category, w.count, w.reason))
        .collect();
    assert_eq!(
        waiting,
        [
            (ConsentCategory::Cravings, 1, WaitReason::NextSync),
            (ConsentCategory::Lapses, 1, WaitReason::NoConsent),
        ]
    );
    // The Today and Clinic screens show the same state.
    assert_eq!(f.steady.today().unwrap().sync.phase, SyncPhase::Offline);
    assert_eq!(
        f.steady.clinic_screen().unwrap().sync.phase,
        SyncPhase::Offline
    );

    *clinic.offline.lock().unwrap() = false;
    f.steady.sync(&clinic).unwrap();
    let state = f.steady.sync_state().unwrap();
    assert_eq!(state.phase, SyncPhase::Idle);
    assert_eq!(state.last_error, None);
}

#[test]
fn today_counts_unread_clinic_messages_until_they_are_read() {
    let f = db();
    let clinic = Clinic::default();
    assert_eq!(f.steady.today().unwrap().sync.phase, SyncPhase::NotEnrolled);
    enrolled(&f, &clinic);
    clinic.message("m1", "See you Monday");
    clinic.message("m2", "Bring your plan");
    f.steady.sync(&clinic).unwrap();
    let today = f.steady.today().unwrap();
    assert_eq!(today.unread_messages, 2);
    assert_eq!(today.sync.phase, SyncPhase::Idle);
    let screen = f.steady.clinic_screen().unwrap();
    assert_eq!(screen.messages.len(), 2);
    assert_eq!(screen.messages[0].body, "Bring your plan", "newest first");
    assert!(screen.messages.iter().all(|m| m.unread));

    f.steady.mark_clinic_messages_read().unwrap();
    assert_eq!(f.steady.today().unwrap().unread_messages, 0);
    f.clock.advance(Duration::minutes(5));
    clinic.message("m3", "Running late");
    f.steady.sync(&clinic).unwrap();
    assert_eq!(f.steady.today().unwrap().unread_messages, 1);
}

#[test]
fn the_craving_form_offers_built_in_and_own_choices_and_the_threshold() {
    let f = db();
    f.steady.set_strong_craving_threshold(6).unwrap();
    f.steady
        .add_to_coping_plan(crate::PlanSection::Strategy, "Walk the dog".into())
        .unwrap();
    for triggers in [vec!["payday", "hungry"], vec!["Payday"], vec!["traffic"]] {
        f.steady
            .log_craving(NewCraving {
                intensity: 4,
                triggers: triggers.into_iter().map(str::to_string).collect(),
                ..NewCraving::default()
            })
            .unwrap();
    }
    let form = f.steady.craving_form().unwrap();
    assert_eq!(form.strong_craving_threshold, 6);
    assert_eq!(form.intensity_max, 10);
    assert_eq!(form.triggers[0].value, "hungry");
    assert_eq!(form.triggers[0].label.key, "trigger.hungry");
    let own: Vec<&str> = form
        .triggers
        .iter()
        .filter(|c| !c.built_in)
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(
        own,
        ["payday", "traffic"],
        "own triggers, most used first, once each"
    );
    let strategy = form.coping_strategies.last().unwrap();
    assert_eq!(
        (strategy.value.as_str(), strategy.built_in),
        ("Walk the dog", false)
    );
    assert_eq!(strategy.label.key, "own");
    assert_eq!(form.places.len(), 3);
}

#[test]
fn checkins_show_what_is_due_with_items_and_the_last_scores_with_their_change() {
    let f = db();
    let screen = f.steady.checkins_screen().unwrap();
    assert_eq!(screen.daily.date, date("2026-03-10"));
    assert!(!screen.daily.done);
    let due: Vec<&str> = screen
        .due
        .iter()
        .map(|d| d.questionnaire.id.as_str())
        .collect();
    assert_eq!(due, ["phq9", "gad7"], "built-ins are due on a new install");
    assert_eq!(screen.due[0].questionnaire.items.len(), 9);
    assert_eq!(screen.due[0].questionnaire.items[0].options.len(), 4);

    f.steady.submit_phq9(vec![2; 9]).unwrap();
    f.clock.advance(Duration::days(15));
    f.steady.submit_phq9(vec![1; 9]).unwrap();
    let screen = f.steady.checkins_screen().unwrap();
    assert!(screen.due.iter().all(|d| d.questionnaire.id != "phq9"));
    let phq9 = &screen.last_scores[0];
    assert_eq!(phq9.questionnaire_id, "phq9");
    assert_eq!(
        (phq9.score, phq9.previous_score, phq9.difference),
        (9, Some(18), Some(-9))
    );
    assert_eq!(phq9.change, ScoreChange::Down);

    f.clock
        .advance(Duration::days(checkins::BUILT_IN_INTERVAL_DAYS));
    assert!(
        f.steady
            .checkins_screen()
            .unwrap()
            .due
            .iter()
            .any(|d| d.questionnaire.id == "phq9"),
        "due again after the interval"
    );
}

#[test]
fn a_clinic_assigned_questionnaire_is_due_from_its_weekly_time_until_answered() {
    let (f, clinic) = enrolled_db();
    // Mondays at 09:00: the latest one passed is Monday 2026-03-09.
    clinic.author(
        "questionnaire",
        "q1",
        json!({"instrument": "gad7", "title": "Weekly anxiety check", "weekday": "mon",
               "time": "09:00"}),
    );
    f.steady.sync(&clinic).unwrap();
    let due = f.steady.checkins_screen().unwrap().due;
    let gad7 = due.iter().find(|d| d.questionnaire.id == "gad7").unwrap();
    assert_eq!(gad7.source, QuestionnaireSource::Clinic);
    assert_eq!(gad7.title, "Weekly anxiety check");
    assert_eq!(
        gad7.due_since,
        Some(Instant::from_datetime(utc("2026-03-09T13:00:00Z")))
    );
    assert_eq!(
        due.iter().filter(|d| d.questionnaire.id == "gad7").count(),
        1
    );
    f.steady.submit_gad7(vec![0; 7]).unwrap();
    let today = f.steady.today().unwrap();
    assert!(today
        .questionnaires_due
        .iter()
        .all(|d| d.questionnaire.id != "gad7"));
}

#[test]
fn a_schedule_week_pages_and_shows_attendance_with_who_recorded_it_and_doses() {
    let (f, clinic) = enrolled_db();
    clinic.group("08:00", 60);
    clinic.author(
        "medication_plan",
        PLAN_ID,
        json!({"name": "Buprenorphine", "dose": "8 mg", "times": ["08:00"], "weekdays": [],
               "start_date": "2026-03-01"}),
    );
    f.steady.sync(&clinic).unwrap();
    let week = f.steady.schedule_week(None).unwrap();
    assert_eq!(week.week_start, date("2026-03-09"));
    assert!(week.is_current_week);
    assert_eq!(week.days.len(), 7);
    assert!(week.days[1].is_today);
    let monday = &week.days[0].sessions[0];
    f.steady
        .record_attendance(&monday.occurrence.id, AttendanceStatus::Late)
        .unwrap();
    f.steady
        .confirm_dose(PLAN_ID, DoseStatus::Taken, Some("2026-03-10T08:00"))
        .unwrap();
    let week = f.steady.schedule_week(Some(date("2026-03-12"))).unwrap();
    let monday = &week.days[0].sessions[0];
    let mark = monday.attendance.as_ref().unwrap();
    assert_eq!(
        (mark.status, mark.recorded_by, mark.recorded_at),
        (
            AttendanceStatus::Late,
            RecordedBy::Patient,
            Instant::from_millis(f.now_ms())
        )
    );
    assert_eq!(
        monday.starts_at,
        Instant::from_datetime(utc("2026-03-09T12:00:00Z"))
    );
    assert_eq!(week.days[2].sessions.len(), 1, "Wednesday");
    assert_eq!(week.days[1].doses.len(), 1);
    assert_eq!(week.days[1].doses[0].answer_label.key, "dose.answer.taken");

    let next = f.steady.schedule_week(Some(week.next_week)).unwrap();
    assert_eq!(next.week_start, date("2026-03-16"));
    assert!(!next.is_current_week);
    assert!(next.days[0].sessions[0].attendance.is_none());
    assert_eq!(next.previous_week, week.week_start);
}

#[test]
fn progress_gives_the_report_and_a_point_for_every_day_and_week_of_the_range() {
    let f = db();
    craving(&f, 8);
    let screen = f.steady.progress_screen(ProgressRange::LastWeek).unwrap();
    assert_eq!(screen.first_day, date("2026-03-04"));
    assert_eq!(screen.last_day, date("2026-03-10"));
    let count = screen
        .series
        .iter()
        .find(|s| s.key == "cravings.count")
        .unwrap();
    assert_eq!(count.period, SeriesPeriod::Day);
    let dates: Vec<LocalDate> = count.points.iter().map(|p| p.date).collect();
    let expected: Vec<LocalDate> = (4..=10).map(|d| date(&format!("2026-03-{d:02}"))).collect();
    assert_eq!(dates, expected);
    assert_eq!(count.points.last().unwrap().value, Some(1.0));
    let peak = screen
        .series
        .iter()
        .find(|s| s.key == "cravings.peak_intensity")
        .unwrap();
    assert_eq!(peak.points[0].value, None, "no craving: a gap, not a zero");
    assert_eq!(peak.points[6].value, Some(8.0));
    let weekly = screen
        .series
        .iter()
        .find(|s| s.key == "cravings.weekly_count")
        .unwrap();
    assert_eq!(weekly.period, SeriesPeriod::Week);
    assert_eq!(weekly.points.last().unwrap().date, date("2026-03-09"));
    assert!(matches!(
        f.steady.progress_screen(ProgressRange::Since {
            date: date("2026-03-11")
        }),
        Err(Error::Invalid { .. })
    ));
}

#[test]
fn the_clinic_screen_states_every_consent_element_and_what_was_shared() {
    let f = db();
    let clinic = Clinic::default();
    let screen = f.steady.clinic_screen().unwrap();
    assert_eq!(screen.enrollment, EnrollmentState::NotEnrolled);
    assert_eq!(screen.consents.len(), ConsentCategory::ALL.len());
    enrolled(&f, &clinic);
    grant(&f, &[ConsentCategory::Cravings]);
    craving(&f, 5);
    f.steady.sync(&clinic).unwrap();
    let screen = f.steady.clinic_screen().unwrap();
    assert!(
        matches!(screen.enrollment, EnrollmentState::Enrolled { ref clinic_name, .. }
        if clinic_name == "Riverside IOP")
    );
    assert_eq!(screen.patient_name.as_deref(), Some("Sam Rivera"));
    let cravings = screen
        .consents
        .iter()
        .find(|c| c.category == ConsentCategory::Cravings)
        .unwrap();
    assert_eq!(cravings.state, ConsentState::Active);
    let keys: Vec<&str> = cravings.elements.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "patient_name",
            "discloser",
            "recipient",
            "information",
            "purpose",
            "expiry",
            "right_to_revoke",
            "refusal",
            "signature",
            "signed_on"
        ]
    );
    let text = |key: &str| {
        cravings
            .elements
            .iter()
            .find(|e| e.key == key)
            .unwrap()
            .text
            .clone()
    };
    assert_eq!(text("recipient"), "Riverside IOP");
    assert_eq!(text("signature"), "Sam Rivera");
    assert_eq!(text("signed_on"), "2026-03-10");
    assert!(text("expiry").starts_with("Until 2027-03-10"));
    assert!(text("right_to_revoke").contains("in writing"));
    let lapses = screen
        .consents
        .iter()
        .find(|c| c.category == ConsentCategory::Lapses)
        .unwrap();
    assert_eq!(lapses.state, ConsentState::NotGranted);
    assert_eq!(
        lapses.elements.len(),
        10,
        "the form states every element before signing"
    );

    assert_eq!(
        screen.shared.len(),
        1,
        "the craving, not the consent record"
    );
    let shared = &screen.shared[0];
    assert_eq!(shared.category, ConsentCategory::Cravings);
    assert_eq!(shared.description.key, "record.craving");
    assert_eq!(shared.recipient, "Riverside IOP");
    assert_eq!(shared.shared_at, Instant::from_millis(f.now_ms()));
}

#[test]
fn settings_show_discreet_text_by_default_with_examples_from_the_planner() {
    let f = db();
    let screen = f.steady.settings_screen().unwrap();
    assert_eq!(screen.notification_text, NotificationText::Discreet);
    let discreet = &screen.notification_text_choices[0];
    let detailed = &screen.notification_text_choices[1];
    assert!(!discreet.example_title.contains("Group"));
    assert!(detailed.example_title.contains("Group"));
    assert_eq!(screen.session_lead_minutes, vec![60, 15]);
    let mut reminders = screen.reminders;
    reminders.detailed_text = true;
    f.steady.set_reminder_settings(reminders).unwrap();
    assert_eq!(
        f.steady.settings_screen().unwrap().notification_text,
        NotificationText::Detailed
    );
}
