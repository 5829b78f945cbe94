//! The query subcommands of `tongket`: `search`, `indicators`, `history`,
//! `stats`, `export` (JSON lines or CSV), `watch` and `reparse`. Each prints
//! a readable table by default and proto3 JSON with `--json`.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::{KindArg, LevelArg, RatingArg, organization_label, year};
use crate::client::{Connection, status_error};
use crate::query::export::CsvExport;
use crate::{convert, model, proto};

/// Which organisations: shared by every subcommand that filters by place.
#[derive(Debug, Clone, Args)]
pub(super) struct PlaceArgs {
    /// The organisation's name; case, diacritics and tone-mark placement do not matter.
    #[arg(long)]
    org: Option<String>,
    /// The parent unit's name, matched like --org.
    #[arg(long)]
    parent: Option<String>,
    /// The province's name, matched like --org.
    #[arg(long)]
    province: Option<String>,
    /// The organisation's level.
    #[arg(long, value_enum)]
    level: Option<LevelArg>,
}

impl PlaceArgs {
    fn level(&self) -> i32 {
        self.level
            .map(|level| proto::OrganizationLevel::from(level).into())
            .unwrap_or_default()
    }
}

/// Which years: one year, or an inclusive range.
#[derive(Debug, Clone, Args)]
pub(super) struct YearArgs {
    /// The year under review (with `indicators --targets`, the plan year).
    #[arg(long)]
    year: Option<i32>,
    /// The first year to include.
    #[arg(long)]
    from: Option<i32>,
    /// The last year to include.
    #[arg(long)]
    to: Option<i32>,
}

/// Filters shared by list, search, stats, export and watch.
#[derive(Debug, Clone, Args)]
pub(super) struct FilterArgs {
    #[command(flatten)]
    place: PlaceArgs,
    #[command(flatten)]
    years: YearArgs,
    /// Only texts of this kind (by default everything but not-a-report).
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
    /// The rating the organisation received.
    #[arg(long, value_enum)]
    rating: Option<RatingArg>,
}

impl From<FilterArgs> for proto::ReportFilter {
    fn from(args: FilterArgs) -> proto::ReportFilter {
        let level = args.place.level();
        proto::ReportFilter {
            organization_name: args.place.org.unwrap_or_default(),
            level,
            parent_name: args.place.parent.unwrap_or_default(),
            province: args.place.province.unwrap_or_default(),
            report_year: args.years.year.unwrap_or_default(),
            year_from: args.years.from.unwrap_or_default(),
            year_to: args.years.to.unwrap_or_default(),
            kind: args
                .kind
                .map(|kind| proto::ReportKind::from(kind).into())
                .unwrap_or_default(),
            rating: args
                .rating
                .map(|rating| proto::Rating::from(rating).into())
                .unwrap_or_default(),
        }
    }
}

