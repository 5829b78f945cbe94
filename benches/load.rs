//! The load and durability benchmark. One run, one in-process server on
//! 127.0.0.1:0 with a temporary data directory:
//!
//! 1. imports N synthetic reports (`tongket::synth`, parsed by the real
//!    parser) through `ImportReports`, timing it and reading the process's
//!    peak RSS (VmHWM, reset just before the import);
//! 2. measures disk bytes per stored report against the text's bytes;
//! 3. for a bounded time per cell at each concurrency, measures throughput
//!    and p50/p99 latency (hdrhistogram) of `grpc.health.v1.Health/Check`
//!    (the transport floor), durable `SubmitReport` (a new text every call),
//!    `GetReport` and a filtered `ListReports`, each throughput also as a
//!    ratio to the floor at the same concurrency, and the process's peak
//!    RSS during each cell (VmHWM reset at its start);
//! 4. stops the server and times start-up with N reports stored:
//!    `Store::open`, then until Health/Check answers SERVING and until the
//!    first search answers (the search index is in step).
//!
//! `cargo bench --bench load` uses N = 100,000, 3 s per cell and
//! concurrency 1, 8, 32, 64; `TONGKET_BENCH_REPORTS`,
//! `TONGKET_BENCH_SECONDS` and `TONGKET_BENCH_CONCURRENCY` (`1,8,32,64`)
//! change them; `TONGKET_BENCH_CALLS` (e.g. `health,get`) measures only
//! some of the calls (`health`, `parse`, `submit`, `get`, `list`);
//! `TONGKET_BENCH_CACHE_MB` sets sled's page cache as `tongketd --cache-mb`
//! does (default 64); `TONGKET_BENCH_DATA_DIR=DIR` keeps the data directory in DIR, and a DIR
//! that already holds reports is used as it is, without an import (for
//! profiling one kind of call again and again); with `RUST_LOG` set (e.g.
//! `RUST_LOG=warn`) the server's log goes to stderr. Workers share one HTTP/2 connection per 8 of them. The
//! client runs in the same process and on the same cores as the server, so
//! the peak RSS includes the client's (small) share.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::{Channel, Endpoint};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use tongket::config::Config;
use tongket::proto::report_service_client::ReportServiceClient;
use tongket::proto::{
    GetReportRequest, ListReportsRequest, OrganizationLevel, ParseReportRequest, ReportView,
    SearchReportsRequest, SubmitReportRequest,
};
use tongket::store::Store;
use tongket::synth::{FIRST_YEAR, Generator};

const SEED: u64 = 2024;
/// Texts per `ImportReports` stream.
const CHUNK: usize = 2000;
/// Import streams in flight at once (like `tongket import -j 4`).
const IMPORT_STREAMS: usize = 4;
/// Workers per HTTP/2 connection.
const WORKERS_PER_CONNECTION: usize = 8;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn concurrencies() -> Vec<usize> {
    std::env::var("TONGKET_BENCH_CONCURRENCY")
        .ok()
        .map(|value| {
            value
                .split(',')
                .filter_map(|n| n.trim().parse().ok())
                .collect()
        })
        .filter(|levels: &Vec<usize>| !levels.is_empty())
        .unwrap_or_else(|| vec![1, 8, 32, 64])
}

/// A field of /proc/self/status in bytes ("VmHWM", "VmRSS").
fn proc_status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches(" kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kb| kb * 1024)
}

/// CPU time this process has used (user + system), from /proc/self/stat
/// in clock ticks of 10 ms.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |index: usize| {
        fields
            .get(index)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // Fields 14 and 15 (utime, stime) are the 12th and 13th after the name.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// Starts peak-RSS accounting afresh (Linux: writing 5 to clear_refs).
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Apparent bytes of every file below `dir`, and of those below `dir/sub`.
fn disk_bytes(dir: &Path, sub: &str) -> (u64, u64) {
    let (mut all, mut inside) = (0, 0);
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if let Ok(metadata) = entry.metadata()
            && metadata.is_file()
        {
            all += metadata.len();
            if entry.path().starts_with(dir.join(sub)) {
                inside += metadata.len();
            }
        }
    }
    (all, inside)
}

