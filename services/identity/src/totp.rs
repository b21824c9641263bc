//! Time-based one-time passwords (RFC 6238, HMAC-SHA1, 6 digits, 30 s), the second
//! factor of EDU24, usable with any authenticator app; and recovery codes.

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const PERIOD_SECS: i64 = 30;
pub const DIGITS: u32 = 6;
pub const SECRET_BYTES: usize = 20;
pub const RECOVERY_CODES: usize = 10;

/// RFC 4648 base32 without padding, as authenticator apps expect.
pub fn base32(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &b in data {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The HOTP value (RFC 4226) of `secret` at `counter`.
pub fn hotp(secret: &[u8], counter: u64) -> u32 {
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(secret).expect("HMAC takes any key");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h[19] & 0x0f) as usize;
    let bin = (u32::from(h[offset]) & 0x7f) << 24
        | u32::from(h[offset + 1]) << 16
        | u32::from(h[offset + 2]) << 8
        | u32::from(h[offset + 3]);
    bin % 10u32.pow(DIGITS)
}

/// The time step of an instant.
pub fn step(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(PERIOD_SECS)
}

/// The step (within one step of `now`) whose code `code` is, if any and newer than
/// `last_used` (a code is accepted once).
pub fn check(secret: &[u8], code: &str, unix_secs: i64, last_used: i64) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u32 = code.parse().ok()?;
    let now = step(unix_secs);
    [now - 1, now, now + 1].into_iter().filter(|s| *s > last_used && *s >= 0).find(|s| hotp(secret, *s as u64) == value)
}

/// The provisioning URI an authenticator app reads from a QR code.
pub fn otpauth_uri(secret: &[u8], login: &str) -> String {
    let label: String = login.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    format!(
        "otpauth://totp/EDU24:{label}?secret={}&issuer=EDU24&algorithm=SHA1&digits={DIGITS}&period={PERIOD_SECS}",
        base32(secret)
    )
}

/// A recovery code: two groups of five from an alphabet without look-alikes.
pub fn recovery_code(random: &[u8; 10]) -> String {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut s = String::with_capacity(11);
    for (i, b) in random.iter().enumerate() {
        if i == 5 {
            s.push('-');
        }
        s.push(ALPHABET[*b as usize % ALPHABET.len()] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (8 digits there; the last 6 here).
    #[test]
    fn matches_the_rfc_test_vectors() {
        let secret = b"12345678901234567890";
        for (t, eight) in [
            (59, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
        ] {
            assert_eq!(hotp(secret, step(t) as u64), eight % 1_000_000, "t = {t}");
        }
    }

    #[test]
    fn a_code_is_accepted_once_and_only_near_its_time() {
        let secret = b"12345678901234567890";
        let code = format!("{:06}", hotp(secret, step(1_111_111_111) as u64));
        assert_eq!(check(secret, &code, 1_111_111_111, 0), Some(step(1_111_111_111)));
        assert_eq!(check(secret, &code, 1_111_111_111 + 30, 0), Some(step(1_111_111_111)), "one step late is fine");
        assert_eq!(check(secret, &code, 1_111_111_111 + 90, 0), None, "three steps late is not");
        assert_eq!(check(secret, &code, 1_111_111_111, step(1_111_111_111)), None, "no replay");
        assert_eq!(check(secret, "12345", 1_111_111_111, 0), None);
        assert_eq!(check(secret, "abcdef", 1_111_111_111, 0), None);
    }

    #[test]
    fn base32_and_uris_follow_the_conventions() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"f"), "MY");
        let uri = otpauth_uri(b"12345678901234567890", "knu.registrar");
        assert!(
            uri.starts_with("otpauth://totp/EDU24:knu.registrar?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=EDU24")
        );
        let r = recovery_code(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!((r.len(), r.chars().nth(5)), (11, Some('-')));
    }
}
