//! How long planning reminders takes on a realistic year-old schedule: three
//! weekly session series (group three times a week, individual and family
//! weekly) that started a year ago, three medications (one twice a day), a
//! year of attendance and dose answers, planned 14 days ahead under the
//! 64-reminder cap. Results are written into docs/reminders.md.
//!
//! Each case is measured twice: wall time (criterion's default) and this
//! thread's CPU time, which stays meaningful when other jobs share the cores.

use chrono::{DateTime, Duration, Utc};
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::sync::Arc;
use steady_core::{
    diff_reminders, AttendanceStatus, DoseStatus, FixedClock, Frequency, NewMedication, Recurrence,
    ReminderSettings, ScheduleSource, SessionKind, SessionSeries, Steady, Weekday, KEY_LEN,
};

const ZONE: &str = "America/New_York";

fn series(kind: SessionKind, start: &str, days: &[Weekday]) -> SessionSeries {
    SessionSeries {
        id: String::new(),
        uid: None,
        kind,
        title: "Session".into(),
        location: Some("Room 2".into()),
        video_url: None,
        time_zone: ZONE.into(),
        start_local: start.into(),
        duration_min: 90,
        recurrence: Some(Recurrence {
            frequency: Frequency::Weekly,
            interval: 1,
            weekdays: days.to_vec(),
            until: None,
            count: None,
            rules: Vec::new(),
            extra_starts: Vec::new(),
        }),
        changes: Vec::new(),
        source: ScheduleSource::Clinic,
    }
}

/// A database a year into treatment, with every past session and dose answered.
fn year_of_treatment(dir: &std::path::Path, now: DateTime<Utc>) -> (Steady, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(now - Duration::days(365), ZONE));
    let steady = Steady::open(dir.join("bench.db"), &[9u8; KEY_LEN], clock.clone()).unwrap();
    let mut all_series = Vec::new();
    for (kind, start, days) in [
        (
            SessionKind::Group,
            "2025-12-01T18:00",
            &[Weekday::Mon, Weekday::Wed, Weekday::Fri][..],
        ),
        (
            SessionKind::Individual,
            "2025-12-02T10:00",
            &[Weekday::Tue][..],
        ),
        (SessionKind::Family, "2025-12-04T17:00", &[Weekday::Thu][..]),
    ] {
        all_series.push(
            steady
                .save_session_series(series(kind, start, days))
                .unwrap(),
        );
    }
    let mut medications = Vec::new();
    for (name, times) in [
        ("A", vec!["08:00".to_string()]),
        ("B", vec!["08:00".to_string(), "20:00".to_string()]),
        ("C", vec!["21:00".to_string()]),
    ] {
        let input = NewMedication {
            name: name.into(),
            times,
            start_date: Some("2025-12-01".into()),
            ..Default::default()
        };
        medications.push(steady.add_medication(input).unwrap());
    }
    clock.set(now);
    let past = steady
        .occurrences_between(now - Duration::days(366), now)
        .unwrap();
    for occurrence in past {
        steady
            .record_attendance(&occurrence.id, AttendanceStatus::Attended)
            .unwrap();
    }
    let today = now.date_naive();
    for dose in steady
        .doses_due(today - Duration::days(365), today - Duration::days(1))
        .unwrap()
    {
        steady
            .confirm_dose(
                &dose.medication_id,
                DoseStatus::Taken,
                Some(&dose.due_local),
            )
            .unwrap();
    }
    (steady, clock)
}

/// CPU time consumed by the benchmarking thread, in nanoseconds.
struct ThreadCpuTime;

fn thread_cpu_ns() -> u64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec for the duration of the call.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64
}

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &Nanoseconds
    }
}

struct Nanoseconds;

impl ValueFormatter for Nanoseconds {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical < 1e3 {
            (1.0, "ns")
        } else if typical < 1e6 {
            (1e-3, "µs")
        } else {
            (1e-6, "ms")
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }
    fn scale_throughputs(&self, _: f64, _: &Throughput, _: &mut [f64]) -> &'static str {
        "ns"
    }
    fn scale_for_machines(&self, _: &mut [f64]) -> &'static str {
        "ns"
    }
}

/// The two cases, under any measurement.
fn cases<M: Measurement + 'static>(c: &mut Criterion<M>, label: &str) {
    let dir = tempfile::tempdir().unwrap();
    let now = DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let (steady, _clock) = year_of_treatment(dir.path(), now);
    let settings = ReminderSettings {
        horizon_days: 14,
        cap: 64,
        ..Default::default()
    };
    let plan = steady.plan_reminders_with(settings.clone()).unwrap();
    assert_eq!(plan.len(), 64);

    c.bench_function(
        &format!("{label}: plan 14 days, 3 weekly series + 3 medications, 1 year"),
        |b| {
            b.iter(|| {
                steady
                    .plan_reminders_with(black_box(settings.clone()))
                    .unwrap()
            })
        },
    );

    let mut moved = plan.clone();
    moved.rotate_left(1);
    if let Some(last) = moved.last_mut() {
        last.fire_at_ms += 60_000;
    }
    c.bench_function(&format!("{label}: diff two plans of 64 reminders"), |b| {
        b.iter(|| diff_reminders(black_box(&plan), black_box(&moved)))
    });
}

fn wall(c: &mut Criterion) {
    cases(c, "wall");
}

fn cpu(c: &mut Criterion<ThreadCpuTime>) {
    cases(c, "cpu");
}

criterion_group!(wall_time, wall);
criterion_group! {
    name = cpu_time;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu
}
criterion_main!(wall_time, cpu_time);
