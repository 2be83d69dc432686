//! Logging a craving through the FFI surface against a raw SQLite insert of
//! the same row, one transaction each, on the same encrypted file with the
//! same durability (WAL, `synchronous = FULL`). Issue 16's target: the FFI
//! call costs at most 1.2× the raw insert. The FFI side is `steady-ffi`'s
//! `Steady` exactly as Kotlin and Swift call it, without the foreign
//! language's argument lowering (a few hundred nanoseconds); it validates,
//! writes the craving, its outbox row and its day's tally, and signals
//! observers. Results are written into docs/measurements.md.
//!
//!     cargo bench -p steady-ffi --bench craving_log

use criterion::{criterion_group, criterion_main, Criterion};
use rusqlite::{params, Connection};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use steady_core::{NewCraving, KEY_LEN};
use steady_ffi::{PhoneClock, Steady};

const KEY: [u8; KEY_LEN] = [7; KEY_LEN];
const ZONE: &str = "America/New_York";

/// A clock a millisecond on at every reading, so no two cravings share an
/// instant.
/// A clock that moves on 20 minutes each time it is read (a log reads it a
/// few times), so a day holds the handful of cravings a patient logs, not
/// thousands: each log also re-tallies its own day (ADR 0070), whose cost
/// grows with that day's cravings.
struct Ticking(AtomicI64);

impl PhoneClock for Ticking {
    fn now_ms(&self) -> i64 {
        self.0.fetch_add(20 * 60 * 1000, Ordering::Relaxed)
    }
    fn time_zone(&self) -> String {
        ZONE.to_string()
    }
}

fn raw(path: &std::path::Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    let hex: String = KEY.iter().map(|b| format!("{b:02x}")).collect();
    conn.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))
        .unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    let _mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .unwrap();
    conn
}

fn craving_log(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let clock = Arc::new(Ticking(AtomicI64::new(1_795_000_000_000)));
    let steady = Steady::open(path.to_string_lossy().into_owned(), KEY.to_vec(), clock).unwrap();
    let mut group = c.benchmark_group("craving_log");
    group.bench_function("through the FFI", |b| {
        b.iter(|| {
            steady
                .log_craving(NewCraving {
                    intensity: 6,
                    triggers: vec!["stress".into()],
                    ..NewCraving::default()
                })
                .unwrap()
        })
    });
    let conn = raw(&path);
    let mut n = 0i64;
    group.bench_function("raw insert, one transaction", |b| {
        b.iter(|| {
            n += 1;
            let tx = conn.unchecked_transaction().unwrap();
            tx.execute(
                "INSERT INTO craving (id, intensity, occurred_at_ms, time_zone, logged_at_ms, triggers)
                 VALUES (?1, 6, ?2, ?3, ?2, '[\"stress\"]')",
                params![format!("raw-{n}"), 1_796_000_000_000i64 + n, ZONE],
            )
            .unwrap();
            tx.commit().unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, craving_log);
criterion_main!(benches);
