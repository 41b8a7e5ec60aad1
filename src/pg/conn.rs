//! From a `postgres://` URL to a connected [`postgres::Client`], the way libpq would do it.
//!
//! The `postgres` crate parses the URL but knows only `sslmode=disable|prefer|require`, has
//! no `sslrootcert`, and reads neither `PGPASSWORD` nor `~/.pgpass`. This module:
//! - takes the parameters the crate does not know (`sslmode` with all six libpq values,
//!   `sslrootcert`, `passfile`) out of the query string and hands the rest to the crate's
//!   parser (host lists, IPv6, Unix socket hosts, percent-decoding, `hostaddr`, ...);
//! - finds the password as libpq does: the URL, else `PGPASSWORD`, else the password file
//!   (`passfile=` in the URL, else `PGPASSFILE`, else `~/.pgpass`), whose first matching line
//!   wins and which is ignored (with a warning) unless private to its owner (no group or other
//!   permission bits, e.g. 0600 or 0400) and a plain file;
//! - builds a rustls connector for the sslmode (see [`SslMode`]).
//!
//! Nothing here prints a password: [`ConnectSpec`]'s `Debug` and [`ConnectSpec::display`] leave
//! it out, and no error holds the URL.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use postgres::config::{Host, SslMode as PgSslMode};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// The libpq `sslmode`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Plain text only.
    Disable,
    /// libpq tries plain text first, then TLS. The `postgres` crate cannot try plain text
    /// first, so this behaves as `prefer`.
    Allow,
    /// TLS when the server offers it, plain text otherwise; the certificate is not checked.
    /// libpq's default.
    Prefer,
    /// TLS or no connection; the certificate is not checked (unless `sslrootcert` is given:
    /// then, as in libpq, it is `verify-ca`).
    Require,
    /// TLS, and the certificate must chain to `sslrootcert`; the name is not checked.
    VerifyCa,
    /// TLS, the certificate must chain to `sslrootcert` and be for the host named in the URL.
    VerifyFull,
}

impl SslMode {
    pub fn parse(s: &str) -> Option<SslMode> {
        Some(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// What the process environment contributes (passed in, so that tests need not change the
/// process's environment).
#[derive(Clone, Default)]
pub struct Env {
    pub pgpassword: Option<String>,
    pub pgpassfile: Option<PathBuf>,
    pub pgsslmode: Option<String>,
    pub pgsslrootcert: Option<PathBuf>,
    pub home: Option<PathBuf>,
    /// The OS user name, libpq's default user.
    pub os_user: Option<String>,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field("pgpassword", &self.pgpassword.as_ref().map(|_| Redacted))
            .field("pgpassfile", &self.pgpassfile)
            .field("pgsslmode", &self.pgsslmode)
            .field("pgsslrootcert", &self.pgsslrootcert)
            .field("home", &self.home)
            .finish()
    }
}

impl Env {
    pub fn from_process() -> Env {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Env {
            pgpassword: var("PGPASSWORD"),
            pgpassfile: var("PGPASSFILE").map(PathBuf::from),
            pgsslmode: var("PGSSLMODE"),
            pgsslrootcert: var("PGSSLROOTCERT").map(PathBuf::from),
            home: var("HOME").map(PathBuf::from),
            os_user: var("USER").or_else(|| var("LOGNAME")),
        }
    }
}

struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where the password came from (for messages: libpq adds "password retrieved from file").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    None,
    Url,
    Env,
    /// The file and the 1-based line that matched.
    File(PathBuf, usize),
}

/// Why a state URL cannot be used. No variant holds the URL or a password.
#[derive(Debug, thiserror::Error)]
pub enum UrlError {
    #[error("the state URL must start with postgres:// or postgresql://")]
    Scheme,
    #[error("the state URL is not valid: {0}")]
    Invalid(String),
    #[error("the state URL names no host: give one (postgres://user@HOST/db), or a socket directory with ?host=/var/run/postgresql")]
    NoHost,
    #[error("the state URL names no user, and the OS user name is unknown")]
    NoUser,
    #[error("sslmode '{0}' is not one of disable, allow, prefer, require, verify-ca, verify-full")]
    SslMode(String),
    #[error("the state URL's parameter '{0}' is not supported by collectmaxx")]
    Unsupported(String),
    #[error("sslmode={mode} needs the CA certificate to check the server against: {}", match path { Some(p) => format!("root certificate file {} does not exist; give it with sslrootcert=PATH", p.display()), None => "give it with sslrootcert=PATH".into() })]
    NoRootCert {
        mode: &'static str,
        path: Option<PathBuf>,
    },
    #[error("cannot read the CA certificates in {}: {error}", path.display())]
    RootCert { path: PathBuf, error: String },
}

/// A parsed state URL: everything needed to connect.
pub struct ConnectSpec {
    config: postgres::Config,
    pub ssl_mode: SslMode,
    pub root_cert: Option<PathBuf>,
    pub password_from: PasswordSource,
    /// Things to tell the user, e.g. a password file that was ignored.
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for ConnectSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectSpec")
            .field("url", &self.display())
            .field("ssl_mode", &self.ssl_mode)
            .field("root_cert", &self.root_cert)
            .field("password_from", &self.password_from)
            .finish()
    }
}

