//! `tongket import`: walks the given paths, reads each file through
//! [`crate::ingest`] and streams the texts to the server's `ImportReports`.
//!
//! Each file is sent on its own client stream (a JSON lines file in batches
//! of [`BATCH`] lines), `--concurrency` files at a time, so the server's
//! answer for a stream is the answer for that file. A stream that fails
//! because the server is unavailable (or went away mid-stream) is sent again
//! after a growing pause; batches already answered are not sent again.
//! Resending is safe because a report's id is the hash of its text: the
//! server stores it once. A report stored by an attempt that broke before
//! its answer came back is therefore counted as a duplicate by the retry.
//!
//! Progress goes to standard error (a bar on a terminal, one line per file
//! otherwise); the summary goes to standard output, and `--summary-json`
//! writes every file's outcome for scripts. Exit status 0 only when every
//! file was imported or was already there.

use std::collections::VecDeque;
use std::future::Future;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tonic::transport::Channel;
use tonic::{Code, Status};

use crate::client::{AuthChannel, Connection};
use crate::ingest::outcome::{FileOutcome, ItemError, Status as FileStatus, Summary, count};
use crate::ingest::{self, Input, ReadError, Submission};
use crate::proto::report_service_client::ReportServiceClient;
use crate::proto::{ImportReportsResponse, SubmitReportRequest};

/// The most reports sent on one stream; a longer JSON lines file is sent in
/// several streams, so a retry resends at most this many.
pub const BATCH: usize = 200;

/// The longest pause between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// Flags of `tongket import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// Files and directories to import (directories recursively): .txt,
    /// .html/.htm, .docx, .jsonl; `-` reads one text from standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// How many files to stream at once.
    #[arg(long, short = 'j', default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Have the server parse and check every text without storing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the outcome of every file as JSON to FILE (`-`: standard output,
    /// instead of the summary).
    #[arg(long, value_name = "FILE")]
    pub summary_json: Option<PathBuf>,
    /// How many times to try a file again while the server is unavailable.
    #[arg(long, default_value_t = 8)]
    pub retries: u32,
    /// The pause before the first retry ("250ms", "2s"); it doubles on each
    /// retry, up to 10s.
    #[arg(long, default_value = "250ms", value_parser = parse_duration)]
    pub retry_backoff: Duration,
    /// How to show progress on standard error: a bar on a terminal and one
    /// line per file otherwise (auto), or always a bar, lines or nothing.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    pub progress: ProgressMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressMode {
    Auto,
    Bar,
    Plain,
    None,
}

fn parse_duration(value: &str) -> Result<Duration, String> {
    let value = value.trim();
    let (number, scale) = if let Some(ms) = value.strip_suffix("ms") {
        (ms, 0.001)
    } else if let Some(s) = value.strip_suffix('s') {
        (s, 1.0)
    } else {
        (value, 0.001)
    };
    let number: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} is not a duration like 250ms or 2s"))?;
    if !(0.0..=3600.0).contains(&(number * scale)) {
        return Err(format!("{value:?} is out of range (0 to 1 hour)"));
    }
    Ok(Duration::from_secs_f64(number * scale))
}

/// What happens during an import, in the order it happens.
#[derive(Debug, Clone)]
pub enum Event {
    /// The paths were walked: this many files of this many bytes.
    Started { files: usize, bytes: u64 },
    /// A stream failed and will be sent again after `delay`.
    Retrying {
        path: String,
        attempt: u32,
        delay: Duration,
        error: String,
    },
    /// A file is finished; its outcome is final.
    FileDone(FileOutcome),
}

/// Watches an import. The import waits for each returned future before it
/// goes on, so an observer can hold the import at a given point.
pub trait Observer: Send + Sync + 'static {
    fn on(&self, event: Event) -> impl Future<Output = ()> + Send + '_;
}

