//! The server's configuration: `tongketd`'s flags (each with an environment
//! fallback, documented by `--help`) and the validated [`Config`] that
//! [`crate::server::run`] receives. Nothing reads the environment later.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use crate::DEFAULT_LISTEN_ADDR;
use crate::auth::{Tokens, TokensError};

/// The largest text accepted by default: 1 MiB.
pub const DEFAULT_MAX_TEXT_BYTES: usize = 1024 * 1024;

/// sled's page cache by default, in MiB (see [`crate::store::DEFAULT_CACHE_BYTES`]).
pub const DEFAULT_CACHE_MB: u64 = crate::store::DEFAULT_CACHE_BYTES / (1024 * 1024);

/// How long in-flight calls may run after a shutdown signal; below the
/// 10 s a container runtime waits before it kills.
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(8);

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Parses, stores and serves Vietnamese year-end review reports over gRPC.
#[derive(Debug, Clone, Parser)]
#[command(name = "tongketd", version)]
pub struct ServerArgs {
    /// Without a subcommand, tongketd serves.
    #[command(subcommand)]
    pub command: Option<ServerCommand>,
    /// The address to listen on.
    #[arg(long, env = "TONGKET_LISTEN", default_value = DEFAULT_LISTEN_ADDR)]
    pub listen: SocketAddr,
    /// The directory sled keeps its files in (created if missing).
    #[arg(
        long,
        env = "TONGKET_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// sled's page cache, in MiB: how much of the database is kept in
    /// memory (sled's own default, 1024, would let the process grow past
    /// 1 GB with a large store).
    #[arg(long, env = "TONGKET_CACHE_MB", default_value_t = DEFAULT_CACHE_MB, global = true)]
    pub cache_mb: u64,
    /// The largest accepted text, in bytes (after UTF-8 encoding).
    #[arg(long, env = "TONGKET_MAX_TEXT_BYTES", default_value_t = DEFAULT_MAX_TEXT_BYTES,
          value_parser = clap::value_parser!(usize))]
    pub max_text_bytes: usize,
    /// The log line format; the filter comes from RUST_LOG (default "info").
    #[arg(long, env = "TONGKET_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Seconds in-flight calls may take to finish after SIGTERM or SIGINT.
    #[arg(long, env = "TONGKET_DRAIN_SECONDS", default_value_t = DEFAULT_DRAIN_TIMEOUT.as_secs())]
    pub drain_seconds: u64,
    /// At most this many calls open at once on one connection (HTTP/2 streams).
    #[arg(long, env = "TONGKET_MAX_CONCURRENT_STREAMS", default_value_t = 128)]
    pub max_concurrent_streams: u32,
    /// At most this many requests handled at once per connection; more wait their turn.
    #[arg(
        long,
        env = "TONGKET_MAX_REQUESTS_PER_CONNECTION",
        default_value_t = 64
    )]
    pub max_requests_per_connection: usize,
    /// The longest any call may run, in seconds (0: unbounded). Shorter
    /// client deadlines (grpc-timeout) are honoured too.
    #[arg(long, env = "TONGKET_REQUEST_TIMEOUT_SECONDS", default_value_t = 600)]
    pub request_timeout_seconds: u64,
    /// Seconds between HTTP/2 pings on a quiet connection; a peer that does
    /// not answer within 20 s is disconnected (0: no pings).
    #[arg(long, env = "TONGKET_KEEPALIVE_SECONDS", default_value_t = 60)]
    pub keepalive_seconds: u64,
    /// A file of "TOKEN ROLE" lines (roles: reader, writer, admin). When
    /// given, every call except health and reflection needs a bearer token.
    #[arg(long, env = "TONGKET_AUTH_TOKENS")]
    pub auth_tokens: Option<PathBuf>,
    /// A PEM certificate chain; with --tls-key the server speaks TLS only.
    #[arg(long, env = "TONGKET_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, env = "TONGKET_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Before serving, re-parse every stored text with this build's parser
    /// (keeping ids, rebuilding every index); for after a parser upgrade.
    #[arg(long, env = "TONGKET_REPARSE")]
    pub reparse: bool,
}