/// Query parameters handled here instead of by the `postgres` crate.
const OWN_PARAMS: &[&str] = &["sslmode", "sslrootcert", "passfile"];
/// libpq parameters that collectmaxx refuses rather than ignores.
const UNSUPPORTED: &[&str] = &[
    "sslcert",
    "sslkey",
    "sslpassword",
    "sslcrl",
    "sslcrldir",
    "service",
    "requirepeer",
    "gssencmode",
];

impl ConnectSpec {
    /// Parses `url` with the environment's defaults (see the module docs).
    pub fn parse(url: &str, env: &Env) -> Result<ConnectSpec, UrlError> {
        let rest = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
            .ok_or(UrlError::Scheme)?;
        // The crate takes everything up to the first '@' as the credentials; the query
        // starts at the first '?' after them.
        let after_creds = rest.find('@').map(|i| i + 1).unwrap_or(0);
        let (head, query) = match rest[after_creds..].find('?') {
            Some(i) => (
                &url[..url.len() - rest.len() + after_creds + i],
                Some(&rest[after_creds + i + 1..]),
            ),
            None => (url, None),
        };
        let mut kept = Vec::new();
        let mut own: Vec<(String, String)> = Vec::new();
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| UrlError::Invalid("a parameter without '='".into()))?;
            let key = decode(k)?;
            if OWN_PARAMS.contains(&key.as_str()) {
                own.push((key, decode(v)?));
            } else if UNSUPPORTED.contains(&key.as_str()) {
                return Err(UrlError::Unsupported(key));
            } else {
                kept.push(pair);
            }
        }
        let rebuilt = if kept.is_empty() {
            head.to_string()
        } else {
            format!("{head}?{}", kept.join("&"))
        };
        let mut config: postgres::Config = rebuilt
            .parse()
            .map_err(|e: postgres::Error| UrlError::Invalid(error_chain(&e)))?;
        if config.get_hosts().is_empty() {
            return Err(UrlError::NoHost);
        }
        if config.get_user().is_none() {
            let user = env.os_user.clone().ok_or(UrlError::NoUser)?;
            config.user(&user);
        }
        if config.get_connect_timeout().is_none() {
            // libpq waits forever by default; a cron job should not.
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("collectmaxx");
        }

        let own_get = |k: &str| {
            own.iter()
                .rev()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let mode_s = own_get("sslmode")
            .or_else(|| env.pgsslmode.clone())
            .unwrap_or_else(|| "prefer".into());
        let mut ssl_mode = SslMode::parse(&mode_s).ok_or(UrlError::SslMode(mode_s))?;
        let mut root_cert = own_get("sslrootcert")
            .map(PathBuf::from)
            .or_else(|| env.pgsslrootcert.clone());
        if root_cert.as_deref() == Some(Path::new("system")) {
            return Err(UrlError::Unsupported("sslrootcert=system".into()));
        }
        match ssl_mode {
            SslMode::VerifyCa | SslMode::VerifyFull => {
                let path = match root_cert
                    .take()
                    .or_else(|| env.home.as_ref().map(|h| h.join(".postgresql/root.crt")))
                {
                    Some(p) => p,
                    None => {
                        return Err(UrlError::NoRootCert {
                            mode: ssl_mode.name(),
                            path: None,
                        })
                    }
                };
                if !path.exists() {
                    return Err(UrlError::NoRootCert {
                        mode: ssl_mode.name(),
                        path: Some(path),
                    });
                }
                root_cert = Some(path);
            }
            // libpq: "if a root CA file exists, sslmode=require behaves like verify-ca".
            SslMode::Require if root_cert.as_deref().is_some_and(Path::exists) => {
                ssl_mode = SslMode::VerifyCa
            }
            SslMode::Require => {
                root_cert = None;
            }
            _ => root_cert = None,
        }
        config.ssl_mode(match ssl_mode {
            SslMode::Disable => PgSslMode::Disable,
            SslMode::Allow | SslMode::Prefer => PgSslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => PgSslMode::Require,
        });

        let mut warnings = Vec::new();
        let password_from = if config.get_password().is_some() {
            PasswordSource::Url
        } else if let Some(pw) = &env.pgpassword {
            config.password(pw);
            PasswordSource::Env
        } else {
            let file = own_get("passfile")
                .map(PathBuf::from)
                .or_else(|| env.pgpassfile.clone())
                .or_else(|| env.home.as_ref().map(|h| h.join(".pgpass")));
            match file {
                Some(file) => {
                    let (host, port, db, user) = pgpass_key(&config);
                    match pgpass_lookup(&file, &host, &port, &db, &user) {
                        PgpassResult::Found(pw, line) => {
                            config.password(pw.as_bytes());
                            PasswordSource::File(file, line)
                        }
                        PgpassResult::Ignored(why) => {
                            warnings.push(why);
                            PasswordSource::None
                        }
                        PgpassResult::NotFound => PasswordSource::None,
                    }
                }
                None => PasswordSource::None,
            }
        };
        Ok(ConnectSpec {
            config,
            ssl_mode,
            root_cert,
            password_from,
            warnings,
        })
    }

    /// The URL without its password, for messages: `postgres://user@host:port/db?sslmode=...`.
    pub fn display(&self) -> String {
        let hosts: Vec<String> = self
            .config
            .get_hosts()
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let port = self
                    .config
                    .get_ports()
                    .get(i)
                    .or(self.config.get_ports().first())
                    .copied()
                    .unwrap_or(5432);
                match h {
                    Host::Tcp(h) if h.contains(':') => format!("[{h}]:{port}"),
                    Host::Tcp(h) => format!("{h}:{port}"),
                    Host::Unix(p) => format!("{}:{port}", p.display()),
                }
            })
            .collect();
        format!(
            "postgres://{}@{}/{}?sslmode={}",
            self.config.get_user().unwrap_or(""),
            hosts.join(","),
            self.config
                .get_dbname()
                .or(self.config.get_user())
                .unwrap_or(""),
            self.ssl_mode.name()
        )
    }

    /// The parsed configuration (its `Debug` redacts the password).
    pub fn config(&self) -> &postgres::Config {
        &self.config
    }

    /// Connects with the TLS that the sslmode asks for.
    pub fn connect(&self) -> Result<postgres::Client, ConnectError> {
        let r = match self.ssl_mode {
            SslMode::Disable => self.config.connect(postgres::NoTls),
            _ => {
                let tls = tls_config(self.ssl_mode, self.root_cert.as_deref())
                    .map_err(ConnectError::Url)?;
                self.config
                    .connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
            }
        };
        r.map_err(|e| ConnectError::Connect {
            url: self.display(),
            message: describe_connect_error(&e, &self.password_from),
            error: e,
        })
    }
}

