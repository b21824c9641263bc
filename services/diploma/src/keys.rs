//! Issuer keys: one Ed25519 key per institution, derived from one master key kept outside
//! the database (`EDU24_DIPLOMA_KEY`, 64 hex digits, a Kubernetes Secret; or
//! `<data>/diploma.key` in the embedded node). Nothing secret is stored in the database:
//! whoever holds it without the master key cannot sign for any institution (ADR 0031).
//! The issuer is identified by `did:key` (the public key itself), so that a credential
//! verifies offline.

use std::path::Path;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const WHAT: &str = "diploma signing master key";
/// Multicodec prefix of an Ed25519 public key (`ed25519-pub`, varint 0xed).
const ED25519_PUB: [u8; 2] = [0xed, 0x01];

#[derive(Clone)]
pub struct IssuerKeys {
    master: [u8; 32],
}

impl std::fmt::Debug for IssuerKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKeys").finish_non_exhaustive()
    }
}

/// One institution's key pair and how it is named.
#[derive(Clone)]
pub struct Issuer {
    pub signing: SigningKey,
    pub did: String,
    /// `did:key:z6Mk…#z6Mk…`: the verification method of the proofs.
    pub method: String,
    pub public_multibase: String,
}

impl Issuer {
    pub fn sign(&self, data: &[u8]) -> [u8; 64] {
        self.signing.sign(data).to_bytes()
    }
}

impl IssuerKeys {
    pub fn new(master: [u8; 32]) -> Self {
        Self { master }
    }

    pub fn from_env() -> anyhow::Result<Option<Self>> {
        Ok(edu24_shared::secret::key_from_env("EDU24_DIPLOMA_KEY", WHAT)?.map(Self::new))
    }

    pub fn for_data_dir(dir: &Path) -> anyhow::Result<Self> {
        Ok(Self::new(edu24_shared::secret::key_for_data_dir("EDU24_DIPLOMA_KEY", dir, "diploma.key", WHAT)?))
    }

    /// The key of an institution (version 1; a rotation would add a version).
    pub fn issuer(&self, institution_id: &str) -> Issuer {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.master).expect("any key length");
        mac.update(b"edu24 diploma issuer v1\0");
        mac.update(institution_id.as_bytes());
        let seed: [u8; 32] = mac.finalize().into_bytes().into();
        let signing = SigningKey::from_bytes(&seed);
        let public_multibase = public_multibase(&signing.verifying_key());
        let did = format!("did:key:{public_multibase}");
        Issuer { method: format!("{did}#{public_multibase}"), did, public_multibase, signing }
    }
}

/// `z` + base58btc(0xed01 ‖ key): the multibase form `did:key` uses.
pub fn public_multibase(key: &VerifyingKey) -> String {
    let mut bytes = ED25519_PUB.to_vec();
    bytes.extend_from_slice(key.as_bytes());
    format!("z{}", bs58::encode(bytes).into_string())
}

/// The public key named by a `did:key` (or its verification method), if it is an
/// Ed25519 one.
pub fn did_key_public(did_or_method: &str) -> Option<VerifyingKey> {
    let rest = did_or_method.strip_prefix("did:key:")?;
    let mb = rest.split('#').next()?;
    let bytes = bs58::decode(mb.strip_prefix('z')?).into_vec().ok()?;
    if bytes.len() != 34 || bytes[..2] != ED25519_PUB {
        return None;
    }
    VerifyingKey::from_bytes(bytes[2..].try_into().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_institution_has_its_own_did_key_that_round_trips() {
        let keys = IssuerKeys::new([7; 32]);
        let a = keys.issuer("inst-a");
        let b = keys.issuer("inst-b");
        assert_ne!(a.did, b.did);
        assert!(a.did.starts_with("did:key:z6Mk"), "{}", a.did);
        assert_eq!(keys.issuer("inst-a").did, a.did, "derived, not random");
        assert_eq!(did_key_public(&a.method).unwrap(), a.signing.verifying_key());
        assert!(did_key_public("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme").is_none(), "not Ed25519");
        assert!(did_key_public("did:web:example.org").is_none());
    }
}