/// Runs `tongket import` and prints its summary.
pub async fn run(connection: &Connection, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let display = Arc::new(Display::new(args.progress));
    let summary = import(connection, &args, Arc::clone(&display)).await?;
    display.finish();
    let json_to_stdout = args.summary_json.as_deref() == Some(std::path::Path::new("-"));
    if let Some(path) = &args.summary_json {
        let json = serde_json::to_string_pretty(&summary)?;
        if json_to_stdout {
            println!("{json}");
        } else {
            std::fs::write(path, json + "\n")
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    if !json_to_stdout {
        let mut stdout = std::io::stdout().lock();
        print_summary(&mut stdout, &summary)?;
    }
    Ok(if summary.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Imports every file under `args.paths` and returns what became of each.
/// Errors only when the server cannot be reached at all.
pub async fn import<O: Observer>(
    connection: &Connection,
    args: &ImportArgs,
    observer: Arc<O>,
) -> anyhow::Result<Summary> {
    let inputs = tokio::task::spawn_blocking({
        let paths = args.paths.clone();
        move || ingest::walk(&paths)
    })
    .await?;
    let bytes = inputs.iter().map(|input| input.bytes).sum();
    observer
        .on(Event::Started {
            files: inputs.len(),
            bytes,
        })
        .await;
    let client = connection
        .report_client(connect(connection, args, observer.as_ref()).await?)?
        .max_decoding_message_size(64 * 1024 * 1024)
        .max_encoding_message_size(usize::MAX);

    let total = inputs.len();
    let shared = Arc::new(Shared {
        queue: Mutex::new(inputs.into_iter().enumerate().collect()),
        done: Mutex::new(Vec::with_capacity(total)),
        client,
        args: args.clone(),
        observer,
    });
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..usize::from(args.concurrency).min(total.max(1)) {
        workers.spawn(worker(Arc::clone(&shared)));
    }
    while let Some(joined) = workers.join_next().await {
        joined.context("an import worker failed")?;
    }
    let mut done = std::mem::take(&mut *lock(&shared.done));
    done.sort_by_key(|(index, _)| *index);
    let files = done.into_iter().map(|(_, outcome)| outcome).collect();
    Ok(Summary::new(args.dry_run, files))
}

/// Connects, retrying while the server is not there yet; each retry is
/// reported as [`Event::Retrying`] with the server's address as the path.
async fn connect<O: Observer>(
    connection: &Connection,
    args: &ImportArgs,
    observer: &O,
) -> anyhow::Result<Channel> {
    let mut delay = args.retry_backoff;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match connection.channel().await {
            Ok(channel) => return Ok(channel),
            Err(error) if attempt <= args.retries => {
                observer
                    .on(Event::Retrying {
                        path: connection.server.clone(),
                        attempt,
                        delay,
                        error: format!("{error:#}"),
                    })
                    .await;
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(MAX_BACKOFF);
            }
            Err(error) => {
                return Err(error.context(format!("gave up after {attempt} attempts")));
            }
        }
    }
}

struct Shared<O> {
    queue: Mutex<VecDeque<(usize, Input)>>,
    done: Mutex<Vec<(usize, FileOutcome)>>,
    client: ReportServiceClient<AuthChannel>,
    args: ImportArgs,
    observer: Arc<O>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn worker<O: Observer>(shared: Arc<Shared<O>>) {
    loop {
        let next = lock(&shared.queue).pop_front();
        let Some((index, input)) = next else { break };
        let outcome = import_file(&shared, input).await;
        shared.observer.on(Event::FileDone(outcome.clone())).await;
        lock(&shared.done).push((index, outcome));
    }
}

async fn import_file<O: Observer>(shared: &Shared<O>, input: Input) -> FileOutcome {
    if let Err(error) = &input.format {
        return FileOutcome::unreadable(&input, error);
    }
    let reading = input.clone();
    let read = tokio::task::spawn_blocking(move || ingest::read(&reading))
        .await
        .unwrap_or_else(|crashed| Err(ReadError::Io(format!("the reader crashed: {crashed}"))));
    let document = match read {
        Ok(document) => document,
        Err(error) => return FileOutcome::unreadable(&input, &error),
    };
    let mut outcome = FileOutcome::read(&input, &document);
    for batch in document.submissions.chunks(BATCH) {
        match send(shared, &outcome.path, batch).await {
            Ok((response, attempts)) => {
                outcome.attempts = attempts;
                record(&mut outcome, batch, response, shared.args.dry_run);
            }
            Err((reason, attempts)) => {
                outcome.attempts = attempts;
                outcome.fail(reason);
                break;
            }
        }
    }
    outcome.settle(shared.args.dry_run);
    outcome
}

/// Adds one answered batch to the file's outcome.
fn record(
    outcome: &mut FileOutcome,
    batch: &[Submission],
    response: ImportReportsResponse,
    dry_run: bool,
) {
    outcome.created += response.created;
    if dry_run {
        // With validate_only nothing is stored: every accepted text counts
        // as "not created".
        outcome.valid += response.duplicates;
    } else {
        outcome.duplicates += response.duplicates;
    }
    outcome.rejected += response.rejected;
    for error in response.errors {
        let line = usize::try_from(error.index)
            .ok()
            .and_then(|index| batch.get(index))
            .and_then(|submission| submission.line);
        outcome.errors.push(ItemError {
            line,
            message: error.message,
        });
    }
    let unanswered = count(batch.len()).saturating_sub(response.received);
    if unanswered > 0 {
        outcome.rejected += unanswered;
        outcome.errors.push(ItemError {
            line: None,
            message: format!(
                "the server read only {} of {} reports",
                response.received,
                batch.len()
            ),
        });
    }
}

/// Sends one batch on its own stream, again and again while the server is
/// unavailable. Returns the answer and the number of attempts, or why it
/// could not be sent.
async fn send<O: Observer>(
    shared: &Shared<O>,
    path: &str,
    batch: &[Submission],
) -> Result<(ImportReportsResponse, u32), (String, u32)> {
    let mut delay = shared.args.retry_backoff;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let requests: Vec<SubmitReportRequest> = batch
            .iter()
            .map(|submission| SubmitReportRequest {
                text: submission.text.clone(),
                source_url: submission.source_url.clone(),
                source_name: submission.source_name.clone(),
                validate_only: shared.args.dry_run,
            })
            .collect();
        let mut client = shared.client.clone();
        match client.import_reports(tokio_stream::iter(requests)).await {
            Ok(response) => return Ok((response.into_inner(), attempt)),
            Err(status) if is_retryable(&status) && attempt <= shared.args.retries => {
                shared
                    .observer
                    .on(Event::Retrying {
                        path: path.to_owned(),
                        attempt,
                        delay,
                        error: describe(&status),
                    })
                    .await;
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(MAX_BACKOFF);
            }
            Err(status) if is_retryable(&status) => {
                return Err((
                    format!(
                        "the server stayed unavailable after {attempt} attempts: {}",
                        describe(&status)
                    ),
                    attempt,
                ));
            }
            Err(status) => {
                return Err((
                    format!("the server refused the stream: {}", describe(&status)),
                    attempt,
                ));
            }
        }
    }
}

/// Whether a failed stream may succeed when sent again: the server is
/// unavailable, or the connection broke under the call.
fn is_retryable(status: &Status) -> bool {
    match status.code() {
        Code::Unavailable => true,
        // A connection reset or a server going away mid-stream surfaces as
        // a transport error without a gRPC status of its own.
        Code::Unknown | Code::Internal | Code::Cancelled => {
            std::error::Error::source(status).is_some() && status.metadata().is_empty()
        }
        _ => false,
    }
}

fn describe(status: &Status) -> String {
    let message = status.message();
    if message.is_empty() {
        format!("{:?}", status.code())
    } else {
        format!("{:?}: {message}", status.code())
    }
}

// ------------------------------------------------------------------ display

/// Progress on standard error: a bar on a terminal, plain lines otherwise.
struct Display {
    bar: Option<ProgressBar>,
    plain: bool,
    state: Mutex<DisplayState>,
}

#[derive(Default)]
struct DisplayState {
    files: usize,
    done: usize,
    started: Option<Instant>,
}

impl Display {
    fn new(mode: ProgressMode) -> Display {
        let terminal = std::io::stderr().is_terminal();
        let (bar, plain) = match mode {
            ProgressMode::Auto if terminal => (true, false),
            ProgressMode::Auto => (false, true),
            ProgressMode::Bar => (true, false),
            ProgressMode::Plain => (false, true),
            ProgressMode::None => (false, false),
        };
        let bar = bar.then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} \
                     ({binary_bytes_per_sec}, ETA {eta}) {msg}",
                )
                .expect("a valid progress template")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Display {
            bar,
            plain,
            state: Mutex::new(DisplayState::default()),
        }
    }

    fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None if self.plain => eprintln!("{text}"),
            None => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn handle(&self, event: Event) {
        match event {
            Event::Started { files, bytes } => {
                let mut state = lock(&self.state);
                state.files = files;
                state.started = Some(Instant::now());
                if let Some(bar) = &self.bar {
                    bar.set_length(bytes);
                    bar.set_message(format!("0/{files} files"));
                }
            }
            Event::Retrying {
                path,
                attempt,
                delay,
                error,
            } => self.line(&format!(
                "retrying {path} in {} (attempt {attempt} failed: {error})",
                format_duration(delay)
            )),
            Event::FileDone(outcome) => {
                let (done, files, rate) = {
                    let mut state = lock(&self.state);
                    state.done += 1;
                    let elapsed = state
                        .started
                        .map(|t| t.elapsed().as_secs_f64())
                        .unwrap_or(0.0);
                    let rate = if elapsed > 0.0 {
                        state.done as f64 / elapsed
                    } else {
                        0.0
                    };
                    (state.done, state.files, rate)
                };
                if let Some(bar) = &self.bar {
                    bar.inc(outcome.bytes);
                    bar.set_message(format!("{done}/{files} files, {rate:.1} files/s"));
                    if !outcome.status.is_success() {
                        bar.println(outcome_line(&outcome));
                    }
                } else if self.plain {
                    eprintln!("[{done}/{files}] {}", outcome_line(&outcome));
                }
            }
        }
    }
}

impl Observer for Display {
    fn on(&self, event: Event) -> impl Future<Output = ()> + Send + '_ {
        self.handle(event);
        std::future::ready(())
    }
}