#[derive(Debug, Args)]
pub(super) struct SearchArgs {
    /// The words to find; put "quoted words" in quotes for an exact phrase.
    query: String,
    #[command(flatten)]
    filter: FilterArgs,
    /// Show at most this many hits.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print one proto3 JSON object {hits, totalSize}.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(super) struct IndicatorArgs {
    /// The catalogue key ("cattle_herd", "grain_output", "poor_households"…).
    #[arg(long, required_unless_present = "name")]
    key: Option<String>,
    /// The indicator's name as written ("Đàn bò"), when it has no key.
    #[arg(long)]
    name: Option<String>,
    /// Query the targets set for a plan year instead of the year's results.
    #[arg(long)]
    targets: bool,
    #[command(flatten)]
    years: YearArgs,
    #[command(flatten)]
    place: PlaceArgs,
    #[arg(long)]
    min_value: Option<f64>,
    #[arg(long)]
    max_value: Option<f64>,
    /// Lowest achievement against plan, in %.
    #[arg(long)]
    min_percent: Option<f64>,
    /// Highest achievement against plan, in %.
    #[arg(long)]
    max_percent: Option<f64>,
    /// Only rows that met the plan.
    #[arg(long, conflicts_with = "missed")]
    met: bool,
    /// Only rows that missed the plan.
    #[arg(long)]
    missed: bool,
    /// "report_year" (default), "report_year desc", "value", "value desc",
    /// "percent_of_plan", "percent_of_plan desc", "organization_name".
    #[arg(long)]
    order_by: Option<String>,
    /// Show at most this many rows; 0 shows every match.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(super) struct HistoryArgs {
    /// The organisation's name ("Sơn Liên").
    name: String,
    #[arg(long, value_enum)]
    level: Option<LevelArg>,
    #[arg(long)]
    parent: Option<String>,
    #[arg(long)]
    province: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(super) struct StatsArgs {
    #[command(flatten)]
    filter: FilterArgs,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum ExportFormat {
    /// One proto3 JSON report per line.
    Jsonl,
    /// One row per indicator or target, for spreadsheets.
    Csv,
}

#[derive(Debug, Args)]
pub(super) struct ExportArgs {
    #[command(flatten)]
    filter: FilterArgs,
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    format: ExportFormat,
    /// Write here instead of standard output.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Include each report's text (JSON lines only).
    #[arg(long)]
    full: bool,
}

#[derive(Debug, Args)]
pub(super) struct WatchArgs {
    #[command(flatten)]
    filter: FilterArgs,
    /// Resume after this event's cursor ("0" replays every event).
    #[arg(long)]
    cursor: Option<String>,
    /// Stop after this many events (0: follow until interrupted).
    #[arg(long, default_value_t = 0)]
    count: usize,
    /// Print each event as one proto3 JSON object per line.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(super) struct ReparseArgs {
    /// Re-parse only records written by another parser version.
    #[arg(long)]
    only_outdated: bool,
}

fn print_json<M: prost::Message + prost::Name>(message: &M) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string(&convert::to_json(message))?);
    Ok(())
}

