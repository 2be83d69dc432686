//! Attempt limits kept in the database (fixed windows), so every server
//! instance counts the same attempts and a restart forgets nothing.

use crate::store::{DbError, Tx};

pub struct Limit {
    pub attempts: i64,
    pub window_ms: i64,
}

/// Enrollment attempts per client address whose code matches no live code.
/// A valid code is never refused by it (codes carry their own limit, see
/// [`crate::enroll::MAX_CODE_ATTEMPTS`]); it only slows enumeration.
pub const ENROLL_PER_ADDRESS: Limit = Limit {
    attempts: 20,
    window_ms: 15 * 60 * 1000,
};
/// Staff sign-in attempts for one account from one client address.
pub const SIGN_IN_PER_ADDRESS: Limit = Limit {
    attempts: 10,
    window_ms: 15 * 60 * 1000,
};
/// Staff sign-in attempts for one account from addresses that never signed
/// in to it: bounds distributed guessing without touching the addresses the
/// staff member really uses.
pub const SIGN_IN_PER_ACCOUNT: Limit = Limit {
    attempts: 50,
    window_ms: 15 * 60 * 1000,
};
/// Kept for callers of the earlier name: the per-address sign-in limit.
pub const SIGN_IN_PER_EMAIL: Limit = SIGN_IN_PER_ADDRESS;

/// Counts one attempt in `bucket` before it is checked, atomically on both
/// backends (one upsert), and returns the attempts in the current window
/// including this one with the milliseconds until the window ends. Racing
/// requests therefore cannot all slip under the limit.
pub fn reserve(
    tx: &mut dyn Tx,
    bucket: &str,
    limit: &Limit,
    now_ms: i64,
) -> Result<(i64, i64), DbError> {
    let row = tx.query_opt(
        "INSERT INTO rate_limits (bucket, window_start_ms, attempts) VALUES ($1, $2, 1)
         ON CONFLICT (bucket) DO UPDATE SET
           attempts = CASE WHEN rate_limits.window_start_ms <= $3 THEN 1
                           ELSE rate_limits.attempts + 1 END,
           window_start_ms = CASE WHEN rate_limits.window_start_ms <= $3 THEN $2
                                  ELSE rate_limits.window_start_ms END
         RETURNING attempts, window_start_ms",
        &[
            bucket.into(),
            now_ms.into(),
            (now_ms - limit.window_ms).into(),
        ],
    )?;
    match row {
        Some(row) => Ok((row.int(0)?, row.int(1)? + limit.window_ms - now_ms)),
        None => Err(DbError::Other("rate limit upsert returned nothing".into())),
    }
}

/// Forgets the attempts in `bucket` (after a success).
pub fn clear(tx: &mut dyn Tx, bucket: &str) -> Result<(), DbError> {
    tx.exec(
        "DELETE FROM rate_limits WHERE bucket = $1",
        &[bucket.into()],
    )?;
    Ok(())
}

/// Gives back one attempt reserved in `bucket` (it succeeded: only failures
/// and attempts still in flight count).
pub fn refund(tx: &mut dyn Tx, bucket: &str) -> Result<(), DbError> {
    tx.exec(
        "UPDATE rate_limits SET attempts = attempts - 1 WHERE bucket = $1 AND attempts > 0",
        &[bucket.into()],
    )?;
    Ok(())
}

/// Whole seconds to wait, at least one.
pub fn retry_seconds(remaining_ms: i64) -> u64 {
    u64::try_from((remaining_ms + 999) / 1000)
        .unwrap_or(1)
        .max(1)
}

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
