//! `steady today`, `steady progress` and `steady program` driven as a script
//! would: real processes, a real encrypted file, a fixed clock.

use std::process::{Command, Output};

const NOW: &str = "2026-03-14T16:00:00Z";

fn steady(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steady"))
        .arg("--db")
        .arg(dir.join("steady.db"))
        .args(["--tz", "America/New_York", "--now", NOW])
        .args(args)
        .output()
        .unwrap()
}

fn json(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = steady(dir, &[&["--json"], args].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Program from 03-01 (9 h a week), sober since 02-20, two cravings.
fn seeded() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert!(steady(dir.path(), &["init"]).status.success());
    let settings = json(
        dir.path(),
        &[
            "program",
            "set",
            "--start",
            "2026-03-01",
            "--weekly-hours",
            "9",
            "--sober-since",
            "2026-02-20",
        ],
    );
    assert_eq!(settings["program_start_date"], "2026-03-01");
    assert_eq!(
        settings["sobriety_dates"][0]["first_sober_date"],
        "2026-02-20"
    );
    for (intensity, at) in [("6", "2026-03-10T12:00:00Z"), ("4", "2026-03-12T12:00:00Z")] {
        assert!(
            steady(dir.path(), &["craving", "log", intensity, "--at", at])
                .status
                .success()
        );
    }
    dir
}

#[test]
fn progress_prints_the_hand_counted_figures_in_json() {
    let dir = seeded();
    let p = json(dir.path(), &["progress"]);
    // Feb 20..28 (9) + Mar 1..14 (14) = 23 sober days.
    assert_eq!(p["sober"]["days_since_last_use"], 23);
    assert_eq!(p["sober"]["next_milestone_days"], 30);
    assert_eq!(p["cravings"]["total"], 2);
    assert_eq!(p["cravings"]["mean_intensity"], 5.0);
    assert_eq!(p["cravings"]["trend"], "rising");
    // Weeks of 02-23, 03-02 and 03-09; no sessions in any.
    assert_eq!(p["attendance"]["weeks"].as_array().unwrap().len(), 3);
    assert_eq!(p["attendance"]["weeks"][2]["plan"], "no_sessions");
    assert_eq!(p["checkins"]["target"], 0.8);
    let since = json(dir.path(), &["progress", "--since", "2026-03-10"]);
    assert_eq!(since["period_start"], "2026-03-10");
    assert_eq!(since["cravings"]["days"].as_array().unwrap().len(), 5);
}

#[test]
fn today_prints_json_and_text() {
    let dir = seeded();
    let t = json(dir.path(), &["today"]);
    assert_eq!(t["date"], "2026-03-14");
    assert_eq!(t["checkin_due"], true);
    assert_eq!(t["craving_trend"], "rising");
    assert_eq!(t["next_session"], serde_json::Value::Null);
    assert_eq!(t["sober"]["days_since_last_use"], 23);
    assert_eq!(t["crisis_card"]["lines"][1]["call"], "988");
    let text = String::from_utf8(steady(dir.path(), &["today"]).stdout).unwrap();
    assert!(text.contains("Sober: 23 days (longest 23 days"), "{text}");
    assert!(text.contains("Craving trend: rising"), "{text}");
}

#[test]
fn a_bad_since_date_fails_naming_since() {
    let dir = seeded();
    let out = steady(dir.path(), &["--json", "progress", "--since", "2026-03-15"]);
    assert!(!out.status.success());
    let error: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(error["error"]["field"], "since");
    let out = steady(
        dir.path(),
        &["--json", "program", "set", "--weekly-hours=0"],
    );
    assert!(!out.status.success());
    let error: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(error["error"]["field"], "weekly_program_hours");
}
