//! Attempt limits kept in the database (fixed windows), so every server
//! instance counts the same attempts and a restart forgets nothing.

use crate::store::{DbError, Tx};

pub struct Limit {
    pub attempts: i64,
    pub window_ms: i64,
}

/// Enrollment code guesses per client address.
pub const ENROLL_PER_ADDRESS: Limit = Limit {
    attempts: 10,
    window_ms: 15 * 60 * 1000,
};
/// Enrollment code guesses from everywhere together.
pub const ENROLL_OVERALL: Limit = Limit {
    attempts: 1000,
    window_ms: 15 * 60 * 1000,
};
/// Failed staff sign-ins per email.
pub const SIGN_IN_PER_EMAIL: Limit = Limit {
    attempts: 10,
    window_ms: 15 * 60 * 1000,
};

/// Whether one more attempt is allowed in `bucket` now.
pub fn allows(tx: &mut dyn Tx, bucket: &str, limit: &Limit, now_ms: i64) -> Result<bool, DbError> {
    let row = tx.query_opt(
        "SELECT window_start_ms, attempts FROM rate_limits WHERE bucket = $1",
        &[bucket.into()],
    )?;
    Ok(match row {
        Some(row) => row.int(0)? <= now_ms - limit.window_ms || row.int(1)? < limit.attempts,
        None => true,
    })
}

/// Counts one failed attempt in `bucket`.
pub fn count_failure(
    tx: &mut dyn Tx,
    bucket: &str,
    limit: &Limit,
    now_ms: i64,
) -> Result<(), DbError> {
    tx.exec(
        "INSERT INTO rate_limits (bucket, window_start_ms, attempts) VALUES ($1, $2, 1)
         ON CONFLICT (bucket) DO UPDATE SET
           attempts = CASE WHEN rate_limits.window_start_ms <= $3 THEN 1
                           ELSE rate_limits.attempts + 1 END,
           window_start_ms = CASE WHEN rate_limits.window_start_ms <= $3 THEN $2
                                  ELSE rate_limits.window_start_ms END",
        &[
            bucket.into(),
            now_ms.into(),
            (now_ms - limit.window_ms).into(),
        ],
    )?;
    Ok(())
}
