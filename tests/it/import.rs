//! `tongket import` against a real server: a directory holding every
//! format, a second run that creates nothing, a JSON lines file with a broken
//! line, a file longer than one batch, a dry run, standard input and the exit
//! status through the real binary, and imports during which the server is
//! stopped gracefully, or its process killed, and started again on the same
//! port and data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use clap::Parser;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

use tongket::cli::import::{self, Event, ImportArgs, Observer};
use tongket::client::Connection;
use tongket::config::Config;
use tongket::ingest::outcome::{Status, Summary};
use tongket::proto::{GetReportRequest, Report, ReportView};
use tongket::store::{ReportId, Store};
use tongket::text::Normalized;

use crate::helpers::{TestApp, data_path};

/// `tongket import ARGS...`'s flags, parsed as the command line would.
#[derive(Parser)]
struct ImportCommand {
    #[command(flatten)]
    args: ImportArgs,
}

fn args(arguments: &[&str]) -> ImportArgs {
    let command = ["import", "--progress", "none"].iter().chain(arguments);
    ImportCommand::try_parse_from(command)
        .expect("valid import flags")
        .args
}

/// Passes every event on to a channel, so a test can see what happened.
struct Recorder(mpsc::UnboundedSender<Event>);

impl Observer for Recorder {
    fn on(&self, event: Event) -> impl Future<Output = ()> + Send + '_ {
        let _ = self.0.send(event);
        std::future::ready(())
    }
}

fn recorder() -> (Arc<Recorder>, mpsc::UnboundedReceiver<Event>) {
    let (sender, receiver) = mpsc::unbounded_channel();
    (Arc::new(Recorder(sender)), receiver)
}

fn connection(server: String) -> Connection {
    Connection {
        server,
        token: None,
        ca_cert: None,
    }
}

async fn run_import(url: String, arguments: &[&str]) -> Summary {
    let (observer, _events) = recorder();
    import::import(&connection(url), &args(arguments), observer)
        .await
        .expect("the server is reachable")
}

/// Each file's status by its name relative to `root`.
fn statuses(summary: &Summary, root: &Path) -> BTreeMap<String, Status> {
    summary
        .files
        .iter()
        .map(|file| {
            let name = Path::new(&file.path)
                .strip_prefix(root)
                .expect("a file under root");
            (name.display().to_string(), file.status)
        })
        .collect()
}

/// The stored report for a text, fetched by the id the text must have.
async fn stored(app: &mut TestApp, text: &str) -> Report {
    let id = ReportId::of_text(&Normalized::new(text)).to_hex();
    app.client
        .get_report(GetReportRequest {
            id,
            view: ReportView::Full.into(),
        })
        .await
        .expect("the report is stored")
        .into_inner()
}

fn read_only(path: &Path) -> String {
    let format = tongket::ingest::Format::of_path(path).expect("a supported file");
    let bytes = std::fs::read(path).expect("a readable fixture");
    let document = tongket::ingest::read_bytes(format, &path.display().to_string(), &bytes)
        .expect("a readable document");
    assert_eq!(document.submissions.len(), 1);
    document.submissions[0].text.clone()
}

