//! Connecting to a tongket server: the one place that turns `--server`
//! (and later credentials) into a generated gRPC client.

use std::time::Duration;

use anyhow::Context;
use clap::Args;
use tonic::transport::{Channel, Endpoint};
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
}

impl Connection {
    /// Opens a channel to the server and returns the report client.
    pub async fn connect(&self) -> anyhow::Result<ReportServiceClient<Channel>> {
        let channel = self.channel().await?;
        Ok(ReportServiceClient::new(channel))
    }

    /// Opens a channel to the server (for the report and health clients).
    pub async fn channel(&self) -> anyhow::Result<Channel> {
        let endpoint = Endpoint::from_shared(self.server.clone())
            .with_context(|| format!("--server {:?} is not a valid URL", self.server))?
            .connect_timeout(CONNECT_TIMEOUT);
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
