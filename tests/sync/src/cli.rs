//! The real `steady` binary, run as a script runs it: its own encrypted
//! database in a temporary directory, `--json` output. It must be built next
//! to the tests (`cargo build -p steady-cli`; `cargo test --workspace` does).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Cli {
    bin: PathBuf,
    dir: tempfile::TempDir,
}

impl Default for Cli {
    fn default() -> Self {
        Cli::new()
    }
}

impl Cli {
    /// A fresh database, initialised.
    pub fn new() -> Cli {
        let cli = Cli {
            bin: steady_binary(),
            dir: tempfile::tempdir().expect("tempdir"),
        };
        cli.run(&["init"]);
        cli
    }

    /// A fresh directory with no database yet (`init` not run).
    pub fn uninitialised() -> Cli {
        Cli {
            bin: steady_binary(),
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// The database file.
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("steady.db")
    }

    /// `steady --db … --tz America/New_York --json ARGS`, not started yet.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.bin);
        command
            .arg("--db")
            .arg(self.dir.path().join("steady.db"))
            .args(["--tz", "America/New_York", "--json"])
            .args(args);
        command
    }

    /// Runs and returns the process output, success or not.
    pub fn output(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run steady")
    }

    /// Runs a command that must succeed; returns its JSON document.
    pub fn run(&self, args: &[&str]) -> Value {
        let output = self.output(args);
        assert!(
            output.status.success(),
            "steady {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("json output")
    }

    /// Runs a command that must fail; returns its JSON error object.
    pub fn fail(&self, args: &[&str]) -> Value {
        let output = self.output(args);
        assert!(!output.status.success(), "steady {args:?} succeeded");
        let doc: Value = serde_json::from_slice(&output.stderr).expect("json error");
        doc["error"].clone()
    }
}

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
