//! Host-key trust: OpenSSH-style fingerprints, pinned fingerprints, known_hosts files
//! (plain and hashed entries, wildcards, negation, `[host]:port`, `@revoked`).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use hmac::{Hmac, KeyInit, Mac};
use russh::keys::ssh_key::known_hosts::{Entry, HostPatterns, KnownHosts, Marker};
use russh::keys::ssh_key::Fingerprint;
use russh::keys::{Algorithm, EcdsaCurve, HashAlg, PublicKey};
use sha1::Sha1;

use super::error::{Error, ErrorKind, Result};
use super::key::{fingerprint, SeenKey};

/// One pinned fingerprint, parsed. Accepts `SHA256:abc...`, with or without trailing `=`
/// padding, optionally preceded by the key type (`ssh-ed25519 SHA256:abc...`), which then
/// also has to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    pub algorithm: Option<String>,
    fingerprint: Fingerprint,
}

impl Pin {
    pub fn parse(s: &str) -> Result<Pin> {
        let mut algorithm = None;
        let mut fp = None;
        for tok in s.split_whitespace() {
            if tok.starts_with("SHA256:") {
                fp = Some(tok);
            } else if tok.starts_with("MD5:") || tok.contains(':') && tok.len() == 47 {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("host key '{s}': MD5 fingerprints are not accepted; ask for the SHA256 one (`ssh-keygen -lf KEY -E sha256`)"),
                ));
            } else {
                algorithm = Some(tok.to_string());
            }
        }
        let Some(fp) = fp else {
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "host key '{s}' is not a fingerprint: expected SHA256:<43 base64 characters>"
                ),
            ));
        };
        let fp = fp.trim_end_matches('=');
        let fingerprint = Fingerprint::from_str(fp).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("host key '{s}' is not a valid SHA256 fingerprint ({e}): expected SHA256:<43 base64 characters>"),
            )
        })?;
        Ok(Pin {
            algorithm,
            fingerprint,
        })
    }

    pub fn matches(&self, key: &PublicKey) -> bool {
        if let Some(a) = &self.algorithm {
            if a != key.algorithm().as_str() {
                return false;
            }
        }
        key.fingerprint(HashAlg::Sha256) == self.fingerprint
    }
}

impl std::fmt::Display for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.algorithm {
            Some(a) => write!(f, "{a} {}", self.fingerprint),
            None => write!(f, "{}", self.fingerprint),
        }
    }
}

/// What the client trusts.
#[derive(Debug, Clone)]
pub enum Trust {
    /// One or more pinned fingerprints (`SHA256:...`). Any one of them matching is enough.
    Pinned(Vec<String>),
    /// A known_hosts file (OpenSSH format, hashed entries allowed).
    KnownHosts(PathBuf),
    /// Nothing: every connection is refused with `HostKeyNotTrusted` and the seen
    /// fingerprints (what `hostkey` / first setup needs).
    Nothing,
}

/// The resolved trust policy for one host.
#[derive(Debug, Clone)]
pub struct Policy {
    pins: Vec<Pin>,
    /// Keys from known_hosts that apply to this host:port.
    known: Vec<PublicKey>,
    /// `@revoked` keys from known_hosts: never trusted, even when pinned.
    revoked: Vec<PublicKey>,
    /// For messages: what was expected.
    pub expected: Vec<String>,
}

impl Policy {
    pub fn resolve(trust: &Trust, host: &str, port: u16) -> Result<Policy> {
        match trust {
            Trust::Nothing => Ok(Policy {
                pins: vec![],
                known: vec![],
                revoked: vec![],
                expected: vec![],
            }),
            Trust::Pinned(list) => {
                let pins = list
                    .iter()
                    .map(|s| Pin::parse(s))
                    .collect::<Result<Vec<_>>>()?;
                let expected = pins.iter().map(|p| p.to_string()).collect();
                Ok(Policy {
                    pins,
                    known: vec![],
                    revoked: vec![],
                    expected,
                })
            }
            Trust::KnownHosts(path) => {
                let (known, revoked) = known_hosts_keys(path, host, port)?;
                let expected = known
                    .iter()
                    .filter(|k| !revoked.iter().any(|r| r.key_data() == k.key_data()))
                    .map(|k| {
                        format!(
                            "{} {} (known_hosts {})",
                            k.algorithm().as_str(),
                            fingerprint(k),
                            path.display()
                        )
                    })
                    .collect();
                Ok(Policy {
                    pins: vec![],
                    known,
                    revoked,
                    expected,
                })
            }
        }
    }

    /// Whether a seen key is marked `@revoked` in known_hosts.
    pub fn is_revoked(&self, seen: &SeenKey) -> bool {
        self.revoked
            .iter()
            .any(|r| fingerprint(r) == seen.fingerprint)
    }

    pub fn has_anchor(&self) -> bool {
        !self.pins.is_empty() || !self.known.is_empty()
    }

    pub fn trusts(&self, key: &PublicKey) -> bool {
        if self.revoked.iter().any(|r| r.key_data() == key.key_data()) {
            return false;
        }
        self.pins.iter().any(|p| p.matches(key))
            || self.known.iter().any(|k| k.key_data() == key.key_data())
    }

    /// Host-key algorithm families to offer, most wanted first: for known_hosts the
    /// families we have keys for come first (as OpenSSH orders them), then the rest.
    pub fn families(&self) -> Vec<Family> {
        let mut v: Vec<Family> = Vec::new();
        for k in &self.known {
            if let Some(f) = Family::of(&k.algorithm()) {
                if !v.contains(&f) {
                    v.push(f);
                }
            }
        }
        for p in &self.pins {
            if let Some(a) = &p.algorithm {
                if let Ok(alg) = Algorithm::from_str(a) {
                    if let Some(f) = Family::of(&alg) {
                        if !v.contains(&f) {
                            v.push(f);
                        }
                    }
                }
            }
        }
        for f in Family::ALL {
            if !v.contains(&f) {
                v.push(f);
            }
        }
        v
    }
}

