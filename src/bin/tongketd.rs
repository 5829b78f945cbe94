//! The tongket server. Reads flags, sets up logging, opens the store, binds
//! the listener and hands them to [`tongket::server::run`], which stops
//! gracefully on SIGTERM or SIGINT. `tongketd check [--repair]` verifies the
//! store's indexes offline instead.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use tokio::net::TcpListener;

use tongket::config::{Config, ServerArgs, ServerCommand};
use tongket::store::Store;

fn main() -> anyhow::Result<ExitCode> {
    // Before the runtime starts its threads (see the function's doc).
    tongket::server::limit_malloc_arenas();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(serve())
}

async fn serve() -> anyhow::Result<ExitCode> {
    let args = ServerArgs::parse();
    let command = args.command.clone();
    let config = Config::try_from(args)?;
    tongket::telemetry::init(config.log_format, std::io::stderr);
    let store = Store::open_with(&config.data_dir, config.cache_bytes).with_context(|| {
        format!(
            "cannot open the data directory {}",
            config.data_dir.display()
        )
    })?;
    if let Some(ServerCommand::Check { repair }) = command {
        return check(&store, &config.data_dir, repair);
    }
    if config.reparse {
        let outcome = tongket::service::reparse_at_startup(&store, &config.data_dir)
            .context("cannot re-parse the stored reports")?;
        store
            .flush()
            .await
            .context("cannot flush the re-parsed reports")?;
        tracing::info!(
            total = outcome.total,
            changed = outcome.changed,
            parser_version = outcome.parser_version,
            "stored reports re-parsed"
        );
    }
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tongket::server::run(config, store, listener, shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

/// Prints what `Store::check` and the search index check found; exit
/// status 1 if anything disagrees.
fn check(store: &Store, data_dir: &std::path::Path, repair: bool) -> anyhow::Result<ExitCode> {
    let report = store.check(repair)?;
    for detail in &report.details {
        println!("{detail}");
    }
    println!(
        "{} records, {} undecodable, {} missing or wrong index entries, {} stale index entries{}",
        report.records,
        report.undecodable,
        report.missing,
        report.stale,
        if report.repaired { " (repaired)" } else { "" },
    );
    let search = tongket::service::check_search(store, data_dir, repair)
        .context("cannot check the search index")?;
    println!(
        "search index: {} documents for {} records ({} changes not applied yet), {} missing, {} extra, {} indexed twice{}",
        search.documents,
        search.records,
        search.pending,
        search.missing,
        search.extra,
        search.duplicates,
        if search.rebuilt { " (rebuilt)" } else { "" },
    );
    Ok(match report.consistent() && search.consistent() {
        true => ExitCode::SUCCESS,
        false => ExitCode::from(1),
    })
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