fn print_rows(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|cell| cell.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let header: Vec<String> = header.iter().map(|cell| cell.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
}

fn figure(value: Option<f64>) -> String {
    value.map(|v| format!("{v}")).unwrap_or_default()
}

pub(super) async fn search(connection: &Connection, args: SearchArgs) -> anyhow::Result<ExitCode> {
    let mut client = connection.connect().await?;
    let request = proto::SearchReportsRequest {
        query: args.query,
        filter: Some(args.filter.into()),
        page_size: i32::try_from(args.limit).unwrap_or(i32::MAX),
        page_token: String::new(),
    };
    let response = client
        .search_reports(request)
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        print_json(&response)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (bold, plain) = if std::io::stdout().is_terminal() {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    for hit in &response.hits {
        let organization = hit.organization.clone().unwrap_or_default();
        println!(
            "{:.2}  {}  {}  {}",
            hit.score,
            year(hit.report_year),
            organization_label(&organization),
            hit.report_id.chars().take(12).collect::<String>()
        );
        for snippet in &hit.snippets {
            let mut marked = String::new();
            let mut at = 0;
            for span in &snippet.highlights {
                let (start, end) = (span.start as usize, span.end as usize);
                if let (Some(before), Some(word)) = (
                    snippet.fragment.get(at..start),
                    snippet.fragment.get(start..end),
                ) {
                    marked.push_str(before);
                    marked.push_str(&format!("{bold}{word}{plain}"));
                    at = end;
                }
            }
            marked.push_str(snippet.fragment.get(at..).unwrap_or_default());
            println!("    {}", marked.replace('\n', " "));
        }
    }
    println!(
        "{} of {} matching reports",
        response.hits.len(),
        response.total_size
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn indicators(
    connection: &Connection,
    args: IndicatorArgs,
) -> anyhow::Result<ExitCode> {
    let mut client = connection.connect().await?;
    let mut request = proto::QueryIndicatorsRequest {
        key: args.key.unwrap_or_default(),
        name: args.name.unwrap_or_default(),
        targets: args.targets,
        year: args.years.year.unwrap_or_default(),
        year_from: args.years.from.unwrap_or_default(),
        year_to: args.years.to.unwrap_or_default(),
        level: args.place.level(),
        organization_name: args.place.org.unwrap_or_default(),
        parent_name: args.place.parent.unwrap_or_default(),
        province: args.place.province.unwrap_or_default(),
        min_value: args.min_value,
        max_value: args.max_value,
        min_percent_of_plan: args.min_percent,
        max_percent_of_plan: args.max_percent,
        met: match (args.met, args.missed) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        page_size: 0,
        page_token: String::new(),
        order_by: args.order_by.unwrap_or_default(),
    };
    let limit = if args.limit == 0 {
        usize::MAX
    } else {
        args.limit
    };
    let mut rows = Vec::new();
    let total_size = loop {
        request.page_size = i32::try_from(limit.saturating_sub(rows.len()))
            .unwrap_or(i32::MAX)
            .min(1000);
        let page = client
            .query_indicators(request.clone())
            .await
            .map_err(status_error)?
            .into_inner();
        rows.extend(page.rows);
        if page.next_page_token.is_empty() || rows.len() >= limit {
            break page.total_size;
        }
        request.page_token = page.next_page_token;
    };
    if args.json {
        print_json(&proto::QueryIndicatorsResponse {
            rows,
            next_page_token: String::new(),
            total_size,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let organization = row.organization.clone().unwrap_or_default();
            let it = row.indicator.clone().unwrap_or_default();
            vec![
                year(if row.target && it.year != 0 {
                    it.year
                } else {
                    row.report_year
                }),
                organization_label(&organization),
                organization
                    .parent
                    .map(|parent| parent.name)
                    .unwrap_or_default(),
                it.name,
                figure(it.value),
                it.unit,
                figure(it.percent_of_plan),
                it.met
                    .map(|met| if met { "yes" } else { "no" }.to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    print_rows(
        &[
            "YEAR",
            "ORGANISATION",
            "PARENT",
            "NAME",
            "VALUE",
            "UNIT",
            "% PLAN",
            "MET",
        ],
        &table,
    );
    println!("{} of {total_size} matching rows", rows.len());
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn history(
    connection: &Connection,
    args: HistoryArgs,
) -> anyhow::Result<ExitCode> {
    let mut client = connection.connect().await?;
    let request = proto::GetOrganizationHistoryRequest {
        organization_name: args.name,
        level: args
            .level
            .map(|level| proto::OrganizationLevel::from(level).into())
            .unwrap_or_default(),
        parent_name: args.parent.unwrap_or_default(),
        province: args.province.unwrap_or_default(),
    };
    let history = client
        .get_organization_history(request)
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        print_json(&history)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}",
        organization_label(&history.organization.clone().unwrap_or_default())
    );
    for entry in &history.years {
        let rating = proto::Rating::try_from(entry.rating)
            .map(|rating| {
                rating
                    .as_str_name()
                    .trim_start_matches("RATING_")
                    .to_lowercase()
            })
            .unwrap_or_default();
        println!(
            "\n{}  {}  {}",
            entry.report_year,
            rating,
            entry.report_id.chars().take(12).collect::<String>()
        );
        let table: Vec<Vec<String>> = entry
            .indicators
            .iter()
            .map(|change| {
                let it = change.indicator.clone().unwrap_or_default();
                vec![
                    change.key.clone(),
                    figure(it.value),
                    it.unit,
                    figure(change.change.map(|c| (c * 100.0).round() / 100.0)),
                    figure(change.change_percent.map(|c| (c * 100.0).round() / 100.0)),
                ]
            })
            .collect();
        print_rows(&["  KEY", "VALUE", "UNIT", "CHANGE", "CHANGE %"], &table);
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn stats(connection: &Connection, args: StatsArgs) -> anyhow::Result<ExitCode> {
    let mut client = connection.connect().await?;
    let request = proto::GetStatisticsRequest {
        filter: Some(args.filter.into()),
    };
    let stats = client
        .get_statistics(request)
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        print_json(&stats)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("reports: {}", stats.report_count);
    let years: Vec<String> = stats
        .by_year
        .iter()
        .map(|y| format!("{}: {}", year(y.year), y.count))
        .collect();
    println!("by year: {}", years.join(", "));
    let ratings: Vec<String> = stats
        .ratings
        .iter()
        .map(|r| {
            let name = proto::Rating::try_from(r.rating)
                .map(|r| r.as_str_name())
                .unwrap_or_default();
            format!(
                "{}: {}",
                name.trim_start_matches("RATING_").to_lowercase(),
                r.count
            )
        })
        .collect();
    println!("ratings: {}", ratings.join(", "));
    let table: Vec<Vec<String>> = stats
        .indicators
        .iter()
        .map(|it| {
            let value = it.value.unwrap_or_default();
            let pop = it.percent_of_plan.unwrap_or_default();
            vec![
                it.key.clone(),
                it.count.to_string(),
                format!("{:.2}", value.mean),
                format!("{}", value.median),
                format!("{}–{}", value.min, value.max),
                it.unit.clone(),
                format!("{:.2}", pop.mean),
                format!("{:.0}%", it.met_share * 100.0),
            ]
        })
        .collect();
    print_rows(
        &[
            "KEY",
            "N",
            "MEAN",
            "MEDIAN",
            "RANGE",
            "UNIT",
            "MEAN % PLAN",
            "MET",
        ],
        &table,
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn export(connection: &Connection, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let mut client = connection.connect().await?;
    let view = if args.full {
        proto::ReportView::Full
    } else {
        proto::ReportView::Basic
    };
    let request = proto::ExportReportsRequest {
        filter: Some(args.filter.into()),
        view: view.into(),
    };
    let mut stream = client
        .export_reports(request)
        .await
        .map_err(status_error)?
        .into_inner();
    let out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    let mut count = 0usize;
    match args.format {
        ExportFormat::Jsonl => {
            while let Some(report) = stream.message().await.map_err(status_error)? {
                serde_json::to_writer(&mut out, &convert::to_json(&report))?;
                out.write_all(b"\n")?;
                count += 1;
            }
            out.flush()?;
        }
        ExportFormat::Csv => {
            let mut csv = CsvExport::new(out)?;
            while let Some(report) = stream.message().await.map_err(status_error)? {
                csv.write(&model::Report::from(report))?;
                count += 1;
            }
            csv.finish()?.flush()?;
        }
    }
    if let Some(path) = &args.out {
        eprintln!("exported {count} reports to {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn watch(connection: &Connection, args: WatchArgs) -> anyhow::Result<ExitCode> {
    let mut client = connection.connect().await?;
    let request = proto::WatchReportsRequest {
        filter: Some(args.filter.into()),
        cursor: args.cursor.unwrap_or_default(),
        view: proto::ReportView::Basic.into(),
    };
    let mut stream = client
        .watch_reports(request)
        .await
        .map_err(status_error)?
        .into_inner();
    let mut seen = 0;
    while let Some(event) = stream.message().await.map_err(status_error)? {
        if args.json {
            print_json(&event)?;
        } else {
            let kind = proto::ReportEventType::try_from(event.r#type)
                .map(|kind| {
                    kind.as_str_name()
                        .trim_start_matches("REPORT_EVENT_TYPE_")
                        .to_lowercase()
                })
                .unwrap_or_default();
            let about = event
                .report
                .as_ref()
                .map(|report| {
                    let organization = report.organization.clone().unwrap_or_default();
                    format!(
                        "{}  {}",
                        year(report.report_year),
                        organization_label(&organization)
                    )
                })
                .unwrap_or_default();
            println!("{}  {kind:<7}  {}  {about}", event.cursor, event.report_id);
        }
        std::io::stdout().flush()?;
        seen += 1;
        if args.count != 0 && seen >= args.count {
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn reparse(
    connection: &Connection,
    args: ReparseArgs,
) -> anyhow::Result<ExitCode> {
    let mut client = connection.connect().await?;
    let request = proto::ReparseReportsRequest {
        only_outdated: args.only_outdated,
    };
    let outcome = client
        .reparse_reports(request)
        .await
        .map_err(status_error)?
        .into_inner();
    println!(
        "re-parsed {} of {} reports with parser {}: {} changed, {} unchanged",
        outcome.total - outcome.skipped,
        outcome.total,
        outcome.parser_version,
        outcome.changed,
        outcome.unchanged
    );
    Ok(ExitCode::SUCCESS)
}
