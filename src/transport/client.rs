//! The SSH/SFTP client: russh + russh-sftp behind blocking calls.
//!
//! Everything async stays in here: a [`Client`] owns a tokio current-thread runtime and every
//! public method is a blocking call (`block_on`). Nothing runs between calls and no thread is
//! started. The pitfalls of russh 0.65 / russh-sftp 3.0 this code works around are in
//! docs/transport.md ("How it works").

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::stream::{FuturesOrdered, StreamExt};
use russh::client::{self, Handle};
use russh::keys::{PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use russh::{ChannelMsg, Disconnect};
use russh_sftp::client::error::Error as SftpError;
use russh_sftp::client::RawSftpSession;
use russh_sftp::protocol::{FileAttributes, OpenFlags, StatusCode};
use sha2::{Digest, Sha256};

use super::error::{Error, ErrorKind, Result};
use super::key::SeenKey;
use super::trust::{self, Family, Trust};

/// How to log in.
#[derive(Clone)]
pub enum Auth {
    Password(String),
    /// OpenSSH private key file (ed25519 or RSA; PEM/PKCS#8 also read), optional passphrase.
    KeyFile {
        path: PathBuf,
        passphrase: Option<String>,
    },
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Password(_) => write!(f, "Password(***)"),
            Auth::KeyFile { path, passphrase } => write!(
                f,
                "KeyFile {{ path: {:?}, passphrase: {} }}",
                path,
                if passphrase.is_some() { "***" } else { "none" }
            ),
        }
    }
}

/// Tuning of the SFTP pipeline: requests of `chunk` bytes, `in_flight` of them at once.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    /// Bytes per SFTP WRITE/READ request (capped by the server's limits@openssh.com).
    pub chunk: usize,
    /// Requests in flight at once. Memory for a transfer is about `chunk * in_flight`.
    pub in_flight: usize,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            chunk: 64 * 1024,
            in_flight: 32,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub auth: Auth,
    pub trust: Trust,
    /// Connect (TCP + handshake + login + SFTP start) and every single SFTP request.
    pub timeout: Duration,
    pub tuning: Tuning,
}

impl Config {
    pub fn new(host: &str, port: u16, user: &str, auth: Auth, trust: Trust) -> Config {
        Config {
            host: host.to_string(),
            port,
            user: user.to_string(),
            auth,
            trust,
            timeout: Duration::from_secs(30),
            tuning: Tuning::default(),
        }
    }
}

/// What the server supports (from SSH_FXP_VERSION).
#[derive(Debug, Clone, Default)]
pub struct ServerInfo {
    pub sftp_version: u32,
    pub extensions: HashMap<String, String>,
    pub fsync: bool,
    pub statvfs: bool,
    pub posix_rename: bool,
    pub max_write: Option<u64>,
    pub max_read: Option<u64>,
    pub host_key: Option<SeenKey>,
}

#[derive(Debug, Clone)]
pub struct Uploaded {
    pub remote_path: String,
    pub size: u64,
    pub sha256: String,
    /// Whether fsync@openssh.com was sent (and succeeded) before the rename.
    pub fsynced: bool,
    pub elapsed: Duration,
}

#[derive(Debug, Clone)]
pub struct Downloaded {
    pub local_path: PathBuf,
    pub size: u64,
    pub sha256: String,
    pub elapsed: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteEntry {
    pub name: String,
    pub size: Option<u64>,
    pub mtime: Option<u32>,
    pub is_file: bool,
    pub is_dir: bool,
}

/// The state of an upload that was interrupted (history says `sending`), as found on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovered {
    /// The final name is there with the expected size: it was sent (a leftover partial was removed).
    Sent,
    /// Only a partial (or nothing) was there; the partial was removed. Send again.
    NotSent,
    /// The final name is there with another size: a conflict for a human.
    FinalWrongSize(u64),
}

// ---------------------------------------------------------------------------------------
// host-key verification handler

struct Verifier {
    policy: Arc<trust::Policy>,
    /// Keys shown by the server, filled by `check_server_key`.
    seen: Arc<Mutex<Vec<SeenKey>>>,
    /// Only collect: reject every key (used by `hostkey`).
    collect_only: bool,
}

impl client::Handler for Verifier {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        key: &PublicKeyOrCertificate,
    ) -> std::result::Result<bool, Self::Error> {
        // We never advertise certificate host-key algorithms, so a certificate cannot
        // arrive; reject it if one does.
        let PublicKeyOrCertificate::PublicKey { key, .. } = key else {
            return Ok(false);
        };
        self.seen.lock().unwrap().push(SeenKey::from_key(key));
        if self.collect_only {
            return Ok(false);
        }
        Ok(self.policy.trusts(key))
    }
}

