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
