//! Connecting to a tongket server: the one place that turns `--server`,
//! `--token` and `--ca-cert` into a generated gRPC client. An `https://`
//! server is reached over TLS (trusting `--ca-cert`, or the system's roots);
//! a token rides on every call as `authorization: Bearer TOKEN`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use tonic::metadata::{Ascii, MetadataValue};
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};
use tonic_types::StatusExt;

use crate::proto::report_service_client::ReportServiceClient;

/// How to reach the server; flattened into the client's top-level flags.
#[derive(Debug, Clone, Args)]
pub struct Connection {
    /// The server's address.
    #[arg(
        long,
        env = "TONGKET_SERVER",
        default_value = "http://127.0.0.1:50051",
        global = true
    )]
    pub server: String,
    /// A bearer token, for servers started with --auth-tokens.
    #[arg(long, env = "TONGKET_TOKEN", global = true, hide_env_values = true)]
    pub token: Option<String>,
    /// A PEM CA certificate to trust for an https:// server (default: the system's roots).
    #[arg(long, env = "TONGKET_CA_CERT", global = true)]
    pub ca_cert: Option<PathBuf>,
}

/// A channel whose calls carry the connection's token.
pub type AuthChannel = InterceptedService<Channel, Bearer>;

/// Adds `authorization: Bearer TOKEN` to every call (nothing without a token).
#[derive(Clone)]
pub struct Bearer(Option<MetadataValue<Ascii>>);

impl std::fmt::Debug for Bearer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token never reaches a log.
        f.write_str("Bearer(..)")
    }
}

impl Interceptor for Bearer {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(value) = &self.0 {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
        }
        Ok(request)
    }
}

impl Connection {
    /// A plaintext connection to `server` with no token.
    pub fn new(server: impl Into<String>) -> Connection {
        Connection {
            server: server.into(),
            token: None,
            ca_cert: None,
        }
    }

    /// Opens a channel to the server and returns the report client.
    pub async fn connect(&self) -> anyhow::Result<ReportServiceClient<AuthChannel>> {
        let channel = self.channel().await?;
        self.report_client(channel)
    }

    /// The report client on an open channel, with the token on every call.
    pub fn report_client(
        &self,
        channel: Channel,
    ) -> anyhow::Result<ReportServiceClient<AuthChannel>> {
        let token = match &self.token {
            Some(token) => Some(
                format!("Bearer {token}")
                    .parse()
                    .context("--token must be printable ASCII")?,
            ),
            None => None,
        };
        Ok(ReportServiceClient::with_interceptor(
            channel,
            Bearer(token),
        ))
    }

    /// Opens a channel to the server (for the report and health clients).
    pub async fn channel(&self) -> anyhow::Result<Channel> {
        let mut endpoint = Endpoint::from_shared(self.server.clone())
            .with_context(|| format!("--server {:?} is not a valid URL", self.server))?
            .connect_timeout(CONNECT_TIMEOUT);
        if self.server.starts_with("https://") {
            let tls = match &self.ca_cert {
                Some(path) => {
                    let pem = std::fs::read(path)
                        .with_context(|| format!("cannot read --ca-cert {}", path.display()))?;
                    ClientTlsConfig::new().ca_certificate(Certificate::from_pem(pem))
                }
                None => ClientTlsConfig::new().with_native_roots(),
            };
            endpoint = endpoint.tls_config(tls).context("cannot set up TLS")?;
        }
        endpoint
            .connect()
            .await
            .with_context(|| format!("cannot connect to {}", self.server))
    }
}

/// How long to wait for the server to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A gRPC error status as one readable error: the code, the message and
/// each field violation the server named.
pub fn status_error(status: tonic::Status) -> anyhow::Error {
    let mut message = format!("{:?}: {}", status.code(), status.message());
    if let Some(bad_request) = status.get_details_bad_request() {
        for violation in bad_request.field_violations {
            message.push_str(&format!(
                "\n  {}: {}",
                violation.field, violation.description
            ));
        }
    }
    anyhow::anyhow!(message)
}