/// Bytes of keys plus values in every sled tree, largest first: what the
/// store holds, against the files it takes.
fn logical_bytes(data_dir: &Path) -> anyhow::Result<Vec<(String, u64)>> {
    let db = sled::open(data_dir)?;
    let mut trees = Vec::new();
    for name in db.tree_names() {
        let tree = db.open_tree(&name)?;
        let mut bytes = 0u64;
        for entry in tree.iter() {
            let (key, value) = entry?;
            bytes += (key.len() + value.len()) as u64;
        }
        trees.push((String::from_utf8_lossy(&name).into_owned(), bytes));
    }
    trees.sort_by_key(|(_, bytes)| std::cmp::Reverse(*bytes));
    Ok(trees)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

struct Server {
    address: std::net::SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), tongket::server::RunError>>,
    released: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>,
}

/// Starts a server on the data directory; also returns how long the store
/// took to open and how many reports it holds.
async fn start(data_dir: &Path) -> anyhow::Result<(Server, Duration, usize)> {
    let mut config = Config::with_data_dir(data_dir.to_path_buf());
    // As `tongketd --cache-mb` does.
    if let Some(mb) = std::env::var("TONGKET_BENCH_CACHE_MB")
        .ok()
        .and_then(|mb| mb.parse::<u64>().ok())
    {
        config.cache_bytes = mb * 1024 * 1024;
    }
    let opening = Instant::now();
    let store = Store::open_with(&config.data_dir, config.cache_bytes)?;
    let opened = opening.elapsed();
    let stored = store.len()?;
    let released = Box::pin(store.released());
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(tongket::server::run(config, store, listener, async {
        let _ = stopped.await;
    }));
    Ok((
        Server {
            address,
            stop,
            task,
            released,
        },
        opened,
        stored,
    ))
}

impl Server {
    async fn channel(&self) -> anyhow::Result<Channel> {
        Ok(Endpoint::from_shared(format!("http://{}", self.address))?
            .connect()
            .await?)
    }

    async fn shut_down(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.task.await??;
        self.released.await;
        Ok(())
    }
}

fn report_client(channel: Channel) -> ReportServiceClient<Channel> {
    ReportServiceClient::new(channel).max_decoding_message_size(64 * 1024 * 1024)
}

struct Imported {
    wall: Duration,
    cpu: Duration,
    text_bytes: u64,
    peak_rss: u64,
    peak_reset: bool,
}

