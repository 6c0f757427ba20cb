//! Personal data at rest (C16): SM4-GCM encryption (GB/T 32907 block cipher in GCM mode) and an
//! HMAC-SM3 keyed hash, so an ID or phone number can be found without being stored in clear.

use aes_gcm::AesGcm;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit};
use hmac::{Hmac, Mac};
use sm3::Sm3;
use sm4::Sm4;

type Sm4Gcm = AesGcm<Sm4, U12>;

/// The keys for personal data. Derived from one secret given to the server (never stored in the database).
#[derive(Clone)]
pub struct Vault {
    cipher: Sm4Gcm,
    hash_key: [u8; 32],
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(<redacted>)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the ciphertext is malformed or was encrypted with another key")]
    Undecryptable,
}

/// A key of its own for each use, derived from the one secret.
fn derive(secret: &[u8], label: &[u8]) -> [u8; 32] {
    let mut mac =
        <Hmac<Sm3> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

/// Hex HMAC-SM3 of length-prefixed fields under `key`, so fields cannot run into each other.
fn fields_mac(key: &[u8; 32], fields: &[&str]) -> String {
    let mut mac = <Hmac<Sm3> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    for f in fields {
        mac.update(&(f.len() as u64).to_be_bytes());
        mac.update(f.as_bytes());
    }
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The key that seals the heads of the event chains and each case row's state (ADR 0037): kept
/// outside the database with the data key it is derived from, so whoever can write the
/// database can still recompute a chain's SM3 hashes but not its seal.
#[derive(Clone)]
pub struct Seal {
    key: [u8; 32],
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Seal(<redacted>)")
    }
}

impl Seal {
    pub fn from_secret(secret: &[u8]) -> Seal {
        Seal {
            key: derive(secret, b"onewindow chain seals"),
        }
    }

    /// The seal of a chain's head: how many records it has and the last one's hash.
    pub fn head(&self, chain: &str, records: i64, last_hash: &str) -> String {
        fields_mac(&self.key, &["head", chain, &records.to_string(), last_hash])
    }

    /// The seal of a district's census of a day, chained to the day before's seal.
    pub fn census(
        &self,
        region: &str,
        day: &str,
        cases: i64,
        digest: &str,
        before: &str,
    ) -> String {
        fields_mac(
            &self.key,
            &["census", region, day, &cases.to_string(), digest, before],
        )
    }

    /// The seal of a case row's status and state as the server wrote them.
    pub fn state(&self, number: &str, status: &str, state: &str) -> String {
        fields_mac(&self.key, &["state", number, status, state])
    }
}

impl Vault {
    /// Derives the encryption and hashing keys from a secret of any length.
    pub fn from_secret(secret: &[u8]) -> Vault {
        let derive = |label: &[u8]| derive(secret, label);
        let enc = derive(b"onewindow personal-data encryption");
        let cipher = Sm4Gcm::new_from_slice(&enc[..16]).expect("SM4 key is 16 bytes");
        Vault {
            cipher,
            hash_key: derive(b"onewindow personal-data lookup"),
        }
    }

    /// Hex of nonce ‖ ciphertext ‖ tag.
    pub fn encrypt(&self, plain: &str) -> String {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).expect("the operating system provides randomness");
        let sealed = self
            .cipher
            .encrypt(&nonce.into(), plain.as_bytes())
            .expect("SM4-GCM encryption of a short string cannot fail");
        let mut out = String::with_capacity((12 + sealed.len()) * 2);
        for b in nonce.iter().chain(&sealed) {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }

    pub fn decrypt(&self, sealed_hex: &str) -> Result<String, VaultError> {
        let bytes = from_hex(sealed_hex).ok_or(VaultError::Undecryptable)?;
        if bytes.len() < 12 + 16 {
            return Err(VaultError::Undecryptable);
        }
        let (nonce, body) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| VaultError::Undecryptable)?;
        let plain = self
            .cipher
            .decrypt(&nonce.into(), body)
            .map_err(|_| VaultError::Undecryptable)?;
        String::from_utf8(plain).map_err(|_| VaultError::Undecryptable)
    }

    /// What identifies the keys without revealing them: a keyed hash of a fixed text.
    pub fn fingerprint(&self) -> String {
        self.lookup_hash("onewindow data key fingerprint")
    }

    /// Keyed hash for look-ups (equal inputs, equal hashes; useless without the key).
    pub fn lookup_hash(&self, value: &str) -> String {
        let mut mac = <Hmac<Sm3> as KeyInit>::new_from_slice(&self.hash_key)
            .expect("HMAC takes any key length");
        mac.update(value.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// A random token, hex encoded (sessions, ids).
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system provides randomness");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// `n` random decimal digits, each equally likely, from the operating system's secure generator
/// (verification codes).
pub fn random_digits(n: usize) -> String {
    let mut digits = String::with_capacity(n);
    while digits.len() < n {
        let mut byte = [0u8; 1];
        getrandom::fill(&mut byte).expect("the operating system provides randomness");
        // 250 is the largest multiple of ten a byte holds: above it, a digit would be biased.
        if byte[0] < 250 {
            digits.push(char::from(b'0' + byte[0] % 10));
        }
    }
    digits
}

/// SM3 of a value, hex (for session tokens: the database never holds a usable token).
pub fn digest_hex(value: &str) -> String {
    use sm3::Digest;
    Sm3::digest(value.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A one-time password for a new account, from the operating system's secure generator: 16
/// characters without look-alikes (0/O, 1/l/I), drawn again until it meets the password rule.
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789@#%+=";
    // The largest multiple of the alphabet's length a byte holds: above it, a character would
    // be biased.
    let limit = 256 - 256 % ALPHABET.len();
    loop {
        let mut password = String::with_capacity(16);
        while password.len() < 16 {
            let mut byte = [0u8; 1];
            getrandom::fill(&mut byte).expect("the operating system provides randomness");
            if usize::from(byte[0]) < limit {
                password.push(char::from(ALPHABET[usize::from(byte[0]) % ALPHABET.len()]));
            }
        }
        if onewindow_domain::organisation::check_password(&password, "").is_ok() {
            return password;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_digits_are_digits_and_every_digit_comes_up() {
        let many: String = (0..200).map(|_| random_digits(6)).collect();
        assert_eq!(many.len(), 1200);
        assert!(many.chars().all(|c| c.is_ascii_digit()));
        for d in '0'..='9' {
            // Each digit is expected 120 times; under 40 has odds far below one in a trillion.
            assert!(many.chars().filter(|&c| c == d).count() > 40, "{d}");
        }
    }

    #[test]
    fn one_time_passwords_meet_the_rule_and_differ() {
        let passwords: Vec<String> = (0..50).map(|_| one_time_password()).collect();
        for p in &passwords {
            assert_eq!(p.chars().count(), 16);
            assert!(onewindow_domain::organisation::check_password(p, "admin").is_ok());
            assert!(!p.contains(['0', 'O', '1', 'l', 'I']), "{p}");
        }
        let distinct: std::collections::HashSet<&String> = passwords.iter().collect();
        assert_eq!(distinct.len(), passwords.len());
    }

    #[test]
    fn round_trip_and_tamper_detection() {
        let v = Vault::from_secret(b"test secret");
        let sealed = v.encrypt("11010519491231002X");
        assert_ne!(
            sealed,
            v.encrypt("11010519491231002X"),
            "a fresh nonce each time"
        );
        assert_eq!(v.decrypt(&sealed).unwrap(), "11010519491231002X");
        let mut tampered = sealed.into_bytes();
        let last = tampered.len() - 1;
        tampered[last] = if tampered[last] == b'0' { b'1' } else { b'0' };
        assert!(v.decrypt(std::str::from_utf8(&tampered).unwrap()).is_err());
        assert!(
            Vault::from_secret(b"other")
                .decrypt(&v.encrypt("x"))
                .is_err()
        );
    }

    #[test]
    fn lookup_hash_is_keyed() {
        let a = Vault::from_secret(b"a");
        assert_eq!(a.lookup_hash("138"), a.lookup_hash("138"));
        assert_ne!(
            a.lookup_hash("138"),
            Vault::from_secret(b"b").lookup_hash("138")
        );
    }
}
