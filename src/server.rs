//! Running the gRPC server: the report service, `grpc.health.v1.Health` and
//! server reflection (v1 and v1alpha) on one listener, and the graceful stop.
//!
//! [`run`] is handed an open [`Store`] and a bound listener, so the caller
//! (the binary, or a test) decides the address and can keep a handle to the
//! store. Health reports SERVING as soon as `run` starts, since the store is
//! open by then. When `shutdown` completes: health turns NOT_SERVING, the
//! listener stops accepting, in-flight calls get up to
//! `Config::drain_timeout` to finish, the store is flushed and `run` returns.
//!
//! The configuration also decides TLS (rustls), the per-connection limits,
//! call deadlines, keepalive, and whether the report service sits behind
//! [`Authenticated`] (health and reflection never do).

use std::future::Future;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Identity, Server, ServerTlsConfig};
use tonic_health::ServingStatus;

use crate::auth::Authenticated;
use crate::config::Config;
use crate::proto;
use crate::service::{ReportApi, Reports};
use crate::store::{Store, StoreError};

/// Room for the other fields of a submission beside its text.
const ENVELOPE_BYTES: usize = 64 * 1024;
/// gRPC's usual limit, kept as the floor so small `--max-text-bytes` values
/// still get a `BadRequest` naming the limit rather than a transport error.
const MIN_DECODING_BYTES: usize = 4 * 1024 * 1024;

/// glibc malloc arenas the server process may use (glibc's own cap is 8 per core).
const MALLOC_ARENAS: i32 = 2;

/// How long a keepalive ping may go unanswered before the connection is closed.
const KEEPALIVE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// Caps glibc's malloc arenas for the process. glibc gives threads that
/// contend for the allocator arenas of their own (up to 8 per core), and the
/// blocking pool's many threads (parsing, sled, tantivy) each keep freed
/// memory in theirs. Measured with `benches/load.rs` at 20,000 reports: peak
/// RSS 627 MiB with glibc's default, 310 MiB with 2 arenas. glibc fixes the
/// limit once a few arenas exist, so call this first thing in `main`, before
/// any runtime starts threads. A no-op on other C libraries.
pub fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter, takes no pointers,
    // and may be called at any time from any thread; an unusable value is
    // refused by returning 0, which leaves glibc's default in place.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, MALLOC_ARENAS);
    }
}

/// Why the server could not start or stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot serve: {0}")]
    Transport(#[from] tonic::transport::Error),
    #[error("cannot build the reflection service: {0}")]
    Reflection(#[from] tonic_reflection::server::Error),
    #[error("cannot flush the store: {0}")]
    Store(#[from] StoreError),
}

/// Serves on `listener` until `shutdown` completes, then drains and flushes.
pub async fn run(
    config: Config,
    store: Store,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<(), RunError> {
    let address = listener
        .local_addr()
        .map(|address| address.to_string())
        .unwrap_or_default();
    let (health, health_service) = tonic_health::server::health_reporter();
    health.set_serving::<Reports>().await;
    let reflection_v1 = reflection().build_v1()?;
    let reflection_v1alpha = reflection().build_v1alpha()?;
    let reports = Reports::new(
        ReportApi::new(store.clone(), &config),
        config
            .max_text_bytes
            .saturating_add(ENVELOPE_BYTES)
            .max(MIN_DECODING_BYTES),
    );

    let (stop, stopped) = oneshot::channel::<()>();
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    let limits = &config.limits;
    let mut builder = Server::builder()
        .max_concurrent_streams(limits.max_concurrent_streams)
        .concurrency_limit_per_connection(limits.max_requests_per_connection)
        .http2_keepalive_interval(limits.keepalive)
        .http2_keepalive_timeout(Some(KEEPALIVE_TIMEOUT))
        .trace_fn(|request| tracing::info_span!("grpc", method = %request.uri().path()));
    if let Some(timeout) = limits.request_timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(tls) = &config.tls {
        let identity = Identity::from_pem(&tls.cert_pem, &tls.key_pem);
        builder = builder.tls_config(ServerTlsConfig::new().identity(identity))?;
    }
    let router = builder
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha);
    let router = match config.auth.clone() {
        Some(tokens) => router.add_service(Authenticated::new(reports, tokens)),
        None => router.add_service(reports),
    };
    let serve = router.serve_with_incoming_shutdown(incoming, async {
        // A dropped sender also stops the server.
        let _ = stopped.await;
    });
    tokio::pin!(serve);
    tracing::info!(
        %address,
        data_dir = %config.data_dir.display(),
        tls = config.tls.is_some(),
        auth = config.auth.is_some(),
        "serving"
    );

    tokio::select! {
        served = &mut serve => served?,
        () = shutdown => {
            tracing::info!("shutting down: NOT_SERVING, draining in-flight calls");
            health.set_not_serving::<Reports>().await;
            health.set_service_status("", ServingStatus::NotServing).await;
            let _ = stop.send(());
            match tokio::time::timeout(config.drain_timeout, &mut serve).await {
                Ok(served) => served?,
                Err(_) => tracing::warn!(timeout = ?config.drain_timeout, "drain timed out; dropping the calls left"),
            }
        }
    }
    store.flush().await?;
    // Followers of the changes log (the search index) let go of the store.
    store.close();
    tracing::info!("stopped");
    Ok(())
}

fn reflection() -> tonic_reflection::server::Builder<'static> {
    tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
}
