//! Access tokens: compact JWS (`header.payload.signature`, base64url) signed with
//! Ed25519 (`alg: EdDSA`), so standard JWT tools can read them. identity signs; every
//! service verifies with the public keys identity publishes.

use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use parking_lot::RwLock;
use serde::{Deserialize, Serialize};

use crate::auth::RoleGrant;

pub const ISSUER: &str = "edu24-identity";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    /// Account id.
    pub sub: String,
    /// Session id (not the session secret).
    pub sid: String,
    pub login: String,
    pub name: String,
    pub roles: Vec<RoleGrant>,
    /// The account still has a one-time password: only changing it is allowed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mc: bool,
    /// The account's roles need a second factor and its grace period is over: only
    /// setting one up is allowed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tf: bool,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
    /// Expires at, seconds since the epoch.
    pub exp: i64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("malformed token")]
    Malformed,
    #[error("unknown signing key {0}")]
    UnknownKey(String),
    #[error("bad signature")]
    BadSignature,
    #[error("token expired")]
    Expired,
    #[error("wrong issuer")]
    WrongIssuer,
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    typ: String,
    kid: String,
}

/// Signs access tokens (identity only).
pub struct TokenSigner {
    kid: String,
    key: SigningKey,
    header_b64: String,
}

impl TokenSigner {
    pub fn new(kid: String, secret: [u8; 32]) -> Self {
        let header = Header { alg: "EdDSA".into(), typ: "JWT".into(), kid: kid.clone() };
        let header_b64 = B64.encode(serde_json::to_vec(&header).expect("header serializes"));
        Self { kid, key: SigningKey::from_bytes(&secret), header_b64 }
    }