fn ssh_config(families: &[Family], timeout: Duration) -> client::Config {
    let mut cfg = client::Config::default();
    let keys: Vec<_> = families
        .iter()
        .flat_map(|f| f.algorithms().iter().cloned())
        .collect();
    cfg.preferred.key = keys.into();
    cfg.nodelay = true;
    // Detects a dead peer on an idle connection; each SFTP request has its own timeout.
    cfg.keepalive_interval = Some(timeout.max(Duration::from_secs(1)));
    cfg.keepalive_max = 2;
    cfg
}

fn map_io(e: &std::io::Error, connecting: bool, what: &str) -> Error {
    use std::io::ErrorKind as K;
    let kind = match e.kind() {
        K::ConnectionRefused
        | K::HostUnreachable
        | K::NetworkUnreachable
        | K::AddrNotAvailable
        | K::NotFound => ErrorKind::Unreachable,
        K::TimedOut => ErrorKind::Timeout,
        K::ConnectionReset
        | K::ConnectionAborted
        | K::BrokenPipe
        | K::UnexpectedEof
        | K::NotConnected => ErrorKind::ConnectionLost,
        _ if connecting => ErrorKind::Unreachable,
        _ => ErrorKind::ConnectionLost,
    };
    Error::new(kind, format!("{what}: {e}"))
}

fn map_russh(e: russh::Error, connecting: bool, what: &str) -> Error {
    use russh::Error as R;
    match e {
        R::IO(io) => map_io(&io, connecting, what),
        R::ConnectionTimeout | R::KeepaliveTimeout | R::InactivityTimeout | R::Elapsed(_) => {
            Error::new(ErrorKind::Timeout, format!("{what}: {e}"))
        }
        R::Disconnect | R::HUP | R::RecvError | R::SendError | R::Join(_) => Error::new(
            ErrorKind::ConnectionLost,
            format!("{what}: the connection was closed ({e})"),
        ),
        R::Keys(k) => Error::new(ErrorKind::Credentials, format!("{what}: {k}")),
        other => Error::new(ErrorKind::Protocol, format!("{what}: {other}")),
    }
}

async fn with_timeout<T>(
    d: Duration,
    what: &str,
    f: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    match tokio::time::timeout(d, f).await {
        Ok(r) => r,
        Err(_) => Err(Error::new(
            ErrorKind::Timeout,
            format!("{what}: no answer within {} s", d.as_secs_f64()),
        )),
    }
}

/// What to check when no SSH server answers at host:port.
const UNREACHABLE_HINT: &str = "; check that host and port in [sftp] name the SFTP server, \
     that it is running, and that it lets this machine in (Alphacomm accepts whitelisted IP \
     addresses only: a firewall may refuse or drop the connection)";

enum Attempt {
    Trusted(Handle<Verifier>, Option<SeenKey>),
    Rejected(SeenKey),
    /// The server has no host key of the families offered.
    NoMoreKeys,
}