/// Every format at once: the readable files are stored, the JSON lines file
/// is partly imported with its bad lines named, the PDF and the Windows-1258
/// text are rejected with their reasons, and the exit status says so.
#[tokio::test]
async fn importing_a_directory_of_every_format_stores_what_it_can_and_names_the_rest() {
    let mut app = TestApp::spawn().await;
    let root = data_path("ingest/mixed");

    let summary = run_import(app.url(), &[root.to_str().unwrap()]).await;

    let expected: BTreeMap<String, Status> = [
        ("2024/bao-cao-scan.pdf", Status::Rejected),
        ("2024/son-thuong-windows-1258.txt", Status::Rejected),
        ("2024/son-tra-so-ket.htm", Status::Created),
        ("bao-cao-phuoc-son.docx", Status::Created),
        ("export.jsonl", Status::Partial),
        ("son-lien-2023.txt", Status::Created),
        ("thach-son-tong-ket.html", Status::Created),
    ]
    .into_iter()
    .map(|(name, status)| (name.to_owned(), status))
    .collect();
    assert_eq!(statuses(&summary, &root), expected);
    assert_eq!(summary.totals.created, 6);
    assert_eq!(summary.totals.rejected, 2, "the two bad JSON lines");
    assert!(!summary.is_success());
    assert_eq!(app.store.len().unwrap(), 6);

    let reason = |name: &str| {
        let path = root.join(name).display().to_string();
        let file = summary
            .files
            .iter()
            .find(|file| file.path == path)
            .expect("the file is listed");
        file.reason.clone().unwrap_or_default()
    };
    assert!(reason("2024/bao-cao-scan.pdf").starts_with("unsupported file type \".pdf\""));
    assert!(reason("2024/son-thuong-windows-1258.txt").starts_with("not valid UTF-8"));
    let jsonl = &summary
        .files
        .iter()
        .find(|file| file.path.ends_with("export.jsonl"))
        .unwrap();
    let bad_lines: Vec<Option<u32>> = jsonl.errors.iter().map(|error| error.line).collect();
    assert_eq!(bad_lines, [Some(2), Some(5)]);
    assert_eq!((jsonl.created, jsonl.rejected), (2, 2));

    // The page's canonical link is the report's source URL, and its chrome is gone.
    let page = root.join("thach-son-tong-ket.html");
    let report = stored(&mut app, &read_only(&page)).await;
    let source = report.source.expect("a source");
    assert_eq!(
        source.url,
        "https://thachha.example.gov.vn/tin-tuc/dang-bo-xa-thach-son-tong-ket-2023-12345.html"
    );
    assert_eq!(source.name, page.display().to_string());
    assert!(
        report
            .text
            .starts_with("Đảng bộ xã Thạch Sơn tổng kết công tác xây dựng Đảng năm 2023\n")
    );
    for chrome in [
        "Trang chủ",
        "Lượt xem",
        "Tin liên quan",
        "Thạch Ngọc",
        "Tin mới nhất",
        "Gửi bình luận",
        "Tổng truy cập",
        "Cơ quan chủ quản",
    ] {
        assert!(
            !report.text.contains(chrome),
            "{chrome:?} left in {:?}",
            report.text
        );
    }

    // The Word report's indicator table reads one row per line.
    let docx = stored(&mut app, &read_only(&root.join("bao-cao-phuoc-son.docx"))).await;
    assert!(
        docx.text
            .contains("\n2 | Đàn bò | con | 840 | 856 | 101,9\n"),
        "{:?}",
        docx.text
    );
    assert!(
        !docx.text.contains("Trang 1"),
        "the page footer is not body text"
    );
}

/// A second run finds every readable file already there and stores nothing new.
#[tokio::test]
async fn importing_the_same_directory_twice_creates_nothing_the_second_time() {
    let app = TestApp::spawn().await;
    let root = data_path("ingest/mixed");
    let first = run_import(app.url(), &[root.to_str().unwrap(), "--concurrency", "3"]).await;
    let stored_after_first = app.store.len().unwrap();

    let second = run_import(app.url(), &[root.to_str().unwrap(), "--concurrency", "1"]).await;

    assert_eq!(second.totals.created, 0);
    assert_eq!(second.totals.duplicates, first.totals.created);
    assert_eq!(app.store.len().unwrap(), stored_after_first);
    let already_there: Vec<&str> = second
        .files
        .iter()
        .filter(|file| file.status == Status::Duplicate)
        .map(|file| file.path.as_str())
        .collect();
    let created_first: Vec<&str> = first
        .files
        .iter()
        .filter(|file| file.status == Status::Created)
        .map(|file| file.path.as_str())
        .collect();
    assert_eq!(already_there, created_first);
}

