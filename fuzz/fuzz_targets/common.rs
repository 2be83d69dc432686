// One phone per fuzzing process: the real core on an encrypted file in a
// temporary directory, with a fixed clock.

use std::sync::{Arc, OnceLock};
use steady_core::{FixedClock, Steady};

pub fn phone() -> &'static Steady {
    static PHONE: OnceLock<Steady> = OnceLock::new();
    PHONE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("steady-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("fuzz dir");
        let now = chrono_now();
        let clock = Arc::new(FixedClock::new(now, "America/New_York"));
        Steady::open(dir.join("phone.db"), &[7u8; 32], clock).expect("open phone")
    })
}

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(1_798_977_600_000).expect("instant")
}
