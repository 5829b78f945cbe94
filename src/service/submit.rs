//! The write side: `SubmitReport`, `ParseReport` and `ImportReports`.
//!
//! A text is checked (not empty, within `--max-text-bytes`), normalised
//! once, identified by the SHA-256 of its normalised form, parsed and, unless
//! `validate_only`, stored. A write is acknowledged only after the store's
//! flush returns. In `ImportReports`, an item with `validate_only` is checked
//! and parsed but not stored, and counts among `duplicates` (not created).
//! An import's items become durable with one flush before its response.

use std::collections::VecDeque;

use tokio::task::JoinHandle;
use tonic::Streaming;

use super::ReportApi;
use crate::error::{Error, Violation, describe};
use crate::model::{self, Report};
use crate::store::{ReportId, Store};
use crate::{parse, proto, text};

/// One submission being checked, parsed and stored on the blocking pool.
type Stored = JoinHandle<Result<(Report, bool), Error>>;

/// Longest accepted `source_url`, in bytes.
const MAX_SOURCE_URL_BYTES: usize = 4096;
/// Longest accepted `source_name`, in bytes.
const MAX_SOURCE_NAME_BYTES: usize = 1024;

impl ReportApi {
    #[tracing::instrument(name = "submit_report", skip_all, fields(report_id, created, validate_only = request.validate_only))]
    pub(super) async fn submit(
        &self,
        request: proto::SubmitReportRequest,
    ) -> Result<proto::SubmitReportResponse, Error> {
        let validate_only = request.validate_only;
        let (report, created) = self.store_one(request).await?;
        if !validate_only {
            // Also on a duplicate: the first writer may not have flushed yet.
            self.store.flush().await?;
        }
        let span = tracing::Span::current();
        span.record("report_id", report.id.as_str());
        span.record("created", created);
        tracing::info!(kind = ?report.parsed.kind, "report submitted");
        Ok(proto::SubmitReportResponse {
            report: Some(basic(report)),
            created,
        })
    }

    #[tracing::instrument(name = "parse_report", skip_all)]
    pub(super) async fn parse(
        &self,
        request: proto::ParseReportRequest,
    ) -> Result<proto::Report, Error> {
        let max_text_bytes = self.max_text_bytes;
        let submission = proto::SubmitReportRequest {
            text: request.text,
            ..Default::default()
        };
        let mut report =
            tokio::task::spawn_blocking(move || build_report(submission, max_text_bytes)).await??;
        report.source.submitted_at_ms = 0;
        Ok(basic(report))
    }

    #[tracing::instrument(
        name = "import_reports",
        skip_all,
        fields(received, created, duplicates, rejected)
    )]
    pub(super) async fn import(
        &self,
        mut stream: Streaming<proto::SubmitReportRequest>,
    ) -> Result<proto::ImportReportsResponse, Error> {
        let mut summary = proto::ImportReportsResponse::default();
        // Items being parsed and stored on the blocking pool, oldest first:
        // several at once so every core parses, answered in stream order.
        let mut pending: VecDeque<(u32, String, Stored)> = VecDeque::new();
        let mut ended = false;
        let outcome = loop {
            if !ended && pending.len() < self.import_parallelism {
                match stream.message().await {
                    Ok(Some(item)) => {
                        let index = summary.received;
                        summary.received += 1;
                        let source_name = item.source_name.clone();
                        pending.push_back((index, source_name, self.spawn_store_one(item)));
                    }
                    Ok(None) => ended = true,
                    Err(status) => {
                        // The stream itself broke (an oversized or undecodable
                        // message, a reset): what came before is kept.
                        ended = true;
                        summary.errors.push(proto::ImportError {
                            index: summary.received,
                            source_name: String::new(),
                            message: format!("the stream broke: {}", status.message()),
                        });
                        summary.received += 1;
                        summary.rejected += 1;
                    }
                }
                continue;
            }
            let Some((index, source_name, stored)) = pending.pop_front() else {
                break Ok(());
            };
            match stored
                .await
                .map_err(Error::from)
                .and_then(|outcome| outcome)
            {
                Ok((_, true)) => summary.created += 1,
                Ok((_, false)) => summary.duplicates += 1,
                Err(Error::InvalidArgument(violations)) => {
                    tracing::info!(index, source_name, "import item rejected");
                    summary.rejected += 1;
                    summary.errors.push(proto::ImportError {
                        index,
                        source_name,
                        message: describe(&violations),
                    });
                }
                Err(Error::Task(failure)) if failure.is_panic() => {
                    // A parser bug on one text must not cost the others.
                    tracing::error!(index, source_name, "the parser panicked on an import item");
                    summary.rejected += 1;
                    summary.errors.push(proto::ImportError {
                        index,
                        source_name,
                        message:
                            "the parser failed on this text (a bug in tongket; please report it)"
                                .into(),
                    });
                }
                Err(other) => break Err(other),
            }
        };
        // Items still in flight after a failure finish before the flush.
        for (_, _, stored) in pending {
            let _ = stored.await;
        }
        // Whatever was stored is made durable, even if the stream ends in an error.
        self.store.flush().await?;
        let span = tracing::Span::current();
        span.record("received", summary.received);
        span.record("created", summary.created);
        span.record("duplicates", summary.duplicates);
        span.record("rejected", summary.rejected);
        outcome.map(|()| summary)
    }

    /// Checks, parses and (unless `validate_only`) stores one submission.
    /// Returns the stored report and whether it is new. Does not flush.
    async fn store_one(
        &self,
        request: proto::SubmitReportRequest,
    ) -> Result<(Report, bool), Error> {
        self.spawn_store_one(request).await?
    }

    /// [`ReportApi::store_one`] started on the blocking pool.
    fn spawn_store_one(&self, request: proto::SubmitReportRequest) -> Stored {
        let store: Store = self.store.clone();
        let max_text_bytes = self.max_text_bytes;
        tokio::task::spawn_blocking(move || {
            let validate_only = request.validate_only;
            let report = build_report(request, max_text_bytes)?;
            if validate_only {
                return Ok((report, false));
            }
            let inserted = store.insert(&report)?;
            Ok((inserted.report, inserted.created))
        })
    }
}

