//! Diplomas as W3C Verifiable Credentials 2.0 (Open Badges 3.0 `OpenBadgeCredential`)
//! secured by a Data Integrity proof, cryptosuite `eddsa-rdfc-2022` (ADR 0031): the
//! document and the proof options are expanded as JSON-LD with the standard contexts
//! (bundled: nothing is fetched), canonicalized by RDFC-1.0, hashed with SHA-256 and
//! signed with the issuing institution's Ed25519 key, named by `did:key`. Any standard
//! verifier with the usual contexts checks them offline. The status of every diploma is
//! a bit of its institution's Bitstring Status List, itself a signed credential.

use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use oxjsonld::{JsonLdLoadDocumentOptions, JsonLdParser, JsonLdRemoteDocument};
use oxrdf::Dataset;
use oxrdf::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::domain::{Content, CredentialCheck};
use crate::keys::{Issuer, did_key_public};

type BoxErr = Box<dyn std::error::Error + Send + Sync>;

pub const VC_V2: &str = "https://www.w3.org/ns/credentials/v2";
pub const OB_V3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/// The contexts a credential may use; anything else is refused (no network).
pub const CONTEXTS: &[(&str, &str)] = &[
    (VC_V2, include_str!("../contexts/credentials-v2.jsonld")),
    (OB_V3, include_str!("../contexts/ob-v3p0-context-3.0.3.json")),
    ("https://w3id.org/security/data-integrity/v2", include_str!("../contexts/data-integrity-v2.jsonld")),
    ("https://www.w3.org/ns/credentials/examples/v2", include_str!("../contexts/credentials-examples-v2.jsonld")),
];

const UNDEFINED_VOCAB: &str = "https://www.w3.org/ns/credentials/undefined-term#";
const SENTINEL_BASE: &str = "https://relative-iri.invalid/";

/// JSON-LD "safe mode": every term defined by the contexts and no relative IRI. Without
/// it a term the contexts do not define is dropped from the RDF, so not signed: the
/// document is expanded again with a catch-all vocabulary and a sentinel base, and
/// refused if either shows up.
pub fn safe_mode_check(doc: &Value) -> Result<(), BoxErr> {
    let mut d = doc.clone();
    let obj = d.as_object_mut().ok_or("not an object")?;
    let mut ctx = match obj.remove("@context") {
        Some(Value::Array(a)) => a,
        Some(v) => vec![v],
        None => vec![],
    };
    ctx.insert(0, json!({ "@vocab": UNDEFINED_VOCAB }));
    obj.insert("@context".into(), Value::Array(ctx));
    let bytes = serde_json::to_vec(&d)?;
    for q in
        JsonLdParser::new().with_base_iri(SENTINEL_BASE)?.for_slice(&bytes).with_load_document_callback(static_loader)
    {
        let s = q?.to_string();
        if s.contains(UNDEFINED_VOCAB) || s.contains(SENTINEL_BASE) {
            return Err(format!("not defined by the contexts: {s}").into());
        }
    }
    Ok(())
}

/// Bits of one status list (the Bitstring Status List minimum, 16 KB).
pub const STATUS_LIST_SIZE: i64 = 131_072;

fn static_loader(url: &str, _o: &JsonLdLoadDocumentOptions) -> Result<JsonLdRemoteDocument, BoxErr> {
    CONTEXTS
        .iter()
        .find(|(u, _)| *u == url)
        .map(|(u, doc)| JsonLdRemoteDocument { document: doc.as_bytes().to_vec(), document_url: (*u).into() })
        .ok_or_else(|| format!("context not known here: {url}").into())
}

/// JSON-LD to RDF, then RDFC-1.0 (SHA-256): canonical N-Quads, sorted.
pub fn canonicalize(doc: &Value) -> Result<String, BoxErr> {
    let bytes = serde_json::to_vec(doc)?;
    let mut ds = Dataset::new();
    for q in JsonLdParser::new().for_slice(&bytes).with_load_document_callback(static_loader) {
        ds.insert(&q?);
    }
    ds.canonicalize(CanonicalizationAlgorithm::Rdfc10 { hash_algorithm: CanonicalizationHashAlgorithm::Sha256 });
    let mut lines: Vec<String> = ds.iter().map(|q| format!("{q} .\n")).collect();
    lines.sort_unstable();
    lines.dedup();
    Ok(lines.concat())
}

