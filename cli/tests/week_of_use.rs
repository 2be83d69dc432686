//! What a week of real use found (issue 10), driven through the `steady`
//! binary as a patient's scripts would: real processes, a real encrypted
//! database in a temporary directory, a fixed clock that moves when a test
//! says so.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

struct Phone {
    dir: tempfile::TempDir,
    now: String,
}

impl Phone {
    /// A phone set up (`steady init`) at `now`.
    fn set_up_at(now: &str) -> Self {
        let phone = Phone::without_init(now);
        phone.ok(&["init"]);
        phone
    }

    fn without_init(now: &str) -> Self {
        Phone {
            dir: tempfile::tempdir().unwrap(),
            now: now.to_string(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("steady.db")
    }

    fn key(&self) -> PathBuf {
        self.dir.path().join("steady.key")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_steady"))
            .arg("--db")
            .arg(self.db())
            .arg("--key-file")
            .arg(self.key())
            .args(["--tz", "America/New_York", "--now", &self.now])
            .args(args)
            .output()
            .unwrap()
    }

    /// The command's text output; it must succeed.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(&[&["--json"], args].concat())).unwrap()
    }

    /// The JSON error of a command that must fail with exit 1.
    fn fail(&self, args: &[&str]) -> Value {
        let out = self.run(&[&["--json"], args].concat());
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
        let doc: Value = serde_json::from_slice(&out.stderr)
            .unwrap_or_else(|_| panic!("{args:?}: not JSON: {}", stderr(&out)));
        doc["error"].clone()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const NOW: &str = "2026-03-14T16:00:00Z";

#[test]
fn a_days_range_beyond_any_history_is_a_usage_error_not_a_panic() {
    let phone = Phone::set_up_at(NOW);
    for list in ["craving", "lapse"] {
        for days in ["999999999", "0", "-3", "36501"] {
            let err = phone.fail(&[list, "list", &format!("--days={days}")]);
            assert_eq!(err["kind"], "usage", "{list} {days}");
            assert_eq!(err["field"], "days", "{list} {days}");
        }
        assert_eq!(
            phone.json(&[list, "list", "--days", "36500"]),
            Value::Array(vec![])
        );
    }
}

#[test]
fn out_of_range_dates_anywhere_are_refused_and_never_panic() {
    let phone = Phone::set_up_at(NOW);
    // Each is refused by the core, naming the field.
    let refused: &[(&[&str], &str)] = &[
        (&["progress", "--since=-262143-01-01"], "since"),
        (&["progress", "--since=0001-01-01"], "since"),
        (
            &["program", "set", "--sober-since=-262143-01-01"],
            "sobriety_dates[0].first_sober_date",
        ),
        (
            &["program", "set", "--start=1899-12-31"],
            "program_start_date",
        ),
        (
            &["program", "set", "--history-from=-200000-01-01"],
            "history_known_from",
        ),
        (
            &[
                "checkin",
                "daily",
                "--used",
                "no",
                "--mood",
                "3",
                "--date=-262143-01-01",
            ],
            "local_date",
        ),
        (
            &["craving", "log", "3", "--at", "9999-12-31T23:59:59Z"],
            "occurred_at",
        ),
    ];
    for (args, field) in refused {
        let err = phone.fail(args);
        assert_eq!(err["kind"], "invalid_input", "{args:?}");
        assert_eq!(err["field"], *field, "{args:?}");
    }
    // And these are usage errors, never a panic.
    for args in [
        &["schedule", "list", "--days", "9223372036854775807"][..],
        &["reminders", "--days", "4294967295"],
        &["lapse", "list", "--days=-9223372036854775808"],
    ] {
        let out = phone.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{args:?}");
    }
    let huge = phone.dir.path().join("huge.ics");
    std::fs::write(&huge, GROUP.replace("PT50M", "P99999999999999W")).unwrap();
    // A calendar event whose duration is too large to count is skipped and
    // named in the import report (docs/reminders.md); nothing is imported.
    let report = phone.json(&["schedule", "import", huge.to_str().unwrap()]);
    assert_eq!(report["added"], 0, "{report}");
    assert_eq!(report["skipped"][0]["component"], "DURATION", "{report}");
    // The far past a person might mean is still accepted.
    phone.ok(&["program", "set", "--sober-since", "1975-06-01"]);
}

#[test]
fn progress_works_for_a_five_year_program_with_sessions_and_doses() {
    let phone = Phone::set_up_at(NOW);
    phone.ok(&[
        "program",
        "set",
        "--start",
        "2021-03-15",
        "--weekly-hours",
        "9",
    ]);
    phone.ok(&[
        "med",
        "add",
        "Naltrexone",
        "--times",
        "08:00",
        "--start",
        "2021-03-15",
    ]);
    let p = phone.json(&["progress"]);
    assert_eq!(p["program_start"], "2021-03-15");
    assert_eq!(p["sober"]["days_in_program"], 1826);
    assert_eq!(p["medications"][0]["overall"]["due"], 1826);
    phone.ok(&["progress"]);
    phone.ok(&["today"]);
}

#[test]
fn the_program_start_is_the_set_up_day_and_a_first_lapse_later_does_not_move_it() {
    let mut phone = Phone::set_up_at("2026-01-01T15:00:00Z");
    phone.now = "2026-01-20T15:00:00Z".into();
    phone.ok(&["lapse", "log", "--substance", "alcohol"]);
    let p = phone.json(&["progress"]);
    assert_eq!(p["program_start"], "2026-01-01");
    assert_eq!(p["sober"]["days_in_program"], 20);
    assert_eq!(p["sober"]["sober_days_in_program"], 19);
    assert_eq!(p["sober"]["longest_streak_days"], 19);
}

#[test]
fn a_program_start_in_the_future_is_refused_naming_the_field() {
    let phone = Phone::set_up_at(NOW);
    let err = phone.fail(&["program", "set", "--start", "2026-03-15"]);
    assert_eq!(err["kind"], "invalid_input");
    assert_eq!(err["field"], "program_start_date");
    let err = phone.fail(&["program", "set", "--weekly-hours", "200"]);
    assert_eq!(err["field"], "weekly_program_hours");
    assert_eq!(
        phone.json(&["program", "show"])["program_start_date"],
        Value::Null
    );
}

/// The three lines, in order, with SAMHSA labelled for what it is.
fn assert_lines(card: &Value) {
    let calls: Vec<_> = card["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["call"].as_str().unwrap())
        .collect();
    assert_eq!(calls, ["911", "988", "1-800-662-4357"]);
    assert_eq!(card["lines"][1]["text"], "988");
    let samhsa = card["lines"][2]["description"].as_str().unwrap();
    assert!(samhsa.contains("not crisis counselling"), "{samhsa}");
}

#[test]
fn the_crisis_card_works_with_a_missing_damaged_or_locked_database() {
    // No database at all.
    let fresh = Phone::without_init(NOW);
    let card = fresh.json(&["crisis"]);
    assert_lines(&card);
    assert!(card["database_error"]
        .as_str()
        .unwrap()
        .contains("no database"));

    let phone = Phone::set_up_at(NOW);
    phone.ok(&["coping", "add", "contact", "Sam Rivera", "555 0100"]);
    let card = phone.json(&["crisis"]);
    assert_lines(&card);
    assert_eq!(card["database_error"], Value::Null);
    let whole = std::fs::read(phone.db()).unwrap();
    let key = std::fs::read(phone.key()).unwrap();

    // A wrong key (the key store lost it), a cut-short file, a corrupted one.
    std::fs::write(phone.key(), [9u8; 32]).unwrap();
    let locked = phone.json(&["crisis"]);
    std::fs::write(phone.key(), &key).unwrap();
    std::fs::write(phone.db(), &whole[..1000]).unwrap();
    let cut = phone.json(&["crisis"]);
    std::fs::write(phone.db(), vec![0x5a; 8192]).unwrap();
    let corrupt = phone.json(&["crisis"]);
    for card in [locked, cut, corrupt] {
        assert_lines(&card);
        assert!(card["database_error"].is_string());
        assert_eq!(card["support_contacts"][0]["name"], "Sam Rivera");
        assert_eq!(card["support_contacts"][0]["phone"], "555 0100");
    }
    let text = phone.ok(&["crisis"]);
    assert!(
        text.contains("call 911") && text.contains("call or text 988"),
        "{text}"
    );
    assert!(text.contains("Sam Rivera: 555 0100"), "{text}");
}

#[test]
fn an_empty_or_truncated_database_is_refused_and_kept_and_never_replaced() {
    let phone = Phone::set_up_at(NOW);
    for i in 0..60 {
        phone.ok(&[
            "craving",
            "log",
            &(i % 10).to_string(),
            "--note",
            &"n".repeat(300),
        ]);
    }
    let whole = std::fs::read(phone.db()).unwrap();
    let pages = whole.len() / 4096;
    assert!(pages >= 4, "{pages} pages");
    for damaged in [
        Vec::new(),
        whole[..(pages / 2) * 4096].to_vec(),
        whole[..5000].to_vec(),
    ] {
        std::fs::write(phone.db(), &damaged).unwrap();
        for args in [&["craving", "list"][..], &["init"], &["today"]] {
            let err = phone.fail(args);
            assert_eq!(
                err["kind"],
                "database_damaged",
                "{args:?} {}",
                damaged.len()
            );
            assert!(err["reason"].as_str().unwrap().contains("untouched"));
        }
        assert_eq!(
            std::fs::read(phone.db()).unwrap(),
            damaged,
            "kept as it was"
        );
    }
}

#[test]
fn init_can_set_a_damaged_database_aside_untouched_and_start_afresh() {
    let phone = Phone::set_up_at(NOW);
    phone.ok(&["coping", "add", "contact", "Sam Rivera", "555 0100"]);
    let whole = std::fs::read(phone.db()).unwrap();
    let cut = whole[..5000].to_vec();
    std::fs::write(phone.db(), &cut).unwrap();
    assert_eq!(phone.fail(&["init"])["kind"], "database_damaged");
    let fresh = phone.json(&["init", "--set-aside-damaged"]);
    let aside = fresh["set_aside_as"].as_str().unwrap();
    assert!(
        aside.ends_with("steady.db.damaged-20260314T160000Z"),
        "{aside}"
    );
    assert_eq!(std::fs::read(aside).unwrap(), cut, "kept as it was");
    assert_eq!(phone.json(&["craving", "list"]), Value::Array(vec![]));
    assert_eq!(
        phone.json(&["crisis"])["support_contacts"][0]["name"],
        "Sam Rivera"
    );
    // A healthy database is never set aside.
    assert_eq!(
        phone.json(&["init", "--set-aside-damaged"])["set_aside_as"],
        Value::Null
    );
}

#[test]
fn not_a_steady_database_is_told_apart_from_a_wrong_key() {
    let phone = Phone::set_up_at(NOW);
    let whole = std::fs::read(phone.db()).unwrap();
    std::fs::write(phone.db(), "date,craving\n2026-03-01,6\n").unwrap();
    let err = phone.fail(&["craving", "list"]);
    assert_eq!(err["kind"], "not_a_steady_database");
    let mut plain = b"SQLite format 3\0".to_vec();
    plain.resize(4096, 0);
    std::fs::write(phone.db(), &plain).unwrap();
    assert_eq!(
        phone.fail(&["craving", "list"])["kind"],
        "not_a_steady_database"
    );
    std::fs::write(phone.db(), &whole).unwrap();
    std::fs::write(phone.key(), [7u8; 32]).unwrap();
    assert_eq!(phone.fail(&["craving", "list"])["kind"], "wrong_key");
}

#[test]
fn a_key_file_others_can_read_is_refused_on_every_command_with_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let phone = Phone::set_up_at(NOW);
    std::fs::set_permissions(phone.key(), std::fs::Permissions::from_mode(0o644)).unwrap();
    for args in [
        &["craving", "list"][..],
        &["today"],
        &["craving", "log", "3"],
        &["sync"],
    ] {
        let err = phone.fail(args);
        let reason = err["reason"].as_str().unwrap();
        assert!(reason.contains("chmod 600"), "{args:?}: {reason}");
    }
    // The crisis card still shows, without the contacts' database.
    assert_lines(&phone.json(&["crisis"]));
}

#[test]
fn usage_errors_with_json_are_json_on_stderr_with_exit_1() {
    let phone = Phone::set_up_at(NOW);
    let bad_number = phone.fail(&["craving", "list", "--days", "soon"]);
    assert_eq!(bad_number["kind"], "usage");
    assert_eq!(bad_number["field"], "days");
    let unknown = phone.fail(&["craving", "log", "5", "--bogus"]);
    assert_eq!(unknown["kind"], "usage");
    assert!(unknown["reason"].as_str().unwrap().contains("--bogus"));
    let missing = phone.fail(&["craving", "log"]);
    assert_eq!(missing["kind"], "usage");
    // Without --json: clap's text, still exit 1.
    let out = phone.run(&["craving", "log", "eleven"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("eleven"));
    assert!(phone.run(&["--help"]).status.success());
}

#[test]
fn a_daily_checkin_can_name_what_was_used_and_an_unnamed_use_says_what_it_counts() {
    let phone = Phone::set_up_at(NOW);
    phone.ok(&["lapse", "track", "alcohol", "cannabis"]);
    let named = phone.json(&[
        "checkin",
        "daily",
        "--used",
        "yes",
        "--substance",
        "alcohol",
        "--mood",
        "2",
    ]);
    assert_eq!(named["substances"], serde_json::json!(["alcohol"]));
    let p = phone.json(&["progress"]);
    let by: Vec<_> = p["sober_by_substance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["substance"].clone(), s["days_since_last_use"].clone()))
        .collect();
    assert_eq!(
        by,
        [
            (Value::from("alcohol"), Value::from(0)),
            (Value::from("cannabis"), Value::from(1))
        ]
    );
    let text = phone.ok(&["checkin", "daily", "--used", "yes", "--mood", "2"]);
    assert!(text.contains("every substance you track"), "{text}");
    let err = phone.fail(&[
        "checkin",
        "daily",
        "--used",
        "no",
        "--substance",
        "alcohol",
        "--mood",
        "3",
    ]);
    assert_eq!(err["field"], "substances");
}

#[test]
fn own_coping_strategies_show_their_ids_and_can_be_removed() {
    let phone = Phone::set_up_at(NOW);
    let added = phone.json(&["coping", "add", "strategy", "Walk the dog"]);
    let id = added["id"].as_str().unwrap().to_string();
    let shown = phone.ok(&["coping", "show"]);
    assert!(shown.contains(&format!("Walk the dog  ({id})")), "{shown}");
    assert!(!shown.contains("helped 0"), "{shown}");
    phone.ok(&["coping", "remove", &id]);
    assert!(!phone.ok(&["coping", "show"]).contains("Walk the dog"));
}

#[test]
fn an_unsafe_strong_craving_puts_the_crisis_lines_and_people_first() {
    let phone = Phone::set_up_at(NOW);
    phone.ok(&["coping", "add", "contact", "Sam Rivera", "555 0100"]);
    let text = phone.ok(&["craving", "log", "9", "--unsafe"]);
    let crisis = text.find("call or text 988").expect("988");
    let person = text.find("Sam Rivera: 555 0100").expect("support person");
    let strategies = text.find("strong craving").expect("strategies");
    assert!(crisis < strategies && person < strategies, "{text}");
    assert!(!text.contains("helped 0"), "{text}");
    // Not enrolled: the clinic will not see it, and 988/911 now.
    assert!(text.contains("not connected to a clinic"), "{text}");
    assert!(text.contains("call or text 988 or call 911 now"), "{text}");
}

#[test]
fn amending_an_unsafe_craving_to_passed_does_not_repeat_the_strong_craving_response() {
    let phone = Phone::set_up_at(NOW);
    let logged = phone.json(&["craving", "log", "9", "--unsafe"]);
    assert!(logged["crisis_card"].is_object());
    assert!(!logged["strategies"].as_array().unwrap().is_empty());
    let id = logged["id"].as_str().unwrap();
    let amended = phone.json(&["craving", "amend", id, "--outcome", "passed"]);
    assert_eq!(amended["crisis_card"], Value::Null);
    assert_eq!(amended["strategies"], serde_json::json!([]));
    let text = phone.ok(&["craving", "amend", id, "--coping", "urge-surfing"]);
    assert!(
        !text.contains("strong craving") && !text.contains("988"),
        "{text}"
    );
}

#[test]
fn a_craving_that_ended_in_use_offers_a_lapse_log_instead_of_strategies() {
    let phone = Phone::set_up_at(NOW);
    let logged = phone.json(&["craving", "log", "9", "--outcome", "used"]);
    assert_eq!(logged["offer_lapse"], true);
    assert_eq!(logged["strategies"], serde_json::json!([]));
    let text = phone.ok(&["craving", "log", "9", "--outcome", "used"]);
    assert!(text.contains("steady lapse log"), "{text}");
    assert!(!text.contains("strong craving"), "{text}");
}

#[test]
fn a_lapse_with_overdose_risk_carries_the_guidance() {
    let phone = Phone::set_up_at(NOW);
    for substance in ["heroin", "cocaine", "pressed pills"] {
        let logged = phone.json(&["lapse", "log", "--substance", substance]);
        let g = &logged["overdose_guidance"];
        assert_eq!(
            g["never_use_alone"]["call"], "1-800-484-3731",
            "{substance}"
        );
        let steps = g["steps"].to_string();
        assert!(
            steps.contains("naloxone") && steps.contains("911"),
            "{steps}"
        );
    }
    let text = phone.ok(&["lapse", "log", "--substance", "fentanyl"]);
    assert!(
        text.contains("1-800-484-3731") && text.contains("call 911"),
        "{text}"
    );
    let beer = phone.json(&["lapse", "log", "--substance", "alcohol"]);
    assert_eq!(beer["overdose_guidance"], Value::Null);
}

#[test]
fn after_stopping_naltrexone_any_lapse_carries_the_guidance() {
    let phone = Phone::set_up_at(NOW);
    let before = phone.json(&["lapse", "log", "--substance", "alcohol"]);
    assert_eq!(before["overdose_guidance"], Value::Null);
    phone.ok(&[
        "med",
        "add",
        "Naltrexone",
        "--times",
        "08:00",
        "--start",
        "2026-02-01",
        "--end",
        "2026-03-10",
    ]);
    let logged = phone.json(&["lapse", "log", "--substance", "alcohol"]);
    let why = logged["overdose_guidance"]["why"].as_str().unwrap();
    assert!(why.contains("naltrexone"), "{why}");
}

/// A weekly 50-minute group on Mondays at 18:00 from 2026-03-02.
const GROUP: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n\
UID:group@clinic.example\r\nSUMMARY:Group\r\n\
DTSTART;TZID=America/New_York:20260302T180000\r\nDURATION:PT50M\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

#[test]
fn text_reads_as_a_person_would_say_it() {
    let phone = Phone::set_up_at(NOW);
    phone.ok(&[
        "program",
        "set",
        "--start",
        "2026-03-01",
        "--weekly-hours",
        "0.8",
    ]);
    let ics = phone.dir.path().join("group.ics");
    std::fs::write(&ics, GROUP).unwrap();
    let imported = phone.json(&["schedule", "import", ics.to_str().unwrap()]);
    let series = imported["series_ids"][0].as_str().unwrap();
    phone.ok(&["attend", &format!("{series}@2026-03-09T18:00"), "attended"]);
    phone.ok(&[
        "craving",
        "log",
        "6",
        "--trigger",
        "seeing-substance",
        "--coping",
        "delay-15-minutes",
        "--outcome",
        "passed",
    ]);
    let text = phone.ok(&["progress"]);
    for wanted in [
        "Delay 15 minutes",
        "Seeing the substance",
        "; 50 min;",
        "1 week in a row",
        "week of 2026-03-09: 50 min of 48 min",
    ] {
        assert!(text.contains(wanted), "{wanted:?} in {text}");
    }
    for raw in ["delay_15_minutes", "seeing_substance", "1 weeks", "0.833"] {
        assert!(!text.contains(raw), "{raw:?} in {text}");
    }
    assert!(!phone.ok(&["coping", "show"]).contains("helped 0"));
}
