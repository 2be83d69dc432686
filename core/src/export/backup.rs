//! The encrypted backup: the whole database (every table, every row, the
//! clinic enrollment and the sync queue included) in one file that only the
//! patient's passphrase opens (docs/adr/0051-encrypted-backup-format.md).
//!
//! ```text
//! offset  bytes  field
//!      0      8  magic "STEADYBK"
//!      8      1  format version (1)
//!      9     12  argon2id memory KiB, passes, lanes (u32 little-endian each)
//!     21     16  salt
//!     37     24  key-check nonce
//!     61     16  key-check tag: XChaCha20-Poly1305 over nothing
//!     77     24  nonce
//!    101      …  XChaCha20-Poly1305 ciphertext of the JSON record, header as AAD
//! ```
//!
//! The key check tells a wrong passphrase apart from a damaged file.

use super::dump::{self, Dump, Scope};
use crate::{Error, Result};
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

pub const MAGIC: &[u8; 8] = b"STEADYBK";
pub const VERSION: u8 = 1;
/// argon2id cost: 64 MiB, 3 passes, 1 lane (RFC 9106's second recommended
/// option; about half a second on a mid-range phone).
pub const MEMORY_KIB: u32 = 64 * 1024;
pub const PASSES: u32 = 3;
pub const LANES: u32 = 1;
/// Shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

const HEADER_LEN: usize = 101;
const KEY_CHECK_AAD: &[u8] = b"steady backup key check";
/// Costs a damaged header may claim before it is refused unread (a file must
/// not make the phone allocate gigabytes).
const MAX_MEMORY_KIB: u32 = 1024 * 1024;
const MAX_PASSES: u32 = 16;
const MAX_LANES: u32 = 8;

pub(crate) fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::invalid(
            "passphrase",
            format!("at least {MIN_PASSPHRASE_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Encrypts `dump` (scope backup) with a key derived from `passphrase`.
pub(crate) fn seal(dump: &Dump, passphrase: &str) -> Result<Vec<u8>> {
    check_passphrase(passphrase)?;
    let plaintext = serde_json::to_vec(dump)
        .map_err(|_| Error::Corrupt("the record could not be written as JSON".into()))?;
    let mut random = [0u8; 16 + 24 + 24];
    getrandom::fill(&mut random)
        .map_err(|_| Error::Corrupt("no randomness available for the backup".into()))?;
    let (salt, nonces) = random.split_at(16);
    let (check_nonce, nonce) = nonces.split_at(24);
    let cipher = cipher(passphrase, salt, MEMORY_KIB, PASSES, LANES)?;
    let check = cipher
        .encrypt(
            XNonce::from_slice(check_nonce),
            Payload {
                msg: b"",
                aad: KEY_CHECK_AAD,
            },
        )
        .map_err(|_| Error::Corrupt("backup encryption failed".into()))?;
    let mut out = Vec::with_capacity(HEADER_LEN + plaintext.len() + 16);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    for n in [MEMORY_KIB, PASSES, LANES] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    out.extend_from_slice(salt);
    out.extend_from_slice(check_nonce);
    out.extend_from_slice(&check);
    out.extend_from_slice(nonce);
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: &plaintext,
                aad: &out[..HEADER_LEN],
            },
        )
        .map_err(|_| Error::Corrupt("backup encryption failed".into()))?;
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Decrypts and parses a backup; nothing is written anywhere.
pub(crate) fn open(file: &[u8], passphrase: &str) -> Result<Dump> {
    let damaged = |detail: &str| Error::DamagedBackup {
        detail: detail.to_string(),
    };
    if file.len() < HEADER_LEN + 16 || &file[..8] != MAGIC {
        return Err(damaged("not a Steady backup"));
    }
    if file[8] != VERSION {
        return Err(damaged("written by a newer version of Steady"));
    }
    let word = |at: usize| u32::from_le_bytes([file[at], file[at + 1], file[at + 2], file[at + 3]]);
    let (memory, passes, lanes) = (word(9), word(13), word(17));
    if memory > MAX_MEMORY_KIB || passes > MAX_PASSES || lanes > MAX_LANES {
        return Err(damaged("key parameters out of range"));
    }
    let cipher = cipher(passphrase, &file[21..37], memory, passes, lanes)
        .map_err(|_| damaged("key parameters out of range"))?;
    cipher
        .decrypt(
            XNonce::from_slice(&file[37..61]),
            Payload {
                msg: &file[61..77],
                aad: KEY_CHECK_AAD,
            },
        )
        .map_err(|_| Error::WrongPassphrase)?;
    let plaintext = cipher
        .decrypt(
            XNonce::from_slice(&file[77..HEADER_LEN]),
            Payload {
                msg: &file[HEADER_LEN..],
                aad: &file[..HEADER_LEN],
            },
        )
        .map_err(|_| damaged("the contents do not match their checksum"))?;
    let dump = dump::parse("backup", &plaintext).map_err(|e| match e {
        Error::DatabaseTooNew { .. } => e,
        _ => damaged("the contents are not a Steady record"),
    })?;
    if dump.scope != Scope::Backup {
        return Err(damaged("the contents are not a backup"));
    }
    Ok(dump)
}

fn cipher(
    passphrase: &str,
    salt: &[u8],
    memory: u32,
    passes: u32,
    lanes: u32,
) -> Result<XChaCha20Poly1305> {
    let params = Params::new(memory, passes, lanes, Some(32))
        .map_err(|_| Error::invalid("backup", "key parameters out of range"))?;
    let mut key = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut key)
        .map_err(|_| Error::invalid("backup", "key derivation failed"))?;
    let cipher = XChaCha20Poly1305::new(&key.into());
    key.fill(0);
    Ok(cipher)
}
