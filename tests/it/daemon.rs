//! The real `tongketd` process: it stops with exit status 0 on SIGTERM and
//! SIGINT, every acknowledged report survives a graceful stop and repeated
//! SIGKILLs at random points, and `tongketd check` then finds the indexes in
//! agreement with the records.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};

use tonic::transport::Channel;

use tongket::proto::report_service_client::ReportServiceClient;
use tongket::proto::{GetReportRequest, ListReportsRequest, ReportView, SubmitReportRequest};
use tongket::text::Normalized;

use crate::helpers::report_text;

/// A `tongketd` child process listening on a port of its own choosing.
struct Daemon {
    /// `None` once waited for.
    child: Option<Child>,
    address: String,
    /// Everything the daemon logged, for failure messages.
    log: Arc<Mutex<String>>,
}

impl Daemon {
    /// Starts `tongketd` on 127.0.0.1:0 and waits for its "serving" log line.
    async fn start(data_dir: &Path) -> Daemon {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tongketd"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--log-format",
                "json",
                "--data-dir",
            ])
            .arg(data_dir)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tongketd starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = Arc::new(Mutex::new(String::new()));
        let (address, rest) = tokio::task::spawn_blocking({
            let log = Arc::clone(&log);
            move || serving_address(stderr, &log)
        })
        .await
        .expect("the log reader runs");
        let address =
            address.unwrap_or_else(|| panic!("tongketd never served:\n{}", log.lock().unwrap()));
        // Keep draining the log so the daemon never blocks on a full pipe.
        let drain = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in rest.lines().map_while(Result::ok) {
                drain.lock().unwrap().push_str(&line);
                drain.lock().unwrap().push('\n');
            }
        });
        Daemon {
            child: Some(child),
            address,
            log,
        }
    }

    async fn client(&self) -> ReportServiceClient<Channel> {
        ReportServiceClient::connect(format!("http://{}", self.address))
            .await
            .expect("tongketd accepts connections")
    }

    /// Sends a signal with kill(1) and waits for the process to exit.
    async fn signal_and_wait(mut self, signal: &str) -> (ExitStatus, String) {
        let mut child = self.child.take().expect("the daemon is running");
        let pid = child.id().to_string();
        let sent = Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "kill {signal} {pid} failed");
        let status = tokio::task::spawn_blocking(move || child.wait())
            .await
            .unwrap()
            .expect("tongketd exits");
        let log = self.log.lock().unwrap().clone();
        (status, log)
    }
}

impl Drop for Daemon {
    /// A test that fails half-way leaves no process behind.
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Reads JSON log lines until the "serving" event; returns its address and
/// the reader for the rest.
fn serving_address<R: Read>(stderr: R, log: &Mutex<String>) -> (Option<String>, BufReader<R>) {
    let mut reader = BufReader::new(stderr);
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|read| read > 0) {
        log.lock().unwrap().push_str(&line);
        if let Ok(event) = serde_json::from_str::<serde_json::Value>(&line)
            && event["message"] == "serving"
        {
            let address = event["address"].as_str().map(str::to_owned);
            return (address, reader);
        }
        line.clear();
    }
    (None, reader)
}

async fn submit_all(client: &ReportServiceClient<Channel>, texts: Vec<String>) -> Vec<String> {
    let calls = texts.into_iter().map(|text| {
        let mut client = client.clone();
        tokio::spawn(async move {
            let request = SubmitReportRequest {
                text,
                ..Default::default()
            };
            client
                .submit_report(request)
                .await
                .expect("the submission is acknowledged")
                .into_inner()
        })
    });
    let mut ids = Vec::new();
    for call in calls.collect::<Vec<_>>() {
        ids.push(call.await.unwrap().report.unwrap().id);
    }
    ids
}