fn format_duration(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{}ms", duration.as_millis())
    } else {
        format!("{:.1}s", duration.as_secs_f64())
    }
}

fn status_word(status: FileStatus) -> &'static str {
    match status {
        FileStatus::Created => "created",
        FileStatus::Duplicate => "already there",
        FileStatus::Valid => "valid",
        FileStatus::Partial => "partly imported",
        FileStatus::Rejected => "rejected",
        FileStatus::Failed => "failed",
    }
}

/// One line for one file: "rejected a.pdf: unsupported file type ...".
fn outcome_line(outcome: &FileOutcome) -> String {
    let mut line = format!("{} {}", status_word(outcome.status), outcome.path);
    if let Some(reason) = &outcome.reason {
        line.push_str(": ");
        line.push_str(reason);
    } else if outcome.reports > 1 || outcome.rejected > 0 {
        line.push_str(&format!(" ({})", counts(outcome)));
    }
    if outcome.attempts > 1 {
        // What an interrupted attempt stored comes back as "already there".
        line.push_str(&format!(" [sent {} times]", outcome.attempts));
    }
    line
}

/// "2 created, 1 already there, 1 refused", leaving out what does not apply.
fn counts(outcome: &FileOutcome) -> String {
    let mut parts = vec![
        format!("{} created", outcome.created),
        format!("{} already there", outcome.duplicates),
    ];
    if outcome.valid > 0 {
        parts = vec![format!("{} valid", outcome.valid)];
    }
    parts.push(format!("{} refused", outcome.rejected));
    parts.join(", ")
}

