//! A real `steady` process killed (SIGKILL) in the middle of `steady sync`:
//! once after it committed the push locally but before the clinic saw it,
//! once after the clinic committed but before the answer arrived. The next
//! `steady sync` delivers everything exactly once.
//!
//! Needs the CLI built next to this test (`cargo build -p steady-cli`).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use steady_sync_tests::clinic::{storages, Clinic};
use steady_sync_tests::proxy::{Mode, Proxy};

fn steady_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test path");
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|dir| dir.join("steady"))
        .expect("target dir");
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build -p steady-cli` first",
        bin.display()
    );
    bin
}

struct Cli {
    bin: PathBuf,
    dir: tempfile::TempDir,
}

impl Cli {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.bin);
        command
            .arg("--db")
            .arg(self.dir.path().join("steady.db"))
            .arg("--tz")
            .arg("America/New_York")
            .arg("--json")
            .args(args);
        command
    }

    fn run(&self, args: &[&str]) -> Value {
        let output = self.command(args).output().expect("run steady");
        assert!(
            output.status.success(),
            "steady {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("json output")
    }

    /// Starts `steady sync`, waits until the proxy holds its request, then
    /// kills the process outright.
    fn kill_during_sync(&self, proxy: &Proxy, stalls: u32) {
        let mut child = self
            .command(&["sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn steady sync");
        assert!(
            proxy.wait_for_stalls(stalls, Duration::from_secs(20)),
            "the sync never reached the proxy"
        );
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("reap");
        assert!(!status.success());
    }
}

fn cravings_at_clinic(clinic: &Clinic, patient: &str) -> usize {
    clinic
        .records(patient)
        .iter()
        .filter(|r| r["record_type"] == "craving")
        .count()
}

#[test]
fn a_steady_process_killed_mid_sync_loses_and_repeats_nothing() {
    let bin = steady_binary();
    for storage in storages() {
        let clinic = Clinic::start(&storage, 1);
        let proxy = Proxy::start(clinic.url());
        let (patient, code) = clinic.patient("Sam Rivera");
        let cli = Cli {
            bin: bin.clone(),
            dir: tempfile::tempdir().expect("tempdir"),
        };
        cli.run(&["init"]);
        cli.run(&["enroll", &code, "--server", &proxy.url]);
        cli.run(&["consent", "grant", "cravings", "--signature", "Sam Rivera"]);
        for intensity in ["3", "6", "8"] {
            cli.run(&["craving", "log", intensity]);
        }

        // Killed after the push was numbered and committed locally, before
        // the clinic saw anything.
        proxy.set(Mode::StallBeforeForward);
        cli.kill_during_sync(&proxy, 1);
        assert_eq!(cravings_at_clinic(&clinic, &patient), 0, "{}", storage.name);

        // Killed after the clinic committed the push, before the answer.
        cli.run(&["craving", "log", "2"]);
        proxy.set(Mode::StallAfterForward);
        cli.kill_during_sync(&proxy, 2);
        assert_eq!(cravings_at_clinic(&clinic, &patient), 4, "{}", storage.name);

        proxy.set(Mode::Pass);
        let report = cli.run(&["sync"]);
        assert_eq!(report["applied"], 0, "{report}");
        assert_eq!(
            report["duplicates"], 5,
            "consent and four cravings: {report}"
        );
        assert_eq!(report["rejected"], Value::Array(vec![]));
        assert_eq!(cravings_at_clinic(&clinic, &patient), 4);
    }
}