async fn assert_all_stored(client: &mut ReportServiceClient<Channel>, ids: &[String]) {
    for id in ids {
        let request = GetReportRequest {
            id: id.clone(),
            view: 0,
        };
        client
            .get_report(request)
            .await
            .unwrap_or_else(|status| panic!("report {id} was lost: {status:?}"));
    }
    let listed = client
        .list_reports(ListReportsRequest {
            page_size: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        listed.total_size as usize,
        ids.len(),
        "the indexes list every stored report"
    );
}

fn variants(count: usize) -> Vec<String> {
    let base = report_text("son_tra_2023.txt");
    (0..count)
        .map(|n| format!("{base}\nBản lưu số {n}."))
        .collect()
}

#[tokio::test]
async fn tongketd_stops_on_sigterm_and_sigint_with_exit_status_zero_keeping_its_data() {
    let data_dir = tempfile::tempdir().unwrap();
    let daemon = Daemon::start(data_dir.path()).await;
    let ids = submit_all(&daemon.client().await, variants(5)).await;

    let (status, log) = daemon.signal_and_wait("-TERM").await;
    assert!(status.success(), "SIGTERM: {status:?}\n{log}");
    assert!(log.contains("stopped"), "{log}");

    let daemon = Daemon::start(data_dir.path()).await;
    assert_all_stored(&mut daemon.client().await, &ids).await;
    let (status, log) = daemon.signal_and_wait("-INT").await;
    assert!(status.success(), "SIGINT: {status:?}\n{log}");
}

/// A small xorshift generator; the seed is printed with any failure.
struct Random(u64);

impl Random {
    fn seeded() -> Random {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        Random(u64::from(nanos) | 1)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

/// Every acknowledged report is stored with exactly the normalised text sent.
async fn assert_byte_for_byte(
    client: &mut ReportServiceClient<Channel>,
    acknowledged: &[(String, String)],
    seed: u64,
) {
    for (id, text) in acknowledged {
        let request = GetReportRequest {
            id: id.clone(),
            view: ReportView::Full.into(),
        };
        let stored = client
            .get_report(request)
            .await
            .unwrap_or_else(|status| {
                panic!("seed {seed}: acknowledged report {id} was lost: {status:?}")
            })
            .into_inner();
        assert_eq!(&stored.text, text, "seed {seed}: report {id} changed");
    }
}

#[tokio::test]
async fn acknowledged_reports_survive_sigkill_at_random_points_and_indexes_agree() {
    let data_dir = tempfile::tempdir().unwrap();
    let mut random = Random::seeded();
    let seed = random.0;
    let base = report_text("son_lien_2023.txt");
    let mut acknowledged: Vec<(String, String)> = Vec::new();

    for round in 0..3 {
        let daemon = Daemon::start(data_dir.path()).await;
        let mut client = daemon.client().await;
        assert_byte_for_byte(&mut client, &acknowledged, seed).await;

        // Four writers submit new texts until the server dies under them.
        let (acks, mut received) = tokio::sync::mpsc::unbounded_channel();
        let writers: Vec<_> = (0..4)
            .map(|writer| {
                let (mut client, acks, base) = (client.clone(), acks.clone(), base.clone());
                tokio::spawn(async move {
                    for n in 0.. {
                        let text = format!("{base}\nVòng {round}, người gửi {writer}, bản {n}.");
                        let request = SubmitReportRequest {
                            text: text.clone(),
                            ..Default::default()
                        };
                        let Ok(response) = client.submit_report(request).await else {
                            break;
                        };
                        let id = response.into_inner().report.unwrap().id;
                        let _ = acks.send((id, Normalized::new(&text).into_string()));
                    }
                })
            })
            .collect();
        drop(acks);
        let kill_after = 5 + random.below(40);
        for _ in 0..kill_after {
            acknowledged.push(received.recv().await.expect("the writers are running"));
        }
        let (status, _) = daemon.signal_and_wait("-KILL").await;
        assert!(!status.success());
        for writer in writers {
            writer.await.unwrap();
        }
        while let Ok(ack) = received.try_recv() {
            acknowledged.push(ack);
        }
        // Straight after the kill, before anything could tidy up.
        assert_indexes_agree(data_dir.path(), seed).await;
    }

    let daemon = Daemon::start(data_dir.path()).await;
    let mut client = daemon.client().await;
    assert_byte_for_byte(&mut client, &acknowledged, seed).await;
    let (status, log) = daemon.signal_and_wait("-TERM").await;
    assert!(status.success(), "{log}");

    assert_indexes_agree(data_dir.path(), seed).await;
}

/// Runs `tongketd check` on a stopped server's data directory.
async fn assert_indexes_agree(data_dir: &Path, seed: u64) {
    let data = data_dir.to_owned();
    let checked = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_tongketd"))
            .arg("check")
            .arg("--data-dir")
            .arg(data)
            .output()
    })
    .await
    .unwrap()
    .expect("tongketd check runs");
    let summary = String::from_utf8_lossy(&checked.stdout);
    assert!(
        checked.status.success(),
        "seed {seed}: indexes disagree with records:\n{summary}"
    );
    assert!(
        summary.contains(" 0 missing or wrong")
            && summary.contains(" 0 stale")
            && summary.contains(" 0 missing, 0 extra, 0 indexed twice"),
        "{summary}"
    );
}
