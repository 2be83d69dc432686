//! The admin commands, run as a real process: `staff add`, `patient add`
//! and `serve`, with their `--json` output.

mod common;

use common::Client;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_steady-clinic");

fn run(args: &[&str], stdin: &str) -> (bool, Value) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn steady-clinic");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    let text = String::from_utf8_lossy(&out.stdout);
    (
        out.status.success(),
        serde_json::from_str(text.trim()).unwrap_or(Value::String(text.into_owned())),
    )
}

#[test]
fn admin_commands_script_a_clinic_and_serve_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let db = db.to_str().unwrap();

    let (ok, staff) = run(
        &["--json", "staff", "add", "Dana@Clinic.test", "--db", db],
        "a long staff password\n",
    );
    assert!(ok, "{staff}");
    assert_eq!(staff["email"], "dana@clinic.test");
    let (ok, again) = run(
        &[
            "--json",
            "staff",
            "add",
            "dana@clinic.test",
            "--password",
            "another long one",
            "--db",
            db,
        ],
        "",
    );
    assert!(!ok);
    assert_eq!(again["error"]["code"], "conflict");
    let (ok, short) = run(
        &["--json", "staff", "add", "lee@clinic.test", "--db", db],
        "short\n",
    );
    assert!(!ok);
    assert_eq!(short["error"]["code"], "invalid_request");

    let (ok, patient) = run(&["--json", "patient", "add", "Sam Rivera", "--db", db], "");
    assert!(ok, "{patient}");
    let code = patient["enrollment"]["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 14, "ABCD-EFGH-JKMN");

    let mut server = Command::new(BIN)
        .args([
            "--json",
            "serve",
            "--db",
            db,
            "--listen",
            "127.0.0.1:0",
            "--clinic-name",
            "Riverside IOP",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let listening: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(listening["backend"], "sqlite");
    let client = Client::new(listening["listening"].as_str().unwrap());
    let enrolled = client.call("POST", "/v1/enroll", None, Some(&json!({"code": code})));
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(enrolled.0, 201, "{}", enrolled.1);
    assert_eq!(enrolled.1["clinic_name"], "Riverside IOP");
}

/// `run` with the database key in the environment.
fn run_keyed(args: &[&str], key: Option<&str>) -> (bool, Value) {
    let mut command = Command::new(BIN);
    command.args(args).env_remove("STEADY_CLINIC_DB_KEY_FILE");
    match key {
        Some(key) => command.env("STEADY_CLINIC_DB_KEY", key),
        None => command.env_remove("STEADY_CLINIC_DB_KEY"),
    };
    let out = command.output().expect("run steady-clinic");
    let text = String::from_utf8_lossy(&out.stdout);
    (
        out.status.success(),
        serde_json::from_str(text.trim()).unwrap_or(Value::String(text.into_owned())),
    )
}

#[test]
fn backup_and_restore_commands_keep_the_clinic_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (live, copy, restored) = (path("live.db"), path("copy.db"), path("restored.db"));
    let key = "7a".repeat(32);
    let key_file = path("db.key");
    std::fs::write(&key_file, format!("{key}\n")).unwrap();

    // An encrypted database from the start (key from a file).
    let (ok, added) = run(
        &[
            "--json",
            "patient",
            "add",
            "Sam Rivera",
            "--db",
            &live,
            "--db-key-file",
            &key_file,
        ],
        "",
    );
    assert!(ok, "{added}");
    let header = std::fs::read(&live).unwrap();
    assert_ne!(&header[..16], b"SQLite format 3\0");
    // Without the key it does not open, and says why.
    let (ok, refused) = run_keyed(&["--json", "patient", "add", "Alex", "--db", &live], None);
    assert!(!ok);
    assert!(
        refused["error"]["reason"].as_str().unwrap().contains("key"),
        "{refused}"
    );

    // A backup needs a key, is encrypted, and never overwrites.
    let (ok, _) = run_keyed(&["--json", "backup", &copy, "--db", &live], None);
    assert!(!ok);
    let (ok, done) = run_keyed(&["--json", "backup", &copy, "--db", &live], Some(&key));
    assert!(ok, "{done}");
    assert_eq!(done["encrypted"], true);
    let (ok, _) = run_keyed(&["--json", "backup", &copy, "--db", &live], Some(&key));
    assert!(!ok, "an existing backup is not overwritten");

    // Restore creates a new database that opens with the key and holds the patient.
    let (ok, done) = run_keyed(&["--json", "restore", &copy, "--db", &restored], Some(&key));
    assert!(ok, "{done}");
    let (ok, _) = run_keyed(&["--json", "restore", &copy, "--db", &restored], Some(&key));
    assert!(!ok, "a restore never overwrites a database");
    let db = steady_clinic::store::Db::open(&steady_clinic::store::Backend::SqliteEncrypted {
        path: restored.clone().into(),
        key: steady_clinic::store::DbKey::from_hex(&key).unwrap(),
    })
    .unwrap();
    let names: Vec<String> = db
        .transact(steady_clinic::store::Mode::Read, |tx| {
            tx.query("SELECT name FROM patients", &[])?
                .iter()
                .map(|r| r.text(0))
                .collect::<Result<Vec<_>, _>>()
        })
        .unwrap();
    assert_eq!(names, ["Sam Rivera"]);

    // A plaintext database (from before) is encrypted by its first backup.
    let plain = path("plain.db");
    let (ok, _) = run_keyed(
        &["--json", "patient", "add", "Jordan", "--db", &plain],
        None,
    );
    assert!(ok);
    let encrypted = path("encrypted.db");
    let (ok, done) = run_keyed(
        &["--json", "backup", &encrypted, "--db", &plain],
        Some(&key),
    );
    assert!(ok, "{done}");
    assert_ne!(
        &std::fs::read(&encrypted).unwrap()[..16],
        b"SQLite format 3\0"
    );
}