/// What tongketd does instead of serving.
#[derive(Debug, Clone, Subcommand)]
pub enum ServerCommand {
    /// Verifies every index against the records (offline: stop the server
    /// first). Exit status 0 when they agree, 1 when they do not.
    Check {
        /// Rewrite index entries that disagree with the records.
        #[arg(long)]
        repair: bool,
    },
}

/// The validated settings the server runs with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where `tongketd` binds (the server itself is handed a bound listener).
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// sled's page cache capacity, in bytes.
    pub cache_bytes: u64,
    pub max_text_bytes: usize,
    pub log_format: LogFormat,
    /// The bound on draining in-flight calls at shutdown.
    pub drain_timeout: Duration,
    /// Re-parse every stored text before serving.
    pub reparse: bool,
    pub limits: Limits,
    /// Bearer tokens; `None` serves everyone.
    pub auth: Option<Tokens>,
    /// The certificate and key; `None` serves plaintext.
    pub tls: Option<TlsIdentity>,
}

/// Bounds on what one connection or call may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub max_concurrent_streams: u32,
    pub max_requests_per_connection: usize,
    pub request_timeout: Option<Duration>,
    pub keepalive: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_concurrent_streams: 128,
            max_requests_per_connection: 64,
            request_timeout: Some(Duration::from_secs(600)),
            keepalive: Some(Duration::from_secs(60)),
        }
    }
}

/// A PEM certificate chain and its private key, read at start-up.
#[derive(Clone)]
pub struct TlsIdentity {
    pub cert_pem: Vec<u8>,
    pub key_pem: Vec<u8>,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key never reaches a log.
        f.write_str("TlsIdentity(..)")
    }
}

impl Config {
    /// The defaults with another data directory (used by tests and tools).
    pub fn with_data_dir(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            listen: DEFAULT_LISTEN_ADDR
                .parse()
                .expect("the default address parses"),
            data_dir: data_dir.into(),
            cache_bytes: crate::store::DEFAULT_CACHE_BYTES,
            max_text_bytes: DEFAULT_MAX_TEXT_BYTES,
            log_format: LogFormat::Text,
            drain_timeout: DEFAULT_DRAIN_TIMEOUT,
            reparse: false,
            limits: Limits::default(),
            auth: None,
            tls: None,
        }
    }
}

/// A flag value that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("--max-text-bytes must be at least 1")]
    ZeroMaxTextBytes,
    #[error("--cache-mb must be between 1 and 1048576")]
    CacheSize,
    #[error("--drain-seconds must be below 10 so a container stop never kills a draining server")]
    DrainTooLong,
    #[error("--max-concurrent-streams and --max-requests-per-connection must be at least 1")]
    ZeroLimit,
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("--auth-tokens {path}: {source}")]
    Tokens { path: PathBuf, source: TokensError },
}

fn read(path: &Path) -> Result<Vec<u8>, ConfigError> {
    std::fs::read(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })
}

impl TryFrom<ServerArgs> for Config {
    type Error = ConfigError;

