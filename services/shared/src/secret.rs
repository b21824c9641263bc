//! 32-byte keys kept outside the databases: from an environment variable (64 hex digits;
//! a Kubernetes Secret in production) or, for the embedded node, from a file of the data
//! folder created on first use, readable by its owner only.

use std::path::Path;

/// Reads 64 hex digits as a key; `what` names the key in the error.
pub fn key_from_hex(hex_key: &str, what: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = hex::decode(hex_key.trim()).map_err(|_| anyhow::anyhow!("the {what} is 64 hex digits (32 bytes)"))?;
    bytes.try_into().map_err(|_| anyhow::anyhow!("the {what} is 64 hex digits (32 bytes)"))
}

/// The key of `env`, if set.
pub fn key_from_env(env: &str, what: &str) -> anyhow::Result<Option<[u8; 32]>> {
    match std::env::var(env) {
        Ok(v) if !v.trim().is_empty() => Ok(Some(key_from_hex(&v, what)?)),
        _ => Ok(None),
    }
}

/// The key of `env`, or of `<dir>/<file>` (created with a random key on first use).
pub fn key_for_data_dir(env: &str, dir: &Path, file: &str, what: &str) -> anyhow::Result<[u8; 32]> {
    if let Some(k) = key_from_env(env, what)? {
        return Ok(k);
    }
    let path = dir.join(file);
    if let Ok(text) = std::fs::read_to_string(&path) {
        return key_from_hex(&text, what);
    }
    let mut key = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut key);
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!("{file}.tmp"));
    {
        use std::io::Write;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&tmp)?;
        f.write_all(hex::encode(key).as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    tracing::info!(path = %path.display(), "generated the {what}: keep it with the backups, apart from them");
    Ok(key)
}
