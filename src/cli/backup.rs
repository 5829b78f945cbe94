//! `tongket backup FILE`: streams every stored text with its metadata as
//! JSON lines that `tongket import` reads back, so a restore is
//! `tongket import FILE` into an empty server.
//!
//! Each line holds `text`, `source_url` and `source_name` (what import
//! reads) and, for the record, `id`, `submitted_at` and `parser_version`
//! (import ignores them: the id is recomputed from the text, the time is the
//! restore's, the parser is the server's). The texts come from the
//! `ExportReports` stream in the FULL view, asked once for news articles and
//! official reports and once for NOT_A_REPORT texts, which a filter without
//! a kind leaves out. A file backup is written next to its destination and
//! renamed into place only once the whole stream has arrived.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use crate::client::{Connection, status_error};
use crate::proto;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the JSON lines; `-` writes them to standard output.
    file: PathBuf,
}

/// One line of a backup, in the order its fields are written.
#[derive(Debug, Serialize)]
struct Line<'a> {
    text: &'a str,
    source_url: &'a str,
    source_name: &'a str,
    id: &'a str,
    submitted_at: String,
    parser_version: &'a str,
}

impl<'a> Line<'a> {
    fn of(report: &'a proto::Report) -> Line<'a> {
        let source = report.source.as_ref();
        Line {
            text: &report.text,
            source_url: source.map_or("", |source| &source.url),
            source_name: source.map_or("", |source| &source.name),
            id: &report.id,
            submitted_at: source
                .and_then(|source| source.submitted_at)
                .map(|time| time.to_string())
                .unwrap_or_default(),
            parser_version: &report.parser_version,
        }
    }
}

/// Writes every stored report to `args.file` (or standard output).
pub async fn run(connection: &Connection, args: BackupArgs) -> anyhow::Result<ExitCode> {
    if args.file.as_os_str() == "-" {
        let mut out = BufWriter::new(std::io::stdout().lock());
        let count = write_all(connection, &mut out).await?;
        out.flush()?;
        eprintln!("backed up {count} reports");
        return Ok(ExitCode::SUCCESS);
    }
    let partial = partial_path(&args.file);
    let file =
        File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
    let mut out = BufWriter::new(file);
    let written = write_all(connection, &mut out).await.and_then(|count| {
        let file = out.into_inner().map_err(|error| error.into_error())?;
        file.sync_all()?;
        Ok(count)
    });
    let count = match written {
        Ok(count) => count,
        Err(error) => {
            // Best effort: the error that stopped the backup is the one to report.
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    std::fs::rename(&partial, &args.file).with_context(|| {
        format!(
            "cannot rename {} to {}",
            partial.display(),
            args.file.display()
        )
    })?;
    eprintln!("backed up {count} reports to {}", args.file.display());
    Ok(ExitCode::SUCCESS)
}

/// `backup.jsonl` → `backup.jsonl.partial`, in the same directory so the
/// final rename does not cross file systems.
fn partial_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// Streams every report, reports first and then NOT_A_REPORT texts, and
/// returns how many lines were written.
async fn write_all(connection: &Connection, out: &mut impl Write) -> anyhow::Result<usize> {
    let mut client = connection.connect().await?;
    let mut count = 0usize;
    for kind in [
        proto::ReportKind::Unspecified,
        proto::ReportKind::NotAReport,
    ] {
        let request = proto::ExportReportsRequest {
            filter: Some(proto::ReportFilter {
                kind: kind.into(),
                ..Default::default()
            }),
            view: proto::ReportView::Full.into(),
        };
        let mut stream = client
            .export_reports(request)
            .await
            .map_err(status_error)?
            .into_inner();
        while let Some(report) = stream.message().await.map_err(status_error)? {
            serde_json::to_writer(&mut *out, &Line::of(&report))?;
            out.write_all(b"\n")?;
            count += 1;
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_carries_the_fields_import_reads_first_then_the_record() {
        let report = proto::Report {
            id: "ab".repeat(32),
            text: "Báo cáo \"tổng kết\"\nnăm 2023".to_owned(),
            parser_version: "7".to_owned(),
            source: Some(proto::Source {
                url: "https://a.vn/1".to_owned(),
                name: "bao-cao.txt".to_owned(),
                submitted_at: Some(prost_types::Timestamp {
                    seconds: 1_700_000_000,
                    nanos: 0,
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let line = serde_json::to_string(&Line::of(&report)).unwrap();
        let expected = serde_json::json!({
            "text": report.text,
            "source_url": "https://a.vn/1",
            "source_name": "bao-cao.txt",
            "id": report.id,
            "submitted_at": "2023-11-14T22:13:20Z",
            "parser_version": "7",
        });
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&line).unwrap(),
            expected
        );
        assert!(line.starts_with("{\"text\":"), "{line}");
        let document = crate::ingest::jsonl::read("b.jsonl", line.as_bytes()).unwrap();
        assert_eq!(document.submissions[0].text, report.text);
        assert_eq!(document.submissions[0].source_name, "bao-cao.txt");
    }

    #[test]
    fn the_partial_file_sits_next_to_the_backup() {
        assert_eq!(
            partial_path(Path::new("/tmp/x/b.jsonl")),
            PathBuf::from("/tmp/x/b.jsonl.partial")
        );
    }
}