/// Why a connection could not be made. The message names the URL without its password.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(transparent)]
    Url(UrlError),
    #[error("cannot connect to the history database {url}: {message}")]
    Connect {
        url: String,
        message: String,
        error: postgres::Error,
    },
}

/// The error with its causes, one line (the crate's own `Display` says only "db error").
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s.replace('\n', " ")
}

fn describe_connect_error(e: &postgres::Error, from: &PasswordSource) -> String {
    let mut m = error_chain(e);
    let auth_failed = e
        .code()
        .is_some_and(|c| *c == postgres::error::SqlState::INVALID_PASSWORD);
    let no_password = m.contains("password missing");
    if auth_failed || no_password {
        m.push_str(&match from {
            PasswordSource::None => {
                "; no password was given: put it in the URL, PGPASSWORD or ~/.pgpass (mode 0600)"
                    .to_string()
            }
            PasswordSource::Url => "; the password came from the URL".to_string(),
            PasswordSource::Env => "; the password came from PGPASSWORD".to_string(),
            PasswordSource::File(f, l) => {
                format!("; the password came from {} line {l}", f.display())
            }
        });
    }
    m
}

fn decode(s: &str) -> Result<String, UrlError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match h {
                Some(v) => {
                    out.push(v);
                    i += 3;
                    continue;
                }
                None => return Err(UrlError::Invalid("a bad %-escape".into())),
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).map_err(|_| UrlError::Invalid("a parameter that is not UTF-8".into()))
}