    fn try_from(args: ServerArgs) -> Result<Config, ConfigError> {
        if args.max_text_bytes == 0 {
            return Err(ConfigError::ZeroMaxTextBytes);
        }
        if !(1..=1024 * 1024).contains(&args.cache_mb) {
            return Err(ConfigError::CacheSize);
        }
        if args.drain_seconds >= 10 {
            return Err(ConfigError::DrainTooLong);
        }
        if args.max_concurrent_streams == 0 || args.max_requests_per_connection == 0 {
            return Err(ConfigError::ZeroLimit);
        }
        let auth = match &args.auth_tokens {
            Some(path) => {
                let text = String::from_utf8_lossy(&read(path)?).into_owned();
                let tokens = Tokens::parse(&text).map_err(|source| ConfigError::Tokens {
                    path: path.clone(),
                    source,
                })?;
                Some(tokens)
            }
            None => None,
        };
        let tls = match (&args.tls_cert, &args.tls_key) {
            (Some(cert), Some(key)) => Some(TlsIdentity {
                cert_pem: read(cert)?,
                key_pem: read(key)?,
            }),
            _ => None,
        };
        let seconds = |seconds: u64| (seconds > 0).then(|| Duration::from_secs(seconds));
        Ok(Config {
            limits: Limits {
                max_concurrent_streams: args.max_concurrent_streams,
                max_requests_per_connection: args.max_requests_per_connection,
                request_timeout: seconds(args.request_timeout_seconds),
                keepalive: seconds(args.keepalive_seconds),
            },
            auth,
            tls,
            listen: args.listen,
            data_dir: args.data_dir,
            cache_bytes: args.cache_mb * 1024 * 1024,
            max_text_bytes: args.max_text_bytes,
            log_format: args.log_format,
            drain_timeout: Duration::from_secs(args.drain_seconds),
            reparse: args.reparse,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documented_ones() {
        let args = ServerArgs::try_parse_from(["tongketd"]).unwrap();
        let config = Config::try_from(args).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:50051");
        assert_eq!(config.data_dir, PathBuf::from("./data"));
        assert_eq!(config.max_text_bytes, 1_048_576);
        assert_eq!(config.log_format, LogFormat::Text);
    }

    #[test]
    fn the_flag_defaults_are_the_library_defaults() {
        let args = ServerArgs::try_parse_from(["tongketd"]).unwrap();
        let config = Config::try_from(args).unwrap();
        let library = Config::with_data_dir("./data");
        assert_eq!(config.limits, library.limits);
        assert_eq!(config.drain_timeout, library.drain_timeout);
        assert_eq!(config.cache_bytes, library.cache_bytes);
        assert!(config.auth.is_none() && config.tls.is_none());
    }

    #[test]
    fn tls_needs_both_the_certificate_and_the_key() {
        assert!(ServerArgs::try_parse_from(["tongketd", "--tls-cert", "cert.pem"]).is_err());
        assert!(ServerArgs::try_parse_from(["tongketd", "--tls-key", "key.pem"]).is_err());
    }

    #[test]
    fn check_takes_the_data_dir_after_the_subcommand() {
        let args = ServerArgs::try_parse_from([
            "tongketd",
            "check",
            "--data-dir",
            "/srv/tongket",
            "--repair",
        ])
        .unwrap();
        assert_eq!(args.data_dir, PathBuf::from("/srv/tongket"));
        assert!(matches!(
            args.command,
            Some(ServerCommand::Check { repair: true })
        ));
    }

    #[test]
    fn the_cache_size_is_set_in_mib_and_bounded() {
        let args = ServerArgs::try_parse_from(["tongketd", "--cache-mb", "32"]).unwrap();
        assert_eq!(
            Config::try_from(args).unwrap().cache_bytes,
            32 * 1024 * 1024
        );
        let args = ServerArgs::try_parse_from(["tongketd", "check", "--cache-mb", "16"]).unwrap();
        assert_eq!(
            Config::try_from(args).unwrap().cache_bytes,
            16 * 1024 * 1024
        );
        let args = ServerArgs::try_parse_from(["tongketd", "--cache-mb", "0"]).unwrap();
        assert!(matches!(
            Config::try_from(args),
            Err(ConfigError::CacheSize)
        ));
    }

    #[test]
    fn a_zero_text_limit_is_refused() {
        let args = ServerArgs::try_parse_from(["tongketd", "--max-text-bytes", "0"]).unwrap();
        assert!(matches!(
            Config::try_from(args),
            Err(ConfigError::ZeroMaxTextBytes)
        ));
    }
}
