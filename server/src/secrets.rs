//! Tokens, enrollment codes and passwords: generated from the OS's random
//! source and stored only as hashes (SHA-256 for high-entropy tokens and
//! codes, argon2 for human passwords).

use crate::error::{ApiError, ApiResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;
use steady_protocol::ErrorCode;

/// Letters and digits that cannot be misread (no I, L, O, U, 0, 1).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";
/// Characters in an enrollment code: three groups of four, about 59 bits.
/// The first group is the code's lookup (not secret: wrong guesses at a live
/// code count against it); the other eight characters (about 39 bits) are
/// the secret, guessed at most [`crate::enroll::MAX_CODE_ATTEMPTS`] times.
pub const CODE_LEN: usize = 12;
/// Characters of the lookup group.
pub const CODE_LOOKUP_LEN: usize = 4;

/// Password checks at once, process-wide. Each argon2 check holds about
/// 19 MiB for tens of milliseconds; two at a time keep a sign-in flood to
/// ~40 MiB and leave the other core to sync traffic.
pub const MAX_CONCURRENT_PASSWORD_CHECKS: usize = 2;
/// How long a sign-in waits for its turn before it is told to retry.
const PASSWORD_CHECK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
static PASSWORD_CHECKS: tokio::sync::Semaphore =
    tokio::sync::Semaphore::const_new(MAX_CONCURRENT_PASSWORD_CHECKS);

/// Counters tests read: checks run, and the most ever running at once.
static CHECKS_RUN: AtomicU64 = AtomicU64::new(0);
static CHECKS_RUNNING: AtomicUsize = AtomicUsize::new(0);
static CHECKS_PEAK: AtomicUsize = AtomicUsize::new(0);

/// (password checks run so far, most that ever ran at once) in this process.
pub fn password_check_stats() -> (u64, usize) {
    (
        CHECKS_RUN.load(Ordering::SeqCst),
        CHECKS_PEAK.load(Ordering::SeqCst),
    )
}

/// A hash of a password nobody has, checked when an email is unknown so that
/// an unknown email costs what a known one does.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        // A fixed salt: this hash guards nothing, it only has to cost the same.
        SaltString::encode_b64(b"steady-no-account")
            .ok()
            .and_then(|salt| {
                Argon2::default()
                    .hash_password(b"no staff member has this password", &salt)
                    .ok()
                    .map(|h| h.to_string())
            })
            .unwrap_or_default()
    })
}

/// Computes the dummy hash now, so the first unknown email is not the one
/// request that pays for it.
pub fn prepare() {
    let _ = dummy_hash();
}

/// Checks `password` against `stored`, or against a dummy hash when there is
/// no account (same work either way), with at most
/// [`MAX_CONCURRENT_PASSWORD_CHECKS`] running at once. Waiting too long for a
/// turn is `429` with a retry hint.
pub async fn check_password(password: String, stored: Option<String>) -> ApiResult<bool> {
    let permit = tokio::time::timeout(PASSWORD_CHECK_WAIT, PASSWORD_CHECKS.acquire())
        .await
        .map_err(|_| {
            ApiError::new(
                ErrorCode::RateLimited,
                "the server is busy checking sign-ins; try again in a few seconds",
            )
            .retry_after(5)
        })?
        .map_err(|_| ApiError::internal())?;
    let result = tokio::task::spawn_blocking(move || {
        let running = CHECKS_RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        CHECKS_PEAK.fetch_max(running, Ordering::SeqCst);
        CHECKS_RUN.fetch_add(1, Ordering::SeqCst);
        let ok = match &stored {
            Some(hash) => verify_password(&password, hash),
            None => {
                verify_password(&password, dummy_hash());
                false
            }
        };
        CHECKS_RUNNING.fetch_sub(1, Ordering::SeqCst);
        ok
    })
    .await
    .map_err(|_| ApiError::internal());
    drop(permit);
    result
}

fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| ApiError::internal())?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new bearer token: a prefix saying what it is for, then 256 random bits.
pub fn new_token(prefix: &str) -> ApiResult<String> {
    Ok(format!("{prefix}_{}", hex(&random_bytes::<32>()?)))
}

/// What the database keeps of a token or code.
pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// A new enrollment code, formatted for people: `ABCD-EFGH-JKMN`. Each
/// character is drawn without modulo bias (bytes of 240 and above, the
/// remainder past the largest multiple of 30, are drawn again).
pub fn new_code() -> ApiResult<String> {
    let mut chars = String::with_capacity(CODE_LEN);
    while chars.len() < CODE_LEN {
        for b in random_bytes::<16>()? {
            let usable = 256 - 256 % CODE_ALPHABET.len();
            if usize::from(b) < usable && chars.len() < CODE_LEN {
                chars.push(CODE_ALPHABET[usize::from(b) % CODE_ALPHABET.len()] as char);
            }
        }
    }
    Ok(format!("{}-{}-{}", &chars[..4], &chars[4..8], &chars[8..]))
}

/// The lookup group of a normalized code.
pub fn code_lookup(normalized: &str) -> &str {
    &normalized[..CODE_LOOKUP_LEN.min(normalized.len())]
}

/// The canonical form of a typed code (case, dashes and spaces ignored), or
/// `None` when it cannot be a code.
pub fn normalize_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let valid = code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b));
    valid.then_some(code)
}

pub fn hash_password(password: &str) -> ApiResult<String> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?).map_err(|_| ApiError::internal())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| ApiError::internal())
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_readable_and_normalize_back() {
        let code = new_code().unwrap();
        assert_eq!(code.len(), CODE_LEN + 2);
        let plain = normalize_code(&code).unwrap();
        assert_eq!(normalize_code(&code.to_lowercase()), Some(plain.clone()));
        assert_eq!(normalize_code(&format!(" {} ", plain)), Some(plain));
    }

    #[test]
    fn impossible_codes_do_not_normalize() {
        assert_eq!(normalize_code("ABCD-EFGH-JKM"), None);
        assert_eq!(normalize_code("ABCD-EFGH"), None, "the old short codes");
        assert_eq!(
            normalize_code("ABCD-EFGH-JKM0"),
            None,
            "0 is not in the alphabet"
        );
    }

    #[test]
    fn the_dummy_hash_is_a_real_argon2_hash() {
        assert!(PasswordHash::new(dummy_hash()).is_ok());
        assert!(!verify_password("no staff member", dummy_hash()));
    }

    #[test]
    fn codes_have_three_groups_from_the_alphabet() {
        for _ in 0..50 {
            let code = new_code().unwrap();
            let groups: Vec<&str> = code.split('-').collect();
            assert_eq!(groups.len(), 3, "{code}");
            assert!(groups.iter().all(|g| g.len() == 4));
            assert!(normalize_code(&code).is_some());
        }
    }

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let stored = hash_password("correct horse").unwrap();
        assert!(verify_password("correct horse", &stored));
        assert!(!verify_password("wrong horse", &stored));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn tokens_differ_and_hash_deterministically() {
        let a = new_token("dv").unwrap();
        let b = new_token("dv").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("dv_"));
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
    }
}