    pub fn generate() -> (String, [u8; 32]) {
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        let kid = format!("k{}", &crate::time::new_id().replace('-', "")[..16]);
        (kid, key.to_bytes())
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn public_key(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    pub fn sign(&self, claims: &Claims) -> String {
        let payload = B64.encode(serde_json::to_vec(claims).expect("claims serialize"));
        let signing_input = format!("{}.{}", self.header_b64, payload);
        let sig = self.key.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", B64.encode(sig.to_bytes()))
    }
}

/// Fetches the current verification keys when a token names an unknown key.
#[async_trait::async_trait]
pub trait KeySource: Send + Sync {
    async fn fetch(&self) -> anyhow::Result<Vec<(String, [u8; 32])>>;
}

/// The verification keys a service trusts, refreshed from identity on an unknown `kid`.
#[derive(Clone)]
pub struct KeyRing {
    inner: Arc<KeyRingInner>,
}

struct KeyRingInner {
    keys: RwLock<HashMap<String, VerifyingKey>>,
    source: Option<Box<dyn KeySource>>,
    last_fetch_ms: parking_lot::Mutex<i64>,
    /// Tokens already verified, by their exact text, until they expire: a service sees
    /// the same token many times in its few minutes, and an Ed25519 check costs ~28 µs.
    /// A changed token never matches, so it is always checked in full.
    verified: parking_lot::Mutex<HashMap<Box<str>, Claims>>,
}

/// Verified tokens kept at most; past that, expired ones are dropped, then all.
const VERIFIED_CACHE: usize = 50_000;

impl KeyRing {
    pub fn new(source: Option<Box<dyn KeySource>>) -> Self {
        Self {
            inner: Arc::new(KeyRingInner {
                keys: RwLock::new(HashMap::new()),
                source,
                last_fetch_ms: parking_lot::Mutex::new(0),
                verified: parking_lot::Mutex::new(HashMap::new()),
            }),
        }
    }

    pub fn insert(&self, kid: &str, public_key: [u8; 32]) -> anyhow::Result<()> {
        let key = VerifyingKey::from_bytes(&public_key)?;
        self.inner.keys.write().insert(kid.to_owned(), key);
        Ok(())
    }

    pub fn kids(&self) -> Vec<String> {
        self.inner.keys.read().keys().cloned().collect()
    }

    /// Loads the keys from the source now (at start-up, so the first call is fast).
    pub async fn refresh(&self) -> anyhow::Result<()> {
        if let Some(source) = &self.inner.source {
            for (kid, pk) in source.fetch().await? {
                self.insert(&kid, pk)?;
            }
            *self.inner.last_fetch_ms.lock() = crate::time::now_ms();
        }
        Ok(())
    }

    /// Verifies a token and returns its claims. An unknown key id triggers at most one
    /// refresh from the source every 10 seconds, so a flood of forged ids costs nothing.
    pub async fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        match self.verify_cached(token, crate::time::now_ms() / 1000) {
            Err(TokenError::UnknownKey(kid)) if self.inner.source.is_some() => {
                let due = {
                    let mut last = self.inner.last_fetch_ms.lock();
                    let now = crate::time::now_ms();
                    if now - *last > 10_000 {
                        *last = now;
                        true
                    } else {
                        false
                    }
                };
                if due {
                    if let Err(e) = self.refresh().await {
                        tracing::warn!(error = %e, "could not refresh verification keys");
                    }
                    self.verify_now(token, crate::time::now_ms() / 1000)
                } else {
                    Err(TokenError::UnknownKey(kid))
                }
            }
            other => other,
        }
    }

    /// Verifies a token at `now_secs`, answering from the cache of verified tokens when
    /// this exact token was verified before and has not expired.
    pub fn verify_cached(&self, token: &str, now_secs: i64) -> Result<Claims, TokenError> {
        if let Some(c) = self.inner.verified.lock().get(token).filter(|c| c.exp > now_secs) {
            return Ok(c.clone());
        }
        let claims = self.verify_now(token, now_secs)?;
        let mut cache = self.inner.verified.lock();
        if cache.len() >= VERIFIED_CACHE {
            cache.retain(|_, c| c.exp > now_secs);
            if cache.len() >= VERIFIED_CACHE {
                cache.clear();
            }
        }
        cache.insert(token.into(), claims.clone());
        Ok(claims)
    }

    /// Verifies a token against the keys held now, at `now_secs`.
    pub fn verify_now(&self, token: &str, now_secs: i64) -> Result<Claims, TokenError> {
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(TokenError::Malformed);
        };
        let header: Header =
            B64.decode(h).ok().and_then(|b| serde_json::from_slice(&b).ok()).ok_or(TokenError::Malformed)?;
        if header.alg != "EdDSA" {
            return Err(TokenError::Malformed);
        }
        let sig_bytes: [u8; 64] = B64.decode(s).ok().and_then(|b| b.try_into().ok()).ok_or(TokenError::Malformed)?;
        let key = self
            .inner
            .keys
            .read()
            .get(&header.kid)
            .copied()
            .ok_or_else(|| TokenError::UnknownKey(header.kid.clone()))?;
        let signing_input_len = h.len() + 1 + p.len();
        key.verify(&token.as_bytes()[..signing_input_len], &Signature::from_bytes(&sig_bytes))
            .map_err(|_| TokenError::BadSignature)?;
        let claims: Claims =
            B64.decode(p).ok().and_then(|b| serde_json::from_slice(&b).ok()).ok_or(TokenError::Malformed)?;
        if claims.iss != ISSUER {
            return Err(TokenError::WrongIssuer);
        }
        if claims.exp <= now_secs {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    fn claims(exp: i64) -> Claims {
        Claims {
            iss: ISSUER.into(),
            sub: "acc-1".into(),
            sid: "s-1".into(),
            login: "admin".into(),
            name: "Admin".into(),
            roles: vec![RoleGrant { role: Role::Registrar, inst: Some("inst-1".into()) }],
            mc: false,
            tf: false,
            iat: 1_000,
            exp,
        }
    }

    fn ring_with(signer: &TokenSigner) -> KeyRing {
        let ring = KeyRing::new(None);
        ring.insert(signer.kid(), signer.public_key()).unwrap();
        ring
    }

    #[test]
    fn a_signed_token_verifies_and_round_trips_its_claims() {
        let (kid, secret) = TokenSigner::generate();
        let signer = TokenSigner::new(kid, secret);
        let token = signer.sign(&claims(2_000));
        assert_eq!(ring_with(&signer).verify_now(&token, 1_500), Ok(claims(2_000)));
    }

    #[test]
    fn expired_tampered_and_foreign_tokens_are_refused() {
        let (kid, secret) = TokenSigner::generate();
        let signer = TokenSigner::new(kid, secret);
        let ring = ring_with(&signer);
        let token = signer.sign(&claims(2_000));
        assert_eq!(ring.verify_now(&token, 2_000), Err(TokenError::Expired));

        // Change one role in the payload: the signature no longer matches.
        let mut forged = claims(2_000);
        forged.roles[0].role = Role::MinistryAdmin;
        let forged_payload = B64.encode(serde_json::to_vec(&forged).unwrap());
        let parts: Vec<&str> = token.split('.').collect();
        let tampered = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
        assert_eq!(ring.verify_now(&tampered, 1_500), Err(TokenError::BadSignature));

        // Signed by a key the ring does not hold, under the same kid.
        let (_, other_secret) = TokenSigner::generate();
        let impostor = TokenSigner::new(signer.kid().to_owned(), other_secret);
        assert_eq!(ring.verify_now(&impostor.sign(&claims(2_000)), 1_500), Err(TokenError::BadSignature));

        assert_eq!(ring.verify_now("abc", 1_500), Err(TokenError::Malformed));
        // The cache answers only for the exact token, and only until it expires.
        assert!(ring.verify_cached(&token, 1_500).is_ok());
        assert!(ring.verify_cached(&token, 1_500).is_ok());
        assert_eq!(ring.verify_cached(&tampered, 1_500), Err(TokenError::BadSignature));
        assert_eq!(ring.verify_cached(&token, 2_000), Err(TokenError::Expired));
        assert_eq!(ring.verify_now("a.b.c", 1_500), Err(TokenError::Malformed));
    }
}
