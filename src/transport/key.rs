//! A host key as a person compares it: algorithm and `SHA256:` fingerprint.

use russh::keys::{HashAlg, PublicKey};

/// A host key the server showed during a handshake.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SeenKey {
    /// As OpenSSH writes it: `ssh-ed25519`, `rsa-sha2-512`'s key type `ssh-rsa`, ...
    pub algorithm: String,
    /// `SHA256:` and the unpadded base64 of SHA-256 over the key, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// The key as a known_hosts line body (`ssh-ed25519 AAAA...`).
    pub openssh: String,
}

impl SeenKey {
    pub fn from_key(key: &PublicKey) -> Self {
        let mut k = key.clone();
        k.set_comment("");
        SeenKey {
            algorithm: key.algorithm().as_str().to_string(),
            fingerprint: fingerprint(key),
            openssh: k.to_openssh().unwrap_or_default().trim().to_string(),
        }
    }
}

/// `SHA256:<base64 without padding>` of the key blob, exactly as `ssh-keygen -l -E sha256`.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}