/// The (host, port, database, user) that libpq looks up in the password file.
fn pgpass_key(c: &postgres::Config) -> (String, String, String, String) {
    let host = match c.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        // libpq: the default socket directory (Debian: /var/run/postgresql) matches
        // "localhost"; any other socket directory must be written out.
        Some(Host::Unix(p))
            if p == Path::new("/var/run/postgresql")
                || p == Path::new("/run/postgresql")
                || p == Path::new("/tmp") =>
        {
            "localhost".into()
        }
        Some(Host::Unix(p)) => p.to_string_lossy().into_owned(),
        None => "localhost".into(),
    };
    let port = c.get_ports().first().copied().unwrap_or(5432).to_string();
    let user = c.get_user().unwrap_or("").to_string();
    let db = c
        .get_dbname()
        .map(str::to_string)
        .unwrap_or_else(|| user.clone());
    (host, port, db, user)
}

/// The outcome of looking in a password file.
#[derive(Debug, PartialEq, Eq)]
pub enum PgpassResult {
    Found(String, usize),
    NotFound,
    /// The file exists but libpq would not use it; the text says why (a warning to print).
    Ignored(String),
}

impl PgpassResult {
    pub fn found(&self) -> Option<&str> {
        match self {
            PgpassResult::Found(p, _) => Some(p),
            _ => None,
        }
    }
}

/// Looks up a password in a libpq password file (`hostname:port:database:username:password`,
/// `*` matches any value of a field, `\:` and `\\` escape, `#` starts a comment line, the first
/// matching line wins).
pub fn pgpass_lookup(file: &Path, host: &str, port: &str, db: &str, user: &str) -> PgpassResult {
    let meta = match std::fs::metadata(file) {
        Ok(m) => m,
        Err(_) => return PgpassResult::NotFound,
    };
    if !meta.is_file() {
        return PgpassResult::Ignored(format!(
            "password file {} is not a plain file; it is ignored",
            file.display()
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return PgpassResult::Ignored(format!(
                "password file {} has group or world access; it is ignored (permissions should be u=rw (0600) or less: chmod 600 {})",
                file.display(),
                file.display()
            ));
        }
    }
    let text = match std::fs::read(file) {
        Ok(t) => t,
        Err(e) => {
            return PgpassResult::Ignored(format!(
                "cannot read password file {}: {e}; it is ignored",
                file.display()
            ))
        }
    };
    let text = String::from_utf8_lossy(&text);
    for (n, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut rest = line;
        let mut ok = true;
        for want in [host, port, db, user] {
            match match_field(rest, want) {
                Some(r) => rest = r,
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            return PgpassResult::Found(unescape_password(rest), n + 1);
        }
    }
    PgpassResult::NotFound
}

/// libpq's `pwdfMatchesString`: the field at the start of `line` matches `want` (or is `*`);
/// returns what follows its ':'.
fn match_field<'a>(line: &'a str, want: &str) -> Option<&'a str> {
    if let Some(r) = line.strip_prefix("*:") {
        return Some(r);
    }
    let mut want = want.chars();
    let mut it = line.char_indices();
    while let Some((i, c)) = it.next() {
        let (c, escaped) = if c == '\\' {
            match it.next() {
                Some((_, n)) => (n, true),
                None => return None,
            }
        } else {
            (c, false)
        };
        if c == ':' && !escaped {
            return if want.next().is_none() {
                Some(&line[i + 1..])
            } else {
                None
            };
        }
        if want.next() != Some(c) {
            return None;
        }
    }
    None
}

/// The password field: up to the first unescaped ':', with `\x` read as `x`.
fn unescape_password(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.next() {
                Some(n) => out.push(n),
                None => out.push('\\'),
            },
            ':' => break,
            c => out.push(c),
        }
    }
    out
}

