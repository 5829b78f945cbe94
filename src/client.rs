//! Connecting to a tongket server: the one place that turns `--server`
//! (and later credentials) into a generated gRPC client.

use clap::Args;
use tonic::transport::{Channel, Endpoint};

use crate::proto::report_service_client::ReportServiceClient;

/// How to reach the server; flattened into the client's top-level flags.
#[derive(Debug, Clone, Args)]
pub struct Connection {
    /// The server's address.
    #[arg(long, env = "TONGKET_SERVER", default_value = "http://127.0.0.1:50051", global = true)]
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
        let endpoint = Endpoint::from_shared(self.server.clone())?;
        Ok(endpoint.connect().await?)
    }
}
