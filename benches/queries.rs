//! The query benchmark: loads synthetic reports (texts from
//! `tongket::synth`, parsed by the real parser through `ImportReports`)
//! into a server on 127.0.0.1 with a temporary data directory, then measures
//! in one run the p50/p99 latency of GetReport (the floor), a filtered
//! ListReports, QueryIndicators, SearchReports and GetStatistics.
//!
//! `cargo bench --bench queries` loads 100,000 reports; set
//! `TONGKET_BENCH_REPORTS` for another size and `TONGKET_BENCH_QUERIES` for
//! the number of timed calls per kind (statistics run a tenth as often).
//! Everything is bounded: one loopback server, one client, a fixed count.

use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tonic::transport::{Channel, Endpoint};

use tongket::config::Config;
use tongket::proto::report_service_client::ReportServiceClient;
use tongket::proto::{
    GetReportRequest, GetStatisticsRequest, ListReportsRequest, OrganizationLevel,
    QueryIndicatorsRequest, ReportFilter, ReportView, SearchReportsRequest, SubmitReportRequest,
};
use tongket::store::Store;
use tongket::synth::{FIRST_YEAR, Generator};

const SEED: u64 = 2024;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

struct Latencies {
    name: &'static str,
    samples: Vec<Duration>,
    /// Rows, hits or reports the calls returned, summed (to show they did work).
    returned: usize,
}

