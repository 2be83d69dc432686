//! The `steady` binary driven as a script would drive it: real processes, a
//! real encrypted database file in a temporary directory, a fixed clock.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Shell {
    dir: tempfile::TempDir,
}

impl Shell {
    fn new() -> Self {
        let shell = Shell {
            dir: tempfile::tempdir().unwrap(),
        };
        let init = shell.run(&["init"]);
        assert!(init.status.success(), "{}", stderr(&init));
        shell
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("steady.db")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_steady"))
            .arg("--db")
            .arg(self.db())
            .arg("--key-file")
            .arg(self.dir.path().join("steady.key"))
            .args(["--tz", "America/New_York", "--now", "2026-03-08T12:00:00Z"])
            .args(args)
            .output()
            .unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn bytes_of_dir(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        all.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    all
}

#[test]
fn init_creates_a_private_key_file() {
    use std::os::unix::fs::PermissionsExt;
    let shell = Shell::new();
    let meta = std::fs::metadata(shell.dir.path().join("steady.key")).unwrap();
    assert_eq!(meta.len(), 32);
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
}

#[test]
fn log_list_delete_round_trip_in_json() {
    let shell = Shell::new();
    let logged = shell.json(&["craving", "log", "6", "--note", "payday"]);
    assert_eq!(logged["intensity"], 6);
    assert_eq!(logged["occurred_at"], "2026-03-08T12:00:00Z");
    assert_eq!(logged["local"], "2026-03-08T08:00:00-04:00");
    assert_eq!(logged["time_zone"], "America/New_York");
    let id = logged["id"].as_str().unwrap().to_string();

    let listed = shell.json(&["craving", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());

    let deleted = shell.json(&["craving", "delete", &id]);
    assert_eq!(deleted["deleted"], id.as_str());
    assert_eq!(shell.json(&["craving", "list"]), serde_json::json!([]));
}

#[test]
fn intensity_eleven_fails_naming_intensity_and_writes_nothing() {
    let shell = Shell::new();
    let before = std::fs::read(shell.db()).unwrap();
    let out = shell.run(&["craving", "log", "11"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("intensity"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());

    let out = shell.run(&["--json", "craving", "log", "11"]);
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["kind"], "invalid_input");
    assert_eq!(err["error"]["field"], "intensity");

    assert_eq!(shell.json(&["craving", "list"]), serde_json::json!([]));
    assert_eq!(std::fs::read(shell.db()).unwrap(), before);
}

#[test]
fn a_logged_note_is_not_in_the_file_bytes() {
    let shell = Shell::new();
    shell.json(&["craving", "log", "4", "--note", "cli-plaintext-marker"]);
    let bytes = bytes_of_dir(shell.dir.path());
    let marker = b"cli-plaintext-marker";
    assert!(!bytes.windows(marker.len()).any(|w| w == marker));
}

#[test]
fn a_wrong_key_file_is_refused() {
    let shell = Shell::new();
    std::fs::write(shell.dir.path().join("steady.key"), [9u8; 32]).unwrap();
    let out = shell.run(&["craving", "list"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("key"), "{}", stderr(&out));
}

#[test]
fn bad_global_flags_are_named() {
    let shell = Shell::new();
    let out = Command::new(env!("CARGO_BIN_EXE_steady"))
        .args(["--db"])
        .arg(shell.db())
        .args(["--tz", "Mars/Base", "craving", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--tz"));
    let out = shell.run(&["--now", "yesterday", "craving", "list"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--now"));
}

// Check-ins, lapses, questionnaires, the coping plan and the crisis card.

#[test]
fn a_detailed_craving_is_amended_and_its_history_kept() {
    let shell = Shell::new();
    let logged = shell.json(&[
        "craving",
        "log",
        "6",
        "--trigger",
        "hungry",
        "--trigger",
        "seeing-substance",
        "--coping",
        "urge-surfing",
        "--outcome",
        "still-present",
        "--substance",
        "alcohol",
        "--minutes",
        "15",
        "--place",
        "work",
        "--company",
        "with-others",
    ]);
    assert_eq!(
        logged["triggers"],
        serde_json::json!(["hungry", "seeing_substance"])
    );
    assert_eq!(logged["coping_tried"], serde_json::json!(["urge_surfing"]));
    assert_eq!(logged["outcome"], "still_present");
    assert_eq!(logged["crisis_card"], serde_json::Value::Null);
    let id = logged["id"].as_str().unwrap();
    let amended = shell.json(&[
        "craving",
        "amend",
        id,
        "--outcome",
        "passed",
        "--note",
        "walked",
    ]);
    assert_eq!(
        (amended["revision"].as_u64(), amended["outcome"].as_str()),
        (Some(2), Some("passed"))
    );
    let history = shell.json(&["craving", "history", id]);
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[0]["outcome"], "still_present");
}

#[test]
fn an_unsafe_craving_prints_the_crisis_card_and_a_strong_one_the_strategies() {
    let shell = Shell::new();
    let logged = shell.json(&["craving", "log", "9", "--unsafe"]);
    assert_eq!(logged["crisis_card"]["lines"][1]["call"], "988");
    assert_eq!(logged["flagged_for_clinic"], true);
    assert_eq!(logged["strategies"].as_array().unwrap().len(), 8);
    let text = shell.run(&["craving", "log", "8"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Caution"));
}

#[test]
fn phq9_with_item9_above_zero_prints_the_crisis_card() {
    let shell = Shell::new();
    let out = shell.json(&[
        "questionnaire",
        "phq9",
        "3",
        "3",
        "3",
        "3",
        "3",
        "0",
        "0",
        "0",
        "1",
    ]);
    assert_eq!(out["response"]["score"], 16);
    assert_eq!(out["response"]["band"]["code"], "moderately_severe");
    assert_eq!(out["crisis_card"]["reason"], "self_harm_thoughts");
    let gad = shell.json(&["questionnaire", "gad7", "1", "1", "1", "1", "1", "0", "0"]);
    assert_eq!(gad["response"]["band"]["code"], "mild");
    let bad = shell.run(&[
        "--json",
        "questionnaire",
        "gad7",
        "1",
        "1",
        "1",
        "1",
        "1",
        "0",
        "5",
    ]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("\"field\":\"item7\""));
}

#[test]
fn a_clinic_questionnaire_is_loaded_from_a_file_and_answered() {
    let shell = Shell::new();
    let file = shell.dir.path().join("weekly.json");
    std::fs::write(
        &file,
        r#"{"resourceType": "Questionnaire", "id": "weekly", "item": [
            {"linkId": "meetings", "type": "integer"}, {"linkId": "sponsor", "type": "boolean"}]}"#,
    )
    .unwrap();
    let loaded = shell.json(&["questionnaire", "load", file.to_str().unwrap()]);
    assert_eq!(loaded["items"].as_array().unwrap().len(), 2);
    let answered = shell.json(&[
        "questionnaire",
        "answer",
        "weekly",
        "meetings=3",
        "sponsor=yes",
    ]);
    assert_eq!(
        answered["response"]["answers"][0]["value"]["type"],
        "integer"
    );
    assert_eq!(answered["response"]["score"], serde_json::Value::Null);
}

#[test]
fn daily_check_in_twice_a_day_amends_it() {
    let shell = Shell::new();
    let first = shell.json(&[
        "checkin", "daily", "--used", "no", "--mood", "4", "--sleep", "3",
    ]);
    assert_eq!(first["local_date"], "2026-03-08");
    let second = shell.json(&["checkin", "daily", "--used", "yes", "--mood", "2"]);
    assert_eq!(
        (second["id"].clone(), second["revision"].as_u64()),
        (first["id"].clone(), Some(2))
    );
    let shown = shell.json(&["checkin", "show", "2026-03-08"]);
    assert_eq!(shown.as_array().unwrap().len(), 2);
}

#[test]
fn lapse_coping_plan_and_crisis_card_commands() {
    let shell = Shell::new();
    let lapse = shell.json(&[
        "lapse",
        "log",
        "--substance",
        "alcohol",
        "--amount",
        "two beers",
    ]);
    assert_eq!(lapse["lapse"]["local_date"], "2026-03-08");
    shell.json(&["coping", "add", "contact", "Sam", "555 0100"]);
    shell.json(&["coping", "add", "safe-place", "the library"]);
    let plan = shell.json(&["coping", "show"]);
    assert_eq!(plan["safe_places"][0]["text"], "the library");
    let card = shell.json(&["crisis"]);
    assert_eq!(card["lines"][2]["call"], "1-800-662-4357");
    assert_eq!(card["support_contacts"][0]["name"], "Sam");
}

/// `steady screen ARGS`: always one JSON document.
impl Shell {
    fn json_screen(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["screen"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

#[test]
fn every_screen_prints_the_record_the_phone_renders() {
    let shell = Shell::new();
    let today = shell.json_screen(&["today"]);
    assert_eq!(today["sync"]["phase"], "not_enrolled");
    assert_eq!(
        today["questionnaires_due"][0]["questionnaire"]["id"],
        "phq9"
    );
    let week = shell.json_screen(&["week", "--day", "2026-03-12"]);
    assert_eq!(week["week_start"], "2026-03-09");
    assert_eq!(week["days"].as_array().unwrap().len(), 7);
    let progress = shell.json_screen(&["progress", "--range", "week"]);
    assert_eq!(progress["first_day"], "2026-03-02");
    let checkins = shell.json_screen(&["checkins"]);
    assert_eq!(checkins["daily"]["date"], "2026-03-08");
    assert_eq!(
        shell.json_screen(&["craving-form"])["triggers"][0]["value"],
        "hungry"
    );
    let clinic = shell.json_screen(&["clinic"]);
    assert_eq!(clinic["enrollment"]["state"], "not_enrolled");
    assert_eq!(
        clinic["consents"][0]["elements"].as_array().unwrap().len(),
        10
    );
    assert_eq!(
        shell.json_screen(&["settings"])["notification_text"],
        "discreet"
    );
    assert_eq!(shell.json_screen(&["sync"])["phase"], "not_enrolled");
}

#[test]
fn a_bad_date_or_range_is_a_usage_error_and_a_future_start_names_its_field() {
    let shell = Shell::new();
    for args in [
        &["screen", "week", "--day", "2026-02-30"][..],
        &["screen", "progress", "--range", "since"],
        &["screen", "progress", "--since", "2026-03-01"],
    ] {
        let out = shell.run(args);
        assert!(!out.status.success(), "{args:?}");
    }
    let out = shell.run(&[
        "--json",
        "screen",
        "progress",
        "--range",
        "since",
        "--since",
        "2026-04-01",
    ]);
    assert!(!out.status.success());
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["kind"], "invalid_input");
    assert_eq!(err["error"]["field"], "since");
}
