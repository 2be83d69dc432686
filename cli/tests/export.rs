//! `steady export`, `backup`, `restore` and `import` as a script drives them:
//! real processes and encrypted files. The FHIR Bundle and CSV files go to
//! $STEADY_EXPORT_OUT for scripts/test-fhir.sh.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Machine {
    dir: tempfile::TempDir,
}

impl Machine {
    fn new() -> Self {
        Machine {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_steady"))
            .arg("--db")
            .arg(self.path("steady.db"))
            .arg("--key-file")
            .arg(self.path("steady.key"))
            .args([
                "--tz",
                "America/Denver",
                "--now",
                "2026-03-08T18:00:00Z",
                "--json",
            ])
            .args(args)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn fails(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} succeeded");
        serde_json::from_slice(&out.stderr).unwrap()
    }
}

fn passphrase_file(dir: &Path, text: &str) -> String {
    let path = dir.join(format!("pass-{}", text.len()));
    std::fs::write(&path, format!("{text}\n")).unwrap();
    path.to_str().unwrap().to_string()
}

fn lived_a_little() -> Machine {
    let m = Machine::new();
    m.ok(&["init"]);
    m.ok(&["craving", "log", "7", "--note", "after work, \"rough\""]);
    m.ok(&["craving", "log", "3"]);
    m.ok(&[
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
    m
}

#[test]
fn export_writes_fhir_csv_and_json_with_the_warning_first() {
    let m = lived_a_little();
    let fhir_path = m.path("record.fhir.json");
    let out = m.ok(&[
        "export",
        "--format",
        "fhir",
        "--out",
        fhir_path.to_str().unwrap(),
    ]);
    assert!(out["warning"].as_str().unwrap().contains("not encrypted"));
    assert_eq!(out["safer_option"], "encrypted_backup");
    let bundle: Value = serde_json::from_slice(&std::fs::read(&fhir_path).unwrap()).unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    let text = bundle.to_string();
    assert!(text.contains("\"44261-6\"") && text.contains("-06:00"));
    let csv_dir = m.path("csv");
    let out = m.ok(&[
        "export",
        "--format",
        "csv",
        "--out",
        csv_dir.to_str().unwrap(),
    ]);
    assert_eq!(out["files"].as_array().unwrap().len(), 10);
    let cravings = std::fs::read_to_string(csv_dir.join("cravings.csv")).unwrap();
    assert_eq!(cravings.lines().count(), 3);
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&fhir_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    if let Some(dir) = std::env::var_os("STEADY_EXPORT_OUT") {
        let dir = Path::new(&dir).join("cli");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&fhir_path, dir.join("record.fhir.json")).unwrap();
        for entry in std::fs::read_dir(&csv_dir).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
    let bad = m.run(&["export", "--format", "pdf", "--out", "x"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("pdf"));
}

#[test]
fn a_backup_restores_after_the_key_file_is_lost_and_json_imports_on_a_new_machine() {
    let m = lived_a_little();
    let pass = passphrase_file(m.dir.path(), "my own long passphrase");
    let backup = m.path("steady.backup");
    let made = m.ok(&[
        "backup",
        "--out",
        backup.to_str().unwrap(),
        "--passphrase-file",
        &pass,
    ]);
    assert_eq!(made["key_derivation"]["algorithm"], "argon2id");
    let before = m.ok(&["craving", "list", "--days", "30"]);

    // The key is lost: the database cannot be opened any more.
    std::fs::remove_file(m.path("steady.key")).unwrap();
    let wrong = passphrase_file(m.dir.path(), "not the passphrase");
    let refused = m.fails(&[
        "restore",
        "--from",
        backup.to_str().unwrap(),
        "--passphrase-file",
        &wrong,
        "--replace",
    ]);
    assert_eq!(refused["error"]["kind"], "wrong_passphrase");
    let must_replace = m.fails(&[
        "restore",
        "--from",
        backup.to_str().unwrap(),
        "--passphrase-file",
        &pass,
    ]);
    assert_eq!(must_replace["error"]["kind"], "usage");
    let restored = m.ok(&[
        "restore",
        "--from",
        backup.to_str().unwrap(),
        "--passphrase-file",
        &pass,
        "--replace",
    ]);
    assert_eq!(restored["new_key"], true);
    assert_eq!(m.ok(&["craving", "list", "--days", "30"]), before);

    let json_path = m.path("record.json");
    m.ok(&[
        "export",
        "--format",
        "json",
        "--out",
        json_path.to_str().unwrap(),
    ]);
    let other = Machine::new();
    other.ok(&["init"]);
    let imported = other.ok(&["import", "--from", json_path.to_str().unwrap()]);
    assert!(imported["rows"].as_u64().unwrap() >= 3);
    assert_eq!(other.ok(&["craving", "list", "--days", "30"]), before);
    let twice = other.fails(&["import", "--from", json_path.to_str().unwrap()]);
    assert_eq!(twice["error"]["field"], "export");
}
