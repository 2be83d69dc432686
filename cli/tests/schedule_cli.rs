//! The `steady` binary end to end: import a calendar, add a medication, and
//! check the documented `--json reminders` contract.

use std::path::Path;
use std::process::Command;

const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n\
UID:group@clinic.example\r\nSUMMARY:Evening group\r\n\
DTSTART;TZID=America/New_York:20261102T180000\r\nDURATION:PT3H\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn steady(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_steady"))
        .args(["--tz", "America/New_York", "--now", "2026-11-30T14:00:00Z"])
        .args(args)
        .env("STEADY_DB", dir.join("s.db"))
        .env_remove("STEADY_KEY_FILE")
        .output()
        .expect("run steady");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (ok, stdout, stderr) = steady(dir, &all);
    assert!(ok, "steady {args:?} failed: {stderr}");
    serde_json::from_str(&stdout).expect("one JSON document")
}

#[test]
fn reminders_json_has_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let ics = dir.path().join("clinic.ics");
    std::fs::write(&ics, CALENDAR).unwrap();
    json(dir.path(), &["init"]);
    let summary = json(dir.path(), &["schedule", "import", ics.to_str().unwrap()]);
    assert_eq!(summary["added"], 1);
    let again = json(dir.path(), &["schedule", "import", ics.to_str().unwrap()]);
    assert_eq!(again["updated"], 1);
    let med = json(
        dir.path(),
        &[
            "med",
            "add",
            "Naltrexone",
            "--times",
            "08:00,20:00",
            "--dose",
            "50 mg",
        ],
    );
    assert_eq!(med["times"], serde_json::json!(["08:00", "20:00"]));

    let reminders = json(dir.path(), &["reminders", "--days", "2", "--cap", "5"]);
    let list = reminders.as_array().unwrap();
    assert_eq!(list.len(), 5);
    let first = &list[0];
    for field in ["id", "fire_at", "local", "kind", "title", "body"] {
        assert!(first.get(field).is_some(), "missing {field}");
    }
    // Monday 2026-11-30 18:00 New York: reminders at 17:00 and 17:45.
    let session: Vec<_> = list.iter().filter(|r| r["kind"] == "session").collect();
    assert_eq!(session[0]["fire_at"], "2026-11-30T22:00:00Z");
    assert_eq!(session[0]["local"], "2026-11-30T17:00:00-05:00");
    assert!(!session[0]["title"].as_str().unwrap().contains("group"));
    let detailed = json(dir.path(), &["reminders", "--days", "1", "--detailed"]);
    assert!(detailed.to_string().contains("Evening group"));

    let occurrences = json(dir.path(), &["schedule", "list", "--days", "3"]);
    let id = occurrences[0]["id"].as_str().unwrap().to_string();
    let (ok, _, stderr) = steady(dir.path(), &["--json", "attend", &id, "attended"]);
    assert!(!ok, "a session that has not started cannot be attended");
    assert!(stderr.contains("\"field\":\"status\""), "{stderr}");
    json(dir.path(), &["attend", &id, "excused"]);
    let dose = json(dir.path(), &["dose", med["id"].as_str().unwrap(), "taken"]);
    assert_eq!(dose["due_local"], "2026-11-30T08:00");
}

#[test]
fn a_broken_event_is_reported_with_its_line_and_the_rest_imports() {
    let dir = tempfile::tempdir().unwrap();
    let ics = dir.path().join("mixed.ics");
    let broken = CALENDAR.replace("FREQ=WEEKLY", "FREQ=FORTNIGHTLY").replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\r\nUID:intake@clinic.example\r\nSUMMARY:Intake\r\n\
DTSTART;TZID=America/New_York:20261201T100000\r\nDURATION:PT1H\r\nEND:VEVENT\r\n\
BEGIN:VTODO\r\nUID:todo@clinic.example\r\nEND:VTODO\r\nEND:VCALENDAR",
    );
    std::fs::write(&ics, broken).unwrap();
    json(dir.path(), &["init"]);
    let summary = json(dir.path(), &["schedule", "import", ics.to_str().unwrap()]);
    assert_eq!(summary["added"], 1);
    assert_eq!(summary["skipped"][0]["line"], 8);
    assert_eq!(summary["skipped"][0]["component"], "RRULE");
    assert_eq!(summary["skipped"][0]["uid"], "group@clinic.example");
    assert_eq!(summary["skipped"][1]["component"], "VTODO");
    let (ok, stdout, _) = steady(dir.path(), &["schedule", "import", ics.to_str().unwrap()]);
    assert!(ok);
    assert!(stdout.contains("2 skipped"), "{stdout}");
    assert!(
        stdout.contains("skipped line 8 RRULE (UID group@clinic.example): "),
        "{stdout}"
    );
}

#[test]
fn a_file_that_is_no_calendar_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ics = dir.path().join("bad.ics");
    std::fs::write(&ics, "not a calendar\n").unwrap();
    json(dir.path(), &["init"]);
    let (ok, _, stderr) = steady(
        dir.path(),
        &["--json", "schedule", "import", ics.to_str().unwrap()],
    );
    assert!(!ok);
    assert!(stderr.contains("calendar line 1 (VCALENDAR)"), "{stderr}");
    let occurrences = json(dir.path(), &["schedule", "list"]);
    assert_eq!(occurrences, serde_json::json!([]));
}
