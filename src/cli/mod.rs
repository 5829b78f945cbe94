//! The `tongket` command line client: argument parsing and one function per
//! subcommand. `src/bin/tongket.rs` only calls [`run`].
//!
//! `parse` works locally with no server; every other subcommand talks to
//! the server named by `--server` (env `TONGKET_SERVER`) on a small
//! single-threaded runtime. Exit status: 0 on success, 1 when the answer is
//! "no" (`health` not SERVING), 2 on any error.

mod backup;
pub mod import;
mod query;

use std::future::Future;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use crate::client::{Connection, status_error};
use crate::{convert, parse, proto, text};

/// Imports, parses and queries Vietnamese year-end review reports.
#[derive(Debug, Parser)]
#[command(name = "tongket", version)]
pub struct Cli {
    #[command(flatten)]
    connection: Connection,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parses one file locally, with no server, and prints the report.
    Parse {
        /// The text file to parse.
        file: PathBuf,
        /// Print exactly one proto3 JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Prints one stored report.
    Get {
        /// The report's id (64 hex digits).
        id: String,
        /// Include the report's text.
        #[arg(long)]
        full: bool,
        /// Print the proto3 JSON object instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Lists stored reports matching filters, as a table or JSON.
    List(ListArgs),
    /// Deletes one stored report.
    Delete {
        /// The report's id (64 hex digits).
        id: String,
    },
    /// Asks the server whether it is serving; exit status 0 only if it is.
    Health,
    /// Full-text search over report texts ("quoted words" for a phrase).
    Search(query::SearchArgs),
    /// Rows of one indicator across reports, with thresholds and filters.
    Indicators(query::IndicatorArgs),
    /// One organisation's reports year by year, with indicator changes.
    History(query::HistoryArgs),
    /// Counts, ratings and per-indicator figures over matching reports.
    Stats(query::StatsArgs),
    /// Writes matching reports as JSON lines or CSV (one row per indicator).
    Export(query::ExportArgs),
    /// Follows created and deleted reports as they happen.
    Watch(query::WatchArgs),
    /// Re-parses every stored text with the server's parser.
    Reparse(query::ReparseArgs),
    /// Imports files and directories (.txt, .html, .docx, .jsonl; `-` for stdin).
    Import(import::ImportArgs),
    /// Writes every stored text with its metadata as JSON lines that
    /// `tongket import` restores (`-` for standard output).
    Backup(backup::BackupArgs),
}

#[derive(Debug, Args)]
struct ListArgs {
    #[command(flatten)]
    filter: query::FilterArgs,
    /// "report_year desc" (default), "report_year", "submitted_at", "submitted_at desc",
    /// "organization_name", "organization_name desc".
    #[arg(long)]
    order_by: Option<String>,
    /// Show at most this many reports; 0 shows every match.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Print one proto3 JSON object {reports, totalSize}.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LevelArg {
    Commune,
    Ward,
    Township,
    District,
    UrbanDistrict,
    Town,
    ProvincialCity,
    Province,
    Agency,
    SpecialZone,
}

impl From<LevelArg> for proto::OrganizationLevel {
    fn from(level: LevelArg) -> proto::OrganizationLevel {
        match level {
            LevelArg::Commune => proto::OrganizationLevel::Commune,
            LevelArg::Ward => proto::OrganizationLevel::Ward,
            LevelArg::Township => proto::OrganizationLevel::Township,
            LevelArg::District => proto::OrganizationLevel::District,
            LevelArg::UrbanDistrict => proto::OrganizationLevel::UrbanDistrict,
            LevelArg::Town => proto::OrganizationLevel::Town,
            LevelArg::ProvincialCity => proto::OrganizationLevel::ProvincialCity,
            LevelArg::Province => proto::OrganizationLevel::Province,
            LevelArg::Agency => proto::OrganizationLevel::Agency,
            LevelArg::SpecialZone => proto::OrganizationLevel::SpecialZone,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum KindArg {
    NewsArticle,
    OfficialReport,
    NotAReport,
}

impl From<KindArg> for proto::ReportKind {
    fn from(kind: KindArg) -> proto::ReportKind {
        match kind {
            KindArg::NewsArticle => proto::ReportKind::NewsArticle,
            KindArg::OfficialReport => proto::ReportKind::OfficialReport,
            KindArg::NotAReport => proto::ReportKind::NotAReport,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RatingArg {
    Excellent,
    Good,
    Completed,
    NotCompleted,
}

impl From<RatingArg> for proto::Rating {
    fn from(rating: RatingArg) -> proto::Rating {
        match rating {
            RatingArg::Excellent => proto::Rating::Excellent,
            RatingArg::Good => proto::Rating::Good,
            RatingArg::Completed => proto::Rating::Completed,
            RatingArg::NotCompleted => proto::Rating::NotCompleted,
        }
    }
}

/// Runs the client with the process's arguments.
pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let connection = &cli.connection;
    match cli.command {
        Command::Parse { file, json } => parse_file(&file, json),
        Command::Get { id, full, json } => block_on(get(connection, id, full, json)),
        Command::List(args) => block_on(list(connection, args)),
        Command::Delete { id } => block_on(delete(connection, id)),
        Command::Health => block_on(health(connection)),
        Command::Search(args) => block_on(query::search(connection, args)),
        Command::Indicators(args) => block_on(query::indicators(connection, args)),
        Command::History(args) => block_on(query::history(connection, args)),
        Command::Stats(args) => block_on(query::stats(connection, args)),
        Command::Export(args) => block_on(query::export(connection, args)),
        Command::Watch(args) => block_on(query::watch(connection, args)),
        Command::Reparse(args) => block_on(query::reparse(connection, args)),
        Command::Import(args) => block_on(import::run(connection, args)),
        Command::Backup(args) => block_on(backup::run(connection, args)),
    }
}

/// Runs one network command on a single-threaded runtime.
fn block_on<F: Future<Output = anyhow::Result<ExitCode>>>(command: F) -> anyhow::Result<ExitCode> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(command)
}

fn parse_file(file: &PathBuf, json: bool) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let raw = String::from_utf8(bytes)
        .with_context(|| format!("{} is not valid UTF-8", file.display()))?;
    let normalized = text::Normalized::new(&raw);
    let report = proto::Report::from(parse::parse(&normalized));
    let value = convert::to_json(&report);
    if json {
        println!("{}", serde_json::to_string(&value)?);
    } else {
        println!("{}", serde_json::to_string_pretty(&value)?);
    }
    Ok(ExitCode::SUCCESS)
}

async fn get(
    connection: &Connection,
    id: String,
    full: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut client = connection.connect().await?;
    let view = match full {
        true => proto::ReportView::Full,
        false => proto::ReportView::Basic,
    };
    let report = client
        .get_report(proto::GetReportRequest {
            id,
            view: view.into(),
        })
        .await
        .map_err(status_error)?
        .into_inner();
    if json {
        println!("{}", serde_json::to_string(&convert::to_json(&report))?);
    } else {
        print_summary(&report);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_summary(report: &proto::Report) {
    let organization = report.organization.clone().unwrap_or_default();
    let meeting = report.meeting.clone().unwrap_or_default();
    let rows = [
        ("id", report.id.clone()),
        (
            "kind",
            enum_name(proto::ReportKind::try_from(report.kind).map(|k| k.as_str_name())),
        ),
        ("title", report.title.clone()),
        ("organisation", organization_label(&organization)),
        (
            "parent",
            organization
                .parent
                .map(|parent| parent.name)
                .unwrap_or_default(),
        ),
        (
            "term",
            [organization.term, organization.term_period]
                .join(" ")
                .trim()
                .to_owned(),
        ),
        ("report year", year(report.report_year)),
        ("plan year", year(report.plan_year)),
        ("meeting", meeting.date),
        ("published on", report.published_on.clone()),
        ("indicators", report.indicators.len().to_string()),
        ("targets", report.targets.len().to_string()),
        (
            "source",
            report
                .source
                .clone()
                .map(|source| source.name)
                .unwrap_or_default(),
        ),
    ];
    for (label, value) in rows.iter().filter(|(_, value)| !value.is_empty()) {
        println!("{label:>13}  {value}");
    }
    for warning in &report.warnings {
        println!("{:>13}  {warning}", "warning");
    }
    if !report.text.is_empty() {
        println!("\n{}", report.text);
    }
}

async fn list(connection: &Connection, args: ListArgs) -> anyhow::Result<ExitCode> {
    let mut client = connection.connect().await?;
    let filter = proto::ReportFilter::from(args.filter);
    let mut request = proto::ListReportsRequest {
        organization_name: filter.organization_name,
        level: filter.level,
        parent_name: filter.parent_name,
        province: filter.province,
        report_year: filter.report_year,
        year_from: filter.year_from,
        year_to: filter.year_to,
        kind: filter.kind,
        rating: filter.rating,
        order_by: args.order_by.unwrap_or_default(),
        page_size: 0,
        page_token: String::new(),
        view: proto::ReportView::Basic.into(),
    };
    let limit = match args.limit {
        0 => usize::MAX,
        limit => limit,
    };
    let mut reports = Vec::new();
    let total_size = loop {
        request.page_size = i32::try_from(limit.saturating_sub(reports.len()))
            .unwrap_or(i32::MAX)
            .min(1000);
        let page = client
            .list_reports(request.clone())
            .await
            .map_err(status_error)?
            .into_inner();
        reports.extend(page.reports);
        if page.next_page_token.is_empty() || reports.len() >= limit {
            break page.total_size;
        }
        request.page_token = page.next_page_token;
    };
    if args.json {
        let response = proto::ListReportsResponse {
            reports,
            next_page_token: String::new(),
            total_size,
        };
        println!("{}", serde_json::to_string(&convert::to_json(&response))?);
    } else {
        if !reports.is_empty() {
            print_table(&reports);
        }
        println!("{} of {total_size} matching reports", reports.len());
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(reports: &[proto::Report]) {
    let rows: Vec<[String; 6]> = reports
        .iter()
        .map(|report| {
            let organization = report.organization.clone().unwrap_or_default();
            [
                report.id.chars().take(12).collect(),
                year(report.report_year),
                enum_name(proto::ReportKind::try_from(report.kind).map(|kind| kind.as_str_name()))
                    .trim_start_matches("REPORT_KIND_")
                    .to_lowercase(),
                organization_label(&organization),
                organization
                    .parent
                    .map(|parent| parent.name)
                    .unwrap_or_default(),
                report.title.chars().take(60).collect(),
            ]
        })
        .collect();
    let header = ["ID", "YEAR", "KIND", "ORGANISATION", "PARENT", "TITLE"].map(String::from);
    let mut widths = header.clone().map(|cell| cell.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
}

fn organization_label(organization: &proto::Organization) -> String {
    let level = proto::OrganizationLevel::try_from(organization.level)
        .ok()
        .filter(|level| *level != proto::OrganizationLevel::Unspecified)
        .map(|level| {
            level
                .as_str_name()
                .trim_start_matches("ORGANIZATION_LEVEL_")
                .to_lowercase()
        });
    match level {
        Some(level) if !organization.name.is_empty() => format!("{} ({level})", organization.name),
        _ => organization.name.clone(),
    }
}

fn enum_name(name: Result<&'static str, prost::UnknownEnumValue>) -> String {
    name.map(str::to_owned).unwrap_or_default()
}

fn year(year: i32) -> String {
    match year {
        0 => String::new(),
        year => year.to_string(),
    }
}

async fn delete(connection: &Connection, id: String) -> anyhow::Result<ExitCode> {
    let mut client = connection.connect().await?;
    client
        .delete_report(proto::DeleteReportRequest { id: id.clone() })
        .await
        .map_err(status_error)?;
    println!("deleted {id}");
    Ok(ExitCode::SUCCESS)
}

async fn health(connection: &Connection) -> anyhow::Result<ExitCode> {
    let mut client = HealthClient::new(connection.channel().await?);
    let response = client
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .map_err(status_error)?
        .into_inner();
    let status = ServingStatus::try_from(response.status).unwrap_or(ServingStatus::Unknown);
    println!("{}", status.as_str_name());
    Ok(match status {
        ServingStatus::Serving => ExitCode::SUCCESS,
        ServingStatus::Unknown | ServingStatus::NotServing | ServingStatus::ServiceUnknown => {
            ExitCode::from(1)
        }
    })
}
