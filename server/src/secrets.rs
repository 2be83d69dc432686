//! Tokens, enrollment codes and passwords: generated from the OS's random
//! source and stored only as hashes (SHA-256 for high-entropy tokens and
//! codes, argon2 for human passwords).

use crate::error::{ApiError, ApiResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

/// Letters and digits that cannot be misread (no I, L, O, U, 0, 1).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";
/// Characters in an enrollment code.
pub const CODE_LEN: usize = 8;

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

/// A new enrollment code, formatted for people: `ABCD-EFGH`.
pub fn new_code() -> ApiResult<String> {
    let bytes = random_bytes::<CODE_LEN>()?;
    let chars: String = bytes
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect();
    Ok(format!("{}-{}", &chars[..4], &chars[4..]))
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
        assert_eq!(code.len(), CODE_LEN + 1);
        let plain = normalize_code(&code).unwrap();
        assert_eq!(normalize_code(&code.to_lowercase()), Some(plain.clone()));
        assert_eq!(normalize_code(&format!(" {} ", plain)), Some(plain));
    }

    #[test]
    fn impossible_codes_do_not_normalize() {
        assert_eq!(normalize_code("ABCD-EFG"), None);
        assert_eq!(
            normalize_code("ABCD-EFG0"),
            None,
            "0 is not in the alphabet"
        );
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
