//! The tongket server. Reads flags, sets up logging, opens the store, binds
//! the listener and hands them to [`tongket::server::run`], which stops
//! gracefully on SIGTERM or SIGINT.

use anyhow::Context;
use clap::Parser;
use tokio::net::TcpListener;

use tongket::config::{Config, ServerArgs};
use tongket::store::Store;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::try_from(ServerArgs::parse())?;
    tongket::telemetry::init(config.log_format, std::io::stderr);
    let store = Store::open(&config.data_dir).with_context(|| {
        format!(
            "cannot open the data directory {}",
            config.data_dir.display()
        )
    })?;
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tongket::server::run(config, store, listener, shutdown_signal()).await?;
    Ok(())
}

/// Completes on the first SIGTERM (what container runtimes send) or SIGINT.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => tracing::info!("SIGINT received"),
                    _ = terminate.recv() => tracing::info!("SIGTERM received"),
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; stopping on SIGINT only");
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
        tracing::info!("interrupt received");
    }
}