/// hashData = SHA-256(canonical proof configuration) ‖ SHA-256(canonical document).
fn hash_data(unsecured: &Value, proof_config: &Value) -> Result<[u8; 64], BoxErr> {
    let c_doc = canonicalize(unsecured)?;
    let c_proof = canonicalize(proof_config)?;
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&Sha256::digest(c_proof.as_bytes()));
    out[32..].copy_from_slice(&Sha256::digest(c_doc.as_bytes()));
    Ok(out)
}

fn proof_config(doc: &Map<String, Value>, proof: &Map<String, Value>) -> Value {
    let mut pc = proof.clone();
    pc.remove("proofValue");
    if let Some(ctx) = doc.get("@context") {
        pc.insert("@context".into(), ctx.clone());
    }
    Value::Object(pc)
}

/// Adds a `DataIntegrityProof` (eddsa-rdfc-2022) made with the issuer's key.
pub fn sign(unsecured: Value, issuer: &Issuer, created: &str) -> Result<Value, BoxErr> {
    safe_mode_check(&unsecured)?;
    let Value::Object(doc) = unsecured else { return Err("a credential is a JSON object".into()) };
    let opts = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": created,
        "verificationMethod": issuer.method,
        "proofPurpose": "assertionMethod",
    });
    let Value::Object(mut opts) = opts else { unreachable!("an object literal") };
    let h = hash_data(&Value::Object(doc.clone()), &proof_config(&doc, &opts))?;
    let sig = issuer.sign(&h);
    opts.insert("proofValue".into(), Value::String(format!("z{}", bs58::encode(sig).into_string())));
    let mut secured = doc;
    secured.insert("proof".into(), Value::Object(opts));
    Ok(Value::Object(secured))
}

/// Checks the proof of a secured document with the key its verification method names
/// (`did:key`). Errors are stable codes.
pub fn verify_proof(secured: &Value) -> Result<VerifyingKey, &'static str> {
    verify_proof_by(secured, did_key_public)
}

/// Checks a proof with the key `resolve` gives for its verification method.
pub fn verify_proof_by(
    secured: &Value,
    resolve: impl Fn(&str) -> Option<VerifyingKey>,
) -> Result<VerifyingKey, &'static str> {
    let mut doc = secured.as_object().ok_or("not_a_credential")?.clone();
    let proof = doc.remove("proof").ok_or("proof_missing")?;
    let proof = proof.as_object().ok_or("proof_unsupported")?;
    if proof.get("type").and_then(Value::as_str) != Some("DataIntegrityProof") {
        return Err("proof_unsupported");
    }
    if proof.get("cryptosuite").and_then(Value::as_str) != Some("eddsa-rdfc-2022") {
        return Err("cryptosuite_unsupported");
    }
    if proof.get("proofPurpose").and_then(Value::as_str) != Some("assertionMethod") {
        return Err("proof_purpose_invalid");
    }
    let method = proof.get("verificationMethod").and_then(Value::as_str).ok_or("verification_method_missing")?;
    let key = resolve(method).ok_or("verification_method_unsupported")?;
    let pv = proof.get("proofValue").and_then(Value::as_str).ok_or("proof_value_missing")?;
    let raw = pv.strip_prefix('z').and_then(|b| bs58::decode(b).into_vec().ok()).ok_or("proof_value_invalid")?;
    let sig = Signature::from_slice(&raw).map_err(|_| "proof_value_invalid")?;
    let h = hash_data(&Value::Object(doc.clone()), &proof_config(&doc, proof)).map_err(|e| {
        tracing::debug!(error = %e, "credential not canonicalizable");
        "context_invalid"
    })?;
    key.verify(&h, &sig).map_err(|_| "signature_invalid")?;
    Ok(key)
}

/// Where a diploma's status is.
pub struct StatusRef {
    pub list_url: String,
    pub index: i64,
}

fn achievement_type(level: &str) -> &'static str {
    match level {
        "master" => "MasterDegree",
        "bachelor" => "BachelorDegree",
        _ => "Degree",
    }
}

