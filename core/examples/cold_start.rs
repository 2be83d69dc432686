//! Cold start: one fresh process opens the encrypted database and computes
//! Today, as a phone does when the app starts. Time it from outside, so the
//! process start is counted too:
//!
//! ```sh
//! STEADY_BENCH_KEEP_DB=/tmp/five-years.db cargo bench -p steady-core --bench progress
//! cargo build --release -p steady-core --example cold_start
//! perf stat -r 20 $CARGO_TARGET_DIR/release/examples/cold_start /tmp/five-years.db
//! ```
//!
//! The database is the progress benchmark's five-year history (key and
//! clock as there).

use std::sync::Arc;
use steady_core::{FixedClock, Steady, KEY_LEN};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: cold_start DATABASE");
        std::process::exit(2);
    };
    let now = "2026-11-26T17:00:00Z".parse().unwrap_or_default();
    let clock = Arc::new(FixedClock::new(now, "America/New_York"));
    let today = Steady::open(&path, &[7u8; KEY_LEN], clock).and_then(|steady| steady.today());
    match today {
        Ok(today) => println!("{} sober days", today.sober.days_since_last_use),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