/// Checks a submission and turns it into a report with identity and source.
fn build_report(
    request: proto::SubmitReportRequest,
    max_text_bytes: usize,
) -> Result<Report, Error> {
    let mut violations = Vec::new();
    if request.text.len() > max_text_bytes {
        violations.push(Violation::new(
            "text",
            format!(
                "is {} bytes, over the server's limit of {max_text_bytes} bytes (--max-text-bytes)",
                request.text.len()
            ),
        ));
    } else if request.text.trim().is_empty() {
        violations.push(Violation::new(
            "text",
            "must not be empty or only whitespace",
        ));
    } else if let Some((at, control)) = request
        .text
        .char_indices()
        .find(|(_, c)| forbidden_control(*c))
    {
        violations.push(Violation::new(
            "text",
            format!(
                "contains the control character U+{:04X} at byte {at}; send plain text",
                u32::from(control)
            ),
        ));
    }
    if request.source_url.len() > MAX_SOURCE_URL_BYTES {
        violations.push(Violation::new(
            "source_url",
            format!("must be at most {MAX_SOURCE_URL_BYTES} bytes"),
        ));
    }
    if request.source_name.len() > MAX_SOURCE_NAME_BYTES {
        violations.push(Violation::new(
            "source_name",
            format!("must be at most {MAX_SOURCE_NAME_BYTES} bytes"),
        ));
    }
    if !violations.is_empty() {
        return Err(Error::InvalidArgument(violations));
    }
    let normalized = text::Normalized::new(&request.text);
    let id = ReportId::of_text(&normalized).to_hex();
    let parsed = parse::parse(&normalized);
    let chars = u32::try_from(normalized.as_str().chars().count()).unwrap_or(u32::MAX);
    Ok(Report {
        id: id.clone(),
        parsed,
        source: model::Source {
            url: request.source_url,
            name: request.source_name,
            submitted_at_ms: now_ms(),
            sha256: id,
            chars,
        },
        parser_version: parse::PARSER_VERSION.to_owned(),
        text: normalized.into_string(),
    })
}

/// ASCII control characters no plain text has: NUL, DEL and the C0 codes
/// other than tab, line feed, vertical tab, form feed and carriage return.
/// (C1 codes are let through: mis-decoded Windows-1252 text has them.)
fn forbidden_control(c: char) -> bool {
    matches!(c, '\0'..='\u{1f}' | '\u{7f}') && !matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

/// The BASIC view: every parsed field, no text.
pub(super) fn basic(report: Report) -> proto::Report {
    let mut wire = proto::Report::from(report);
    wire.text.clear();
    wire
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}
