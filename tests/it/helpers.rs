//! Spawning a real server per test: [`TestApp::spawn`] opens a store in a
//! fresh temporary directory, binds 127.0.0.1:0, runs `tongket::server::run`
//! on a task and connects a generated client. The app can be shut down,
//! and restarted on the same directory. Tracing is silent unless `TEST_LOG`
//! is set.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};
use tonic_health::pb::health_client::HealthClient;

use tongket::config::{Config, LogFormat, TlsIdentity};
use tongket::proto::report_service_client::ReportServiceClient;
use tongket::proto::{self, SubmitReportRequest};
use tongket::server::RunError;
use tongket::store::Store;

static TRACING: LazyLock<()> = LazyLock::new(|| {
    if std::env::var_os("TEST_LOG").is_some() {
        tongket::telemetry::init(LogFormat::Text, std::io::stdout);
    }
});

/// A running server with its own data directory and a connected client.
pub struct TestApp {
    pub address: SocketAddr,
    pub client: ReportServiceClient<Channel>,
    pub channel: Channel,
    /// A handle to the server's store (e.g. to subscribe to its changes).
    pub store: Store,
    pub config: Config,
    /// Shared with the next incarnation after a restart.
    data_dir: Arc<TempDir>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<Result<(), RunError>>>,
}

impl TestApp {
    /// A server with the default configuration on a fresh data directory.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    /// A server on a fresh data directory, with `configure` applied to the
    /// default configuration first.
    pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> TestApp {
        LazyLock::force(&TRACING);
        let data_dir = tempfile::tempdir().expect("a temporary directory");
        let mut config = Config::with_data_dir(data_dir.path().join("data"));
        configure(&mut config);
        TestApp::start(Arc::new(data_dir), config).await
    }

    async fn start(data_dir: Arc<TempDir>, config: Config) -> TestApp {
        let store = Store::open(&config.data_dir).expect("the store opens");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let address = listener.local_addr().expect("a bound address");
        let (shutdown, stop) = oneshot::channel::<()>();
        let server = tokio::spawn(tongket::server::run(
            config.clone(),
            store.clone(),
            listener,
            async {
                let _ = stop.await;
            },
        ));
        let mut endpoint = Endpoint::from_shared(url(&config, address)).expect("a valid URI");
        if let Some(identity) = &config.tls {
            let trusted = Certificate::from_pem(&identity.cert_pem);
            let tls = ClientTlsConfig::new().ca_certificate(trusted);
            endpoint = endpoint
                .tls_config(tls)
                .expect("a usable TLS configuration");
        }
        let channel = endpoint
            .connect()
            .await
            .expect("the server accepts connections");
        TestApp {
            address,
            client: ReportServiceClient::new(channel.clone()),
            channel,
            store,
            config,
            data_dir,
            shutdown: Some(shutdown),
            server: Some(server),
        }
    }

    /// The server's address as a URL (for the CLI and grpcurl).
    pub fn url(&self) -> String {
        url(&self.config, self.address)
    }

    pub fn health(&self) -> HealthClient<Channel> {
        HealthClient::new(self.channel.clone())
    }

    /// Sends the shutdown signal without waiting for the server to stop.
    pub fn begin_shutdown(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }

    /// Signals shutdown and waits until `server::run` has returned.
    pub async fn stop(&mut self) -> Result<(), RunError> {
        self.begin_shutdown();
        match self.server.take() {
            Some(server) => server.await.expect("the server task does not panic"),
            None => Ok(()),
        }
    }

    /// Stops the server and starts a new one on the same data directory.
    pub async fn restart(self) -> TestApp {
        self.restart_after(|_| {}).await
    }

    /// Stops the server, lets `offline` work on the closed data directory
    /// (as an older server or an operator would), and starts a new one on it.
    pub async fn restart_after(mut self, offline: impl FnOnce(&Path)) -> TestApp {
        self.stop().await.expect("the server stops cleanly");
        let (data_dir, config) = (Arc::clone(&self.data_dir), self.config.clone());
        // sled allows one opener per directory: wait until every handle of
        // the old server (ours included) is gone.
        let released = self.store.released();
        drop(self);
        released.await;
        offline(&config.data_dir);
        unlocked(&config.data_dir);
        TestApp::start(data_dir, config).await
    }

    /// Submits a text and returns the response, panicking on an error status.
    pub async fn submit(&mut self, text: &str) -> proto::SubmitReportResponse {
        self.client
            .submit_report(SubmitReportRequest {
                text: text.to_owned(),
                ..Default::default()
            })
            .await
            .expect("the submission succeeds")
            .into_inner()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.begin_shutdown();
    }
}

/// Returns once no sled handle holds the data directory's lock. A handle
/// that `offline` opened and dropped may still be held for a moment by
/// sled's own pool threads finishing their work.
fn unlocked(data_dir: &Path) {
    let Ok(file) = std::fs::File::open(data_dir.join("db")) else {
        return;
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while let Err(std::fs::TryLockError::WouldBlock) = file.try_lock() {
        assert!(
            std::time::Instant::now() < deadline,
            "sled still holds {} after 30 s",
            data_dir.display()
        );
        std::thread::yield_now();
    }
}

fn url(config: &Config, address: SocketAddr) -> String {
    match config.tls {
        Some(_) => format!("https://{address}"),
        None => format!("http://{address}"),
    }
}

/// A fresh self-signed certificate for 127.0.0.1 and localhost.
pub fn self_signed() -> TlsIdentity {
    let names = vec!["127.0.0.1".to_owned(), "localhost".to_owned()];
    let certified = rcgen::generate_simple_self_signed(names).expect("a certificate");
    TlsIdentity {
        cert_pem: certified.cert.pem().into_bytes(),
        key_pem: certified.signing_key.serialize_pem().into_bytes(),
    }
}

/// The directory of the test texts.
/// Runs the `tongket` client binary with `--server URL args…`.
pub async fn tongket(server: &str, args: &[&str]) -> std::process::Output {
    tongket_with_args(["--server", server].iter().chain(args)).await
}

/// Runs the `tongket` client binary with exactly these arguments, off the
/// async runtime, which keeps serving the in-process server meanwhile. The
/// client's environment variables are removed so only the arguments count.
pub async fn tongket_with_args(
    args: impl IntoIterator<Item = impl AsRef<std::ffi::OsStr>>,
) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tongket"));
    command
        .args(args)
        .env_remove("TONGKET_SERVER")
        .env_remove("TONGKET_TOKEN");
    tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the blocking task runs")
        .expect("tongket runs")
}

pub fn data_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(relative)
}

/// A test text: a real report from `tests/data/reports/` or a text written
/// for one test in `tests/data/texts/`.
pub fn report_text(name: &str) -> String {
    let real = data_path(&format!("reports/{name}"));
    let path = if real.exists() {
        real
    } else {
        data_path(&format!("texts/{name}"))
    };
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// Every real report in `tests/data/reports/`, as (file name, text).
pub fn all_report_texts() -> Vec<(String, String)> {
    let mut names: Vec<String> = std::fs::read_dir(data_path("reports"))
        .expect("tests/data/reports exists")
        .map(|entry| {
            entry
                .expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".txt"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let text = report_text(&name);
            (name, text)
        })
        .collect()
}

/// The `google.rpc.BadRequest` field names of an error status.
pub fn violated_fields(status: &tonic::Status) -> Vec<String> {
    use tonic_types::StatusExt;
    status
        .get_details_bad_request()
        .map(|bad_request| {
            bad_request
                .field_violations
                .into_iter()
                .map(|violation| violation.field)
                .collect()
        })
        .unwrap_or_default()
}
