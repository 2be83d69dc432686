//! Real `steady` processes killed with SIGKILL at random points — while
//! logging cravings, while syncing with a real clinic server, and while
//! creating a database (every migration) — at least 200 kills, counted.
//! Afterwards every craving a process acknowledged (it exited successfully
//! and printed the craving) is still on the phone, the database opens, and
//! one more sync leaves the clinic with each local craving exactly once.
//!
//! The kill points come from a fixed-seed generator, so a failure repeats.
//! Needs the CLI built next to this test (`cargo build -p steady-cli`).

use std::collections::BTreeSet;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use steady_sync_tests::cli::Cli;
use steady_sync_tests::clinic::{storages, Clinic};

/// At least this many processes must really be killed mid-run.
const KILLS: usize = 200;

/// xorshift64*: a fixed-seed source of kill points, no dependency.
struct Points(u64);

impl Points {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// Lets the child run for `delay`, then kills it unless it finished first.
/// `Some(stdout)` when it finished successfully (acknowledged), `None` when
/// it was killed (or failed).
fn run_or_kill(mut child: Child, delay: Duration, killed: &mut usize) -> Option<Vec<u8>> {
    let deadline = Instant::now() + delay;
    loop {
        if let Some(status) = child.try_wait().expect("poll child") {
            let mut out = Vec::new();
            if let Some(mut stdout) = child.stdout.take() {
                std::io::Read::read_to_end(&mut stdout, &mut out).expect("read stdout");
            }
            return status.success().then_some(out);
        }
        if Instant::now() >= deadline {
            child.kill().expect("SIGKILL");
            child.wait().expect("reap");
            *killed += 1;
            return None;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

fn local_craving_ids(cli: &Cli) -> BTreeSet<String> {
    let list = cli.run(&["craving", "list", "--days", "3650"]);
    list.as_array()
        .expect("craving list")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn two_hundred_random_kills_lose_no_acknowledged_record() {
    let storage = storages().into_iter().next().expect("SQLite clinic");
    let clinic = Clinic::start(&storage, 1);
    let (patient, code) = clinic.patient("Sam Rivera");
    let cli = Cli::new();
    cli.run(&["enroll", &code, "--server", clinic.url()]);
    cli.run(&["consent", "grant", "cravings", "--signature", "Sam Rivera"]);

    let mut points = Points(0x5EED_2026_1202_0001);
    let mut killed = 0;
    let mut killed_creating = 0;
    let mut acknowledged = BTreeSet::new();
    let mut attempts = 0;
    while killed < KILLS {
        attempts += 1;
        assert!(
            attempts < 2_000,
            "only {killed} kills in {attempts} attempts"
        );
        let delay = Duration::from_millis(points.below(150));
        match points.below(10) {
            // Creating a database runs every migration: killed part-way,
            // the next `init` or open must still give a working database.
            0 => {
                let fresh = Cli::uninitialised();
                let child = fresh
                    .command(&["init"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("spawn init");
                let before = killed;
                run_or_kill(child, delay, &mut killed);
                if killed > before {
                    killed_creating += 1;
                    let again = fresh.output(&["init"]);
                    let opened = fresh.output(&["today"]);
                    assert!(
                        again.status.success() || opened.status.success(),
                        "after a kill during init the database neither initialises nor opens: {} / {}",
                        String::from_utf8_lossy(&again.stderr),
                        String::from_utf8_lossy(&opened.stderr)
                    );
                    assert!(fresh.db_path().exists());
                }
            }
            // A sync with the clinic, killed anywhere in it.
            1..=3 => {
                let child = cli
                    .command(&["sync"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("spawn sync");
                run_or_kill(child, delay, &mut killed);
            }
            // Logging a craving: acknowledged only when the process says so.
            _ => {
                let intensity = (points.below(10) + 1).to_string();
                let child = cli
                    .command(&["craving", "log", &intensity])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("spawn craving log");
                if let Some(out) = run_or_kill(child, delay, &mut killed) {
                    let doc: serde_json::Value =
                        serde_json::from_slice(&out).expect("acknowledged craving is JSON");
                    acknowledged.insert(doc["id"].as_str().expect("id").to_string());
                }
            }
        }
    }
    println!(
        "{killed} processes killed ({killed_creating} while creating a database) in {attempts} runs; {} cravings acknowledged",
        acknowledged.len()
    );

    let local = local_craving_ids(&cli);
    let lost: Vec<_> = acknowledged.difference(&local).collect();
    assert!(lost.is_empty(), "acknowledged cravings lost: {lost:?}");
    assert!(
        !acknowledged.is_empty(),
        "no run finished: the delays are too short"
    );

    // One clean sync: the clinic holds every local craving exactly once.
    cli.run(&["sync"]);
    let at_clinic: Vec<String> = clinic
        .records(&patient)
        .iter()
        .filter(|r| r["record_type"] == "craving")
        .map(|r| r["record_id"].as_str().expect("record_id").to_string())
        .collect();
    let unique: BTreeSet<String> = at_clinic.iter().cloned().collect();
    assert_eq!(
        unique.len(),
        at_clinic.len(),
        "a craving reached the clinic twice"
    );
    assert_eq!(
        unique, local,
        "the clinic and the phone disagree after a clean sync"
    );
}