/// The good lines around a broken one are stored, each named after its line.
#[tokio::test]
async fn a_broken_json_line_is_reported_by_number_and_the_other_lines_are_stored() {
    let mut app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.jsonl");
    let lines = [
        r#"{"text": "Đảng ủy xã Ba Tơ tổng kết năm 2023.", "source_url": "https://bato.example.vn/1"}"#,
        r#"{"text": "Đảng ủy xã Ba Vì tổng kết năm 2023.", "source_url": "#,
        r#"{"text": "Đảng ủy xã Ba Bể tổng kết năm 2023."}"#,
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();

    let summary = run_import(app.url(), &[path.to_str().unwrap()]).await;

    let file = &summary.files[0];
    assert_eq!(file.status, Status::Partial);
    assert_eq!((file.reports, file.created, file.rejected), (2, 2, 1));
    assert_eq!(file.errors.len(), 1);
    assert_eq!(file.errors[0].line, Some(2));
    assert!(
        file.errors[0].message.starts_with("not valid JSON"),
        "{:?}",
        file.errors[0]
    );
    let first = stored(&mut app, "Đảng ủy xã Ba Tơ tổng kết năm 2023.")
        .await
        .source
        .unwrap();
    assert_eq!(
        (first.url.as_str(), first.name),
        (
            "https://bato.example.vn/1",
            format!("{}#L1", path.display())
        )
    );
    let third = stored(&mut app, "Đảng ủy xã Ba Bể tổng kết năm 2023.")
        .await
        .source
        .unwrap();
    assert_eq!(third.name, format!("{}#L3", path.display()));
    assert_eq!(app.store.len().unwrap(), 2);
}

/// `--dry-run` has every text checked and stores none of them.
#[tokio::test]
async fn a_dry_run_checks_every_file_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let root = data_path("ingest/mixed");

    let summary = run_import(app.url(), &[root.to_str().unwrap(), "--dry-run"]).await;

    assert!(summary.dry_run);
    assert_eq!(summary.totals.files_valid, 4);
    assert_eq!(summary.totals.valid, 4 + 2, "four files and two JSON lines");
    assert_eq!(summary.totals.created, 0);
    assert_eq!(app.store.len().unwrap(), 0);
}

/// `-` reads one text from standard input; the exit status is 0 only when
/// every file went in, and 1 when one was rejected.
#[tokio::test]
async fn the_binary_imports_standard_input_and_exits_non_zero_on_a_rejected_file() {
    let mut app = TestApp::spawn().await;
    let url = app.url();
    let text = "Đảng ủy xã Sơn Kỳ tổ chức hội nghị tổng kết công tác Đảng năm 2023.";
    let bad = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    let bad_path = bad.path().to_path_buf();
    let summary_dir = tempfile::tempdir().unwrap();
    let summary_path = summary_dir.path().join("summary.json");
    let summary_file = summary_path.clone();

    let (from_stdin, with_bad_file) = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut child = Command::new(env!("CARGO_BIN_EXE_tongket"))
            .args(["--server", &url, "import", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the client starts");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let from_stdin = child.wait_with_output().unwrap();
        let with_bad_file = Command::new(env!("CARGO_BIN_EXE_tongket"))
            .args(["--server", &url, "import", "--summary-json"])
            .arg(&summary_path)
            .arg(&bad_path)
            .output()
            .expect("the client runs");
        (from_stdin, with_bad_file)
    })
    .await
    .unwrap();

    assert_eq!(
        from_stdin.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&from_stdin.stderr)
    );
    let stdout = String::from_utf8_lossy(&from_stdin.stdout);
    assert!(stdout.contains("Created (1):\n  -\n"), "{stdout}");
    assert_eq!(stored(&mut app, text).await.source.unwrap().name, "-");

    assert_eq!(with_bad_file.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&with_bad_file.stdout);
    assert!(
        stdout.contains(&format!(
            "Rejected (1):\n  {}: unsupported file type \".pdf\"",
            bad.path().display()
        )),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&with_bad_file.stderr);
    assert!(
        stderr.contains("[1/1] rejected"),
        "plain progress lines when not on a terminal: {stderr}"
    );

    // --summary-json writes every file's outcome for scripts.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&summary_file).unwrap()).expect("JSON");
    assert_eq!(json["totals"]["files_rejected"], 1);
    assert_eq!(json["files"][0]["path"], bad.path().display().to_string());
    assert_eq!(json["files"][0]["status"], "rejected");
    assert!(
        json["files"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("unsupported file type")
    );
}

// ------------------------------------------------------- restart mid-import

/// A server of our own on a fixed address and data directory, so that it
/// can be started again where the client expects it.
struct Server {
    store: Store,
    shutdown: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), tongket::server::RunError>>,
}