/// The summary for people: every file by what became of it, then the totals.
pub fn print_summary(out: &mut impl Write, summary: &Summary) -> std::io::Result<()> {
    let sections = [
        (FileStatus::Created, "Created"),
        (FileStatus::Duplicate, "Already there"),
        (FileStatus::Valid, "Valid (dry run, nothing stored)"),
        (FileStatus::Partial, "Partly imported"),
        (FileStatus::Rejected, "Rejected"),
        (
            FileStatus::Failed,
            "Failed (the server could not take them; run again)",
        ),
    ];
    for (status, heading) in sections {
        let files: Vec<&FileOutcome> = summary.with_status(status).collect();
        if files.is_empty() {
            continue;
        }
        writeln!(out, "{heading} ({}):", files.len())?;
        for file in files {
            match &file.reason {
                Some(reason) => writeln!(out, "  {}: {reason}", file.path)?,
                None if file.reports > 1 || file.rejected > 0 => {
                    writeln!(out, "  {} ({})", file.path, counts(file))?
                }
                None => writeln!(out, "  {}", file.path)?,
            }
            if file.reason.is_none() || file.errors.len() > 1 {
                for error in &file.errors {
                    match error.line {
                        Some(line) => writeln!(out, "    line {line}: {}", error.message)?,
                        None => writeln!(out, "    {}", error.message)?,
                    }
                }
            }
        }
    }
    let totals = &summary.totals;
    if totals.files == 0 {
        writeln!(out, "Nothing to import: no files found.")?;
        return Ok(());
    }
    let mut parts = Vec::new();
    for (n, word) in [
        (totals.files_created, "created"),
        (totals.files_duplicate, "already there"),
        (totals.files_valid, "valid"),
        (totals.files_partial, "partly imported"),
        (totals.files_rejected, "rejected"),
        (totals.files_failed, "failed"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    writeln!(
        out,
        "{} {}: {}. Reports: {} created, {} already there{}, {} refused.",
        totals.files,
        if totals.files == 1 { "file" } else { "files" },
        parts.join(", "),
        totals.created,
        totals.duplicates,
        if summary.dry_run {
            format!(", {} valid", totals.valid)
        } else {
            String::new()
        },
        totals.rejected,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_milliseconds_and_seconds() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("40"), Ok(Duration::from_millis(40)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("-1s").is_err());
    }

    fn outcome(path: &str, status: FileStatus) -> FileOutcome {
        FileOutcome {
            path: path.to_owned(),
            format: None,
            bytes: 10,
            status,
            reports: 1,
            created: u32::from(status == FileStatus::Created),
            duplicates: u32::from(status == FileStatus::Duplicate),
            valid: 0,
            rejected: 0,
            reason: None,
            errors: Vec::new(),
            source_url: String::new(),
            attempts: 1,
        }
    }

    #[test]
    fn the_summary_lists_files_by_fate_with_reasons_and_bad_lines() {
        let mut partial = outcome("d/x.jsonl", FileStatus::Partial);
        partial.reports = 2;
        partial.created = 2;
        partial.rejected = 1;
        partial.errors.push(ItemError {
            line: Some(2),
            message: "no \"text\" field".to_owned(),
        });
        let mut rejected = outcome("d/scan.pdf", FileStatus::Rejected);
        rejected.reports = 0;
        rejected.reason = Some("unsupported file type \".pdf\"".to_owned());
        let summary = Summary::new(
            false,
            vec![
                outcome("d/a.txt", FileStatus::Created),
                outcome("d/b.html", FileStatus::Duplicate),
                partial,
                rejected,
            ],
        );
        let mut out = Vec::new();
        print_summary(&mut out, &summary).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Created (1):\n  d/a.txt\nAlready there (1):\n  d/b.html\n\
             Partly imported (1):\n  d/x.jsonl (2 created, 0 already there, 1 refused)\n    line 2: no \"text\" field\n\
             Rejected (1):\n  d/scan.pdf: unsupported file type \".pdf\"\n\
             4 files: 1 created, 1 already there, 1 partly imported, 1 rejected. \
             Reports: 3 created, 1 already there, 1 refused.\n"
        );
    }

    #[test]
    fn only_unavailability_and_broken_connections_are_retried() {
        assert!(is_retryable(&Status::unavailable("connection refused")));
        assert!(!is_retryable(&Status::invalid_argument("text: empty")));
        assert!(!is_retryable(&Status::unknown("a handler said so")));
        assert!(!is_retryable(&Status::internal("store failed")));
    }
}
