//! What a week of real use found (issue 10), where it needs a clinic: the
//! `steady` binary against a real server — a questionnaire the clinic assigns
//! is shown, due, reminded, answered and synced back; a flag says when the
//! clinic will see it; consent reads in the patient's zone and wants a
//! first and last name.

use serde_json::{json, Value};
use steady_sync_tests::cli::Cli;
use steady_sync_tests::clinic::{storages, Clinic};

/// A weekly PHQ-9, Mondays at noon (outside quiet hours). A new assignment is
/// due at once, whatever the weekday; the next due time is within a week.
fn weekly_mood() -> Value {
    json!({"instrument": "phq9", "title": "Weekly mood", "weekday": "mon", "time": "12:00"})
}

#[test]
fn a_questionnaire_the_clinic_assigns_is_shown_due_reminded_answered_and_synced_back() {
    let storage = storages().into_iter().next().expect("a storage");
    let clinic = Clinic::start(&storage, 1);
    let (patient, code) = clinic.patient("Robin Lee");
    let assignment = clinic.author(&patient, "questionnaire", weekly_mood());
    let cli = Cli::new();
    cli.run(&["enroll", &code, "--server", clinic.url()]);

    // Before the sync nothing is assigned; the sync brings it.
    assert_eq!(cli.run(&["questionnaire", "assigned"]), json!([]));
    cli.run(&["sync"]);
    let assigned = cli.run(&["questionnaire", "assigned"]);
    assert_eq!(assigned[0]["assignment_id"], assignment.as_str());
    assert_eq!(assigned[0]["questionnaire_id"], "phq9");
    assert_eq!(assigned[0]["due_now"], true);
    let reminders = cli.run(&["reminders"]);
    let kinds: Vec<_> = reminders
        .as_array()
        .or_else(|| reminders["reminders"].as_array())
        .expect("reminders")
        .iter()
        .map(|r| r["kind"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(kinds.iter().any(|k| k == "questionnaire"), "{reminders}");

    // One name is not a signature.
    let half = cli.fail(&["consent", "grant", "checkins", "--signature", "Robin"]);
    assert_eq!(half["field"], "signature");
    let granted = cli.run(&[
        "consent",
        "grant",
        "checkins",
        "--signature",
        "Robin Lee",
        "--expires",
        "2030-06-30",
    ]);
    let consent = &granted["granted"][0];
    assert_eq!(consent["expires_at"], "2030-07-01T04:00:00Z");
    assert_eq!(consent["expires_local"], "2030-07-01T00:00:00-04:00");

    let answered = cli.run(&[
        "questionnaire",
        "phq9",
        "1",
        "1",
        "0",
        "0",
        "1",
        "0",
        "0",
        "0",
        "0",
    ]);
    let response_id = answered["response"]["id"].as_str().expect("id").to_string();
    assert_eq!(cli.run(&["questionnaire", "assigned"])[0]["due_now"], false);
    cli.run(&["sync"]);
    let at_clinic = clinic.records(&patient);
    assert!(
        at_clinic
            .iter()
            .any(|r| r["record_id"] == response_id.as_str()),
        "the answers reached the clinic"
    );
}

#[test]
fn an_unsafe_craving_says_whether_and_when_the_clinic_will_see_it() {
    let storage = storages().into_iter().next().expect("a storage");
    let clinic = Clinic::start(&storage, 1);
    let (_, code) = clinic.patient("Sam Rivera");
    let cli = Cli::new();
    let notice = |cli: &Cli| {
        cli.run(&["craving", "log", "9", "--unsafe"])["crisis_card"]["clinic_notice"]
            .as_str()
            .expect("notice")
            .to_string()
    };
    assert!(notice(&cli).contains("not connected to a clinic"));
    cli.run(&["enroll", &code, "--server", clinic.url()]);
    assert!(notice(&cli).contains("you have not agreed to share your cravings"));
    cli.run(&["consent", "grant", "cravings", "--signature", "Sam Rivera"]);
    let shared = notice(&cli);
    assert!(shared.contains("at Steady's next sync"), "{shared}");
    assert!(
        shared.ends_with("call or text 988 or call 911 now."),
        "{shared}"
    );
}
