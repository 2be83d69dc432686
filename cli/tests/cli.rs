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