async fn attempt(
    host: &str,
    port: u16,
    families: &[Family],
    policy: Arc<trust::Policy>,
    collect_only: bool,
    timeout: Duration,
) -> Result<Attempt> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let handler = Verifier {
        policy,
        seen: seen.clone(),
        collect_only,
    };
    let cfg = Arc::new(ssh_config(families, timeout));
    let what = format!("connecting to {host}:{port}");
    let r = with_timeout(timeout, &what, async {
        client::connect(cfg, (host, port), handler)
            .await
            .map_err(|e| match e {
                russh::Error::UnknownKey => Error::new(ErrorKind::HostKeyMismatch, "rejected"),
                russh::Error::NoCommonAlgo {
                    kind: russh::AlgorithmKind::Key,
                    ..
                } => Error::new(ErrorKind::HostKeyNotTrusted, "no-more-keys"),
                other => map_russh(other, true, &what),
            })
    })
    .await;
    match r {
        Ok(h) => Ok(Attempt::Trusted(h, seen.lock().unwrap().pop())),
        Err(e) if e.kind == ErrorKind::HostKeyMismatch && e.message == "rejected" => {
            let k = seen.lock().unwrap().pop().ok_or_else(|| {
                Error::new(ErrorKind::Protocol, "host key rejected but not recorded")
            })?;
            Ok(Attempt::Rejected(k))
        }
        Err(e) if e.kind == ErrorKind::HostKeyNotTrusted && e.message == "no-more-keys" => {
            Ok(Attempt::NoMoreKeys)
        }
        Err(mut e) if matches!(e.kind, ErrorKind::Unreachable | ErrorKind::Timeout) => {
            e.message.push_str(UNREACHABLE_HINT);
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// Connect until a trusted key is shown, offering one host-key family after the other
/// (a pinned RSA fingerprint must work although the server prefers ed25519). Returns the
/// handle or every key seen.
async fn handshake(
    host: &str,
    port: u16,
    policy: Arc<trust::Policy>,
    collect_only: bool,
    timeout: Duration,
) -> Result<(Option<(Handle<Verifier>, Option<SeenKey>)>, Vec<SeenKey>)> {
    let mut remaining = policy.families();
    let mut seen: Vec<SeenKey> = Vec::new();
    while !remaining.is_empty() {
        match attempt(
            host,
            port,
            &remaining,
            policy.clone(),
            collect_only,
            timeout,
        )
        .await?
        {
            Attempt::Trusted(h, k) => return Ok((Some((h, k)), seen)),
            Attempt::Rejected(k) => {
                let fam = k.algorithm.parse().ok().and_then(|a| Family::of(&a));
                match fam {
                    Some(f) => remaining.retain(|x| *x != f),
                    None => remaining.clear(),
                }
                // Without a trust anchor we still collect every key: the error lists them all.
                seen.push(k);
            }
            Attempt::NoMoreKeys => break,
        }
    }
    Ok((None, seen))
}

/// The server's host keys, one per host-key algorithm family, without logging in
/// (the handshake is aborted in `check_server_key`, before authentication).
pub fn hostkey(host: &str, port: u16, timeout: Duration) -> Result<Vec<SeenKey>> {
    let rt = runtime()?;
    rt.block_on(async {
        let policy = Arc::new(trust::Policy::resolve(&Trust::Nothing, host, port)?);
        let (_, seen) = handshake(host, port, policy, true, timeout).await?;
        if seen.is_empty() {
            return Err(Error::new(
                ErrorKind::Protocol,
                format!("{host} port {port} showed no host key we can check"),
            ));
        }
        Ok(seen)
    })
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| {
            Error::new(
                ErrorKind::LocalIo,
                format!("cannot start the I/O runtime: {e}"),
            )
        })
}

// ---------------------------------------------------------------------------------------
// the client

pub struct Client {
    // Field order is drop order: the SFTP session and the SSH handle go before the runtime.
    sftp: RawSftpSession,
    session: Handle<Verifier>,
    info: ServerInfo,
    timeout: Duration,
    tuning: Tuning,
    rt: tokio::runtime::Runtime,
}

fn sftp_err(e: SftpError, what: &str) -> Error {
    match e {
        SftpError::Status(s) => {
            let kind = match s.status_code {
                StatusCode::NoSuchFile => ErrorKind::NotFound,
                StatusCode::PermissionDenied => ErrorKind::PermissionDenied,
                StatusCode::ConnectionLost | StatusCode::NoConnection => ErrorKind::ConnectionLost,
                _ => ErrorKind::Protocol,
            };
            let hint = match kind {
                ErrorKind::PermissionDenied => ": the SFTP user may not do this there; ask the server's owner for write access to the folder",
                ErrorKind::NotFound => ": no such file or folder on the server",
                _ => "",
            };
            Error::new(
                kind,
                format!(
                    "{what}: server said {} ({:?}){hint}",
                    s.error_message, s.status_code
                ),
            )
        }
        SftpError::Timeout => Error::new(
            ErrorKind::Timeout,
            format!("{what}: no answer from the server in time"),
        ),
        // Request futures whose sender was dropped (the SFTP stream ended) or a send on a closed
        // session: the connection is gone.
        SftpError::UnexpectedBehavior(m)
            if m.contains("sender dropped")
                || m.contains("session closed")
                || m.contains("SendError")
                || m.contains("RecvError") =>
        {
            Error::new(
                ErrorKind::ConnectionLost,
                format!("{what}: the connection to the server was lost"),
            )
        }
        SftpError::IO(m) => Error::new(ErrorKind::ConnectionLost, format!("{what}: {m}")),
        other => Error::new(ErrorKind::Protocol, format!("{what}: {other}")),
    }
}

fn is_status(e: &SftpError, code: StatusCode) -> bool {
    matches!(e, SftpError::Status(s) if s.status_code == code)
}

pub fn join_remote(dir: &str, name: &str) -> String {
    if dir.is_empty() || dir == "." {
        name.to_string()
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

fn check_name(name: &str) -> Result<()> {
    if name.is_empty() || name == "." || name == ".." || name.contains('/') || name.contains('\0') {
        return Err(Error::new(
            ErrorKind::Config,
            format!("'{name}' is not a plain file name"),
        ));
    }
    Ok(())
}

/// Read until `buf` is full or EOF.
fn fill(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

impl Client {
    /// Connect, check the host key, log in, start SFTP. Refuses without a trust anchor.
    pub fn connect(cfg: &Config) -> Result<Client> {
        let rt = runtime()?;
        let policy = Arc::new(trust::Policy::resolve(&cfg.trust, &cfg.host, cfg.port)?);
        let key_name = trust::host_key_name(&cfg.host, cfg.port);
        let t = cfg.timeout;
        let (session, sftp, info) = rt.block_on(async {
            let (handle, seen) = handshake(&cfg.host, cfg.port, policy.clone(), false, t).await?;
            let Some((mut handle, host_key)) = handle else {
                let list = seen.iter().map(|k| format!("{} {}", k.algorithm, k.fingerprint)).collect::<Vec<_>>().join(", ");
                let revoked: Vec<&SeenKey> = seen.iter().filter(|k| policy.is_revoked(k)).collect();
                let mut e = if !revoked.is_empty() {
                    Error::new(
                        ErrorKind::HostKeyMismatch,
                        format!(
                            "SECURITY: the host key of {key_name} ({} {}) is marked @revoked in known_hosts; not connecting",
                            revoked[0].algorithm, revoked[0].fingerprint
                        ),
                    )
                } else if policy.has_anchor() {
                    Error::new(
                        ErrorKind::HostKeyMismatch,
                        format!(
                            "SECURITY: the host key of {key_name} does not match: expected {}, the server showed {list}. \
                             This may be an attack or a re-installed server; do not connect until the server's owner confirms the new fingerprint.",
                            policy.expected.join(", ")
                        ),
                    )
                } else {
                    Error::new(
                        ErrorKind::HostKeyNotTrusted,
                        format!(
                            "refusing to connect to {key_name}: no host key is pinned. The server showed {list}. \
                             Compare with the fingerprint the server's owner gives you, then pin it (host_key = [\"{}\"]).",
                            seen.first().map(|k| k.fingerprint.as_str()).unwrap_or("SHA256:...")
                        ),
                    )
                };
                e.expected = policy.expected.clone();
                e.seen = seen;
                return Err(e);
            };

            // --- authentication
            with_timeout(t, "logging in", async {
                let methods = match &cfg.auth {
                    Auth::Password(p) => {
                        let r = handle.authenticate_password(cfg.user.clone(), p.clone()).await.map_err(|e| map_russh(e, false, "password login"))?;
                        if r.success() {
                            return Ok(());
                        }
                        r
                    }
                    Auth::KeyFile { path, passphrase } => {
                        let key = russh::keys::load_secret_key(path, passphrase.as_deref()).map_err(|e| {
                            let why = match &e {
                                russh::keys::Error::KeyIsEncrypted => "the key is encrypted and no passphrase was given".to_string(),
                                russh::keys::Error::IO(io) => io.to_string(),
                                other => format!("{other} (wrong passphrase?)"),
                            };
                            Error::new(ErrorKind::Credentials, format!("cannot use the key file {}: {why}", path.display()))
                        })?;
                        let hash = if key.algorithm().is_rsa() {
                            handle.best_supported_rsa_hash().await.map_err(|e| map_russh(e, false, "key login"))?.flatten()
                        } else {
                            None
                        };
                        let r = handle
                            .authenticate_publickey(cfg.user.clone(), PrivateKeyWithHashAlg::new(Arc::new(key), hash))
                            .await
                            .map_err(|e| map_russh(e, false, "key login"))?;
                        if r.success() {
                            return Ok(());
                        }
                        r
                    }
                };
                // A dropped connection also comes back as a "failure" with no methods.
                if handle.is_closed() {
                    return Err(Error::new(ErrorKind::ConnectionLost, "the server closed the connection during login"));
                }
                let remaining = match &methods {
                    russh::client::AuthResult::Failure { remaining_methods, .. } => remaining_methods
                        .iter()
                        .map(<&'static str>::from)
                        .collect::<Vec<_>>()
                        .join(","),
                    _ => String::new(),
                };
                Err(match &cfg.auth {
                    Auth::Password(_) => Error::new(
                        ErrorKind::WrongPassword,
                        format!("the server refused the password for user '{}' (it accepts: {remaining}); check the password in the environment variable", cfg.user),
                    ),
                    Auth::KeyFile { path, .. } => Error::new(
                        ErrorKind::KeyRefused,
                        format!("the server refused the key {} for user '{}' (it accepts: {remaining}); its public key must be in the user's authorized_keys on the server", path.display(), cfg.user),
                    ),
                })
            })
            .await?;

            // --- SFTP subsystem
            let (sftp, info) = with_timeout(t, "starting SFTP", async {
                let mut channel = handle.channel_open_session().await.map_err(|e| map_russh(e, false, "opening a channel"))?;
                // request_subsystem(want_reply = true) only sends the request: the answer
                // arrives as a ChannelMsg and must be waited for, or a refused subsystem
                // only shows as a hanging SFTP init.
                channel.request_subsystem(true, "sftp").await.map_err(|e| map_russh(e, false, "requesting sftp"))?;
                loop {
                    match channel.wait().await {
                        Some(ChannelMsg::Success) => break,
                        Some(ChannelMsg::Failure) => {
                            return Err(Error::new(ErrorKind::Protocol, "the server refused the sftp subsystem"));
                        }
                        Some(ChannelMsg::Close) | Some(ChannelMsg::Eof) | None => {
                            return Err(Error::new(ErrorKind::ConnectionLost, "the channel closed while starting sftp"));
                        }
                        Some(_) => continue,
                    }
                }
                let scfg = russh_sftp::client::Config {
                    request_timeout_secs: t.as_secs().max(1),
                    ..Default::default()
                };
                let mut raw = RawSftpSession::new_with_config(channel.into_stream(), scfg);
                let v = raw.init().await.map_err(|e| sftp_err(e, "sftp init"))?;
                let has = |n: &str, ver: &str| v.extensions.get(n).is_some_and(|x| x == ver);
                let mut info = ServerInfo {
                    sftp_version: v.version,
                    fsync: has("fsync@openssh.com", "1"),
                    statvfs: has("statvfs@openssh.com", "2"),
                    posix_rename: has("posix-rename@openssh.com", "1"),
                    extensions: v.extensions.clone(),
                    host_key: host_key.clone(),
                    ..Default::default()
                };
                if has("limits@openssh.com", "1") {
                    let l = raw.limits().await.map_err(|e| sftp_err(e, "sftp limits"))?;
                    info.max_write = (l.max_write_len > 0).then_some(l.max_write_len);
                    info.max_read = (l.max_read_len > 0).then_some(l.max_read_len);
                    let limits = russh_sftp::client::rawsession::Limits::from(l);
                    raw.set_limits(limits);
                }
                Ok((raw, info))
            })
            .await?;
            Ok::<_, Error>((handle, sftp, info))
        })?;
        Ok(Client {
            sftp,
            session,
            info,
            timeout: t,
            tuning: cfg.tuning,
            rt,
        })
    }

    pub fn server_info(&self) -> &ServerInfo {
        &self.info
    }

    /// Polite end: SSH disconnect. Dropping the client also closes everything.
    pub fn close(self) {
        let Client {
            sftp, session, rt, ..
        } = self;
        let _ = rt.block_on(async {
            let _ = sftp.close_session();
            tokio::time::timeout(
                Duration::from_secs(2),
                session.disconnect(Disconnect::ByApplication, "", "en"),
            )
            .await
        });
    }

    fn chunk_len(&self, for_write: bool) -> usize {
        let lim = if for_write {
            self.info.max_write
        } else {
            self.info.max_read
        };
        // russh-sftp's own max_packet_len is 256 KiB; leave room for the header.
        let cap = lim.unwrap_or(32 * 1024).min(255 * 1024) as usize;
        self.tuning.chunk.min(cap).max(1024)
    }

    /// Entries of `dir` (without `.` and `..`), sorted by name.
    pub fn list(&mut self, dir: &str) -> Result<Vec<RemoteEntry>> {
        let sftp = &self.sftp;
        self.rt.block_on(async {
            let what = format!("listing {dir}");
            let handle = sftp
                .opendir(dir)
                .await
                .map_err(|e| sftp_err(e, &what))?
                .handle;
            let mut out = Vec::new();
            let res = loop {
                match sftp.readdir(handle.as_str()).await {
                    Ok(name) => {
                        for f in name.files {
                            if f.filename == "." || f.filename == ".." {
                                continue;
                            }
                            out.push(RemoteEntry {
                                is_file: f.attrs.is_regular(),
                                is_dir: f.attrs.is_dir(),
                                size: f.attrs.size,
                                mtime: f.attrs.mtime,
                                name: f.filename,
                            });
                        }
                    }
                    Err(e) if is_status(&e, StatusCode::Eof) => break Ok(()),
                    Err(e) => break Err(sftp_err(e, &what)),
                }
            };
            let _ = sftp.close(handle).await;
            res?;
            out.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(out)
        })
    }

    /// Size of a remote path, None when it does not exist.
    pub fn size_of(&mut self, path: &str) -> Result<Option<u64>> {
        let sftp = &self.sftp;
        self.rt.block_on(async {
            match sftp.lstat(path).await {
                Ok(a) => Ok(Some(a.attrs.size.unwrap_or(0))),
                Err(e) if is_status(&e, StatusCode::NoSuchFile) => Ok(None),
                Err(e) => Err(sftp_err(e, &format!("checking {path}"))),
            }
        })
    }

    /// Upload `local` as `remote_dir/name`: written to `name.partial`, fsynced when the server
    /// offers fsync@openssh.com, size checked, renamed with SSH_FXP_RENAME (which on OpenSSH
    /// never replaces an existing file). The partial is removed on any failure. `step` is
    /// called with `"partial_written"` before the rename and `"renamed"` after it (the send's
    /// kill points for tests).
    pub fn upload(
        &mut self,
        local: &Path,
        remote_dir: &str,
        name: &str,
        step: &mut dyn FnMut(&str),
    ) -> Result<Uploaded> {
        check_name(name)?;
        let start = Instant::now();
        let mut file = File::open(local).map_err(|e| {
            Error::new(
                ErrorKind::LocalIo,
                format!("cannot read {}: {e}", local.display()),
            )
        })?;
        let size = file
            .metadata()
            .map_err(|e| Error::new(ErrorKind::LocalIo, format!("{}: {e}", local.display())))?
            .len();
        let final_path = join_remote(remote_dir, name);
        let partial = join_remote(remote_dir, &format!("{name}.partial"));
        let chunk = self.chunk_len(true);
        let in_flight = self.tuning.in_flight.max(1);
        let info = self.info.clone();
        let sftp = &self.sftp;

        self.rt.block_on(async {
            // 1. never overwrite: look first (the rename below is the real guard)
            match sftp.lstat(final_path.as_str()).await {
                Ok(_) => {
                    return Err(Error::new(
                        ErrorKind::RemoteExists,
                        format!("{final_path} already exists on the server; it is never overwritten (names must be unique)"),
                    ))
                }
                Err(e) if is_status(&e, StatusCode::NoSuchFile) => {}
                Err(e) => return Err(sftp_err(e, &format!("checking {final_path}"))),
            }

            // 2. write the partial
            let handle = sftp
                .open(partial.as_str(), OpenFlags::CREATE | OpenFlags::TRUNCATE | OpenFlags::WRITE, FileAttributes::empty())
                .await
                .map_err(|e| sftp_err(e, &format!("creating {partial}")))?
                .handle;

            let mut hasher = Sha256::new();
            let written: Result<bool> = async {
                let mut offset = 0u64;
                let mut pending = FuturesOrdered::new();
                let mut eof = false;
                loop {
                    while !eof && pending.len() < in_flight {
                        let mut buf = vec![0u8; chunk];
                        let n = fill(&mut file, &mut buf)
                            .map_err(|e| Error::new(ErrorKind::LocalIo, format!("reading {}: {e}", local.display())))?;
                        if n == 0 {
                            eof = true;
                            break;
                        }
                        buf.truncate(n);
                        hasher.update(&buf);
                        let at = offset;
                        offset += n as u64;
                        let h = handle.clone();
                        pending.push_back(async move { (at, n, sftp.write(h, at, buf).await) });
                        if n < chunk {
                            eof = true;
                        }
                    }
                    match pending.next().await {
                        None => break,
                        Some((_, _, Ok(_))) => {}
                        Some((at, n, Err(e))) => {
                            let mut err = sftp_err(e.clone(), &format!("writing {partial}"));
                            if is_status(&e, StatusCode::Failure) {
                                // OpenSSH maps ENOSPC/EDQUOT to the generic SSH_FX_FAILURE; ask
                                // statvfs whether the disk is the reason.
                                let need = size.saturating_sub(at).max(n as u64);
                                let full = if info.statvfs {
                                    match sftp.statvfs(remote_dir).await {
                                        Ok(v) => v.blocks_avail.saturating_mul(v.fragment_size.max(1)) < need,
                                        Err(_) => false,
                                    }
                                } else {
                                    false
                                };
                                err = if full {
                                    Error::new(ErrorKind::DiskFull, format!("the server's disk is full: writing {partial} failed at byte {at} of {size}; ask the server's owner to free space"))
                                } else {
                                    Error::new(ErrorKind::Protocol, format!("writing {partial} failed at byte {at} of {size}: the server gave a generic failure (disk full or quota?)"))
                                };
                            }
                            return Err(err);
                        }
                    }
                }
                if offset != size {
                    return Err(Error::new(ErrorKind::LocalIo, format!("{} changed size while it was sent ({size} -> {offset} bytes)", local.display())));
                }
                // 3. fsync (when offered), size check, close
                let fsynced = if info.fsync {
                    sftp.fsync(handle.as_str()).await.map_err(|e| sftp_err(e, &format!("fsync {partial}")))?;
                    true
                } else {
                    false
                };
                let remote = sftp.fstat(handle.as_str()).await.map_err(|e| sftp_err(e, &format!("checking {partial}")))?;
                if remote.attrs.size != Some(size) {
                    return Err(Error::new(
                        ErrorKind::SizeMismatch,
                        format!("{partial} has {:?} bytes on the server, {size} were sent", remote.attrs.size),
                    ));
                }
                Ok(fsynced)
            }
            .await;

            let close = sftp.close(handle.as_str()).await;
            let fsynced = match (written, close) {
                (Ok(f), Ok(_)) => f,
                (Ok(_), Err(e)) => {
                    let err = sftp_err(e, &format!("closing {partial}"));
                    return Err(self_cleanup(sftp, &partial, err).await);
                }
                (Err(err), _) => return Err(self_cleanup(sftp, &partial, err).await),
            };

            // 4. rename; SSH_FXP_RENAME on OpenSSH is link()+unlink(): fails if the target exists
            //    (never posix-rename@openssh.com, which would replace it).
            match sftp.lstat(final_path.as_str()).await {
                Ok(_) => {
                    let err = Error::new(ErrorKind::RemoteExists, format!("{final_path} appeared on the server during the upload; it is not overwritten"));
                    return Err(self_cleanup(sftp, &partial, err).await);
                }
                Err(e) if is_status(&e, StatusCode::NoSuchFile) => {}
                Err(e) => return Err(self_cleanup(sftp, &partial, sftp_err(e, &format!("checking {final_path}"))).await),
            }
            step("partial_written");
            if let Err(e) = sftp.rename(partial.as_str(), final_path.as_str()).await {
                let exists = sftp.lstat(final_path.as_str()).await.is_ok();
                let err = if exists && is_status(&e, StatusCode::Failure) {
                    Error::new(ErrorKind::RemoteExists, format!("{final_path} already exists on the server; it is not overwritten"))
                } else {
                    sftp_err(e, &format!("renaming {partial} to {final_path}"))
                };
                return Err(self_cleanup(sftp, &partial, err).await);
            }
            step("renamed");
            Ok(Uploaded {
                remote_path: final_path.clone(),
                size,
                sha256: hex(&hasher.finalize()),
                fsynced,
                elapsed: start.elapsed(),
            })
        })
    }

    /// After an interrupted upload (history says `sending`): look at the server and clean up.
    pub fn recover(
        &mut self,
        remote_dir: &str,
        name: &str,
        expected_size: u64,
    ) -> Result<Recovered> {
        check_name(name)?;
        let final_path = join_remote(remote_dir, name);
        let partial = join_remote(remote_dir, &format!("{name}.partial"));
        let sftp = &self.sftp;
        self.rt.block_on(async {
            let fin = match sftp.lstat(final_path.as_str()).await {
                Ok(a) => Some(a.attrs.size.unwrap_or(0)),
                Err(e) if is_status(&e, StatusCode::NoSuchFile) => None,
                Err(e) => return Err(sftp_err(e, &format!("checking {final_path}"))),
            };
            match sftp.remove(partial.as_str()).await {
                Ok(_) => {}
                Err(e) if is_status(&e, StatusCode::NoSuchFile) => {}
                Err(e) => return Err(sftp_err(e, &format!("removing {partial}"))),
            }
            Ok(match fin {
                Some(s) if s == expected_size => Recovered::Sent,
                Some(s) => Recovered::FinalWrongSize(s),
                None => Recovered::NotSent,
            })
        })
    }

    /// Download `remote` into `local_dir` under its own name: streamed into a temporary file
    /// (mode 0600) in `local_dir`, fsynced, then linked into place without replacing an
    /// existing file. The remote file is stat'ed before and after: a change means it is
    /// still being written (`StillBeingWritten`, nothing is kept). The file gets `mode`.
    pub fn download(&mut self, remote: &str, local_dir: &Path, mode: u32) -> Result<Downloaded> {
        let name = remote.rsplit('/').next().unwrap_or(remote).to_string();
        check_name(&name)?;
        let start = Instant::now();
        let target = local_dir.join(&name);
        if target.exists() {
            return Err(Error::new(
                ErrorKind::LocalExists,
                format!("{} exists already; it is not overwritten", target.display()),
            ));
        }
        let chunk = self.chunk_len(false) as u32;
        let in_flight = self.tuning.in_flight.max(1);
        let sftp = &self.sftp;
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".part")
            .tempfile_in(local_dir)
            .map_err(|e| {
                Error::new(
                    ErrorKind::LocalIo,
                    format!("cannot create a file in {}: {e}", local_dir.display()),
                )
            })?;

        set_mode(tmp.as_file(), mode).map_err(|e| {
            Error::new(
                ErrorKind::LocalIo,
                format!(
                    "cannot set the mode of a file in {}: {e}",
                    local_dir.display()
                ),
            )
        })?;
        let (size, sha) = self.rt.block_on(async {
            let what = format!("downloading {remote}");
            let before = sftp.stat(remote).await.map_err(|e| sftp_err(e, &what))?.attrs;
            if !before.is_regular() {
                return Err(Error::new(ErrorKind::Protocol, format!("{remote} is not a regular file")));
            }
            let handle = sftp.open(remote, OpenFlags::READ, FileAttributes::empty()).await.map_err(|e| sftp_err(e, &what))?.handle;
            let mut hasher = Sha256::new();
            let mut got = 0u64;
            let body: Result<()> = async {
                let mut w = std::io::BufWriter::with_capacity(256 * 1024, tmp.as_file_mut());
                let mut next = 0u64; // next offset to request
                let mut pending = FuturesOrdered::new();
                let mut eof = false;
                loop {
                    while !eof && pending.len() < in_flight {
                        let at = next;
                        next += chunk as u64;
                        let h = handle.clone();
                        pending.push_back(async move { (at, sftp.read(h, at, chunk).await) });
                    }
                    let Some((at, r)) = pending.next().await else { break };
                    match r {
                        Ok(d) if !d.data.is_empty() => {
                            debug_assert_eq!(at, got);
                            w.write_all(&d.data).map_err(|e| Error::new(ErrorKind::LocalIo, format!("writing {}: {e}", target.display())))?;
                            hasher.update(&d.data);
                            got += d.data.len() as u64;
                            if (d.data.len() as u32) < chunk {
                                // Short read: the server may return less than asked (not only
                                // at EOF). Drop the read-ahead and continue from the gap.
                                pending = FuturesOrdered::new();
                                next = got;
                            }
                        }
                        Ok(_) => eof = true,
                        Err(e) if is_status(&e, StatusCode::Eof) => {
                            eof = true;
                            pending = FuturesOrdered::new();
                        }
                        Err(e) => return Err(sftp_err(e, &what)),
                    }
                    if eof && pending.is_empty() {
                        break;
                    }
                }
                w.flush().map_err(|e| Error::new(ErrorKind::LocalIo, format!("writing {}: {e}", target.display())))?;
                Ok(())
            }
            .await;
            let after_handle = sftp.fstat(handle.as_str()).await;
            let _ = sftp.close(handle.as_str()).await;
            body?;
            let after_handle = after_handle.map_err(|e| sftp_err(e, &what))?.attrs;
            let after_path = sftp.stat(remote).await.map_err(|e| sftp_err(e, &what))?.attrs;
            let b = before.size.unwrap_or(0);
            let changed = after_handle.size != before.size
                || after_path.size != before.size
                || after_handle.mtime != before.mtime
                || after_path.mtime != before.mtime
                || got != b;
            if changed {
                return Err(Error::new(
                    ErrorKind::StillBeingWritten,
                    format!(
                        "{remote} is still being written on the server (size {b} -> {:?}, {got} bytes read); nothing was kept, try later",
                        after_path.size
                    ),
                ));
            }
            Ok((got, hex(&hasher.finalize())))
        })?;

        tmp.as_file().sync_all().map_err(|e| {
            Error::new(
                ErrorKind::LocalIo,
                format!("fsync {}: {e}", target.display()),
            )
        })?;
        tmp.persist_noclobber(&target).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                Error::new(
                    ErrorKind::LocalExists,
                    format!("{} exists already; it is not overwritten", target.display()),
                )
            } else {
                Error::new(
                    ErrorKind::LocalIo,
                    format!(
                        "cannot move the download to {}: {}",
                        target.display(),
                        e.error
                    ),
                )
            }
        })?;
        if let Ok(d) = File::open(local_dir) {
            let _ = d.sync_all();
        }
        Ok(Downloaded {
            local_path: target,
            size,
            sha256: sha,
            elapsed: start.elapsed(),
        })
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn is_closed(&self) -> bool {
        self.session.is_closed()
    }
}

/// Remove a partial after a failure; the error says so when that was impossible.
async fn self_cleanup(sftp: &RawSftpSession, partial: &str, mut err: Error) -> Error {
    match sftp.remove(partial).await {
        Ok(_) => {}
        Err(e) if is_status(&e, StatusCode::NoSuchFile) => {}
        Err(_) => {
            err.partial_left = Some(partial.to_string());
            err.message.push_str(&format!(
                " ({partial} may remain on the server; it is removed at the next send)"
            ));
        }
    }
    err
}

pub fn hex(b: &[u8]) -> String {
    ::hex::encode(b)
}

#[cfg(unix)]
fn set_mode(f: &File, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_f: &File, _mode: u32) -> std::io::Result<()> {
    Ok(())
}
