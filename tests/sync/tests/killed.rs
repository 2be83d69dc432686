//! A real `steady` process killed (SIGKILL) in the middle of `steady sync`:
//! once after it committed the push locally but before the clinic saw it,
//! once after the clinic committed but before the answer arrived. The next
//! `steady sync` delivers everything exactly once.
//!
//! Needs the CLI built next to this test (`cargo build -p steady-cli`).

use serde_json::Value;
use std::process::Stdio;
use std::time::Duration;
use steady_sync_tests::cli::Cli;
use steady_sync_tests::clinic::{storages, Clinic};
use steady_sync_tests::proxy::{Mode, Proxy};

/// Starts `steady sync`, waits until the proxy holds its request, then kills
/// the process outright.
fn kill_during_sync(cli: &Cli, proxy: &Proxy, stalls: u32) {
    let mut child = cli
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

fn cravings_at_clinic(clinic: &Clinic, patient: &str) -> usize {
    clinic
        .records(patient)
        .iter()
        .filter(|r| r["record_type"] == "craving")
        .count()
}

#[test]
fn a_steady_process_killed_mid_sync_loses_and_repeats_nothing() {
    for storage in storages() {
        let clinic = Clinic::start(&storage, 1);
        let proxy = Proxy::start(clinic.url());
        let (patient, code) = clinic.patient("Sam Rivera");
        let cli = Cli::new();
        cli.run(&["enroll", &code, "--server", &proxy.url]);
        cli.run(&["consent", "grant", "cravings", "--signature", "Sam Rivera"]);
        for intensity in ["3", "6", "8"] {
            cli.run(&["craving", "log", intensity]);
        }

        // Killed after the push was numbered and committed locally, before
        // the clinic saw anything.
        proxy.set(Mode::StallBeforeForward);
        kill_during_sync(&cli, &proxy, 1);
        assert_eq!(cravings_at_clinic(&clinic, &patient), 0, "{}", storage.name);

        // Killed after the clinic committed the push, before the answer.
        cli.run(&["craving", "log", "2"]);
        proxy.set(Mode::StallAfterForward);
        kill_during_sync(&cli, &proxy, 2);
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