impl Server {
    /// Serves `data_dir` on a listener already bound.
    fn start(data_dir: &Path, listener: TcpListener) -> Server {
        let config = Config::with_data_dir(data_dir);
        let store = Store::open(&config.data_dir).expect("the store opens");
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(tongket::server::run(
            config,
            store.clone(),
            listener,
            async {
                let _ = stop.await;
            },
        ));
        Server {
            store,
            shutdown,
            task,
        }
    }

    /// Stops the server and waits until its store is closed.
    async fn stop(self) {
        let _ = self.shutdown.send(());
        self.task
            .await
            .expect("the server does not panic")
            .expect("the server stops cleanly");
        let released = self.store.released();
        drop(self.store);
        released.await;
    }
}

/// Passes events on, and holds the import after its first finished file
/// until the test says go.
struct HoldAfterFirstFile {
    events: mpsc::UnboundedSender<Event>,
    hold: Mutex<Option<(oneshot::Sender<()>, oneshot::Receiver<()>)>>,
}

impl Observer for HoldAfterFirstFile {
    fn on(&self, event: Event) -> impl Future<Output = ()> + Send + '_ {
        let hold = match event {
            Event::FileDone(_) => self.hold.lock().unwrap().take(),
            _ => None,
        };
        let _ = self.events.send(event);
        async move {
            if let Some((reached, resume)) = hold {
                let _ = reached.send(());
                let _ = resume.await;
            }
        }
    }
}

/// An import of a directory, one file at a time, that holds after its first
/// finished file until `resume` is sent.
struct HeldImport {
    seen: mpsc::UnboundedReceiver<Event>,
    first_file_done: oneshot::Receiver<()>,
    resume: oneshot::Sender<()>,
    importing: tokio::task::JoinHandle<anyhow::Result<Summary>>,
}

impl HeldImport {
    fn start(dir: &Path, address: std::net::SocketAddr, retries: u32) -> HeldImport {
        let (events, seen) = mpsc::unbounded_channel();
        let (reached, first_file_done) = oneshot::channel();
        let (resume, resumed) = oneshot::channel();
        let observer = Arc::new(HoldAfterFirstFile {
            events,
            hold: Mutex::new(Some((reached, resumed))),
        });
        let retries = retries.to_string();
        let arguments = args(&[
            dir.to_str().unwrap(),
            "--concurrency",
            "1",
            "--retry-backoff",
            "20ms",
            "--retries",
            &retries,
        ]);
        let connection = connection(format!("http://{address}"));
        let importing =
            tokio::spawn(async move { import::import(&connection, &arguments, observer).await });
        HeldImport {
            seen,
            first_file_done,
            resume,
            importing,
        }
    }
}