fn datetime(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

fn full_name(n: &edu24_records::domain::PersonName) -> String {
    [n.family.as_str(), n.given.as_str(), n.patronymic.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The diploma as an Open Badges 3.0 credential, signed. `id` is the diploma's id.
pub fn diploma_credential(
    id: &str,
    c: &Content,
    content_sha256: &str,
    issuer: &Issuer,
    status: &StatusRef,
    verify_url: &str,
) -> Result<String, BoxErr> {
    let issued = datetime(&c.issued_on);
    let gpa = c.gpa.map(|g| format!("{}.{:02}", g / 100, g % 100));
    let credits = f64::from(c.credits_tenths) / 10.0;
    let mut subject = json!({
        "type": ["AchievementSubject"],
        "identifier": [
            {"type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": full_name(&c.holder)},
        ],
        "achievement": {
            "id": format!("urn:edu24:programme:{}", c.programme_id),
            "type": ["Achievement"],
            "achievementType": achievement_type(&c.level),
            "name": c.qualification.get("ru"),
            "description": format!("{} / {} / {}", c.qualification.get("ky"), c.qualification.get("ru"), c.qualification.get("en")),
            "criteria": {"narrative": "The approved curriculum of the programme completed and the final state attestation passed (EDU24 register)."},
            "fieldOfStudy": c.specialty.get("ru"),
            "specialization": c.specialty_code,
            "humanCode": c.number,
        },
        "creditsEarned": credits,
        "activityEndDate": issued,
    });
    if !c.holder_latin.family.is_empty() {
        subject["identifier"].as_array_mut().expect("an array").push(json!({
            "type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": full_name(&c.holder_latin),
        }));
    }
    if let Some(g) = &gpa {
        subject["result"] = json!([{ "type": ["Result"], "value": g }]);
    }
    let mut name = format!("Диплом {}", c.number);
    if c.honours {
        name.push_str(" (с отличием)");
    }
    let doc = json!({
        "@context": [VC_V2, OB_V3],
        "id": format!("urn:uuid:{id}"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "description": format!("{} {} {}, {}. SHA-256 of the register's record: {content_sha256}. Verify: {verify_url}",
            c.institution.get("ru"), c.form_series, c.form_number, c.issued_on),
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": c.institution.get("ru")},
        "validFrom": issued,
        "awardedDate": issued,
        "credentialSubject": subject,
        "credentialStatus": {
            "id": format!("{}#{}", status.list_url, status.index),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": status.index.to_string(),
            "statusListCredential": status.list_url,
        },
    });
    let signed = sign(doc, issuer, &issued)?;
    Ok(serde_json::to_string_pretty(&signed)?)
}

/// The institution's Bitstring Status List credential: bit `i` set when the diploma at
/// index `i` is revoked, annulled or replaced. GZIP-compressed, base64url, multibase `u`.
pub fn status_list_credential(url: &str, issuer: &Issuer, revoked: &[i64]) -> Result<String, BoxErr> {
    let mut bits = vec![0u8; (STATUS_LIST_SIZE / 8) as usize];
    for &i in revoked {
        if (0..STATUS_LIST_SIZE).contains(&i) {
            // The first index is the left-most bit of the first byte.
            bits[(i / 8) as usize] |= 0x80 >> (i % 8);
        }
    }
    let encoded =
        format!("u{}", base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, gzip(&bits)));
    let now = time::OffsetDateTime::now_utc();
    let valid_from = format!("{:04}-{:02}-{:02}T00:00:00Z", now.year(), u8::from(now.month()), now.day());
    let doc = json!({
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    });
    Ok(serde_json::to_string_pretty(&sign(doc, issuer, &valid_from)?)?)
}

/// A gzip member of `data` (RFC 1952), deflated by miniz.
fn gzip(data: &[u8]) -> Vec<u8> {
    let deflated = miniz_oxide::deflate::compress_to_vec(data, 9);
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255];
    out.extend_from_slice(&deflated);
    let crc = crc32(data);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
    }
    !c
}

/// Reads a status list's bit `i` (for tests and verifiers).
pub fn status_bit(list_credential: &str, i: i64) -> Option<bool> {
    let v: Value = serde_json::from_str(list_credential).ok()?;
    let enc = v["credentialSubject"]["encodedList"].as_str()?.strip_prefix('u')?;
    let gz = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, enc).ok()?;
    let bits = miniz_oxide::inflate::decompress_to_vec(gz.get(10..gz.len().checked_sub(8)?)?).ok()?;
    Some(bits.get((i / 8) as usize)? & (0x80 >> (i % 8)) != 0)
}