/// Host-key algorithm families: a server has at most one key per family. Asking for one
/// family at a time (as ssh-keyscan does) shows every key the server has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Ed25519,
    EcdsaP256,
    EcdsaP384,
    EcdsaP521,
    Rsa,
}

impl Family {
    pub const ALL: [Family; 5] = [
        Family::Ed25519,
        Family::EcdsaP256,
        Family::EcdsaP384,
        Family::EcdsaP521,
        Family::Rsa,
    ];

    pub fn of(a: &Algorithm) -> Option<Family> {
        Some(match a {
            Algorithm::Ed25519 => Family::Ed25519,
            Algorithm::Ecdsa {
                curve: EcdsaCurve::NistP256,
            } => Family::EcdsaP256,
            Algorithm::Ecdsa {
                curve: EcdsaCurve::NistP384,
            } => Family::EcdsaP384,
            Algorithm::Ecdsa {
                curve: EcdsaCurve::NistP521,
            } => Family::EcdsaP521,
            Algorithm::Rsa { .. } => Family::Rsa,
            _ => return None,
        })
    }

    /// The algorithms we offer for this family. RSA with SHA-1 signatures (`ssh-rsa`) is
    /// not offered, as OpenSSH >= 8.8 does not either.
    pub fn algorithms(self) -> &'static [Algorithm] {
        match self {
            Family::Ed25519 => &[Algorithm::Ed25519],
            Family::EcdsaP256 => &[Algorithm::Ecdsa {
                curve: EcdsaCurve::NistP256,
            }],
            Family::EcdsaP384 => &[Algorithm::Ecdsa {
                curve: EcdsaCurve::NistP384,
            }],
            Family::EcdsaP521 => &[Algorithm::Ecdsa {
                curve: EcdsaCurve::NistP521,
            }],
            Family::Rsa => &[
                Algorithm::Rsa {
                    hash: Some(HashAlg::Sha512),
                },
                Algorithm::Rsa {
                    hash: Some(HashAlg::Sha256),
                },
            ],
        }
    }
}

/// Keys in `path` that apply to `host`:`port`: (trusted, revoked). Lines that do not parse
/// (unknown key types such as `sk-ssh-ed25519@openssh.com`, garbage) are skipped, as OpenSSH
/// does; `@cert-authority` lines are skipped (host certificates are not supported).
pub fn known_hosts_keys(
    path: &Path,
    host: &str,
    port: u16,
) -> Result<(Vec<PublicKey>, Vec<PublicKey>)> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("cannot read known_hosts file {}: {e}", path.display()),
        )
    })?;
    let mut known = vec![];
    let mut revoked = vec![];
    // ssh-key's `KnownHosts` iterator fails the whole file on one bad line when collected;
    // parse line by line instead.
    for line in text.lines() {
        let Some(Ok(entry)) = KnownHosts::new(line).next() else {
            continue;
        };
        if !entry_matches(&entry, host, port) {
            continue;
        }
        match entry.marker() {
            None => known.push(entry.public_key().clone()),
            Some(Marker::Revoked) => revoked.push(entry.public_key().clone()),
            Some(Marker::CertAuthority) => {}
        }
    }
    Ok((known, revoked))
}

/// The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise.
pub fn host_key_name(host: &str, port: u16) -> String {
    if port == 22 {
        host.to_string()
    } else {
        format!("[{host}]:{port}")
    }
}

fn entry_matches(entry: &Entry, host: &str, port: u16) -> bool {
    let name = host_key_name(host, port);
    match entry.host_patterns() {
        HostPatterns::HashedName { salt, hash } => {
            // |1|base64(salt)|base64(HMAC-SHA1(key = salt, message = name))
            let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(salt) else {
                return false;
            };
            mac.update(name.as_bytes());
            mac.verify_slice(hash).is_ok()
        }
        HostPatterns::Patterns(patterns) => {
            let mut matched = false;
            for p in patterns {
                let (neg, p) = match p.strip_prefix('!') {
                    Some(rest) => (true, rest),
                    None => (false, p.as_str()),
                };
                let lowered = p.to_ascii_lowercase();
                if glob(&lowered, &name.to_ascii_lowercase()) {
                    if neg {
                        return false; // a matching negation wins, as in OpenSSH
                    }
                    matched = true;
                }
            }
            matched
        }
    }
}

/// OpenSSH `match_pattern`: `*` any run, `?` one character.
fn glob(pattern: &str, s: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = s.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(sp) = star {
            pi = sp + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globbing() {
        assert!(glob("*.example.org", "sftp.example.org"));
        assert!(glob("[127.0.0.1]:22?2", "[127.0.0.1]:2202"));
        assert!(!glob("*.example.org", "example.org"));
        assert!(glob("*", "x"));
    }

    #[test]
    fn pin_parsing() {
        let p = Pin::parse("SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s").unwrap();
        assert!(p.algorithm.is_none());
        let p =
            Pin::parse("ssh-ed25519 SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s=").unwrap();
        assert_eq!(p.algorithm.as_deref(), Some("ssh-ed25519"));
        assert_eq!(
            Pin::parse("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48")
                .unwrap_err()
                .kind,
            ErrorKind::Config
        );
        assert_eq!(
            Pin::parse("SHA256:short").unwrap_err().kind,
            ErrorKind::Config
        );
        assert_eq!(Pin::parse("").unwrap_err().kind, ErrorKind::Config);
    }
}
