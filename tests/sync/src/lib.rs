//! Test harness for phone-to-clinic sync against a real steady-clinic server:
//! the server in-process on loopback ([`clinic`]), transports that inject
//! faults ([`transport`]), a phone running the real core ([`Phone`]) and a
//! proxy that lets a real `steady` process be killed mid-sync ([`proxy`]) and
//! the real CLI ([`cli`]).

pub mod cli;
pub mod clinic;
pub mod proxy;
pub mod transport;

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use steady_core::{ConsentCategory, ConsentGrant, FixedClock, NewCraving, Steady, Transport};

/// A phone: the real core on an encrypted file, with its own clock.
pub struct Phone {
    pub steady: Steady,
    pub clock: Arc<FixedClock>,
    _dir: tempfile::TempDir,
}

impl Phone {
    /// A phone whose clock reads the clinic's time plus `skew`.
    pub fn new(skew: Duration) -> Phone {
        let dir = tempfile::tempdir().expect("tempdir");
        let now = DateTime::<Utc>::from_timestamp_millis(clinic::T0_MS).expect("t0") + skew;
        let clock = Arc::new(FixedClock::new(now, "America/New_York"));
        let steady = Steady::open(dir.path().join("phone.db"), &[9u8; 32], clock.clone())
            .expect("open phone database");
        Phone {
            steady,
            clock,
            _dir: dir,
        }
    }

    /// Enrolls with `code` at `url` through `transport`.
    pub fn enroll(&self, code: &str, url: &str, transport: &dyn Transport) {
        self.steady
            .enroll(code, url, Some("test phone".into()), transport)
            .expect("enroll");
    }

    pub fn grant(&self, categories: &[ConsentCategory]) {
        self.steady
            .grant_consent(ConsentGrant {
                categories: categories.to_vec(),
                signature: "Sam Rivera".into(),
                ..ConsentGrant::default()
            })
            .expect("grant");
    }

    pub fn craving(&self, intensity: u8, note: Option<&str>) -> String {
        self.clock.advance(Duration::seconds(1));
        self.steady
            .log_craving(NewCraving {
                intensity,
                note: note.map(str::to_string),
                ..NewCraving::default()
            })
            .expect("log craving")
            .id
    }

    /// Ids of the clinic records on the phone, sorted.
    pub fn clinic_record_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .steady
            .clinic_records(None)
            .expect("clinic records")
            .into_iter()
            .map(|r| r.record_id)
            .collect();
        ids.sort();
        ids
    }

    /// Syncs until a sync succeeds (faults may fail the first tries).
    pub fn sync_until_done(&self, transport: &dyn Transport) -> steady_core::SyncReport {
        let mut last = None;
        for _ in 0..20 {
            match self.steady.sync(transport) {
                Ok(report) => return report,
                Err(e) => last = Some(e),
            }
        }
        panic!("sync never succeeded: {last:?}");
    }
}