/// Checks an uploaded credential by itself: shape, contexts, proof, issuer. The
/// register's part (whose it is, is it in force) is the service's.
pub fn verify(json_text: &str) -> CredentialCheck {
    let mut out =
        CredentialCheck { valid: false, errors: Vec::new(), issuer: String::new(), number: String::new(), state: None };
    let v: Value = match serde_json::from_str(json_text) {
        Ok(v) => v,
        Err(_) => {
            out.errors.push("not_json".into());
            return out;
        }
    };
    let types: Vec<&str> =
        v["type"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    if !types.contains(&"VerifiableCredential") {
        out.errors.push("not_a_credential".into());
        return out;
    }
    let ctx: Vec<&str> =
        v["@context"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    if ctx.first() != Some(&VC_V2) || ctx.iter().any(|c| !CONTEXTS.iter().any(|(u, _)| u == c)) {
        out.errors.push("context_unknown".into());
        return out;
    }
    out.issuer = match &v["issuer"] {
        Value::String(s) => s.clone(),
        o => o["id"].as_str().unwrap_or_default().to_owned(),
    };
    out.number = v["credentialSubject"]["achievement"]["humanCode"].as_str().unwrap_or_default().to_owned();
    if safe_mode_check(&v).is_err() {
        out.errors.push("undefined_term".into());
        return out;
    }
    match verify_proof(&v) {
        Ok(key) => {
            if did_key_public(&out.issuer) != Some(key) {
                out.errors.push("issuer_key_mismatch".into());
            }
        }
        Err(code) => out.errors.push(code.into()),
    }
    out
}

/// Whether two credential texts are the same JSON document.
pub fn same_document(a: &str, b: &str) -> bool {
    match (serde_json::from_str::<Value>(a), serde_json::from_str::<Value>(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(name: &str) -> String {
        std::fs::read_to_string(format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"))).expect("a test vector")
    }

    /// The W3C vc-di-eddsa test vector for eddsa-rdfc-2022 (its key pair, document and
    /// proof options) gives exactly the specification's canonical form and signature.
    #[test]
    fn the_specification_test_vector_verifies_and_reproduces() {
        let signed: Value = serde_json::from_str(&vector("signedDataInt.json")).unwrap();
        let kp: Value = serde_json::from_str(&vector("keyPair.json")).unwrap();
        let did = format!("did:key:{}", kp["publicKeyMultibase"].as_str().unwrap());
        let spec_key = did_key_public(&did).unwrap();
        let by_url = |m: &str| m.ends_with(kp["publicKeyMultibase"].as_str().unwrap()).then_some(spec_key);
        let key = verify_proof_by(&signed, by_url).expect("the specification's credential verifies");
        assert_eq!(key, spec_key);
        let unsigned: Value = serde_json::from_str(&vector("unsignedDataInt.json")).unwrap();
        assert_eq!(canonicalize(&unsigned).unwrap(), vector("canonDocDataInt.txt").trim_end().to_owned() + "\n");
        // One byte changed anywhere in the claims breaks the signature.
        let mut tampered = signed.clone();
        let name = tampered["name"].as_str().unwrap().replacen('A', "B", 1);
        tampered["name"] = Value::String(name);
        assert_eq!(verify_proof_by(&tampered, by_url).unwrap_err(), "signature_invalid");
        // A term the contexts do not define would go unsigned: refused.
        assert!(safe_mode_check(&signed).is_ok());
        let ours = json!({
            "@context": [VC_V2, OB_V3],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "type": ["Profile"]},
            "validFrom": "2026-06-30T00:00:00Z",
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
                "id": "urn:edu24:programme:x", "type": ["Achievement"], "name": "X", "criteria": {"narrative": "n"}}},
        });
        assert!(safe_mode_check(&ours).is_ok());
        let mut extra = ours.clone();
        extra["credentialSubject"]["grade"] = Value::String("A".into());
        assert!(safe_mode_check(&extra).is_err());
    }

    #[test]
    fn status_lists_set_the_bits_of_revoked_diplomas() {
        let keys = crate::keys::IssuerKeys::new([3; 32]);
        let issuer = keys.issuer("inst");
        let list =
            status_list_credential("https://edu24.example/credentials/status/knu", &issuer, &[0, 9, 131_071]).unwrap();
        let v: Value = serde_json::from_str(&list).unwrap();
        verify_proof(&v).expect("the list is signed");
        for (i, set) in [(0, true), (1, false), (9, true), (10, false), (131_071, true)] {
            assert_eq!(status_bit(&list, i), Some(set), "bit {i}");
        }
    }
}