/// The rustls configuration for a TLS sslmode.
pub fn tls_config(
    mode: SslMode,
    root_cert: Option<&Path>,
) -> Result<rustls::ClientConfig, UrlError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| UrlError::Invalid(e.to_string()))?;
    let chain = match mode {
        SslMode::Disable | SslMode::Allow | SslMode::Prefer | SslMode::Require => None,
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let path = root_cert.ok_or(UrlError::NoRootCert {
                mode: mode.name(),
                path: None,
            })?;
            let roots = load_roots(path)?;
            let webpki =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|e| UrlError::RootCert {
                        path: path.to_path_buf(),
                        error: e.to_string(),
                    })?;
            Some(webpki)
        }
    };
    let verifier = Arc::new(ServerCheck {
        provider,
        chain,
        name: mode == SslMode::VerifyFull,
    });
    Ok(builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

fn load_roots(path: &Path) -> Result<RootCertStore, UrlError> {
    let err = |error: String| UrlError::RootCert {
        path: path.to_path_buf(),
        error,
    };
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(path).map_err(|e| err(e.to_string()))? {
        roots
            .add(cert.map_err(|e| err(e.to_string()))?)
            .map_err(|e| err(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(err("no PEM certificate in it".into()));
    }
    Ok(roots)
}

/// What is checked of the server's certificate. The handshake's signatures always are (TLS
/// encrypts); `require`/`prefer` check nothing more, `verify-ca` the chain up to a trusted root
/// with any name, `verify-full` the chain and the host's name.
#[derive(Debug)]
struct ServerCheck {
    provider: Arc<CryptoProvider>,
    /// The verifier of the trusted roots (`sslrootcert`); `None`: the certificate is not checked.
    chain: Option<Arc<WebPkiServerVerifier>>,
    /// Whether the certificate must name the host.
    name: bool,
}

impl ServerCertVerifier for ServerCheck {
    fn verify_server_cert(
        &self,
        end: &CertificateDer<'_>,
        im: &[CertificateDer<'_>],
        name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        // webpki checks the chain before the name, so a name error means the chain was good.
        match chain.verify_server_cert(end, im, name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(m, c, d, algorithms)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(m, c, d, algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// `url` with any password left out (`user:secret@` becomes `user@`, a `password=` parameter
/// is dropped), for showing a setting. Works on text that does not parse, too.
pub fn without_password(url: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (url, None),
    };
    let head = match head.split_once("://") {
        Some((scheme, rest)) => match rest.rfind('@') {
            Some(at) => {
                let user = rest[..at].split(':').next().unwrap_or("");
                format!("{scheme}://{user}@{}", &rest[at + 1..])
            }
            None => head.to_string(),
        },
        None => head.to_string(),
    };
    match query {
        Some(q) => {
            let kept: Vec<&str> = q
                .split('&')
                .filter(|p| !p.to_ascii_lowercase().starts_with("password="))
                .collect();
            if kept.is_empty() {
                head
            } else {
                format!("{head}?{}", kept.join("&"))
            }
        }
        None => head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        Env {
            os_user: Some("me".into()),
            ..Env::default()
        }
    }

    #[test]
    fn takes_own_params_out_and_keeps_the_rest() {
        let s = ConnectSpec::parse("postgres://u:p%40ss@db.example:6543/hist?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem&application_name=x", &env());
        // verify-full with a missing root file is refused, naming the file, not the URL.
        let e = s.unwrap_err().to_string();
        assert!(
            e.contains("/nonexistent/ca.pem") && !e.contains("p@ss") && !e.contains("p%40ss"),
            "{e}"
        );
        let s = ConnectSpec::parse(
            "postgresql://u:p%40ss@db.example:6543/hist?sslmode=require&connect_timeout=3",
            &env(),
        )
        .unwrap();
        assert_eq!(s.ssl_mode, SslMode::Require);
        assert_eq!(s.config().get_password(), Some(&b"p@ss"[..]));
        assert_eq!(s.password_from, PasswordSource::Url);
        assert_eq!(
            s.display(),
            "postgres://u@db.example:6543/hist?sslmode=require"
        );
        let dbg = format!("{s:?} {:?}", s.config());
        assert!(!dbg.contains("p@ss"), "{dbg}");
    }

    #[test]
    fn errors_never_echo_the_url() {
        for url in [
            "mysql://u:hunter2@h/db",
            "postgres://u:hunter2@h:notaport/db",
            "postgres://u:hunter2@h/db?sslmode=bogus",
            "postgres://u:hunter2@h/db?nosuch=1",
            "postgres://u:hunter2@h/db?sslkey=/k",
        ] {
            let e = ConnectSpec::parse(url, &env()).unwrap_err();
            let all = format!("{e} {e:?}");
            assert!(!all.contains("hunter2"), "{all}");
        }
    }

    #[test]
    fn password_precedence_url_env_file() {
        let dir = tempfile::tempdir().unwrap();
        let pass = dir.path().join("pgpass");
        std::fs::write(&pass, "h:5432:db:u:from-file\n").unwrap();
        set_mode(&pass, 0o600);
        let mut e = Env {
            pgpassfile: Some(pass.clone()),
            ..env()
        };
        let s = ConnectSpec::parse("postgres://u@h/db", &e).unwrap();
        assert_eq!(s.password_from, PasswordSource::File(pass.clone(), 1));
        assert_eq!(s.config().get_password(), Some(&b"from-file"[..]));
        e.pgpassword = Some("from-env".into());
        let s = ConnectSpec::parse("postgres://u@h/db", &e).unwrap();
        assert_eq!(
            (s.password_from.clone(), s.config().get_password()),
            (PasswordSource::Env, Some(&b"from-env"[..]))
        );
        let s = ConnectSpec::parse("postgres://u:from-url@h/db", &e).unwrap();
        assert_eq!(s.config().get_password(), Some(&b"from-url"[..]));
        // passfile= in the URL beats PGPASSFILE.
        let other = dir.path().join("other");
        std::fs::write(&other, "*:*:*:*:other\n").unwrap();
        set_mode(&other, 0o400);
        let e = Env {
            pgpassfile: Some(pass),
            ..env()
        };
        let s = ConnectSpec::parse(
            &format!("postgres://u@h/db?passfile={}", other.display()),
            &e,
        )
        .unwrap();
        assert_eq!(s.config().get_password(), Some(&b"other"[..]));
    }

    fn set_mode(p: &Path, m: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    }

    #[test]
    fn pgpass_matching_as_libpq() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("pgpass");
        std::fs::write(
            &f,
            "# comment\n\
             \n\
             other:5432:*:u:wrong-host\r\n\
             db\\:host:*:*:u:escaped-host\n\
             h:5432:db:u:pa\\:ss\\\\word:trailing\n\
             *:*:*:u:catch-all\n",
        )
        .unwrap();
        set_mode(&f, 0o600);
        assert_eq!(
            pgpass_lookup(&f, "h", "5432", "db", "u"),
            PgpassResult::Found("pa:ss\\word".into(), 5)
        );
        assert_eq!(
            pgpass_lookup(&f, "db:host", "1", "x", "u").found(),
            Some("escaped-host")
        );
        assert_eq!(
            pgpass_lookup(&f, "h", "5433", "db", "u").found(),
            Some("catch-all")
        );
        assert_eq!(
            pgpass_lookup(&f, "h", "5432", "db", "v"),
            PgpassResult::NotFound
        );
        // A field must match whole: "h" does not match "hh", nor "*x" everything.
        assert_eq!(
            pgpass_lookup(&f, "hh", "5432", "db", "v"),
            PgpassResult::NotFound
        );
        // Group- or world-readable: ignored with a warning, as libpq does.
        set_mode(&f, 0o640);
        match pgpass_lookup(&f, "h", "5432", "db", "u") {
            PgpassResult::Ignored(w) => assert!(
                w.contains("group or world access") && !w.contains("pa:ss"),
                "{w}"
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            pgpass_lookup(&dir.path().join("missing"), "h", "1", "d", "u"),
            PgpassResult::NotFound
        );
        assert!(matches!(
            pgpass_lookup(dir.path(), "h", "1", "d", "u"),
            PgpassResult::Ignored(_)
        ));
    }

    #[test]
    fn require_with_a_root_cert_is_verify_ca_and_socket_hosts_match_localhost() {
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, "x").unwrap();
        let s = ConnectSpec::parse(
            &format!(
                "postgres://u@h/db?sslmode=require&sslrootcert={}",
                ca.display()
            ),
            &env(),
        )
        .unwrap();
        assert_eq!(s.ssl_mode, SslMode::VerifyCa);
        let s = ConnectSpec::parse("postgres://u@h/db", &env()).unwrap();
        assert_eq!(s.ssl_mode, SslMode::Prefer);
        let s = ConnectSpec::parse(
            "postgres:///db?host=%2Fvar%2Frun%2Fpostgresql&user=u",
            &env(),
        )
        .unwrap();
        assert_eq!(pgpass_key(s.config()).0, "localhost");
        let s = ConnectSpec::parse("postgres://h/db", &env()).unwrap();
        assert_eq!(s.config().get_user(), Some("me"));
        assert_eq!(
            pgpass_key(s.config()),
            ("h".into(), "5432".into(), "db".into(), "me".into())
        );
    }
}