/// Imports texts `0..count` in chunks over a few concurrent streams.
async fn import(channel: &Channel, count: usize) -> anyhow::Result<Imported> {
    let peak_reset = reset_peak_rss();
    let next = Arc::new(AtomicUsize::new(0));
    let text_bytes = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let cpu_before = cpu_time();
    let mut streams = Vec::new();
    for _ in 0..IMPORT_STREAMS {
        let mut client = report_client(channel.clone());
        let (next, text_bytes) = (next.clone(), text_bytes.clone());
        streams.push(tokio::spawn(async move {
            let generator = Generator::new(SEED);
            loop {
                let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                if start >= count {
                    return anyhow::Ok(());
                }
                let end = (start + CHUNK).min(count);
                let text_bytes = text_bytes.clone();
                let generator = generator.clone();
                // Texts are made as the stream is sent, not held in memory.
                let items = tokio_stream::iter((start..end).map(move |i| {
                    let text = generator.generate(i).text;
                    text_bytes.fetch_add(text.len(), Ordering::Relaxed);
                    SubmitReportRequest {
                        text,
                        source_name: format!("synthetic-{i}.txt"),
                        ..Default::default()
                    }
                }));
                let summary = client.import_reports(items).await?.into_inner();
                anyhow::ensure!(
                    summary.rejected == 0,
                    "the server rejected synthetic texts: {:?}",
                    summary.errors.first()
                );
                if end % 10_000 < CHUNK {
                    eprintln!("imported {end}/{count}");
                }
            }
        }));
    }
    for stream in streams {
        stream.await??;
    }
    Ok(Imported {
        wall: started.elapsed(),
        cpu: cpu_time() - cpu_before,
        text_bytes: text_bytes.load(Ordering::Relaxed) as u64,
        peak_rss: proc_status_bytes("VmHWM"),
        peak_reset,
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Call {
    Health,
    Parse,
    Submit,
    Get,
    List,
}

impl Call {
    const ALL: [Call; 5] = [
        Call::Health,
        Call::Parse,
        Call::Submit,
        Call::Get,
        Call::List,
    ];

    fn word(self) -> &'static str {
        match self {
            Call::Health => "health",
            Call::Parse => "parse",
            Call::Submit => "submit",
            Call::Get => "get",
            Call::List => "list",
        }
    }

    /// The calls `TONGKET_BENCH_CALLS` names, or all of them.
    fn chosen() -> Vec<Call> {
        let Ok(words) = std::env::var("TONGKET_BENCH_CALLS") else {
            return Call::ALL.to_vec();
        };
        let words: Vec<String> = words.split(',').map(|w| w.trim().to_lowercase()).collect();
        Call::ALL
            .into_iter()
            .filter(|call| words.iter().any(|word| word == call.word()))
            .collect()
    }

    fn name(self) -> &'static str {
        match self {
            Call::Health => "Health/Check (floor)",
            Call::Parse => "ParseReport (parse only, new text)",
            Call::Submit => "SubmitReport (durable, new text)",
            Call::Get => "GetReport (BASIC)",
            Call::List => "ListReports (district+year+level, 50)",
        }
    }
}

/// What the workers of one cell share.
struct Shared {
    ids: Vec<String>,
    stored: usize,
    next_text: AtomicUsize,
    /// Texts for ParseReport, which stores nothing: far beyond the others.
    next_parse: AtomicUsize,
    generator: Generator,
}

async fn one_call(
    call: Call,
    channel: &Channel,
    shared: &Shared,
    picks: &mut fastrand::Rng,
) -> anyhow::Result<Duration> {
    let started;
    match call {
        Call::Health => {
            let mut client = HealthClient::new(channel.clone());
            started = Instant::now();
            let status = client
                .check(HealthCheckRequest::default())
                .await?
                .into_inner()
                .status;
            anyhow::ensure!(status == ServingStatus::Serving as i32, "not serving");
        }
        Call::Parse => {
            let mut client = report_client(channel.clone());
            let i = shared.next_parse.fetch_add(1, Ordering::Relaxed);
            let text = shared.generator.generate(i).text;
            started = Instant::now();
            let report = client
                .parse_report(ParseReportRequest { text })
                .await?
                .into_inner();
            anyhow::ensure!(!report.id.is_empty(), "an empty report");
        }
        Call::Submit => {
            let mut client = report_client(channel.clone());
            let i = shared.next_text.fetch_add(1, Ordering::Relaxed);
            let text = shared.generator.generate(i).text;
            started = Instant::now();
            let response = client
                .submit_report(SubmitReportRequest {
                    text,
                    source_name: format!("synthetic-{i}.txt"),
                    ..Default::default()
                })
                .await?
                .into_inner();
            anyhow::ensure!(response.created, "text {i} was stored before");
        }
        Call::Get => {
            let mut client = report_client(channel.clone());
            let id = shared.ids[picks.usize(..shared.ids.len())].clone();
            started = Instant::now();
            let report = client
                .get_report(GetReportRequest {
                    id,
                    view: ReportView::Basic.into(),
                })
                .await?
                .into_inner();
            anyhow::ensure!(!report.id.is_empty(), "an empty report");
        }
        Call::List => {
            let mut client = report_client(channel.clone());
            let years = (shared.stored / Generator::communes()).max(1);
            let (_, district, _) =
                Generator::place(picks.usize(..Generator::communes().min(shared.stored)));
            let year = FIRST_YEAR + picks.usize(..years) as i32;
            started = Instant::now();
            client
                .list_reports(ListReportsRequest {
                    parent_name: district,
                    report_year: year,
                    level: OrganizationLevel::Commune.into(),
                    page_size: 50,
                    ..Default::default()
                })
                .await?;
        }
    }
    Ok(started.elapsed())
}

struct Cell {
    call: Call,
    concurrency: usize,
    calls: u64,
    per_second: f64,
    p50: Duration,
    p99: Duration,
    /// The process's peak RSS during the cell (VmHWM reset at its start).
    peak_rss: u64,
}

async fn cell(
    server: &Server,
    shared: &Arc<Shared>,
    call: Call,
    concurrency: usize,
    seconds: f64,
) -> anyhow::Result<Cell> {
    let connections = concurrency.div_ceil(WORKERS_PER_CONNECTION);
    let mut channels = Vec::new();
    for _ in 0..connections {
        channels.push(server.channel().await?);
    }
    let duration = Duration::from_secs_f64(seconds);
    reset_peak_rss();
    let started = Instant::now();
    let deadline = started + duration;
    let mut workers = Vec::new();
    for worker in 0..concurrency {
        let channel = channels[worker % connections].clone();
        let shared = shared.clone();
        workers.push(tokio::spawn(async move {
            let mut histogram = Histogram::<u64>::new_with_bounds(1, 120_000_000, 3)?;
            let mut picks = fastrand::Rng::with_seed(
                0x9E37_79B9_7F4A_7C15 ^ ((worker as u64 + 1) * 0x2545_F491),
            );
            while Instant::now() < deadline {
                let elapsed = one_call(call, &channel, &shared, &mut picks).await?;
                histogram.saturating_record(elapsed.as_micros().max(1) as u64);
            }
            anyhow::Ok(histogram)
        }));
    }
    let mut total = Histogram::<u64>::new_with_bounds(1, 120_000_000, 3)?;
    for worker in workers {
        total.add(worker.await??)?;
    }
    let elapsed = started.elapsed();
    Ok(Cell {
        call,
        concurrency,
        calls: total.len(),
        per_second: total.len() as f64 / elapsed.as_secs_f64(),
        p50: Duration::from_micros(total.value_at_quantile(0.50)),
        p99: Duration::from_micros(total.value_at_quantile(0.99)),
        peak_rss: proc_status_bytes("VmHWM"),
    })
}

fn print_import(count: usize, imported: &Imported) {
    println!(
        "Import: {count} synthetic reports in {:.1} s ({:.0} reports/s), {IMPORT_STREAMS} streams of {CHUNK}; process CPU {:.1} s = {:.2} of the 2 cores' {:.1} s, {:.2} ms CPU per report",
        imported.wall.as_secs_f64(),
        count as f64 / imported.wall.as_secs_f64(),
        imported.cpu.as_secs_f64(),
        imported.cpu.as_secs_f64() / (2.0 * imported.wall.as_secs_f64()),
        2.0 * imported.wall.as_secs_f64(),
        ms(imported.cpu) / count as f64
    );
    println!(
        "Peak RSS during import: {:.0} MiB{}",
        mib(imported.peak_rss),
        if imported.peak_reset {
            ""
        } else {
            " (peak not reset: includes start-up)"
        },
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

async fn measure(count: usize, seconds: f64, levels: Vec<usize>) -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    let data_dir = match std::env::var_os("TONGKET_BENCH_DATA_DIR") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => temp.path().join("data"),
    };
    let (server, _, already) = start(&data_dir).await?;
    let channel = server.channel().await?;

    let imported = match already > 0 {
        true => {
            eprintln!("using the reports stored in {}", data_dir.display());
            None
        }
        false => {
            eprintln!("importing {count} synthetic reports");
            Some(import(&channel, count).await?)
        }
    };
    let (disk, search_disk) = disk_bytes(&data_dir, "search");
    let rss_after_import = proc_status_bytes("VmRSS");

    let ids: Vec<String> = report_client(channel.clone())
        .list_reports(ListReportsRequest {
            page_size: 1000,
            ..Default::default()
        })
        .await?
        .into_inner()
        .reports
        .into_iter()
        .map(|report| report.id)
        .collect();
    anyhow::ensure!(!ids.is_empty(), "nothing was stored");
    // Since the import's reset: the import and the listing after it.
    let peak_before_cells = proc_status_bytes("VmHWM");
    let rss_after_listing = proc_status_bytes("VmRSS");
    // Texts 0..count were imported, later ones submitted by earlier runs.
    let count = match imported {
        Some(_) => count,
        None => already,
    };
    let shared = Arc::new(Shared {
        ids,
        stored: count,
        next_text: AtomicUsize::new(count),
        next_parse: AtomicUsize::new(count + 10_000_000),
        generator: Generator::new(SEED),
    });

    let mut cells = Vec::new();
    for &concurrency in &levels {
        for call in Call::chosen() {
            let result = cell(&server, &shared, call, concurrency, seconds).await?;
            eprintln!(
                "c={concurrency:>3} {:<40} {:>8.0}/s p50 {:>7.2} ms p99 {:>7.2} ms peak RSS {:>4.0} MiB",
                call.name(),
                result.per_second,
                ms(result.p50),
                ms(result.p99),
                mib(result.peak_rss)
            );
            cells.push(result);
        }
    }
    let submitted = shared.next_text.load(Ordering::Relaxed) - count;
    let stored = count + submitted;
    // Each cell reset the peak: the run's is the largest of theirs and the import's.
    let peak_rss_all = cells
        .iter()
        .map(|cell| cell.peak_rss)
        .chain(imported.as_ref().map(|imported| imported.peak_rss))
        .chain([peak_before_cells, proc_status_bytes("VmHWM")])
        .max()
        .unwrap_or_default();
    server.shut_down().await?;

    // Start-up with everything stored.
    let (server, opened, _) = start(&data_dir).await?;
    let started = Instant::now();
    let mut health = loop {
        match server.channel().await {
            Ok(channel) => break HealthClient::new(channel),
            Err(_) => tokio::task::yield_now().await,
        }
    };
    loop {
        let serving = health
            .check(HealthCheckRequest::default())
            .await
            .map(|response| response.into_inner().status == ServingStatus::Serving as i32)
            .unwrap_or(false);
        if serving {
            break;
        }
    }
    let ready = started.elapsed();
    let mut client = report_client(server.channel().await?);
    client
        .search_reports(SearchReportsRequest {
            query: "nông thôn mới".into(),
            page_size: 1,
            ..Default::default()
        })
        .await?;
    let searchable = started.elapsed();
    server.shut_down().await?;
    let (disk_at_end, search_at_end) = disk_bytes(&data_dir, "search");
    let trees = logical_bytes(&data_dir)?;
    let logical: u64 = trees.iter().map(|(_, bytes)| bytes).sum();

    println!();
    match &imported {
        Some(imported) => print_import(count, imported),
        None => println!(
            "Import: none (the reports stored in {})",
            data_dir.display()
        ),
    }
    println!(
        "RSS after import {:.0} MiB, after listing 1,000 ids {:.0} MiB; peak over the whole run {:.0} MiB",
        mib(rss_after_import),
        mib(rss_after_listing),
        mib(peak_rss_all)
    );
    if let Some(imported) = &imported {
        println!(
            "Disk after import: {:.1} MiB for {:.1} MiB of text = {:.2}× (sled {:.1} MiB = {:.2}×, search index {:.1} MiB); {:.0} bytes per report",
            mib(disk),
            mib(imported.text_bytes),
            disk as f64 / imported.text_bytes as f64,
            mib(disk - search_disk),
            (disk - search_disk) as f64 / imported.text_bytes as f64,
            mib(search_disk),
            disk as f64 / count as f64
        );
    }
    println!(
        "At the end ({stored} reports): sled files {:.1} MiB holding {:.1} MiB of keys and values ({:.1}× space amplification); largest trees: {}",
        mib(disk_at_end - search_at_end),
        mib(logical),
        (disk_at_end - search_at_end) as f64 / logical as f64,
        trees
            .iter()
            .take(4)
            .map(|(name, bytes)| format!("{name} {:.1} MiB", mib(*bytes)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "Start-up with {stored} reports stored: Store::open {:.0} ms, SERVING {:.0} ms after open, first search answered {:.0} ms after open",
        ms(opened),
        ms(ready),
        ms(searchable)
    );
    println!();
    println!("| concurrency | call | calls | calls/s | ÷ floor | p50 ms | p99 ms | peak RSS MiB |");
    println!("|---:|---|---:|---:|---:|---:|---:|---:|");
    for result in &cells {
        let floor = cells
            .iter()
            .find(|floor| floor.call == Call::Health && floor.concurrency == result.concurrency)
            .map_or(f64::NAN, |floor| floor.per_second);
        println!(
            "| {} | {} | {} | {:.0} | {:.0}% | {:.2} | {:.2} | {:.0} |",
            result.concurrency,
            result.call.name(),
            result.calls,
            result.per_second,
            100.0 * result.per_second / floor,
            ms(result.p50),
            ms(result.p99),
            mib(result.peak_rss)
        );
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    // As tongketd does, before the runtime starts its threads.
    tongket::server::limit_malloc_arenas();
    // The server's own log (its errors name what failed) when asked for.
    if std::env::var_os("RUST_LOG").is_some() {
        tongket::telemetry::init(tongket::config::LogFormat::Text, std::io::stderr);
    }
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    let count = env_number("TONGKET_BENCH_REPORTS", 100_000);
    let seconds = env_number("TONGKET_BENCH_SECONDS", 3) as f64;
    let levels = concurrencies();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(measure(count, seconds, levels))
}