/// The server stops after the first file is acknowledged and comes back on
/// the same port and data: the client retries, every file ends up stored
/// exactly once, and the counts add up.
#[tokio::test]
async fn an_import_survives_a_server_restart_without_duplicates() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().join("data");
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = Server::start(&data_dir, listener);

    let files = tempfile::tempdir().unwrap();
    let communes = [
        "Sơn Liên",
        "Sơn Trà",
        "Sơn Bua",
        "Thạch Sơn",
        "Phước Sơn",
        "Ba Tơ",
    ];
    let paths: Vec<PathBuf> = communes
        .iter()
        .enumerate()
        .map(|(n, commune)| {
            let path = files.path().join(format!("{n}.txt"));
            let text =
                format!("Đảng ủy xã {commune} tổ chức hội nghị tổng kết công tác Đảng năm 2023.");
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();

    let HeldImport {
        mut seen,
        first_file_done,
        resume,
        importing,
    } = HeldImport::start(files.path(), address, 20);
    first_file_done
        .await
        .expect("the first file is acknowledged");
    server.stop().await;
    resume.send(()).unwrap();
    // Wait until the client has found the server gone, then bring it back.
    let mut finished = 0;
    loop {
        match seen.recv().await.expect("the import goes on") {
            Event::Retrying { .. } => break,
            Event::FileDone(outcome) => {
                finished += 1;
                assert_eq!(
                    finished, 1,
                    "a file finished while the server was down: {outcome:?}"
                );
            }
            Event::Started { .. } => {}
        }
    }
    let listener = TcpListener::bind(address)
        .await
        .expect("the port is free again");
    let server = Server::start(&data_dir, listener);
    let summary = importing.await.unwrap().expect("the import finishes");

    assert!(summary.is_success(), "{summary:#?}");
    assert_eq!(summary.totals.files_created, paths.len() as u32);
    assert_eq!(summary.totals.created, paths.len() as u32);
    assert!(
        summary.files.iter().any(|file| file.attempts > 1),
        "some file was sent again"
    );
    assert_eq!(server.store.len().unwrap(), paths.len());
    server.stop().await;
}

/// A JSON lines file longer than one batch goes in several streams, and a
/// report the server refuses in a later batch is still named by its line.
#[tokio::test]
async fn a_long_json_lines_file_goes_in_batches_and_refusals_keep_their_line_numbers() {
    let app = TestApp::spawn_with(|config| config.max_text_bytes = 300).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.jsonl");
    let lines: Vec<String> = (1..=2 * import::BATCH + 50)
        .map(|line| match line {
            120 => "{\"text\": ".to_owned(),
            350 => serde_json::json!({ "text": "Đảng ủy xã quá dài. ".repeat(20) }).to_string(),
            _ => {
                serde_json::json!({ "text": format!("Báo cáo số {line} của Đảng ủy xã Sơn Liên.") })
                    .to_string()
            }
        })
        .collect();
    std::fs::write(&path, lines.join("\n")).unwrap();

    let summary = run_import(app.url(), &[path.to_str().unwrap()]).await;

    let file = &summary.files[0];
    let total = lines.len() as u32;
    assert_eq!(file.status, Status::Partial);
    assert_eq!(
        (file.reports, file.created, file.rejected),
        (total - 1, total - 2, 2)
    );
    let refused: Vec<Option<u32>> = file.errors.iter().map(|error| error.line).collect();
    assert_eq!(refused, [Some(120), Some(350)]);
    assert!(
        file.errors[1].message.contains("300"),
        "the server names its limit: {:?}",
        file.errors[1]
    );
    assert_eq!(app.store.len().unwrap(), (total - 2) as usize);
}

/// A `tongketd` process on a fixed port: killed without warning and started
/// again on the same port and data directory.
struct Daemon(std::process::Child);

impl Daemon {
    fn start(data_dir: &Path, address: std::net::SocketAddr) -> Daemon {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_tongketd"))
            .arg("--listen")
            .arg(address.to_string())
            .arg("--data-dir")
            .arg(data_dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("tongketd starts");
        Daemon(child)
    }

    /// SIGKILL: no drain, no flush.
    fn kill(mut self) {
        self.0.kill().expect("tongketd can be killed");
        self.0.wait().expect("tongketd exits");
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The server process is killed after the first file is acknowledged and
/// started again: the client finds the connection broken, retries until the
/// new process answers, and every file is stored once.
#[tokio::test]
async fn an_import_survives_the_server_process_being_killed() {
    let data = tempfile::tempdir().unwrap();
    let address = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let daemon = Daemon::start(data.path(), address);

    let files = tempfile::tempdir().unwrap();
    for n in 0..4 {
        let text = format!("Đảng ủy xã số {n} tổ chức hội nghị tổng kết công tác Đảng năm 2023.");
        std::fs::write(files.path().join(format!("{n}.txt")), text).unwrap();
    }
    // The client waits for the daemon to listen by retrying its connection.
    let HeldImport {
        mut seen,
        first_file_done,
        resume,
        importing,
    } = HeldImport::start(files.path(), address, 40);
    first_file_done
        .await
        .expect("the first file is acknowledged");
    daemon.kill();
    resume.send(()).unwrap();
    loop {
        match seen.recv().await.expect("the import goes on") {
            Event::Retrying { path, .. } if path.ends_with(".txt") => break,
            Event::FileDone(outcome) => {
                assert_eq!(
                    outcome.path,
                    files.path().join("0.txt").display().to_string()
                );
            }
            Event::Retrying { .. } | Event::Started { .. } => {}
        }
    }
    let daemon = Daemon::start(data.path(), address);
    let summary = importing.await.unwrap().expect("the import finishes");

    assert!(summary.is_success(), "{summary:#?}");
    assert_eq!(summary.totals.created, 4);
    assert!(summary.files.iter().any(|file| file.attempts > 1));
    drop(daemon);
    let store = Store::open(data.path()).expect("the data directory opens");
    assert_eq!(store.len().unwrap(), 4);
}