impl Latencies {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.samples.clone();
        sorted.sort();
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

async fn load(client: &mut ReportServiceClient<Channel>, count: usize) -> anyhow::Result<Duration> {
    let generator = Generator::new(SEED);
    let started = Instant::now();
    const CHUNK: usize = 5000;
    let mut loaded = 0;
    while loaded < count {
        let end = (loaded + CHUNK).min(count);
        let items: Vec<SubmitReportRequest> = (loaded..end)
            .map(|i| SubmitReportRequest {
                text: generator.generate(i).text,
                source_name: format!("synthetic-{i}.txt"),
                ..Default::default()
            })
            .collect();
        let summary = client
            .import_reports(tokio_stream::iter(items))
            .await?
            .into_inner();
        anyhow::ensure!(
            summary.rejected == 0,
            "the server rejected synthetic texts: {:?}",
            summary.errors.first()
        );
        loaded = end;
        eprintln!(
            "loaded {loaded}/{count} in {:.0} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(started.elapsed())
}

async fn measure(count: usize, queries: usize) -> anyhow::Result<()> {
    let data_dir = tempfile::tempdir()?;
    let config = Config::with_data_dir(data_dir.path().join("data"));
    let store = Store::open(&config.data_dir)?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(tongket::server::run(config, store, listener, async {
        let _ = stopped.await;
    }));
    let channel = Endpoint::from_shared(format!("http://{address}"))?
        .connect()
        .await?;
    let mut client = ReportServiceClient::new(channel).max_decoding_message_size(64 * 1024 * 1024);

    let load_time = load(&mut client, count).await?;
    // The first search waits until the search index has caught up.
    let caught_up = Instant::now();
    client
        .search_reports(SearchReportsRequest {
            query: "nông thôn mới".into(),
            ..Default::default()
        })
        .await?;
    let index_wait = caught_up.elapsed();
    eprintln!(
        "search index caught up {:.1} s after the last import",
        index_wait.as_secs_f64()
    );

    let ids: Vec<String> = {
        let page = client
            .list_reports(ListReportsRequest {
                page_size: 1000,
                ..Default::default()
            })
            .await?
            .into_inner();
        page.reports.into_iter().map(|report| report.id).collect()
    };
    let years = (count / Generator::communes()).max(1);
    let mut picks = fastrand::Rng::with_seed(0x9E37_79B9_7F4A_7C15);
    let mut results = Vec::new();

    let mut floor = Latencies {
        name: "GetReport (floor)",
        samples: Vec::new(),
        returned: 0,
    };
    for _ in 0..queries {
        let id = ids[picks.usize(..ids.len())].clone();
        let started = Instant::now();
        let report = client
            .get_report(GetReportRequest {
                id,
                view: ReportView::Basic.into(),
            })
            .await?
            .into_inner();
        floor.samples.push(started.elapsed());
        floor.returned += usize::from(!report.id.is_empty());
    }
    results.push(floor);

    let mut list = Latencies {
        name: "ListReports (district + year + level)",
        samples: Vec::new(),
        returned: 0,
    };
    for _ in 0..queries {
        let (_, district, _) = Generator::place(picks.usize(..Generator::communes().min(count)));
        let year = FIRST_YEAR + picks.usize(..years) as i32;
        let started = Instant::now();
        let page = client
            .list_reports(ListReportsRequest {
                parent_name: district,
                report_year: year,
                level: OrganizationLevel::Commune.into(),
                page_size: 50,
                ..Default::default()
            })
            .await?
            .into_inner();
        list.samples.push(started.elapsed());
        list.returned += page.reports.len();
    }
    results.push(list);

    let mut by_province = Latencies {
        name: "ListReports (province + year)",
        samples: Vec::new(),
        returned: 0,
    };
    for _ in 0..queries {
        let (_, _, province) = Generator::place(picks.usize(..Generator::communes().min(count)));
        let year = FIRST_YEAR + picks.usize(..years) as i32;
        let started = Instant::now();
        let page = client
            .list_reports(ListReportsRequest {
                province,
                report_year: year,
                page_size: 50,
                ..Default::default()
            })
            .await?
            .into_inner();
        by_province.samples.push(started.elapsed());
        by_province.returned += page.reports.len();
    }
    results.push(by_province);

    let mut indicators = Latencies {
        name: "QueryIndicators (key + year + met=false)",
        samples: Vec::new(),
        returned: 0,
    };
    let keys = [
        "grain_output",
        "cattle_herd",
        "buffalo_herd",
        "pig_herd",
        "goat_herd",
        "health_insurance_coverage",
    ];
    for _ in 0..queries {
        let year = FIRST_YEAR + picks.usize(..years) as i32;
        let started = Instant::now();
        let page = client
            .query_indicators(QueryIndicatorsRequest {
                key: keys[picks.usize(..keys.len())].into(),
                year,
                met: Some(false),
                page_size: 50,
                ..Default::default()
            })
            .await?
            .into_inner();
        indicators.samples.push(started.elapsed());
        indicators.returned += page.rows.len();
    }
    results.push(indicators);

    let mut search = Latencies {
        name: "SearchReports (words or phrase, 10 hits)",
        samples: Vec::new(),
        returned: 0,
    };
    for i in 0..queries {
        let query = match i % 4 {
            0 => "nông thôn mới kiểu mẫu".to_string(),
            1 => "\"chuyển đổi số\"".to_string(),
            2 => format!(
                "\"{}\"",
                Generator::place(picks.usize(..Generator::communes().min(count))).0
            ),
            _ => "giải ngân vốn đầu tư công".to_string(),
        };
        let started = Instant::now();
        let page = client
            .search_reports(SearchReportsRequest {
                query,
                page_size: 10,
                ..Default::default()
            })
            .await?
            .into_inner();
        search.samples.push(started.elapsed());
        search.returned += page.hits.len();
    }
    results.push(search);

    let mut statistics = Latencies {
        name: "GetStatistics (every report)",
        samples: Vec::new(),
        returned: 0,
    };
    for _ in 0..(queries / 10).max(5) {
        let started = Instant::now();
        let stats = client
            .get_statistics(GetStatisticsRequest {
                filter: Some(ReportFilter::default()),
            })
            .await?
            .into_inner();
        statistics.samples.push(started.elapsed());
        statistics.returned += stats.report_count as usize;
    }
    results.push(statistics);

    let floor_p50 = results[0].percentile(50.0);
    let floor_p99 = results[0].percentile(99.0);
    println!(
        "\n{count} synthetic reports loaded in {:.0} s ({:.0} reports/s); search index caught up {:.1} s later",
        load_time.as_secs_f64(),
        count as f64 / load_time.as_secs_f64(),
        index_wait.as_secs_f64()
    );
    println!("| call | calls | p50 ms | p99 ms | p50 / floor | p99 / floor | returned per call |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for result in &results {
        let (p50, p99) = (result.percentile(50.0), result.percentile(99.0));
        println!(
            "| {} | {} | {:.2} | {:.2} | {:.1}× | {:.1}× | {:.1} |",
            result.name,
            result.samples.len(),
            ms(p50),
            ms(p99),
            p50.as_secs_f64() / floor_p50.as_secs_f64(),
            p99.as_secs_f64() / floor_p99.as_secs_f64(),
            result.returned as f64 / result.samples.len() as f64
        );
    }
    let _ = stop.send(());
    server.await??;
    Ok(())
}

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    let count = env_number("TONGKET_BENCH_REPORTS", 100_000);
    let queries = env_number("TONGKET_BENCH_QUERIES", 300);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(measure(count, queries))
}
